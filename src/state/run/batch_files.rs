//! Batch hand-off in the page (SPEC section 9): a run made without sending anything, the calls
//! it has not answered written out as batch input files, and the engines' output files read
//! back into it. Every imported answer is saved (journal, then IndexedDB) before the page
//! counts it, exactly as a page call's; the run then stands where those answers leave it.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::File;

use super::RunState;
use crate::engine::batch::input::Limits;
use crate::engine::batch::summary::ImportSummary;
use crate::engine::dataset::LoadedFile;
use crate::engine::judged::JudgedAnswer;
use crate::reader::read_text;
use crate::runner::batch::{check_for_batch, export_files, run_importer};
use crate::runner::form::{FormError, RunForm};
use crate::runner::status::RunStatus;
use crate::store;

/// The exported files of one run: its id, then each file's name and line count.
type Exported = Option<(String, Vec<(String, usize)>)>;

/// The batch controls' state, over the app's run.
#[derive(Clone, Copy)]
pub struct BatchFiles {
    run: RunState,
    /// The files of the last export (name, lines) and the run they belong to.
    exported: RwSignal<Exported>,
    /// Their texts, kept out of any signal (they may be large).
    texts: StoredValue<Vec<String>>,
    /// What the last import read.
    pub summary: RwSignal<Option<ImportSummary>>,
    /// Why the last action could not be done.
    pub problem: RwSignal<Option<String>>,
    /// A run is being made or files are being imported.
    pub working: RwSignal<bool>,
}

impl BatchFiles {
    pub fn new(run: RunState) -> Self {
        BatchFiles {
            run,
            exported: RwSignal::new(None),
            texts: StoredValue::new(Vec::new()),
            summary: RwSignal::new(None),
            problem: RwSignal::new(None),
            working: RwSignal::new(false),
        }
    }

    /// The current run's exported files: (name, lines).
    pub fn files(self) -> Vec<(String, usize)> {
        let current = self.current_id();
        self.exported.with(|e| match e {
            Some((run_id, files)) if Some(run_id) == current.as_ref() => files.clone(),
            _ => Vec::new(),
        })
    }

    /// Makes a new run from the form on `file` without sending anything, then exports it.
    pub fn prepare(self, form: RunForm, file: Option<Arc<LoadedFile>>) {
        if self.working.get_untracked() || self.run.status.with_untracked(RunStatus::is_busy) {
            return;
        }
        let checked = file
            .ok_or(FormError::NoSource)
            .and_then(|file| check_for_batch(&form).map(|()| file));
        let file = match checked {
            Ok(file) => file,
            Err(why) => return self.problem.set(Some(why.to_string())),
        };
        self.working.set(true);
        let run = self.run;
        spawn_local(async move {
            let made = super::actions::create(run, form, file).await;
            self.working.set(false);
            match made {
                Ok(_) => self.export(),
                Err(why) => self.problem.set(Some(why.to_string())),
            }
            run.refresh_saved().await;
        });
    }

    /// Writes the input files of every (row, model) of the current run without a successful
    /// answer (failed and unreadable ones included, as "Retry failed rows" sends them).
    pub fn export(self) {
        let Some(current) = self.run.current.get_untracked() else {
            return self.problem.set(Some("make a run first".into()));
        };
        if self.run.status.with_untracked(RunStatus::is_busy) {
            return self.problem.set(Some(
                "pause the run first: rows sent from the page would be paid twice".into(),
            ));
        }
        let plan = self.run.plan(&current.info, &current.dataset, true);
        let parts = export_files(&current.info, &plan, Limits::default());
        let listed = parts.iter().map(|p| (p.name.clone(), p.n_lines)).collect();
        self.texts
            .set_value(parts.into_iter().map(|p| p.text).collect());
        self.exported.set(Some((current.info.id.clone(), listed)));
        self.problem.set(if plan.items.is_empty() {
            Some("nothing to export: every (row, model) has a successful answer".into())
        } else {
            None
        });
    }

    /// The exported file `idx`: (name, text).
    pub fn file(self, idx: usize) -> (String, String) {
        let name = self.exported.with_untracked(|e| {
            e.as_ref()
                .and_then(|(_, f)| f.get(idx).map(|f| f.0.clone()))
        });
        let text = self.texts.with_value(|t| t.get(idx).cloned());
        (name.unwrap_or_default(), text.unwrap_or_default())
    }

    /// Reads output files (OpenAI's or vLLM's shape, in any order) into the current run.
    pub fn import(self, files: Vec<File>) {
        if files.is_empty() || self.working.get_untracked() {
            return;
        }
        let Some(current) = self.run.current.get_untracked() else {
            return self
                .problem
                .set(Some("open the run these results belong to first".into()));
        };
        if self.run.status.with_untracked(RunStatus::is_busy) {
            return self
                .problem
                .set(Some("pause the run before importing".into()));
        }
        self.working.set(true);
        self.problem.set(None);
        spawn_local(async move {
            let result = import_files(self.run, current, &files).await;
            self.working.set(false);
            match result {
                Ok(summary) => self.summary.set(Some(summary)),
                Err(why) => self.problem.set(Some(why)),
            }
        });
    }

    fn current_id(self) -> Option<String> {
        self.run
            .current
            .with(|c| c.as_ref().map(|c| c.info.id.clone()))
    }
}

/// Reads `files`, saves every answer taken, then puts them into the run's answers and
/// recounts the run. A failed save stops the import; the answers saved before it count.
async fn import_files(
    run: RunState,
    current: super::CurrentRun,
    files: &[File],
) -> Result<ImportSummary, String> {
    let stored = run.answers.get_untracked();
    let mut importer = run_importer(&current.info, &current.dataset, &stored);
    for file in files {
        let text = read_text(file).await.map_err(|e| e.to_string())?;
        importer.read_file(&file.name(), &text);
    }
    let imported = importer.finish();
    let mut saved = Vec::with_capacity(imported.answers.len());
    let mut failure = None;
    for answer in imported.answers {
        if let Err(why) = store::save_answer(&current.info.id, &answer).await {
            failure = Some(why.to_string());
            break;
        }
        saved.push(answer);
    }
    if failure.is_none() {
        failure = store::flush_answers().await.err().map(|e| e.to_string());
    }
    let n_saved = saved.len();
    run.answers.update(|all| merge(all, saved));
    run.open(current.info, current.dataset);
    // A run the import completed has finished, as one the page completes: an evaluation
    // handed to a batch engine goes on to its next stage.
    if run.status.get_untracked() == RunStatus::Finished {
        run.finished();
    }
    match failure {
        None => Ok(imported.summary),
        Some(why) => Err(format!(
            "{why}; the import stopped after {n_saved} saved answers (import the files again for the rest)"
        )),
    }
}

/// `fresh` into `all`, each replacing the answer of its (line, model): the importer only gives
/// an answer where it is better than the stored one.
fn merge(all: &mut Vec<JudgedAnswer>, fresh: Vec<JudgedAnswer>) {
    let mut at: HashMap<(usize, String), usize> = all
        .iter()
        .enumerate()
        .map(|(idx, a)| ((a.line, a.model.clone()), idx))
        .collect();
    for answer in fresh {
        match at.get(&(answer.line, answer.model.clone())) {
            Some(&idx) => all[idx] = answer,
            None => {
                at.insert((answer.line, answer.model.clone()), all.len());
                all.push(answer);
            }
        }
    }
}
