//! A full-screen view of the chart: an overlay over the page, opened by a button and closed by
//! the same button or Escape, so the chart can be read at the size of the screen.

use leptos::prelude::*;
use web_sys::KeyboardEvent;

/// `children` (the chart) with a button that puts them in a full-screen overlay.
#[component]
pub fn ChartFullscreen(children: Children) -> impl IntoView {
    let open = RwSignal::new(false);
    let keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
        }
    };
    view! {
        <div class="chart-fullscreen" class:open=move || open.get() on:keydown=keydown
            role=move || open.get().then_some("dialog") aria-modal=move || open.get().then_some("true")
            aria-label=move || open.get().then_some("chart, full screen")>
            <button class="chart-fullscreen-toggle" aria-pressed=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {move || if open.get() { "Close full screen (Esc)" } else { "Full screen" }}
            </button>
            {children()}
        </div>
    }
}
