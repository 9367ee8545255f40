//! The matcher panels the user formed (SPEC 10, ensembles): which judged files of one model
//! make each panel, among the Agreement tab's matcher files (loaded files, the demo's, the
//! current matching run's and the stored runs added as matchers). Their reports are derived
//! here and join the reports list in `reports`; nothing is copied into a signal.

use std::sync::Arc;

use leptos::prelude::*;

use super::AppState;
use crate::engine::dataset::{FileKind, LoadedFile};
use crate::engine::ensemble::{ensemble, EnsembleError};
use crate::engine::summary::{ModelReport, Options};

/// One panel as chosen: the judged files (one per matcher, by file name; a run's files share
/// one name, told apart by `model`) of `model`, and the valid answers a row needs (`None`:
/// every matcher's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PanelChoice {
    pub model: String,
    pub files: Vec<String>,
    pub required: Option<usize>,
}

/// What each chosen panel gave: its report, or why it cannot be formed (a file removed, a
/// model that differs), in the order chosen. Compared by identity, like `Reports`.
#[derive(Clone, Debug, Default)]
pub struct PanelOutcomes(pub Arc<Vec<Result<Arc<ModelReport>, EnsembleError>>>);

impl PartialEq for PanelOutcomes {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl AppState {
    /// `(file, model)` of every judged file a panel can be made of: the loaded ones and the
    /// runs' (the Agreement tab's matcher files).
    pub fn panel_candidates(&self) -> Vec<(String, String)> {
        self.agreement.files.with(|files| {
            files
                .iter()
                .filter_map(|f| Some((f.file.name.clone(), judged_model(&f.file)?)))
                .collect()
        })
    }

    /// Adds the panel of `files` (judged files of `model`), once.
    pub fn add_panel(&self, model: String, files: Vec<String>, required: Option<usize>) {
        let choice = PanelChoice {
            model,
            files,
            required,
        };
        self.panels.update(|panels| {
            if !panels.contains(&choice) {
                panels.push(choice);
            }
        });
    }

    /// Each chosen panel as the panel builder lists it: its name, or why it cannot be formed.
    pub fn panel_lines(&self) -> Vec<Result<String, String>> {
        self.panel_outcomes.with(|outcomes| {
            outcomes
                .0
                .iter()
                .map(|o| {
                    o.as_ref()
                        .map(|r| r.model.clone())
                        .map_err(|e| e.to_string())
                })
                .collect()
        })
    }

    /// Removes the panel at `idx` of [`AppState::panels`].
    pub fn remove_panel(&self, idx: usize) {
        self.panels.update(|panels| {
            if idx < panels.len() {
                panels.remove(idx);
            }
        });
    }
}

/// The memo of every chosen panel's outcome.
pub(super) fn panel_outcomes(
    files: Signal<Vec<Arc<LoadedFile>>>,
    options: RwSignal<Options>,
    panels: RwSignal<Vec<PanelChoice>>,
) -> Memo<PanelOutcomes> {
    Memo::new(move |_| {
        let options = options.get();
        let outcomes = panels.with(|panels| {
            // Only panels read the files: without one, a run's answers recompute nothing here.
            if panels.is_empty() {
                return Vec::new();
            }
            files.with(|files| {
                panels
                    .iter()
                    .map(|choice| outcome(files, choice, &options))
                    .collect()
            })
        });
        PanelOutcomes(Arc::new(outcomes))
    })
}

/// A panel's report; a file no longer loaded makes the panel smaller, which the engine then
/// names (a panel of one file where two were chosen shows as "panel of 1", never silently).
fn outcome(
    files: &[Arc<LoadedFile>],
    choice: &PanelChoice,
    options: &Options,
) -> Result<Arc<ModelReport>, EnsembleError> {
    let of_model = |f: &&Arc<LoadedFile>| {
        judged_model(f).is_some_and(|m| m.eq_ignore_ascii_case(&choice.model))
    };
    let files: Vec<LoadedFile> = choice
        .files
        .iter()
        .filter_map(|name| {
            let mut named = files.iter().filter(|f| &f.name == name);
            // A loaded file's name is its own; a run's is shared by its models.
            named.clone().find(of_model).or_else(|| named.next())
        })
        .map(|f| f.as_ref().clone())
        .collect();
    let required = choice.required.map(|r| r.min(files.len().max(1)));
    ensemble(&files, required, options).map(|e| Arc::new(e.report))
}

fn judged_model(file: &LoadedFile) -> Option<String> {
    match (file.kind, file.judged_model) {
        (Some(FileKind::Judged), Some(idx)) => file.models.get(idx).cloned(),
        _ => None,
    }
}
