//! Cohen's weighted kappa with quadratic weights over the five score levels, and the item
//! scores it compares (SPEC section 10).

use super::measure::{Measure, Undefined};
use crate::engine::reply::Triple;

/// The five levels an item's score is rounded to: 0, 0.25, 0.5, 0.75, 1.
pub const LEVELS: [f64; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];

/// The index in [`LEVELS`] nearest to `score` (a half-way score rounds up, 0.125 to 0.25);
/// scores outside 0..=1 are taken as the nearest end.
pub fn level(score: f64) -> usize {
    let steps = (LEVELS.len() - 1) as f64;
    (score.clamp(0.0, 1.0) * steps).round() as usize
}

/// Each human item's score in one row, items 1..=`n_ref`: the largest score any model item got
/// for it among the valid triples (`1 <= r <= n_ref`, `1 <= s <= n_orig`), 0 when none.
pub fn item_scores(triples: &[Triple], n_ref: usize, n_orig: usize) -> Vec<f64> {
    let mut scores = vec![0.0f64; n_ref];
    for t in triples {
        if t.r == 0 || t.r > n_ref || t.s == 0 || t.s > n_orig || t.score.is_nan() {
            continue;
        }
        let best = &mut scores[t.r - 1];
        *best = best.max(t.score);
    }
    scores
}

/// Cohen's weighted kappa of paired levels (indices into [`LEVELS`]) with quadratic weights
/// w = (i - j)^2 / 4^2: 1 - sum(w * observed) / sum(w * expected), the expected shares being
/// the product of the two raters' margins. Undefined with no pairs, and when both raters put
/// every pair on one and the same level (then nothing could disagree by chance).
pub fn weighted_kappa(pairs: &[(usize, usize)]) -> Measure {
    const K: usize = LEVELS.len();
    if pairs.is_empty() {
        return Err(Undefined::NoValues);
    }
    let n = pairs.len() as f64;
    let mut observed = [[0.0f64; K]; K];
    let (mut margin_a, mut margin_b) = ([0.0f64; K], [0.0f64; K]);
    for &(a, b) in pairs {
        let (a, b) = (a.min(K - 1), b.min(K - 1));
        observed[a][b] += 1.0 / n;
        margin_a[a] += 1.0 / n;
        margin_b[b] += 1.0 / n;
    }
    let weight = |i: usize, j: usize| ((i as f64 - j as f64) / (K - 1) as f64).powi(2);
    let (mut disagree, mut by_chance) = (0.0, 0.0);
    for i in 0..K {
        for j in 0..K {
            disagree += weight(i, j) * observed[i][j];
            by_chance += weight(i, j) * margin_a[i] * margin_b[j];
        }
    }
    if by_chance <= 0.0 {
        return Err(Undefined::OneLevel);
    }
    Ok(1.0 - disagree / by_chance)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::agreement::measure::assert_measure;

    #[track_caller]
    fn check(pairs: &[(usize, usize)], expected: Measure) {
        assert_measure(&format!("{pairs:?}"), weighted_kappa(pairs), expected);
    }

    #[test]
    fn kappa_matches_the_hand_computation() {
        // Levels (0,0) (1,1) (2,2) (4,3). Observed: only (4,3) disagrees, weight 1/16, share
        // 1/4: 1/64. Margins: A on 0 1 2 4, B on 0 1 2 3, each 1/4, so every expected cell is
        // 1/16; the squared distances sum to 14 + 6 + 6 + 30 = 56 (i = 0, 1, 2, 4 against
        // j = 0..3), weighted 56 / 16 / 16 = 7/32. Kappa = 1 - (1/64) / (7/32) = 13/14.
        check(&[(0, 0), (1, 1), (2, 2), (4, 3)], Ok(13.0 / 14.0));
    }

    #[test]
    fn perfect_reversed_and_one_level() {
        check(&[(0, 0), (2, 2), (4, 4)], Ok(1.0));
        // Reversed across the scale: observed weight (1 + 1) / 2 = 1; margins 1/2 on 0 and 4
        // each, expected (0 + 1/4 + 1/4 + 0) * 1 = 1/2: kappa = 1 - 1 / (1/2) = -1.
        check(&[(0, 4), (4, 0)], Ok(-1.0));
        check(&[(2, 2), (2, 2), (2, 2)], Err(Undefined::OneLevel));
        check(&[], Err(Undefined::NoValues));
        // One rater on one level, the other not: defined (here no better than chance).
        check(&[(0, 0), (0, 4)], Ok(0.0));
    }

    #[test]
    fn scores_round_to_the_nearest_level() {
        let cases = [
            (0.0, 0),
            (0.1, 0),
            (0.125, 1),
            (0.33, 1),
            (0.5, 2),
            (0.8, 3),
            (1.0, 4),
        ];
        for (score, expected) in cases {
            assert_eq!(level(score), expected, "{score}");
        }
        assert_eq!((level(-1.0), level(1.5)), (0, 4));
    }

    #[test]
    fn an_item_takes_its_best_valid_score() {
        let t = |r, s, score| Triple { r, s, score };
        // R1 best of 0.5 and 0.75; R2 only via S0 and S4 (beyond n_orig = 3): 0; R3 matched
        // once; R4 beyond n_ref is ignored.
        let triples = [
            t(1, 1, 0.5),
            t(1, 2, 0.75),
            t(2, 0, 0.0),
            t(2, 4, 1.0),
            t(3, 3, 0.25),
            t(4, 1, 1.0),
        ];
        assert_eq!(item_scores(&triples, 3, 3), [0.75, 0.0, 0.25]);
    }
}
