//! What a scored row holds, shared by both families of scores.

use serde::{Deserialize, Serialize};

/// Most items a judged model contributes to the matching, as in the reference script.
pub const MAX_ORIGINAL_ITEMS: usize = 5;

/// Every score of one row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RowScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub ap: f64,
    /// One-to-one recall: the paper's rationale consistency of this row.
    pub rc: f64,
    pub ap_paper: f64,
}

/// A share that is 0 when there is nothing to share out.
pub(super) fn ratio(numerator: f64, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator / denominator as f64
    }
}

/// Triples from `(r, s, score)` tuples, for the tests of both families.
#[cfg(test)]
pub(super) fn triples(list: &[(usize, usize, f64)]) -> Vec<crate::engine::reply::Triple> {
    list.iter()
        .map(|&(r, s, score)| crate::engine::reply::Triple { r, s, score })
        .collect()
}
