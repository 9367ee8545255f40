//! Matcher panels (SPEC section 10, "ensembles"): each (row, model) scored by the mean of
//! several matchers' scores over the matchers whose answer for the row is valid. A row with
//! fewer valid answers than the panel requires is an error named "ensemble incomplete", never
//! quietly scored by a smaller panel. The result is a model report like any other.

use serde::{Deserialize, Serialize};

use super::agreement::join_rows;
use super::dataset::{FileKind, LoadedFile};
use super::metrics::{RowError, RowOutcome, RowScores};
use super::summary::{evaluate, report_of_rows, ModelReport, Options, RowResult};

/// A panel's report and what it left out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnsembleReport {
    /// Named `<model> · panel of <n>`, over the first file's rows (whose sample view it opens).
    pub report: ModelReport,
    pub n_matchers: usize,
    /// Valid answers a row needed.
    pub required: usize,
    /// The rows that are errors because the panel was incomplete, in the first file's order.
    pub incomplete: Vec<IncompleteRow>,
}

/// A row the panel could not score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncompleteRow {
    /// Index into the first file's records, and its 1-based line.
    pub record_idx: usize,
    pub line: usize,
    /// Matchers whose answer for the row is valid.
    pub valid: usize,
}

/// Why a panel cannot be formed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EnsembleError {
    #[error("the matcher panel is empty: choose at least one judged file")]
    EmptyPanel,
    #[error("{file}: not a judged file (no judge answers), so it cannot be in a matcher panel")]
    NotJudged { file: String },
    #[error("{file} judged {found:?}, but the panel is of {model:?}: a panel scores one model")]
    MixedModels {
        file: String,
        found: String,
        model: String,
    },
    #[error("a panel of {panel} cannot require {required} valid answers (1 to {panel})")]
    Required { required: usize, panel: usize },
}

/// The name a panel's report goes by: `model · panel of 3`.
pub fn panel_name(model: &str, n_matchers: usize) -> String {
    format!("{model} \u{b7} panel of {n_matchers}")
}

/// Scores one model by a panel of matchers: `panel` holds one judged file of that model per
/// matcher, rows joined to the first file's by `id`, else by the human checklist. `required`
/// valid answers make a row (`None`: every matcher's). Each per-row score is the mean of the
/// valid matchers' (RC, the one-to-one recall, as SPEC 10 says; the other scores alike); a row
/// the first file skips (empty or too long model checklist) is skipped; outcome accuracy is
/// the first file's (the verdicts are the model's, the same in every file).
pub fn ensemble(
    panel: &[LoadedFile],
    required: Option<usize>,
    options: &Options,
) -> Result<EnsembleReport, EnsembleError> {
    let base = panel.first().ok_or(EnsembleError::EmptyPanel)?;
    let required = required.unwrap_or(panel.len());
    if required == 0 || required > panel.len() {
        return Err(EnsembleError::Required {
            required,
            panel: panel.len(),
        });
    }
    let model = judged_name(base)?;
    let mut reports = Vec::with_capacity(panel.len());
    for file in panel {
        let found = judged_name(file)?;
        if found.to_lowercase() != model.to_lowercase() {
            return Err(EnsembleError::MixedModels {
                file: file.name.clone(),
                found,
                model,
            });
        }
        let idx = file.judged_model.unwrap_or_default();
        reports.push(evaluate(file, idx, options));
    }
    // For each matcher, the row of its file joined to each row of the first file.
    let partners: Vec<Vec<Option<usize>>> = panel
        .iter()
        .map(|file| {
            let mut partner = vec![None; base.records.len()];
            for (a, b) in join_rows(base, file).pairs {
                partner[a] = Some(b);
            }
            partner
        })
        .collect();
    let mut incomplete = Vec::new();
    let rows: Vec<RowResult> = reports[0]
        .rows
        .iter()
        .map(|row| {
            let outcome = match &row.outcome {
                RowOutcome::Skipped(why) => RowOutcome::Skipped(why.clone()),
                _ => {
                    let valid: Vec<RowScores> = reports
                        .iter()
                        .zip(&partners)
                        .filter_map(|(report, partner)| {
                            match &report.rows.get(partner[row.record_idx]?)?.outcome {
                                RowOutcome::Scored(scores) => Some(*scores),
                                _ => None,
                            }
                        })
                        .collect();
                    if valid.len() >= required {
                        RowOutcome::Scored(mean_scores(&valid))
                    } else {
                        incomplete.push(IncompleteRow {
                            record_idx: row.record_idx,
                            line: row.line,
                            valid: valid.len(),
                        });
                        RowOutcome::Error(RowError::EnsembleIncomplete {
                            valid: valid.len(),
                            required,
                            panel: panel.len(),
                        })
                    }
                }
            };
            RowResult {
                outcome,
                ..row.clone()
            }
        })
        .collect();
    let name = panel_name(&model, panel.len());
    Ok(EnsembleReport {
        report: report_of_rows(base, &name, rows, options),
        n_matchers: panel.len(),
        required,
        incomplete,
    })
}

/// The model a judged file judged.
fn judged_name(file: &LoadedFile) -> Result<String, EnsembleError> {
    match (file.kind, file.judged_model) {
        (Some(FileKind::Judged), Some(idx)) => {
            Ok(file.models.get(idx).cloned().unwrap_or_default())
        }
        _ => Err(EnsembleError::NotJudged {
            file: file.name.clone(),
        }),
    }
}

/// The mean of each score over the matchers, added in panel order.
fn mean_scores(scores: &[RowScores]) -> RowScores {
    let n = scores.len() as f64;
    let mean = |field: fn(&RowScores) -> f64| scores.iter().map(field).sum::<f64>() / n;
    RowScores {
        precision: mean(|s| s.precision),
        recall: mean(|s| s.recall),
        f1: mean(|s| s.f1),
        ap: mean(|s| s.ap),
        rc: mean(|s| s.rc),
        ap_paper: mean(|s| s.ap_paper),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::load;

    /// A judged file of model `m`: one line per `(id, answer lines)`, two human items, two model
    /// items, the model's verdict right (A>B against a human -2).
    fn matcher(name: &str, rows: &[(u32, &str)]) -> LoadedFile {
        let mut text = String::new();
        for (id, lines) in rows {
            let row = serde_json::json!({
                "samples": [{"generated_text": format!("<RESULT_START>\n{lines}\n<RESULT_END>")}],
                "metadata": {
                    "id": id,
                    "human-checklist": ["h1", "h2"],
                    "m-checklist": ["s1", "s2"],
                    "m-label": "A>B",
                    "overall_preference": -2,
                },
            });
            text.push_str(&row.to_string());
            text.push('\n');
        }
        load(name, text.as_bytes())
    }

    fn panel() -> Vec<LoadedFile> {
        let full = "- R1@S1: 1\n- R2@S2: 1";
        let half = "- R1@S1: 1\n- R2@S0: 0";
        let none = "- R1@S0: 0\n- R2@S0: 0";
        vec![
            matcher("a", &[(1, full), (2, full), (3, full)]),
            // Row 3 is missing from this matcher's file; its rows are in another order.
            matcher("b", &[(2, half), (1, half)]),
            // Row 2 is an error for this matcher (one line short).
            matcher("c", &[(1, none), (2, "- R1@S1: 1"), (3, half)]),
        ]
    }

    /// Expected per-row RC of the panel (`None`: ensemble incomplete) and the rows listed.
    #[track_caller]
    fn check(required: Option<usize>, expected: &[Option<f64>], incomplete: &[(usize, usize)]) {
        let got = ensemble(&panel(), required, &Options::default()).expect("a panel");
        assert_eq!(got.report.model, "m \u{b7} panel of 3");
        let rcs: Vec<Option<f64>> = got
            .report
            .rows
            .iter()
            .map(|row| match &row.outcome {
                RowOutcome::Scored(scores) => Some(scores.rc),
                RowOutcome::Error(e) => {
                    assert_eq!(e.kind(), "ensemble incomplete");
                    None
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(rcs, expected);
        let listed: Vec<(usize, usize)> = got
            .incomplete
            .iter()
            .map(|r| (r.record_idx, r.valid))
            .collect();
        assert_eq!(listed, incomplete);
        assert_eq!(got.report.figures.n_errors, incomplete.len());
        // Outcome accuracy is the model's own, over every row.
        assert_eq!(got.report.figures.oa_tally.correct, 3);
    }

    #[test]
    fn rows_need_every_matcher_by_default() {
        // Row 1: RC 1, 0.5, 0 -> 0.5; rows 2 and 3 have 2 valid answers of 3.
        check(None, &[Some(0.5), None, None], &[(1, 2), (2, 2)]);
        // Two of three: row 2 (1 + 0.5) / 2, row 3 (1 + 0.5) / 2.
        check(Some(2), &[Some(0.5), Some(0.75), Some(0.75)], &[]);
        check(Some(1), &[Some(0.5), Some(0.75), Some(0.75)], &[]);
    }

    #[test]
    fn a_panel_that_cannot_be_formed_is_an_error() {
        let options = Options::default();
        assert_eq!(
            ensemble(&[], None, &options),
            Err(EnsembleError::EmptyPanel)
        );
        assert_eq!(
            ensemble(&panel(), Some(4), &options),
            Err(EnsembleError::Required {
                required: 4,
                panel: 3
            })
        );
        let dataset = load(
            "d",
            b"{\"human-checklist\": [\"h\"], \"m-checklist\": [\"s\"]}\n",
        );
        assert_eq!(
            ensemble(&[dataset], None, &options),
            Err(EnsembleError::NotJudged { file: "d".into() })
        );
        let other = load(
            "x",
            br#"{"samples": [], "metadata": {"id": 1, "human-checklist": ["h"], "other-checklist": ["s"]}}"#,
        );
        let mut mixed = panel();
        mixed.push(other);
        assert!(matches!(
            ensemble(&mixed, None, &options),
            Err(EnsembleError::MixedModels { .. })
        ));
    }

    #[test]
    fn a_panel_of_one_is_its_matcher() {
        let one = &panel()[..1];
        let got = ensemble(one, None, &Options::default()).expect("a panel");
        let alone = evaluate(&one[0], 0, &Options::default());
        assert_eq!(got.report.figures, alone.figures);
        assert_eq!(got.report.model, panel_name("m", 1));
    }
}
