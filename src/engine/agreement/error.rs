//! What stops an agreement from being computed, said in words a page or a terminal can show.

use serde::{Deserialize, Serialize};

/// Fewest models an agreement across models is computed for: with two, any two distinct values
/// make a perfect line and a perfect ranking.
pub const MIN_MODELS: usize = 3;

/// One of the two sides compared: matcher A and matcher B, or data set A and data set B.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Side {
    A,
    B,
}

/// Why an agreement cannot be computed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AgreementError {
    #[error("{file}: not a judged file (no judge answers), so it holds no matcher's scores")]
    NotJudged { file: String },
    #[error("model {model:?} is on side {side:?} twice: in {first} and in {second}")]
    DuplicateModel {
        side: Side,
        model: String,
        first: String,
        second: String,
    },
    #[error(
        "agreement needs at least {MIN_MODELS} models with RC on both sides; found {}{}",
        models.len(),
        if models.is_empty() { String::new() } else { format!(" ({})", models.join(", ")) }
    )]
    TooFewModels { models: Vec<String> },
}
