//! The judge's answer -> score triples, the order mark and the errors (SPEC section 3).
//!
//! This reads exactly what the reference extractor reads: the first `<RESULT_START>`, the first
//! `<RESULT_END>` after it, and inside that block every `- R<digits>@S<digits>: <number>`, where
//! the number is digits with an optional `.digits` tail. Anything else is ignored, so examples the
//! judge writes while thinking (outside the block) never count.

use serde::{Deserialize, Serialize};

/// One `- R<r>@S<s>: <score>` line: human item `r` matched to model item `s` (0 = no match).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Triple {
    pub r: usize,
    pub s: usize,
    pub score: f64,
}

/// A problem with one judge answer. The messages are the reference script's own words, because
/// they end up in exported files that the reference analysis script reads back.
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum ReplyError {
    #[error("RESULT_START and RESULT_END tags not found")]
    NoResultBlock,
    #[error("No score lines matching the expected format found")]
    NoScoreLines,
    #[error("Score {} for R{r}@S{s} is not in range 0-1", python_float(*score))]
    OutOfRange { r: usize, s: usize, score: f64 },
}

/// What one judge answer says.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// Every triple found in the block, in the order written; out-of-range ones included.
    pub triples: Vec<Triple>,
    /// `R` numbers run 1, 2, 3, ... without a gap. Only a mark when scoring a file; a format
    /// error when running the judge (the reference runner asks again).
    pub ordered: bool,
    pub errors: Vec<ReplyError>,
}

impl Reply {
    /// True when the judge runner would accept this answer: no error and `R` numbers in order.
    pub fn is_acceptable_while_running(&self) -> bool {
        self.errors.is_empty() && self.ordered
    }
}

/// Reads one judge answer (SPEC section 3).
pub fn parse_reply(answer: &str) -> Reply {
    let mut reply = Reply {
        ordered: true,
        ..Reply::default()
    };
    let Some(block) = result_block(answer) else {
        reply.errors.push(ReplyError::NoResultBlock);
        return reply;
    };
    reply.triples = score_lines(block);
    if reply.triples.is_empty() {
        reply.errors.push(ReplyError::NoScoreLines);
        return reply;
    }
    for t in &reply.triples {
        if !(0.0..=1.0).contains(&t.score) {
            reply.errors.push(ReplyError::OutOfRange {
                r: t.r,
                s: t.s,
                score: t.score,
            });
        }
    }
    reply.ordered = reply.triples[0].r == 1
        && reply
            .triples
            .windows(2)
            .all(|w| w[1].r == w[0].r.wrapping_add(1));
    reply
}

/// The text between the first `<RESULT_START>` and the first `<RESULT_END>` after it.
pub fn result_block(answer: &str) -> Option<&str> {
    const START: &str = "<RESULT_START>";
    const END: &str = "<RESULT_END>";
    let from = answer.find(START)? + START.len();
    let len = answer[from..].find(END)?;
    Some(&answer[from..from + len])
}

/// Formats a float the way Python's `str(float)` does for the values a score can take, so
/// error messages read exactly like the reference's ("1.5", "2.0", "10.25").
fn python_float(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e16 {
        format!("{x:.1}")
    } else {
        format!("{x}")
    }
}

/// Every non-overlapping match of `- R(\d+)@S(\d+): (\d+(?:\.\d+)?)`, scanning left to right.
fn score_lines(block: &str) -> Vec<Triple> {
    let bytes = block.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = block[at..].find("- R") {
        let start = at + offset;
        match score_line_at(bytes, start) {
            Some((triple, end)) => {
                found.push(triple);
                at = end;
            }
            None => at = start + 1,
        }
    }
    found
}

/// Tries the pattern at `start` (which holds `- R`); returns the triple and the end offset.
fn score_line_at(bytes: &[u8], start: usize) -> Option<(Triple, usize)> {
    let mut at = start + 3;
    let r_digits = digits(bytes, at);
    if r_digits.is_empty() {
        return None;
    }
    at += r_digits.len();
    if !bytes[at..].starts_with(b"@S") {
        return None;
    }
    at += 2;
    let s_digits = digits(bytes, at);
    if s_digits.is_empty() {
        return None;
    }
    at += s_digits.len();
    if !bytes[at..].starts_with(b": ") {
        return None;
    }
    at += 2;
    let whole = digits(bytes, at);
    if whole.is_empty() {
        return None;
    }
    let number_start = at;
    at += whole.len();
    // The fraction is optional and taken only when at least one digit follows the dot.
    if bytes.get(at) == Some(&b'.') {
        let fraction = digits(bytes, at + 1);
        if !fraction.is_empty() {
            at += 1 + fraction.len();
        }
    }
    // Only ASCII digits and one dot were taken, so the slice is valid UTF-8 and parses.
    let number = std::str::from_utf8(&bytes[number_start..at]).ok()?;
    let triple = Triple {
        r: to_index(r_digits),
        s: to_index(s_digits),
        score: number.parse().ok()?,
    };
    Some((triple, at))
}

fn digits(bytes: &[u8], from: usize) -> &[u8] {
    let tail = bytes.get(from..).unwrap_or_default();
    let n = tail.iter().take_while(|b| b.is_ascii_digit()).count();
    &tail[..n]
}

/// A run of ASCII digits as an index; numbers too large for `usize` saturate, which keeps them
/// out of range of any checklist, as Python's unbounded integers would be.
fn to_index(digits: &[u8]) -> usize {
    digits.iter().fold(0usize, |acc, d| {
        acc.saturating_mul(10).saturating_add(usize::from(d - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(answer: &str, triples: &[(usize, usize, f64)], ordered: bool, errors: &[&str]) {
        let reply = parse_reply(answer);
        let got: Vec<_> = reply.triples.iter().map(|t| (t.r, t.s, t.score)).collect();
        assert_eq!(got, triples, "triples of {answer:?}");
        assert_eq!(reply.ordered, ordered, "order mark of {answer:?}");
        let messages: Vec<_> = reply.errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages, errors, "errors of {answer:?}");
    }

    fn block(body: &str) -> String {
        format!("think\n<RESULT_START>\nScores corresponding to claims:\n{body}\n<RESULT_END>\n")
    }

    #[test]
    fn reads_the_spec_examples() {
        check(&block("- R2@S1: 0.75"), &[(2, 1, 0.75)], false, &[]);
        check(&block("- R1@S1: 1."), &[(1, 1, 1.0)], true, &[]);
        for nothing in [
            "- R2@S1: .75",
            "-R2@S1: 1",
            "- R2@S1:0.5",
            "- R2@S1:  1",
            "- r2@s1: 1",
        ] {
            check(
                &block(nothing),
                &[],
                true,
                &["No score lines matching the expected format found"],
            );
        }
    }

    #[test]
    fn takes_matches_anywhere_in_the_block() {
        check(
            &block("x - R1@S2: 0.5 and - R2@S0: 0\n  - R3@S1: 1.00"),
            &[(1, 2, 0.5), (2, 0, 0.0), (3, 1, 1.0)],
            true,
            &[],
        );
        check(
            &block("- R1@S1: 0.5- R2@S2: 1"),
            &[(1, 1, 0.5), (2, 2, 1.0)],
            true,
            &[],
        );
        check(&block("- - R1@S1: 0.25"), &[(1, 1, 0.25)], true, &[]);
    }

    #[test]
    fn ignores_text_outside_the_first_block() {
        let answer = "- R9@S9: 1 example\n<RESULT_START>\n- R1@S1: 0.5\n<RESULT_END>\n- R2@S2: 1\n\
                      <RESULT_START>- R3@S3: 1<RESULT_END>";
        check(answer, &[(1, 1, 0.5)], true, &[]);
    }

    #[test]
    fn reports_missing_tags() {
        for answer in [
            "no block",
            "<RESULT_END> - R1@S1: 1 <RESULT_START>",
            "<RESULT_START> - R1@S1: 1",
        ] {
            check(
                answer,
                &[],
                true,
                &["RESULT_START and RESULT_END tags not found"],
            );
        }
    }

    #[test]
    fn out_of_range_scores_are_errors_but_kept() {
        check(
            &block("- R1@S1: 1.5\n- R2@S2: 2\n- R3@S3: 10.25"),
            &[(1, 1, 1.5), (2, 2, 2.0), (3, 3, 10.25)],
            true,
            &[
                "Score 1.5 for R1@S1 is not in range 0-1",
                "Score 2.0 for R2@S2 is not in range 0-1",
                "Score 10.25 for R3@S3 is not in range 0-1",
            ],
        );
    }

    #[test]
    fn order_mark_needs_one_two_three() {
        check(
            &block("- R2@S1: 1\n- R1@S1: 1"),
            &[(2, 1, 1.0), (1, 1, 1.0)],
            false,
            &[],
        );
        check(
            &block("- R1@S1: 1\n- R1@S1: 1"),
            &[(1, 1, 1.0), (1, 1, 1.0)],
            false,
            &[],
        );
        check(
            &block("- R1@S1: 1\n- R3@S1: 1"),
            &[(1, 1, 1.0), (3, 1, 1.0)],
            false,
            &[],
        );
        assert!(!parse_reply(&block("- R2@S1: 1")).is_acceptable_while_running());
        assert!(parse_reply(&block("- R1@S1: 1\n- R2@S0: 0")).is_acceptable_while_running());
    }

    #[test]
    fn huge_numbers_saturate_instead_of_panicking() {
        let reply = parse_reply(&block("- R99999999999999999999999@S1: 00000.50"));
        assert_eq!(reply.triples[0].r, usize::MAX);
        assert_eq!(reply.triples[0].score, 0.5);
        assert!(!reply.ordered);
    }

    #[test]
    fn non_ascii_text_around_matches_is_fine() {
        check(
            &block("数据 - R1@S1: 0.5 évaluation Ø"),
            &[(1, 1, 0.5)],
            true,
            &[],
        );
    }
}
