//! Rank correlations: Spearman's rho with average ranks for ties, and Kendall's tau-b.

use super::fit::pearson;
use super::measure::{Measure, Undefined};

/// Spearman's rho: Pearson's correlation of the average ranks (tied values share the mean of
/// the ranks they span). Undefined when either side's values all tie.
pub fn spearman(xs: &[f64], ys: &[f64]) -> Measure {
    let n = xs.len().min(ys.len());
    let (rx, ry) = (average_ranks(&xs[..n]), average_ranks(&ys[..n]));
    pearson(&rx, &ry).map_err(|why| match why {
        Undefined::ConstantX | Undefined::ConstantY => Undefined::AllTied,
        other => other,
    })
}

/// Kendall's tau-b: (concordant - discordant) / sqrt((n0 - ties in x) (n0 - ties in y)) over
/// the n0 = n (n - 1) / 2 pairs, a pair tied in x or y being neither. Undefined when either
/// side's values all tie.
pub fn kendall_tau_b(xs: &[f64], ys: &[f64]) -> Measure {
    let n = xs.len().min(ys.len());
    match n {
        0 => return Err(Undefined::NoValues),
        1 => return Err(Undefined::OneValue),
        _ => {}
    }
    let (mut concordant, mut discordant, mut tied_x, mut tied_y) = (0u64, 0u64, 0u64, 0u64);
    for i in 0..n {
        for j in i + 1..n {
            let dx = xs[i].total_cmp(&xs[j]);
            let dy = ys[i].total_cmp(&ys[j]);
            match (dx.is_eq(), dy.is_eq()) {
                (true, true) => {
                    tied_x += 1;
                    tied_y += 1;
                }
                (true, false) => tied_x += 1,
                (false, true) => tied_y += 1,
                (false, false) if dx == dy => concordant += 1,
                (false, false) => discordant += 1,
            }
        }
    }
    let pairs = (n * (n - 1) / 2) as u64;
    let (untied_x, untied_y) = (pairs - tied_x, pairs - tied_y);
    if untied_x == 0 || untied_y == 0 {
        return Err(Undefined::AllTied);
    }
    let tau =
        (concordant as f64 - discordant as f64) / ((untied_x as f64) * (untied_y as f64)).sqrt();
    Ok(tau.clamp(-1.0, 1.0))
}

/// The 1-based ranks of `values`, ties given the mean of the ranks they span.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Ranks start + 1 ..= end share their mean.
        let shared = (start + 1 + end) as f64 / 2.0;
        for &idx in &order[start..end] {
            ranks[idx] = shared;
        }
        start = end;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::agreement::measure::assert_measure;

    /// Expected (Spearman's rho, Kendall's tau-b).
    #[track_caller]
    fn check(xs: &[f64], ys: &[f64], expected: [Measure; 2]) {
        let got = [spearman(xs, ys), kendall_tau_b(xs, ys)];
        for (name, (g, e)) in ["spearman", "kendall"]
            .iter()
            .zip(got.into_iter().zip(expected))
        {
            assert_measure(&format!("{name} of {xs:?}, {ys:?}"), g, e);
        }
    }

    #[test]
    fn perfect_and_reversed_rankings() {
        check(
            &[0.1, 0.2, 0.3, 0.4],
            &[1.0, 2.0, 3.0, 9.0],
            [Ok(1.0), Ok(1.0)],
        );
        check(
            &[0.1, 0.2, 0.3, 0.4],
            &[9.0, 3.0, 2.0, 1.0],
            [Ok(-1.0), Ok(-1.0)],
        );
    }

    #[test]
    fn one_swap_matches_the_hand_computation() {
        // x = 1 2 3 4, y = 1 3 2 4: rank differences 0 1 1 0, so rho = 1 - 6 * 2 / (4 * 15)
        // = 0.8. Of the 6 pairs only (2, 3) is discordant: tau = (5 - 1) / 6.
        check(
            &[1.0, 2.0, 3.0, 4.0],
            &[1.0, 3.0, 2.0, 4.0],
            [Ok(0.8), Ok(4.0 / 6.0)],
        );
    }

    #[test]
    fn ties_take_average_ranks() {
        assert_eq!(average_ranks(&[0.5, 0.2, 0.5, 0.9]), [2.5, 1.0, 2.5, 4.0]);
        assert_eq!(average_ranks(&[3.0, 3.0, 3.0]), [2.0, 2.0, 2.0]);
        // x = 1 2 2 3 ranks 1 2.5 2.5 4, y = 1 2 3 4: centred ranks -1.5 0 0 1.5 and
        // -1.5 -0.5 0.5 1.5, so Sxy = 4.5, Sxx = 4.5, Syy = 5: rho = 4.5 / sqrt(22.5).
        // Pairs: 5 concordant, 1 tied in x, none tied in y: tau-b = 5 / sqrt(5 * 6).
        check(
            &[1.0, 2.0, 2.0, 3.0],
            &[1.0, 2.0, 3.0, 4.0],
            [Ok(4.5 / 22.5f64.sqrt()), Ok(5.0 / 30f64.sqrt())],
        );
    }

    #[test]
    fn all_tied_or_too_few_is_undefined() {
        let tied = Err(Undefined::AllTied);
        check(&[0.3, 0.3, 0.3], &[0.1, 0.2, 0.3], [tied, tied]);
        check(&[0.1, 0.2, 0.3], &[0.5, 0.5, 0.5], [tied, tied]);
        let one = Err(Undefined::OneValue);
        check(&[0.1], &[0.2], [one, one]);
    }
}
