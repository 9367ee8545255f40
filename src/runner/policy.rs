//! What to do after each call: accept, ask again after a pause, give up on the row, or stop
//! the whole run. Pure: the driver supplies the outcome and a random number for the jitter.

use serde::{Deserialize, Serialize};

use crate::engine::judged::AnswerStatus;

/// Retry limits and pauses.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// Retries after the first request, for transport failures and for format errors alike
    /// (each counted on its own, as the reference runner does).
    pub max_retries: u32,
    pub base_delay_ms: f64,
    pub max_delay_ms: f64,
    /// The longest `Retry-After` obeyed; a server asking for more is asked again after this.
    pub max_retry_after_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            base_delay_ms: 1_000.0,
            max_delay_ms: 60_000.0,
            max_retry_after_ms: 120_000.0,
        }
    }
}

/// How one request ended.
#[derive(Clone, Debug, PartialEq)]
pub enum CallOutcome {
    /// The endpoint answered; `acceptable` when the answer reads without error and in order.
    Answered {
        acceptable: bool,
    },
    /// The request never got an HTTP answer (connection refused or dropped, DNS, CORS).
    Network,
    Timeout,
    Http {
        status: u16,
        retry_after_s: Option<f64>,
    },
    /// The run was paused or cancelled while the request was out.
    Aborted,
}

/// What the driver does next with a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    Accept,
    Retry {
        delay_ms: f64,
    },
    /// Keep the row with this status: retries are used up.
    GiveUp(AnswerStatus),
    /// Every further call would fail the same way (bad key, unknown model, bad request): stop.
    Halt,
    /// Drop the attempt without recording anything; the row stays unanswered.
    Abandon,
}

/// Failures of one row so far, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Failures {
    pub transport: u32,
    pub format: u32,
}

impl RetryPolicy {
    /// Decides after an outcome, given the failures before it and `jitter` in `0..1`.
    pub fn decide(&self, outcome: &CallOutcome, before: Failures, jitter: f64) -> Decision {
        match outcome {
            CallOutcome::Answered { acceptable: true } => Decision::Accept,
            // A malformed answer is not the server's distress: ask again at once.
            CallOutcome::Answered { acceptable: false } if before.format < self.max_retries => {
                Decision::Retry { delay_ms: 0.0 }
            }
            CallOutcome::Answered { acceptable: false } => {
                Decision::GiveUp(AnswerStatus::FormatError)
            }
            CallOutcome::Aborted => Decision::Abandon,
            CallOutcome::Http { status, .. } if !is_retryable(*status) => Decision::Halt,
            _ if before.transport >= self.max_retries => Decision::GiveUp(AnswerStatus::Error),
            CallOutcome::Http {
                retry_after_s: Some(s),
                ..
            } => Decision::Retry {
                delay_ms: (s * 1000.0 * (1.0 + 0.1 * jitter)).clamp(0.0, self.max_retry_after_ms),
            },
            _ => Decision::Retry {
                delay_ms: self.backoff_ms(before.transport, jitter),
            },
        }
    }

    /// Exponential backoff with "equal jitter": half the capped delay, plus a random half, so
    /// waits grow but many workers failing together do not retry together.
    pub fn backoff_ms(&self, n_failures: u32, jitter: f64) -> f64 {
        let cap =
            (self.base_delay_ms * 2f64.powi(n_failures.min(30) as i32)).min(self.max_delay_ms);
        cap / 2.0 + cap / 2.0 * jitter.clamp(0.0, 1.0)
    }
}

/// Statuses worth asking again: timeouts, conflicts, rate limits and server errors.
pub fn is_retryable(status: u16) -> bool {
    matches!(status, 408 | 409 | 425 | 429) || (500..=599).contains(&status)
}

/// The kind of outcome a row is counted under when it is given up on.
pub fn outcome_label(outcome: &CallOutcome) -> String {
    match outcome {
        CallOutcome::Answered { acceptable: true } => "answered".into(),
        CallOutcome::Answered { acceptable: false } => "malformed answer".into(),
        CallOutcome::Network => "network error (unreachable, dropped, or blocked by CORS)".into(),
        CallOutcome::Timeout => "timed out".into(),
        CallOutcome::Http { status, .. } => format!("HTTP {status}"),
        CallOutcome::Aborted => "stopped".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(outcome: CallOutcome, before: Failures, expected: Decision) {
        assert_eq!(
            RetryPolicy::default().decide(&outcome, before, 0.5),
            expected,
            "{outcome:?} after {before:?}"
        );
    }

    fn failures(transport: u32, format: u32) -> Failures {
        Failures { transport, format }
    }

    #[test]
    fn good_answers_are_accepted_and_bad_ones_asked_again_then_kept() {
        check(
            CallOutcome::Answered { acceptable: true },
            failures(3, 3),
            Decision::Accept,
        );
        check(
            CallOutcome::Answered { acceptable: false },
            failures(0, 4),
            Decision::Retry { delay_ms: 0.0 },
        );
        check(
            CallOutcome::Answered { acceptable: false },
            failures(0, 5),
            Decision::GiveUp(AnswerStatus::FormatError),
        );
    }

    #[test]
    fn transport_failures_back_off_then_give_up() {
        check(
            CallOutcome::Network,
            failures(0, 0),
            Decision::Retry { delay_ms: 750.0 },
        );
        check(
            CallOutcome::Timeout,
            failures(2, 0),
            Decision::Retry { delay_ms: 3_000.0 },
        );
        check(
            CallOutcome::Http {
                status: 503,
                retry_after_s: None,
            },
            failures(4, 0),
            Decision::Retry { delay_ms: 12_000.0 },
        );
        check(
            CallOutcome::Http {
                status: 500,
                retry_after_s: None,
            },
            failures(5, 0),
            Decision::GiveUp(AnswerStatus::Error),
        );
        check(
            CallOutcome::Network,
            failures(5, 2),
            Decision::GiveUp(AnswerStatus::Error),
        );
    }

    #[test]
    fn retry_after_is_obeyed_within_a_cap() {
        check(
            CallOutcome::Http {
                status: 429,
                retry_after_s: Some(2.0),
            },
            failures(0, 0),
            Decision::Retry { delay_ms: 2_100.0 },
        );
        check(
            CallOutcome::Http {
                status: 429,
                retry_after_s: Some(3600.0),
            },
            failures(1, 0),
            Decision::Retry {
                delay_ms: 120_000.0,
            },
        );
        check(
            CallOutcome::Http {
                status: 429,
                retry_after_s: None,
            },
            failures(1, 0),
            Decision::Retry { delay_ms: 1_500.0 },
        );
    }

    #[test]
    fn errors_no_retry_can_fix_stop_the_run() {
        for status in [400, 401, 403, 404, 422] {
            check(
                CallOutcome::Http {
                    status,
                    retry_after_s: None,
                },
                failures(0, 0),
                Decision::Halt,
            );
        }
        check(CallOutcome::Aborted, failures(0, 0), Decision::Abandon);
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered_within_bounds() {
        let policy = RetryPolicy::default();
        for n in 0..40 {
            let cap = (1_000.0 * 2f64.powi(n.min(30) as i32)).min(60_000.0);
            let (lo, hi) = (policy.backoff_ms(n, 0.0), policy.backoff_ms(n, 1.0));
            assert_eq!((lo, hi), (cap / 2.0, cap), "after {n} failures");
        }
        assert_eq!(policy.backoff_ms(3, 7.0), 8_000.0, "jitter is clamped");
    }
}
