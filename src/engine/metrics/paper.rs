//! The paper's scores: the best one-to-one matching of human to model items, its recall
//! (rationale consistency) and its AP.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::scores::{ratio, MAX_ORIGINAL_ITEMS};
use crate::engine::reply::Triple;

/// A one-to-one matching of human items (R) to model items (S), as used by the paper scores.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Matching {
    /// Matched pairs `(r, s, score)`, sorted by `r`; every score is above 0.
    pub pairs: Vec<(usize, usize, f64)>,
    pub total: f64,
}

/// The matching with the largest total score that uses each R and each S at most once, built
/// from the valid triples (`1 <= r <= n_ref`, `1 <= s <= n_orig`, score above 0; a repeated
/// pair counts with its largest score). Among matchings with the same total (to 1e-9), the one
/// whose matched S items sit at the earliest ranks wins, i.e. the highest paper AP, so the
/// result never depends on the order the judge wrote its lines in.
pub fn best_matching(triples: &[Triple], n_ref: usize, n_orig: usize) -> Matching {
    let n_orig = n_orig.min(MAX_ORIGINAL_ITEMS);
    // weight[r][s]: the best score of pair (r, s); only R items with an edge take part.
    let mut rows: Vec<(usize, [f64; MAX_ORIGINAL_ITEMS])> = Vec::new();
    // R -> its index in `rows`: a map, since an answer may hold a hundred thousand R lines.
    let mut row_of: HashMap<usize, usize> = HashMap::new();
    for t in triples {
        if t.r == 0 || t.r > n_ref || t.s == 0 || t.s > n_orig || t.score.is_nan() || t.score <= 0.0
        {
            continue;
        }
        let row_idx = *row_of.entry(t.r).or_insert_with(|| {
            rows.push((t.r, [0.0; MAX_ORIGINAL_ITEMS]));
            rows.len() - 1
        });
        let weight = &mut rows[row_idx].1[t.s - 1];
        *weight = weight.max(t.score);
    }
    rows.sort_by_key(|(r, _)| *r);

    // Dynamic programme over the set of S items used so far (at most 2^5 states).
    let n_states = 1usize << n_orig;
    let mut best = vec![f64::NEG_INFINITY; n_states];
    best[0] = 0.0;
    // choice[i][mask] = the S index (1-based, 0 = none) R item i took to reach `mask`.
    let mut choice = vec![vec![0usize; n_states]; rows.len()];
    for (row_idx, (_, weights)) in rows.iter().enumerate() {
        let mut next = best.clone();
        for mask in 0..n_states {
            if best[mask] == f64::NEG_INFINITY {
                continue;
            }
            for (s_idx, &w) in weights.iter().enumerate().take(n_orig) {
                let bit = 1 << s_idx;
                if w <= 0.0 || mask & bit != 0 {
                    continue;
                }
                let total = best[mask] + w;
                if total > next[mask | bit] {
                    next[mask | bit] = total;
                    choice[row_idx][mask | bit] = s_idx + 1;
                }
            }
        }
        best = next;
    }

    let mut winner = 0;
    for mask in 1..n_states {
        if best[mask] == f64::NEG_INFINITY {
            continue;
        }
        let gain = best[mask] - best[winner];
        let tie = gain.abs() <= 1e-9;
        if gain > 1e-9 || (tie && mask_ap(mask, n_orig) > mask_ap(winner, n_orig)) {
            winner = mask;
        }
    }

    let mut pairs = Vec::new();
    let mut mask = winner;
    for row_idx in (0..rows.len()).rev() {
        let s = choice[row_idx][mask];
        if s != 0 {
            let (r, weights) = rows[row_idx];
            pairs.push((r, s, weights[s - 1]));
            mask &= !(1 << (s - 1));
        }
    }
    pairs.reverse();
    Matching {
        total: best[winner],
        pairs,
    }
}

/// The paper's AP for a matching: the sum of P@k over the ranks k whose S item is matched,
/// divided by `n_ref`, with P@k = matched S items among ranks 1..k, over k.
pub fn paper_ap(matching: &Matching, n_ref: usize, n_orig: usize) -> f64 {
    let mask = matching
        .pairs
        .iter()
        .fold(0usize, |m, &(_, s, _)| m | 1 << (s - 1));
    ratio(mask_ap(mask, n_orig), n_ref)
}

/// Sum of P@k over the matched ranks of `mask` (bit k-1 = rank k), not yet divided by `n_ref`.
fn mask_ap(mask: usize, n_orig: usize) -> f64 {
    let mut hits = 0;
    let mut sum = 0.0;
    for k in 1..=n_orig {
        if mask & (1 << (k - 1)) != 0 {
            hits += 1;
            sum += hits as f64 / k as f64;
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::metrics::scores::triples;

    #[test]
    fn matching_is_exact_not_greedy() {
        // Greedy on R1 would take S1 (0.9) and leave R2 nothing; the best total is 0.8 + 1.0.
        let m = best_matching(&triples(&[(1, 1, 0.9), (1, 2, 0.8), (2, 1, 1.0)]), 2, 2);
        assert_eq!(m.pairs, vec![(1, 2, 0.8), (2, 1, 1.0)]);
        assert!((m.total - 1.8).abs() < 1e-12);
    }

    #[test]
    fn ties_prefer_early_ranks_whatever_the_line_order() {
        for list in [[(1, 1, 0.5), (1, 3, 0.5)], [(1, 3, 0.5), (1, 1, 0.5)]] {
            let m = best_matching(&triples(&list), 1, 3);
            assert_eq!(m.pairs, vec![(1, 1, 0.5)], "{list:?}");
        }
    }
}
