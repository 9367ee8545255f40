//! The choices the figures depend on: maximum checklist length, the threshold of right for the
//! wrong reasons, the tie policy, the breakdown.

use leptos::prelude::*;

use crate::engine::summary::Options;

use super::number_field::NumberField;

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
    let rfwr_threshold = Signal::derive(move || Some(options.with(|o| o.rfwr_threshold)));
    // An emptied field keeps the threshold it had: the figure always has one.
    let set_rfwr_threshold = Callback::new(move |value: Option<f64>| {
        if let Some(t) = value {
            options.update(|o| o.rfwr_threshold = t);
        }
    });
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
            <NumberField
                title="RC threshold for right-for-wrong-reasons "
                value=rfwr_threshold
                on_change=set_rfwr_threshold
                min=0.0
                max=1.0
                step="0.05"
                help="A correct verdict whose RC is below this counts as right for the wrong reasons"
            />
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
