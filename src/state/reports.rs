//! The figures on show: one report per (file, model) of the loaded files and of the current
//! run, then one per matcher panel, derived by memos, and what each report was computed from.

use std::sync::Arc;

use leptos::prelude::*;

use super::panels::PanelOutcomes;
use super::run::{RunState, RunStatus};
use super::AppState;
use crate::engine::dataset::LoadedFile;
use crate::engine::export::FlatReport;
use crate::engine::judged::live_view;
use crate::engine::pipeline::MARK_SUFFIX;
use crate::engine::source::Source;
use crate::engine::summary::{evaluate, evaluate_models, ModelReport, Options};

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

/// The memo of every report. Memos underneath, so that a run's answers do not re-score the
/// loaded files or the panels and back.
pub(super) fn reports(
    sources: RwSignal<Vec<Source>>,
    options: RwSignal<Options>,
    run: RunState,
    panels: Memo<PanelOutcomes>,
) -> Memo<Reports> {
    let file_reports = Memo::new(move |_| {
        let options = options.get();
        let reports = sources.with(|sources| {
            sources
                .iter()
                .flat_map(|s| {
                    evaluate_models(&s.file, &s.file.scored_models(), &options)
                        .into_iter()
                        .map(Arc::new)
                })
                .collect()
        });
        Reports(Arc::new(reports))
    });
    let run_reports = Memo::new(move |_| Reports(Arc::new(run_reports(&run, &options.get()))));
    Memo::new(move |_| {
        let mut all = file_reports.get().0.as_ref().clone();
        all.extend(run_reports.get().0.iter().cloned());
        panels.with(|panels| all.extend(panels.0.iter().filter_map(|p| p.as_ref().ok().cloned())));
        Reports(Arc::new(all))
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
fn run_reports(run: &RunState, options: &Options) -> Vec<Arc<ModelReport>> {
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
            .map(|idx| {
                Arc::new(evaluate(
                    &live_view(&current.dataset, idx, &answers, &name),
                    idx,
                    &options,
                ))
            })
            .filter(|report| report.figures.n_total > 0)
            .collect()
    })
}
