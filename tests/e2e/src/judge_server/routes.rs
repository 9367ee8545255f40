//! The routes: chat completions (with their faults), the model list and the control
//! endpoints.

use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::AUTHORIZATION;
use hyper::{Method, Request, StatusCode};
use serde_json::{json, Value};

use super::answers::{out_of_range_answer, scripted_answer, NO_RESULT_ANSWER};
use super::faults::{Fault, Faults};
use super::pending::PendingEntry;
use super::reply::{invalid_request, not_found, reply, unauthorized, Answer};
use super::state::{lock, Shared};
use super::structured;

/// Largest request body read (a prompt is a few KB; this only stops a runaway client).
pub(super) const MAX_BODY: usize = 16 * 1024 * 1024;

pub(super) fn authorized(shared: &Shared, req: &Request<Incoming>) -> bool {
    let expected = format!("Bearer {}", shared.config.api_key);
    req.headers()
        .get(AUTHORIZATION)
        .is_some_and(|v| v.as_bytes() == expected.as_bytes())
}

pub(super) fn models(shared: &Shared, req: &Request<Incoming>) -> Answer {
    if !authorized(shared, req) {
        return unauthorized();
    }
    reply(
        StatusCode::OK,
        "models",
        json!({"object": "list", "data": [{"id": shared.config.model, "object": "model", "owned_by": "test"}]}),
    )
}

/// The text of the prompt: the last user message (the last message when none is from the
/// user), whose content is a string or OpenAI's list of `{"type": "text", "text": ...}` parts.
pub(super) fn prompt_of(body: &Value) -> Option<String> {
    let messages = body.get("messages")?.as_array()?;
    let message = messages
        .iter()
        .rev()
        .find(|m| m.get("role").and_then(Value::as_str) == Some("user"))
        .or_else(|| messages.last())?;
    match message.get("content")? {
        Value::String(text) => Some(text.clone()),
        Value::Array(parts) => Some(
            parts
                .iter()
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        _ => None,
    }
}

/// The whole request body, or the answer when it cannot be had: 400 when it is too large,
/// nothing when the client went away while sending it.
pub(super) async fn read_body(req: Request<Incoming>) -> Result<Bytes, Answer> {
    match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(invalid_request(&format!(
            "The request body is larger than {MAX_BODY} bytes."
        ))),
        Err(_) => Err(Answer::ClientGone),
    }
}

pub(super) async fn chat(
    shared: &Shared,
    req: Request<Incoming>,
    pending: &mut PendingEntry,
) -> Answer {
    if !authorized(shared, &req) {
        return unauthorized();
    }
    let bytes = match read_body(req).await {
        Ok(bytes) => bytes,
        Err(answer) => return answer,
    };
    let Ok(body) = serde_json::from_slice::<Value>(&bytes) else {
        return invalid_request("We could not parse the JSON body of your request.");
    };
    let Some(prompt) = prompt_of(&body) else {
        return invalid_request("'messages' must be a non-empty array of messages with content.");
    };
    pending.set_prompt(&prompt);
    let structured = match structured::asked(&body) {
        Ok(structured) => structured,
        Err(message) => return invalid_request(&message),
    };
    pending.set_structured(structured);
    let shape = |text: String| {
        if structured {
            structured::as_json(&prompt, text)
        } else {
            text
        }
    };
    let model = match body.get("model").and_then(Value::as_str) {
        Some(model) => model,
        None => return invalid_request("You must provide a model parameter."),
    };
    if model != shared.config.model {
        return reply(
            StatusCode::NOT_FOUND,
            "model_not_found",
            json!({"error": {
                "message": format!("The model `{model}` does not exist or you do not have access to it."),
                "type": "invalid_request_error",
                "code": "model_not_found"
            }}),
        );
    }

    let (fault, faults) = shared.decide(&prompt);
    let wait = if fault == Fault::Slow {
        faults.slow_ms.max(faults.latency_ms)
    } else {
        faults.latency_ms
    };
    // If the client goes away during this sleep, hyper drops this future and the entry is
    // written as "cancelled" by `PendingEntry::drop`.
    if wait > 0 {
        tokio::time::sleep(Duration::from_millis(wait)).await;
    }
    let seed = shared.config.seed;
    match fault {
        Fault::Http500 => reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            "http_500",
            json!({"error": {"message": "simulated server error", "type": "server_error"}}),
        ),
        Fault::Dead => reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            "http_500",
            json!({"error": {"message": faults.dead_message.unwrap_or_default(), "type": "server_error"}}),
        ),
        Fault::Http429 => Answer::Reply {
            status: StatusCode::TOO_MANY_REQUESTS,
            outcome: "http_429",
            body: json!({"error": {"message": "Rate limit reached (simulated)", "type": "requests", "code": "rate_limit_exceeded"}}),
            retry_after: Some(faults.retry_after_s),
        },
        Fault::Drop => Answer::Drop,
        Fault::Slow => completion(
            shared,
            "slow",
            &prompt,
            shape(scripted_answer(seed, &prompt)),
        ),
        Fault::NoResult => completion(shared, "no_result", &prompt, NO_RESULT_ANSWER.into()),
        Fault::OutOfRange => completion(
            shared,
            "out_of_range",
            &prompt,
            shape(out_of_range_answer(seed, &prompt)),
        ),
        Fault::None => completion(
            shared,
            "success",
            &prompt,
            shape(scripted_answer(seed, &prompt)),
        ),
    }
}

/// A 200 answer shaped like OpenAI's, with usage estimated as one token per 4 characters.
pub(super) fn completion(
    shared: &Shared,
    outcome: &'static str,
    prompt: &str,
    content: String,
) -> Answer {
    let prompt_tokens = prompt.chars().count().div_ceil(4);
    let completion_tokens = content.chars().count().div_ceil(4);
    let id = shared.completion_id.fetch_add(1, Ordering::SeqCst);
    let created = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    reply(
        StatusCode::OK,
        outcome,
        json!({
            "id": format!("chatcmpl-{id}"),
            "object": "chat.completion",
            "created": created,
            "model": shared.config.model,
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop"
            }],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens
            }
        }),
    )
}

pub(super) async fn control(shared: &Shared, req: Request<Incoming>, path: &str) -> Answer {
    match (req.method().clone(), path) {
        (Method::GET, "/__control/faults") => {
            reply(StatusCode::OK, "control", json!(*lock(&shared.faults)))
        }
        (Method::POST, "/__control/faults") => {
            let bytes = match read_body(req).await {
                Ok(bytes) => bytes,
                Err(answer) => return answer,
            };
            match serde_json::from_slice::<Faults>(&bytes) {
                Ok(faults) => {
                    shared.set_faults(faults.clone());
                    reply(StatusCode::OK, "control", json!(faults))
                }
                Err(e) => invalid_request(&format!("Invalid faults: {e}")),
            }
        }
        (Method::GET, "/__control/log") => reply(StatusCode::OK, "control", json!(shared.log())),
        (Method::POST, "/__control/clear_log") => {
            let cleared = std::mem::take(&mut *lock(&shared.log)).len();
            reply(StatusCode::OK, "control", json!({"cleared": cleared}))
        }
        _ => not_found(path),
    }
}
