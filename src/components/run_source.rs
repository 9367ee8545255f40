//! What to judge: a loaded data set (or a judged file to continue) and which of its models.

use leptos::prelude::*;

use crate::runner::form::RunForm;

/// A loaded file that can be judged.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceChoice {
    pub id: u32,
    pub label: String,
    pub models: Vec<String>,
}

/// The file select and one checkbox per model of the chosen file.
#[component]
pub fn RunSource(
    form: RwSignal<RunForm>,
    #[prop(into)] choices: Signal<Vec<SourceChoice>>,
) -> impl IntoView {
    let chosen = move || {
        let id = form.with(|f| f.source_id);
        choices.with(|c| c.iter().find(|c| Some(c.id) == id).cloned())
    };
    let pick = move |ev: web_sys::Event| {
        let id = event_target_value(&ev).parse::<u32>().ok();
        let models = choices.with(|c| {
            c.iter()
                .find(|c| Some(c.id) == id)
                .map(|c| c.models.clone())
                .unwrap_or_default()
        });
        form.update(|f| {
            f.source_id = id;
            f.models = models;
        });
    };
    let toggle = move |model: String, on: bool| {
        form.update(|f| {
            f.models.retain(|m| *m != model);
            if on {
                f.models.push(model);
            }
        })
    };
    view! {
        <fieldset class="run-source">
            <legend>"What to judge"</legend>
            <label>
                "File "
                <select on:change=pick>
                    <option value="" selected=move || form.with(|f| f.source_id.is_none())>"choose a loaded file"</option>
                    <For each=move || choices.get() key=|c| c.id let:choice>
                        <option value=choice.id selected=move || form.with(|f| f.source_id == Some(choice.id))>{choice.label.clone()}</option>
                    </For>
                </select>
            </label>
            <div class="run-source-models" role="group" aria-label="models to judge">
                {move || chosen().map(|c| c.models).unwrap_or_default().into_iter().map(|model| {
                    let checked = { let model = model.clone(); move || form.with(|f| f.models.contains(&model)) };
                    let on_change = { let model = model.clone(); move |ev| toggle(model.clone(), event_target_checked(&ev)) };
                    view! { <label><input type="checkbox" prop:checked=checked on:change=on_change />" " {model}</label> }
                }).collect_view()}
            </div>
        </fieldset>
    }
}
