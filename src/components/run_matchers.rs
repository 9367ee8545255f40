//! The matching runs stored in this browser, each one click from counting as a matcher in the
//! Agreement tab (the current run counts already).

use leptos::prelude::*;

/// One stored run as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunMatcherRow {
    pub id: String,
    /// `data set: models judged by judge`.
    pub label: String,
    /// The run is among the matchers.
    pub added: bool,
    /// The run is the current run.
    pub current: bool,
}

/// `on_add` and `on_remove` get the run id; `adding` is true while a run is read back, and
/// `problem` says why the last one could not be.
#[component]
pub fn RunMatchers(
    #[prop(into)] rows: Signal<Vec<RunMatcherRow>>,
    #[prop(into)] adding: Signal<bool>,
    #[prop(into)] problem: Signal<Option<String>>,
    on_add: Callback<String>,
    on_remove: Callback<String>,
) -> impl IntoView {
    let line = move |row: RunMatcherRow| {
        let id = row.id.clone();
        let action = if row.current {
            view! { <span class="hint">"this run: counts as a matcher"</span> }.into_any()
        } else if row.added {
            view! { <button on:click=move |_| on_remove.run(id.clone())>"Remove"</button> }
                .into_any()
        } else {
            view! { <button disabled=adding on:click=move |_| on_add.run(id.clone())>"Add as matcher"</button> }.into_any()
        };
        view! {
            <li class="run-matcher" data-run=row.id.clone()>
                <span>{row.label}</span> <small>{format!(" {} ", row.id)}</small> {action}
            </li>
        }
    };
    view! {
        <Show when=move || rows.with(|r| !r.is_empty())>
            <details class="run-matchers">
                <summary>{move || format!("Runs as matchers ({} stored)", rows.with(Vec::len))}</summary>
                <p class="hint">"A run's matcher is its judge model; added runs count until the page reloads."</p>
                <ul>{move || rows.get().into_iter().map(line).collect_view()}</ul>
                {move || problem.get().map(|p| view! { <p class="problem" role="status">{p}</p> })}
            </details>
        </Show>
    }
}
