//! Model reports -> the flat record that leaves the engine: the command line's `--json`, the
//! page's figures, the share link, and every download are made of [`FlatReport`]s.

use serde::{Deserialize, Serialize};

use crate::engine::figure::{Figure, Reading};
use crate::engine::summary::{ModelReport, Stat};

/// One (file, model) pair, flattened. A figure that cannot be computed is `None` (JSON `null`).
///
/// The fields and their order are the documented JSON shape of `metajudge score --json`; a new
/// figure is a new field here and one arm in each of [`FlatReport::get`] and
/// [`FlatReport::set`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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
    /// Among correct-verdict rows with RC, the share whose RC is below the threshold.
    #[serde(default)]
    pub right_for_wrong_reasons: Option<f64>,
    /// For a model judged in both orders, the share of rows whose verdict stays the same.
    #[serde(default)]
    pub position_consistency: Option<f64>,
    /// Rows in OA's denominator.
    pub oa_rows: usize,
    pub oa_correct: usize,
    pub oa_unreadable: usize,
    pub oa_ties_excluded: usize,
    /// 95% bootstrap intervals `[lo, hi]` of each mean that exists.
    pub intervals: Intervals,
    /// The intervals are still being computed (the page's engine worker): not part of the
    /// JSON shape.
    #[serde(skip)]
    pub intervals_pending: bool,
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
    #[serde(default)]
    pub right_for_wrong_reasons: Option<[f64; 2]>,
    #[serde(default)]
    pub position_consistency: Option<[f64; 2]>,
}

impl FlatReport {
    /// Flattens the overall figures of one report.
    pub fn new(report: &ModelReport) -> Self {
        let mut flat = FlatReport {
            file: report.file.clone(),
            model: report.model.clone(),
            kind: report.kind.map(|k| format!("{k:?}").to_lowercase()),
            intervals_pending: report.intervals_pending,
            ..FlatReport::default()
        };
        for figure in Figure::ALL {
            flat.set(figure, figure.of(report));
        }
        flat
    }

    /// One figure's value and interval.
    pub fn get(&self, figure: Figure) -> Reading {
        let i = &self.intervals;
        let mean = |value, interval| Reading { value, interval };
        let count = Reading::count;
        match figure {
            Figure::Rc => mean(self.rc, i.rc),
            Figure::Oa => mean(self.oa, i.oa),
            Figure::RightForWrongReasons => {
                mean(self.right_for_wrong_reasons, i.right_for_wrong_reasons)
            }
            Figure::PositionConsistency => mean(self.position_consistency, i.position_consistency),
            Figure::ScriptRecall => mean(self.recall, i.recall),
            Figure::Precision => mean(self.precision, i.precision),
            Figure::F1 => mean(self.f1, i.f1),
            Figure::Ap => mean(self.ap, i.ap),
            Figure::ApPaper => mean(self.ap_paper, i.ap_paper),
            Figure::PrecisionStd => Reading::number(self.precision_std),
            Figure::RecallStd => Reading::number(self.recall_std),
            Figure::Total => count(self.total),
            Figure::Valid => count(self.valid),
            Figure::Errors => count(self.errors),
            Figure::Skipped => count(self.skipped),
            Figure::NotJudged => count(self.not_judged),
            Figure::BadLines => count(self.bad_lines),
            Figure::OaRows => count(self.oa_rows),
            Figure::OaCorrect => count(self.oa_correct),
            Figure::OaUnreadable => count(self.oa_unreadable),
            Figure::OaTiesExcluded => count(self.oa_ties_excluded),
        }
    }

    /// Sets one figure; a count takes the reading's whole value, a standard deviation its value
    /// alone.
    pub fn set(&mut self, figure: Figure, reading: Reading) {
        let i = &mut self.intervals;
        let Reading { value, interval } = reading;
        let count = reading.as_count();
        match figure {
            Figure::Rc => (self.rc, i.rc) = (value, interval),
            Figure::Oa => (self.oa, i.oa) = (value, interval),
            Figure::RightForWrongReasons => {
                (self.right_for_wrong_reasons, i.right_for_wrong_reasons) = (value, interval)
            }
            Figure::PositionConsistency => {
                (self.position_consistency, i.position_consistency) = (value, interval)
            }
            Figure::ScriptRecall => (self.recall, i.recall) = (value, interval),
            Figure::Precision => (self.precision, i.precision) = (value, interval),
            Figure::F1 => (self.f1, i.f1) = (value, interval),
            Figure::Ap => (self.ap, i.ap) = (value, interval),
            Figure::ApPaper => (self.ap_paper, i.ap_paper) = (value, interval),
            Figure::PrecisionStd => self.precision_std = value,
            Figure::RecallStd => self.recall_std = value,
            Figure::Total => self.total = count,
            Figure::Valid => self.valid = count,
            Figure::Errors => self.errors = count,
            Figure::Skipped => self.skipped = count,
            Figure::NotJudged => self.not_judged = count,
            Figure::BadLines => self.bad_lines = count,
            Figure::OaRows => self.oa_rows = count,
            Figure::OaCorrect => self.oa_correct = count,
            Figure::OaUnreadable => self.oa_unreadable = count,
            Figure::OaTiesExcluded => self.oa_ties_excluded = count,
        }
    }

    /// One figure's value alone.
    pub fn value(&self, figure: Figure) -> Option<f64> {
        self.get(figure).value
    }
}

impl Figure {
    /// The figure's mean and interval in a flat report, as the charts draw it.
    pub fn stat(self, report: &FlatReport) -> Option<Stat> {
        report.get(self).as_stat()
    }
}

/// The reports as a pretty JSON array.
pub fn to_json(reports: &[ModelReport]) -> String {
    let flat: Vec<FlatReport> = reports.iter().map(FlatReport::new).collect();
    flat_to_json(&flat)
}

/// Flat reports as a pretty JSON array (the same shape as `metajudge score --json`).
pub fn flat_to_json(rows: &[FlatReport]) -> String {
    // Serialising plain structs of numbers and strings cannot fail.
    serde_json::to_string_pretty(rows).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::figure::Kind;

    /// A report whose every figure has a value of its own, so that a mix-up shows.
    fn distinct() -> FlatReport {
        let mut report = FlatReport::default();
        for (figure, n) in Figure::ALL.into_iter().zip(1u32..) {
            let x = f64::from(n);
            let reading = match figure.kind() {
                Kind::Mean => Reading {
                    value: Some(x / 100.0),
                    interval: Some([x / 100.0 - 0.01, x / 100.0 + 0.02]),
                },
                Kind::Spread => Reading::number(Some(x / 1000.0)),
                Kind::Count | Kind::Tally => Reading::count(n as usize),
            };
            report.set(figure, reading);
        }
        report
    }

    #[test]
    fn every_figure_is_its_own_json_field() {
        let report = distinct();
        let json = serde_json::to_value(&report).expect("plain data");
        let object = json.as_object().expect("an object");
        for figure in Figure::ALL {
            let reading = report.get(figure);
            let key = figure.key();
            assert_eq!(object[key].as_f64(), reading.value, "{key}");
            let interval = &json["intervals"][key];
            match figure.kind() {
                Kind::Mean => assert_eq!(
                    serde_json::from_value::<Option<[f64; 2]>>(interval.clone()).ok(),
                    Some(reading.interval),
                    "{key}"
                ),
                _ => assert!(interval.is_null() && reading.interval.is_none(), "{key}"),
            }
        }
        // Besides the figures, only the names and the intervals.
        let mut others: Vec<&str> = object
            .keys()
            .map(String::as_str)
            .filter(|k| Figure::from_key(k).is_none())
            .collect();
        others.sort_unstable();
        assert_eq!(others, ["file", "intervals", "kind", "model"]);
        let means = Figure::ALL
            .iter()
            .filter(|f| f.kind() == Kind::Mean)
            .count();
        assert_eq!(json["intervals"].as_object().map(|i| i.len()), Some(means));
    }

    #[test]
    fn a_figure_reads_back_what_was_set() {
        let report = distinct();
        let mut copy = FlatReport::default();
        for figure in Figure::ALL {
            copy.set(figure, report.get(figure));
        }
        assert_eq!(copy, report);
    }
}
