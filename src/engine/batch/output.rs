//! One line of a batch output file, in either engine's shape (SPEC section 9): OpenAI's
//! `{"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error": null |
//! {"code", "message"}}` (its error file has the same lines) and vLLM `run-batch`'s (`error` a
//! string or an object, failures in the same file, its own ids). Only `custom_id`, the status,
//! the body and the error are read.

use serde::Deserialize;
use serde_json::Value;

use crate::engine::chat::{read_completion_value, ChatReply};

/// What one output line says about its call.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultLine {
    /// As written; `None` when the line has none (it cannot be matched to a call).
    pub custom_id: Option<String>,
    pub outcome: CallOutcome,
}

/// An answer (status 200 and a message) or a failed call with the reason given.
#[derive(Clone, Debug, PartialEq)]
pub enum CallOutcome {
    Answered(ChatReply),
    Failed(String),
}

/// Why a line cannot be read at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("not a JSON object ({0})")]
    NotJson(String),
}

/// Reads one output line (not blank).
pub fn read_line(text: &str) -> Result<ResultLine, LineError> {
    let line: Line = serde_json::from_str(text).map_err(|e| LineError::NotJson(e.to_string()))?;
    let status = line.response.as_ref().and_then(|r| r.status_code);
    let body = line.response.and_then(|r| r.body);
    let outcome = match (status, body) {
        (Some(200), Some(body)) if line.error.as_ref().is_none_or(Value::is_null) => {
            match read_completion_value(body) {
                Ok(reply) => CallOutcome::Answered(reply),
                Err(problem) => CallOutcome::Failed(format!("status 200, but {problem}")),
            }
        }
        (status, body) => CallOutcome::Failed(failure(status, body.as_ref(), line.error.as_ref())),
    };
    Ok(ResultLine {
        custom_id: line.custom_id,
        outcome,
    })
}

#[derive(Deserialize)]
struct Line {
    custom_id: Option<String>,
    response: Option<Response>,
    error: Option<Value>,
}

#[derive(Deserialize)]
struct Response {
    status_code: Option<u16>,
    body: Option<Value>,
}

/// The reason of a failed call, from the line's `error` (OpenAI's `{code, message}`, vLLM's
/// string or object), else the body's `error`, with the status when there is one.
fn failure(status: Option<u16>, body: Option<&Value>, error: Option<&Value>) -> String {
    let message = [error, body.and_then(|b| b.get("error"))]
        .into_iter()
        .flatten()
        .find_map(error_text);
    match (status, message) {
        (Some(status), Some(message)) => format!("status {status}: {message}"),
        (Some(status), None) => format!("status {status}"),
        (None, Some(message)) => message,
        (None, None) => "no response and no error".to_string(),
    }
}

fn error_text(error: &Value) -> Option<String> {
    match error {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        Value::Object(object) => {
            let field = |key: &str| match object.get(key) {
                Some(Value::String(text)) => Some(text.clone()),
                Some(Value::Null) | None => None,
                Some(other) => Some(other.to_string()),
            };
            match (field("code"), field("message")) {
                (Some(code), Some(message)) => Some(format!("{code}: {message}")),
                (None, Some(message)) => Some(message),
                (Some(code), None) => Some(code),
                (None, None) => Some(error.to_string()),
            }
        }
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn completion(content: &str) -> Value {
        json!({"id": "chatcmpl-1", "object": "chat.completion", "model": "m",
               "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
               "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}})
    }

    fn answered(content: &str) -> CallOutcome {
        CallOutcome::Answered(ChatReply {
            content: content.into(),
            finish_reason: Some("stop".into()),
            usage: Some(crate::engine::judged::Usage {
                prompt_tokens: 5,
                completion_tokens: 2,
                total_tokens: 7,
            }),
        })
    }

    #[track_caller]
    fn check(line: Value, expected: CallOutcome) {
        let read = read_line(&line.to_string()).unwrap();
        assert_eq!(read.outcome, expected, "{line}");
        assert_eq!(read.custom_id, line["custom_id"].as_str().map(String::from));
    }

    #[test]
    fn reads_openai_lines() {
        let ok = json!({"id": "batch_req_1", "custom_id": "mj1:r:match:0:0",
            "response": {"status_code": 200, "request_id": "req_1", "body": completion("hi")}, "error": null});
        check(ok, answered("hi"));
        let refused = json!({"id": "batch_req_2", "custom_id": "mj1:r:match:1:0",
            "response": {"status_code": 400, "request_id": "req_2", "body": {"error": {"message": "bad model", "type": "invalid_request_error", "code": null}}}, "error": null});
        check(refused, CallOutcome::Failed("status 400: bad model".into()));
        let expired = json!({"id": "batch_req_3", "custom_id": "mj1:r:match:2:0", "response": null,
            "error": {"code": "batch_expired", "message": "This request could not be executed before the completion window expired."}});
        check(
            expired,
            CallOutcome::Failed("batch_expired: This request could not be executed before the completion window expired.".into()),
        );
    }

    #[test]
    fn reads_vllm_lines() {
        let ok = json!({"id": "vllm-abc", "custom_id": "mj1:r:match:0:0",
            "response": {"status_code": 200, "request_id": "vllm-batch-def", "body": completion("yes")}, "error": null});
        check(ok, answered("yes"));
        let string_error = json!({"id": "vllm-x", "custom_id": "mj1:r:match:1:0",
            "response": {"status_code": 400, "request_id": "vllm-batch-y", "body": null}, "error": "prompt too long"});
        check(
            string_error,
            CallOutcome::Failed("status 400: prompt too long".into()),
        );
        let object_error = json!({"id": "vllm-x", "custom_id": "mj1:r:match:2:0",
            "response": {"status_code": 400, "request_id": "vllm-batch-y"},
            "error": {"object": "error", "message": "context length exceeded", "type": "BadRequestError", "param": null, "code": 400}});
        check(
            object_error,
            CallOutcome::Failed("status 400: 400: context length exceeded".into()),
        );
    }

    #[test]
    fn a_200_without_a_message_is_a_failed_call() {
        let empty = json!({"custom_id": "mj1:r:match:0:0",
            "response": {"status_code": 200, "body": {"choices": []}}, "error": null});
        check(
            empty,
            CallOutcome::Failed("status 200, but the answer has no choices".into()),
        );
        let bare = json!({"custom_id": "mj1:r:match:0:0"});
        check(bare, CallOutcome::Failed("no response and no error".into()));
        let no_id = read_line(r#"{"response": null, "error": "x"}"#).unwrap();
        assert_eq!(no_id.custom_id, None);
        assert!(matches!(
            read_line("{\"custom_id\": "),
            Err(LineError::NotJson(_))
        ));
        assert!(matches!(read_line("[1]"), Err(LineError::NotJson(_))));
    }
}
