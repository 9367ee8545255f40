//! Files being read, with a progress bar each, and files that could not be read.

use leptos::prelude::*;

/// One entry of the list, as the page hands it over.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadItem {
    pub id: u32,
    pub name: String,
    pub progress: LoadProgress,
}

/// How far an entry got.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadProgress {
    Reading {
        done: f64,
        total: f64,
    },
    /// Why it failed, in words for the user.
    Failed(String),
}

/// The loads in progress or failed; `on_dismiss` removes a failed one from the list.
#[component]
pub fn LoadList(
    #[prop(into)] loads: Signal<Vec<LoadItem>>,
    on_dismiss: Callback<u32>,
) -> impl IntoView {
    view! {
        <ul class="load-list" aria-live="polite">
            <For each=move || loads.get() key=|l| (l.id, format!("{:?}", l.progress)) let:load>
                <li class="load-item">
                    <span class="load-name">{load.name.clone()}</span>
                    {match load.progress {
                        LoadProgress::Reading { done, total } => view! {
                            <progress max=total value=done></progress>
                            <span class="load-pct">{format!("{:.0}%", 100.0 * done / total.max(1.0))}</span>
                        }.into_any(),
                        LoadProgress::Failed(message) => view! {
                            <span class="load-error" role="alert">{message}</span>
                            <button on:click=move |_| on_dismiss.run(load.id)>"Dismiss"</button>
                        }.into_any(),
                    }}
                </li>
            </For>
        </ul>
    }
}
