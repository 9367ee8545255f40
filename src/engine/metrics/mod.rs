//! Per-row scores in both families of SPEC section 4: the script-compatible precision, recall,
//! F1 and AP, and the paper's one-to-one recall (rationale consistency) and AP.
//!
//! The script-compatible scores add in the same order as `metajudge_analysis.py` (dictionary
//! insertion order, prefix sums recomputed per rank), so they agree with it to the last bit, not
//! only to 1e-12.
//!
//! Where things live: `outcome` checks a row and scores it, `script` and `paper` compute the
//! two families, `scores` holds what both give.

mod outcome;
mod paper;
mod scores;
mod script;

pub use outcome::{row_scores, score_record, RowError, RowOutcome, SkipReason};
pub use paper::{best_matching, paper_ap, Matching};
pub use scores::{RowScores, MAX_ORIGINAL_ITEMS};
pub use script::script_scores;
