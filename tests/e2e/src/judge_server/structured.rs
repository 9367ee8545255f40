//! Structured answers: a request with `response_format` (`json_schema`, OpenAI's and vLLM's
//! shape, or `json_object` with a schema, llama-cpp-python's) gets its scripted answer as the
//! JSON of that stage's schema, read from the text answer by the app's own readers so that both
//! say the same. The faults stay faults: an out-of-range score stays 1.5, an unreadable
//! verdict stays unreadable, and "no RESULT block" stays free text, which no JSON reader takes.

use serde_json::{json, Value};

use super::stage_answers::{prompt_kind, PromptKind};
use metajudge_studio::engine::pipeline::{read_answer, read_claims};
use metajudge_studio::engine::reply::parse_reply;

/// Whether the request asks for structured answers; `Err` for a `response_format` no server
/// takes (the message a 400 carries).
pub(super) fn asked(body: &Value) -> Result<bool, String> {
    let Some(format) = body.get("response_format") else {
        return Ok(false);
    };
    match format.get("type").and_then(Value::as_str) {
        Some("text") => Ok(false),
        Some("json_schema") if format["json_schema"]["schema"].is_object() => Ok(true),
        Some("json_object") => Ok(true),
        _ => Err(format!(
            "Invalid 'response_format': {format}. Expected type 'text', 'json_object', or 'json_schema' with a schema."
        )),
    }
}

/// The JSON a structured request gets for the text answer `text` to `prompt`; a text without a
/// RESULT block is sent as it is (a model that ignored the format).
pub(super) fn as_json(prompt: &str, text: String) -> String {
    if !text.contains("<RESULT_START>") {
        return text;
    }
    let value = match prompt_kind(prompt) {
        PromptKind::Judge => {
            let answer = read_answer(&text);
            json!({"reasons": answer.reasons, "verdict": answer.label.unwrap_or_default()})
        }
        PromptKind::Decompose => {
            // A miscounted decomposition cannot be said in JSON: it reads as its claims.
            json!({"claims": read_claims(&text).items})
        }
        PromptKind::Matching => {
            let scores: Vec<Value> = parse_reply(&text)
                .triples
                .iter()
                .map(|t| json!({"r": t.r, "s": t.s, "score": t.score}))
                .collect();
            json!({"scores": scores})
        }
    };
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge_server::answers::scripted_answer;

    #[test]
    fn answers_become_the_json_of_their_stage() {
        let matching = "S1: a\nS2: b\nR1: x\nR2: y";
        let value: Value =
            serde_json::from_str(&as_json(matching, scripted_answer(3, matching))).unwrap();
        assert_eq!(value["scores"].as_array().unwrap().len(), 2);
        let judge = "judge\n\n[Response A]\na\n\n[Response B]\nb";
        let value: Value =
            serde_json::from_str(&as_json(judge, scripted_answer(3, judge))).unwrap();
        assert!(!value["reasons"].as_array().unwrap().is_empty());
        assert!(value["verdict"].as_str().unwrap().contains('>') || value["verdict"] == "A=B");
        assert_eq!(as_json(judge, "no block".into()), "no block");
    }

    #[test]
    fn only_known_formats_are_taken() {
        assert_eq!(asked(&json!({})), Ok(false));
        assert_eq!(
            asked(&json!({"response_format": {"type": "json_object"}})),
            Ok(true)
        );
        assert_eq!(
            asked(
                &json!({"response_format": {"type": "json_schema", "json_schema": {"name": "n", "schema": {}}}})
            ),
            Ok(true)
        );
        assert!(asked(&json!({"response_format": {"type": "json_schema"}})).is_err());
        assert!(asked(&json!({"response_format": {"type": "xml"}})).is_err());
    }
}
