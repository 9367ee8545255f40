//! The sample view: one row at a time, with filters and keyboard navigation.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use web_sys::KeyboardEvent;

use crate::components::report_select::ReportSelect;
use crate::components::sample_card::SampleCard;
use crate::components::sample_filters::SampleFilters;
use crate::engine::dataset::LoadedFile;
use crate::engine::first_choices::ranked_choices;
use crate::engine::sample::{
    error_kinds, filter_rows, sample_view, shown_position, step_position, SampleFilter, SampleView,
};
use crate::engine::summary::ModelReport;
use crate::state::AppState;

/// Filters, position and the row.
#[component]
pub fn Samples() -> impl IntoView {
    let state = AppState::get();
    let focus = state.focus;
    let choices = Signal::derive(move || state.report_choices());
    // Nothing chosen yet: the leaderboard's first model, so the tab opens on a row.
    let chosen = Memo::new(move |_| {
        focus.with(|f| f.report.clone()).or_else(|| {
            ranked_choices(choices.get(), &state.flat_rows())
                .into_iter()
                .next()
        })
    });
    let filter = Memo::new(move |_| focus.with(|f| f.filter.clone()));
    let pick = Callback::new(move |report| {
        focus.update(|f| {
            f.report = report;
            f.position = 0;
            f.line = None;
        })
    });
    let set_filter = Callback::new(move |filter: SampleFilter| {
        focus.update(|f| {
            f.filter = filter;
            f.position = 0;
        })
    });
    let (found, kinds) = found_row(state, chosen, filter);
    let step = move |by: isize| {
        let Some(found) = found.get_untracked() else {
            return;
        };
        let next = step_position(found.position, by, found.n_rows);
        focus.update(|f| {
            f.position = next;
            f.line = None;
        });
    };
    let keydown = move |ev: KeyboardEvent| {
        let typing = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
            .is_some_and(|t| matches!(t.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        match ev.key().as_str() {
            "ArrowRight" | "j" if !typing => step(1),
            "ArrowLeft" | "k" if !typing => step(-1),
            _ => {}
        }
    };
    view! {
        <section class="samples" tabindex="0" on:keydown=keydown aria-label="sample view: left and right arrows (or j and k) step through the rows">
            <div class="samples-controls">
                <ReportSelect title="Model " choices=choices chosen=chosen on_pick=pick />
                <SampleFilters filter=filter on_change=set_filter kinds=Signal::derive(move || kinds.get().unwrap_or_default()) />
            </div>
            {move || match found.get() {
                None => view! { <p class="hint">"Choose a model with rows (a loaded file or a run); no row matches the filters otherwise."</p> }.into_any(),
                Some(f) => {
                    let (first, last) = (f.position == 0, f.position + 1 == f.n_rows);
                    view! {
                        <nav class="samples-nav">
                            <button on:click=move |_| step(-1) disabled=first>"← Previous"</button>
                            <span>"Row " {f.position + 1} " of " {f.n_rows} " (line " {f.view.line} ")"</span>
                            <button on:click=move |_| step(1) disabled=last>"Next →"</button>
                        </nav>
                        <SampleCard view=f.view />
                    }.into_any()
                }
            }}
        </section>
    }
}

/// The row on show and the error kinds of the report, as memos in a chain: the report and its
/// file (during a run, a rebuilt live view) change with the choice and the answers, the
/// filtered rows with the filter, and a step only picks another index of that list.
fn found_row(
    state: AppState,
    chosen: Memo<Option<(String, String)>>,
    filter: Memo<SampleFilter>,
) -> (Memo<Option<Found>>, Memo<Option<Vec<String>>>) {
    let focus = state.focus;
    let picked = Memo::new(move |_| {
        let (file, model) = chosen.get()?;
        let report = state.report_for(&file, &model)?;
        let file = state.file_for(&file, &model)?;
        Some(Picked { report, file })
    });
    let kinds = Memo::new(move |_| picked.with(|p| p.as_ref().map(|p| error_kinds(&p.report))));
    // Positions in the report's rows of those that pass the filter: once per filter change.
    let rows = Memo::new(move |_| {
        let options = state.options.get();
        let filter = filter.get();
        picked.with(|p| {
            p.as_ref()
                .map(|p| filter_rows(&p.file, &p.report, &filter, &options))
                .unwrap_or_default()
        })
    });
    // Where each of the model's answers is in the run's snapshot, so a step finds its text in
    // O(1). The texts are looked up by model as before, whichever report is shown.
    let answer_at = Memo::new(move |_| {
        let model = chosen.get().map(|c| c.1).unwrap_or_default();
        state.run.snapshot.with(|answers| {
            answers
                .iter()
                .enumerate()
                .filter(|(_, a)| a.model == model)
                .map(|(idx, a)| (a.line, idx))
                .collect::<HashMap<usize, usize>>()
        })
    });
    let found = Memo::new(move |_| {
        let (wanted_line, position) = focus.with(|f| (f.line, f.position));
        let picked = picked.get()?;
        let (position, row_pos, n_rows) = rows.with(|rows| {
            let position = shown_position(rows, &picked.report, wanted_line, position);
            Some((position, *rows.get(position)?, rows.len()))
        })?;
        let line = picked.report.rows.get(row_pos)?.line;
        let text = answer_at.with(|at| {
            let idx = *at.get(&line)?;
            state
                .run
                .snapshot
                .with(|answers| answers.get(idx).and_then(|a| a.text.clone()))
        });
        let options = state.options.get();
        let view = sample_view(
            &picked.file,
            &picked.report,
            row_pos,
            text.as_deref(),
            &options,
        )?;
        Some(Found {
            view,
            position,
            n_rows,
        })
    });
    (found, kinds)
}

/// The report looked at and the file it was computed from, compared by identity so that the
/// memos below never walk the rows to compare them.
#[derive(Clone, Debug)]
struct Picked {
    report: Arc<ModelReport>,
    file: Arc<LoadedFile>,
}

impl PartialEq for Picked {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.report, &other.report) && Arc::ptr_eq(&self.file, &other.file)
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Found {
    view: SampleView,
    position: usize,
    n_rows: usize,
}
