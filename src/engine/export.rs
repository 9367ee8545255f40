//! Model reports -> the flat records that leave the engine: the command line's `--json`, the
//! page's figures for tests, and the leaderboard downloads.

use serde::{Deserialize, Serialize};

use super::summary::{Figures, ModelReport, Stat};

/// One (file, model) pair, flattened. A figure that cannot be computed is `None` (JSON `null`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlatReport {
    pub file: String,
    pub model: String,
    pub kind: Option<String>,
    /// Rows that parsed.
    pub total: usize,
    pub valid: usize,
    pub errors: usize,
    pub skipped: usize,
    /// Data-set rows: no judge answer yet.
    pub not_judged: usize,
    /// Lines that are not JSON objects, counted apart from `total`.
    pub bad_lines: usize,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    pub ap: Option<f64>,
    pub precision_std: Option<f64>,
    pub recall_std: Option<f64>,
    /// Rationale consistency: the mean one-to-one recall.
    pub rc: Option<f64>,
    pub ap_paper: Option<f64>,
    pub oa: Option<f64>,
    /// Rows in OA's denominator.
    pub oa_rows: usize,
    pub oa_correct: usize,
    pub oa_unreadable: usize,
    pub oa_ties_excluded: usize,
    /// 95% bootstrap intervals `[lo, hi]` of each mean that exists.
    pub intervals: Intervals,
}

/// Bootstrap intervals of the means of a [`FlatReport`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Intervals {
    pub precision: Option<[f64; 2]>,
    pub recall: Option<[f64; 2]>,
    pub f1: Option<[f64; 2]>,
    pub ap: Option<[f64; 2]>,
    pub rc: Option<[f64; 2]>,
    pub ap_paper: Option<[f64; 2]>,
    pub oa: Option<[f64; 2]>,
}

impl FlatReport {
    /// Flattens the overall figures of one report.
    pub fn new(report: &ModelReport) -> Self {
        let f: &Figures = &report.figures;
        let mean = |s: Option<Stat>| s.map(|s| s.mean);
        let interval = |s: Option<Stat>| s.map(|s| [s.lo, s.hi]);
        FlatReport {
            file: report.file.clone(),
            model: report.model.clone(),
            kind: report.kind.map(|k| format!("{k:?}").to_lowercase()),
            total: f.n_total,
            valid: f.n_valid,
            errors: f.n_errors,
            skipped: f.n_skipped,
            not_judged: f.n_not_judged,
            bad_lines: report.n_bad_lines,
            precision: mean(f.precision),
            recall: mean(f.recall),
            f1: mean(f.f1),
            ap: mean(f.ap),
            precision_std: f.precision_std,
            recall_std: f.recall_std,
            rc: mean(f.rc),
            ap_paper: mean(f.ap_paper),
            oa: mean(f.oa),
            oa_rows: f.oa_tally.counted,
            oa_correct: f.oa_tally.correct,
            oa_unreadable: f.oa_tally.unreadable,
            oa_ties_excluded: f.oa_tally.ties_excluded,
            intervals: Intervals {
                precision: interval(f.precision),
                recall: interval(f.recall),
                f1: interval(f.f1),
                ap: interval(f.ap),
                rc: interval(f.rc),
                ap_paper: interval(f.ap_paper),
                oa: interval(f.oa),
            },
        }
    }
}

/// The reports as a pretty JSON array.
pub fn to_json(reports: &[ModelReport]) -> String {
    let flat: Vec<FlatReport> = reports.iter().map(FlatReport::new).collect();
    // Serialising plain structs of numbers and strings cannot fail.
    serde_json::to_string_pretty(&flat).unwrap_or_default()
}
