//! The built-in synthetic demo: fetched on a first visit, unless the user's own files came in
//! meanwhile. Its second matcher's files go to the Agreement tab, not to the loaded files.

use std::sync::Arc;

use futures::future::join_all;
use leptos::prelude::*;
use serde::Deserialize;

use super::{AppState, LoadError};
use crate::engine::dataset::{load, LoadedFile};
use crate::llm::fetch_bytes;

/// Where the built-in demo lives (relative to the page, copied there by trunk).
pub const DEMO_DIR: &str = "public/demo";

#[derive(Deserialize)]
struct DemoManifest {
    files: Vec<String>,
    /// The same models judged by a second synthetic matcher, for the Agreement tab.
    #[serde(default)]
    second_matcher: Vec<String>,
}

impl AppState {
    /// Fetches the built-in demo files, unless the user has loaded files of their own meanwhile.
    pub fn load_demo(self) {
        self.demo.dispatch_local(self);
    }
}

/// The action behind [`AppState::load_demo`]; it is given the state because it is made while
/// the state is. A failure goes to the load list, where the user sees why the page is empty.
pub(super) fn demo_action() -> Action<AppState, ()> {
    Action::new_local(|state: &AppState| {
        let state = *state;
        async move {
            if let Err(error) = show_demo(state).await {
                state.report_problem("demo data", error);
            }
        }
    })
}

/// Fetches the first matcher's files all at once and shows them as soon as they are in (the
/// first view waits for nothing else), then the second matcher's, for the Agreement tab; none
/// once the user's own files have come in.
async fn show_demo(state: AppState) -> Result<(), LoadError> {
    let manifest = fetch(format!("{DEMO_DIR}/manifest.json")).await?;
    let manifest: DemoManifest =
        serde_json::from_slice(&manifest).map_err(|e| LoadError::DemoManifest(e.to_string()))?;
    let user_has_files = || state.sources.with_untracked(|s| s.iter().any(|s| !s.demo));
    let files = fetch_all(&manifest.files, str::to_string).await?;
    if user_has_files() {
        return Ok(());
    }
    for file in files {
        state.add(file, true, None);
    }
    // Named apart from the first matcher's file of the same model.
    let second = fetch_all(&manifest.second_matcher, |path| {
        path.replace('/', " \u{b7} ")
    })
    .await?;
    if !user_has_files() {
        let second = second.into_iter().map(Arc::new).collect();
        state.agreement.demo_files.set(second);
    }
    Ok(())
}

/// The demo files at `paths`, fetched at once, each read under `name(path)`.
async fn fetch_all(
    paths: &[String],
    name: impl Fn(&str) -> String,
) -> Result<Vec<LoadedFile>, LoadError> {
    let fetched = join_all(paths.iter().map(|path| fetch(format!("{DEMO_DIR}/{path}")))).await;
    paths
        .iter()
        .zip(fetched)
        .map(|(path, bytes)| Ok(load(&name(path), &bytes?)))
        .collect()
}

async fn fetch(path: String) -> Result<Vec<u8>, LoadError> {
    fetch_bytes(&path)
        .await
        .map_err(|e| LoadError::Fetch(e.to_string()))
}
