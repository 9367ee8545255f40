//! The built-in synthetic demo: fetched on a first visit, unless the user's own files came in
//! meanwhile.

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
            match fetch_demo().await {
                Ok(files) => {
                    let user_has_files =
                        state.sources.with_untracked(|s| s.iter().any(|s| !s.demo));
                    if !user_has_files {
                        for file in files {
                            state.add(file, true, None);
                        }
                    }
                }
                Err(error) => state.report_problem("demo data", error),
            }
        }
    })
}

async fn fetch_demo() -> Result<Vec<LoadedFile>, LoadError> {
    let fetch = |path: String| async move {
        fetch_bytes(&path)
            .await
            .map_err(|e| LoadError::Fetch(e.to_string()))
    };
    let manifest = fetch(format!("{DEMO_DIR}/manifest.json")).await?;
    let manifest: DemoManifest =
        serde_json::from_slice(&manifest).map_err(|e| LoadError::DemoManifest(e.to_string()))?;
    let mut loaded = Vec::new();
    for name in manifest.files {
        let bytes = fetch(format!("{DEMO_DIR}/{name}")).await?;
        loaded.push(load(&name, &bytes));
    }
    Ok(loaded)
}
