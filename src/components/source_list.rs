//! The loaded files: kind, rows, models, unreadable lines, and a button to remove each.

use leptos::prelude::*;

use super::model_name::ModelName;
use crate::engine::source::Source;

/// One line per loaded file.
#[component]
pub fn SourceList(
    #[prop(into)] sources: Signal<Vec<Source>>,
    on_remove: Callback<u32>,
) -> impl IntoView {
    view! {
        <ul class="source-list">
            <For each=move || sources.get() key=|s| s.id let:source>
                <li class="source-item" data-file=source.file.name.clone()>
                    <ModelName name=source.file.name.clone() class="source-name" />
                    <span class="source-facts">{source.facts()}</span>
                    <button
                        class="source-remove"
                        aria-label=format!("remove {}", source.file.name)
                        on:click=move |_| on_remove.run(source.id)
                    >
                        "Remove"
                    </button>
                </li>
            </For>
        </ul>
    }
}
