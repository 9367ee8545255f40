//! The row of tabs above the results, with arrow-key navigation (the WAI-ARIA tabs pattern).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;

use crate::engine::tabs::{step_tab, Tab};

/// The tabs; `enabled` says which can be chosen (a shared link has no rows to sample).
#[component]
pub fn TabBar(current: RwSignal<Tab>, #[prop(into)] enabled: Signal<Vec<Tab>>) -> impl IntoView {
    let step = move |by: isize| {
        let next = enabled.with_untracked(|tabs| step_tab(tabs, current.get_untracked(), by));
        if let Some(tab) = next {
            current.set(tab);
            if let Some(button) = document().get_element_by_id(tab.id()) {
                let _ = button.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        }
    };
    let keydown = move |ev: KeyboardEvent| match ev.key().as_str() {
        "ArrowRight" => step(1),
        "ArrowLeft" => step(-1),
        _ => {}
    };
    view! {
        <div class="tab-bar" role="tablist" aria-label="results" on:keydown=keydown>
            {Tab::ALL.iter().map(|&tab| view! {
                <button
                    role="tab"
                    id=tab.id()
                    aria-selected=move || (current.get() == tab).to_string()
                    tabindex=move || if current.get() == tab { "0" } else { "-1" }
                    disabled=move || !enabled.get().contains(&tab)
                    on:click=move |_| current.set(tab)
                >
                    {tab.title()}
                </button>
            }).collect_view()}
        </div>
    }
}
