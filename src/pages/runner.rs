//! The judge runner: choose what to judge and where, test the connection, run with progress,
//! pause, resume, cancel, export; hand a run to a batch engine and import its results (SPEC 9);
//! reopen runs stored in this browser.

use leptos::prelude::*;

use crate::components::batch_files::BatchFiles as BatchControls;
use crate::components::connection_status::ConnectionStatus;
use crate::components::cost_form::CostForm;
use crate::components::endpoint_form::EndpointForm;
use crate::components::run_exports::RunExports;
use crate::components::run_progress::RunProgress;
use crate::components::run_source::{RunSource, SourceChoice};
use crate::components::saved_runs::SavedRuns;
use crate::components::template_editor::TemplateEditor;
use crate::engine::dataset::FileKind;
use crate::pages::evaluate::Evaluate;
use crate::runner::status::RunStatus;
use crate::state::run::{BatchFiles, RunActions};
use crate::state::AppState;

/// The runner section of the page.
#[component]
pub fn Runner() -> impl IntoView {
    let state = AppState::get();
    let run = state.run;
    let actions = RunActions::new(run);
    let choices = Signal::derive(move || source_choices(&state));
    let batch = BatchFiles::new(run);
    let chosen_file = move || {
        let id = run.form.with_untracked(|f| f.source_id);
        state
            .sources
            .with_untracked(|s| s.iter().find(|s| Some(s.id) == id).map(|s| s.file.clone()))
    };
    let start = move |_| actions.start(chosen_file());
    let busy = move || run.status.with(RunStatus::is_busy) || actions.starting.get();
    let models = Signal::derive(move || {
        run.current.with(|c| {
            c.as_ref()
                .map(|c| c.info.models.clone())
                .unwrap_or_default()
        })
    });
    let current_id =
        Signal::derive(move || run.current.with(|c| c.as_ref().map(|c| c.info.id.clone())));
    let left_out = move || {
        run.current
            .with(|c| c.as_ref().map_or(0, |c| c.left_out.len()))
    };
    view! {
        <details class="runner" open=move || run.current.with(Option::is_some) || run.journal_problem.with(Option::is_some)>
            <summary><h2>"Run the MetaJudge matching"</h2></summary>
            {move || run.journal_problem.get().map(|problem| view! { <p class="load-error" role="alert">{problem}</p> })}
            <p class="hint">"Sends one chat-completions request per row and model to your endpoint, with the key you give. "
                "Requests go straight from this page to the endpoint; every answer is saved in this browser as it arrives."</p>
            <RunSource form=run.form choices=choices />
            <EndpointForm form=run.form />
            <CostForm form=run.form />
            <TemplateEditor form=run.form />
            <div class="run-buttons">
                <button on:click=move |_| actions.test_connection() disabled=move || actions.testing.get()>"Test connection"</button>
                <button class="run-start" on:click=start disabled=busy>"Start run"</button>
            </div>
            <ConnectionStatus diagnosis=actions.diagnosis testing=actions.testing />
            <Show when=move || matches!(run.status.get(), RunStatus::Refused(_)) || run.current.with(Option::is_some)>
                <RunProgress
                    progress=Memo::new(move |_| run.progress())
                    status=run.status
                    in_flight=run.in_flight
                    on_pause=Callback::new(move |()| run.pause())
                    on_resume=Callback::new(move |()| run.resume(false))
                    on_cancel=Callback::new(move |()| run.cancel())
                    on_retry_failed=Callback::new(move |()| run.resume(true))
                />
            </Show>
            <Show when=move || left_out() != 0>
                <p class="hint">{left_out} " (row, model) pairs are not sent: they lack a checklist, or the figures would skip them."</p>
            </Show>
            <BatchControls
                has_run=Signal::derive(move || run.current.with(Option::is_some))
                busy=Signal::derive(move || busy() || batch.working.get())
                files=Signal::derive(move || batch.files())
                summary=batch.summary
                problem=batch.problem
                on_prepare=Callback::new(move |()| batch.prepare(run.form.get_untracked(), chosen_file()))
                on_export=Callback::new(move |()| batch.export())
                make=Callback::new(move |idx| batch.file(idx))
                on_import=Callback::new(move |files| batch.import(files))
            />
            <RunExports models=models make=Callback::new(move |model: String| run.judged_export(&model)) />
            <SavedRuns runs=run.saved current=current_id
                on_open=Callback::new(move |id| actions.reopen(id)) on_delete=Callback::new(move |id| actions.delete(id)) />
        </details>
        <Evaluate />
    }
}

/// Loaded files that can be judged: data sets, and judged files (to continue their run).
fn source_choices(state: &AppState) -> Vec<SourceChoice> {
    state.sources.with(|sources| {
        sources
            .iter()
            .filter(|s| !s.demo)
            .filter_map(|s| {
                let file = &s.file;
                let (label, models) = match file.kind? {
                    FileKind::Dataset => (format!("{} (data set)", file.name), file.models.clone()),
                    FileKind::Judged => (
                        format!("{} (continue this judged file)", file.name),
                        vec![file.models.get(file.judged_model?)?.clone()],
                    ),
                };
                Some(SourceChoice {
                    id: s.id,
                    label,
                    models,
                })
            })
            .collect()
    })
}
