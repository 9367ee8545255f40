//! Downloads of a run: one judged JSONL file per model, in the reference format.

use leptos::prelude::*;

use super::download::download_text;

/// One button per model; `make` gives the file name and text for a model.
#[component]
pub fn RunExports(
    #[prop(into)] models: Signal<Vec<String>>,
    make: Callback<String, (String, String)>,
) -> impl IntoView {
    view! {
        <div class="run-exports">
            <For each=move || models.get() key=|m| m.clone() let:model>
                <button class="run-export" data-model=model.clone() on:click={
                    let model = model.clone();
                    move |_| {
                        let (name, text) = make.run(model.clone());
                        download_text(&name, "application/x-ndjson", &text);
                    }
                }>
                    "Export " {model.clone()} " (judged JSONL)"
                </button>
            </For>
        </div>
    }
}
