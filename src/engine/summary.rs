//! Per-model figures: means, population standard deviations, counts, 95% bootstrap intervals
//! and breakdowns by a field (SPEC sections 5 and 6). The statistics themselves (numpy's sums,
//! percentiles, the bootstrap) live in `stats`.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::dataset::{FileKind, LoadedFile, Record};
use super::figures_job::{FigureRow, FiguresJob, JobFigures};
use super::metrics::{score_record, RowOutcome};
use super::pipeline::{pair_consistency, swap_twins};
use super::verdict::{oa_outcome, read_verdict, ModelVerdict, OaOutcome};

// Kept here for the readers that took them from this module first.
pub use super::figures_job::{
    figures, Figures, OaTally, Options, OA_STREAM, RFWR_STREAM, RFWR_THRESHOLD,
};
pub use super::stats::{bootstrap, mean, percentile, population_std, Stat};

/// One row's results for one model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowResult {
    pub record_idx: usize,
    pub line: usize,
    pub outcome: RowOutcome,
    pub oa: OaOutcome,
}

/// All figures of one model in one file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelReport {
    pub file: String,
    pub model: String,
    pub kind: Option<FileKind>,
    pub n_bad_lines: usize,
    pub figures: Figures,
    /// The same figures per value of `Options::group_by`, sorted by value.
    pub groups: Vec<(String, Figures)>,
    pub rows: Vec<RowResult>,
    /// The figures are final but their intervals are still being computed (a page shows the
    /// report before its bootstrap ends: [`evaluate_models_deferred`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub intervals_pending: bool,
}

impl ModelReport {
    /// This report with the figures of its job, computed elsewhere: its own position
    /// consistency (not part of the job) kept.
    pub fn with_figures(&self, computed: &JobFigures) -> ModelReport {
        let mut report = self.clone();
        report.set_figures(computed.clone());
        report
    }

    fn set_figures(&mut self, computed: JobFigures) {
        let position_consistency = self.figures.position_consistency;
        self.figures = computed.figures;
        self.figures.position_consistency = position_consistency;
        self.groups = computed.groups;
        self.intervals_pending = false;
    }

    /// The report of one group (its figures only, without rows): what a breakdown shows.
    pub fn group_part(&self, group: &str) -> Option<ModelReport> {
        let (_, figures) = self.groups.iter().find(|(g, _)| g == group)?;
        Some(ModelReport {
            file: self.file.clone(),
            model: self.model.clone(),
            kind: self.kind,
            n_bad_lines: 0,
            figures: figures.clone(),
            groups: Vec::new(),
            rows: Vec::new(),
            intervals_pending: self.intervals_pending,
        })
    }
}

/// The group name of rows without the grouping field.
pub const NO_GROUP: &str = "(none)";

/// Reports for every model each file scores, files in the order given.
pub fn evaluate_all(files: &[LoadedFile], options: &Options) -> Vec<ModelReport> {
    files
        .iter()
        .flat_map(|file| evaluate_models(file, &file.scored_models(), options))
        .collect()
}

/// The reports of the models `model_idxs` of `file`, in that order. The groups are read once
/// for all of them, not once per model: a data set may name thousands of models.
pub fn evaluate_models(
    file: &LoadedFile,
    model_idxs: &[usize],
    options: &Options,
) -> Vec<ModelReport> {
    let scoring = Scoring::new(file, options);
    model_idxs.iter().map(|&idx| scoring.report(idx)).collect()
}

/// A report shown before its intervals: its figures without intervals (means and counts
/// final), and the job that gives them with intervals ([`ModelReport::with_figures`]); no job
/// when intervals are off.
#[derive(Clone, Debug)]
pub struct Deferred {
    pub report: Arc<ModelReport>,
    pub job: Option<Arc<FiguresJob>>,
}

/// [`evaluate_models`] with the bootstrap left to the caller: what the page computes at once,
/// while the jobs run in its engine worker. Position consistency (for a model judged in both
/// orders) is computed here, intervals and all.
pub fn evaluate_models_deferred(
    file: &LoadedFile,
    model_idxs: &[usize],
    options: &Options,
) -> Vec<Deferred> {
    let scoring = Scoring::new(file, options);
    model_idxs
        .iter()
        .map(|&idx| scoring.deferred(idx))
        .collect()
}

/// The reports of one file under one set of options, a model at a time (so that a page can
/// give the browser a turn between models), the file's groups read once for all of them.
pub struct Scoring<'a> {
    file: &'a LoadedFile,
    options: &'a Options,
    groups: RecordGroups,
    twins: HashMap<usize, usize>,
}

impl<'a> Scoring<'a> {
    pub fn new(file: &'a LoadedFile, options: &'a Options) -> Self {
        Scoring {
            file,
            options,
            groups: RecordGroups::new(file, options),
            twins: swap_twins(file),
        }
    }

    /// Model `idx`'s report without intervals, and its job (see [`evaluate_models_deferred`]).
    pub fn deferred(&self, idx: usize) -> Deferred {
        let records = self.file.records.len();
        self.deferred_of_rows(idx, self.rows(idx, 0..records))
    }

    /// Model `idx`'s rows among the records `records`: a page scores a large file a slice of
    /// records at a time, then gives all of a model's rows, in order, to
    /// [`Scoring::deferred_of_rows`].
    pub fn rows(&self, idx: usize, records: Range<usize>) -> Vec<RowResult> {
        score_rows(self.file, idx, self.options, records)
    }

    /// Model `idx`'s report without intervals from all its rows, and its job.
    pub fn deferred_of_rows(&self, idx: usize, rows: Vec<RowResult>) -> Deferred {
        let (mut report, job) = self.report_and_job(idx, rows);
        report.set_figures(job.run_without_intervals());
        let job = job.has_intervals().then_some(job);
        report.intervals_pending = job.is_some();
        self.add_position_consistency(&mut report, idx);
        Deferred {
            report: Arc::new(report),
            job: job.map(Arc::new),
        }
    }

    /// Model `idx`'s report with its intervals.
    fn report(&self, idx: usize) -> ModelReport {
        let rows = self.rows(idx, 0..self.file.records.len());
        let (mut report, job) = self.report_and_job(idx, rows);
        report.set_figures(job.run());
        self.add_position_consistency(&mut report, idx);
        report
    }

    /// Model `idx`'s report of `rows`, its figures not yet computed, and the job that does.
    fn report_and_job(&self, idx: usize, rows: Vec<RowResult>) -> (ModelReport, FiguresJob) {
        let model = self.file.models.get(idx).cloned().unwrap_or_default();
        report_in(self.file, &model, rows, self.options, &self.groups)
    }

    /// The position consistency of model `idx` when it has a swapped twin.
    fn add_position_consistency(&self, report: &mut ModelReport, idx: usize) {
        if let Some(&swapped) = self.twins.get(&idx) {
            let options = self.options;
            report.figures.position_consistency =
                pair_consistency(self.file, idx, swapped, options.resamples, options.seed).share;
        }
    }
}

/// The report of model `model_idx` in `file`.
pub fn evaluate(file: &LoadedFile, model_idx: usize, options: &Options) -> ModelReport {
    evaluate_models(file, &[model_idx], options)
        .pop()
        .expect("one report per model asked for")
}

/// The rows of model `model_idx` among the records `records`: those that hold an answer or a
/// field of the model. The others (a data set's rows of other models) are counted by
/// [`report_in`] as not judged and without a model verdict, as their results would say, but
/// not kept: keeping them made memory grow with rows x models.
fn score_rows(
    file: &LoadedFile,
    model_idx: usize,
    options: &Options,
    records: Range<usize>,
) -> Vec<RowResult> {
    let start = records.start;
    file.records[records]
        .iter()
        .enumerate()
        .filter(|(_, record)| record.answer.is_some() || record.column(model_idx).is_some())
        .map(|(i, record)| RowResult {
            record_idx: start + i,
            line: record.line,
            outcome: score_record(record, model_idx, options.max_len),
            oa: row_oa(record, model_idx, options),
        })
        .collect()
}

/// The report of rows already scored (a row per record of `file`, such as a matcher panel's),
/// named `model`: the same figures and breakdowns [`evaluate`] gives its own rows.
pub fn report_of_rows(
    file: &LoadedFile,
    model: &str,
    rows: Vec<RowResult>,
    options: &Options,
) -> ModelReport {
    let groups = RecordGroups::new(file, options);
    let (mut report, job) = report_in(file, model, rows, options, &groups);
    report.set_figures(job.run());
    report
}

/// The report of `rows` of `file` named `model`, its figures not yet computed, and the job
/// that computes them; records of `file` without a row count as rows of other models (see
/// [`score_rows`]).
fn report_in(
    file: &LoadedFile,
    model: &str,
    rows: Vec<RowResult>,
    options: &Options,
    groups: &RecordGroups,
) -> (ModelReport, FiguresJob) {
    let job = FiguresJob {
        rows: rows
            .iter()
            .map(|row| FigureRow::new(&row.outcome, row.oa))
            .collect(),
        row_groups: if groups.names.is_empty() {
            Vec::new()
        } else {
            rows.iter()
                .map(|row| groups.of_record[row.record_idx] as u32)
                .collect()
        },
        groups: groups
            .names
            .iter()
            .cloned()
            .zip(groups.sizes.iter().copied())
            .collect(),
        n_absent: file.records.len() - rows.len(),
        options: options.clone(),
    };
    let report = ModelReport {
        file: file.name.clone(),
        model: model.to_string(),
        kind: file.kind,
        n_bad_lines: file.bad_lines.len(),
        figures: Figures::default(),
        groups: Vec::new(),
        rows,
        intervals_pending: false,
    };
    (report, job)
}

fn row_oa(record: &Record, model_idx: usize, options: &Options) -> OaOutcome {
    let human = record.field(&options.human_verdict).and_then(read_verdict);
    let missing = ModelVerdict::Missing;
    let model = record.column(model_idx).map_or(&missing, |c| &c.verdict);
    oa_outcome(model, human, options.include_ties)
}

/// Every record's group under one field: the names sorted, each record's index into them,
/// and how many records each holds.
#[derive(Default)]
struct RecordGroups {
    names: Vec<String>,
    of_record: Vec<usize>,
    sizes: Vec<usize>,
}

impl RecordGroups {
    /// The groups of `options.group_by`; none when breakdowns are off.
    fn new(file: &LoadedFile, options: &Options) -> Self {
        if !options.breakdowns {
            return RecordGroups::default();
        }
        let field = options.group_by.as_str();
        let record_names: Vec<String> = file
            .records
            .iter()
            .map(|record| record.group(field).unwrap_or_else(|| NO_GROUP.into()))
            .collect();
        let mut names = record_names.clone();
        names.sort();
        names.dedup();
        let mut sizes = vec![0; names.len()];
        let of_record = record_names
            .iter()
            .map(|name| {
                // Every record's name is among `names`, which were made from them.
                let idx = names.binary_search(name).unwrap_or_default();
                sizes[idx] += 1;
                idx
            })
            .collect();
        RecordGroups {
            names,
            of_record,
            sizes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::load;

    /// A judged file of model `m`, two human items a row: `(model verdict, answer lines)`
    /// against a human who prefers A.
    fn judged(rows: &[(&str, &str)]) -> LoadedFile {
        let mut text = String::new();
        for (label, lines) in rows {
            let row = serde_json::json!({
                "samples": [{"generated_text": format!("<RESULT_START>\n{lines}\n<RESULT_END>")}],
                "metadata": {
                    "human-checklist": ["h1", "h2"],
                    "m-checklist": ["s1", "s2"],
                    "m-label": label,
                    "overall_preference": -1,
                },
            });
            text.push_str(&row.to_string());
            text.push('\n');
        }
        load("j", text.as_bytes())
    }

    #[track_caller]
    fn check(rows: &[(&str, &str)], threshold: f64, expected: Option<f64>) {
        let options = Options {
            rfwr_threshold: threshold,
            ..Options::default()
        };
        let got = evaluate(&judged(rows), 0, &options)
            .figures
            .right_for_wrong_reasons;
        assert_eq!(got.map(|s| s.mean), expected, "threshold {threshold}");
        if let Some(stat) = got {
            assert!(stat.lo <= stat.mean && stat.mean <= stat.hi, "{stat:?}");
        }
    }

    #[test]
    fn right_for_the_wrong_reasons_counts_correct_rows_with_low_rc() {
        let rows = [
            ("A>B", "- R1@S0: 0\n- R2@S0: 0"),    // correct, RC 0
            ("A>B", "- R1@S1: 1\n- R2@S0: 0"),    // correct, RC 0.5
            ("A>>B", "- R1@S1: 0.5\n- R2@S0: 0"), // correct, RC 0.25
            ("B>A", "- R1@S0: 0\n- R2@S0: 0"),    // wrong: not counted
            ("A>B", "- R1@S1: 1"),                // correct, but an error: no RC
        ];
        // Below 0.25: only the first of three (0.25 itself is not below).
        check(&rows, 0.25, Some(1.0 / 3.0));
        check(&rows, 0.3, Some(2.0 / 3.0));
        check(&rows, 0.0, Some(0.0));
        check(&rows, 1.0, Some(1.0));
        // No correct verdict with an RC: no figure.
        check(&rows[3..], 0.25, None);
    }

    #[test]
    fn options_saved_before_the_threshold_read_the_default() {
        let mut saved = serde_json::to_value(Options::default()).expect("plain data");
        saved.as_object_mut().map(|o| o.remove("rfwr_threshold"));
        let read: Options = serde_json::from_value(saved).expect("old options");
        assert_eq!(read.rfwr_threshold, RFWR_THRESHOLD);
    }

    #[test]
    fn a_model_judged_in_both_orders_carries_its_position_consistency() {
        // The swapped column holds its verdict mirrored back to the original order. Rows 1
        // and 3 keep their verdict, row 2 flips, row 4's tie equals only a tie: 2 of 4.
        let rows = [
            ("A>B", "A>B"),
            ("A>B", "B>A"),
            ("B>A", "B>A"),
            ("A=B", "A>B"),
        ];
        let text: String = rows
            .iter()
            .map(|(given, swapped)| {
                serde_json::json!({
                    "overall_preference": -1,
                    "human-checklist": ["h"],
                    "judge-checklist": ["a"],
                    "judge-label": given,
                    "judge@swap-checklist": ["a"],
                    "judge@swap-label": swapped,
                    "other-checklist": ["a"],
                    "other-label": given,
                })
                .to_string()
                    + "\n"
            })
            .collect();
        let file = load("swapped.jsonl", text.as_bytes());
        let options = Options::default();
        let reports = evaluate_models(&file, &file.scored_models(), &options);
        let by_model = |name: &str| {
            let report = reports.iter().find(|r| r.model == name).expect(name);
            report.figures.position_consistency
        };
        let judge = by_model("judge").expect("judge has a swapped twin");
        assert_eq!(judge.mean, 0.5);
        assert_eq!(by_model("judge@swap"), None, "the twin itself has none");
        assert_eq!(
            by_model("other"),
            None,
            "a model judged in one order has none"
        );
        // The same figure the table beside the leaderboard gives, interval and all.
        let table =
            crate::engine::pipeline::file_consistencies(&file, options.resamples, options.seed);
        assert_eq!(table[0].1.share, Some(judge));
        // One model asked for alone gets it too.
        let idx = file.model_idx("judge").unwrap();
        assert_eq!(
            evaluate(&file, idx, &options).figures.position_consistency,
            Some(judge)
        );
    }
}
