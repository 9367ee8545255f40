//! The Decompose stage (SPEC section 8): the paper's decomposition prompt filled from a row
//! and a field mapping, and its answer read into atomic items.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::answer::answer_block;
use super::request::{fill, text_field, turn_lines, turns, RequestError};

/// Which row fields fill `{str_brief}` (the prose to decompose) and `{str_eval}` (the
/// evaluation it may draw details from).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMapping {
    pub brief: String,
    pub eval: String,
}

impl FieldMapping {
    /// The default: the model's own answer, `<model>-generated_text`, for both.
    pub fn for_model(model: &str) -> Self {
        let field = format!("{model}-generated_text");
        FieldMapping {
            brief: field.clone(),
            eval: field,
        }
    }
}

/// A problem with one decomposition answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum DecomposeProblem {
    /// No `<RESULT_START>`: the whole answer was read. Not a format error by itself.
    #[error("no RESULT block")]
    NoResultBlock,
    #[error("no CLAIM_COUNT")]
    NoClaimCount,
    #[error("CLAIM_COUNT={claimed} but {found} claims")]
    CountMismatch { claimed: usize, found: usize },
}

/// What one decomposition answer says.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    /// The atomic items in order; may be empty (a valid answer: nothing specific to keep).
    pub items: Vec<String>,
    /// The number after `CLAIM_COUNT=`.
    pub claimed: Option<usize>,
    pub problems: Vec<DecomposeProblem>,
}

impl Claims {
    /// A format error of the stage (asked again while retries are left): the count is missing
    /// or differs from the items found.
    pub fn is_format_error(&self) -> bool {
        self.problems.iter().any(|p| {
            matches!(
                p,
                DecomposeProblem::NoClaimCount | DecomposeProblem::CountMismatch { .. }
            )
        })
    }
}

/// The decomposition request of one row: `{history}` = every turn of `context` but the last,
/// as `role: content` lines; `{query}` = the last turn's content; `{response_1}`,
/// `{response_2}` = `response1`, `response2`; `{str_brief}`, `{str_eval}` = the mapped fields.
pub fn decompose_request(
    template: &str,
    row: &Map<String, Value>,
    mapping: &FieldMapping,
) -> Result<String, RequestError> {
    let mut turns = turns(row);
    let query = turns.pop().map(|t| t.content).unwrap_or_default();
    let history = turn_lines(&turns);
    let response_1 = text_field(row, "response1")?;
    let response_2 = text_field(row, "response2")?;
    let brief = text_field(row, &mapping.brief)?;
    let eval = text_field(row, &mapping.eval)?;
    Ok(fill(
        template,
        &[
            ("history", &history),
            ("query", &query),
            ("response_1", &response_1),
            ("response_2", &response_2),
            ("str_brief", &brief),
            ("str_eval", &eval),
        ],
    ))
}

/// Reads one decomposition answer: every `- C<digits>: text` line of the block before
/// `IGNORED_SUMMARY`, in order, and `CLAIM_COUNT=` checked against their number.
pub fn read_claims(answer: &str) -> Claims {
    let (block, has_block) = answer_block(answer);
    let mut problems = Vec::new();
    if !has_block {
        problems.push(DecomposeProblem::NoResultBlock);
    }
    let items: Vec<String> = block
        .lines()
        .take_while(|line| !line.contains("IGNORED_SUMMARY"))
        .filter_map(claim_item)
        .map(str::to_string)
        .collect();
    let claimed = claim_count(block);
    match claimed {
        None => problems.push(DecomposeProblem::NoClaimCount),
        Some(claimed) if claimed != items.len() => problems.push(DecomposeProblem::CountMismatch {
            claimed,
            found: items.len(),
        }),
        Some(_) => {}
    }
    Claims {
        items,
        claimed,
        problems,
    }
}

/// The text of a `- C<digits>: text` line, trimmed; `None` for any other line or empty text.
fn claim_item(line: &str) -> Option<&str> {
    let rest = line
        .trim_start()
        .strip_prefix('-')?
        .trim_start()
        .strip_prefix('C')?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    Some(rest[digits..].strip_prefix(':')?.trim()).filter(|text| !text.is_empty())
}

/// The number after the first `CLAIM_COUNT` and `=` (spaces allowed around the sign).
fn claim_count(block: &str) -> Option<usize> {
    const KEY: &str = "CLAIM_COUNT";
    let at = block.find(KEY)?;
    let rest = block[at + KEY.len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    rest[..digits].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::prompt::DECOMPOSE_PROMPT;
    use serde_json::json;
    use DecomposeProblem::*;

    #[track_caller]
    fn check(answer: &str, items: &[&str], problems: &[DecomposeProblem]) {
        let claims = read_claims(answer);
        assert_eq!(claims.items, items, "items of {answer:?}");
        assert_eq!(claims.problems, problems, "problems of {answer:?}");
        let format_error = problems.iter().any(|p| *p != NoResultBlock);
        assert_eq!(
            claims.is_format_error(),
            format_error,
            "format error of {answer:?}"
        );
    }

    #[test]
    fn reads_claims_in_order_and_checks_the_count() {
        let answer = "<RESULT_START> CLAIM_COUNT=2 CLAIMS:\n- C1: Response 1 omits units\n\
                      - C2:  Response 2 cites no source \nIGNORED_SUMMARY:\n\
                      - C3: not a claim (Reason: ignored)\n- Ignored sentence (Reason: vague) <RESULT_END>";
        check(
            answer,
            &["Response 1 omits units", "Response 2 cites no source"],
            &[],
        );
        let spaced =
            "<RESULT_START>\nCLAIM_COUNT = 1\nCLAIMS:\n  -   C12: deep indent\n<RESULT_END>";
        check(spaced, &["deep indent"], &[]);
    }

    #[test]
    fn an_empty_list_is_a_valid_answer() {
        let answer = "<RESULT_START> CLAIM_COUNT=0 CLAIMS:\nIGNORED_SUMMARY:\n\
                      - Overall poor (Reason: vague) <RESULT_END>";
        check(answer, &[], &[]);
    }

    #[test]
    fn a_wrong_or_missing_count_is_a_format_error() {
        let answer = "<RESULT_START> CLAIM_COUNT=3 CLAIMS:\n- C1: a\n- C2: b\n<RESULT_END>";
        check(
            answer,
            &["a", "b"],
            &[CountMismatch {
                claimed: 3,
                found: 2,
            }],
        );
        check(
            "<RESULT_START>\n- C1: a\n<RESULT_END>",
            &["a"],
            &[NoClaimCount],
        );
        check(
            "<RESULT_START> CLAIM_COUNT=x\n<RESULT_END>",
            &[],
            &[NoClaimCount],
        );
        check("", &[], &[NoResultBlock, NoClaimCount]);
    }

    #[test]
    fn other_lines_are_not_claims() {
        let answer = "<RESULT_START> CLAIM_COUNT=1 CLAIMS:\n- C: no number\n- c1: lower case\n\
                      * C2: star\nC3: no dash\n- C4:\n- C5 missing colon\n- C6: kept";
        check(answer, &["kept"], &[]);
        check("CLAIM_COUNT=1\n- C1: a", &["a"], &[NoResultBlock]);
    }

    #[track_caller]
    fn request(row: Value, mapping: &FieldMapping) -> Result<String, String> {
        let Value::Object(row) = row else {
            return Err("a test row is an object".into());
        };
        let template =
            "<h>{history}</h><q>{query}</q>{response_1}|{response_2}|{str_brief}|{str_eval}";
        decompose_request(template, &row, mapping).map_err(|e| e.to_string())
    }

    #[test]
    fn the_request_fills_every_placeholder() {
        let mapping = FieldMapping::for_model("m");
        let list = json!([{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"},
                          {"role": "user", "content": "and {query}?"}]);
        let table = [
            (
                json!({"context": list, "response1": "r1", "response2": "r2", "m-generated_text": "t"}),
                Ok("<h>user: hi\nassistant: yo</h><q>and {query}?</q>r1|r2|t|t"),
            ),
            (
                json!({"context": "only", "response1": "r1", "response2": "r2", "M-Generated_Text": "t"}),
                Ok("<h></h><q>only</q>r1|r2|t|t"),
            ),
            (
                json!({"context": [], "response1": "r1", "response2": "r2", "m-generated_text": "t"}),
                Ok("<h></h><q></q>r1|r2|t|t"),
            ),
            (
                json!({"context": "q", "response1": "r1", "m-generated_text": "t"}),
                Err("no response2 field".into()),
            ),
            (
                json!({"context": "q", "response1": "r1", "response2": "r2"}),
                Err("no m-generated_text field".into()),
            ),
        ];
        for (row, expected) in table {
            assert_eq!(request(row, &mapping), expected.map(str::to_string));
        }
        let mapping = FieldMapping {
            brief: "notes".into(),
            eval: "m-generated_text".into(),
        };
        let row = json!({"response1": "r1", "response2": "r2", "notes": ["a", "b"], "m-generated_text": "t"});
        assert_eq!(
            request(row, &mapping),
            Ok("<h></h><q></q>r1|r2|a\nb|t".into())
        );
    }

    #[test]
    fn the_shipped_prompt_holds_every_placeholder() {
        for name in [
            "{history}",
            "{query}",
            "{response_1}",
            "{response_2}",
            "{str_brief}",
            "{str_eval}",
        ] {
            assert!(DECOMPOSE_PROMPT.contains(name), "{name}");
        }
        // The shipped copy is the reference one byte for byte (its length and ends pinned).
        assert_eq!(DECOMPOSE_PROMPT.len(), 1927);
        assert!(DECOMPOSE_PROMPT.starts_with("System Instruction: You are an assistant"));
        assert!(DECOMPOSE_PROMPT.ends_with("(Reason: ...) <RESULT_END>\n"));
    }
}
