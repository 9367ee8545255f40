//! "Evaluate a judge" (SPEC section 8): a data set (or the starter set), the candidate and
//! the matcher endpoints, the stages; the plan; one progress view per stage; the exports.
//! When the last stage finishes, the candidate is on the chart and the leaderboard like any
//! judged model (the matching is the app's run), and the data set with its columns is loaded.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::batch_files::BatchFiles as BatchControls;
use crate::components::connection_status::ConnectionStatus;
use crate::components::cost_form::CostForm;
use crate::components::download::download_text;
use crate::components::endpoint_form::EndpointForm;
use crate::components::eval_plan::EvalPlan;
use crate::components::eval_setup::{EvalSetup, STARTER_CHOICE};
use crate::components::run_exports::RunExports;
use crate::components::run_progress::RunProgress;
use crate::components::stage_progress::StageProgress;
use crate::engine::dataset::{FileKind, LoadedFile};
use crate::engine::pipeline::{starter_file, Stage};
use crate::runner::evaluation::Evaluation;
use crate::runner::stages::estimate;
use crate::runner::status::RunStatus;
use crate::state::run::{BatchFiles, EvalState, RunActions};
use crate::state::AppState;

/// The evaluation section, next to the runner.
#[component]
pub fn Evaluate() -> impl IntoView {
    let state = AppState::get();
    let eval = EvalState::new(state.run);
    let matcher = RunActions::new(state.run);
    eval.on_done(Callback::new(move |file: Arc<LoadedFile>| {
        state.add((*file).clone(), false, None)
    }));
    let chosen = RwSignal::new(STARTER_CHOICE.to_string());
    let choices = Signal::derive(move || dataset_choices(&state));
    let starter = StoredValue::new(Arc::new(starter_file()));
    let input = move || chosen_input(&state, &chosen.get(), starter.get_value());
    let plan = Memo::new(move |_| {
        let input = input()?;
        let candidate = eval.candidate.get().settings;
        let evaluation = Evaluation {
            id: String::new(),
            candidate: candidate.judge_model.clone(),
            options: eval.options.get(),
            structured: candidate.structured.is_on(),
        };
        let matcher = state.run.form.with(|f| f.settings.clone());
        Some(estimate(&input, &evaluation, &candidate, &matcher))
    });
    // Shown only for an evaluation under way, so that the runner's own panel stays the only
    // progress on the page otherwise.
    let stages = move || {
        eval.current
            .with(|e| e.as_ref().map(|e| e.options.stages()))
            .unwrap_or_default()
    };
    let models = Signal::derive(move || {
        eval.current.with(|e| {
            e.as_ref()
                .map(|e| e.options.models(Stage::Match, &e.candidate))
                .unwrap_or_default()
        })
    });
    view! {
        <details class="evaluate" open=move || eval.current.with(Option::is_some)>
            <summary><h2>"Evaluate a judge"</h2></summary>
            <p class="hint">"Puts any judge behind an OpenAI-compatible endpoint on the chart: the candidate answers the paper's judge prompt "
                "for each row, then a matcher compares its reasons with the human ones (SPEC section 8)."</p>
            <EvalSetup choices=choices chosen=chosen options=eval.options />
            <div class="eval-candidate">
                <EndpointForm form=eval.candidate legend="Candidate: the judge to evaluate" />
                <CostForm form=eval.candidate legend="Candidate prices" budget_title="Evaluation budget $ (all stages) " />
            </div>
            <div class="run-buttons">
                <button class="eval-test-candidate" on:click=move |_| eval.test_candidate() disabled=move || eval.testing.get()>"Test candidate connection"</button>
            </div>
            <ConnectionStatus diagnosis=eval.diagnosis testing=eval.testing />
            <div class="eval-matcher">
                <EndpointForm form=state.run.form legend="Matcher: matches the reasons (the runner's endpoint)" />
                <CostForm form=state.run.form legend="Matcher prices" budget_title="" />
            </div>
            <div class="run-buttons">
                <button class="eval-test-matcher" on:click=move |_| matcher.test_connection() disabled=move || matcher.testing.get()>"Test matcher connection"</button>
            </div>
            <ConnectionStatus diagnosis=matcher.diagnosis testing=matcher.testing />
            {move || plan.get().map(|p| view! { <EvalPlan stages=p budget=Signal::derive(move || eval.candidate.with(|f| f.settings.budget)) /> })}
            <div class="run-buttons">
                <button class="eval-start" on:click=move |_| eval.start(input())>"Start evaluation"</button>
                <Show when=move || eval.current.with(Option::is_some)>
                    <button class="eval-resume" on:click=move |_| eval.resume()>"Resume evaluation"</button>
                </Show>
            </div>
            {move || eval.problem.get().map(|p| view! { <p class="load-error" role="alert">{p}</p> })}
            <StoredEvaluations eval=eval />
            {move || stages().into_iter().map(|stage| stage_view(eval, stage)).collect_view()}
            <EvalExports eval=eval />
            <RunExports models=models make=Callback::new(move |model: String| state.run.judged_export(&model)) />
        </details>
    }
}

/// The evaluations stored in this browser, each with a button to reopen it.
#[component]
fn StoredEvaluations(eval: EvalState) -> impl IntoView {
    view! {
        <ul class="stored-evaluations">
            {move || eval.stored().into_iter().map(|e| {
                let label = format!("{} ({})", e.candidate, e.id);
                view! { <li class="stored-evaluation">{label} " "
                    <button class="eval-reopen" on:click=move |_| eval.reopen(e.clone())>"Reopen"</button></li> }
            }).collect_view()}
        </ul>
    }
}

/// The data set with the candidate's columns, and the evaluation's settings (no key).
#[component]
fn EvalExports(eval: EvalState) -> impl IntoView {
    let rows = move |_| {
        if let Some(file) = eval.columns.get_untracked() {
            let text = String::from_utf8_lossy(file.bytes()).to_string();
            download_text(&file.name, "application/x-ndjson", &text);
        }
    };
    let settings = move |_| {
        let Some(evaluation) = eval.current.get_untracked() else {
            return;
        };
        let runs: Vec<_> = evaluation
            .options
            .stages()
            .into_iter()
            .filter_map(|s| {
                eval.runner(s)
                    .current
                    .with_untracked(|c| c.as_ref().map(|c| c.info.settings.clone()))
            })
            .collect();
        let json = serde_json::json!({ "evaluation": evaluation, "stages": runs });
        download_text(
            &format!("{}-settings.json", evaluation.id),
            "application/json",
            &json.to_string(),
        );
    };
    view! {
        <div class="eval-exports">
            <button class="eval-export-rows" on:click=rows disabled=move || eval.columns.with(Option::is_none)>"Export the data set with the candidate's columns"</button>
            <button class="eval-export-settings" on:click=settings disabled=move || eval.current.with(Option::is_none)>"Export the run settings"</button>
        </div>
    }
}

fn stage_view(eval: EvalState, stage: Stage) -> impl IntoView {
    let run = eval.runner(stage);
    let by_batch = eval
        .current
        .with_untracked(|e| e.as_ref().is_some_and(|e| e.options.by_batch));
    // Handed to a batch engine: the stage's files out, its results in, under its progress.
    let batch = by_batch.then(|| {
        let batch = BatchFiles::new(run);
        let busy = move || run.status.with(RunStatus::is_busy) || batch.working.get();
        view! {
            <BatchControls
                has_run=Signal::derive(move || run.current.with(Option::is_some))
                busy=Signal::derive(busy)
                files=Signal::derive(move || batch.files())
                summary=batch.summary
                problem=batch.problem
                on_export=Callback::new(move |()| batch.export())
                make=Callback::new(move |idx| batch.file(idx))
                on_import=Callback::new(move |files| batch.import(files))
            />
        }
    });
    view! {
        <StageProgress stage=stage>
            <RunProgress
                progress=Memo::new(move |_| run.progress())
                status=run.status
                in_flight=run.in_flight
                on_pause=Callback::new(move |()| run.pause())
                on_resume=Callback::new(move |()| eval.resume())
                on_cancel=Callback::new(move |()| run.cancel())
                on_retry_failed=Callback::new(move |()| run.resume(true)) />
            {batch}
        </StageProgress>
    }
}

/// Loaded data sets an evaluation can run on, as `(source id, label)`.
fn dataset_choices(state: &AppState) -> Vec<(String, String)> {
    state.sources.with(|sources| {
        sources
            .iter()
            .filter(|s| !s.demo && s.file.kind == Some(FileKind::Dataset))
            .map(|s| (s.id.to_string(), s.file.name.clone()))
            .collect()
    })
}

fn chosen_input(
    state: &AppState,
    chosen: &str,
    starter: Arc<LoadedFile>,
) -> Option<Arc<LoadedFile>> {
    if chosen == STARTER_CHOICE {
        return Some(starter);
    }
    let id: u32 = chosen.parse().ok()?;
    state
        .sources
        .with(|s| s.iter().find(|s| s.id == id).map(|s| s.file.clone()))
}
