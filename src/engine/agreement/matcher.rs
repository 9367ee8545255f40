//! Matcher agreement (SPEC section 10, the paper's Figure 2a): the same models matched by two
//! matchers, compared across models (line, R^2, RMSE, rank correlations of RC) and across rows
//! per model (mean |dRC|, weighted kappa of the item scores, the rows that differ most).

use serde::{Deserialize, Serialize};

use super::error::{AgreementError, Side, MIN_MODELS};
use super::fit::{fit_line, LineFit};
use super::join::{join_rows, JoinKey};
use super::kappa::{item_scores, level, weighted_kappa};
use super::measure::{Measure, Undefined};
use super::rank::{kendall_tau_b, spearman};
use crate::engine::dataset::{Answer, Checklist, FileKind, LoadedFile, Record};
use crate::engine::json::value_text;
use crate::engine::metrics::{RowOutcome, MAX_ORIGINAL_ITEMS};
use crate::engine::stats::mean;
use crate::engine::summary::{evaluate, ModelReport, Options};

/// What a matcher agreement depends on besides the files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgreementOptions {
    /// How rows are scored (maximum checklist length; intervals are not used here).
    pub scoring: Options,
    /// How many of the rows that differ most each model keeps for the page's list.
    pub most_differing: usize,
}

impl Default for AgreementOptions {
    fn default() -> Self {
        AgreementOptions {
            scoring: Options {
                resamples: 0,
                ..Options::default()
            },
            most_differing: 10,
        }
    }
}

/// Two matchers compared on the models both scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatcherAgreement {
    /// The models on both sides with RC from both matchers, in matcher A's order: the points
    /// of the scatter and the values of the figures below.
    pub models: Vec<String>,
    /// RC by matcher A (x) and B (y) of each of `models`.
    pub rc_a: Vec<f64>,
    pub rc_b: Vec<f64>,
    /// The least-squares line of B's RC on A's, its R^2 and the RMSE of B - A.
    pub fit: LineFit,
    pub spearman: Measure,
    pub kendall_tau_b: Measure,
    /// Every model on both sides (those without RC on a side included), in matcher A's order.
    pub per_model: Vec<ModelAgreement>,
    /// Models only one matcher scored, left out.
    pub only_a: Vec<String>,
    pub only_b: Vec<String>,
}

/// One model scored by both matchers, compared row by row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelAgreement {
    pub model: String,
    pub file_a: String,
    pub file_b: String,
    /// The model's RC by each matcher over all the rows each scored (the leaderboard's RC).
    pub rc_a: Option<f64>,
    pub rc_b: Option<f64>,
    pub joined_by: JoinKey,
    /// Rows of the two files joined, and rows of each left without a partner.
    pub n_joined: usize,
    pub n_only_a: usize,
    pub n_only_b: usize,
    /// Joined rows that both matchers scored (neither an error nor skipped).
    pub rows: usize,
    /// (row, human item) pairs of those rows: the pairs kappa compares.
    pub items: usize,
    /// The mean over `rows` of |RC by A - RC by B| of the row.
    pub mean_abs_diff: Measure,
    /// Cohen's weighted kappa (quadratic weights) of the item scores rounded to the five levels.
    pub kappa_w: Measure,
    /// The rows where the two matchers' RC differ most, largest difference first.
    pub most_different: Vec<RowDifference>,
}

/// One joined row and both matchers' RC of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowDifference {
    /// Indices into each file's records (what the sample view opens).
    pub record_a: usize,
    pub record_b: usize,
    /// 1-based lines in each file.
    pub line_a: usize,
    pub line_b: usize,
    /// The row's `id`, when it has one.
    pub id: Option<String>,
    pub rc_a: f64,
    pub rc_b: f64,
}

impl RowDifference {
    /// |RC by A - RC by B|.
    pub fn abs_diff(&self) -> f64 {
        (self.rc_a - self.rc_b).abs()
    }
}

/// Compares matcher A's judged files with matcher B's: files are joined by the name of the
/// model they judged (without case), rows by `id`, else by the human checklist.
///
/// Errors: a file that is not a judged file, a model twice on one side, and fewer than
/// [`MIN_MODELS`] models with RC from both matchers.
pub fn matcher_agreement(
    files_a: &[LoadedFile],
    files_b: &[LoadedFile],
    options: &AgreementOptions,
) -> Result<MatcherAgreement, AgreementError> {
    let side_a = judged_models(files_a, Side::A)?;
    let side_b = judged_models(files_b, Side::B)?;
    let mut per_model = Vec::new();
    let mut only_a = Vec::new();
    for (name, file_a, idx_a) in &side_a {
        let found = side_b
            .iter()
            .find(|(other, _, _)| other.to_lowercase() == name.to_lowercase());
        match found {
            Some((_, file_b, idx_b)) => {
                per_model.push(compare_model((file_a, *idx_a), (file_b, *idx_b), options))
            }
            None => only_a.push(name.clone()),
        }
    }
    let only_b = side_b
        .iter()
        .filter(|(name, _, _)| {
            !side_a
                .iter()
                .any(|(other, _, _)| other.to_lowercase() == name.to_lowercase())
        })
        .map(|(name, _, _)| name.clone())
        .collect();
    let scored: Vec<(&str, f64, f64)> = per_model
        .iter()
        .filter_map(|m| Some((m.model.as_str(), m.rc_a?, m.rc_b?)))
        .collect();
    if scored.len() < MIN_MODELS {
        return Err(AgreementError::TooFewModels {
            models: scored.iter().map(|(name, _, _)| name.to_string()).collect(),
        });
    }
    let rc_a: Vec<f64> = scored.iter().map(|s| s.1).collect();
    let rc_b: Vec<f64> = scored.iter().map(|s| s.2).collect();
    Ok(MatcherAgreement {
        models: scored.iter().map(|s| s.0.to_string()).collect(),
        fit: fit_line(&rc_a, &rc_b),
        spearman: spearman(&rc_a, &rc_b),
        kendall_tau_b: kendall_tau_b(&rc_a, &rc_b),
        rc_a,
        rc_b,
        per_model,
        only_a,
        only_b,
    })
}

/// The judged model of each file of one side: `(name, file, model index)`.
fn judged_models(
    files: &[LoadedFile],
    side: Side,
) -> Result<Vec<(String, &LoadedFile, usize)>, AgreementError> {
    let mut out: Vec<(String, &LoadedFile, usize)> = Vec::new();
    for file in files {
        let idx = match (file.kind, file.judged_model) {
            (Some(FileKind::Judged), Some(idx)) => idx,
            _ => {
                return Err(AgreementError::NotJudged {
                    file: file.name.clone(),
                })
            }
        };
        let name = file.models.get(idx).cloned().unwrap_or_default();
        if let Some((_, first, _)) = out
            .iter()
            .find(|(other, _, _)| other.to_lowercase() == name.to_lowercase())
        {
            return Err(AgreementError::DuplicateModel {
                side,
                model: name,
                first: first.name.clone(),
                second: file.name.clone(),
            });
        }
        out.push((name, file, idx));
    }
    Ok(out)
}

/// One model's rows compared.
fn compare_model(
    (file_a, idx_a): (&LoadedFile, usize),
    (file_b, idx_b): (&LoadedFile, usize),
    options: &AgreementOptions,
) -> ModelAgreement {
    let report_a = evaluate(file_a, idx_a, &options.scoring);
    let report_b = evaluate(file_b, idx_b, &options.scoring);
    let joined = join_rows(file_a, file_b);
    let mut differences = Vec::new();
    let mut levels = Vec::new();
    for &(ra, rb) in &joined.pairs {
        let (Some(rc_a), Some(rc_b)) = (row_rc(&report_a, ra), row_rc(&report_b, rb)) else {
            continue;
        };
        let (record_a, record_b) = (&file_a.records[ra], &file_b.records[rb]);
        let items_a = row_items(record_a, idx_a).unwrap_or_default();
        let items_b = row_items(record_b, idx_b).unwrap_or_default();
        levels.extend(
            items_a
                .iter()
                .zip(&items_b)
                .map(|(&a, &b)| (level(a), level(b))),
        );
        differences.push(RowDifference {
            record_a: ra,
            record_b: rb,
            line_a: record_a.line,
            line_b: record_b.line,
            id: record_a.field("id").map(value_text),
            rc_a,
            rc_b,
        });
    }
    let abs: Vec<f64> = differences.iter().map(RowDifference::abs_diff).collect();
    let mean_abs_diff = if abs.is_empty() {
        Err(Undefined::NoValues)
    } else {
        Ok(mean(&abs))
    };
    let rows = differences.len();
    differences.sort_by(|x, y| {
        y.abs_diff()
            .total_cmp(&x.abs_diff())
            .then(x.record_a.cmp(&y.record_a))
    });
    differences.truncate(options.most_differing);
    ModelAgreement {
        model: report_a.model.clone(),
        file_a: file_a.name.clone(),
        file_b: file_b.name.clone(),
        rc_a: report_a.figures.rc.map(|s| s.mean),
        rc_b: report_b.figures.rc.map(|s| s.mean),
        joined_by: joined.key,
        n_joined: joined.pairs.len(),
        n_only_a: joined.n_only_a,
        n_only_b: joined.n_only_b,
        rows,
        items: levels.len(),
        mean_abs_diff,
        kappa_w: weighted_kappa(&levels),
        most_different: differences,
    }
}

/// The RC of one row of a report, when the row was scored.
fn row_rc(report: &ModelReport, record_idx: usize) -> Option<f64> {
    match &report.rows.get(record_idx)?.outcome {
        RowOutcome::Scored(scores) => Some(scores.rc),
        _ => None,
    }
}

/// The human items' scores of a scored row (see [`item_scores`]).
fn row_items(record: &Record, model_idx: usize) -> Option<Vec<f64>> {
    let Some(Answer::Given(reply)) = &record.answer else {
        return None;
    };
    let (Some(Checklist::Items(human)), Some(Checklist::Items(model))) = (
        record.human.as_ref(),
        record.column(model_idx)?.checklist.as_ref(),
    ) else {
        return None;
    };
    let n_orig = model.len().min(MAX_ORIGINAL_ITEMS);
    Some(item_scores(&reply.triples, human.len(), n_orig))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::load;

    /// A judged file of `model`: one line per `(id, answer lines)`, each row with two human
    /// items and two model items.
    fn judged(name: &str, model: &str, rows: &[(u32, &str)]) -> LoadedFile {
        let mut text = String::new();
        for (id, lines) in rows {
            let row = serde_json::json!({
                "prompt": "p",
                "samples": [{"generated_text": format!("<RESULT_START>\n{lines}\n<RESULT_END>")}],
                "status": "success",
                "metadata": {
                    "id": id,
                    "human-checklist": [format!("h{id}a"), format!("h{id}b")],
                    format!("{model}-checklist"): ["s1", "s2"],
                },
            });
            text.push_str(&row.to_string());
            text.push('\n');
        }
        load(name, text.as_bytes())
    }

    fn sides() -> (Vec<LoadedFile>, Vec<LoadedFile>) {
        let a = vec![
            judged(
                "a1",
                "m1",
                &[
                    (1, "- R1@S1: 1\n- R2@S2: 0.5"),
                    (2, "- R1@S1: 0.25\n- R2@S0: 0"),
                ],
            ),
            judged(
                "a2",
                "m2",
                &[(1, "- R1@S1: 1\n- R2@S2: 1"), (2, "- R1@S1: 1\n- R2@S2: 1")],
            ),
            judged("a3", "m3", &[(1, "- R1@S0: 0\n- R2@S0: 0")]),
            judged("a4", "only-a", &[(1, "- R1@S0: 0\n- R2@S0: 0")]),
        ];
        let b = vec![
            // Rows in the other order: joined by id.
            judged(
                "b1",
                "M1",
                &[
                    (2, "- R1@S1: 0.25\n- R2@S0: 0"),
                    (1, "- R1@S1: 1\n- R2@S0: 0"),
                ],
            ),
            // Row 2 is an error for matcher B (one line short), so only row 1 compares.
            judged(
                "b2",
                "m2",
                &[(1, "- R1@S1: 1\n- R2@S2: 0.5"), (2, "- R1@S1: 1")],
            ),
            judged("b3", "m3", &[(1, "- R1@S1: 0.5\n- R2@S0: 0")]),
        ];
        (a, b)
    }

    #[test]
    fn figures_match_the_hand_computation() {
        let (a, b) = sides();
        let got = matcher_agreement(&a, &b, &AgreementOptions::default()).expect("3 models");
        assert_eq!(got.models, ["m1", "m2", "m3"]);
        assert_eq!(
            (got.only_a.clone(), got.only_b.clone()),
            (vec!["only-a".to_string()], vec![])
        );
        // RC per model: m1 A (0.75 + 0.125) / 2, B (0.5 + 0.125) / 2; m2 A 1, B 0.75 (row 2
        // an error); m3 A 0, B 0.25.
        assert_eq!(got.rc_a, [0.4375, 1.0, 0.0]);
        assert_eq!(got.rc_b, [0.3125, 0.75, 0.25]);
        assert_eq!(got.fit, fit_line(&got.rc_a, &got.rc_b));
        assert_eq!((got.spearman, got.kendall_tau_b), (Ok(1.0), Ok(1.0)));

        let m1 = &got.per_model[0];
        assert_eq!(
            (m1.joined_by, m1.n_joined, m1.rows, m1.items),
            (JoinKey::Id, 2, 2, 4)
        );
        // |dRC|: row 1 0.75 vs 0.5, row 2 equal: (0.25 + 0) / 2.
        assert_eq!(m1.mean_abs_diff, Ok(0.125));
        // Levels (A, B): row 1 (4, 4) (2, 0), row 2 (1, 1) (0, 0). Observed: (2, 0) weight
        // 4/16 at share 1/4 = 1/16. Margins A: 1/4 on 0 1 2 4; B: 1/2 on 0, 1/4 on 1 and 4.
        // Expected, sum over i of a_i * sum over j of b_j (i - j)^2 = (4.25 + 2.75 + 3.25 +
        // 10.25) / 4 = 5.125, over 16 = 41/128. Kappa = 1 - (8/128) / (41/128) = 33/41.
        match m1.kappa_w {
            Ok(k) => assert!((k - 33.0 / 41.0).abs() < 1e-12, "{k}"),
            other => panic!("{other:?}"),
        }
        let first = &m1.most_different[0];
        assert_eq!(
            (first.id.as_deref(), first.rc_a, first.rc_b),
            (Some("1"), 0.75, 0.5)
        );
        assert_eq!((first.record_a, first.record_b, first.line_b), (0, 1, 2));

        let m2 = &got.per_model[1];
        assert_eq!((m2.rows, m2.items, m2.mean_abs_diff), (1, 2, Ok(0.25)));
        // Levels (4, 4) (4, 2): B spreads over two levels, so kappa is defined, though A
        // gave one level only.
        assert_eq!(m2.kappa_w, Ok(0.0));
    }

    #[test]
    fn one_level_kappa_is_undefined() {
        let row = [(1, "- R1@S1: 1\n- R2@S2: 1")];
        let a = vec![
            judged("a", "m1", &row),
            judged("a2", "m2", &row),
            judged("a3", "m3", &row),
        ];
        let b = vec![
            judged("b", "m1", &row),
            judged("b2", "m2", &row),
            judged("b3", "m3", &row),
        ];
        let got = matcher_agreement(&a, &b, &AgreementOptions::default()).expect("3 models");
        assert_eq!(got.per_model[0].kappa_w, Err(Undefined::OneLevel));
        // Every RC is 1 on both sides: constant x.
        assert_eq!(got.fit.slope, Err(Undefined::ConstantX));
        assert_eq!(got.spearman, Err(Undefined::AllTied));
    }

    #[test]
    fn too_few_models_or_files_that_are_not_judged_are_errors() {
        let (a, b) = sides();
        let got = matcher_agreement(&a[..2], &b, &AgreementOptions::default());
        assert_eq!(
            got.map_err(|e| e.to_string()),
            Err("agreement needs at least 3 models with RC on both sides; found 2 (m1, m2)".into())
        );
        let dataset = load(
            "d.jsonl",
            b"{\"human-checklist\": [\"h\"], \"m-checklist\": [\"s\"]}\n",
        );
        assert_eq!(
            matcher_agreement(&[dataset], &b, &AgreementOptions::default()),
            Err(AgreementError::NotJudged {
                file: "d.jsonl".into()
            })
        );
        let twice = vec![
            a[0].clone(),
            judged("again", "M1", &[(1, "- R1@S0: 0\n- R2@S0: 0")]),
        ];
        assert!(matches!(
            matcher_agreement(&twice, &b, &AgreementOptions::default()),
            Err(AgreementError::DuplicateModel { side: Side::A, .. })
        ));
    }
}
