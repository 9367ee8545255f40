//! The one screen of the app so far: files in, figures out.

use leptos::prelude::*;

use crate::components::breakdown_table::BreakdownTable;
use crate::components::demo_banner::DemoBanner;
use crate::components::file_drop::FileDrop;
use crate::components::leaderboard::Leaderboard;
use crate::components::load_list::LoadList;
use crate::components::options_bar::OptionsBar;
use crate::components::problems_panel::{ProblemSet, ProblemsPanel};
use crate::components::scatter_chart::ScatterChart;
use crate::components::source_list::SourceList;
use crate::engine::export::FlatReport;
use crate::engine::problems::{file_problems, report_problems};
use crate::pages::runner::Runner;
use crate::state::AppState;

/// How many rows of each file are looked at to offer breakdown fields.
const FIELD_SAMPLE_ROWS: usize = 500;

/// Loading, options, chart, leaderboard, breakdown and problems, top to bottom.
#[component]
pub fn Studio() -> impl IntoView {
    let state = AppState::get();
    let flat = Signal::derive(move || {
        state
            .reports
            .get()
            .0
            .iter()
            .map(|r| FlatReport::new(r))
            .collect::<Vec<_>>()
    });
    let problems = Signal::derive(move || problem_sets(&state));
    let fields = Signal::derive(move || breakdown_fields(&state));
    let has_reports = move || !state.reports.get().0.is_empty();
    view! {
        <main class="studio">
            <header class="studio-header">
                <h1>"MetaJudge Studio"</h1>
                <p>"Does your judge pick the right response for the right reasons? Rationale consistency "
                   "(RC) against outcome accuracy (OA), after Wang et al., arXiv 2602.04649."</p>
            </header>
            <DemoBanner visible=Signal::derive(move || state.showing_demo()) />
            <section class="inputs">
                <FileDrop on_files=Callback::new(move |files| state.load_user_files(files)) />
                <LoadList loads=state.loads on_dismiss=Callback::new(move |id| state.dismiss_load(id)) />
                <SourceList sources=state.sources on_remove=Callback::new(move |id| state.remove(id)) />
            </section>
            <Runner />
            <Show when=has_reports fallback=|| view! { <p class="empty">"No figures yet: load a file."</p> }>
                <OptionsBar options=state.options fields=fields />
                <ScatterChart reports=state.reports />
                <Leaderboard rows=flat />
                <BreakdownTable reports=state.reports field=Signal::derive(move || state.options.with(|o| o.group_by.clone())) />
                <ProblemsPanel sets=problems />
            </Show>
        </main>
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

fn breakdown_fields(state: &AppState) -> Vec<String> {
    let mut fields: Vec<String> = state.sources.with(|sources| {
        sources
            .iter()
            .flat_map(|s| s.file.records.iter().take(FIELD_SAMPLE_ROWS))
            .flat_map(|r| r.fields.iter().map(|(k, _)| k.clone()))
            .collect()
    });
    fields.sort();
    fields.dedup();
    let current = state.options.with(|o| o.group_by.clone());
    if !fields.contains(&current) {
        fields.insert(0, current);
    }
    fields
}
