//! The dead-endpoint rule: when the last N calls of a run, retries included, all failed with
//! the same HTTP status and message, every further call will too (a proxy without its upstream
//! key answers every call 500 with one message), so the run halts instead of retrying each
//! row, one after another, for ever.

use super::attempt::Call;
use super::policy::CallOutcome;

/// How many identical failures in a row halt a run, unless the run has more calls in flight.
pub const SAME_FAILURES_TO_HALT: usize = 20;

/// The run of identical failures among the latest calls.
///
/// Holding the latest failure and how many calls in a row ended with it is the same as holding
/// a window of the last N results and asking whether they are all that failure, in constant
/// space.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FailureStreak {
    /// The summary ("HTTP 500: no upstream key") of the latest call, when it was an HTTP
    /// failure; the summary carries both the status and the server's message.
    last: Option<String>,
    n_same: usize,
}

impl FailureStreak {
    /// Counts one call's result. Returns the halt message when this call makes `threshold`
    /// identical HTTP failures in a row.
    ///
    /// Only HTTP failures count: an answer (even a malformed one) shows the endpoint works, and
    /// a network error or a timeout has no status and message to be sure it is the same failure,
    /// so either breaks the streak. An aborted call says nothing about the endpoint (the user
    /// paused or cancelled) and is not counted.
    pub fn record(&mut self, call: &Call, threshold: usize) -> Option<String> {
        let failure = match call {
            Call::Failed {
                outcome: CallOutcome::Aborted,
                ..
            } => return None,
            Call::Failed {
                outcome: CallOutcome::Http { .. },
                summary,
            } => Some(summary),
            _ => None,
        };
        match failure {
            Some(summary) if self.last.as_ref() == Some(summary) => self.n_same += 1,
            Some(summary) => {
                self.last = Some(summary.clone());
                self.n_same = 1;
            }
            None => {
                self.last = None;
                self.n_same = 0;
            }
        }
        let summary = self.last.as_ref()?;
        (self.n_same >= threshold.max(1)).then(|| {
            format!(
                "{summary} (the last {} calls all failed this way)",
                self.n_same
            )
        })
    }
}

/// The streak that halts a run: [`SAME_FAILURES_TO_HALT`], but at least every call that can
/// be in flight at once, so that one burst of concurrent calls failing together (a brief
/// outage) does not halt a run on its own.
pub fn halt_threshold(concurrency: usize) -> usize {
    SAME_FAILURES_TO_HALT.max(concurrency)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A call result, written short: `"500 a"` is HTTP 500 with message `a`, `"ok"` an answer,
    /// `"bad"` a malformed answer, `"net"` a network error, `"time"` a timeout, `"stop"` an
    /// aborted call.
    fn call(short: &str) -> Call {
        let failed = |outcome, summary: &str| Call::Failed {
            outcome,
            summary: summary.into(),
        };
        match short {
            "ok" => Call::Answered {
                content: "<RESULT_START>\n- R1@S1: 1\n<RESULT_END>".into(),
                finish_reason: None,
                usage: None,
            },
            "bad" => Call::Answered {
                content: "no block".into(),
                finish_reason: None,
                usage: None,
            },
            "net" => failed(CallOutcome::Network, "network error"),
            "time" => failed(CallOutcome::Timeout, "timed out"),
            "stop" => failed(CallOutcome::Aborted, "stopped"),
            http => {
                let (status, message) = http.split_once(' ').unwrap_or((http, ""));
                let status: u16 = status.parse().unwrap_or(0);
                failed(
                    CallOutcome::Http {
                        status,
                        retry_after_s: None,
                    },
                    &format!("HTTP {status}: {message}"),
                )
            }
        }
    }

    /// Feeds `calls` (each `(short, times)`) with `threshold`, and compares the 1-based number
    /// of the call that halted the run (`None`: none did) and its message.
    #[track_caller]
    fn check(calls: &[(&str, usize)], threshold: usize, expected: Option<(usize, &str)>) {
        let mut streak = FailureStreak::default();
        let mut halted = None;
        let shorts = calls
            .iter()
            .flat_map(|&(short, times)| std::iter::repeat_n(short, times));
        for (i, short) in shorts.enumerate() {
            if let Some(message) = streak.record(&call(short), threshold) {
                halted = Some((i + 1, message));
                break;
            }
        }
        let expected = expected.map(|(n, m)| (n, m.to_string()));
        assert_eq!(halted, expected, "{calls:?} with threshold {threshold}");
    }

    #[test]
    fn the_same_failure_n_times_halts_with_its_message() {
        let message = "HTTP 500: no upstream key (the last 20 calls all failed this way)";
        check(&[("500 no upstream key", 30)], 20, Some((20, message)));
        check(
            &[("ok", 3), ("500 no upstream key", 20)],
            20,
            Some((23, message)),
        );
        check(
            &[("429 slow down", 3)],
            3,
            Some((
                3,
                "HTTP 429: slow down (the last 3 calls all failed this way)",
            )),
        );
    }

    #[test]
    fn fewer_than_n_never_halt() {
        check(&[("500 no upstream key", 19)], 20, None);
        check(&[], 20, None);
    }

    #[test]
    fn mixed_statuses_never_halt() {
        check(&[("500 a", 10), ("502 a", 10), ("500 a", 10)], 20, None);
        check(&[("500 a", 15), ("net", 1), ("500 a", 15)], 20, None);
        check(&[("500 a", 15), ("time", 1), ("500 a", 15)], 20, None);
        check(&[("net", 40), ("time", 40)], 20, None);
    }

    #[test]
    fn different_messages_never_halt() {
        check(&[("500 a", 19), ("500 b", 19), ("500 a", 19)], 20, None);
    }

    #[test]
    fn an_answer_resets_the_count() {
        check(&[("500 a", 19), ("ok", 1), ("500 a", 19)], 20, None);
        check(&[("500 a", 19), ("bad", 1), ("500 a", 19)], 20, None);
        check(
            &[("500 a", 19), ("ok", 1), ("500 a", 20)],
            20,
            Some((40, "HTTP 500: a (the last 20 calls all failed this way)")),
        );
    }

    #[test]
    fn aborted_calls_neither_count_nor_reset() {
        check(
            &[("500 a", 10), ("stop", 5), ("500 a", 10)],
            20,
            Some((25, "HTTP 500: a (the last 20 calls all failed this way)")),
        );
    }

    /// Calls are counted across rows: the streak does not know which row a call was for, so
    /// five rows failing four times each halt as one row failing twenty times would.
    #[test]
    fn calls_of_different_rows_count_together() {
        let rounds = [("500 a", 4); 5];
        check(
            &rounds,
            20,
            Some((20, "HTTP 500: a (the last 20 calls all failed this way)")),
        );
    }

    #[test]
    fn the_threshold_covers_every_call_in_flight() {
        for (concurrency, expected) in [(1, 20), (8, 20), (20, 20), (50, 50)] {
            assert_eq!(halt_threshold(concurrency), expected, "{concurrency}");
        }
        check(&[("500 a", 49)], halt_threshold(50), None);
    }
}
