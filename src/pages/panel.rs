//! The side panel's content: files in (and matcher panels), the judge runner, the scoring
//! options.

use leptos::prelude::*;

use crate::components::file_drop::FileDrop;
use crate::components::load_list::{LoadItem, LoadList, LoadProgress};
use crate::components::options_bar::OptionsBar;
use crate::components::panel_builder::PanelBuilder;
use crate::components::source_list::SourceList;
use crate::pages::runner::Runner;
use crate::state::{AppState, LoadPhase};

/// How many rows of each file are looked at to offer breakdown fields.
const FIELD_SAMPLE_ROWS: usize = 500;

/// Files, loads and panels; the runner; the scoring options once there are figures of files.
#[component]
pub fn Panel() -> impl IntoView {
    let state = AppState::get();
    let fields = Signal::derive(move || breakdown_fields(&state));
    let loads = Signal::derive(move || load_items(&state));
    let scoring =
        move || state.shared.with(Option::is_none) && !state.reports.with(|r| r.0.is_empty());
    view! {
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
        <Show when=scoring>
            <OptionsBar options=state.options fields=fields />
        </Show>
    }
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
