//! Scripted answers (seeded): the correct answer to a prompt, and the faulty ones the server
//! gives on purpose.

use super::hash::{fnv1a64, hash3};
use super::stage_answers::{
    decompose_answer, judge_answer, miscounted_decompose_answer, prompt_kind,
    unreadable_judge_answer, PromptKind,
};

/// The scores a scripted answer gives to a matched item.
const SCORES: [&str; 4] = ["0.25", "0.50", "0.75", "1.00"];

/// The fingerprint of a prompt: FNV-1a 64 of its UTF-8 bytes, as 16 lower-case hex digits.
pub fn fingerprint(prompt: &str) -> String {
    format!("{:016x}", fnv1a64(prompt.as_bytes()))
}

/// The correct answer the server gives to `prompt`: for each human item `R<i>` (lines starting
/// with `R<digits>: `), a model item `S<s>` with `s` in `0..=n_S` (0 = no match; `n_S` is the
/// number of lines starting with `S<digits>: `) and a score, both drawn from
/// hash(seed, prompt, i).
/// A judge-prompt or decomposition request gets that stage's answer instead.
pub fn scripted_answer(seed: u64, prompt: &str) -> String {
    match prompt_kind(prompt) {
        PromptKind::Matching => render_answer(&scripted_matches(seed, prompt)),
        PromptKind::Judge => judge_answer(seed, prompt),
        PromptKind::Decompose => decompose_answer(seed, prompt),
    }
}

/// One `- R<r>@S<s>: <score>` line.
pub(super) struct Match {
    r: usize,
    s: usize,
    score: &'static str,
}

pub(super) fn scripted_matches(seed: u64, prompt: &str) -> Vec<Match> {
    let n_s = count_items(prompt, 'S');
    let n_r = count_items(prompt, 'R');
    let fp = fnv1a64(prompt.as_bytes());
    (1..=n_r)
        .map(|r| {
            let h = hash3(seed ^ 0x5c0e_5c0e, fp, r as u64);
            let s = (h % (n_s as u64 + 1)) as usize;
            let score = if s == 0 {
                "0"
            } else {
                SCORES[((h >> 32) % SCORES.len() as u64) as usize]
            };
            Match { r, s, score }
        })
        .collect()
}

/// How many lines start with `<letter><digits>: `, the way the app numbers the items.
pub(super) fn count_items(prompt: &str, letter: char) -> usize {
    prompt
        .lines()
        .filter(|line| {
            let Some(rest) = line.strip_prefix(letter) else {
                return false;
            };
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            digits > 0 && rest[digits..].starts_with(": ")
        })
        .count()
}

pub(super) fn render_answer(matches: &[Match]) -> String {
    let mut out = String::from("(think) compared the lists\n<RESULT_START>\n");
    out.push_str("Scores corresponding to claims:\n");
    for m in matches {
        out.push_str(&format!("- R{}@S{}: {}\n", m.r, m.s, m.score));
    }
    out.push_str("<RESULT_END>");
    out
}

/// The scripted answer with its first score replaced by 1.5 (a line is added when there is
/// none), which the app must reject as out of range; for the other stages, the answer their
/// reader rejects (an unreadable verdict, a wrong claim count).
pub(super) fn out_of_range_answer(seed: u64, prompt: &str) -> String {
    match prompt_kind(prompt) {
        PromptKind::Judge => return unreadable_judge_answer(seed, prompt),
        PromptKind::Decompose => return miscounted_decompose_answer(seed, prompt),
        PromptKind::Matching => {}
    }
    let n_s = count_items(prompt, 'S');
    let mut matches = scripted_matches(seed, prompt);
    if matches.is_empty() {
        matches.push(Match {
            r: 1,
            s: n_s.min(1),
            score: "1.5",
        });
    } else {
        let first = &mut matches[0];
        first.s = if first.s == 0 { n_s.min(1) } else { first.s };
        first.score = "1.5";
    }
    render_answer(&matches)
}

/// The answer of a judge that scored nothing: no result block at all.
pub(super) const NO_RESULT_ANSWER: &str =
    "(think) I compared the lists but I am not sure how to score them.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_items_only_at_line_start_with_colon_space() {
        let prompt = "S1: a\nS2: b\n S3: indented\nS4:no space\nSx: no digit\nR1: x\nR12: y";
        assert_eq!(count_items(prompt, 'S'), 2);
        assert_eq!(count_items(prompt, 'R'), 2);
    }

    #[test]
    fn out_of_range_answer_has_one_bad_score() {
        let prompt = "S1: a\nR1: x\nR2: y";
        let answer = out_of_range_answer(3, prompt);
        assert!(answer.contains("- R1@S1: 1.5\n"), "{answer}");
        assert_eq!(answer.matches("1.5").count(), 1);
        assert!(out_of_range_answer(3, "no items").contains("- R1@S0: 1.5"));
    }
}
