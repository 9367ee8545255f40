//! The matching prompt, editable (the reference one by default), with what gets sent.

use leptos::prelude::*;

use super::number_field::NumberField;
use crate::engine::prompt::{missing_placeholders, METAJUDGE_TEMPLATE};
use crate::runner::form::RunForm;

/// The template text area and the options on what is sent.
#[component]
pub fn TemplateEditor(form: RwSignal<RunForm>) -> impl IntoView {
    let edited = move || form.with(|f| f.settings.template != METAJUDGE_TEMPLATE);
    let missing = move || form.with(|f| missing_placeholders(&f.settings.template).join(" and "));
    view! {
        <details class="template-editor">
            <summary>
                "Prompt template " {move || if edited() { "(edited; stored with the run)" } else { "(the reference MetaJudge prompt)" }}
            </summary>
            <textarea rows="14" cols="100" spellcheck="false"
                prop:value=move || form.with(|f| f.settings.template.clone())
                on:change=move |ev| form.update(|f| f.settings.template = event_target_value(&ev))></textarea>
            <Show when=move || !missing().is_empty()>
                <p class="load-error" role="alert">"The template lacks " {missing} ": the judge would not see both lists."</p>
            </Show>
            <button on:click=move |_| form.update(|f| f.settings.template = METAJUDGE_TEMPLATE.to_string()) disabled=move || !edited()>
                "Reset to the reference prompt"
            </button>
            <NumberField title="Send only the first K model items " value=Signal::derive(move || form.with(|f| f.settings.top_k.map(|k| k as f64)))
                min=1.0 step="1" help="Empty: all items, as the reference scripts do"
                on_change=Callback::new(move |v: Option<f64>| form.update(|f| f.settings.top_k = v.map(|k| k as usize))) />
            <label>
                <input type="checkbox" prop:checked=move || form.with(|f| f.settings.skip_unscorable)
                    on:change=move |ev| form.update(|f| f.settings.skip_unscorable = event_target_checked(&ev)) />
                " Do not send rows the figures would skip (model checklist empty or over the maximum length)"
            </label>
        </details>
    }
}
