//! The driver's events into the page: answers are taken in batches by a timer, so that 50
//! answers a second do not each re-render the progress panel, and the figures' copy of the
//! answers is refreshed once a second.

use std::sync::Arc;

use leptos::prelude::*;

use super::{DriverEvent, RunState, StopReason};
use crate::clock::now_ms;
use crate::runner::status::RunStatus;

impl RunState {
    pub(super) fn on_event(self, event: DriverEvent) {
        match event {
            // Answers are already saved; the page takes them in batches (see `tick`).
            DriverEvent::Answer(answer) => self.arrived.update_value(|a| a.push(answer)),
            DriverEvent::InFlight(n) => self.n_in_flight.set_value(n),
            DriverEvent::Stopped(reason) => {
                self.ticker.set_value(None);
                // A stopped run has nothing out, and the ticker that copied the count is gone:
                // without this the panel kept its last tick's count ("0 (4 in flight)").
                self.n_in_flight.set_value(0);
                self.in_flight.set(0);
                self.take_arrived();
                self.flush();
                self.session.update(|s| s.stopped_ms = Some(now_ms()));
                self.status.set(match reason {
                    StopReason::Finished => return self.finished(),
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
    pub(super) fn tick(self) {
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
    pub(super) fn flush(self) {
        self.snapshot.set(Arc::new(self.answers.get_untracked()));
    }
}
