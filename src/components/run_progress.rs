//! How far the run got: a bar, counts, rate, time left, tokens, cost, and the run's buttons.

use leptos::prelude::*;

use crate::runner::progress::{show_duration, show_rate, Progress};
use crate::runner::status::RunStatus;

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
    let resumable = move || status.with(RunStatus::is_resumable);
    let n_failed = move || p().n_error + p().n_format_error;
    view! {
        <section class="run-progress" aria-live="polite">
            <progress max="1" value=move || p().fraction()></progress>
            <p class="run-status" data-status=move || status.with(RunStatus::name)>{move || status.with(RunStatus::text)}</p>
            <dl class="run-numbers">
                <div><dt>"Done"</dt><dd data-key="done">{move || p().n_done} " of " {move || p().n_total}</dd></div>
                <div><dt>"Failed"</dt><dd data-key="failed">{move || p().n_error} " errors, " {move || p().n_format_error} " format errors"</dd></div>
                <div><dt>"Remaining"</dt><dd data-key="remaining">{move || p().n_remaining} " (" {move || in_flight.get()} " in flight)"</dd></div>
                <div><dt>"Rate"</dt><dd>{move || p().rate_per_min.map_or("–".into(), show_rate)}</dd></div>
                <div><dt>"Time left"</dt><dd>{move || if running() { p().eta_s.map_or("–".into(), show_duration) } else { "–".into() }}</dd></div>
                <div><dt>"Tokens"</dt><dd>{move || format!("{} in, {} out", p().prompt_tokens, p().completion_tokens)}</dd></div>
                <div><dt>"Estimated cost"</dt><dd>{move || format!("${:.4}", p().cost)}</dd></div>
            </dl>
            <div class="run-buttons">
                <Show when=running><button on:click=move |_| on_pause.run(())>"Pause"</button></Show>
                <Show when=resumable><button on:click=move |_| on_resume.run(())>"Resume"</button></Show>
                <Show when=move || status.with(RunStatus::is_busy)>
                    <button on:click=move |_| on_cancel.run(())>"Cancel"</button>
                </Show>
                <Show when=move || !running() && n_failed() != 0>
                    <button on:click=move |_| on_retry_failed.run(())>"Retry failed rows (" {n_failed} ")"</button>
                </Show>
            </div>
        </section>
    }
}
