//! The leaderboard's columns: what each shows, how it is named and explained, how it sorts.

use crate::engine::export::FlatReport;

/// One column of figures.
#[derive(Clone, Copy)]
pub struct Column {
    /// The JSON name of the figure (as in `metajudge score --json`).
    pub key: &'static str,
    pub title: &'static str,
    pub help: &'static str,
    pub value: fn(&FlatReport) -> Option<f64>,
    pub interval: fn(&FlatReport) -> Option<[f64; 2]>,
    /// Counts are shown as whole numbers.
    pub count: bool,
}

const fn figure(
    key: &'static str,
    title: &'static str,
    help: &'static str,
    value: fn(&FlatReport) -> Option<f64>,
    interval: fn(&FlatReport) -> Option<[f64; 2]>,
) -> Column {
    Column {
        key,
        title,
        help,
        value,
        interval,
        count: false,
    }
}

const fn count(
    key: &'static str,
    title: &'static str,
    help: &'static str,
    value: fn(&FlatReport) -> Option<f64>,
) -> Column {
    Column {
        key,
        title,
        help,
        value,
        interval: |_| None,
        count: true,
    }
}

/// Every column, in display order.
pub const COLUMNS: &[Column] = &[
    figure(
        "rc",
        "RC",
        "Rationale consistency: mean one-to-one recall (the paper's metric)",
        |r| r.rc,
        |r| r.intervals.rc,
    ),
    figure(
        "oa",
        "OA",
        "Outcome accuracy: share of rows where the model picked the human's choice",
        |r| r.oa,
        |r| r.intervals.oa,
    ),
    figure(
        "recall",
        "Recall (script)",
        "Mean recall as metajudge_analysis.py computes it (R items may share an S)",
        |r| r.recall,
        |r| r.intervals.recall,
    ),
    figure(
        "precision",
        "Precision",
        "Mean precision (script)",
        |r| r.precision,
        |r| r.intervals.precision,
    ),
    figure("f1", "F1", "Mean F1 (script)", |r| r.f1, |r| r.intervals.f1),
    figure(
        "ap",
        "AP (script)",
        "Mean average precision as the script computes it",
        |r| r.ap,
        |r| r.intervals.ap,
    ),
    figure(
        "ap_paper",
        "AP (paper)",
        "Mean average precision over the one-to-one matching (paper Eq. 3)",
        |r| r.ap_paper,
        |r| r.intervals.ap_paper,
    ),
    figure(
        "precision_std",
        "P std",
        "Population standard deviation of precision",
        |r| r.precision_std,
        |_| None,
    ),
    figure(
        "recall_std",
        "R std",
        "Population standard deviation of recall (script)",
        |r| r.recall_std,
        |_| None,
    ),
    count("total", "Rows", "Rows that parsed", |r| {
        Some(r.total as f64)
    }),
    count("valid", "Valid", "Rows scored", |r| Some(r.valid as f64)),
    count(
        "errors",
        "Errors",
        "Rows whose judge answer or checklists could not be scored",
        |r| Some(r.errors as f64),
    ),
    count(
        "skipped",
        "Skipped",
        "Rows left out: model checklist empty or longer than the maximum",
        |r| Some(r.skipped as f64),
    ),
    count(
        "oa_rows",
        "OA rows",
        "Rows counted for OA (both verdicts present; human ties left out unless counted)",
        |r| Some(r.oa_rows as f64),
    ),
];

/// A figure as shown: three decimals, a dash when it cannot be computed.
pub fn show(value: Option<f64>, count: bool) -> String {
    match value {
        None => "–".into(),
        Some(v) if count => format!("{v:.0}"),
        Some(v) => format!("{v:.3}"),
    }
}

/// A 95% interval as shown under its figure.
pub fn show_interval(interval: Option<[f64; 2]>) -> Option<String> {
    interval.map(|[lo, hi]| format!("{lo:.3}–{hi:.3}"))
}
