//! The attempts at one row as a pure state machine: after every request the driver hands in
//! what came back, and the machine says what comes next (send again after a pause, ask again
//! for the format, record the answer, stop the run, or drop the row). It keeps the bookkeeping
//! the stored answer needs: requests sent, tokens paid for, time taken.

use super::plan::Item;
use super::policy::{CallOutcome, Decision, Failures, RetryPolicy};
use crate::engine::judged::{AnswerStatus, JudgedAnswer, Usage};
use crate::engine::pipeline::{read_answer, read_claims, read_owned, Stage, Structured};
use crate::engine::reply::parse_reply;

/// What one request gave back, as the machine reads it (the driver turns the HTTP result into
/// this, so the machine needs no HTTP types).
#[derive(Clone, Debug, PartialEq)]
pub enum Call {
    /// The endpoint answered with chat-completions JSON.
    Answered {
        content: String,
        finish_reason: Option<String>,
        usage: Option<Usage>,
    },
    /// No usable answer; `summary` is the one line kept with the row if it fails for good.
    Failed {
        outcome: CallOutcome,
        summary: String,
    },
}

/// What the driver does next with the row.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Send the same request again after this pause (backoff, or the server's `Retry-After`).
    Retry { delay_ms: f64 },
    /// The answer was malformed: ask again at once.
    ReAsk,
    /// The row is done: save this answer (success, format error, or error).
    Record(JudgedAnswer),
    /// Every further call would fail the same way: stop the run with this message. Nothing is
    /// recorded, the row stays unanswered.
    Halt(String),
    /// The request was stopped by a pause or cancel: nothing is recorded, the row stays
    /// unanswered.
    Abandon,
}

/// One row's attempts so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    line: usize,
    model: String,
    stage: Stage,
    /// Structured answers are turned into the reference text before the reader reads them.
    structured: Structured,
    policy: RetryPolicy,
    started_ms: f64,
    failures: Failures,
    n_requests: u32,
    /// Tokens of every request, retries included (what was paid for).
    billed: Usage,
    last_error: String,
}

impl Attempt {
    /// The first attempt at `item`, started at `started_ms` (a monotonic clock).
    pub fn new(item: &Item, policy: RetryPolicy, started_ms: f64) -> Self {
        Attempt {
            line: item.line,
            model: item.model.clone(),
            stage: item.request.stage(),
            structured: Structured::Off,
            policy,
            started_ms,
            failures: Failures::default(),
            n_requests: 0,
            billed: Usage::default(),
            last_error: String::new(),
        }
    }

    /// The same, for a run that asks for structured answers (`Structured::Off`: free text).
    pub fn with_structured(mut self, structured: Structured) -> Self {
        self.structured = structured;
        self
    }

    /// The next step after a request ended with `call`, at `now_ms`; `jitter` in `0..1` spreads
    /// the backoff of workers failing together.
    pub fn after(&mut self, call: Call, jitter: f64, now_ms: f64) -> Step {
        self.n_requests += 1;
        let (outcome, reply) = match call {
            Call::Answered {
                content,
                finish_reason,
                usage,
            } => {
                if let Some(u) = usage {
                    self.billed.prompt_tokens += u.prompt_tokens;
                    self.billed.completion_tokens += u.completion_tokens;
                    self.billed.total_tokens += u.total_tokens;
                }
                let (content, problem) =
                    read_owned(self.stage, self.structured, content, format_problem);
                let acceptable = problem.is_none();
                let reply = Kept {
                    content,
                    problem,
                    finish_reason,
                    usage,
                };
                (CallOutcome::Answered { acceptable }, Some(reply))
            }
            Call::Failed { outcome, summary } => {
                self.last_error = summary;
                (outcome, None)
            }
        };
        match self.policy.decide(&outcome, self.failures, jitter) {
            Decision::Accept => Step::Record(self.answer(AnswerStatus::Success, reply, now_ms)),
            Decision::GiveUp(status) => Step::Record(self.answer(status, reply, now_ms)),
            Decision::Retry { .. } if reply.is_some() => {
                self.failures.format += 1;
                Step::ReAsk
            }
            Decision::Retry { delay_ms } => {
                self.failures.transport += 1;
                Step::Retry { delay_ms }
            }
            Decision::Halt => Step::Halt(self.last_error.clone()),
            Decision::Abandon => Step::Abandon,
        }
    }

    /// The stored answer: a success or a format error keeps the answer it was given (with the
    /// format problem), an error keeps only why it failed.
    fn answer(&self, status: AnswerStatus, reply: Option<Kept>, now_ms: f64) -> JudgedAnswer {
        let reply = reply.filter(|_| status != AnswerStatus::Error);
        let error = match status {
            AnswerStatus::Success => None,
            AnswerStatus::FormatError => reply.as_ref().and_then(|r| r.problem.clone()),
            AnswerStatus::Error => Some(self.last_error.clone()),
        };
        let usage = reply.as_ref().and_then(|r| r.usage);
        let (text, finish_reason) = match reply {
            Some(r) => (Some(r.content), r.finish_reason),
            None => (None, None),
        };
        JudgedAnswer {
            line: self.line,
            model: self.model.clone(),
            status,
            text,
            finish_reason,
            usage,
            billed: Some(self.billed),
            error,
            attempts: self.n_requests,
            elapsed_ms: now_ms - self.started_ms,
        }
    }
}

/// The parts of an answer a stored row keeps.
struct Kept {
    /// The text kept: the answer, or the reference text a structured answer stands for.
    content: String,
    /// Why the stage's reader does not accept it.
    problem: Option<String>,
    finish_reason: Option<String>,
    usage: Option<Usage>,
}

/// Why an answer is not accepted by its stage's reader (asked again while retries are left),
/// in the reference's words for the matching and SPEC section 8's for the other stages; `None`
/// for an answer the stage accepts.
pub fn format_problem(stage: Stage, content: &str) -> Option<String> {
    let problems: Vec<String> = match stage {
        Stage::Match => {
            let reply = parse_reply(content);
            if reply.is_acceptable_while_running() {
                return None;
            }
            return Some(match reply.errors.first() {
                Some(error) => error.to_string(),
                None => "R numbers not in sequence 1, 2, 3, ...".to_string(),
            });
        }
        Stage::Generate | Stage::Swap => {
            let answer = read_answer(content);
            if !answer.is_format_error() {
                return None;
            }
            answer.problems.iter().map(ToString::to_string).collect()
        }
        Stage::Decompose => {
            let claims = read_claims(content);
            if !claims.is_format_error() {
                return None;
            }
            claims.problems.iter().map(ToString::to_string).collect()
        }
    };
    Some(problems.join("; "))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::engine::dataset::load;
    use crate::runner::request::{PromptSource, Request};

    const GOOD: &str = "<RESULT_START>\n- R1@S1: 1\n- R2@S0: 0\n<RESULT_END>";
    const UNORDERED: &str = "<RESULT_START>\n- R2@S1: 1\n<RESULT_END>";

    /// Row 7 of model `m` (the machine reads only the line and the model).
    fn item() -> Item {
        let file = load("d", br#"{"human-checklist": ["h"], "m-checklist": ["s"]}"#);
        let source = PromptSource::new(Arc::new(file), String::new(), None, None);
        let Ok(request) = Request::new(&source, 0, 0) else {
            panic!("the row has both checklists");
        };
        Item {
            line: 7,
            model: "m".into(),
            request,
        }
    }

    fn tokens(prompt_tokens: u64, completion_tokens: u64) -> Usage {
        Usage {
            prompt_tokens,
            completion_tokens,
            total_tokens: prompt_tokens + completion_tokens,
        }
    }

    fn answered(content: &str) -> Call {
        Call::Answered {
            content: content.into(),
            finish_reason: Some("stop".into()),
            usage: Some(tokens(10, 2)),
        }
    }

    fn failed(outcome: CallOutcome) -> Call {
        let summary = format!("failed: {outcome:?}");
        Call::Failed { outcome, summary }
    }

    fn http(status: u16, retry_after_s: Option<f64>) -> Call {
        failed(CallOutcome::Http {
            status,
            retry_after_s,
        })
    }

    /// The stored answer after `n_requests` requests, `n_answered` of them answered with 10 + 2
    /// tokens, the last at `10 * n_requests` ms; an error keeps the network failure's summary.
    fn record(status: AnswerStatus, text: Option<&str>, n_requests: u32, n_answered: u64) -> Step {
        let error = match (status, text) {
            (AnswerStatus::Success, _) => None,
            (AnswerStatus::FormatError, Some(t)) => format_problem(Stage::Match, t),
            _ => Some(format!("failed: {:?}", CallOutcome::Network)),
        };
        Step::Record(JudgedAnswer {
            line: 7,
            model: "m".into(),
            status,
            text: text.map(str::to_string),
            finish_reason: text.map(|_| "stop".to_string()),
            usage: text.map(|_| tokens(10, 2)),
            billed: Some(tokens(10 * n_answered, 2 * n_answered)),
            error,
            attempts: n_requests,
            elapsed_ms: 10.0 * f64::from(n_requests),
        })
    }

    /// Feeds `calls` one after another (request `i` ending at `10 * (i + 1)` ms) and compares
    /// every step.
    #[track_caller]
    fn check(calls: Vec<Call>, expected: &[Step]) {
        let mut attempt = Attempt::new(&item(), RetryPolicy::default(), 0.0);
        let steps: Vec<Step> = calls
            .into_iter()
            .enumerate()
            .map(|(i, call)| attempt.after(call, 0.5, 10.0 * (i + 1) as f64))
            .collect();
        assert_eq!(steps, expected);
    }

    #[test]
    fn a_good_answer_is_recorded_at_once() {
        check(
            vec![answered(GOOD)],
            &[record(AnswerStatus::Success, Some(GOOD), 1, 1)],
        );
    }

    /// A structured answer is kept as the reference text it stands for; one that is not the
    /// JSON asked for is asked again, then kept as it came with why it was refused.
    #[test]
    fn structured_answers_are_kept_as_reference_text() {
        let run = |calls: Vec<Call>| {
            let mut attempt = Attempt::new(&item(), RetryPolicy::default(), 0.0)
                .with_structured(Structured::JsonSchema);
            calls
                .into_iter()
                .enumerate()
                .map(|(i, call)| attempt.after(call, 0.5, 10.0 * (i + 1) as f64))
                .collect::<Vec<Step>>()
        };
        let json = r#"{"scores": [{"r": 1, "s": 1, "score": 1}, {"r": 2, "s": 0, "score": 0}]}"#;
        let steps = run(vec![answered("{not json"), answered(json)]);
        assert_eq!(steps[0], Step::ReAsk);
        let Step::Record(answer) = &steps[1] else {
            panic!("{steps:?}")
        };
        assert_eq!(answer.status, AnswerStatus::Success);
        let text = answer.text.as_deref().unwrap();
        assert!(text.contains("- R1@S1: 1\n- R2@S0: 0\n"), "{text}");
        assert_eq!(answer.attempts, 2);

        let steps = run((0..6).map(|_| answered("[]")).collect());
        let Some(Step::Record(answer)) = steps.last() else {
            panic!("{steps:?}")
        };
        assert_eq!(answer.status, AnswerStatus::FormatError);
        assert_eq!(answer.text.as_deref(), Some("[]"));
        assert_eq!(
            answer.error.as_deref(),
            Some("the structured answer is not a JSON object")
        );
    }

    #[test]
    fn a_malformed_answer_is_asked_again_then_kept_with_its_problem() {
        check(
            vec![answered("no block"), answered(GOOD)],
            &[Step::ReAsk, record(AnswerStatus::Success, Some(GOOD), 2, 2)],
        );
        let mut calls: Vec<Call> = (0..6).map(|_| answered(UNORDERED)).collect();
        let mut expected = vec![Step::ReAsk; 5];
        expected.push(record(AnswerStatus::FormatError, Some(UNORDERED), 6, 6));
        check(calls.clone(), &expected);
        // The kept problem is the reference's wording.
        let Some(Step::Record(answer)) = expected.last() else {
            unreachable!()
        };
        assert_eq!(
            answer.error.as_deref(),
            Some("R numbers not in sequence 1, 2, 3, ...")
        );
        // Format retries and transport retries are counted apart.
        calls.insert(2, failed(CallOutcome::Timeout));
        expected.insert(2, Step::Retry { delay_ms: 750.0 });
        if let Some(Step::Record(answer)) = expected.last_mut() {
            answer.attempts = 7;
            answer.elapsed_ms = 70.0;
        }
        check(calls, &expected);
    }

    #[test]
    fn transport_failures_back_off_then_record_an_error_without_text() {
        let mut calls: Vec<Call> = (0..6).map(|_| failed(CallOutcome::Network)).collect();
        let delays = [750.0, 1_500.0, 3_000.0, 6_000.0, 12_000.0];
        let mut expected: Vec<Step> = delays
            .iter()
            .map(|&delay_ms| Step::Retry { delay_ms })
            .collect();
        expected.push(record(AnswerStatus::Error, None, 6, 0));
        check(calls.clone(), &expected);
        // A format re-ask does not use up a transport retry, and the tokens of an answered
        // request still count as paid for when the row fails later.
        calls.insert(0, answered("no block"));
        expected.insert(0, Step::ReAsk);
        expected.pop();
        expected.push(record(AnswerStatus::Error, None, 7, 1));
        check(calls, &expected);
    }

    #[test]
    fn retry_after_is_obeyed_within_a_cap() {
        check(
            vec![
                http(429, Some(2.0)),
                http(503, Some(3600.0)),
                http(429, None),
            ],
            &[
                Step::Retry { delay_ms: 2_100.0 },
                Step::Retry {
                    delay_ms: 120_000.0,
                },
                Step::Retry { delay_ms: 3_000.0 },
            ],
        );
    }

    #[test]
    fn errors_no_retry_can_fix_halt_the_run_with_their_message() {
        for status in [400, 401, 403, 404] {
            let call = http(status, None);
            let Call::Failed { summary, .. } = &call else {
                unreachable!()
            };
            let halt = Step::Halt(summary.clone());
            check(
                vec![failed(CallOutcome::Timeout), call],
                &[Step::Retry { delay_ms: 750.0 }, halt],
            );
        }
    }

    /// Each stage's reader decides what is asked again, and names the problem it kept.
    #[test]
    fn each_stage_asks_again_for_what_its_reader_cannot_read() {
        let judged = "<RESULT_START>\n- a reason\nFinal assessment: \\boxed{A>B}\n<RESULT_END>";
        let claims = "<RESULT_START>\n- C1: a claim\nCLAIM_COUNT=1\n<RESULT_END>";
        for (stage, content, expected) in [
            (Stage::Match, GOOD, None),
            (
                Stage::Match,
                "no block",
                Some("RESULT_START and RESULT_END tags not found"),
            ),
            (Stage::Generate, judged, None),
            (
                Stage::Swap,
                "- a reason",
                Some("no RESULT block; no verdict"),
            ),
            (
                Stage::Generate,
                "\\boxed{A>B}",
                Some("no RESULT block; no reason list"),
            ),
            (Stage::Decompose, claims, None),
            (
                Stage::Decompose,
                "- C1: x\nCLAIM_COUNT=2",
                Some("no RESULT block; CLAIM_COUNT=2 but 1 claims"),
            ),
            // A matching answer has list lines but no verdict: not a judge-prompt answer.
            (Stage::Generate, GOOD, Some("no verdict")),
        ] {
            assert_eq!(
                format_problem(stage, content).as_deref(),
                expected,
                "{stage:?} {content}"
            );
        }
        let file = load("d", br#"{"response1": "a", "response2": "b"}"#);
        let source = PromptSource::for_stage(
            Arc::new(file),
            String::new(),
            Stage::Generate,
            vec!["c".into()],
        );
        let Ok(request) = Request::new(&source, 0, 0) else {
            panic!("the row has both responses");
        };
        let item = Item {
            line: 1,
            model: "c".into(),
            request,
        };
        let mut attempt = Attempt::new(&item, RetryPolicy::default(), 0.0);
        assert_eq!(attempt.after(answered(GOOD), 0.5, 1.0), Step::ReAsk);
        let Step::Record(answer) = attempt.after(answered(judged), 0.5, 2.0) else {
            panic!("a readable judge answer is recorded");
        };
        assert_eq!((answer.status, answer.attempts), (AnswerStatus::Success, 2));
    }

    #[test]
    fn a_stopped_request_drops_the_row() {
        check(
            vec![failed(CallOutcome::Timeout), failed(CallOutcome::Aborted)],
            &[Step::Retry { delay_ms: 750.0 }, Step::Abandon],
        );
    }
}
