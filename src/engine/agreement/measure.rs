//! A figure of agreement that may be undefined: a value, or the reason there is none (never NaN).

use serde::{Deserialize, Serialize};

/// A figure of agreement, or why it cannot be computed from these values.
pub type Measure = Result<f64, Undefined>;

/// Why a figure of agreement has no value. The message says so in words a page can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Undefined {
    #[error("no values to compare")]
    NoValues,
    #[error("fewer than 2 values: nothing varies")]
    OneValue,
    #[error("every x is the same, so no line can be fitted")]
    ConstantX,
    #[error("every y is the same, so R^2 is undefined")]
    ConstantY,
    #[error("one side's values all tie, so the rank correlation is undefined")]
    AllTied,
    #[error("both matchers gave every item the same level, so kappa is undefined")]
    OneLevel,
}

/// Asserts that a measure is the expected value (to 1e-12) or undefined for the expected
/// reason: the comparison every table of this room makes.
#[cfg(test)]
#[track_caller]
pub(super) fn assert_measure(what: &str, got: Measure, expected: Measure) {
    match (got, expected) {
        (Ok(g), Ok(e)) => assert!((g - e).abs() < 1e-12, "{what}: {g} vs {e}"),
        (g, e) => assert_eq!(g, e, "{what}"),
    }
}
