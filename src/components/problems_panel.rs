//! Everything that went wrong or was left out, with counts and line numbers, in a panel the
//! user opens when they want to see it.

use leptos::prelude::*;

use crate::engine::problems::{ProblemGroup, Severity};

/// The problems of one file or one (file, model) pair.
#[derive(Clone, Debug, PartialEq)]
pub struct ProblemSet {
    pub title: String,
    pub notes: Vec<String>,
    pub groups: Vec<ProblemGroup>,
}

/// Most line numbers listed per group; the rest are counted.
const MAX_LINES_SHOWN: usize = 200;

/// A closed panel whose summary gives the totals.
#[component]
pub fn ProblemsPanel(#[prop(into)] sets: Signal<Vec<ProblemSet>>) -> impl IntoView {
    let total = move |severity: Severity| {
        sets.with(|sets| {
            sets.iter()
                .flat_map(|s| &s.groups)
                .filter(|g| g.severity == severity)
                .map(|g| g.lines.len())
                .sum::<usize>()
        })
    };
    let summary = move || {
        format!(
            "Problems: {} unreadable line(s), {} error row(s), {} skipped row(s), {} verdict problem(s)",
            total(Severity::BadLine),
            total(Severity::Error),
            total(Severity::Skipped),
            total(Severity::Verdict)
        )
    };
    view! {
        <details class="problems-panel">
            <summary>{summary}</summary>
            {move || sets.get().into_iter().filter(|s| !s.groups.is_empty() || !s.notes.is_empty()).map(|set| view! {
                <section class="problem-set">
                    <h3>{set.title}</h3>
                    <ul class="problem-notes">{set.notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                    {set.groups.into_iter().map(problem_group).collect_view()}
                </section>
            }).collect_view()}
        </details>
    }
}

fn problem_group(group: ProblemGroup) -> impl IntoView {
    let n = group.lines.len();
    let more = n.saturating_sub(MAX_LINES_SHOWN);
    let class = format!("problem-group problem-{:?}", group.severity).to_lowercase();
    view! {
        <div class=class>
            <p><strong>{n}</strong> " × " {group.kind}</p>
            <ol class="problem-lines">
                {group.lines.into_iter().take(MAX_LINES_SHOWN).map(|(line, message)| view! {
                    <li data-line=line>"line " {line} ": " {message}</li>
                }).collect_view()}
            </ol>
            {(more > 0).then(|| view! { <p>"… and " {more} " more"</p> })}
        </div>
    }
}
