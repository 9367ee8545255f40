//! A judge-prompt answer -> reasons, verdict and problems (SPEC section 8, Generate): what the
//! Generate and Swap stages read, and what `metajudge genrm` writes into a row.
//!
//! Unlike the matching reader (`engine::reply`), this one is lenient about the block, because
//! it reads free-form judges: a missing end marker reads to the end, a missing start marker
//! reads the whole answer (and says so).

use serde::{Deserialize, Serialize};

use crate::engine::verdict::{last_boxed, read_verdict_text, Verdict};

/// A problem with one judge answer, named as SPEC section 8 names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AnswerProblem {
    /// No `<RESULT_START>`: the whole answer was read. Not a format error by itself.
    #[error("no RESULT block")]
    NoResultBlock,
    #[error("no reason list")]
    NoReasonList,
    #[error("no verdict")]
    NoVerdict,
}

/// What one judge answer says.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JudgeAnswer {
    /// The reasons in the model's order, markers and white space trimmed.
    pub reasons: Vec<String>,
    /// The content of the verdict's `\boxed{}` as written (e.g. `A>B`), readable or not.
    pub label: Option<String>,
    pub verdict: Option<Verdict>,
    pub problems: Vec<AnswerProblem>,
}

impl JudgeAnswer {
    /// A format error of the stage (asked again while retries are left): no reasons or no
    /// readable verdict.
    pub fn is_format_error(&self) -> bool {
        self.reasons.is_empty() || self.verdict.is_none()
    }
}

/// Reads one answer to the judge prompt (SPEC section 8, steps 1-4).
pub fn read_answer(answer: &str) -> JudgeAnswer {
    let (block, has_block) = answer_block(answer);
    let mut problems = Vec::new();
    if !has_block {
        problems.push(AnswerProblem::NoResultBlock);
    }
    let reasons = reasons(block);
    if reasons.is_empty() {
        problems.push(AnswerProblem::NoReasonList);
    }
    let label = last_boxed(block)
        .or_else(|| last_boxed(answer))
        .map(|inner| inner.trim().to_string());
    let verdict = label.as_deref().and_then(read_verdict_text);
    if verdict.is_none() {
        problems.push(AnswerProblem::NoVerdict);
    }
    JudgeAnswer {
        reasons,
        label,
        verdict,
        problems,
    }
}

/// The answer's block and whether it had a start marker: from the first `<RESULT_START>` to
/// the first `<RESULT_END>` after it, or to the end without one; the whole answer without a
/// start marker.
pub fn answer_block(answer: &str) -> (&str, bool) {
    const START: &str = "<RESULT_START>";
    const END: &str = "<RESULT_END>";
    let Some(at) = answer.find(START) else {
        return (answer, false);
    };
    let rest = &answer[at + START.len()..];
    (rest.find(END).map_or(rest, |end| &rest[..end]), true)
}

/// The reason lines of a block: those starting (after white space) with a list marker, before
/// the line holding `Final assessment`.
fn reasons(block: &str) -> Vec<String> {
    block
        .lines()
        .take_while(|line| !line.to_lowercase().contains("final assessment"))
        .filter_map(list_item)
        .filter(|item| !is_verdict(item))
        .map(str::to_string)
        .collect()
}

/// The text of a list line: after `-`, `*`, `•`, `<digits>.` or `<digits>)` and white space.
/// The marker must be followed by white space, so `**bold**` headings and `---` rules are
/// not reasons. Empty items are dropped.
fn list_item(line: &str) -> Option<&str> {
    let line = line.trim_start();
    let rest = match line.strip_prefix(['-', '*', '•']) {
        Some(rest) => rest,
        None => {
            let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits == 0 {
                return None;
            }
            line[digits..].strip_prefix(['.', ')'])?
        }
    };
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some(rest.trim()).filter(|item| !item.is_empty())
}

/// A list line that is the verdict itself (`- \boxed{A>B}`, `- A>B`) rather than a reason.
fn is_verdict(item: &str) -> bool {
    item.contains("\\boxed{") || read_verdict_text(item).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use AnswerProblem::*;

    #[track_caller]
    fn check(answer: &str, reasons: &[&str], label: Option<&str>, problems: &[AnswerProblem]) {
        let read = read_answer(answer);
        assert_eq!(read.reasons, reasons, "reasons of {answer:?}");
        assert_eq!(read.label.as_deref(), label, "label of {answer:?}");
        assert_eq!(read.problems, problems, "problems of {answer:?}");
        let format_error = problems.contains(&NoReasonList) || problems.contains(&NoVerdict);
        assert_eq!(
            read.is_format_error(),
            format_error,
            "format error of {answer:?}"
        );
    }

    fn block(body: &str) -> String {
        format!("Thinking...\n<RESULT_START>\nList of reasons:\n{body}\n<RESULT_END>")
    }

    const FINAL: &str = "Final assessment result: \\boxed{A>B}";

    #[test]
    fn every_list_marker_real_models_write() {
        for (body, reason) in [
            ("- Accurate units", "Accurate units"),
            ("* Accurate units", "Accurate units"),
            ("• Accurate units", "Accurate units"),
            ("1. Accurate units", "Accurate units"),
            ("12) Accurate units", "Accurate units"),
            ("   -\tAccurate units  ", "Accurate units"),
            ("- **Accuracy:** units", "**Accuracy:** units"),
        ] {
            check(
                &block(&format!("{body}\n{FINAL}")),
                &[reason],
                Some("A>B"),
                &[],
            );
        }
    }

    #[test]
    fn lines_without_a_marker_and_a_space_are_not_reasons() {
        let body = "**Reasons**\n---\n1.5 times longer\nPlain prose\n-\n- \n- kept\n";
        check(
            &block(&format!("{body}{FINAL}")),
            &["kept"],
            Some("A>B"),
            &[],
        );
        check(
            &block(&format!("Response A is better.\n{FINAL}")),
            &[],
            Some("A>B"),
            &[NoReasonList],
        );
    }

    #[test]
    fn the_order_is_kept_and_blank_lines_are_skipped() {
        let body = "- first\n\n  * nested second\n\n2. third\n";
        check(
            &block(&format!("{body}\n{FINAL}")),
            &["first", "nested second", "third"],
            Some("A>B"),
            &[],
        );
    }

    #[test]
    fn nothing_from_the_final_assessment_line_on_is_a_reason() {
        let body = "- first\n- Final assessment result: \\boxed{B>>A}\n- after";
        check(&block(body), &["first"], Some("B>>A"), &[]);
        let body = "- first\n**Final Assessment:** B is better \\boxed{B>A}";
        check(&block(body), &["first"], Some("B>A"), &[]);
    }

    #[test]
    fn the_verdict_line_is_not_a_reason() {
        check(
            &block("- first\n- \\boxed{A=B}"),
            &["first"],
            Some("A=B"),
            &[],
        );
        check(
            &block("- first\n- A>B\n- Response A is favored: \\boxed{A>B}"),
            &["first"],
            Some("A>B"),
            &[],
        );
    }

    #[test]
    fn missing_markers_are_read_leniently() {
        let no_end = format!("<RESULT_START>\n- first\n{FINAL}");
        check(&no_end, &["first"], Some("A>B"), &[]);
        let no_markers = format!("Reasons:\n- first\n- second\n{FINAL}");
        check(
            &no_markers,
            &["first", "second"],
            Some("A>B"),
            &[NoResultBlock],
        );
        let end_only = format!("- first\n{FINAL}\n<RESULT_END>");
        check(&end_only, &["first"], Some("A>B"), &[NoResultBlock]);
    }

    #[test]
    fn the_verdict_is_the_last_boxed_of_the_block_else_of_the_answer() {
        let answer = "\\boxed{B>A} <RESULT_START>\n- r\n\\boxed{A>>B} then \\boxed{A=B}\
                      <RESULT_END> \\boxed{B>>A}";
        check(answer, &["r"], Some("A=B"), &[]);
        let outside = "<RESULT_START>\n- r\nFinal assessment result:\n<RESULT_END>\n\\boxed{ B>A }";
        check(outside, &["r"], Some("B>A"), &[]);
    }

    #[test]
    fn no_verdict_or_an_unreadable_one_is_a_format_error() {
        check(
            &block("- r\nFinal assessment result: A>B"),
            &["r"],
            None,
            &[NoVerdict],
        );
        check(&block("- r\n\\boxed{C}"), &["r"], Some("C"), &[NoVerdict]);
        check("", &[], None, &[NoResultBlock, NoReasonList, NoVerdict]);
        let read = read_answer(&block("- r\n\\boxed{Response 2}"));
        assert_eq!(read.verdict, Some(Verdict::B));
    }

    #[test]
    fn a_verdict_without_reasons_still_reads_its_verdict() {
        let read = read_answer(&block(FINAL));
        assert_eq!(read.verdict, Some(Verdict::A));
        assert!(read.is_format_error());
        assert_eq!(read.problems, [NoReasonList]);
    }
}
