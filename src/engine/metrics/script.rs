//! The script-compatible scores: precision, recall, F1 and AP as `metajudge_analysis.py`
//! computes them, added in the same order (dictionary insertion order, prefix sums recomputed
//! per rank) so that they agree with it to the last bit.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use super::scores::{ratio, RowScores};
use crate::engine::reply::Triple;

/// Script-compatible precision, recall, F1 and AP (the `rc` and `ap_paper` fields stay 0).
pub fn script_scores(triples: &[Triple], n_ref: usize, n_orig: usize) -> RowScores {
    let valid: Vec<&Triple> = triples
        .iter()
        .filter(|t| is_valid_for_script(t, n_ref, n_orig))
        .collect();
    if valid.is_empty() {
        return RowScores::default();
    }
    let best_per_r = max_by_key(&valid, |t| t.r);
    let best_per_s = max_by_key(&valid, |t| t.s);
    let recall = ratio(sum_in_order(&best_per_r), n_ref);
    let precision = ratio(sum_in_order(&best_per_s), n_orig);

    let mut by_rank = best_per_s;
    by_rank.sort_by_key(|&(s, _)| s);
    let mut cumulative = 0.0;
    for i in 0..by_rank.len() {
        cumulative += sum_in_order(&by_rank[..=i]) / (i + 1) as f64;
    }
    let ap = cumulative / n_ref as f64;

    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    RowScores {
        precision,
        recall,
        f1,
        ap,
        ..RowScores::default()
    }
}

/// Same filter as the script: `s != 0 && r <= n_ref && s <= n_orig` (R0 passes, as there).
fn is_valid_for_script(t: &Triple, n_ref: usize, n_orig: usize) -> bool {
    t.s != 0 && t.r <= n_ref && t.s <= n_orig
}

/// Largest score per key, keys in order of first appearance (Python dict semantics). The
/// index map keeps this linear: an answer may hold a hundred thousand `R` lines.
fn max_by_key(valid: &[&Triple], key: impl Fn(&Triple) -> usize) -> Vec<(usize, f64)> {
    let mut out: Vec<(usize, f64)> = Vec::new();
    let mut idx: HashMap<usize, usize> = HashMap::new();
    for t in valid {
        match idx.entry(key(t)) {
            // Python's max(a, b) keeps `a` unless `b` is larger; NaN never occurs here.
            Entry::Occupied(seen) => {
                let best = &mut out[*seen.get()].1;
                if t.score > *best {
                    *best = t.score;
                }
            }
            Entry::Vacant(slot) => {
                slot.insert(out.len());
                out.push((key(t), t.score));
            }
        }
    }
    out
}

/// Python's `sum()` over floats: a left fold starting at 0.
fn sum_in_order(pairs: &[(usize, f64)]) -> f64 {
    pairs.iter().fold(0.0, |acc, &(_, v)| acc + v)
}
