//! What an import of batch results read: per model, answers taken, failed calls, duplicates
//! ignored; then the lines that changed nothing, with their file and line number.

use leptos::prelude::*;

use crate::engine::batch::summary::{Counts, ImportSummary};

/// Lines listed before the rest is only counted.
const MAX_PROBLEMS: usize = 50;

/// The summary of the last import, if any.
#[component]
pub fn BatchSummary(#[prop(into)] summary: Signal<Option<ImportSummary>>) -> impl IntoView {
    move || {
        summary.get().map(|s| {
            let n_more = s.problems.len().saturating_sub(MAX_PROBLEMS);
            let problems: Vec<String> = s
                .problems
                .iter()
                .take(MAX_PROBLEMS)
                .map(ToString::to_string)
                .collect();
            view! {
                <div class="batch-summary" aria-live="polite">
                    <table>
                        <thead><tr><th>"Model"</th><th>"Answered"</th><th>"Unreadable"</th><th>"Failed"</th><th>"Duplicates ignored"</th></tr></thead>
                        <tbody>
                            {s.per_model.iter().map(|(model, c)| row(model, c, false)).collect_view()}
                            {row("total", &s.total, true)}
                        </tbody>
                    </table>
                    <p class="batch-problems-count" data-foreign=s.n_foreign() data-broken=s.n_broken()>
                        {s.n_foreign()} " lines not from this run, " {s.n_broken()} " broken lines"
                    </p>
                    <ul class="batch-problems">
                        {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                    {(n_more > 0).then(|| view! { <p class="hint">"and " {n_more} " more"</p> })}
                </div>
            }
        })
    }
}

fn row(model: &str, c: &Counts, total: bool) -> impl IntoView {
    view! {
        <tr class="batch-counts" class:total=total data-model=model.to_string()>
            <td>{model.to_string()}</td>
            <td data-key="answered">{c.answered}</td>
            <td data-key="unreadable">{c.unreadable}</td>
            <td data-key="failed">{c.failed}</td>
            <td data-key="duplicates">{c.duplicates}</td>
        </tr>
    }
}
