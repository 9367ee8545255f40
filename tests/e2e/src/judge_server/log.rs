//! The request log a test reads.

use std::collections::BTreeMap;

use serde::Serialize;

/// One request as the server saw it.
#[derive(Clone, Debug, Serialize)]
pub struct LogEntry {
    /// Arrival order, from 0.
    pub seq: u64,
    pub method: String,
    pub path: String,
    /// The prompt's fingerprint, for chat completions whose body could be read.
    pub fingerprint: Option<String>,
    /// Which prompt a chat completion answered ("matching", "judge", "decompose").
    pub kind: Option<String>,
    /// The request asked for structured answers (`response_format`).
    pub structured: bool,
    /// The status sent; 0 when the connection was dropped on purpose or the client went away.
    pub status: u16,
    /// One of "success", "http_500", "http_429", "slow", "dropped", "no_result",
    /// "out_of_range", "unauthorized", "model_not_found", "bad_request", "preflight", "models",
    /// "cancelled", "not_found".
    pub outcome: String,
    /// The request's header names, lower case, in the order first seen.
    pub header_names: Vec<String>,
    /// Milliseconds since the server started, when the request arrived.
    pub started_ms: u64,
    /// Milliseconds since the server started, when the answer was handed to hyper (or the
    /// request was dropped or cancelled).
    pub finished_ms: u64,
}

/// The prompts (by fingerprint) answered successfully more than once, with how often: a run
/// that pays for an answer twice shows up here.
pub fn answered_twice(log: &[LogEntry]) -> Vec<(String, usize)> {
    let mut successes: BTreeMap<&str, usize> = BTreeMap::new();
    for entry in log.iter().filter(|e| e.outcome == "success") {
        if let Some(fp) = &entry.fingerprint {
            *successes.entry(fp).or_default() += 1;
        }
    }
    successes
        .into_iter()
        .filter(|&(_, n)| n > 1)
        .map(|(fp, n)| (fp.to_string(), n))
        .collect()
}
