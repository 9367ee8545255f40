//! The sample view: one row at a time, with filters and keyboard navigation.

use leptos::prelude::*;
use web_sys::KeyboardEvent;

use crate::components::report_select::ReportSelect;
use crate::components::sample_card::SampleCard;
use crate::components::sample_filters::SampleFilters;
use crate::engine::judged::JudgedAnswer;
use crate::engine::sample::{error_kinds, filter_rows, sample_view, SampleView};
use crate::state::AppState;

/// Filters, position and the row.
#[component]
pub fn Samples() -> impl IntoView {
    let state = AppState::get();
    let focus = state.focus;
    let choices = Signal::derive(move || state.report_choices());
    let chosen = Signal::derive(move || focus.with(|f| f.report.clone()));
    let pick = Callback::new(move |report| {
        focus.update(|f| {
            f.report = report;
            f.position = 0;
            f.line = None;
        })
    });
    // The rows that pass the filter (positions into the report's rows), and the one shown.
    let found = Memo::new(move |_| {
        let (file_name, model) = focus.with(|f| f.report.clone())?;
        let report = state
            .reports
            .get()
            .0
            .iter()
            .find(|r| r.file == file_name && r.model == model)
            .cloned()?;
        let file = state.file_for(&file_name, &model)?;
        let options = state.options.get();
        let rows = focus.with(|f| filter_rows(&file, &report, &f.filter, &options));
        let kinds = error_kinds(&report);
        let wanted_line = focus.with_untracked(|f| f.line);
        let position = wanted_line
            .and_then(|line| rows.iter().position(|&p| report.rows[p].line == line))
            .unwrap_or_else(|| focus.with(|f| f.position))
            .min(rows.len().saturating_sub(1));
        let row_pos = *rows.get(position)?;
        let answers: Vec<JudgedAnswer> = state
            .run
            .snapshot
            .get()
            .iter()
            .filter(|a| a.model == model)
            .cloned()
            .collect();
        let line = report.rows[row_pos].line;
        let text = answers
            .iter()
            .find(|a| a.line == line)
            .and_then(|a| a.text.clone());
        let view = sample_view(&file, &report, row_pos, text.as_deref(), &options)?;
        Some(Found {
            view,
            position,
            n_rows: rows.len(),
            kinds,
        })
    });
    let step = move |by: isize| {
        let Some(found) = found.get_untracked() else {
            return;
        };
        let next = (found.position as isize + by).clamp(0, found.n_rows as isize - 1) as usize;
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
                <SampleFilters focus=focus kinds=Signal::derive(move || found.get().map(|f| f.kinds).unwrap_or_default()) />
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

#[derive(Clone, Debug, PartialEq)]
struct Found {
    view: SampleView,
    position: usize,
    n_rows: usize,
    kinds: Vec<String>,
}
