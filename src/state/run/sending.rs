//! Sending a run's rows: resume (start the driver on what is left), pause and cancel.

use gloo_timers::callback::Interval;
use leptos::prelude::*;

use super::{Driver, DriverConfig, RunState, Session};
use crate::clock::now_ms;
use crate::runner::progress::cost;
use crate::runner::status::RunStatus;

impl RunState {
    /// Sends the rows not yet answered (or, with `retry_failed`, also the rows that failed).
    pub fn resume(self, retry_failed: bool) {
        let Some(current) = self.current.get_untracked() else {
            return;
        };
        let (api_key, ready) = self
            .form
            .with_untracked(|f| (f.api_key.clone(), f.check_resume()));
        if let Err(why) = ready {
            self.status.set(RunStatus::Refused(why.to_string()));
            return;
        }
        let plan = self.plan(&current.info, &current.dataset, retry_failed);
        if plan.items.is_empty() {
            self.finished();
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
}
