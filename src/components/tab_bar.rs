//! The row of tabs above the results, with arrow-key navigation (the WAI-ARIA tabs pattern).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;

/// The screens of the results area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Breakdowns,
    Compare,
    Samples,
    Distributions,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Overview,
        Tab::Breakdowns,
        Tab::Compare,
        Tab::Samples,
        Tab::Distributions,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Breakdowns => "Breakdowns",
            Tab::Compare => "Compare two",
            Tab::Samples => "Samples",
            Tab::Distributions => "Distributions",
        }
    }

    /// The id of the tab button (its panel is labelled by it).
    pub fn id(self) -> &'static str {
        match self {
            Tab::Overview => "tab-overview",
            Tab::Breakdowns => "tab-breakdowns",
            Tab::Compare => "tab-compare",
            Tab::Samples => "tab-samples",
            Tab::Distributions => "tab-distributions",
        }
    }
}

/// The tabs; `enabled` says which can be chosen (a shared link has no rows to sample).
#[component]
pub fn TabBar(current: RwSignal<Tab>, #[prop(into)] enabled: Signal<Vec<Tab>>) -> impl IntoView {
    let step = move |by: isize| {
        let tabs = enabled.get_untracked();
        let at = tabs
            .iter()
            .position(|t| *t == current.get_untracked())
            .unwrap_or(0) as isize;
        let next = (at + by).rem_euclid(tabs.len().max(1) as isize) as usize;
        if let Some(tab) = tabs.get(next) {
            current.set(*tab);
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
