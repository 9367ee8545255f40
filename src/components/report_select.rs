//! A select of the (file, model) reports on show.

use leptos::prelude::*;

use crate::engine::text::display_name;

/// Shows `chosen` among `choices`; `on_pick` gets the picked `(file, model)`.
#[component]
pub fn ReportSelect(
    title: &'static str,
    #[prop(into)] choices: Signal<Vec<(String, String)>>,
    #[prop(into)] chosen: Signal<Option<(String, String)>>,
    on_pick: Callback<Option<(String, String)>>,
) -> impl IntoView {
    let pick = move |ev: web_sys::Event| {
        let idx = event_target_value(&ev).parse::<usize>().ok();
        on_pick.run(idx.and_then(|i| choices.with(|c| c.get(i).cloned())));
    };
    view! {
        <label class="report-select">
            {title}
            <select on:change=pick>
                <option value="" selected=move || chosen.with(Option::is_none)>"choose"</option>
                {move || choices.get().into_iter().enumerate().map(|(i, (file, model))| {
                    let this = (file.clone(), model.clone());
                    view! {
                        <option value=i title=format!("{model} ({file})") selected=move || chosen.get().as_ref() == Some(&this)>{format!("{} ({})", display_name(&model), display_name(&file))}</option>
                    }
                }).collect_view()}
            </select>
        </label>
    }
}
