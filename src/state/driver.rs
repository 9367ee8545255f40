//! The one async driver: sends a plan's rows to the endpoint with `concurrency` workers, hands
//! every call's result to the row's attempt machine (`runner::attempt`) and to the run's
//! control (which halts the run on a dead endpoint), saves every answer before anything else
//! happens to it, and reports to its owner through one callback. Whether rows are taken, and
//! why the run stopped, is `runner::control`. Pause lets calls in flight finish; cancel aborts
//! them; neither loses a stored answer, and a row whose answer was stored is never sent again
//! (it is not in the plan).

use std::cell::RefCell;
use std::rc::Rc;

use leptos::task::spawn_local;
use web_sys::AbortController;

use crate::clock::{next_task, now_ms, sleep_ms};
use crate::engine::judged::JudgedAnswer;
use crate::llm::client::chat;
use crate::runner::attempt::{Attempt, Call, Step};
use crate::runner::control::{Budget, RunControl};
use crate::runner::plan::{Item, RunSettings};
use crate::store;

pub use crate::runner::control::StopReason;

/// What the driver tells its owner.
#[derive(Clone, Debug, PartialEq)]
pub enum DriverEvent {
    /// An answer, already saved.
    Answer(JudgedAnswer),
    InFlight(usize),
    Stopped(StopReason),
}

/// What a run needs to start.
pub struct DriverConfig {
    pub run_id: String,
    pub settings: RunSettings,
    pub api_key: String,
    pub items: Vec<Item>,
    /// Estimated cost and number of the answers stored before this start (for the budget).
    pub spent: f64,
    pub n_answered: usize,
}

struct Inner {
    run_id: String,
    settings: RunSettings,
    api_key: String,
    control: RunControl<Item>,
    aborts: Vec<(u64, AbortController)>,
    next_abort_id: u64,
    n_workers: usize,
    sink: Rc<dyn Fn(DriverEvent)>,
}

/// A running (or stopped) run. Cloning gives another handle to the same run.
#[derive(Clone)]
pub struct Driver(Rc<RefCell<Inner>>);

impl Driver {
    /// Starts sending; events go to `sink`.
    pub fn start(config: DriverConfig, sink: impl Fn(DriverEvent) + 'static) -> Driver {
        let budget = Budget {
            limit: config.settings.budget,
            prices: config.settings.prices,
            spent: config.spent,
            n_answered: config.n_answered,
        };
        let control = RunControl::new(config.items, config.settings.concurrency, budget);
        let driver = Driver(Rc::new(RefCell::new(Inner {
            run_id: config.run_id,
            settings: config.settings,
            api_key: config.api_key,
            control,
            aborts: Vec::new(),
            next_abort_id: 0,
            n_workers: 0,
            sink: Rc::new(sink),
        })));
        driver.spawn_workers();
        driver
    }

    /// Stops taking rows; calls in flight finish and are saved.
    pub fn pause(&self) {
        self.0.borrow_mut().control.pause();
        self.stopped_if_idle();
    }

    /// Stops taking rows and aborts the calls in flight (their rows stay unanswered).
    pub fn cancel(&self) {
        self.0.borrow_mut().control.cancel();
        self.stopped_if_idle();
        let aborts: Vec<AbortController> = self
            .0
            .borrow_mut()
            .aborts
            .drain(..)
            .map(|(_, a)| a)
            .collect();
        for abort in aborts {
            abort.abort();
        }
    }

    /// Takes rows again after a pause, a budget stop or a halt.
    pub fn resume(&self) {
        self.0.borrow_mut().control.resume();
        self.spawn_workers();
    }

    /// The most rows that were ever out at once.
    pub fn peak_in_flight(&self) -> usize {
        self.0.borrow().control.peak()
    }

    fn stopped_if_idle(&self) {
        if self.0.borrow().n_workers == 0 {
            self.emit(DriverEvent::Stopped(self.stop_reason()));
        }
    }

    fn spawn_workers(&self) {
        let n_new = {
            let mut inner = self.0.borrow_mut();
            let n_new = inner
                .control
                .limit()
                .saturating_sub(inner.n_workers)
                .min(inner.control.n_pending());
            inner.n_workers += n_new;
            n_new
        };
        if n_new == 0 {
            self.stopped_if_idle();
        }
        for _ in 0..n_new {
            spawn_local(worker(self.clone()));
        }
    }

    fn emit(&self, event: DriverEvent) {
        let sink = self.0.borrow().sink.clone();
        sink(event);
    }

    fn with_control<R>(&self, f: impl FnOnce(&mut RunControl<Item>) -> R) -> R {
        f(&mut self.0.borrow_mut().control)
    }

    fn stop_reason(&self) -> StopReason {
        self.0.borrow().control.stop_reason()
    }

    fn in_flight(&self) -> usize {
        self.0.borrow().control.in_flight()
    }

    fn register(&self, abort: AbortController) -> u64 {
        let mut inner = self.0.borrow_mut();
        let id = inner.next_abort_id;
        inner.next_abort_id += 1;
        inner.aborts.push((id, abort));
        id
    }

    fn unregister(&self, id: u64) {
        self.0.borrow_mut().aborts.retain(|(i, _)| *i != id);
    }
}

/// One worker: takes rows until there are none or the run stops.
async fn worker(driver: Driver) {
    while let Some(item) = driver.with_control(RunControl::take) {
        driver.emit(DriverEvent::InFlight(driver.in_flight()));
        match judge(&driver, &item).await {
            Some(answer) => {
                let run_id = driver.0.borrow().run_id.clone();
                if let Err(message) = store::save_answer(&run_id, &answer).await {
                    driver.with_control(|c| {
                        c.halt(format!(
                            "{message}; the run stopped so that no further answer goes unsaved"
                        ))
                    });
                }
                driver.with_control(|c| c.answered(&answer));
                driver.emit(DriverEvent::Answer(answer));
            }
            // The row goes back only after a request (which awaited) or once the run takes no
            // more rows, so this loop cannot spin on it (see `runner::control`'s tests).
            None => driver.with_control(|c| c.put_back(item)),
        }
        driver.emit(DriverEvent::InFlight(driver.in_flight()));
    }
    let last = {
        let mut inner = driver.0.borrow_mut();
        inner.n_workers -= 1;
        inner.n_workers == 0
    };
    if last {
        driver.emit(DriverEvent::Stopped(driver.stop_reason()));
    }
}

/// Sends one row's request until its attempt machine records an answer, or the run stops
/// (`None`: nothing to store, the row stays unanswered).
async fn judge(driver: &Driver, item: &Item) -> Option<JudgedAnswer> {
    let (settings, api_key) = {
        let inner = driver.0.borrow();
        (inner.settings.clone(), inner.api_key.clone())
    };
    let mut attempt =
        Attempt::new(item, settings.retry, now_ms()).with_structured(settings.structured);
    loop {
        if !driver.with_control(|c| c.running()) {
            return None;
        }
        let Ok(abort) = AbortController::new() else {
            // Without an abort handle a cancel could not stop the call; no row could be sent.
            driver.with_control(|c| c.halt("the browser could not make an abort handle".into()));
            return None;
        };
        let abort_id = driver.register(abort.clone());
        // Filled now rather than held by the plan; it cannot fail (see `runner::request`).
        let prompt = item.request.text();
        let result = chat(&settings, &api_key, &prompt, &abort).await;
        driver.unregister(abort_id);
        let call = match result {
            Ok(reply) => Call::Answered {
                content: reply.content,
                finish_reason: reply.finish_reason,
                usage: reply.usage,
            },
            Err(error) => Call::Failed {
                outcome: error.outcome(),
                summary: error.summary(),
            },
        };
        // Every call, retries included, counts towards the dead-endpoint halt.
        driver.with_control(|c| c.called(&call));
        match attempt.after(call, js_sys::Math::random(), now_ms()) {
            // A run halted by this very call stops now rather than after the backoff.
            Step::Retry { .. } if !driver.with_control(|c| c.running()) => return None,
            Step::Retry { delay_ms } => sleep_ms(delay_ms).await,
            // As before, a re-ask waits one turn of the event loop.
            Step::ReAsk => next_task().await,
            Step::Record(answer) => return Some(answer),
            Step::Halt(reason) => {
                driver.with_control(|c| c.halt(reason));
                return None;
            }
            Step::Abandon => return None,
        }
    }
}
