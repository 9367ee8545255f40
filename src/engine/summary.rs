//! Per-model figures: means, population standard deviations, counts, 95% bootstrap intervals
//! and breakdowns by a field (SPEC sections 5 and 6). The statistics themselves (numpy's sums,
//! percentiles, the bootstrap) live in `stats`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::dataset::{FileKind, LoadedFile, Record, HUMAN_VERDICT};
use super::metrics::{score_record, RowOutcome, RowScores};
use super::pipeline::{pair_consistency, swap_twins};
use super::verdict::{oa_outcome, read_verdict, ModelVerdict, OaOutcome};

// Kept here for the readers that took them from this module first.
pub use super::stats::{bootstrap, mean, percentile, population_std, Stat};

/// Everything the figures depend on besides the data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Options {
    /// Rows whose model checklist is longer are skipped (the reference default is 10).
    pub max_len: usize,
    /// Count rows with a human tie for OA (correct only when the model says tie too).
    pub include_ties: bool,
    /// Bootstrap resamples; 0 turns intervals off.
    pub resamples: usize,
    /// Bootstrap seed: the same data and seed give the same intervals.
    pub seed: u64,
    /// The field the breakdown groups by.
    pub group_by: String,
    /// The field holding the human verdict.
    pub human_verdict: String,
    /// "Right for the wrong reasons": a correct-verdict row counts when its one-to-one recall
    /// is below this (SPEC 10; default 0.25). Settings saved before it existed read the default.
    #[serde(default = "default_rfwr_threshold")]
    pub rfwr_threshold: f64,
    /// Compute the per-group figures (`ModelReport::groups`). The command line, which prints
    /// none, turns them off: they doubled its bootstrap.
    #[serde(default = "default_breakdowns")]
    pub breakdowns: bool,
}

fn default_breakdowns() -> bool {
    true
}

/// The default threshold of "right for the wrong reasons" (SPEC 10).
pub const RFWR_THRESHOLD: f64 = 0.25;

fn default_rfwr_threshold() -> f64 {
    RFWR_THRESHOLD
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_len: 10,
            include_ties: false,
            resamples: 1000,
            seed: 260_204_649,
            group_by: "domain".into(),
            human_verdict: HUMAN_VERDICT.into(),
            rfwr_threshold: RFWR_THRESHOLD,
            breakdowns: true,
        }
    }
}

/// Outcome-accuracy counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OaTally {
    /// Rows in OA's denominator.
    pub counted: usize,
    pub correct: usize,
    /// Counted as wrong because the model's verdict could not be read.
    pub unreadable: usize,
    pub ties_excluded: usize,
    pub no_model_verdict: usize,
    pub no_human_verdict: usize,
}

/// The figures of one set of rows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub n_total: usize,
    pub n_valid: usize,
    pub n_errors: usize,
    pub n_skipped: usize,
    pub n_not_judged: usize,
    pub precision: Option<Stat>,
    pub recall: Option<Stat>,
    pub f1: Option<Stat>,
    pub ap: Option<Stat>,
    /// Rationale consistency: the mean one-to-one recall.
    pub rc: Option<Stat>,
    pub ap_paper: Option<Stat>,
    pub precision_std: Option<f64>,
    pub recall_std: Option<f64>,
    pub oa: Option<Stat>,
    pub oa_tally: OaTally,
    /// Among rows with a correct verdict and RC, the share whose one-to-one recall is below
    /// `Options::rfwr_threshold` (SPEC 10: right for the wrong reasons).
    #[serde(default)]
    pub right_for_wrong_reasons: Option<Stat>,
    /// For a model judged in both orders (a `<model>@swap` twin in the file), the share of
    /// rows whose verdict does not change with the order (SPEC 8); the whole file only, not
    /// per group.
    #[serde(default)]
    pub position_consistency: Option<Stat>,
}

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
}

impl ModelReport {
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
    let groups = RecordGroups::new(file, options);
    let twins = swap_twins(file);
    model_idxs
        .iter()
        .map(|&idx| {
            let mut report = evaluate_in(file, idx, options, &groups);
            add_position_consistency(&mut report, file, idx, &twins, options);
            report
        })
        .collect()
}

/// The position consistency of model `idx` when it has a swapped twin in `twins`.
fn add_position_consistency(
    report: &mut ModelReport,
    file: &LoadedFile,
    idx: usize,
    twins: &HashMap<usize, usize>,
    options: &Options,
) {
    if let Some(&swapped) = twins.get(&idx) {
        report.figures.position_consistency =
            pair_consistency(file, idx, swapped, options.resamples, options.seed).share;
    }
}

/// The report of model `model_idx` in `file`.
pub fn evaluate(file: &LoadedFile, model_idx: usize, options: &Options) -> ModelReport {
    evaluate_models(file, &[model_idx], options)
        .pop()
        .expect("one report per model asked for")
}

/// The report of model `model_idx`, with the file's groups read already. Its rows are the
/// rows that hold an answer or a field of the model; the others (a data set's rows of other
/// models) are counted as not judged and without a model verdict, as their results would
/// say, but not kept: keeping them made memory grow with rows x models.
fn evaluate_in(
    file: &LoadedFile,
    model_idx: usize,
    options: &Options,
    groups: &RecordGroups,
) -> ModelReport {
    let rows: Vec<RowResult> = file
        .records
        .iter()
        .enumerate()
        .filter(|(_, record)| record.answer.is_some() || record.column(model_idx).is_some())
        .map(|(record_idx, record)| RowResult {
            record_idx,
            line: record.line,
            outcome: score_record(record, model_idx, options.max_len),
            oa: row_oa(record, model_idx, options),
        })
        .collect();
    let model = file.models.get(model_idx).cloned().unwrap_or_default();
    report_in(file, &model, rows, options, groups)
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
    report_in(file, model, rows, options, &groups)
}

/// The report of `rows` of `file` named `model`; records of `file` without a row count as
/// rows of other models (see [`evaluate_in`]).
fn report_in(
    file: &LoadedFile,
    model: &str,
    rows: Vec<RowResult>,
    options: &Options,
    groups: &RecordGroups,
) -> ModelReport {
    let all: Vec<&RowResult> = rows.iter().collect();
    let mut figures = figures(&all, options);
    add_absent(&mut figures, file.records.len() - rows.len());
    let mut members: Vec<Vec<&RowResult>> = vec![Vec::new(); groups.names.len()];
    if !groups.names.is_empty() {
        for row in &rows {
            members[groups.of_record[row.record_idx]].push(row);
        }
    }
    let groups = groups
        .names
        .iter()
        .zip(members)
        .zip(&groups.sizes)
        .map(|((name, members), &size)| {
            let mut group = self::figures(&members, options);
            add_absent(&mut group, size - members.len());
            (name.clone(), group)
        })
        .collect();
    ModelReport {
        file: file.name.clone(),
        model: model.to_string(),
        kind: file.kind,
        n_bad_lines: file.bad_lines.len(),
        figures,
        groups,
        rows,
    }
}

/// The figures of a set of rows.
pub fn figures(rows: &[&RowResult], options: &Options) -> Figures {
    let mut out = Figures {
        n_total: rows.len(),
        ..Figures::default()
    };
    let mut scored: Vec<RowScores> = Vec::new();
    for row in rows {
        match &row.outcome {
            RowOutcome::Scored(scores) => scored.push(*scores),
            RowOutcome::Error(_) => out.n_errors += 1,
            RowOutcome::Skipped(_) => out.n_skipped += 1,
            RowOutcome::NotJudged => out.n_not_judged += 1,
        }
    }
    out.n_valid = scored.len();
    if !scored.is_empty() {
        let columns: [Vec<f64>; 6] = [
            scored.iter().map(|s| s.precision).collect(),
            scored.iter().map(|s| s.recall).collect(),
            scored.iter().map(|s| s.f1).collect(),
            scored.iter().map(|s| s.ap).collect(),
            scored.iter().map(|s| s.rc).collect(),
            scored.iter().map(|s| s.ap_paper).collect(),
        ];
        let stats = bootstrap(&columns, options.resamples, options.seed);
        [
            out.precision,
            out.recall,
            out.f1,
            out.ap,
            out.rc,
            out.ap_paper,
        ] = stats.map(Some);
        out.precision_std = Some(population_std(&columns[0]));
        out.recall_std = Some(population_std(&columns[1]));
    }

    let mut hits = Vec::new();
    for row in rows {
        let tally = &mut out.oa_tally;
        match row.oa {
            OaOutcome::Correct => tally.correct += 1,
            OaOutcome::Unreadable => tally.unreadable += 1,
            OaOutcome::TieExcluded => tally.ties_excluded += 1,
            OaOutcome::NoModelVerdict => tally.no_model_verdict += 1,
            OaOutcome::NoHumanVerdict => tally.no_human_verdict += 1,
            OaOutcome::Wrong => {}
        }
        if let Some(correct) = row.oa.counted() {
            hits.push(if correct { 1.0 } else { 0.0 });
        }
    }
    out.oa_tally.counted = hits.len();
    if !hits.is_empty() {
        let [oa] = bootstrap(&[hits], options.resamples, options.seed ^ OA_STREAM);
        out.oa = Some(oa);
    }
    out.right_for_wrong_reasons = right_for_wrong_reasons(rows, options);
    out
}

/// Seed offset of the right-for-the-wrong-reasons stream, so it draws rows of its own.
pub const RFWR_STREAM: u64 = 0x5246_5752_5246_5752;

/// The share of rows with a correct verdict and a one-to-one recall (RC) whose RC is below the
/// threshold, with its interval; `None` when no row has both.
fn right_for_wrong_reasons(rows: &[&RowResult], options: &Options) -> Option<Stat> {
    let below: Vec<f64> = rows
        .iter()
        .filter(|row| row.oa == OaOutcome::Correct)
        .filter_map(|row| match &row.outcome {
            RowOutcome::Scored(scores) => Some(if scores.rc < options.rfwr_threshold {
                1.0
            } else {
                0.0
            }),
            _ => None,
        })
        .collect();
    if below.is_empty() {
        return None;
    }
    let [share] = bootstrap(&[below], options.resamples, options.seed ^ RFWR_STREAM);
    Some(share)
}

/// Seed offset of the OA stream, so OA and the rationale figures draw different rows.
pub const OA_STREAM: u64 = 0x4F41_4F41_4F41_4F41;

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

/// Adds rows of other models (no answer, no field of this model) to `figures`: each is a
/// row not judged, without a model verdict.
fn add_absent(figures: &mut Figures, n_absent: usize) {
    figures.n_total += n_absent;
    figures.n_not_judged += n_absent;
    figures.oa_tally.no_model_verdict += n_absent;
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
