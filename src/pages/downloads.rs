//! Under the overview's leaderboard: position consistency, the leaderboard's downloads, the
//! standalone report and the share link.

use leptos::prelude::*;

use crate::components::leaderboard_export::LeaderboardExport;
use crate::components::position_table::PositionTable;
use crate::components::report_download::ReportDownload;
use crate::components::share_box::ShareBox;
use crate::engine::export::FlatReport;
use crate::engine::pipeline::file_consistencies;
use crate::state::AppState;

/// The overview's rows, as its leaderboard shows them and in the chart's order; the overview
/// provides them to what is under it.
#[derive(Clone, Copy)]
pub struct OverviewRows {
    pub rows: Memo<Vec<FlatReport>>,
    pub ranked: Signal<Vec<FlatReport>>,
}

/// Position consistency, the leaderboard's downloads, the report, the share link.
#[component]
pub fn Downloads() -> impl IntoView {
    let state = AppState::get();
    let OverviewRows { rows, ranked } = expect_context();
    let run = Signal::derive(move || {
        state
            .run
            .current
            .with(|c| c.as_ref().map(|c| c.info.clone()))
    });
    let positions = Signal::derive(move || {
        let options = state.options.get();
        state.sources.with(|sources| {
            sources
                .iter()
                .flat_map(|s| {
                    file_consistencies(&s.file, options.resamples, options.seed)
                        .into_iter()
                        .map(|(model, c)| (s.file.name.clone(), model, c))
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <PositionTable rows=positions />
        <LeaderboardExport rows=rows />
        <ReportDownload rows=ranked settings=state.view options=state.options sources=state.sources run=run />
        <ShareBox rows=ranked settings=state.view />
    }
}
