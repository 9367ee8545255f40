//! Says that the page shows a share link's figures, and what the link left out.

use leptos::prelude::*;

use crate::engine::share::{ShareDetail, SharedView};

/// Shown while a share link is open.
#[component]
pub fn SharedBanner(#[prop(into)] shared: Signal<Option<SharedView>>) -> impl IntoView {
    view! {
        {move || shared.get().map(|view| {
            let detail = match view.detail {
                ShareDetail::Full => String::new(),
                ShareDetail::FiguresTrimmed => " To stay short, the link keeps the main figures only.".into(),
                ShareDetail::ModelsDropped { shared, total } => format!(" The link keeps the first {shared} of {total} models."),
            };
            view! {
                <aside class="shared-banner" role="note">
                    <strong>"A shared leaderboard: "</strong>
                    {view.reports.len()} " models, figures rounded to 4 decimals, no rows." {detail}
                    " Load files to explore rows of your own."
                </aside>
            }
        })}
    }
}
