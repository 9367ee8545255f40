//! What every connection shares: the configuration, the faults in force, each prompt's
//! history and the log.

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::Mutex;
use std::time::Instant;

use super::config::ServerConfig;
use super::faults::{draw_fault, Fault, Faults, PromptHistory};
use super::hash::fnv1a64;
use super::log::LogEntry;

/// The server's state, behind one `Arc`.
pub(super) struct Shared {
    pub config: ServerConfig,
    t0: Instant,
    pub faults: Mutex<Faults>,
    prompts: Mutex<HashMap<u64, PromptHistory>>,
    pub log: Mutex<Vec<LogEntry>>,
    pub seq: AtomicU64,
    pub completion_id: AtomicU64,
}

/// Locks a mutex, going on after a panic elsewhere (the data are plain values, never half
/// written), so one failed assertion does not cascade into every later request.
pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub(super) fn new(config: ServerConfig) -> Shared {
        Shared {
            faults: Mutex::new(config.faults.clone()),
            config,
            t0: Instant::now(),
            prompts: Mutex::new(HashMap::new()),
            log: Mutex::new(Vec::new()),
            seq: AtomicU64::new(0),
            completion_id: AtomicU64::new(1),
        }
    }

    pub(super) fn now_ms(&self) -> u64 {
        self.t0.elapsed().as_millis() as u64
    }

    pub(super) fn set_faults(&self, faults: Faults) {
        // Both under their locks in a fixed order (faults, then prompts) like `decide`, so no
        // request sees the new faults with the old history.
        let mut current = lock(&self.faults);
        let mut prompts = lock(&self.prompts);
        *current = faults;
        prompts.clear();
    }

    pub(super) fn log(&self) -> Vec<LogEntry> {
        let mut entries = lock(&self.log).clone();
        entries.sort_by_key(|e| e.seq);
        entries
    }

    /// Decides the fault of one chat completion and counts it; returns it with the latency.
    pub(super) fn decide(&self, prompt: &str) -> (Fault, Faults) {
        let faults = lock(&self.faults).clone();
        let fp = fnv1a64(prompt.as_bytes());
        let fp_hex = format!("{fp:016x}");
        let mut prompts = lock(&self.prompts);
        let history = prompts.entry(fp).or_default();
        let fault = if faults.dead_message.is_some() {
            Fault::Dead
        } else if faults
            .always_fail
            .iter()
            .any(|f| f.trim().eq_ignore_ascii_case(&fp_hex))
        {
            Fault::Http500
        } else if history.faults >= faults.max_faults_per_prompt {
            Fault::None
        } else {
            draw_fault(self.config.seed, fp, history.asked, &faults)
        };
        history.asked += 1;
        if fault != Fault::None {
            history.faults = history.faults.saturating_add(1);
        }
        (fault, faults)
    }
}
