//! Paired comparison: two models on the rows both have, the difference in RC and OA with its
//! bootstrap interval, and the rows where they differ most.

use leptos::prelude::*;

use crate::components::paired_summary::PairedSummary;
use crate::components::report_select::ReportSelect;
use crate::engine::first_choices::ranked_choices;
use crate::engine::paired::{compare, Paired};
use crate::engine::tabs::Tab;
use crate::state::AppState;

/// Two pickers and what their comparison shows.
#[component]
pub fn Compare() -> impl IntoView {
    let state = AppState::get();
    let picked_a = RwSignal::new(None::<(String, String)>);
    let picked_b = RwSignal::new(None::<(String, String)>);
    let choices = Signal::derive(move || state.report_choices());
    // Until the user picks, the top two by RC (the leaderboard's first order).
    let top = Memo::new(move |_| ranked_choices(choices.get(), &state.flat_rows()));
    let a = Memo::new(move |_| picked_a.get().or_else(|| top.with(|t| t.first().cloned())));
    let b = Memo::new(move |_| picked_b.get().or_else(|| top.with(|t| t.get(1).cloned())));
    let paired = Memo::new(move |_| {
        let (a, b) = (a.get()?, b.get()?);
        let report_a = state.report_for(&a.0, &a.1)?;
        let report_b = state.report_for(&b.0, &b.1)?;
        let file_a = state.file_for(&a.0, &a.1)?;
        let file_b = state.file_for(&b.0, &b.1)?;
        Some(PairedResult(compare(
            &file_a,
            &report_a,
            &file_b,
            &report_b,
            &state.options.get(),
        )))
    });
    let open = Callback::new(move |(which, line): (bool, usize)| {
        let report = if which {
            a.get_untracked()
        } else {
            b.get_untracked()
        };
        state.focus.update(|f| {
            f.report = report;
            f.filter = Default::default();
            f.line = Some(line);
        });
        state.tab.set(Tab::Samples);
    });
    view! {
        <section class="compare">
            <div class="compare-pickers">
                <ReportSelect title="Model A " choices=choices chosen=a on_pick=Callback::new(move |v| picked_a.set(v)) />
                <ReportSelect title="Model B " choices=choices chosen=b on_pick=Callback::new(move |v| picked_b.set(v)) />
            </div>
            {move || match (paired.get(), a.get(), b.get()) {
                (Some(PairedResult(p)), Some(a), Some(b)) => view! { <PairedSummary paired=p name_a=a.1 name_b=b.1 on_open=open /> }.into_any(),
                _ => view! { <p class="hint">"Choose two models (with rows: loaded files or a run) to compare them on the rows both have."</p> }.into_any(),
            }}
        </section>
    }
}

/// A comparison, compared by value for the memo.
#[derive(Clone, Debug)]
struct PairedResult(Paired);

impl PartialEq for PairedResult {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
