//! The one async driver: sends a plan's rows to the endpoint with `concurrency` workers, asks
//! the retry policy after every call, saves every answer before anything else happens to it,
//! and reports to its owner through one callback. Pause lets calls in flight finish; cancel
//! aborts them; neither loses a stored answer, and a row whose answer was stored is never sent
//! again (it is not in the plan).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::task::spawn_local;
use web_sys::AbortController;

use super::plan::{Item, RunSettings};
use super::policy::{CallOutcome, Decision, Failures};
use super::progress::{budget_reached, cost};
use super::queue::Queue;
use crate::clock::{now_ms, sleep_ms};
use crate::engine::dataset::LoadedFile;
use crate::engine::judged::{AnswerStatus, JudgedAnswer, Usage};
use crate::engine::reply::parse_reply;
use crate::llm::client::chat;
use crate::llm::wire::ChatReply;
use crate::store;

/// What the driver tells its owner.
#[derive(Clone, Debug, PartialEq)]
pub enum DriverEvent {
    /// An answer, already saved.
    Answer(JudgedAnswer),
    InFlight(usize),
    Stopped(StopReason),
}

/// Why the driver stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum StopReason {
    Finished,
    Paused,
    Cancelled,
    BudgetReached,
    /// A failure every further call would share (bad key, unknown model, storage full).
    Halted(String),
}

/// What a run needs to start.
pub struct DriverConfig {
    pub run_id: String,
    pub settings: RunSettings,
    pub api_key: String,
    /// The data set the items were planned from. The driver no longer reads it (each item
    /// carries its prompt); kept so that callers need not change.
    pub dataset: Arc<LoadedFile>,
    pub items: Vec<Item>,
    /// Estimated cost and number of the answers stored before this start (for the budget).
    pub spent: f64,
    pub n_answered: usize,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Control {
    Running,
    Pausing,
    Cancelling,
    OverBudget,
    Halted,
}

struct Inner {
    run_id: String,
    settings: RunSettings,
    api_key: String,
    queue: Queue<Item>,
    control: Control,
    halt_reason: String,
    aborts: Vec<(u64, AbortController)>,
    next_abort_id: u64,
    n_workers: usize,
    spent: f64,
    n_answered: usize,
    sink: Rc<dyn Fn(DriverEvent)>,
}

/// A running (or stopped) run. Cloning gives another handle to the same run.
#[derive(Clone)]
pub struct Driver(Rc<RefCell<Inner>>);

impl Driver {
    /// Starts sending; events go to `sink`.
    pub fn start(config: DriverConfig, sink: impl Fn(DriverEvent) + 'static) -> Driver {
        let limit = config.settings.concurrency;
        let driver = Driver(Rc::new(RefCell::new(Inner {
            run_id: config.run_id,
            settings: config.settings,
            api_key: config.api_key,
            queue: Queue::new(config.items, limit),
            control: Control::Running,
            halt_reason: String::new(),
            aborts: Vec::new(),
            next_abort_id: 0,
            n_workers: 0,
            spent: config.spent,
            n_answered: config.n_answered,
            sink: Rc::new(sink),
        })));
        driver.spawn_workers();
        driver
    }

    /// Stops taking rows; calls in flight finish and are saved.
    pub fn pause(&self) {
        self.set_control(Control::Pausing);
    }

    /// Stops taking rows and aborts the calls in flight (their rows stay unanswered).
    pub fn cancel(&self) {
        self.set_control(Control::Cancelling);
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
        self.0.borrow_mut().control = Control::Running;
        self.spawn_workers();
    }

    /// The most rows that were ever out at once.
    pub fn peak_in_flight(&self) -> usize {
        self.0.borrow().queue.peak()
    }

    fn set_control(&self, control: Control) {
        let idle = {
            let mut inner = self.0.borrow_mut();
            if inner.control == Control::Running {
                inner.control = control;
            }
            if control == Control::Cancelling {
                inner.control = control;
                inner.queue.clear();
            }
            inner.n_workers == 0
        };
        if idle {
            self.emit(DriverEvent::Stopped(self.stop_reason()));
        }
    }

    fn spawn_workers(&self) {
        let n_new = {
            let mut inner = self.0.borrow_mut();
            let n_new = inner
                .queue
                .limit()
                .saturating_sub(inner.n_workers)
                .min(inner.queue.n_pending());
            inner.n_workers += n_new;
            n_new
        };
        if n_new == 0 && self.0.borrow().n_workers == 0 {
            self.emit(DriverEvent::Stopped(self.stop_reason()));
        }
        for _ in 0..n_new {
            spawn_local(worker(self.clone()));
        }
    }

    fn emit(&self, event: DriverEvent) {
        let sink = self.0.borrow().sink.clone();
        sink(event);
    }

    /// The next row, if the run goes on: running, within budget, rows left.
    fn take(&self) -> Option<Item> {
        let mut inner = self.0.borrow_mut();
        if inner.control != Control::Running {
            return None;
        }
        let in_flight = inner.queue.in_flight();
        if budget_reached(
            inner.spent,
            inner.n_answered,
            in_flight,
            inner.settings.budget,
        ) {
            inner.control = Control::OverBudget;
            return None;
        }
        inner.queue.take()
    }

    fn running(&self) -> bool {
        self.0.borrow().control == Control::Running
    }

    fn halt(&self, reason: String) {
        let mut inner = self.0.borrow_mut();
        if inner.control == Control::Running {
            inner.control = Control::Halted;
            inner.halt_reason = reason;
        }
    }

    fn stop_reason(&self) -> StopReason {
        let inner = self.0.borrow();
        match inner.control {
            Control::Running if inner.queue.n_pending() == 0 => StopReason::Finished,
            Control::Running | Control::Pausing => StopReason::Paused,
            Control::Cancelling => StopReason::Cancelled,
            Control::OverBudget => StopReason::BudgetReached,
            Control::Halted => StopReason::Halted(inner.halt_reason.clone()),
        }
    }

    fn in_flight(&self) -> usize {
        self.0.borrow().queue.in_flight()
    }

    /// Counts a stored answer towards the budget.
    fn record(&self, answer: &JudgedAnswer) {
        let mut inner = self.0.borrow_mut();
        let billed = answer.billed.or(answer.usage).unwrap_or_default();
        inner.spent += cost(
            billed.prompt_tokens,
            billed.completion_tokens,
            inner.settings.prices,
        );
        inner.n_answered += 1;
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
    while let Some(item) = driver.take() {
        driver.emit(DriverEvent::InFlight(driver.in_flight()));
        let answer = judge(&driver, &item).await;
        let run_id = driver.0.borrow().run_id.clone();
        match answer {
            Some(answer) => {
                if let Err(message) = store::save_answer(&run_id, &answer).await {
                    driver.halt(format!(
                        "{message}; the run stopped so that no further answer goes unsaved"
                    ));
                }
                driver.record(&answer);
                driver.0.borrow_mut().queue.finish();
                driver.emit(DriverEvent::Answer(answer));
            }
            None => driver.0.borrow_mut().queue.put_back(item),
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

/// Asks about one row until the policy accepts, gives up, or the run stops (`None`: nothing
/// to store, the row stays unanswered).
async fn judge(driver: &Driver, item: &Item) -> Option<JudgedAnswer> {
    let (settings, api_key) = {
        let inner = driver.0.borrow();
        (inner.settings.clone(), inner.api_key.clone())
    };
    let started = now_ms();
    let mut failures = Failures::default();
    let mut attempts = 0;
    let mut billed = Usage::default();
    let mut last_reply: Option<ChatReply> = None;
    let mut last_error = String::new();
    loop {
        if !driver.running() {
            return None;
        }
        attempts += 1;
        let abort = AbortController::new().ok()?;
        let abort_id = driver.register(abort.clone());
        let result = chat(&settings, &api_key, &item.prompt, &abort).await;
        driver.unregister(abort_id);
        let outcome = match &result {
            Ok(reply) => {
                if let Some(u) = reply.usage {
                    billed.prompt_tokens += u.prompt_tokens;
                    billed.completion_tokens += u.completion_tokens;
                    billed.total_tokens += u.total_tokens;
                }
                last_reply = Some(reply.clone());
                CallOutcome::Answered {
                    acceptable: parse_reply(&reply.content).is_acceptable_while_running(),
                }
            }
            Err(error) => {
                last_error = error.summary();
                error.outcome()
            }
        };
        let finish =
            |status: AnswerStatus, reply: Option<&ChatReply>, error: Option<String>| JudgedAnswer {
                line: item.line,
                model: item.model.clone(),
                status,
                text: reply.map(|r| r.content.clone()),
                finish_reason: reply.and_then(|r| r.finish_reason.clone()),
                usage: reply.and_then(|r| r.usage),
                billed: Some(billed),
                error,
                attempts,
                elapsed_ms: now_ms() - started,
            };
        match settings
            .retry
            .decide(&outcome, failures, js_sys::Math::random())
        {
            Decision::Accept => {
                return Some(finish(AnswerStatus::Success, last_reply.as_ref(), None))
            }
            Decision::GiveUp(AnswerStatus::FormatError) => {
                let problem = last_reply.as_ref().map(|r| format_problem(&r.content));
                return Some(finish(
                    AnswerStatus::FormatError,
                    last_reply.as_ref(),
                    problem,
                ));
            }
            Decision::GiveUp(status) => return Some(finish(status, None, Some(last_error))),
            Decision::Retry { delay_ms } => {
                match outcome {
                    CallOutcome::Answered { .. } => failures.format += 1,
                    _ => failures.transport += 1,
                }
                sleep_ms(delay_ms).await;
            }
            Decision::Halt => {
                driver.halt(last_error);
                return None;
            }
            Decision::Abandon => return None,
        }
    }
}

/// Why an answer was not accepted, in the reference's words.
fn format_problem(content: &str) -> String {
    let reply = parse_reply(content);
    match reply.errors.first() {
        Some(error) => error.to_string(),
        None => "R numbers not in sequence 1, 2, 3, ...".to_string(),
    }
}
