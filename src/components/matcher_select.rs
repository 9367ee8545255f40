//! A select of the matchers whose judged files are loaded.

use leptos::prelude::*;

/// Shows `chosen` among `choices`; `on_pick` gets the picked matcher.
#[component]
pub fn MatcherSelect(
    title: &'static str,
    #[prop(into)] choices: Signal<Vec<String>>,
    #[prop(into)] chosen: Signal<Option<String>>,
    on_pick: Callback<Option<String>>,
) -> impl IntoView {
    let pick = move |ev: web_sys::Event| {
        let idx = event_target_value(&ev).parse::<usize>().ok();
        on_pick.run(idx.and_then(|i| choices.with(|c| c.get(i).cloned())));
    };
    view! {
        <label class="matcher-select">
            {title}
            <select on:change=pick>
                <option value="" selected=move || chosen.with(Option::is_none)>"choose"</option>
                {move || choices.get().into_iter().enumerate().map(|(i, matcher)| {
                    let this = matcher.clone();
                    view! {
                        <option value=i selected=move || chosen.get().as_ref() == Some(&this)>{matcher}</option>
                    }
                }).collect_view()}
            </select>
        </label>
    }
}
