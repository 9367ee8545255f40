//! The choices the figures depend on: maximum checklist length, the tie policy, the breakdown.

use leptos::prelude::*;

use crate::engine::summary::Options;

/// Edits the scoring options in place.
#[component]
pub fn OptionsBar(
    options: RwSignal<Options>,
    #[prop(into)] fields: Signal<Vec<String>>,
) -> impl IntoView {
    let set_max_len = move |ev: web_sys::Event| {
        if let Ok(n) = event_target_value(&ev).trim().parse::<usize>() {
            options.update(|o| o.max_len = n.max(1));
        }
    };
    view! {
        <fieldset class="options-bar">
            <legend>"Scoring"</legend>
            <label>
                "Longest model checklist scored "
                <input
                    type="number"
                    min="1"
                    max="1000"
                    prop:value=move || options.with(|o| o.max_len.to_string())
                    on:change=set_max_len
                />
            </label>
            <label>
                <input
                    type="checkbox"
                    prop:checked=move || options.with(|o| o.include_ties)
                    on:change=move |ev| options.update(|o| o.include_ties = event_target_checked(&ev))
                />
                " Count human ties in OA (right only if the model says tie)"
            </label>
            <label>
                "Break down by "
                <select on:change=move |ev| options.update(|o| o.group_by = event_target_value(&ev))>
                    <For each=move || fields.get() key=|f| f.clone() let:field>
                        <option
                            value=field.clone()
                            selected={
                                let field = field.clone();
                                move || options.with(|o| o.group_by == field)
                            }
                        >
                            {field.clone()}
                        </option>
                    </For>
                </select>
            </label>
        </fieldset>
    }
}
