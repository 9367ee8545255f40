//! What a route decided, before it becomes an HTTP response, and the error replies every
//! route may give.

use hyper::StatusCode;
use serde_json::{json, Value};

/// What a route decided.
pub(super) enum Answer {
    Reply {
        status: StatusCode,
        outcome: &'static str,
        body: Value,
        retry_after: Option<u64>,
    },
    /// Abort the connection or stream without a response.
    Drop,
    /// The client went away while sending its body: nothing to answer, logged as cancelled.
    ClientGone,
}

pub(super) fn reply(status: StatusCode, outcome: &'static str, body: Value) -> Answer {
    Answer::Reply {
        status,
        outcome,
        body,
        retry_after: None,
    }
}

pub(super) fn invalid_request(message: &str) -> Answer {
    reply(
        StatusCode::BAD_REQUEST,
        "bad_request",
        json!({"error": {"message": message, "type": "invalid_request_error"}}),
    )
}

pub(super) fn not_found(path: &str) -> Answer {
    reply(
        StatusCode::NOT_FOUND,
        "not_found",
        json!({"error": {"message": format!("Unknown request URL: {path}"), "type": "invalid_request_error", "code": "unknown_url"}}),
    )
}

pub(super) fn unauthorized() -> Answer {
    reply(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        json!({"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key"}}),
    )
}
