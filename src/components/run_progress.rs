//! How far the run got: a bar, counts, rate, time left, tokens, cost, and the run's buttons.

use leptos::prelude::*;

use crate::runner::progress::{show_duration, Progress};
use crate::state::run::RunStatus;

/// The progress panel; the buttons shown depend on the status.
#[component]
pub fn RunProgress(
    #[prop(into)] progress: Signal<Progress>,
    #[prop(into)] status: Signal<RunStatus>,
    #[prop(into)] in_flight: Signal<usize>,
    on_pause: Callback<()>,
    on_resume: Callback<()>,
    on_cancel: Callback<()>,
    on_retry_failed: Callback<()>,
) -> impl IntoView {
    let p = move || progress.get();
    let running = move || matches!(status.get(), RunStatus::Running);
    let resumable = move || {
        matches!(
            status.get(),
            RunStatus::Paused
                | RunStatus::Cancelled
                | RunStatus::BudgetReached
                | RunStatus::Halted(_)
        )
    };
    let n_failed = move || p().n_error + p().n_format_error;
    view! {
        <section class="run-progress" aria-live="polite">
            <progress max="1" value=move || p().fraction()></progress>
            <p class="run-status" data-status=move || status_name(&status.get())>{move || status_text(&status.get())}</p>
            <dl class="run-numbers">
                <div><dt>"Done"</dt><dd data-key="done">{move || p().n_done} " of " {move || p().n_total}</dd></div>
                <div><dt>"Failed"</dt><dd data-key="failed">{move || p().n_error} " errors, " {move || p().n_format_error} " format errors"</dd></div>
                <div><dt>"Remaining"</dt><dd data-key="remaining">{move || p().n_remaining} " (" {move || in_flight.get()} " in flight)"</dd></div>
                <div><dt>"Rate"</dt><dd>{move || p().rate_per_min.map_or("–".into(), |r| format!("{r:.0} / min"))}</dd></div>
                <div><dt>"Time left"</dt><dd>{move || if running() { p().eta_s.map_or("–".into(), show_duration) } else { "–".into() }}</dd></div>
                <div><dt>"Tokens"</dt><dd>{move || format!("{} in, {} out", p().prompt_tokens, p().completion_tokens)}</dd></div>
                <div><dt>"Estimated cost"</dt><dd>{move || format!("${:.4}", p().cost)}</dd></div>
            </dl>
            <div class="run-buttons">
                <Show when=running><button on:click=move |_| on_pause.run(())>"Pause"</button></Show>
                <Show when=resumable><button on:click=move |_| on_resume.run(())>"Resume"</button></Show>
                <Show when=move || running() || matches!(status.get(), RunStatus::Stopping)>
                    <button on:click=move |_| on_cancel.run(())>"Cancel"</button>
                </Show>
                <Show when=move || !running() && n_failed() != 0>
                    <button on:click=move |_| on_retry_failed.run(())>"Retry failed rows (" {n_failed} ")"</button>
                </Show>
            </div>
        </section>
    }
}

fn status_name(status: &RunStatus) -> &'static str {
    match status {
        RunStatus::Idle => "idle",
        RunStatus::Running => "running",
        RunStatus::Stopping => "stopping",
        RunStatus::Paused => "paused",
        RunStatus::Finished => "finished",
        RunStatus::Cancelled => "cancelled",
        RunStatus::BudgetReached => "budget",
        RunStatus::Halted(_) => "halted",
        RunStatus::Refused(_) => "refused",
    }
}

fn status_text(status: &RunStatus) -> String {
    match status {
        RunStatus::Idle => "No run yet.".into(),
        RunStatus::Running => "Running.".into(),
        RunStatus::Stopping => "Stopping: waiting for the calls in flight.".into(),
        RunStatus::Paused => "Paused. Every answer so far is saved in this browser.".into(),
        RunStatus::Finished => "Finished.".into(),
        RunStatus::Cancelled => {
            "Cancelled. The answers so far are saved; Resume sends the rest.".into()
        }
        RunStatus::BudgetReached => {
            "Stopped at the budget. Raise it in the form of a new run, or resume to go on.".into()
        }
        RunStatus::Halted(why) => {
            format!("Stopped: {why}. Fix it (Test connection helps), then resume.")
        }
        RunStatus::Refused(why) => format!("Cannot start: {why}."),
    }
}
