//! What can go wrong with browser storage, in words the user can act on.

use thiserror::Error;

/// A storage failure.
#[derive(Debug, Error)]
pub enum StoreError {
    /// IndexedDB refused or failed an operation.
    #[error("browser storage failed while {what}: {error}")]
    Browser {
        what: &'static str,
        error: rexie::Error,
    },
    #[error("cannot write as JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the data set of run {0} is not stored")]
    NoDataset(String),
}

/// A journal recovery that stopped before the journal was empty: the answers it could not move
/// stay in the journal (nothing is removed from it until IndexedDB has the answer).
#[derive(Debug, Error)]
#[error(
    "{} from the journal could not be saved to storage ({error}): they are kept in the journal, \
     count for their run, and will be retried on the next load",
    answers(*.n_left)
)]
pub struct RecoveryError {
    pub n_recovered: usize,
    pub n_left: usize,
    pub error: StoreError,
}

/// A storage result.
pub type StoreResult<T> = Result<T, StoreError>;

/// Wraps an IndexedDB error with what was being done.
pub(super) fn fail(what: &'static str) -> impl Fn(rexie::Error) -> StoreError {
    move |error| StoreError::Browser { what, error }
}

fn answers(n: usize) -> String {
    match n {
        1 => "1 answer".into(),
        n => format!("{n} answers"),
    }
}
