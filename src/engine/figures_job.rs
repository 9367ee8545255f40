//! The figures of a set of rows (means, standard deviations, counts, bootstrap intervals), and
//! a report's figures as a job of plain data: [`FiguresJob`] holds what they are computed from
//! (each row's scores and OA outcome, its group, the options), so that the bootstrap, the slow
//! half of a report, can run where it does not hold up the page (the engine's Web Worker) and
//! give exactly the figures computed in place.

use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use super::dataset::HUMAN_VERDICT;
use super::metrics::{RowOutcome, RowScores};
use super::stats::{bootstrap, population_std, Stat};
use super::verdict::OaOutcome;

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

impl Options {
    /// Whether `self` and `other` give every row of a file the same results (its scores and OA
    /// outcome): they differ at most in what the figures make of the rows (resamples, seed,
    /// grouping, the right-for-the-wrong-reasons threshold).
    pub fn same_rows(&self, other: &Options) -> bool {
        self.max_len == other.max_len
            && self.include_ties == other.include_ties
            && self.human_verdict == other.human_verdict
    }
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

/// How one row counts for the rationale figures: what of a [`RowOutcome`] they read.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Counted {
    Scored(RowScores),
    Error,
    Skipped,
    NotJudged,
}

/// What the figures read of one row.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureRow {
    pub counted: Counted,
    pub oa: OaOutcome,
}

impl FigureRow {
    pub fn new(outcome: &RowOutcome, oa: OaOutcome) -> Self {
        let counted = match outcome {
            RowOutcome::Scored(scores) => Counted::Scored(*scores),
            RowOutcome::Error(_) => Counted::Error,
            RowOutcome::Skipped(_) => Counted::Skipped,
            RowOutcome::NotJudged => Counted::NotJudged,
        };
        FigureRow { counted, oa }
    }
}

/// The figures of a set of rows.
pub fn figures(rows: &[FigureRow], options: &Options) -> Figures {
    let mut out = Figures {
        n_total: rows.len(),
        ..Figures::default()
    };
    let mut scored: Vec<RowScores> = Vec::new();
    for row in rows {
        match row.counted {
            Counted::Scored(scores) => scored.push(scores),
            Counted::Error => out.n_errors += 1,
            Counted::Skipped => out.n_skipped += 1,
            Counted::NotJudged => out.n_not_judged += 1,
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
fn right_for_wrong_reasons(rows: &[FigureRow], options: &Options) -> Option<Stat> {
    let below: Vec<f64> = rows
        .iter()
        .filter(|row| row.oa == OaOutcome::Correct)
        .filter_map(|row| match row.counted {
            Counted::Scored(scores) => Some(if scores.rc < options.rfwr_threshold {
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

/// Adds rows of other models (no answer, no field of this model) to `figures`: each is a
/// row not judged, without a model verdict.
fn add_absent(figures: &mut Figures, n_absent: usize) {
    figures.n_total += n_absent;
    figures.n_not_judged += n_absent;
    figures.oa_tally.no_model_verdict += n_absent;
}

/// A report's figures as a job of plain data: its rows as the figures read them, each row's
/// group (when there are breakdowns), and the options. [`FiguresJob::run`] gives the same
/// figures wherever it runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FiguresJob {
    pub rows: Vec<FigureRow>,
    /// Each row's index into `groups`; empty when there are no breakdowns.
    pub row_groups: Vec<u32>,
    /// The groups by name, sorted, with how many records of the file each holds.
    pub groups: Vec<(String, usize)>,
    /// Records of the file without a row (rows of other models): not judged, no verdict.
    pub n_absent: usize,
    pub options: Options,
}

/// What a [`FiguresJob`] gives: the figures of all rows and of each group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobFigures {
    pub figures: Figures,
    pub groups: Vec<(String, Figures)>,
}

impl FiguresJob {
    /// The figures with the job's own options (intervals when `options.resamples > 0`).
    pub fn run(&self) -> JobFigures {
        self.run_with(&self.options)
    }

    /// The same figures without intervals (each `Stat`'s bounds equal to its mean, the means
    /// the same to the bit): what the page shows while the bootstrap runs elsewhere.
    pub fn run_without_intervals(&self) -> JobFigures {
        self.run_with(&Options {
            resamples: 0,
            ..self.options.clone()
        })
    }

    /// Whether [`FiguresJob::run`] computes intervals that
    /// [`FiguresJob::run_without_intervals`] does not.
    pub fn has_intervals(&self) -> bool {
        self.options.resamples > 0
    }

    fn run_with(&self, options: &Options) -> JobFigures {
        let mut all = figures(&self.rows, options);
        add_absent(&mut all, self.n_absent);
        // No groups, no row groups: without breakdowns this adds nothing.
        let mut members: Vec<Vec<FigureRow>> = vec![Vec::new(); self.groups.len()];
        for (row, &group) in self.rows.iter().zip(&self.row_groups) {
            members[group as usize].push(*row);
        }
        let groups = self
            .groups
            .iter()
            .zip(members)
            .map(|((name, size), members)| {
                let mut group = figures(&members, options);
                add_absent(&mut group, size - members.len());
                (name.clone(), group)
            })
            .collect();
        JobFigures {
            figures: all,
            groups,
        }
    }

    /// A key of the job's content (every score to the bit, groups, options): two jobs with
    /// the same key give the same figures, so a page keeps figures computed once by it.
    pub fn key(&self) -> u64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.rows.len().hash(&mut hasher);
        for row in &self.rows {
            match row.counted {
                Counted::Scored(s) => {
                    0u8.hash(&mut hasher);
                    for x in [s.precision, s.recall, s.f1, s.ap, s.rc, s.ap_paper] {
                        x.to_bits().hash(&mut hasher);
                    }
                }
                Counted::Error => 1u8.hash(&mut hasher),
                Counted::Skipped => 2u8.hash(&mut hasher),
                Counted::NotJudged => 3u8.hash(&mut hasher),
            }
            (row.oa as u8).hash(&mut hasher);
        }
        self.row_groups.hash(&mut hasher);
        self.groups.hash(&mut hasher);
        self.n_absent.hash(&mut hasher);
        // Options hold one float; its text is exact (serde_json writes floats round-trip).
        serde_json::to_string(&self.options)
            .unwrap_or_default()
            .hash(&mut hasher);
        hasher.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::load;
    use crate::engine::summary::{evaluate_models, evaluate_models_deferred};

    const JUDGED: &[u8] = include_bytes!("../../tests/fixtures/data/judged-judge-a-n60.jsonl");
    const DATASET: &[u8] = include_bytes!("../../tests/fixtures/data/dataset-n50.jsonl");

    /// The page's way (figures without intervals at once, the job sent through JSON to the
    /// worker and its figures put in) gives every report exactly what the command line's does.
    #[test]
    fn a_job_run_elsewhere_gives_the_figures_computed_in_place() {
        for (name, bytes) in [("judged.jsonl", JUDGED), ("dataset.jsonl", DATASET)] {
            let file = load(name, bytes);
            for options in [
                Options::default(),
                Options {
                    resamples: 200,
                    include_ties: true,
                    group_by: "language".into(),
                    ..Options::default()
                },
            ] {
                let models = file.scored_models();
                let direct = evaluate_models(&file, &models, &options);
                let deferred = evaluate_models_deferred(&file, &models, &options);
                assert_eq!(direct.len(), deferred.len());
                for (direct, deferred) in direct.iter().zip(deferred) {
                    let job = deferred.job.expect("intervals are on");
                    // Before: the same means and counts, bounds equal to the means.
                    let before = &deferred.report.figures;
                    assert_eq!(before.n_valid, direct.figures.n_valid);
                    assert_eq!(
                        before.rc.map(|s| (s.mean, s.lo, s.hi)),
                        direct.figures.rc.map(|s| (s.mean, s.mean, s.mean))
                    );
                    assert_eq!(before.oa.map(|s| s.mean), direct.figures.oa.map(|s| s.mean));
                    assert_eq!(deferred.report.groups.len(), direct.groups.len());
                    // After the trip through JSON, which is how the job reaches the worker.
                    let sent: FiguresJob =
                        serde_json::from_str(&serde_json::to_string(job.as_ref()).unwrap())
                            .unwrap();
                    assert_eq!(sent.key(), job.key());
                    let back: JobFigures =
                        serde_json::from_str(&serde_json::to_string(&sent.run()).unwrap()).unwrap();
                    assert_eq!(&deferred.report.with_figures(&back), direct, "{name}");
                    assert!(deferred.report.intervals_pending);
                    // Shown (and exported) meanwhile without intervals, not zero-width ones.
                    let flat = crate::engine::export::FlatReport::new(&deferred.report);
                    assert!(flat.intervals_pending);
                    assert_eq!(flat.intervals.oa, None);
                    assert_eq!(flat.oa, direct.figures.oa.map(|s| s.mean));
                    let after = crate::engine::export::FlatReport::new(direct);
                    assert!(after.intervals.oa.is_some());
                }
            }
        }
    }

    /// What the page does with a large file: rows scored a slice of records at a time, then
    /// the report made of them all.
    #[test]
    fn a_file_scored_a_slice_of_records_at_a_time_gives_the_same_reports() {
        use crate::engine::summary::Scoring;
        for bytes in [JUDGED, DATASET] {
            let file = load("f.jsonl", bytes);
            let options = Options::default();
            let scoring = Scoring::new(&file, &options);
            for idx in file.scored_models() {
                let whole = scoring.deferred(idx);
                for slice in [1, 7, 50, 1000] {
                    let mut rows = Vec::new();
                    for start in (0..file.records.len()).step_by(slice) {
                        let end = (start + slice).min(file.records.len());
                        rows.extend(scoring.rows(idx, start..end));
                    }
                    let sliced = scoring.deferred_of_rows(idx, rows);
                    assert_eq!(sliced.report, whole.report, "slices of {slice}");
                    assert_eq!(sliced.job, whole.job, "slices of {slice}");
                }
                assert_eq!(
                    whole
                        .report
                        .with_figures(&whole.job.as_ref().unwrap().run()),
                    evaluate_models(&file, &[idx], &options).remove(0)
                );
            }
        }
    }

    #[test]
    fn intervals_off_leave_no_job() {
        let file = load("judged.jsonl", JUDGED);
        let options = Options {
            resamples: 0,
            ..Options::default()
        };
        let deferred = evaluate_models_deferred(&file, &[0], &options);
        assert!(deferred[0].job.is_none());
        assert_eq!(
            *deferred[0].report,
            evaluate_models(&file, &[0], &options)[0]
        );
    }

    #[test]
    fn the_key_follows_every_score_group_and_option() {
        let file = load("dataset.jsonl", DATASET);
        let options = Options::default();
        let job = FiguresJob::clone(
            &evaluate_models_deferred(&file, &[0], &options)
                .remove(0)
                .job
                .unwrap(),
        );
        assert_eq!(job.key(), job.clone().key());
        let mut changed = Vec::new();
        let mut one = job.clone();
        one.rows[3].oa = match one.rows[3].oa {
            OaOutcome::Correct => OaOutcome::Wrong,
            _ => OaOutcome::Correct,
        };
        changed.push(one);
        let mut one = job.clone();
        one.rows[0].counted = Counted::Scored(RowScores {
            rc: 0.5,
            ..RowScores::default()
        });
        changed.push(one);
        let mut one = job.clone();
        one.row_groups[1] = (one.row_groups[1] + 1) % one.groups.len() as u32;
        changed.push(one);
        let mut one = job.clone();
        one.options.seed += 1;
        changed.push(one);
        let mut one = job.clone();
        one.n_absent += 1;
        changed.push(one);
        for other in changed {
            assert_ne!(other.key(), job.key(), "{other:?}");
        }
    }
}
