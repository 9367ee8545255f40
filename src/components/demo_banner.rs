//! Says plainly that the figures on screen come from made-up demo data.

use leptos::prelude::*;

/// Shown while the built-in synthetic demo is loaded.
#[component]
pub fn DemoBanner(#[prop(into)] visible: Signal<bool>) -> impl IntoView {
    view! {
        <Show when=move || visible.get()>
            <aside class="demo-banner" role="note">
                <strong>"Demo: synthetic data. "</strong>
                "Six made-up judges with random texts and scores, tuned to show the paper's point: "
                "atlas-mini reaches about the outcome accuracy of atlas-large with half its rationale "
                "consistency. The numbers mean nothing else. Drop your own files to replace them."
            </aside>
        </Show>
    }
}
