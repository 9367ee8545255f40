//! The request of the Generate and Swap stages for one row (SPEC section 8): the judge prompt,
//! the conversation, and the two responses, in the given or the exchanged order.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::request::{text_field, turn_lines, turns, RequestError};
use super::stage::Stage;

/// Which response the judge sees as A.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Order {
    /// `response1` is A, `response2` is B (the Generate stage).
    AsGiven,
    /// `response2` is A, `response1` is B (the Swap stage).
    Swapped,
}

impl Order {
    /// The stage that asks in this order.
    pub fn stage(self) -> Stage {
        match self {
            Order::AsGiven => Stage::Generate,
            Order::Swapped => Stage::Swap,
        }
    }
}

/// The user message of one row: `prompt`, a blank line, the conversation as `role: content`
/// lines, a blank line, `[Response A]` with its text on the next line, a blank line,
/// `[Response B]` with its text. A row without a conversation has no conversation part (and
/// no second blank line); a row without either response cannot be judged.
pub fn judge_request(
    prompt: &str,
    row: &Map<String, Value>,
    order: Order,
) -> Result<String, RequestError> {
    let first = text_field(row, "response1")?;
    let second = text_field(row, "response2")?;
    let (a, b) = match order {
        Order::AsGiven => (first, second),
        Order::Swapped => (second, first),
    };
    // The shipped prompt ends with a line end; the blank line after it is ours to write.
    let mut parts = vec![prompt.trim_end_matches(['\n', '\r']).to_string()];
    let conversation = turn_lines(&turns(row));
    if !conversation.is_empty() {
        parts.push(conversation);
    }
    parts.push(format!("[Response A]\n{a}"));
    parts.push(format!("[Response B]\n{b}"));
    Ok(parts.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::prompt::GENRM_PROMPT;
    use serde_json::json;

    #[track_caller]
    fn check(row: Value, order: Order, expected: Result<&str, &str>) {
        let Value::Object(row) = row else {
            panic!("a test row is an object");
        };
        let got = judge_request("PROMPT\n", &row, order).map_err(|e| e.to_string());
        assert_eq!(
            got.as_deref(),
            expected.map_err(|e| e.to_string()).as_deref()
        );
    }

    #[test]
    fn awkward_rows_give_the_spec_layout() {
        use Order::*;
        let list = json!([{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"},
                          {"role": "user", "content": "and?"}]);
        let table = [
            (
                json!({"context": "Why?", "response1": "one", "response2": "two"}),
                AsGiven,
                Ok("PROMPT\n\nuser: Why?\n\n[Response A]\none\n\n[Response B]\ntwo"),
            ),
            (
                json!({"context": list, "response1": "one", "response2": "two"}),
                AsGiven,
                Ok("PROMPT\n\nuser: hi\nassistant: yo\nuser: and?\n\n[Response A]\none\n\n[Response B]\ntwo"),
            ),
            (
                json!({"context": "Why?", "response1": "one", "response2": "two"}),
                Swapped,
                Ok("PROMPT\n\nuser: Why?\n\n[Response A]\ntwo\n\n[Response B]\none"),
            ),
            (
                json!({"context": [], "response1": "", "response2": "two"}),
                AsGiven,
                Ok("PROMPT\n\n[Response A]\n\n\n[Response B]\ntwo"),
            ),
            (
                json!({"response1": "one", "response2": "two"}),
                Swapped,
                Ok("PROMPT\n\n[Response A]\ntwo\n\n[Response B]\none"),
            ),
            (json!({"context": "q", "response1": "one"}), AsGiven, Err("no response2 field")),
            (json!({"context": "q", "response2": "two"}), Swapped, Err("no response1 field")),
            (
                json!({"context": "q", "response1": {"x": 1}, "response2": "two"}),
                AsGiven,
                Err("response1 is an object, not text"),
            ),
        ];
        for (row, order, expected) in table {
            check(row, order, expected);
        }
    }

    #[test]
    fn the_shipped_prompt_is_the_whole_first_part() {
        let row = json!({"context": "q", "response1": "one", "response2": "two"});
        let Value::Object(row) = row else {
            panic!("a test row is an object");
        };
        let text = judge_request(GENRM_PROMPT, &row, Order::AsGiven).unwrap_or_default();
        assert!(text.starts_with("You will be shown a conversation context"));
        assert!(text.contains("<RESULT_END>\n\nuser: q\n\n[Response A]\none"));
        assert!(
            !GENRM_PROMPT.contains("{history}"),
            "the judge prompt has no placeholders"
        );
        // The shipped copy is the reference one byte for byte (its length and ends pinned).
        assert_eq!(GENRM_PROMPT.len(), 1280);
        assert!(GENRM_PROMPT.ends_with("five formats above. <RESULT_END>\n"));
    }
}
