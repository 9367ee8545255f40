//! Makes a share link: the leaderboard's figures and the chart settings in the URL fragment.

use leptos::prelude::*;

use crate::engine::export::FlatReport;
use crate::engine::share::{
    encode_share, ShareDetail, ShareLink, MAX_FRAGMENT_CHARS, MODELS_THAT_FIT,
};
use crate::engine::view::ChartSettings;

/// A "Make a share link" button, then the link, what it holds, and a copy button.
#[component]
pub fn ShareBox(
    #[prop(into)] rows: Signal<Vec<FlatReport>>,
    #[prop(into)] settings: Signal<ChartSettings>,
) -> impl IntoView {
    let link = RwSignal::new(None::<(String, ShareLink)>);
    let make = move |_| {
        let share = encode_share(
            &rows.get_untracked(),
            &settings.get_untracked(),
            MAX_FRAGMENT_CHARS,
        );
        let location = window().location();
        let base = format!(
            "{}{}",
            location.origin().unwrap_or_default(),
            location.pathname().unwrap_or_default()
        );
        link.set(Some((format!("{base}#{}", share.fragment), share)));
    };
    let copy = move |_| {
        if let Some((url, _)) = link.get_untracked() {
            let _ = window().navigator().clipboard().write_text(&url);
        }
    };
    view! {
        <div class="share-box">
            <button on:click=make>"Make a share link"</button>
            <span class="hint">
                " Holds the figures (rounded to 4 decimals) and the chart settings; never rows, never the key. About "
                {MODELS_THAT_FIT} " models fit in full."
            </span>
            {move || link.get().map(|(url, share)| view! {
                <div class="share-link">
                    <input type="text" readonly size="60" value=url.clone() aria-label="share link" />
                    <button on:click=copy>"Copy"</button>
                    <p class="hint">{describe(&share)}</p>
                </div>
            })}
        </div>
    }
}

fn describe(share: &ShareLink) -> String {
    let length = format!("{} characters", share.fragment.len());
    match &share.detail {
        ShareDetail::Full => format!("All {} models, every figure ({length}).", share.n_total),
        ShareDetail::FiguresTrimmed => format!(
            "All {} models; to stay short, only RC and OA with intervals, recall, AP (paper), the chart's figure and the counts ({length}).",
            share.n_total
        ),
        ShareDetail::ModelsDropped { shared, total } => {
            format!("The first {shared} of {total} models (the leaderboard's order): more would make the link too long to paste ({length}).")
        }
    }
}
