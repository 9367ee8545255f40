//! The judge run's state: the setup form, the current run and its stored answers, progress and
//! saved runs. What changes them lives next door: `actions` (start, reopen, delete: async, as
//! Leptos actions), `sending` (resume, pause, cancel the driver), `batching` (the driver's
//! answers into the page, in batches), `connection` ("Test connection"), `batch_files` (a run
//! as batch files and their results back, SPEC 9).
//!
//! Answers go to storage first (the driver saves each before reporting it), then into the
//! `answers` signal. Figures read `snapshot`, a copy refreshed once a second while a
//! run goes, so that scoring keeps up with hundreds of answers a second.

use std::collections::HashSet;
use std::sync::Arc;

use gloo_timers::callback::Interval;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock::{now_ms, sleep_ms};
use crate::engine::dataset::LoadedFile;
use crate::engine::judged::{AnswerStatus, JudgedAnswer};
use crate::engine::pipeline::Stage;
// The driver's types, imported once here for the files next door.
use crate::runner::plan::{Plan, RunInfo};
use crate::runner::progress::Progress;
use crate::split::{later, Later};
use crate::state::driver::{Driver, DriverConfig, DriverEvent, StopReason};
use crate::store;

mod actions;
mod batch_files;
mod batching;
mod connection;
mod evaluation;
mod export;
mod sending;

pub use crate::runner::form::RunForm;
pub use crate::runner::status::RunStatus;
pub(crate) use actions::load_stored;
pub use actions::{RunActions, RunError};
pub use batch_files::BatchFiles;
pub use evaluation::EvalState;

/// The current run, if any, as loaded in memory.
#[derive(Clone, Debug)]
pub struct CurrentRun {
    pub info: RunInfo,
    pub dataset: Arc<LoadedFile>,
    /// Rows to send plus rows already answered, when the run (re)started.
    pub n_planned: usize,
    pub left_out: Vec<(usize, String, String)>,
}

/// Rate bookkeeping of this page's session of the run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Session {
    pub started_ms: f64,
    pub n_answered: usize,
    pub stopped_ms: Option<f64>,
}

/// How often [`RunState::load`] asks for its restore's code, and how long it waits between.
const RESTORE_TRIES: u32 = 5;
const RESTORE_RETRY_MS: f64 = 2_000.0;

/// All of the runner's signals.
#[derive(Clone, Copy)]
pub struct RunState {
    pub form: RwSignal<RunForm>,
    pub current: RwSignal<Option<CurrentRun>>,
    pub answers: RwSignal<Vec<JudgedAnswer>>,
    pub snapshot: RwSignal<Arc<Vec<JudgedAnswer>>>,
    pub status: RwSignal<RunStatus>,
    pub in_flight: RwSignal<usize>,
    pub session: RwSignal<Session>,
    pub saved: RwSignal<Vec<RunInfo>>,
    /// What a failed journal recovery at load means for the user's answers.
    pub journal_problem: RwSignal<Option<String>>,
    driver: StoredValue<Option<Driver>, LocalStorage>,
    ticker: StoredValue<Option<Interval>, LocalStorage>,
    /// Answers reported by the driver, not yet in `answers`.
    arrived: StoredValue<Vec<JudgedAnswer>, LocalStorage>,
    n_in_flight: StoredValue<usize>,
    n_ticks: StoredValue<u64>,
    /// Called when the run finishes (an evaluation then starts its next stage).
    finished_hook: StoredValue<Option<Callback<()>>>,
}

impl RunState {
    /// Creates the runner's state and, in the background (its code loaded after the first
    /// view, [`restore`]), reads the saved settings, recovers the answer journal and lists the
    /// runs stored in this browser.
    pub fn load() -> Self {
        let state = RunState::new(RunForm::default());
        spawn_local(async move {
            // The later module may not come at once (the network): try again, then say so.
            for attempt in 1..=RESTORE_TRIES {
                match restore(state).await {
                    Ok(restoring) => return restoring.await,
                    Err(failed) if attempt == RESTORE_TRIES => {
                        state.journal_problem.set(Some(format!(
                            "the saved settings, stored runs and journal were not read: {failed}"
                        )))
                    }
                    Err(_) => sleep_ms(RESTORE_RETRY_MS).await,
                }
            }
        });
        state
    }

    /// A run's signals with nothing loaded: one stage of an evaluation has its own.
    pub fn new(form: RunForm) -> Self {
        RunState {
            form: RwSignal::new(form),
            current: RwSignal::new(None),
            answers: RwSignal::new(Vec::new()),
            snapshot: RwSignal::new(Arc::new(Vec::new())),
            status: RwSignal::new(RunStatus::Idle),
            in_flight: RwSignal::new(0),
            session: RwSignal::new(Session::default()),
            saved: RwSignal::new(Vec::new()),
            journal_problem: RwSignal::new(None),
            driver: StoredValue::new_local(None),
            ticker: StoredValue::new_local(None),
            arrived: StoredValue::new_local(Vec::new()),
            n_in_flight: StoredValue::new(0),
            n_ticks: StoredValue::new(0),
            finished_hook: StoredValue::new(None),
        }
    }

    /// Calls `hook` each time a run of this state finishes (not on a pause, cancel or halt).
    pub fn on_finished(self, hook: Callback<()>) {
        self.finished_hook.set_value(Some(hook));
    }

    fn finished(self) {
        self.status.set(RunStatus::Finished);
        if let Some(hook) = self.finished_hook.get_value() {
            hook.run(());
        }
    }

    /// Progress of the current run.
    pub fn progress(&self) -> Progress {
        let session = self.session.get();
        let running_ms = session.stopped_ms.unwrap_or_else(now_ms) - session.started_ms;
        let n_total = self.current.with(|c| c.as_ref().map_or(0, |c| c.n_planned));
        let prices = self
            .current
            .with(|c| c.as_ref().map(|c| c.info.settings.prices))
            .unwrap_or_default();
        self.answers
            .with(|a| Progress::new(a, n_total, prices, session.n_answered, running_ms))
    }

    /// What a run would send now: every row without an answer (or, with `retry_failed`,
    /// without a successful one).
    fn plan(&self, info: &RunInfo, dataset: &Arc<LoadedFile>, retry_failed: bool) -> Plan {
        let answered: HashSet<(usize, String)> = self.answers.with_untracked(|answers| {
            answers
                .iter()
                .filter(|a| !retry_failed || a.status == AnswerStatus::Success)
                .map(|a| (a.line, a.model.clone()))
                .collect()
        });
        if info.settings.stage != Stage::Match {
            return Plan::for_stage(dataset, &info.models, &info.settings, &answered);
        }
        let models: Vec<usize> = info
            .models
            .iter()
            .filter_map(|m| dataset.model_idx(m))
            .collect();
        Plan::new(dataset, &models, &info.settings, &answered)
    }

    async fn refresh_saved(self) {
        if let Ok(runs) = store::list_runs().await {
            self.saved.set(runs);
        }
    }
}

later! {
    /// What [`RunState::load`] does after the first view: the saved settings into the form,
    /// the journal recovered, the stored runs listed.
    fn restore(state: RunState) -> Later<()> {
        if let Some(settings) = store::load_preferences() {
            state.form.update(|f| f.settings = settings);
        }
        Box::pin(async move {
            // Answers saved to the journal but not yet to IndexedDB when a tab closed.
            if let Err(failure) = store::recover_journal().await {
                state.journal_problem.set(Some(failure.to_string()));
            }
            state.refresh_saved().await;
        })
    }
}
