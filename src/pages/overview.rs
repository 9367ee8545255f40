//! The overview: the headline chart with its choices, the leaderboard, downloads (the
//! leaderboard's, and the whole report as one HTML file) and sharing.

use leptos::prelude::*;

use crate::components::chart_controls::ChartControls;
use crate::components::chart_fullscreen::ChartFullscreen;
use crate::components::leaderboard::Leaderboard;
use crate::components::leaderboard_export::LeaderboardExport;
use crate::components::report_download::ReportDownload;
use crate::components::scatter_chart::ScatterChart;
use crate::components::share_box::ShareBox;
use crate::engine::export::FlatReport;
use crate::state::AppState;

/// Chart, leaderboard, downloads, share link.
#[component]
pub fn Overview() -> impl IntoView {
    let state = AppState::get();
    let rows = Memo::new(move |_| state.flat_rows());
    let models = Signal::derive(move || {
        rows.with(|r| r.iter().map(|r| r.model.clone()).collect::<Vec<_>>())
    });
    // Shared in the order of the chart's figure, best first, so a shortened link keeps the best.
    let ranked = Signal::derive(move || {
        let y = state.view.with(|v| v.y);
        let mut ranked: Vec<FlatReport> = rows.get();
        ranked.sort_by(|a, b| {
            let key = |r: &FlatReport| y.stat(r).map_or(f64::NEG_INFINITY, |s| s.mean);
            key(b).total_cmp(&key(a))
        });
        ranked
    });
    let run = Signal::derive(move || {
        state
            .run
            .current
            .with(|c| c.as_ref().map(|c| c.info.clone()))
    });
    view! {
        <section class="overview">
            <ChartControls settings=state.view models=models />
            <ChartFullscreen>
                <ScatterChart rows=rows settings=state.view dark=state.dark />
            </ChartFullscreen>
            <Leaderboard rows=rows />
            <LeaderboardExport rows=rows />
            <ReportDownload rows=ranked settings=state.view options=state.options sources=state.sources run=run />
            <ShareBox rows=ranked settings=state.view />
        </section>
    }
}
