//! The chat-completions wire format: the request body we send and the parts of the answer we
//! read. Pure serde, tested natively.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::engine::judged::Usage;
use crate::runner::plan::{RunSettings, TokenField};

#[derive(Serialize)]
struct Request<'a> {
    model: &'a str,
    messages: [Message<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_completion_tokens: Option<u32>,
}

#[derive(Serialize)]
struct Message<'a> {
    role: &'a str,
    content: &'a str,
}

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    choices: Vec<Choice>,
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Choice {
    message: Option<ChoiceMessage>,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct ChoiceMessage {
    content: Option<String>,
}

/// What a successful call gives back.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatReply {
    pub content: String,
    pub finish_reason: Option<String>,
    pub usage: Option<Usage>,
}

/// `{base}/chat/completions`, whatever the base ends with.
pub fn chat_url(base_url: &str) -> String {
    format!("{}/chat/completions", base_url.trim().trim_end_matches('/'))
}

/// The request body: one user message holding the prompt (SPEC section 2).
pub fn request_body(settings: &RunSettings, prompt: &str) -> String {
    let limit = Some(settings.max_tokens);
    let (max_tokens, max_completion_tokens) = match settings.token_field {
        TokenField::MaxTokens => (limit, None),
        TokenField::MaxCompletionTokens => (None, limit),
        TokenField::None => (None, None),
    };
    let request = Request {
        model: settings.judge_model.trim(),
        messages: [Message {
            role: "user",
            content: prompt,
        }],
        temperature: settings.temperature,
        max_tokens,
        max_completion_tokens,
    };
    // Serialising strings and numbers cannot fail.
    serde_json::to_string(&request).unwrap_or_default()
}

/// Reads a 2xx answer: the first choice's text, its finish reason and the usage.
pub fn parse_reply(body: &str) -> Result<ChatReply, String> {
    let response: Response = serde_json::from_str(body)
        .map_err(|e| format!("the answer is not chat-completions JSON ({e})"))?;
    let choice = response
        .choices
        .into_iter()
        .next()
        .ok_or("the answer has no choices")?;
    let content = choice
        .message
        .and_then(|m| m.content)
        .ok_or("the answer's first choice has no message content")?;
    Ok(ChatReply {
        content,
        finish_reason: choice.finish_reason,
        usage: response.usage,
    })
}

/// The message of an error answer, in the shapes servers use: OpenAI's `{"error": {"message"}}`,
/// `{"error": "..."}`, FastAPI's `{"detail": ...}` or `{"message": ...}`.
pub fn error_message(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    };
    value
        .get("error")
        .and_then(|e| e.get("message").and_then(text).or_else(|| text(e)))
        .or_else(|| value.get("detail").and_then(text))
        .or_else(|| value.get("message").and_then(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_holds_one_user_message_and_the_chosen_limit_field() {
        let mut settings = RunSettings {
            judge_model: " judge ".into(),
            ..RunSettings::default()
        };
        let body: Value = serde_json::from_str(&request_body(&settings, "P \"q\"")).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"model": "judge", "messages": [{"role": "user", "content": "P \"q\""}], "temperature": 0.6, "max_tokens": 8192})
        );
        settings.token_field = TokenField::MaxCompletionTokens;
        settings.temperature = None;
        let body: Value = serde_json::from_str(&request_body(&settings, "P")).unwrap();
        assert_eq!(body["max_completion_tokens"], 8192);
        assert!(body.get("max_tokens").is_none() && body.get("temperature").is_none());
    }

    #[test]
    fn reads_answers_and_errors_in_common_shapes() {
        let ok = r#"{"choices": [{"message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}}"#;
        let reply = parse_reply(ok).unwrap();
        assert_eq!(
            (reply.content.as_str(), reply.usage.unwrap().total_tokens),
            ("hi", 4)
        );
        assert_eq!(
            parse_reply(r#"{"choices": []}"#).unwrap_err(),
            "the answer has no choices"
        );
        assert!(parse_reply("<html>")
            .unwrap_err()
            .starts_with("the answer is not chat-completions JSON"));
        assert_eq!(
            error_message(r#"{"error": {"message": "bad key"}}"#).as_deref(),
            Some("bad key")
        );
        assert_eq!(
            error_message(r#"{"error": "model not found"}"#).as_deref(),
            Some("model not found")
        );
        assert_eq!(
            error_message(r#"{"detail": "Not Found"}"#).as_deref(),
            Some("Not Found")
        );
        assert_eq!(error_message("<html>"), None);
    }

    #[test]
    fn urls_join_without_double_slashes() {
        assert_eq!(
            chat_url("https://api.openai.com/v1/"),
            "https://api.openai.com/v1/chat/completions"
        );
        assert_eq!(
            chat_url(" http://127.0.0.1:11434/v1 "),
            "http://127.0.0.1:11434/v1/chat/completions"
        );
    }
}
