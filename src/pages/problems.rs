//! The problems panel under the results: each file's and each report's problems, grouped.

use leptos::prelude::*;

use crate::components::problems_panel::{ProblemSet, ProblemsPanel};
use crate::engine::problems::{file_problems, report_problems};
use crate::state::AppState;

/// What went wrong in the loaded files and their reports (hidden for a share link).
#[component]
pub fn Problems() -> impl IntoView {
    let state = AppState::get();
    let problems = Signal::derive(move || problem_sets(&state));
    view! {
        <Show when=move || state.shared.with(Option::is_none)>
            <ProblemsPanel sets=problems />
        </Show>
    }
}

fn problem_sets(state: &AppState) -> Vec<ProblemSet> {
    let mut sets: Vec<ProblemSet> = state.sources.with(|sources| {
        sources
            .iter()
            .map(|s| ProblemSet {
                title: s.file.name.clone(),
                notes: s.file.notes.clone(),
                groups: file_problems(&s.file),
            })
            .collect()
    });
    sets.extend(state.reports.get().0.iter().map(|r| ProblemSet {
        title: format!("{} in {}", r.model, r.file),
        notes: Vec::new(),
        groups: report_problems(r),
    }));
    sets
}
