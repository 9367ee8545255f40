//! Scripted answers (seeded) to the other stages' prompts (SPEC section 8): the judge prompt
//! (a RESULT block of reasons and a `\boxed{}` verdict) and the decomposition prompt (`C` lines
//! and `CLAIM_COUNT`), each recognised from the request text, with their faulty forms.

use super::hash::{fnv1a64, hash3};

/// Which prompt a request answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// The MetaJudge matching (R and S items).
    Matching,
    /// The judge prompt: a conversation and `[Response A]`, `[Response B]`.
    Judge,
    /// The decomposition prompt (it asks for `CLAIM_COUNT=`).
    Decompose,
}

impl PromptKind {
    /// The kind's name in the request log.
    pub fn name(self) -> &'static str {
        match self {
            PromptKind::Matching => "matching",
            PromptKind::Judge => "judge",
            PromptKind::Decompose => "decompose",
        }
    }
}

/// Verdicts a scripted judge gives, in the judge prompt's five forms.
const VERDICTS: [&str; 5] = ["A>>B", "A>B", "A=B", "B>A", "B>>A"];
/// Words the scripted reasons and claims are made of.
const WORDS: [&str; 8] = [
    "accuracy",
    "units",
    "citation",
    "tone",
    "syntax",
    "proof",
    "format",
    "edge case",
];

/// The kind of a request, from its text.
pub fn prompt_kind(prompt: &str) -> PromptKind {
    let line_starts = |marker: &str| prompt.lines().any(|line| line == marker);
    if prompt.contains("CLAIM_COUNT") {
        PromptKind::Decompose
    } else if line_starts("[Response A]") && line_starts("[Response B]") {
        PromptKind::Judge
    } else {
        PromptKind::Matching
    }
}

/// A judge answer: one to five reasons and a verdict, drawn from hash(seed, prompt).
pub(super) fn judge_answer(seed: u64, prompt: &str) -> String {
    let h = hash3(seed ^ 0x6a0d_6e11, fnv1a64(prompt.as_bytes()), 0);
    let verdict = VERDICTS[(h % VERDICTS.len() as u64) as usize];
    judge_text(h, &format!("\\boxed{{{verdict}}}"))
}

/// A judge answer whose verdict no reader takes: a format error of the stage.
pub(super) fn unreadable_judge_answer(seed: u64, prompt: &str) -> String {
    let h = hash3(seed ^ 0x6a0d_6e11, fnv1a64(prompt.as_bytes()), 0);
    judge_text(h, "\\boxed{both are fine}")
}

/// A decomposition: zero to four claims and their count, drawn from hash(seed, prompt).
pub(super) fn decompose_answer(seed: u64, prompt: &str) -> String {
    let h = hash3(seed ^ 0x0dec_0de5, fnv1a64(prompt.as_bytes()), 0);
    let n = (h % 5) as usize;
    claims_text(h, n, n)
}

/// A decomposition whose `CLAIM_COUNT` is one more than its claims: a format error.
pub(super) fn miscounted_decompose_answer(seed: u64, prompt: &str) -> String {
    let h = hash3(seed ^ 0x0dec_0de5, fnv1a64(prompt.as_bytes()), 0);
    let n = (h % 5) as usize;
    claims_text(h, n, n + 1)
}

fn judge_text(h: u64, verdict: &str) -> String {
    let n = 1 + (h >> 8) % 5;
    let mut out =
        String::from("(think) weighed both responses\n<RESULT_START>\nEvaluation reasons:\n");
    for i in 0..n {
        out.push_str(&format!("- Response A is better on {}\n", word(h, i)));
    }
    out.push_str(&format!("Final assessment: {verdict}\n<RESULT_END>"));
    out
}

fn claims_text(h: u64, n: usize, claimed: usize) -> String {
    let mut out = String::from("<RESULT_START>\n");
    for i in 0..n {
        out.push_str(&format!(
            "- C{}: the answer gets the {} right\n",
            i + 1,
            word(h, i as u64)
        ));
    }
    out.push_str(&format!("CLAIM_COUNT={claimed}\n<RESULT_END>"));
    out
}

fn word(h: u64, i: u64) -> &'static str {
    WORDS[(hash3(h, i, 1) % WORDS.len() as u64) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use metajudge_studio::engine::pipeline::{read_answer, read_claims};

    #[track_caller]
    fn check(prompt: &str, kind: PromptKind) {
        assert_eq!(prompt_kind(prompt), kind, "{prompt}");
    }

    #[test]
    fn requests_are_told_apart_by_their_text() {
        check(
            "judge\n\n[Response A]\na\n\n[Response B]\nb",
            PromptKind::Judge,
        );
        check(
            "say CLAIM_COUNT=\n[Response A]\n[Response B]",
            PromptKind::Decompose,
        );
        check(
            "S1: a\nR1: b\nmentions [Response A] inline",
            PromptKind::Matching,
        );
    }

    #[test]
    fn scripted_answers_read_and_faulty_ones_do_not() {
        for seed in 0..20 {
            let prompt = format!("prompt {seed}");
            let good = read_answer(&judge_answer(seed, &prompt));
            assert!(!good.is_format_error(), "{good:?}");
            assert!(read_answer(&unreadable_judge_answer(seed, &prompt)).is_format_error());
            assert!(!read_claims(&decompose_answer(seed, &prompt)).is_format_error());
            assert!(read_claims(&miscounted_decompose_answer(seed, &prompt)).is_format_error());
        }
    }
}
