//! The browser's HTTP calls: chat completions with a timeout and an abort handle, a no-CORS
//! probe that tells a CORS block from an unreachable server, and the app's own static files.
//! Only two headers go out with a call, `Authorization` and `Content-Type`: any other header
//! would need the server to allow it in its CORS preflight, which some servers do not.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::Request;
use gloo_timers::callback::Timeout;
use web_sys::{AbortController, RequestMode};

use super::diagnose::CallError;
use super::wire::{chat_url, error_message, parse_reply, request_body, ChatReply};
use crate::runner::plan::RunSettings;

/// One chat-completions call. `abort` lets the caller stop it; the timeout of `settings`
/// stops it too, and the two are told apart in the error.
pub async fn chat(
    settings: &RunSettings,
    api_key: &str,
    prompt: &str,
    abort: &AbortController,
) -> Result<ChatReply, CallError> {
    let timed_out = Rc::new(Cell::new(false));
    let timer = {
        let (abort, timed_out) = (abort.clone(), timed_out.clone());
        let ms = (settings.timeout_s * 1000.0).clamp(1.0, f64::from(u32::MAX)) as u32;
        Timeout::new(ms, move || {
            timed_out.set(true);
            abort.abort();
        })
    };
    let stopped = |timed_out: &Cell<bool>| {
        if timed_out.get() {
            CallError::Timeout
        } else {
            CallError::Aborted
        }
    };
    let request = Request::post(&chat_url(&settings.base_url))
        .header("Authorization", &format!("Bearer {}", api_key.trim()))
        .header("Content-Type", "application/json")
        .abort_signal(Some(&abort.signal()))
        .body(request_body(settings, prompt))
        .map_err(|e| CallError::BadAnswer(format!("the request could not be built ({e})")))?;
    let response = match request.send().await {
        Ok(response) => response,
        Err(_) if abort.signal().aborted() => return Err(stopped(&timed_out)),
        Err(_) => return Err(CallError::Network),
    };
    let body = match response.text().await {
        Ok(body) => body,
        Err(_) if abort.signal().aborted() => return Err(stopped(&timed_out)),
        Err(_) => return Err(CallError::Network),
    };
    drop(timer);
    if !response.ok() {
        // Readable only when the server exposes it (Access-Control-Expose-Headers).
        let retry_after_s = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.trim().parse::<f64>().ok());
        return Err(CallError::Http {
            status: response.status(),
            message: error_message(&body),
            retry_after_s,
        });
    }
    parse_reply(&body).map_err(CallError::BadAnswer)
}

/// Whether anything answers at the base URL, asked without CORS (the answer is opaque, but
/// arrives): after a network error, `true` means the browser blocked the answer (CORS).
pub async fn reachable(base_url: &str) -> bool {
    let url = format!("{}/models", base_url.trim().trim_end_matches('/'));
    Request::get(&url)
        .mode(RequestMode::NoCors)
        .send()
        .await
        .is_ok()
}

/// Fetches a file the app ships (a path relative to the page), as bytes.
pub async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    let response = Request::get(path)
        .send()
        .await
        .map_err(|e| format!("cannot fetch {path}: {e}"))?;
    if !response.ok() {
        return Err(format!(
            "cannot fetch {path}: HTTP {} {}",
            response.status(),
            response.status_text()
        ));
    }
    response
        .binary()
        .await
        .map_err(|e| format!("cannot read {path}: {e}"))
}
