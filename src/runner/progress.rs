//! Progress of a run: counts, rate, time left, tokens, estimated cost, and the budget stop.

use serde::{Deserialize, Serialize};

use crate::engine::judged::{AnswerStatus, JudgedAnswer};

/// Prices per million tokens, as the user enters them (their provider's price list).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Prices {
    pub input_per_million: f64,
    pub output_per_million: f64,
}

/// Everything the progress panel shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    /// Rows with a stored answer (success, format error or error).
    pub n_done: usize,
    pub n_success: usize,
    pub n_format_error: usize,
    pub n_error: usize,
    /// Rows still to send (this session's queue, rows in progress included).
    pub n_remaining: usize,
    pub n_total: usize,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub cost: f64,
    /// Answers a minute over this session's running time.
    pub rate_per_min: Option<f64>,
    pub eta_s: Option<f64>,
}

impl Progress {
    /// Tallies the stored answers; `answered_this_session` and `running_ms` give the rate.
    pub fn new(
        answers: &[JudgedAnswer],
        n_total: usize,
        prices: Prices,
        answered_this_session: usize,
        running_ms: f64,
    ) -> Self {
        let mut p = Progress {
            n_total,
            ..Progress::default()
        };
        for a in answers {
            match a.status {
                AnswerStatus::Success => p.n_success += 1,
                AnswerStatus::FormatError => p.n_format_error += 1,
                AnswerStatus::Error => p.n_error += 1,
            }
            if let Some(u) = a.billed.or(a.usage) {
                p.prompt_tokens += u.prompt_tokens;
                p.completion_tokens += u.completion_tokens;
            }
        }
        p.n_done = answers.len();
        p.n_remaining = n_total.saturating_sub(p.n_done);
        p.cost = cost(p.prompt_tokens, p.completion_tokens, prices);
        if answered_this_session > 0 && running_ms > 0.0 {
            let per_ms = answered_this_session as f64 / running_ms;
            p.rate_per_min = Some(per_ms * 60_000.0);
            p.eta_s = Some(p.n_remaining as f64 / per_ms / 1000.0);
        }
        p
    }

    /// Share of the plan done, 0..=1.
    pub fn fraction(&self) -> f64 {
        if self.n_total == 0 {
            1.0
        } else {
            self.n_done as f64 / self.n_total as f64
        }
    }
}

/// Estimated cost of these token counts.
pub fn cost(prompt_tokens: u64, completion_tokens: u64, prices: Prices) -> f64 {
    (prompt_tokens as f64 * prices.input_per_million
        + completion_tokens as f64 * prices.output_per_million)
        / 1e6
}

/// True when sending one more row could pass the budget: what was spent, plus what the rows in
/// progress and the next one will likely cost (the mean cost of an answer so far).
pub fn budget_reached(
    spent: f64,
    n_answered: usize,
    n_in_flight: usize,
    budget: Option<f64>,
) -> bool {
    let Some(budget) = budget else {
        return false;
    };
    if n_answered == 0 {
        return spent >= budget;
    }
    let per_answer = spent / n_answered as f64;
    spent + per_answer * (n_in_flight + 1) as f64 > budget
}

/// A rate of answers as "12 / min", or per hour below one a minute ("24 / h"), so that a slow
/// endpoint does not read "0 / min".
pub fn show_rate(per_min: f64) -> String {
    let per_h = per_min * 60.0;
    if per_min >= 1.0 {
        format!("{per_min:.0} / min")
    } else if per_h >= 1.0 {
        format!("{per_h:.0} / h")
    } else {
        "< 1 / h".into()
    }
}

/// Seconds as "1 h 02 min", "3 min 05 s" or "12 s".
pub fn show_duration(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    match (s / 3600, (s % 3600) / 60, s % 60) {
        (0, 0, sec) => format!("{sec} s"),
        (0, min, sec) => format!("{min} min {sec:02} s"),
        (h, min, _) => format!("{h} h {min:02} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::judged::Usage;

    fn answer(status: AnswerStatus, tokens: (u64, u64)) -> JudgedAnswer {
        JudgedAnswer {
            line: 1,
            model: "m".into(),
            status,
            text: None,
            finish_reason: None,
            usage: None,
            billed: Some(Usage {
                prompt_tokens: tokens.0,
                completion_tokens: tokens.1,
                total_tokens: tokens.0 + tokens.1,
            }),
            error: None,
            attempts: 1,
            elapsed_ms: 0.0,
        }
    }

    #[test]
    fn counts_tokens_cost_rate_and_eta() {
        let answers = [
            answer(AnswerStatus::Success, (1_000, 200)),
            answer(AnswerStatus::FormatError, (1_000, 300)),
            answer(AnswerStatus::Error, (0, 0)),
        ];
        let prices = Prices {
            input_per_million: 2.0,
            output_per_million: 8.0,
        };
        let p = Progress::new(&answers, 10, prices, 3, 6_000.0);
        assert_eq!(
            (
                p.n_done,
                p.n_success,
                p.n_format_error,
                p.n_error,
                p.n_remaining
            ),
            (3, 1, 1, 1, 7)
        );
        assert_eq!((p.prompt_tokens, p.completion_tokens), (2_000, 500));
        assert!((p.cost - (2_000.0 * 2.0 + 500.0 * 8.0) / 1e6).abs() < 1e-15);
        assert_eq!(p.rate_per_min, Some(30.0));
        assert_eq!(p.eta_s, Some(14.0));
        assert!((p.fraction() - 0.3).abs() < 1e-12);
        assert_eq!(Progress::new(&[], 5, prices, 0, 0.0).eta_s, None);
    }

    #[test]
    fn budget_stops_before_it_is_passed() {
        assert!(!budget_reached(0.5, 10, 3, None));
        assert!(
            !budget_reached(0.5, 10, 3, Some(1.0)),
            "0.5 + 0.05 * 4 <= 1"
        );
        assert!(budget_reached(0.9, 10, 3, Some(1.0)), "0.9 + 0.09 * 4 > 1");
        assert!(budget_reached(0.0, 0, 0, Some(0.0)));
        assert!(!budget_reached(0.0, 0, 0, Some(0.01)));
    }

    #[test]
    fn slow_rates_read_per_hour() {
        #[track_caller]
        fn check(per_min: f64, expected: &str) {
            assert_eq!(show_rate(per_min), expected, "{per_min} a minute");
        }
        check(30.0, "30 / min");
        check(1.0, "1 / min");
        check(0.5, "30 / h");
        // The slow endpoint of issue 11: 2 answers in 5 minutes.
        check(2.0 / 5.0, "24 / h");
        check(0.02, "1 / h");
        check(0.999, "60 / h");
        check(0.001, "< 1 / h");
        check(0.0, "< 1 / h");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(show_duration(12.4), "12 s");
        assert_eq!(show_duration(185.0), "3 min 05 s");
        assert_eq!(show_duration(3720.0), "1 h 02 min");
    }
}
