//! Files being read, with a progress bar each, and files that could not be read.

use leptos::prelude::*;

use crate::state::{LoadPhase, LoadStatus};

/// The loads in progress or failed; `on_dismiss` removes a failed one from the list.
#[component]
pub fn LoadList(
    #[prop(into)] loads: Signal<Vec<LoadStatus>>,
    on_dismiss: Callback<u32>,
) -> impl IntoView {
    view! {
        <ul class="load-list" aria-live="polite">
            <For each=move || loads.get() key=|l| (l.id, format!("{:?}", l.phase)) let:load>
                <li class="load-item">
                    <span class="load-name">{load.name.clone()}</span>
                    {match load.phase {
                        LoadPhase::Reading { done, total } => view! {
                            <progress max=total value=done></progress>
                            <span class="load-pct">{format!("{:.0}%", 100.0 * done / total.max(1.0))}</span>
                        }.into_any(),
                        LoadPhase::Failed(message) => view! {
                            <span class="load-error" role="alert">{message}</span>
                            <button on:click=move |_| on_dismiss.run(load.id)>"Dismiss"</button>
                        }.into_any(),
                        LoadPhase::Done => ().into_any(),
                    }}
                </li>
            </For>
        </ul>
    }
}
