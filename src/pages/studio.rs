//! The one screen: files in (and the judge runner), figures out, in tabs.

use leptos::prelude::*;

use crate::components::demo_banner::DemoBanner;
use crate::components::leaderboard::intervals_attr;
use crate::components::shared_banner::SharedBanner;
use crate::components::side_panel::SidePanel;
use crate::components::tab_bar::TabBar;
use crate::engine::tabs::Tab;
use crate::pages::later::{self, Later};
use crate::pages::overview::Overview;
use crate::state::AppState;

/// Header; a side panel of inputs, runner and scoring; the results in tabs (the chart and the
/// leaderboard first) and the problems panel. All but the overview's chart and leaderboard
/// come a moment later ([`later`]).
#[component]
pub fn Studio() -> impl IntoView {
    let state = AppState::get();
    let shared = move || state.shared.with(Option::is_some);
    let has_results = move || shared() || !state.reports.get().0.is_empty();
    // Whether some report waits for its intervals from the engine worker, whichever tab is
    // open.
    let intervals = move || {
        intervals_attr(
            state
                .reports
                .with(|r| r.0.iter().any(|report| report.intervals_pending)),
        )
    };
    // A share link has figures but no rows: only the overview makes sense.
    let enabled = Signal::derive(move || {
        if shared() {
            vec![Tab::Overview]
        } else {
            Tab::ALL.to_vec()
        }
    });
    let empty_text = move || {
        if state.opening_share.get() {
            "Opening the shared figures…"
        } else {
            "No figures yet: load a file."
        }
    };
    let side_open = RwSignal::new(true);
    let panel = move || match state.tab.get() {
        Tab::Overview => view! { <Overview /> }.into_any(),
        Tab::Breakdowns => view! { <Later load=later::breakdowns /> }.into_any(),
        Tab::Compare => view! { <Later load=later::compare /> }.into_any(),
        Tab::Samples => view! { <Later load=later::samples /> }.into_any(),
        Tab::Distributions => view! { <Later load=later::distributions /> }.into_any(),
        Tab::Agreement => view! { <Later load=later::agreement /> }.into_any(),
    };
    view! {
        <main class="studio" data-intervals=intervals>
            <header class="studio-header">
                <h1>"MetaJudge Studio"</h1>
                <p>"Does your judge pick the right response for the right reasons? Rationale consistency "
                   "(RC) against outcome accuracy (OA), after Wang et al., arXiv 2602.04649."</p>
            </header>
            <div class="studio-layout" class:panel-folded=move || !side_open.get()>
                <SidePanel open=side_open>
                    <Later load=later::panel />
                </SidePanel>
                <div class="studio-results">
                    <DemoBanner visible=Signal::derive(move || state.showing_demo()) />
                    <SharedBanner shared=state.shared />
                    <Show when=has_results fallback=move || view! { <p class="empty">{empty_text}</p> }>
                        <TabBar current=state.tab enabled=enabled />
                        <div class="tab-panel" role="tabpanel" aria-labelledby=move || state.tab.get().id()>{panel}</div>
                        <Later load=later::problems />
                    </Show>
                </div>
            </div>
        </main>
    }
}
