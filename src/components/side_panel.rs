//! The studio's side panel (files, runner, scoring): a column that folds to a slim bar and
//! back, its content kept in the page while folded so forms and runs keep their state.

use leptos::prelude::*;

/// `children` in a panel that `open` shows or folds; the toggle says which with aria-expanded.
#[component]
pub fn SidePanel(open: RwSignal<bool>, children: Children) -> impl IntoView {
    let label = move || {
        if open.get() {
            "« Hide panel"
        } else {
            "» Files, runner, scoring"
        }
    };
    view! {
        <aside class="side-panel" class:folded=move || !open.get() aria-label="files, runner and scoring">
            <button class="side-panel-toggle" aria-expanded=move || open.get().to_string()
                aria-controls="side-panel-body" on:click=move |_| open.update(|o| *o = !*o)>
                {label}
            </button>
            <div id="side-panel-body" class="side-panel-body" hidden=move || !open.get()>
                {children()}
            </div>
        </aside>
    }
}
