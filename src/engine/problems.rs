//! Everything that went wrong or was left out, grouped for the problems panel: unreadable
//! lines, rows that are errors, rows skipped, and rows whose verdicts could not count.

use serde::{Deserialize, Serialize};

use super::dataset::LoadedFile;
use super::metrics::RowOutcome;
use super::summary::ModelReport;
use super::verdict::OaOutcome;

/// How serious a group of problems is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// Lines that are not JSON objects: nothing could be read from them.
    BadLine,
    /// Rows counted as errors in the rationale figures.
    Error,
    /// Rows left out of the rationale figures by rule (checklist empty or too long).
    Skipped,
    /// Rows whose verdicts were unreadable (counted wrong) or missing (not counted) for OA.
    Verdict,
}

/// Rows with the same kind of problem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProblemGroup {
    pub severity: Severity,
    pub kind: String,
    /// `(1-based line, full message)`, in file order.
    pub lines: Vec<(usize, String)>,
}

/// The problems of a file that belong to no model: its unreadable lines.
pub fn file_problems(file: &LoadedFile) -> Vec<ProblemGroup> {
    if file.bad_lines.is_empty() {
        return Vec::new();
    }
    vec![ProblemGroup {
        severity: Severity::BadLine,
        kind: "lines that are not JSON objects".into(),
        lines: file
            .bad_lines
            .iter()
            .map(|b| (b.line, b.message.clone()))
            .collect(),
    }]
}

/// The problems of one model's rows, grouped by kind, most serious first.
pub fn report_problems(report: &ModelReport) -> Vec<ProblemGroup> {
    let mut groups: Vec<ProblemGroup> = Vec::new();
    let mut add = |severity: Severity, kind: &str, line: usize, message: String| match groups
        .iter_mut()
        .find(|g| g.severity == severity && g.kind == kind)
    {
        Some(group) => group.lines.push((line, message)),
        None => groups.push(ProblemGroup {
            severity,
            kind: kind.to_string(),
            lines: vec![(line, message)],
        }),
    };
    for row in &report.rows {
        match &row.outcome {
            RowOutcome::Error(e) => add(Severity::Error, e.kind(), row.line, e.to_string()),
            RowOutcome::Skipped(s) => add(Severity::Skipped, s.kind(), row.line, s.to_string()),
            RowOutcome::Scored(_) | RowOutcome::NotJudged => {}
        }
        match row.oa {
            OaOutcome::Unreadable => add(
                Severity::Verdict,
                "unreadable model verdict (counted as wrong)",
                row.line,
                "the model's label and generated text name no readable verdict".into(),
            ),
            OaOutcome::NoHumanVerdict => add(
                Severity::Verdict,
                "no human verdict (not counted for OA)",
                row.line,
                "the human verdict field is missing or unreadable".into(),
            ),
            _ => {}
        }
    }
    groups.sort_by_key(|g| g.severity);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::load;
    use crate::engine::summary::{evaluate, Options};

    #[test]
    fn groups_rows_by_kind_with_their_lines() {
        let text = concat!(
            r#"{"samples": [], "metadata": {"human-checklist": ["h"], "m-checklist": ["s"], "m-label": "x", "overall_preference": 1}}"#,
            "\nnot json\n",
            r#"{"samples": [{"generated_text": "none"}], "metadata": {"human-checklist": ["h"], "m-checklist": ["s"]}}"#,
            "\n",
            r#"{"samples": [], "metadata": {"human-checklist": ["h"], "m-checklist": ["s"]}}"#,
            "\n",
            r#"{"samples": [{"generated_text": "<RESULT_START>- R1@S1: 1<RESULT_END>"}], "metadata": {"human-checklist": ["h"], "m-checklist": []}}"#,
        );
        let file = load("t", text.as_bytes());
        assert_eq!(
            file_problems(&file)[0].lines,
            vec![(2, "not valid JSON: expected ident at column 2".to_string())]
        );
        let report = evaluate(&file, 0, &Options::default());
        let groups = report_problems(&report);
        let summary: Vec<(Severity, &str, Vec<usize>)> = groups
            .iter()
            .map(|g| {
                (
                    g.severity,
                    g.kind.as_str(),
                    g.lines.iter().map(|l| l.0).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (Severity::Error, "no judge answer", vec![1, 4]),
                (
                    Severity::Error,
                    "no RESULT block in the judge answer",
                    vec![3]
                ),
                (Severity::Skipped, "empty model checklist", vec![5]),
                (
                    Severity::Verdict,
                    "unreadable model verdict (counted as wrong)",
                    vec![1]
                ),
            ]
        );
    }
}
