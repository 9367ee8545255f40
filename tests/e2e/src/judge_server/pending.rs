//! The log entry of a request still being answered.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use hyper::body::Incoming;
use hyper::Request;

use super::answers::fingerprint;
use super::log::LogEntry;
use super::stage_answers::prompt_kind;
use super::state::{lock, Shared};

/// The log entry of one request, written exactly once: by `finish` when the answer is handed
/// to hyper, or by `Drop` ("cancelled", status 0) when hyper drops the handler because the
/// client went away first.
pub(super) struct PendingEntry {
    shared: Arc<Shared>,
    entry: Option<LogEntry>,
}

impl PendingEntry {
    pub(super) fn new(shared: Arc<Shared>, req: &Request<Incoming>) -> PendingEntry {
        let mut header_names: Vec<String> = Vec::new();
        for name in req.headers().keys() {
            let name = name.as_str().to_ascii_lowercase();
            if !header_names.contains(&name) {
                header_names.push(name);
            }
        }
        let entry = LogEntry {
            seq: shared.seq.fetch_add(1, Ordering::SeqCst),
            method: req.method().to_string(),
            path: req.uri().path().to_string(),
            fingerprint: None,
            kind: None,
            structured: false,
            status: 0,
            outcome: "cancelled".into(),
            header_names,
            started_ms: shared.now_ms(),
            finished_ms: 0,
        };
        PendingEntry {
            shared,
            entry: Some(entry),
        }
    }

    /// The prompt's fingerprint and kind, once the body is read.
    pub(super) fn set_prompt(&mut self, prompt: &str) {
        if let Some(entry) = &mut self.entry {
            entry.fingerprint = Some(fingerprint(prompt));
            entry.kind = Some(prompt_kind(prompt).name().to_string());
        }
    }

    /// Whether the request asked for structured answers.
    pub(super) fn set_structured(&mut self, structured: bool) {
        if let Some(entry) = &mut self.entry {
            entry.structured = structured;
        }
    }

    pub(super) fn finish(&mut self, status: u16, outcome: &str) {
        if let Some(mut entry) = self.entry.take() {
            entry.status = status;
            entry.outcome = outcome.to_string();
            entry.finished_ms = self.shared.now_ms();
            lock(&self.shared.log).push(entry);
        }
    }
}

impl Drop for PendingEntry {
    fn drop(&mut self) {
        self.finish(0, "cancelled");
    }
}
