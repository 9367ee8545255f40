//! The loaded files: adding, removing, and whether the demo is what the page shows.

use std::sync::Arc;

use leptos::prelude::*;

use super::AppState;
use crate::engine::dataset::LoadedFile;
use crate::engine::source::{unique_name, Scored, Source};

impl AppState {
    /// True while the demo is what the page shows.
    pub fn showing_demo(&self) -> bool {
        self.sources.with(|s| s.iter().any(|s| s.demo))
    }

    /// Adds a file that is already read (the demo, and tests).
    pub fn add(self, file: LoadedFile, demo: bool, load_ms: Option<f64>) {
        self.add_scored(Arc::new(file), demo, load_ms, None);
    }

    /// Adds a file read and, when `scored`, already scored (see `loading`).
    pub(super) fn add_scored(
        self,
        file: Arc<LoadedFile>,
        demo: bool,
        load_ms: Option<f64>,
        scored: Option<Scored>,
    ) {
        let id = self.take_id();
        let source = Source {
            id,
            file,
            demo,
            load_ms,
            scored: scored.map(Arc::new),
        };
        self.sources.update(|s| s.push(source));
    }

    /// Removes one loaded file.
    pub fn remove(self, id: u32) {
        self.sources.update(|s| s.retain(|s| s.id != id));
    }

    /// The file's name, or `name (2)`, `name (3)`, ... when a file of that name is loaded or
    /// being read.
    pub(super) fn unique_name(self, name: &str) -> String {
        unique_name(name, |candidate| {
            self.sources
                .with_untracked(|s| s.iter().any(|s| s.file.name == candidate))
                || self
                    .loads
                    .with_untracked(|l| l.iter().any(|l| l.name == candidate))
        })
    }
}
