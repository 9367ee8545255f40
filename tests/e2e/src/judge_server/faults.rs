//! The faults injected into chat completions: what a test asks for, and the draw that decides
//! each request's fault from the seed, the prompt and how often it was asked.

use serde::{Deserialize, Serialize};

use super::hash::{hash3, unit};

/// The faults injected into chat completions. The probabilities are those of one draw per
/// request, taken in the order 500, 429, slow, drop, no_result, out_of_range (cumulative, so
/// their sum should be at most 1). Missing JSON fields take the defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Every chat completion that passes the key, body and model checks waits this long before
    /// answering (faulty answers too; a slow answer waits `max(slow_ms, latency_ms)`).
    pub latency_ms: u64,
    pub p_500: f64,
    pub p_429: f64,
    /// The value of `Retry-After` on a 429, in seconds.
    pub retry_after_s: u64,
    pub p_slow: f64,
    /// How long a slow answer takes (meant to be longer than the client's timeout).
    pub slow_ms: u64,
    pub p_drop: f64,
    pub p_no_result: f64,
    pub p_out_of_range: f64,
    /// After this many faulty answers to one prompt, that prompt is always answered correctly,
    /// so a client that retries always gets through in the end.
    pub max_faults_per_prompt: u32,
    /// Fingerprints (see [`fingerprint`](super::answers::fingerprint)) of prompts that always
    /// get HTTP 500, whatever the cap.
    pub always_fail: Vec<String>,
    /// A dead endpoint: when set, every chat completion that passes the key, body and model
    /// checks answers HTTP 500 with this message, whatever the other faults and the cap say
    /// (as a proxy lacking its upstream key does).
    pub dead_message: Option<String>,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            latency_ms: 0,
            p_500: 0.0,
            p_429: 0.0,
            retry_after_s: 1,
            p_slow: 0.0,
            slow_ms: 5000,
            p_drop: 0.0,
            p_no_result: 0.0,
            p_out_of_range: 0.0,
            max_faults_per_prompt: 2,
            always_fail: Vec::new(),
            dead_message: None,
        }
    }
}

/// The fault one chat completion gets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Fault {
    None,
    Http500,
    /// HTTP 500 with the message of [`Faults::dead_message`].
    Dead,
    Http429,
    Slow,
    Drop,
    NoResult,
    OutOfRange,
}

/// How one prompt was treated so far (since the last `set_faults`).
#[derive(Default)]
pub(super) struct PromptHistory {
    pub asked: u64,
    pub faults: u32,
}

/// The fault for the `asked`-th request (from 0) of the prompt with fingerprint `fp`.
pub(super) fn draw_fault(seed: u64, fp: u64, asked: u64, faults: &Faults) -> Fault {
    let u = unit(hash3(seed ^ 0xfa17_fa17, fp, asked));
    let ladder = [
        (faults.p_500, Fault::Http500),
        (faults.p_429, Fault::Http429),
        (faults.p_slow, Fault::Slow),
        (faults.p_drop, Fault::Drop),
        (faults.p_no_result, Fault::NoResult),
        (faults.p_out_of_range, Fault::OutOfRange),
    ];
    let mut cumulative = 0.0;
    for (p, fault) in ladder {
        cumulative += p.max(0.0);
        if u < cumulative {
            return fault;
        }
    }
    Fault::None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_follow_the_probabilities_roughly() {
        let faults = Faults {
            p_500: 0.3,
            p_429: 0.2,
            ..Faults::default()
        };
        let draws: Vec<Fault> = (0..2000).map(|i| draw_fault(1, i, 0, &faults)).collect();
        let share = |f| draws.iter().filter(|&&d| d == f).count() as f64 / 2000.0;
        assert!((share(Fault::Http500) - 0.3).abs() < 0.05);
        assert!((share(Fault::Http429) - 0.2).abs() < 0.05);
        assert!((share(Fault::None) - 0.5).abs() < 0.05);
    }
}
