//! The overview: the headline chart with its choices, the leaderboard, then (a moment later,
//! `pages::downloads`) position consistency, downloads and sharing.

use leptos::prelude::*;

use crate::components::chart_controls::ChartControls;
use crate::components::chart_fullscreen::ChartFullscreen;
use crate::components::leaderboard::Leaderboard;
use crate::components::scatter_chart::ScatterChart;
use crate::engine::export::FlatReport;
use crate::engine::view::median_thresholds;
use crate::pages::downloads::OverviewRows;
use crate::pages::later::{self, Later};
use crate::state::AppState;

/// Chart, leaderboard, then position consistency, downloads, share link.
#[component]
pub fn Overview() -> impl IntoView {
    let state = AppState::get();
    let rows = Memo::new(move |_| state.flat_rows());
    let models = Signal::derive(move || {
        rows.with(|r| r.iter().map(|r| r.model.clone()).collect::<Vec<_>>())
    });
    let medians = Signal::derive(move || rows.with(|r| median_thresholds(r)));
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
    provide_context(OverviewRows { rows, ranked });
    view! {
        <section class="overview">
            <ChartControls settings=state.view models=models medians=medians />
            <ChartFullscreen>
                <ScatterChart rows=rows settings=state.view dark=state.dark />
            </ChartFullscreen>
            <Leaderboard rows=rows />
            <Later load=later::downloads />
        </section>
    }
}
