//! The run's async actions, as Leptos actions: start a run, reopen a stored one, delete one,
//! test the connection. A page creates them once (`RunActions::new`), so that their pending
//! state is what its buttons show, and their tasks belong to its view.

use std::sync::Arc;

use leptos::prelude::*;
use thiserror::Error;

use super::{CurrentRun, RunState};
use crate::clock::epoch_ms;
use crate::engine::dataset::{load, FileKind, LoadedFile};
use crate::engine::judged::{import_judged, JudgedAnswer};
use crate::runner::diagnosis::Diagnosis;
use crate::runner::form::{FormError, RunForm};
use crate::runner::plan::RunInfo;
use crate::runner::status::RunStatus;
use crate::store::{self, StoreError};

/// Why a run could not start or be reopened.
#[derive(Debug, Error)]
pub enum RunError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("this judged file names no judged model")]
    NotJudged,
    #[error("the run is no longer stored")]
    Gone,
}

/// The runner's async actions, and whether they are under way.
#[derive(Clone, Copy)]
pub struct RunActions {
    start: Action<(RunForm, Arc<LoadedFile>), ()>,
    reopen: Action<String, ()>,
    delete: Action<String, ()>,
    test_connection: Action<RunForm, Diagnosis>,
    /// A run is being created (stored, then started).
    pub starting: Memo<bool>,
    /// A stored run is being read back.
    reopening: Memo<bool>,
    /// A connection test is out.
    pub testing: Memo<bool>,
    /// The last connection test's diagnosis; none while a test is out.
    pub diagnosis: Signal<Option<Diagnosis>>,
    run: RunState,
}

impl RunActions {
    /// The actions on `run`, owned by the calling view.
    pub fn new(run: RunState) -> Self {
        let start = Action::new_local(move |(form, file): &(RunForm, Arc<LoadedFile>)| {
            let (form, file) = (form.clone(), file.clone());
            async move { run.refuse_on(create_and_run(run, form, file).await) }
        });
        let reopen = Action::new_local(move |run_id: &String| {
            let run_id = run_id.clone();
            async move { run.refuse_on(reopen(run, run_id).await) }
        });
        let delete = Action::new_local(move |run_id: &String| {
            let run_id = run_id.clone();
            async move { delete(run, run_id).await }
        });
        let test_connection =
            Action::new_local(|form: &RunForm| super::connection::test_connection(form.clone()));
        // Made once here: `pending()` and `value()` make a new memo at each call.
        let testing = test_connection.pending();
        let last_test = test_connection.value();
        RunActions {
            start,
            reopen,
            delete,
            test_connection,
            starting: start.pending(),
            reopening: reopen.pending(),
            testing,
            diagnosis: Signal::derive(move || if testing.get() { None } else { last_test.get() }),
            run,
        }
    }

    /// Starts a new run from the form, on `file` (a data set, or a judged file to continue).
    /// Ignored while a start is under way.
    pub fn start(self, file: Option<Arc<LoadedFile>>) {
        if self.starting.get_untracked() {
            return;
        }
        let form = self.run.form.get_untracked();
        let checked = file
            .ok_or(FormError::NoSource)
            .and_then(|file| form.check().map(|()| file));
        match checked {
            Ok(file) => {
                self.start.dispatch_local((form, file));
            }
            Err(why) => self.run.status.set(RunStatus::Refused(why.to_string())),
        }
    }

    /// Reopens a stored run (after a reload, a crash, or from the list of saved runs).
    /// Ignored while another is being reopened.
    pub fn reopen(self, run_id: String) {
        if !self.reopening.get_untracked() {
            self.reopen.dispatch_local(run_id);
        }
    }

    /// Deletes a stored run.
    pub fn delete(self, run_id: String) {
        self.delete.dispatch_local(run_id);
    }

    /// One tiny request with the form's settings; a second click while one is out is ignored,
    /// so that two tests never race to show their answer.
    pub fn test_connection(self) {
        if !self.testing.get_untracked() {
            self.test_connection
                .dispatch_local(self.run.form.get_untracked());
        }
    }
}

impl RunState {
    fn refuse_on(self, result: Result<(), RunError>) {
        if let Err(why) = result {
            self.status.set(RunStatus::Refused(why.to_string()));
        }
    }

    /// Makes a run current (without sending anything).
    pub(super) fn open(self, info: RunInfo, dataset: Arc<LoadedFile>) {
        if let Some(driver) = self.driver.get_value() {
            driver.cancel();
        }
        self.driver.set_value(None);
        let plan = self.plan(&info, &dataset, false);
        let n_planned = plan.items.len() + plan.n_answered;
        self.current.set(Some(CurrentRun {
            info,
            dataset,
            n_planned,
            left_out: plan.left_out,
        }));
        self.flush();
        self.status.set(if plan.items.is_empty() {
            RunStatus::Finished
        } else {
            RunStatus::Paused
        });
    }
}

async fn create_and_run(
    run: RunState,
    form: RunForm,
    file: Arc<LoadedFile>,
) -> Result<(), RunError> {
    // Continuing a judged file means asking again what it could not answer, as the
    // reference runner does when it resumes; a fresh data set has nothing to retry.
    let continuing = create(run, form, file).await?;
    run.resume(continuing);
    run.refresh_saved().await;
    Ok(())
}

/// Stores a new run from `form` on `file` and makes it current, sending nothing (a run for
/// batch files starts here too). True when it continues a judged file.
pub(super) async fn create(
    run: RunState,
    form: RunForm,
    file: Arc<LoadedFile>,
) -> Result<bool, RunError> {
    let (dataset, prior) = match file.kind {
        Some(FileKind::Judged) => {
            let imported = import_judged(&file).ok_or(RunError::NotJudged)?;
            (Arc::new(imported.dataset), imported.answers)
        }
        _ => (file, Vec::new()),
    };
    let info = RunInfo {
        id: format!("run-{}", epoch_ms() as u64),
        created_ms: epoch_ms(),
        dataset_name: dataset.name.clone(),
        models: form.models.clone(),
        settings: form.settings.clone(),
        api_key: form.remember_key.then(|| form.api_key.clone()),
        evaluation: None,
    };
    store::save_preferences(&form.settings);
    store::save_run(&info).await?;
    store::save_dataset(&info.id, dataset.bytes()).await?;
    for answer in &prior {
        store::save_answer(&info.id, answer).await?;
    }
    let continuing = !prior.is_empty();
    run.answers.set(prior);
    run.open(info, dataset);
    Ok(continuing)
}

async fn reopen(run: RunState, run_id: String) -> Result<(), RunError> {
    let (info, mut dataset, answers) = load_stored(&run_id).await?;
    dataset.name = info.dataset_name.clone();
    if let Some(key) = &info.api_key {
        run.form.update(|f| f.api_key = key.clone());
    }
    run.answers.set(answers);
    run.open(info, Arc::new(dataset));
    Ok(())
}

/// A stored run with its data set and answers.
pub(crate) async fn load_stored(
    run_id: &str,
) -> Result<(RunInfo, LoadedFile, Vec<JudgedAnswer>), RunError> {
    store::flush_answers().await?;
    let info = store::list_runs()
        .await?
        .into_iter()
        .find(|r| r.id == run_id)
        .ok_or(RunError::Gone)?;
    let bytes = store::load_dataset(run_id).await?;
    let answers = store::load_answers(run_id).await?;
    Ok((info, load(&format!("{run_id} (stored)"), &bytes), answers))
}

async fn delete(run: RunState, run_id: String) {
    if let Err(why) = store::delete_run(&run_id).await {
        run.status.set(RunStatus::Refused(why.to_string()));
    }
    if run
        .current
        .with_untracked(|c| c.as_ref().is_some_and(|c| c.info.id == run_id))
    {
        run.current.set(None);
        run.answers.set(Vec::new());
        run.flush();
        run.status.set(RunStatus::Idle);
    }
    run.refresh_saved().await;
}
