//! The chat-completions wire format as the HTTP door speaks it: the URL, the body (built by
//! `engine::chat`), the answer and the error messages servers send. Pure, tested natively.

use serde_json::Value;

use crate::runner::plan::RunSettings;

// The body and the answer's reading moved to `engine::chat`, where the batch files share them.
pub use crate::engine::chat::{read_completion as parse_reply, ChatReply};

/// `{base}/chat/completions`, whatever the base ends with.
pub fn chat_url(base_url: &str) -> String {
    format!("{}/chat/completions", base_url.trim().trim_end_matches('/'))
}

/// The request body: one user message holding the prompt (SPEC section 2), built by
/// `engine::chat` from the run's settings.
pub fn request_body(settings: &RunSettings, prompt: &str) -> String {
    crate::engine::chat::request_body(&settings.chat_options(), prompt)
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
    use crate::runner::plan::TokenField;

    #[test]
    fn body_is_the_engine_body_of_the_run_settings() {
        let settings = RunSettings {
            judge_model: " judge ".into(),
            token_field: TokenField::MaxCompletionTokens,
            ..RunSettings::default()
        };
        let body: Value = serde_json::from_str(&request_body(&settings, "P")).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"model": "judge", "messages": [{"role": "user", "content": "P"}], "temperature": 0.6, "max_completion_tokens": 8192})
        );
    }

    #[test]
    fn reads_error_messages_in_common_shapes() {
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
