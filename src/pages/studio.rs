//! The one screen: files in (and the judge runner), figures out, in tabs.

use leptos::prelude::*;

use crate::components::demo_banner::DemoBanner;
use crate::components::file_drop::FileDrop;
use crate::components::leaderboard::intervals_attr;
use crate::components::load_list::{LoadItem, LoadList, LoadProgress};
use crate::components::options_bar::OptionsBar;
use crate::components::panel_builder::PanelBuilder;
use crate::components::problems_panel::{ProblemSet, ProblemsPanel};
use crate::components::shared_banner::SharedBanner;
use crate::components::side_panel::SidePanel;
use crate::components::source_list::SourceList;
use crate::components::tab_bar::TabBar;
use crate::engine::problems::{file_problems, report_problems};
use crate::engine::tabs::Tab;
use crate::pages::agreement::Agreement;
use crate::pages::breakdowns::Breakdowns;
use crate::pages::compare::Compare;
use crate::pages::distributions::Distributions;
use crate::pages::overview::Overview;
use crate::pages::runner::Runner;
use crate::pages::samples::Samples;
use crate::state::{AppState, LoadPhase};

/// How many rows of each file are looked at to offer breakdown fields.
const FIELD_SAMPLE_ROWS: usize = 500;

/// Header; a side panel of inputs, runner and scoring; the results in tabs (the chart and the
/// leaderboard first) and the problems panel.
#[component]
pub fn Studio() -> impl IntoView {
    let state = AppState::get();
    let problems = Signal::derive(move || problem_sets(&state));
    let fields = Signal::derive(move || breakdown_fields(&state));
    let loads = Signal::derive(move || load_items(&state));
    let shared = move || state.shared.with(Option::is_some);
    let has_results = move || shared() || !state.reports.get().0.is_empty();
    // Whether some report waits for its intervals from the engine worker, whichever tab is
    // open.
    let intervals = move || {
        intervals_attr(
            state
                .reports
                .with(|r| r.0.iter().any(|report| report.intervals_pending)),
        )
    };
    // A share link has figures but no rows: only the overview makes sense.
    let enabled = Signal::derive(move || {
        if shared() {
            vec![Tab::Overview]
        } else {
            Tab::ALL.to_vec()
        }
    });
    let side_open = RwSignal::new(true);
    let panel = move || match state.tab.get() {
        Tab::Overview => view! { <Overview /> }.into_any(),
        Tab::Breakdowns => view! { <Breakdowns /> }.into_any(),
        Tab::Compare => view! { <Compare /> }.into_any(),
        Tab::Samples => view! { <Samples /> }.into_any(),
        Tab::Distributions => view! { <Distributions /> }.into_any(),
        Tab::Agreement => view! { <Agreement /> }.into_any(),
    };
    view! {
        <main class="studio" data-intervals=intervals>
            <header class="studio-header">
                <h1>"MetaJudge Studio"</h1>
                <p>"Does your judge pick the right response for the right reasons? Rationale consistency "
                   "(RC) against outcome accuracy (OA), after Wang et al., arXiv 2602.04649."</p>
            </header>
            <div class="studio-layout" class:panel-folded=move || !side_open.get()>
                <SidePanel open=side_open>
                    <section class="inputs">
                        <FileDrop on_files=Callback::new(move |files| state.load_user_files(files)) />
                        <LoadList loads=loads on_dismiss=Callback::new(move |id| state.dismiss_load(id)) />
                        <SourceList sources=state.sources on_remove=Callback::new(move |id| state.remove(id)) />
                        <PanelBuilder
                            candidates=Signal::derive(move || state.panel_candidates())
                            panels=Signal::derive(move || state.panel_lines())
                            on_add=Callback::new(move |(model, files, required)| state.add_panel(model, files, required))
                            on_remove=Callback::new(move |idx| state.remove_panel(idx))
                        />
                    </section>
                    <Runner />
                    <Show when=move || has_results() && !shared()>
                        <OptionsBar options=state.options fields=fields />
                    </Show>
                </SidePanel>
                <div class="studio-results">
                    <DemoBanner visible=Signal::derive(move || state.showing_demo()) />
                    <SharedBanner shared=state.shared />
                    <Show when=has_results fallback=|| view! { <p class="empty">"No figures yet: load a file."</p> }>
                        <TabBar current=state.tab enabled=enabled />
                        <div class="tab-panel" role="tabpanel" aria-labelledby=move || state.tab.get().id()>{panel}</div>
                        <Show when=move || !shared()>
                            <ProblemsPanel sets=problems />
                        </Show>
                    </Show>
                </div>
            </div>
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

/// The load list's entries: progress as it is, a failure in words.
fn load_items(state: &AppState) -> Vec<LoadItem> {
    state.loads.with(|loads| {
        loads
            .iter()
            .map(|l| LoadItem {
                id: l.id,
                name: l.name.clone(),
                progress: match &l.phase {
                    LoadPhase::Reading { done, total } => LoadProgress::Reading {
                        done: *done,
                        total: *total,
                    },
                    LoadPhase::Failed(error) => LoadProgress::Failed(error.to_string()),
                },
            })
            .collect()
    })
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
