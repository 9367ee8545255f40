//! What became of one row for one model: the checks of SPEC section 4 in the reference
//! script's order, then both families of scores.

use serde::{Deserialize, Serialize};

use super::paper::{best_matching, paper_ap};
use super::scores::{ratio, RowScores, MAX_ORIGINAL_ITEMS};
use super::script::script_scores;
use crate::engine::dataset::{Answer, Checklist, Record};
use crate::engine::reply::{ReplyError, Triple};

/// What became of one row for one model's rationale figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RowOutcome {
    Scored(RowScores),
    Error(RowError),
    Skipped(SkipReason),
    /// A data-set row: no judge answer yet.
    NotJudged,
}

/// Why a row counts as an error (SPEC section 4).
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum RowError {
    #[error("no judge answer (samples empty)")]
    NoAnswer,
    #[error("judge answer unreadable: {}", join(.0))]
    Reply(Vec<ReplyError>),
    #[error("no {0} checklist in the row")]
    NoChecklist(String),
    #[error("the {which} checklist is {found}, not a list")]
    NotAList { which: String, found: String },
    #[error("{got} score lines for {expected} human items")]
    CountMismatch { got: usize, expected: usize },
    /// A matcher panel's row with fewer valid answers than the panel requires (SPEC 10).
    #[error(
        "ensemble incomplete: {valid} of {panel} matchers answered validly, {required} required"
    )]
    EnsembleIncomplete {
        valid: usize,
        required: usize,
        panel: usize,
    },
}

/// Why a row is left out of a model's figures without being an error.
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum SkipReason {
    #[error("the model checklist is empty")]
    Empty,
    #[error("the model checklist has {len} items, more than the maximum of {max}")]
    TooLong { len: usize, max: usize },
}

impl RowError {
    /// A short name of the kind of error, for grouping rows in the problems panel.
    pub fn kind(&self) -> &'static str {
        match self {
            RowError::NoAnswer => "no judge answer",
            RowError::Reply(errors) => match errors.first() {
                Some(ReplyError::NoResultBlock) => "no RESULT block in the judge answer",
                Some(ReplyError::NoScoreLines) => "no score lines in the RESULT block",
                Some(ReplyError::OutOfRange { .. }) | None => "a score outside 0-1",
            },
            RowError::NoChecklist(_) => "a checklist is missing",
            RowError::NotAList { .. } => "a checklist is not a list",
            RowError::CountMismatch { .. } => "score lines do not match the human items",
            RowError::EnsembleIncomplete { .. } => "ensemble incomplete",
        }
    }
}

impl SkipReason {
    /// A short name of the reason, for grouping rows in the problems panel.
    pub fn kind(&self) -> &'static str {
        match self {
            SkipReason::Empty => "empty model checklist",
            SkipReason::TooLong { .. } => "model checklist longer than the maximum",
        }
    }
}

/// Scores one row for model `model_idx`, applying the checks of SPEC section 4 in the order the
/// reference script applies them (so a row that is both an error and skippable is an error).
pub fn score_record(record: &Record, model_idx: usize, max_len: usize) -> RowOutcome {
    let reply = match &record.answer {
        None => return RowOutcome::NotJudged,
        Some(Answer::Missing) => return RowOutcome::Error(RowError::NoAnswer),
        Some(Answer::Given(reply)) => reply,
    };
    if !reply.errors.is_empty() {
        return RowOutcome::Error(RowError::Reply(reply.errors.clone()));
    }
    let model = record.column(model_idx).and_then(|c| c.checklist.as_ref());
    let (model, human) = match (model, record.human.as_ref()) {
        (None, _) => return RowOutcome::Error(RowError::NoChecklist("model".into())),
        (_, None) => return RowOutcome::Error(RowError::NoChecklist("human".into())),
        (Some(model), Some(human)) => (model, human),
    };
    let n_model = match items(model, "model") {
        Ok(n) => n,
        Err(e) => return RowOutcome::Error(e),
    };
    let n_ref = match items(human, "human") {
        Ok(n) => n,
        Err(e) => return RowOutcome::Error(e),
    };
    if n_model > max_len {
        return RowOutcome::Skipped(SkipReason::TooLong {
            len: n_model,
            max: max_len,
        });
    }
    if n_model == 0 {
        return RowOutcome::Skipped(SkipReason::Empty);
    }
    if reply.triples.is_empty() || reply.triples.len() != n_ref {
        return RowOutcome::Error(RowError::CountMismatch {
            got: reply.triples.len(),
            expected: n_ref,
        });
    }
    RowOutcome::Scored(row_scores(
        &reply.triples,
        n_ref,
        n_model.min(MAX_ORIGINAL_ITEMS),
    ))
}

/// Both families for one row whose triples passed the checks of SPEC section 4.
/// `n_ref` is the human checklist length, `n_orig = min(model checklist length, 5)`.
pub fn row_scores(triples: &[Triple], n_ref: usize, n_orig: usize) -> RowScores {
    let script = script_scores(triples, n_ref, n_orig);
    let matching = best_matching(triples, n_ref, n_orig);
    RowScores {
        rc: ratio(matching.total, n_ref),
        ap_paper: paper_ap(&matching, n_ref, n_orig),
        ..script
    }
}

fn items(checklist: &Checklist, which: &str) -> Result<usize, RowError> {
    match checklist {
        Checklist::Items(items) => Ok(items.len()),
        Checklist::NotAList(found) => Err(RowError::NotAList {
            which: which.into(),
            found: found.clone(),
        }),
    }
}

fn join(errors: &[ReplyError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::metrics::scores::triples;

    #[track_caller]
    fn check(list: &[(usize, usize, f64)], n_ref: usize, n_orig: usize, expected: [f64; 6]) {
        let got = row_scores(&triples(list), n_ref, n_orig);
        let got = [
            got.precision,
            got.recall,
            got.f1,
            got.ap,
            got.rc,
            got.ap_paper,
        ];
        for (name, (g, e)) in ["precision", "recall", "f1", "ap", "rc", "ap_paper"]
            .iter()
            .zip(got.iter().zip(expected))
        {
            assert!(
                (g - e).abs() < 1e-12,
                "{name} of {list:?}: got {g}, expected {e}"
            );
        }
    }

    #[test]
    fn spec_example_shared_s_counts_once_per_r_only_in_the_paper() {
        // SPEC 4: script recall 0.6667, one-to-one recall 0.3333.
        let p = 1.0 / 3.0;
        let r = 2.0 / 3.0;
        check(
            &[(1, 3, 1.0), (2, 3, 1.0), (3, 0, 0.0)],
            3,
            3,
            [
                p,
                r,
                2.0 * p * r / (p + r),
                (1.0 / 1.0) / 3.0,
                1.0 / 3.0,
                (1.0 / 3.0) / 3.0,
            ],
        );
    }

    #[test]
    fn spec_example_average_precisions_differ() {
        // SPEC 4: script AP (1/1 + 2/2)/3 = 0.6667; paper AP (1/1 + 2/3)/3 = 0.5556.
        let p = 2.0 / 3.0;
        let r = 2.0 / 3.0;
        check(
            &[(1, 1, 1.0), (2, 3, 1.0), (3, 0, 0.0)],
            3,
            3,
            [
                p,
                r,
                2.0 * p * r / (p + r),
                2.0 / 3.0,
                2.0 / 3.0,
                (1.0 + 2.0 / 3.0) / 3.0,
            ],
        );
    }

    #[test]
    fn no_valid_triple_scores_zero() {
        check(&[(1, 0, 0.0), (2, 0, 0.0)], 2, 3, [0.0; 6]);
        // S beyond n_orig and R beyond n_ref are not valid.
        check(&[(1, 4, 1.0), (5, 1, 1.0)], 2, 3, [0.0; 6]);
    }

    #[test]
    fn repeated_pairs_count_with_their_best_score() {
        check(
            &[(1, 1, 0.25), (1, 1, 0.75)],
            1,
            1,
            [0.75, 0.75, 0.75, 0.75, 0.75, 1.0],
        );
    }

    #[test]
    fn script_lets_r0_through_as_the_reference_does() {
        // R0 passes the script's filter (r <= n_ref) but is no human item for the paper.
        let got = row_scores(&triples(&[(0, 1, 1.0), (1, 0, 0.0)]), 2, 1);
        assert_eq!(got.recall, 0.5);
        assert_eq!(got.rc, 0.0);
    }

    #[test]
    fn one_to_one_recall_never_exceeds_script_recall() {
        // A small exhaustive sweep over 3 R items, 3 S items and scores {0, 0.5, 1}.
        let scores = [0.0, 0.5, 1.0];
        for code in 0..(4 * 3usize).pow(3) {
            let mut list = Vec::new();
            let mut c = code;
            for r in 1..=3 {
                let pick = c % 12;
                c /= 12;
                list.push((r, pick / 3, scores[pick % 3]));
            }
            let got = row_scores(&triples(&list), 3, 3);
            assert!(got.rc <= got.recall + 1e-12, "{list:?}");
            assert!(
                got.ap_paper <= 1.0 + 1e-12 && got.ap_paper >= 0.0,
                "{list:?}"
            );
        }
    }

    #[test]
    fn row4_many_score_lines_keep_their_figures() {
        // 20,000 R lines over 5 S items: the per-R maxima and the matching use maps (the
        // timing of 160,000 lines is in tests/bench_hostile.sh).
        let n = 20_000;
        let list: Vec<_> = (1..=n).map(|r| (r, r % 5 + 1, 1.0)).collect();
        let got = row_scores(&triples(&list), n, 5);
        assert_eq!((got.precision, got.recall, got.f1), (1.0, 1.0, 1.0));
        assert!((got.rc - 5.0 / n as f64).abs() < 1e-15);
        assert!((got.ap - 5.0 / n as f64).abs() < 1e-15);
        assert!((got.ap_paper - 5.0 / n as f64).abs() < 1e-15);
    }
}
