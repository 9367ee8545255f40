//! What an import read: every non-blank line counted once, as an answer taken, a duplicate
//! ignored, a failed call, a line not from this run, or a broken line, with the file and 1-based
//! line number of each line that changed nothing.

use std::fmt;

/// The counts of one model (or of the whole import).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Answers taken (status 200 and a message), readable or not.
    pub answered: usize,
    /// Of those, answers the matching cannot read (kept as `format_error`, like a page call
    /// whose retries ran out).
    pub unreadable: usize,
    /// Failed calls (any other line): recorded as failed, sent again only on request.
    pub failed: usize,
    /// Answers ignored: their (row, model, stage) already had an answer (stored or read first).
    pub duplicates: usize,
}

/// A line that changed nothing, where it is and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 1-based.
    pub line: usize,
    pub kind: ProblemKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A `custom_id` that is malformed or names another run, stage, row or model.
    Foreign { custom_id: String, reason: String },
    /// Not a JSON object.
    Broken(String),
}

/// The summary of one import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub total: Counts,
    /// `(model, counts)` in the run's model order, every model of the run listed.
    pub per_model: Vec<(String, Counts)>,
    /// Lines not from this run and broken lines, in the order read.
    pub problems: Vec<Problem>,
}

impl ImportSummary {
    pub fn n_foreign(&self) -> usize {
        self.count(|k| matches!(k, ProblemKind::Foreign { .. }))
    }

    pub fn n_broken(&self) -> usize {
        self.count(|k| matches!(k, ProblemKind::Broken(_)))
    }

    fn count(&self, pick: impl Fn(&ProblemKind) -> bool) -> usize {
        self.problems.iter().filter(|p| pick(&p.kind)).count()
    }
}

impl Counts {
    pub fn add(&mut self, other: &Counts) {
        self.answered += other.answered;
        self.unreadable += other.unreadable;
        self.failed += other.failed;
        self.duplicates += other.duplicates;
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ProblemKind::Foreign { custom_id, reason } => write!(
                f,
                "{}:{}: not from this run: custom_id `{custom_id}`: {reason}",
                self.file, self.line
            ),
            ProblemKind::Broken(message) => {
                write!(f, "{}:{}: broken line: {message}", self.file, self.line)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(problem: Problem, expected: &str) {
        assert_eq!(problem.to_string(), expected);
    }

    #[test]
    fn problems_name_file_and_line() {
        let foreign = ProblemKind::Foreign {
            custom_id: "req-1".into(),
            reason: "not a metajudge id".into(),
        };
        check(
            Problem {
                file: "out.jsonl".into(),
                line: 3,
                kind: foreign.clone(),
            },
            "out.jsonl:3: not from this run: custom_id `req-1`: not a metajudge id",
        );
        let broken = ProblemKind::Broken("not a JSON object (EOF)".into());
        check(
            Problem {
                file: "e.jsonl".into(),
                line: 12,
                kind: broken.clone(),
            },
            "e.jsonl:12: broken line: not a JSON object (EOF)",
        );
        let summary = ImportSummary {
            problems: [foreign.clone(), broken, foreign]
                .map(|kind| Problem {
                    file: "f".into(),
                    line: 1,
                    kind,
                })
                .to_vec(),
            ..ImportSummary::default()
        };
        assert_eq!((summary.n_foreign(), summary.n_broken()), (2, 1));
    }
}
