//! Runs stored in this browser, to reopen (after a reload or a crash) or delete.

use leptos::prelude::*;

use crate::runner::plan::RunInfo;

/// The list of stored runs.
#[component]
pub fn SavedRuns(
    #[prop(into)] runs: Signal<Vec<RunInfo>>,
    #[prop(into)] current: Signal<Option<String>>,
    on_open: Callback<String>,
    on_delete: Callback<String>,
) -> impl IntoView {
    view! {
        <Show when=move || !runs.get().is_empty()>
            <section class="saved-runs">
                <h3>"Runs stored in this browser"</h3>
                <ul>
                    <For each=move || runs.get() key=|r| r.id.clone() children=move |run| saved_run(run, current, on_open, on_delete) />
                </ul>
            </section>
        </Show>
    }
}

fn saved_run(
    run: RunInfo,
    current: Signal<Option<String>>,
    on_open: Callback<String>,
    on_delete: Callback<String>,
) -> impl IntoView {
    let (open_id, delete_id, shown_id) = (run.id.clone(), run.id.clone(), run.id.clone());
    let is_current = move || current.get().as_deref() == Some(shown_id.as_str());
    view! {
        <li class="saved-run" data-run=run.id.clone()>
            <span>{run.dataset_name.clone()} ": " {run.models.join(", ")} " judged by " {run.settings.judge_model.clone()}</span>
            <small>" " {run.id.clone()} {run.api_key.is_some().then_some(" (key remembered)")}</small>
            <Show when=move || !is_current()>
                <button on:click={ let id = open_id.clone(); move |_| on_open.run(id.clone()) }>"Open"</button>
            </Show>
            <button on:click=move |_| on_delete.run(delete_id.clone())>"Delete"</button>
        </li>
    }
}
