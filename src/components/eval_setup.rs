//! What an evaluation runs on: a loaded data set or the starter set, its optional stages, and
//! whether the stages go to a batch engine.

use leptos::prelude::*;

use crate::runner::evaluation::StageOptions;

/// The select value of the starter set (loaded data sets use their source id).
pub const STARTER_CHOICE: &str = "starter";

/// The data-set select (`choices` are `(value, label)`) and the stage options.
#[component]
pub fn EvalSetup(
    #[prop(into)] choices: Signal<Vec<(String, String)>>,
    chosen: RwSignal<String>,
    options: RwSignal<StageOptions>,
) -> impl IntoView {
    let starter = move || chosen.with(|c| c == STARTER_CHOICE);
    view! {
        <fieldset class="eval-setup">
            <legend>"What to evaluate on"</legend>
            <label>
                "Data set "
                <select on:change=move |ev| chosen.set(event_target_value(&ev))>
                    <option value=STARTER_CHOICE selected=starter>"Starter set (12 rows)"</option>
                    <For each=move || choices.get() key=|c| c.0.clone() let:choice>
                        <option value=choice.0.clone() selected={
                            let value = choice.0.clone();
                            move || chosen.with(|c| *c == value)
                        }>{choice.1.clone()}</option>
                    </For>
                </select>
            </label>
            <Show when=starter>
                <p class="hint">"The starter set is a small illustration written for this project, not a benchmark: "
                    "its figures show how the evaluation works, not how good a judge is."</p>
            </Show>
            <label>
                <input type="checkbox" class="eval-stage-option" prop:checked=move || options.with(|o| o.swap)
                    on:change=move |ev| options.update(|o| o.swap = event_target_checked(&ev)) />
                " Swap: ask again with A and B exchanged (position consistency)"
            </label>
            <label>
                <input type="checkbox" class="eval-stage-option" prop:checked=move || options.with(|o| o.decompose)
                    on:change=move |ev| options.update(|o| o.decompose = event_target_checked(&ev)) />
                " Decompose: turn the candidate's reasons into atomic items before matching"
            </label>
            <label title="For big evaluations: nothing is sent from the page; each stage's calls are written as batch files for the OpenAI Batch API or vllm run-batch, and its results imported before the next stage is made">
                <input type="checkbox" class="eval-by-batch" prop:checked=move || options.with(|o| o.by_batch)
                    on:change=move |ev| options.update(|o| o.by_batch = event_target_checked(&ev)) />
                " Hand each stage to a batch engine (export its files, import the results)"
            </label>
        </fieldset>
    }
}
