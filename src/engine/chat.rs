//! The chat-completions wire format, pure serde: the request body a matching call sends (SPEC
//! section 2) and the parts of a chat completion we read. The page's calls (`llm::client`) and
//! the batch files (`engine::batch`) build their bodies here, so both send the same bytes.

use serde::{Deserialize, Serialize};

use super::judged::Usage;

/// Which field carries the token limit: older and most compatible servers take `max_tokens`;
/// OpenAI's reasoning models only take `max_completion_tokens`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenField {
    #[default]
    MaxTokens,
    MaxCompletionTokens,
    /// Send no limit.
    None,
}

/// The request settings a body is made of (a run's `RunSettings` gives them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChatOptions {
    /// The model that answers (sent trimmed).
    pub model: String,
    /// `None`: leave the temperature to the server (some models accept only their default).
    pub temperature: Option<f64>,
    pub max_tokens: u32,
    pub token_field: TokenField,
    /// The `response_format` sent when the run asks for structured answers
    /// (`pipeline::Structured`); `None` for free text, as the reference method asks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<serde_json::Value>,
}

/// One chat-completions request: one user message holding the prompt. Serialises to the body.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChatRequest<'a> {
    model: &'a str,
    messages: [Message<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_completion_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_format: Option<&'a serde_json::Value>,
}

/// What a successful call gives back.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatReply {
    pub content: String,
    pub finish_reason: Option<String>,
    pub usage: Option<Usage>,
}

/// The request of `prompt` with `options` (SPEC section 2).
pub fn chat_request<'a>(options: &'a ChatOptions, prompt: &'a str) -> ChatRequest<'a> {
    let limit = Some(options.max_tokens);
    let (max_tokens, max_completion_tokens) = match options.token_field {
        TokenField::MaxTokens => (limit, None),
        TokenField::MaxCompletionTokens => (None, limit),
        TokenField::None => (None, None),
    };
    ChatRequest {
        model: options.model.trim(),
        messages: [Message {
            role: "user",
            content: prompt,
        }],
        temperature: options.temperature,
        max_tokens,
        max_completion_tokens,
        response_format: options.response_format.as_ref(),
    }
}

/// The request body as JSON text.
pub fn request_body(options: &ChatOptions, prompt: &str) -> String {
    // Serialising strings and numbers cannot fail.
    serde_json::to_string(&chat_request(options, prompt)).unwrap_or_default()
}

/// Reads a chat completion: the first choice's text, its finish reason and the usage.
pub fn read_completion(body: &str) -> Result<ChatReply, String> {
    let response: Completion = serde_json::from_str(body)
        .map_err(|e| format!("the answer is not chat-completions JSON ({e})"))?;
    completion_reply(response)
}

/// The same as [`read_completion`] for a body already parsed (a batch output line holds it).
pub fn read_completion_value(body: serde_json::Value) -> Result<ChatReply, String> {
    let response: Completion = serde_json::from_value(body)
        .map_err(|e| format!("the answer is not chat-completions JSON ({e})"))?;
    completion_reply(response)
}

#[derive(Clone, Debug, PartialEq, Serialize)]
struct Message<'a> {
    role: &'a str,
    content: &'a str,
}

#[derive(Deserialize)]
struct Completion {
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

fn completion_reply(response: Completion) -> Result<ChatReply, String> {
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

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    fn options() -> ChatOptions {
        ChatOptions {
            model: " judge ".into(),
            temperature: Some(0.6),
            max_tokens: 8192,
            token_field: TokenField::MaxTokens,
            response_format: None,
        }
    }

    #[track_caller]
    fn check(options: &ChatOptions, prompt: &str, expected: Value) {
        let body: Value = serde_json::from_str(&request_body(options, prompt)).unwrap();
        assert_eq!(body, expected);
    }

    #[test]
    fn body_holds_one_user_message_and_the_chosen_limit_field() {
        let message = json!([{"role": "user", "content": "P \"q\""}]);
        check(
            &options(),
            "P \"q\"",
            json!({"model": "judge", "messages": message, "temperature": 0.6, "max_tokens": 8192}),
        );
        let completion = ChatOptions {
            temperature: None,
            token_field: TokenField::MaxCompletionTokens,
            ..options()
        };
        check(
            &completion,
            "P \"q\"",
            json!({"model": "judge", "messages": message, "max_completion_tokens": 8192}),
        );
        let unlimited = ChatOptions {
            token_field: TokenField::None,
            ..options()
        };
        check(
            &unlimited,
            "P \"q\"",
            json!({"model": "judge", "messages": message, "temperature": 0.6}),
        );
        let structured = ChatOptions {
            response_format: Some(json!({"type": "json_object"})),
            ..options()
        };
        check(
            &structured,
            "P \"q\"",
            json!({"model": "judge", "messages": message, "temperature": 0.6, "max_tokens": 8192, "response_format": {"type": "json_object"}}),
        );
    }

    #[test]
    fn reads_completions_from_text_and_from_parsed_values() {
        let ok = json!({"choices": [{"message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}});
        let reply = read_completion(&ok.to_string()).unwrap();
        assert_eq!(
            (reply.content.as_str(), reply.usage.unwrap().total_tokens),
            ("hi", 4)
        );
        assert_eq!(read_completion_value(ok), Ok(reply));
        assert_eq!(
            read_completion(r#"{"choices": []}"#).unwrap_err(),
            "the answer has no choices"
        );
        assert_eq!(
            read_completion_value(json!({"choices": [{"message": {"content": null}}]}))
                .unwrap_err(),
            "the answer's first choice has no message content"
        );
        assert!(read_completion("<html>")
            .unwrap_err()
            .starts_with("the answer is not chat-completions JSON"));
    }
}
