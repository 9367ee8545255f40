//! The figures on show: one report per (file, model) of the loaded files and of the current
//! run, then one per matcher panel, derived by memos, and what each report was computed from.
//!
//! A file's and a finished run's reports show at once without intervals; their bootstrap runs
//! in the engine worker (`worker::page`), and a report gets its intervals when its job's
//! figures come back (`intervals_pending` says which are waiting).

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;

use super::panels::PanelOutcomes;
use super::run::{RunState, RunStatus};
use super::AppState;
use crate::clock::Slices;
use crate::engine::dataset::LoadedFile;
use crate::engine::export::FlatReport;
use crate::engine::figures_job::{FiguresJob, JobFigures};
use crate::engine::judged::live_view;
use crate::engine::pipeline::MARK_SUFFIX;
use crate::engine::source::Source;
use crate::engine::summary::{evaluate_models_deferred, Deferred, ModelReport, Options};
use crate::worker::page::send;

/// How long writing jobs for the engine worker goes on before the browser gets a turn.
const SEND_SLICE_MS: f64 = 30.0;

/// All reports, compared by identity so that the memo never walks the rows to compare them.
#[derive(Clone, Debug, Default)]
pub struct Reports(pub Arc<Vec<Arc<ModelReport>>>);

impl PartialEq for Reports {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl AppState {
    /// The leaderboard rows on show: a share link's, or those of the loaded files and the run.
    pub fn flat_rows(&self) -> Vec<FlatReport> {
        if let Some(shared) = self.shared.get() {
            return shared.reports;
        }
        self.reports
            .get()
            .0
            .iter()
            .map(|r| FlatReport::new(r))
            .collect()
    }

    /// `(file, model)` of every report with rows (loaded files and the run), for pickers.
    pub fn report_choices(&self) -> Vec<(String, String)> {
        self.reports
            .get()
            .0
            .iter()
            .filter(|r| !r.rows.is_empty())
            .map(|r| (r.file.clone(), r.model.clone()))
            .collect()
    }

    /// The report of `(file, model)`, when one is on show.
    pub fn report_for(&self, file: &str, model: &str) -> Option<Arc<ModelReport>> {
        self.reports.with(|reports| {
            reports
                .0
                .iter()
                .find(|r| r.file == file && r.model == model)
                .cloned()
        })
    }

    /// The file a report was computed from: a loaded file, or the run's live view.
    pub fn file_for(&self, file: &str, model: &str) -> Option<Arc<LoadedFile>> {
        let loaded = self.sources.with(|s| {
            s.iter()
                .find(|s| s.file.name == file)
                .map(|s| s.file.clone())
        });
        loaded.or_else(|| {
            let answers = self.run.snapshot.get();
            self.run.current.with(|current| {
                let current = current.as_ref()?;
                let idx = current.dataset.model_idx(model)?;
                let view = live_view(&current.dataset, idx, &answers, file);
                Some(Arc::new(view))
            })
        })
    }
}

/// Reports shown before their intervals, each with its job and the job's key (no job when
/// intervals are off), compared by identity.
#[derive(Clone, Default)]
struct Points(Arc<Vec<Point>>);

type Point = (Arc<ModelReport>, Option<(u64, Arc<FiguresJob>)>);

impl PartialEq for Points {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Points {
    fn of(deferred: impl IntoIterator<Item = Deferred>) -> Self {
        Points(Arc::new(
            deferred
                .into_iter()
                .map(|Deferred { report, job }| (report, job.map(|job| (job.key(), job))))
                .collect(),
        ))
    }
}

/// The jobs of the reports on show, compared by their keys.
#[derive(Clone, Default)]
struct Jobs(Vec<(u64, Arc<FiguresJob>)>);

impl PartialEq for Jobs {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(&other.0).all(|(a, b)| a.0 == b.0)
    }
}

/// The figures the engine worker gave, by job key.
type Computed = Arc<HashMap<u64, Arc<JobFigures>>>;

/// The memo of every report. Memos underneath, so that a run's answers do not re-score the
/// loaded files or the panels and back.
pub(super) fn reports(
    sources: RwSignal<Vec<Source>>,
    options: RwSignal<Options>,
    run: RunState,
    panels: Memo<PanelOutcomes>,
) -> Memo<Reports> {
    let file_points = Memo::new(move |_| {
        let options = options.get();
        sources.with(|sources| Points::of(sources.iter().flat_map(|s| s.reports(&options))))
    });
    let run_points = Memo::new(move |_| Points::of(run_reports(&run, &options.get())));
    let jobs = Memo::new(move |_| {
        let mut jobs = Vec::new();
        for points in [file_points.get(), run_points.get()] {
            jobs.extend(points.0.iter().filter_map(|(_, job)| job.clone()));
        }
        Jobs(jobs)
    });
    let computed = intervals(jobs);
    // Apart, so that a run's answers (twice a second) do not copy the files' reports again.
    let with_intervals = move |points: Memo<Points>| {
        Memo::new(move |_| {
            let computed = computed.get().unwrap_or_default();
            let points = points.get();
            let reports = points.0.iter().map(|(report, job)| {
                match job.as_ref().and_then(|(key, _)| computed.get(key)) {
                    Some(figures) => Arc::new(report.with_figures(figures)),
                    None => report.clone(),
                }
            });
            Reports(Arc::new(reports.collect()))
        })
    };
    let (files, runs) = (with_intervals(file_points), with_intervals(run_points));
    Memo::new(move |_| {
        let mut all = files.get().0.as_ref().clone();
        all.extend(runs.get().0.iter().cloned());
        panels.with(|panels| all.extend(panels.0.iter().filter_map(|p| p.as_ref().ok().cloned())));
        Reports(Arc::new(all))
    })
}

/// The figures of every job on show, from the engine worker: all sent, then read as they come
/// (the worker takes them one after another). Figures
/// already computed for a job of the same key are kept, so that loading a second file does
/// not compute the first one's intervals again. While new jobs run, the figures of the last
/// set stay on show (a report whose key is among them keeps its intervals).
///
/// The resource takes the next set only when this one is done, so a set that is no longer on
/// show (the options changed, a file was removed) stops at the next job: what it computed is
/// kept, and the jobs on show come next.
fn intervals(on_show: Memo<Jobs>) -> LocalResource<Computed> {
    let kept = StoredValue::new(Computed::default());
    LocalResource::new(move || {
        let jobs = on_show.get();
        async move {
            let current = || on_show.with_untracked(|now| *now == jobs);
            let before = kept.get_value();
            let mut now = HashMap::new();
            let mut sent = Vec::new();
            // Writing a job down takes time (30 ms for 22,116 rows): not in the task that
            // shows the figures, and the browser gets a turn every SEND_SLICE_MS.
            let mut slices = Slices::new(SEND_SLICE_MS);
            for (key, job) in jobs.0.iter().cloned() {
                match before.get(&key) {
                    Some(computed) => {
                        now.insert(key, computed.clone());
                    }
                    None => {
                        if slices.turn().await && !current() {
                            break;
                        }
                        sent.push((key, send(job)));
                    }
                }
            }
            for (key, sent) in sent {
                if !current() {
                    break;
                }
                now.insert(key, Arc::new(sent.figures().await));
            }
            let now = Arc::new(now);
            kept.set_value(now.clone());
            now
        }
    })
}

/// The name the current run's judged views go by: `<data set> · run`, marked
/// `· JSON answers` when some stage asked for structured answers (not the reference method).
pub fn run_file_name(dataset_name: &str, structured: bool) -> String {
    let mark = if structured { MARK_SUFFIX } else { "" };
    format!("{dataset_name} \u{b7} run{mark}")
}

/// The figures of the current run, one report per judged model, from the answers so far.
/// While the run goes, its figures are refreshed twice a second without intervals (the
/// bootstrap would take the time the answers need); they get their intervals when it stops.
fn run_reports(run: &RunState, options: &Options) -> Vec<Deferred> {
    let answers = run.snapshot.get();
    let live = matches!(run.status.get(), RunStatus::Running | RunStatus::Stopping);
    let options = Options {
        resamples: if live { 0 } else { options.resamples },
        ..options.clone()
    };
    run.current.with(|current| {
        let Some(current) = current else {
            return Vec::new();
        };
        let name = run_file_name(
            &current.info.dataset_name,
            current.info.structured_answers(),
        );
        current
            .info
            .models
            .iter()
            .filter_map(|model| current.dataset.model_idx(model))
            .flat_map(|idx| {
                let view = live_view(&current.dataset, idx, &answers, &name);
                evaluate_models_deferred(&view, &[idx], &options)
            })
            .filter(|deferred| deferred.report.figures.n_total > 0)
            .collect()
    })
}
