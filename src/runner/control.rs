//! A run's control as a pure state machine: whether it takes rows (running, pausing,
//! cancelling, over budget, halted), the rows waiting and in progress, what was spent, and why
//! it stopped. The async driver holds one, asks it before every row and tells it every call's
//! result (a dead endpoint halts the run, see `runner::streak`).

use super::attempt::Call;
use super::progress::{budget_reached, cost, Prices};
use super::queue::Queue;
use super::streak::{halt_threshold, FailureStreak};
use crate::engine::judged::JudgedAnswer;

/// Why a run stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum StopReason {
    Finished,
    Paused,
    Cancelled,
    BudgetReached,
    /// A failure every further call would share (bad key, unknown model, storage full).
    Halted(String),
}

/// What the budget stop needs: the limit, the prices, and what was spent before this start.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Budget {
    pub limit: Option<f64>,
    pub prices: Prices,
    /// Estimated cost and number of the answers stored before this start.
    pub spent: f64,
    pub n_answered: usize,
}

/// Rows waiting and in progress, and whether more are taken.
#[derive(Clone, Debug)]
pub struct RunControl<T> {
    queue: Queue<T>,
    mode: Mode,
    budget: Budget,
    streak: FailureStreak,
}

#[derive(Clone, Debug, PartialEq)]
enum Mode {
    Running,
    Pausing,
    Cancelling,
    OverBudget,
    Halted(String),
}

impl<T> RunControl<T> {
    /// A running run over `items`, at most `limit` at a time.
    pub fn new(items: impl IntoIterator<Item = T>, limit: usize, budget: Budget) -> Self {
        RunControl {
            queue: Queue::new(items, limit),
            mode: Mode::Running,
            budget,
            streak: FailureStreak::default(),
        }
    }

    /// The next row, if the run goes on: running, within budget, rows left, and fewer than
    /// `limit` in progress. Passing the budget stops the run.
    pub fn take(&mut self) -> Option<T> {
        if !self.running() {
            return None;
        }
        let b = self.budget;
        if budget_reached(b.spent, b.n_answered, self.queue.in_flight(), b.limit) {
            self.mode = Mode::OverBudget;
            return None;
        }
        self.queue.take()
    }

    /// Whether rows are taken; a row's next request is sent only while this holds.
    pub fn running(&self) -> bool {
        self.mode == Mode::Running
    }

    /// Stops taking rows; rows in progress finish (a running run only).
    pub fn pause(&mut self) {
        if self.running() {
            self.mode = Mode::Pausing;
        }
    }

    /// Stops taking rows and drops the waiting ones, whatever the run was doing.
    pub fn cancel(&mut self) {
        self.mode = Mode::Cancelling;
        self.queue.clear();
    }

    /// Takes rows again after a pause, a budget stop or a halt.
    pub fn resume(&mut self) {
        self.mode = Mode::Running;
    }

    /// Stops a running run on a failure every further call would share.
    pub fn halt(&mut self, reason: String) {
        if self.running() {
            self.mode = Mode::Halted(reason);
        }
    }

    /// A call ended with `call` (every call, retries included): the same HTTP failure on the
    /// last calls halts the run with that failure's message.
    pub fn called(&mut self, call: &Call) {
        if let Some(reason) = self.streak.record(call, halt_threshold(self.queue.limit())) {
            self.halt(reason);
        }
    }

    /// A row taken earlier got this (saved) answer: it counts towards the budget.
    pub fn answered(&mut self, answer: &JudgedAnswer) {
        let billed = answer.billed.or(answer.usage).unwrap_or_default();
        self.budget.spent += cost(
            billed.prompt_tokens,
            billed.completion_tokens,
            self.budget.prices,
        );
        self.budget.n_answered += 1;
        self.queue.finish();
    }

    /// A row taken earlier stays unanswered and goes back to the front.
    pub fn put_back(&mut self, item: T) {
        self.queue.put_back(item);
    }

    /// Why the run stops, once no row is in progress.
    pub fn stop_reason(&self) -> StopReason {
        match &self.mode {
            Mode::Running if self.queue.n_pending() == 0 => StopReason::Finished,
            Mode::Running | Mode::Pausing => StopReason::Paused,
            Mode::Cancelling => StopReason::Cancelled,
            Mode::OverBudget => StopReason::BudgetReached,
            Mode::Halted(reason) => StopReason::Halted(reason.clone()),
        }
    }

    pub fn in_flight(&self) -> usize {
        self.queue.in_flight()
    }

    pub fn n_pending(&self) -> usize {
        self.queue.n_pending()
    }

    pub fn limit(&self) -> usize {
        self.queue.limit()
    }

    /// The most rows that were ever in progress at once.
    pub fn peak(&self) -> usize {
        self.queue.peak()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::Arc;

    use super::*;
    use crate::engine::dataset::load;
    use crate::engine::judged::{AnswerStatus, Usage};
    use crate::engine::prompt::record_prompt;
    use crate::runner::attempt::{Attempt, Call, Step};
    use crate::runner::plan::{Item, Plan, RunSettings};
    use crate::runner::policy::{CallOutcome, RetryPolicy};

    fn answer(prompt_tokens: u64) -> JudgedAnswer {
        JudgedAnswer {
            line: 1,
            model: "m".into(),
            status: AnswerStatus::Success,
            text: None,
            finish_reason: None,
            usage: None,
            billed: Some(Usage {
                prompt_tokens,
                completion_tokens: 0,
                total_tokens: prompt_tokens,
            }),
            error: None,
            attempts: 1,
            elapsed_ms: 0.0,
        }
    }

    /// A run of rows 1..=3 at concurrency 2, one dollar a million prompt tokens.
    fn control(limit: Option<f64>) -> RunControl<usize> {
        let budget = Budget {
            limit,
            prices: Prices {
                input_per_million: 1.0,
                output_per_million: 0.0,
            },
            ..Budget::default()
        };
        RunControl::new([1, 2, 3], 2, budget)
    }

    /// Runs `steps` on a fresh run of rows 1..=3 and compares the rows taken (`None` when
    /// nothing could be taken) and the stop reason.
    #[track_caller]
    fn check(
        limit: Option<f64>,
        steps: impl Fn(&mut RunControl<usize>) -> Vec<Option<usize>>,
        taken: &[Option<usize>],
        reason: StopReason,
    ) {
        let mut control = control(limit);
        assert_eq!(steps(&mut control), taken);
        assert_eq!(control.stop_reason(), reason);
    }

    #[test]
    fn takes_rows_within_the_limit_until_none_is_left() {
        check(
            None,
            |c| {
                let mut taken = vec![c.take(), c.take(), c.take()];
                c.answered(&answer(0));
                taken.extend([c.take(), c.take()]);
                c.answered(&answer(0));
                c.answered(&answer(0));
                taken
            },
            &[Some(1), Some(2), None, Some(3), None],
            StopReason::Finished,
        );
    }

    #[test]
    fn pause_keeps_the_waiting_rows_and_resume_takes_them() {
        check(
            None,
            |c| {
                let first = c.take();
                c.pause();
                let mut taken = vec![first, c.take()];
                c.put_back(1);
                c.resume();
                taken.push(c.take());
                c.pause();
                taken
            },
            &[Some(1), None, Some(1)],
            StopReason::Paused,
        );
    }

    #[test]
    fn cancel_drops_the_waiting_rows_even_after_a_pause() {
        check(
            None,
            |c| {
                let first = c.take();
                c.pause();
                c.cancel();
                let taken = vec![first, c.take()];
                assert_eq!((c.n_pending(), c.in_flight()), (0, 1));
                taken
            },
            &[Some(1), None],
            StopReason::Cancelled,
        );
    }

    #[test]
    fn a_halt_keeps_its_first_reason() {
        check(
            None,
            |c| {
                let first = c.take();
                c.halt("HTTP 401: bad key".into());
                c.halt("HTTP 404".into());
                c.pause();
                vec![first, c.take()]
            },
            &[Some(1), None],
            StopReason::Halted("HTTP 401: bad key".into()),
        );
    }

    #[test]
    fn the_budget_stops_the_run_before_it_is_passed() {
        // Each answer costs 0.4: after two, a third would pass 1.0.
        check(
            Some(1.0),
            |c| {
                let mut taken = vec![c.take()];
                c.answered(&answer(400_000));
                taken.push(c.take());
                c.answered(&answer(400_000));
                taken.push(c.take());
                taken
            },
            &[Some(1), Some(2), None],
            StopReason::BudgetReached,
        );
        check(
            Some(0.0),
            |c| vec![c.take()],
            &[None],
            StopReason::BudgetReached,
        );
    }

    fn http_500(message: &str) -> Call {
        Call::Failed {
            outcome: CallOutcome::Http {
                status: 500,
                retry_after_s: None,
            },
            summary: format!("HTTP 500: {message}"),
        }
    }

    /// The proxy of issue 11 without its upstream key: rows 1 and 2 out at once, each failing
    /// and retried in turn, then row 3; the streak runs across rows and halts the run at the
    /// twentieth failure; a different message in between starts it afresh.
    #[test]
    fn a_dead_endpoint_halts_the_run_across_rows() {
        check(
            None,
            |c| {
                let mut taken = vec![c.take(), c.take()];
                for _ in 0..15 {
                    c.called(&http_500("no upstream key"));
                }
                c.called(&http_500("other"));
                taken.push(c.take());
                for _ in 0..19 {
                    c.called(&http_500("no upstream key"));
                }
                assert!(c.running(), "19 in a row");
                c.called(&http_500("no upstream key"));
                c.called(&http_500("later"));
                taken.push(c.take());
                taken
            },
            &[Some(1), Some(2), None, None],
            StopReason::Halted(
                "HTTP 500: no upstream key (the last 20 calls all failed this way)".into(),
            ),
        );
    }

    const DATASET: &str = concat!(
        r#"{"human-checklist": ["h"], "a-checklist": ["s"], "b-checklist": []}"#,
        "\n",
        r#"{"human-checklist": ["h", "i"], "a-checklist": "x", "b-checklist": ["s", "t"]}"#,
        "\n",
        r#"{"a-checklist": ["s"], "b-checklist": ["s"]}"#,
        "\n",
    );

    /// The freeze of issue 7: the plan said a row could be sent, the driver failed to build its
    /// prompt, put the row back without awaiting anything and took it again at once, forever.
    /// Now every planned row carries a request checked to be buildable (and filled as
    /// `record_prompt` fills it), and a row goes back only after a request (which awaits) or
    /// when the run takes no more rows.
    #[test]
    fn planned_item_always_sendable_no_requeue_loop() {
        let dataset = Arc::new(load("d", DATASET.as_bytes()));
        for skip_unscorable in [true, false] {
            let settings = RunSettings {
                skip_unscorable,
                top_k: Some(1),
                ..RunSettings::default()
            };
            let plan = Plan::new(&dataset, &[0, 1], &settings, &HashSet::new());
            assert_eq!(plan.items.len() + plan.left_out.len(), 6);
            for item in &plan.items {
                let record = &dataset.records[item.request.record_idx()];
                let model_idx = item.request.model_idx();
                let built = record_prompt(record, model_idx, &settings.template, Some(1));
                assert_eq!(Some(item.request.text()), built, "line {}", item.line);
            }
            // Every way a row's attempts can end, in turn, with a pause and a resume between.
            let mut calls = [
                Call::Failed {
                    outcome: CallOutcome::Aborted,
                    summary: "stopped".into(),
                },
                Call::Failed {
                    outcome: CallOutcome::Network,
                    summary: "network error".into(),
                },
                Call::Answered {
                    content: "no block".into(),
                    finish_reason: None,
                    usage: None,
                },
                Call::Failed {
                    outcome: CallOutcome::Http {
                        status: 401,
                        retry_after_s: None,
                    },
                    summary: "HTTP 401".into(),
                },
                Call::Answered {
                    content: "<RESULT_START>\n- R1@S1: 1\n<RESULT_END>".into(),
                    finish_reason: None,
                    usage: None,
                },
            ]
            .into_iter()
            .cycle();
            let mut control = RunControl::new(plan.items.clone(), 1, Budget::default());
            let mut answered = Vec::new();
            for round in 0..100 {
                work(&mut control, &mut calls, &mut answered, round);
                if control.stop_reason() == StopReason::Finished {
                    break;
                }
                control.resume();
            }
            let lines: Vec<usize> = answered.iter().map(|a| a.line).collect();
            let planned: Vec<usize> = plan.items.iter().map(|i| i.line).collect();
            assert_eq!(lines, planned, "every planned row answered once");
        }
    }

    /// One worker as the driver runs it, until the run takes no more rows; pauses the run
    /// before the first request of odd rounds. Fails when a row is taken again without a
    /// request since it was put back (the freeze).
    fn work(
        control: &mut RunControl<Item>,
        calls: &mut impl Iterator<Item = Call>,
        answered: &mut Vec<JudgedAnswer>,
        round: usize,
    ) {
        let (mut n_requests, mut n_put_back) = (0, 0);
        while let Some(item) = control.take() {
            assert!(
                n_put_back <= n_requests,
                "row {} taken again unsent",
                item.line
            );
            if round % 2 == 1 {
                control.pause();
            }
            let mut attempt = Attempt::new(&item, RetryPolicy::default(), 0.0);
            loop {
                if !control.running() {
                    control.put_back(item);
                    n_put_back += 1;
                    break;
                }
                n_requests += 1;
                match attempt.after(calls.next().unwrap(), 0.5, 0.0) {
                    Step::Retry { .. } | Step::ReAsk => {}
                    Step::Record(answer) => {
                        control.answered(&answer);
                        answered.push(answer);
                        break;
                    }
                    Step::Halt(reason) => {
                        control.halt(reason);
                        control.put_back(item);
                        n_put_back += 1;
                        break;
                    }
                    Step::Abandon => {
                        control.put_back(item);
                        n_put_back += 1;
                        break;
                    }
                }
            }
        }
    }
}
