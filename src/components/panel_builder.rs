//! The matcher panel builder (SPEC 10, ensembles): pick a model, tick its judged files (one per
//! matcher), say how many valid answers a row needs, and add the panel; the panels chosen are
//! listed with a button to remove each.

use leptos::prelude::*;

use super::number_field::NumberField;

/// `candidates` are `(file, model)` of the loaded judged files; `panels` the chosen panels'
/// names, or why one cannot be formed. `on_add` gets `(model, files, required)`, `required`
/// `None` for every matcher.
#[component]
pub fn PanelBuilder(
    #[prop(into)] candidates: Signal<Vec<(String, String)>>,
    #[prop(into)] panels: Signal<Vec<Result<String, String>>>,
    on_add: Callback<(String, Vec<String>, Option<usize>)>,
    on_remove: Callback<usize>,
) -> impl IntoView {
    let model = RwSignal::new(String::new());
    let ticked = RwSignal::new(Vec::<String>::new());
    let required = RwSignal::new(None::<f64>);
    let models = move || distinct_models(&candidates.get());
    // The model shown: the one picked while it is loaded, else the first.
    let current = move || {
        let models = models();
        let picked = model.get();
        if models.contains(&picked) {
            picked
        } else {
            models.first().cloned().unwrap_or_default()
        }
    };
    let files = move || {
        let current = current();
        candidates
            .get()
            .into_iter()
            .filter(|(_, m)| *m == current)
            .map(|(f, _)| f)
            .collect::<Vec<_>>()
    };
    let chosen = move || {
        files()
            .into_iter()
            .filter(|f| ticked.with(|t| t.contains(f)))
            .collect::<Vec<_>>()
    };
    let toggle = move |file: String, on: bool| {
        ticked.update(|t| {
            t.retain(|f| *f != file);
            if on {
                t.push(file)
            }
        })
    };
    let add = move |_| {
        let required = required.get().map(|r| r.round() as usize);
        on_add.run((current(), chosen(), required));
    };
    view! {
        <fieldset class="panel-builder">
            <legend>"Matcher panel"</legend>
            <Show when=move || !models().is_empty() fallback=|| view! { <p class="panel-builder-empty">"Load judged files of one model by different matchers to form a panel."</p> }>
                <label>"Model "
                    <select on:change=move |ev| model.set(event_target_value(&ev))>
                        <For each=models key=|m| m.clone() let:name>
                            <option value=name.clone() selected={ let name = name.clone(); move || current() == name }>{name.clone()}</option>
                        </For>
                    </select>
                </label>
                <ul class="panel-builder-files">
                    <For each=files key=|f| f.clone() let:file>
                        <li><label>
                            <input type="checkbox" data-file=file.clone()
                                prop:checked={ let file = file.clone(); move || ticked.with(|t| t.contains(&file)) }
                                on:change={ let file = file.clone(); move |ev| toggle(file.clone(), event_target_checked(&ev)) } />
                            " " {file.clone()}
                        </label></li>
                    </For>
                </ul>
                <NumberField title="Required valid (empty: all) " value=required
                    on_change=Callback::new(move |v| required.set(v)) min=1.0 max=100.0 step="1"
                    help="Valid matcher answers a row needs; rows with fewer are errors named ensemble incomplete" />
                <button class="panel-add" disabled=move || chosen().is_empty() on:click=add>"Add panel"</button>
            </Show>
            <ul class="panel-list">
                {move || panels.get().into_iter().enumerate().map(|(idx, line)| {
                    let (text, failed) = match line { Ok(name) => (name, false), Err(why) => (why, true) };
                    view! {
                        <li class="panel-item" class:panel-error=failed>
                            <span>{text}</span>
                            <button class="panel-remove" on:click=move |_| on_remove.run(idx)>"Remove"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </fieldset>
    }
}

/// The models of the candidates, each once, in order of first appearance.
fn distinct_models(candidates: &[(String, String)]) -> Vec<String> {
    let mut models: Vec<String> = Vec::new();
    for (_, model) in candidates {
        if !models.contains(model) {
            models.push(model.clone());
        }
    }
    models
}
