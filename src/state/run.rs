//! The judge run's state: the setup form, the current run and its stored answers, progress,
//! saved runs, and the actions that start, pause, resume, cancel and reopen runs.
//!
//! Answers go to storage first (the driver saves each before reporting it), then into the
//! `answers` signal. Figures read `snapshot`, a copy refreshed once a second while a
//! run goes, so that scoring keeps up with hundreds of answers a second.

use std::collections::HashSet;
use std::sync::Arc;

use gloo_timers::callback::Interval;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock::{epoch_ms, now_ms};
use crate::engine::dataset::{load, FileKind, LoadedFile};
use crate::engine::judged::{import_judged, AnswerStatus, JudgedAnswer};
use crate::llm::client::{chat, reachable};
use crate::llm::diagnose::{diagnose, CallError, Diagnosis};
use crate::runner::plan::{Plan, RunInfo, RunSettings};
use crate::runner::progress::{cost, Progress};
use crate::state::driver::{Driver, DriverConfig, DriverEvent, StopReason};
use crate::store;

/// Where a run stands.
#[derive(Clone, Debug, PartialEq)]
pub enum RunStatus {
    Idle,
    Running,
    /// Asked to pause or cancel; calls in flight are finishing.
    Stopping,
    Paused,
    Finished,
    Cancelled,
    BudgetReached,
    /// Stopped on a failure no retry can fix (bad key, unknown model, storage full).
    Halted(String),
    /// Could not start (missing key, no data set, ...).
    Refused(String),
}

/// What the setup form holds.
#[derive(Clone, Debug, PartialEq)]
pub struct RunForm {
    pub settings: RunSettings,
    /// Kept in memory only, unless `remember_key` is ticked when the run starts.
    pub api_key: String,
    pub remember_key: bool,
    /// The loaded file (a data set, or a judged file to continue) by source id.
    pub source_id: Option<u32>,
    pub models: Vec<String>,
}

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
    pub connection: RwSignal<Option<Diagnosis>>,
    pub testing: RwSignal<bool>,
    driver: StoredValue<Option<Driver>, LocalStorage>,
    ticker: StoredValue<Option<Interval>, LocalStorage>,
    /// Answers reported by the driver, not yet in `answers`.
    arrived: StoredValue<Vec<JudgedAnswer>, LocalStorage>,
    n_in_flight: StoredValue<usize>,
    n_ticks: StoredValue<u64>,
}

impl RunState {
    /// Creates the runner's state and, in the background, recovers the answer journal and
    /// lists the runs stored in this browser.
    pub fn load() -> Self {
        let state = RunState {
            form: RwSignal::new(RunForm {
                settings: store::load_preferences().unwrap_or_default(),
                api_key: String::new(),
                remember_key: false,
                source_id: None,
                models: Vec::new(),
            }),
            current: RwSignal::new(None),
            answers: RwSignal::new(Vec::new()),
            snapshot: RwSignal::new(Arc::new(Vec::new())),
            status: RwSignal::new(RunStatus::Idle),
            in_flight: RwSignal::new(0),
            session: RwSignal::new(Session::default()),
            saved: RwSignal::new(Vec::new()),
            connection: RwSignal::new(None),
            testing: RwSignal::new(false),
            driver: StoredValue::new_local(None),
            ticker: StoredValue::new_local(None),
            arrived: StoredValue::new_local(Vec::new()),
            n_in_flight: StoredValue::new(0),
            n_ticks: StoredValue::new(0),
        };
        spawn_local(async move {
            // Answers saved to the journal but not yet to IndexedDB when a tab closed.
            let _ = store::recover_journal().await;
            state.refresh_saved().await;
        });
        state
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

    /// Starts a new run from the form, on `dataset` (a data set, or a judged file to continue).
    pub fn start(self, file: Arc<LoadedFile>) {
        let form = self.form.get_untracked();
        if let Err(why) = check_form(&form) {
            self.status.set(RunStatus::Refused(why));
            return;
        }
        spawn_local(async move {
            if let Err(why) = self.create_and_run(form, file).await {
                self.status.set(RunStatus::Refused(why));
            }
        });
    }

    async fn create_and_run(self, form: RunForm, file: Arc<LoadedFile>) -> Result<(), String> {
        let (dataset, prior) = match file.kind {
            Some(FileKind::Judged) => {
                let imported =
                    import_judged(&file).ok_or("this judged file names no judged model")?;
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
        };
        store::save_preferences(&form.settings);
        store::save_run(&info).await?;
        store::save_dataset(&info.id, dataset.bytes()).await?;
        for answer in &prior {
            store::save_answer(&info.id, answer).await?;
        }
        // Continuing a judged file means asking again what it could not answer, as the
        // reference runner does when it resumes; a fresh data set has nothing to retry.
        let continuing = !prior.is_empty();
        self.answers.set(prior);
        self.open(info, dataset);
        self.resume(continuing);
        self.refresh_saved().await;
        Ok(())
    }

    /// Makes a run current (without sending anything).
    fn open(self, info: RunInfo, dataset: Arc<LoadedFile>) {
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

    /// Reopens a stored run (after a reload, a crash, or from the list of saved runs).
    pub fn reopen(self, run_id: String) {
        spawn_local(async move {
            let loaded = async {
                store::flush_answers().await?;
                let info = store::list_runs()
                    .await?
                    .into_iter()
                    .find(|r| r.id == run_id)
                    .ok_or("the run is no longer stored")?;
                let bytes = store::load_dataset(&run_id).await?;
                let answers = store::load_answers(&run_id).await?;
                Ok::<_, String>((info, load(&format!("{} (stored)", run_id), &bytes), answers))
            };
            match loaded.await {
                Ok((info, mut dataset, answers)) => {
                    dataset.name = info.dataset_name.clone();
                    if let Some(key) = &info.api_key {
                        self.form.update(|f| f.api_key = key.clone());
                    }
                    self.answers.set(answers);
                    self.open(info, Arc::new(dataset));
                }
                Err(why) => self.status.set(RunStatus::Refused(why)),
            }
        });
    }

    /// Sends the rows not yet answered (or, with `retry_failed`, also the rows that failed).
    pub fn resume(self, retry_failed: bool) {
        let Some(current) = self.current.get_untracked() else {
            return;
        };
        let api_key = self.form.with_untracked(|f| f.api_key.clone());
        if api_key.trim().is_empty() {
            self.status.set(RunStatus::Refused(
                "enter the API key to send the remaining rows".into(),
            ));
            return;
        }
        let plan = self.plan(&current.info, &current.dataset, retry_failed);
        if plan.items.is_empty() {
            self.status.set(RunStatus::Finished);
            return;
        }
        let spent = self.answers.with_untracked(|a| {
            a.iter()
                .map(|a| a.billed.or(a.usage).unwrap_or_default())
                .map(|u| {
                    cost(
                        u.prompt_tokens,
                        u.completion_tokens,
                        current.info.settings.prices,
                    )
                })
                .sum()
        });
        let config = DriverConfig {
            run_id: current.info.id.clone(),
            settings: current.info.settings.clone(),
            api_key,
            dataset: current.dataset.clone(),
            items: plan.items,
            spent,
            n_answered: self.answers.with_untracked(Vec::len),
        };
        self.session.set(Session {
            started_ms: now_ms(),
            ..Session::default()
        });
        self.status.set(RunStatus::Running);
        self.ticker
            .set_value(Some(Interval::new(250, move || self.tick())));
        let driver = Driver::start(config, move |event| self.on_event(event));
        self.driver.set_value(Some(driver));
    }

    pub fn pause(self) {
        self.stop_with(|d| d.pause());
    }

    pub fn cancel(self) {
        self.stop_with(|d| d.cancel());
    }

    fn stop_with(self, stop: impl Fn(&Driver)) {
        if let Some(driver) = self.driver.get_value() {
            self.status.set(RunStatus::Stopping);
            stop(&driver);
        }
    }

    /// Deletes a stored run.
    pub fn delete(self, run_id: String) {
        spawn_local(async move {
            if let Err(why) = store::delete_run(&run_id).await {
                self.status.set(RunStatus::Refused(why));
            }
            if self
                .current
                .with_untracked(|c| c.as_ref().is_some_and(|c| c.info.id == run_id))
            {
                self.current.set(None);
                self.answers.set(Vec::new());
                self.flush();
                self.status.set(RunStatus::Idle);
            }
            self.refresh_saved().await;
        });
    }

    /// One tiny request with the form's settings, explained in plain words.
    pub fn test_connection(self) {
        let form = self.form.get_untracked();
        self.testing.set(true);
        self.connection.set(None);
        spawn_local(async move {
            let abort = web_sys::AbortController::new().ok();
            let result = match &abort {
                Some(abort) => {
                    chat(
                        &form.settings,
                        &form.api_key,
                        "Reply with the single word OK.",
                        abort,
                    )
                    .await
                }
                None => Err(CallError::Network),
            };
            let reach = match result {
                Err(CallError::Network) => Some(reachable(&form.settings.base_url).await),
                _ => None,
            };
            let origin = web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default();
            self.connection
                .set(Some(diagnose(&result, reach, &form.settings, &origin)));
            self.testing.set(false);
        });
    }

    fn on_event(self, event: DriverEvent) {
        match event {
            // Answers are already saved; the page takes them in batches (see `tick`), so that
            // 50 answers a second do not each re-render the progress panel.
            DriverEvent::Answer(answer) => self.arrived.update_value(|a| a.push(answer)),
            DriverEvent::InFlight(n) => self.n_in_flight.set_value(n),
            DriverEvent::Stopped(reason) => {
                self.ticker.set_value(None);
                self.take_arrived();
                self.flush();
                self.session.update(|s| s.stopped_ms = Some(now_ms()));
                self.status.set(match reason {
                    StopReason::Finished => RunStatus::Finished,
                    StopReason::Paused => RunStatus::Paused,
                    StopReason::Cancelled => RunStatus::Cancelled,
                    StopReason::BudgetReached => RunStatus::BudgetReached,
                    StopReason::Halted(why) => RunStatus::Halted(why),
                });
            }
        }
    }

    /// Four times a second while running: arrived answers into `answers` (the progress panel);
    /// once a second a fresh `snapshot` for the figures. Refreshing the figures more often
    /// measurably slows a fast run (tests/e2e/src/bin/bench_runner.rs).
    fn tick(self) {
        self.in_flight.set(self.n_in_flight.get_value());
        let fresh = self.take_arrived();
        let n_ticks = self.n_ticks.get_value() + 1;
        self.n_ticks.set_value(n_ticks);
        if fresh && n_ticks.is_multiple_of(4) {
            self.flush();
        }
    }

    /// Moves arrived answers into `answers`; true when there were any.
    fn take_arrived(self) -> bool {
        let arrived = std::mem::take(&mut *self.arrived.write_value());
        if arrived.is_empty() {
            return false;
        }
        let n = arrived.len();
        self.answers.update(|all| {
            for answer in arrived {
                match all
                    .iter_mut()
                    .find(|a| a.line == answer.line && a.model == answer.model)
                {
                    Some(old) => *old = answer,
                    None => all.push(answer),
                }
            }
        });
        self.session.update(|s| s.n_answered += n);
        true
    }

    /// Refreshes the copy of the answers the figures are computed from.
    fn flush(self) {
        self.snapshot.set(Arc::new(self.answers.get_untracked()));
    }

    fn plan(&self, info: &RunInfo, dataset: &Arc<LoadedFile>, retry_failed: bool) -> Plan {
        let answered: HashSet<(usize, String)> = self.answers.with_untracked(|answers| {
            answers
                .iter()
                .filter(|a| !retry_failed || a.status == AnswerStatus::Success)
                .map(|a| (a.line, a.model.clone()))
                .collect()
        });
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

/// What must be filled in before a run can start.
fn check_form(form: &RunForm) -> Result<(), String> {
    let missing = crate::engine::prompt::missing_placeholders(&form.settings.template);
    if form.api_key.trim().is_empty() {
        Err("enter the API key".into())
    } else if form.settings.judge_model.trim().is_empty() {
        Err("enter the judge model".into())
    } else if form.models.is_empty() {
        Err("choose at least one model to judge".into())
    } else if !missing.is_empty() {
        Err(format!(
            "the prompt template lacks {}",
            missing.join(" and ")
        ))
    } else if !form.settings.base_url.trim().starts_with("http") {
        Err("the base URL must start with http:// or https://".into())
    } else {
        Ok(())
    }
}
