//! Reading the files the user chose, their progress, and the problems that belong to no file
//! (a damaged share link, a demo that would not load), shown together in the load list.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::File;

use super::AppState;
use crate::clock::{next_task, now_ms, Slices};
use crate::engine::dataset::LoadedFile;
use crate::engine::share::ShareError;
use crate::engine::source::Scored;
use crate::engine::summary::Scoring;
use crate::reader::{read_file, ReadError};

/// How long scoring a file goes on before the browser gets a turn, checked every
/// [`SCORE_SLICE_RECORDS`] records (about 10 ms of scoring).
const SCORE_SLICE_MS: f64 = 30.0;
const SCORE_SLICE_RECORDS: usize = 4096;

/// Why a file, the demo or a share link gave nothing to show.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The demo files could not be fetched (the fetch's own message).
    #[error("{0}")]
    Fetch(String),
    #[error("the demo manifest is not valid: {0}")]
    DemoManifest(String),
    #[error("this share link cannot be read ({0}); showing the demo instead")]
    ShareLink(Arc<ShareError>),
}

/// How far a file's reading got (a finished file leaves the list for the file list).
#[derive(Clone, Debug, PartialEq)]
pub enum LoadPhase {
    Reading { done: f64, total: f64 },
    Failed(LoadError),
}

/// One file being read (or that failed to read).
#[derive(Clone, Debug, PartialEq)]
pub struct LoadStatus {
    pub id: u32,
    pub name: String,
    pub phase: LoadPhase,
}

impl AppState {
    /// Reads files the user chose; their own data replaces the demo.
    pub fn load_user_files(self, files: Vec<File>) {
        let chosen_at = now_ms();
        self.sources.update(|s| s.retain(|s| !s.demo));
        self.shared.set(None);
        for file in files {
            let id = self.take_id();
            let name = self.unique_name(&file.name());
            let phase = LoadPhase::Reading {
                done: 0.0,
                total: file.size(),
            };
            self.loads.update(|l| {
                l.push(LoadStatus {
                    id,
                    name: name.clone(),
                    phase,
                })
            });
            // A task per file rather than an `Action`: each file writes its own progress into
            // its own entry of `loads` after every chunk, and an action's single `pending` and
            // `value` would say nothing about which of several files got how far.
            spawn_local(async move {
                let read = read_file(&file, |done, total| {
                    self.set_phase(id, LoadPhase::Reading { done, total })
                })
                .await;
                match read {
                    Ok(mut loaded) => {
                        loaded.name = name;
                        let load_ms = now_ms() - chosen_at;
                        let loaded = Arc::new(loaded);
                        let scored = self.score(&loaded).await;
                        self.add_scored(loaded, false, Some(load_ms), Some(scored));
                        self.dismiss_load(id);
                    }
                    Err(error) => self.set_phase(id, LoadPhase::Failed(error.into())),
                }
            });
        }
    }

    /// Scores a file just read in tasks of its own, the browser given a turn whenever a task
    /// has taken [`SCORE_SLICE_MS`], so that no task both scores a large file and shows it
    /// (one model of a 22,116-row file takes 60-90 ms); the bootstrap is left to the engine
    /// worker.
    async fn score(self, file: &LoadedFile) -> Scored {
        let options = self.options.get_untracked();
        let mut slices = Slices::new(SCORE_SLICE_MS);
        slices.turn().await;
        let scoring = Scoring::new(file, &options);
        let records = file.records.len();
        let mut reports = Vec::new();
        for idx in file.scored_models() {
            let mut rows = Vec::new();
            for start in (0..records).step_by(SCORE_SLICE_RECORDS) {
                slices.turn().await;
                rows.extend(scoring.rows(idx, start..(start + SCORE_SLICE_RECORDS).min(records)));
            }
            reports.push(scoring.deferred_of_rows(idx, rows));
        }
        drop(scoring);
        next_task().await;
        Scored { options, reports }
    }

    /// Reports a problem that belongs to no file (a damaged share link) in the load list.
    pub fn report_problem(self, name: &str, error: LoadError) {
        let id = self.take_id();
        let name = name.to_string();
        self.loads.update(|l| {
            l.push(LoadStatus {
                id,
                name,
                phase: LoadPhase::Failed(error),
            })
        });
    }

    /// Forgets a finished or failed load from the progress list.
    pub fn dismiss_load(self, id: u32) {
        self.loads.update(|l| l.retain(|l| l.id != id));
    }

    fn set_phase(self, id: u32, phase: LoadPhase) {
        self.loads.update(|loads| {
            if let Some(load) = loads.iter_mut().find(|l| l.id == id) {
                load.phase = phase;
            }
        });
    }
}
