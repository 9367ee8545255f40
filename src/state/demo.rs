//! The built-in synthetic demo: fetched on a first visit, unless the user's own files came in
//! meanwhile. Its second matcher's files go to the Agreement tab, not to the loaded files.

use std::sync::Arc;

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

/// The demo's files: the first matcher's (loaded as files) and the second's.
struct DemoFiles {
    files: Vec<LoadedFile>,
    second_matcher: Vec<LoadedFile>,
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
                Ok(demo) => {
                    let user_has_files =
                        state.sources.with_untracked(|s| s.iter().any(|s| !s.demo));
                    if !user_has_files {
                        for file in demo.files {
                            state.add(file, true, None);
                        }
                        let second = demo.second_matcher.into_iter().map(Arc::new).collect();
                        state.agreement.demo_files.set(second);
                    }
                }
                Err(error) => state.report_problem("demo data", error),
            }
        }
    })
}

async fn fetch_demo() -> Result<DemoFiles, LoadError> {
    let fetch = |path: String| async move {
        fetch_bytes(&path)
            .await
            .map_err(|e| LoadError::Fetch(e.to_string()))
    };
    let manifest = fetch(format!("{DEMO_DIR}/manifest.json")).await?;
    let manifest: DemoManifest =
        serde_json::from_slice(&manifest).map_err(|e| LoadError::DemoManifest(e.to_string()))?;
    let mut files = Vec::new();
    for name in manifest.files {
        let bytes = fetch(format!("{DEMO_DIR}/{name}")).await?;
        files.push(load(&name, &bytes));
    }
    let mut second_matcher = Vec::new();
    for path in manifest.second_matcher {
        let bytes = fetch(format!("{DEMO_DIR}/{path}")).await?;
        // Named apart from the first matcher's file of the same model.
        second_matcher.push(load(&path.replace('/', " \u{b7} "), &bytes));
    }
    Ok(DemoFiles {
        files,
        second_matcher,
    })
}
