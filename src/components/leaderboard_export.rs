//! Downloads of the leaderboard: CSV, JSON, and a Markdown table for a paper or a README.

use leptos::prelude::*;

use super::download::download_text;
use crate::engine::export::{flat_to_json, to_csv, to_markdown, FlatReport};

/// Three buttons, one per format.
#[component]
pub fn LeaderboardExport(#[prop(into)] rows: Signal<Vec<FlatReport>>) -> impl IntoView {
    let save =
        move |name: &'static str, mime: &'static str, render: fn(&[FlatReport]) -> String| {
            move |_| download_text(name, mime, &rows.with_untracked(|r| render(r)))
        };
    view! {
        <div class="leaderboard-export">
            "Leaderboard: "
            <button on:click=save("metajudge-leaderboard.csv", "text/csv", to_csv)>"CSV"</button>
            <button on:click=save("metajudge-leaderboard.json", "application/json", flat_to_json)>"JSON"</button>
            <button on:click=save("metajudge-leaderboard.md", "text/markdown", to_markdown)>"Markdown"</button>
        </div>
    }
}
