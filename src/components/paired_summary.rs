//! What a paired comparison found: both models' figures on the common rows, the differences
//! with their intervals, and the rows where the two differ most.

use leptos::prelude::*;

use crate::engine::paired::{Paired, PairedRow};
use crate::engine::summary::Stat;

/// The comparison's numbers and its most different rows; `on_open` gets (model A?, line).
#[component]
pub fn PairedSummary(
    paired: Paired,
    name_a: String,
    name_b: String,
    on_open: Callback<(bool, usize)>,
) -> impl IntoView {
    let figure = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{x:.3}"));
    let rows = paired.most_different.clone();
    view! {
        <div class="paired-summary">
            <p>{paired.n_common} " rows in common; " {paired.n_rc} " scored for both; " {paired.n_oa} " counted for OA for both."</p>
            <Show when=move || paired.n_common == 0>
                <p class="hint">"These two share no rows. Rows line up by their " <code>"id"</code> " and human checklist: compare models judged on the same data set."</p>
            </Show>
            <table>
                <thead><tr><th scope="col">""</th><th scope="col">{name_a.clone()}</th><th scope="col">{name_b.clone()}</th><th scope="col">"A − B (95% CI)"</th></tr></thead>
                <tbody>
                    <tr><th scope="row">"RC"</th><td>{figure(paired.rc_a)}</td><td>{figure(paired.rc_b)}</td><td data-key="rc_diff">{difference(paired.rc_diff)}</td></tr>
                    <tr><th scope="row">"OA"</th><td>{figure(paired.oa_a)}</td><td>{figure(paired.oa_b)}</td><td data-key="oa_diff">{difference(paired.oa_diff)}</td></tr>
                </tbody>
            </table>
            <h3>"Rows where they differ most"</h3>
            <table class="paired-rows">
                <thead><tr><th scope="col">"Line (A / B)"</th><th scope="col">"RC A"</th><th scope="col">"RC B"</th><th scope="col">"A right?"</th><th scope="col">"B right?"</th><th scope="col">""</th></tr></thead>
                <tbody>{rows.into_iter().map(|row| paired_row(row, on_open)).collect_view()}</tbody>
            </table>
        </div>
    }
}

fn paired_row(row: PairedRow, on_open: Callback<(bool, usize)>) -> impl IntoView {
    let figure = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{x:.3}"));
    let right = |x: Option<bool>| match x {
        Some(true) => "yes",
        Some(false) => "no",
        None => "–",
    };
    let (line_a, line_b) = (row.line_a, row.line_b);
    view! {
        <tr>
            <td>{line_a} " / " {line_b}</td>
            <td>{figure(row.rc_a)}</td>
            <td>{figure(row.rc_b)}</td>
            <td>{right(row.oa_a)}</td>
            <td>{right(row.oa_b)}</td>
            <td>
                <button on:click=move |_| on_open.run((true, line_a))>"Open A"</button>
                <button on:click=move |_| on_open.run((false, line_b))>"Open B"</button>
            </td>
        </tr>
    }
}

/// A difference with its interval, and whether the interval leaves out zero.
fn difference(stat: Option<Stat>) -> String {
    match stat {
        None => "–".into(),
        Some(s) => {
            let clear = s.lo > 0.0 || s.hi < 0.0;
            format!(
                "{:+.3} [{:+.3}, {:+.3}]{}",
                s.mean,
                s.lo,
                s.hi,
                if clear { " (interval excludes 0)" } else { "" }
            )
        }
    }
}
