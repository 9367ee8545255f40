//! The rows where two matchers' RC differ most, each with buttons that show both matchers'
//! matching side by side or open the row in the sample view.

use leptos::prelude::*;

use crate::engine::agreement::ModelAgreement;

/// What a button asks for: both matchings of a row of `model` (`Both`), or the row opened in
/// the sample view (`Open`), with matcher A's side when `true`.
#[derive(Clone, Debug, PartialEq)]
pub enum RowAction {
    Both {
        model: String,
        rank: usize,
    },
    Open {
        model: String,
        rank: usize,
        side_a: bool,
    },
}

/// The most different rows of every model, largest difference first within a model;
/// `openable` says whether each side's files can open in the sample view.
#[component]
pub fn DifferingRows(
    models: Vec<ModelAgreement>,
    openable: (bool, bool),
    on_action: Callback<RowAction>,
) -> impl IntoView {
    let rows: Vec<_> = models
        .iter()
        .flat_map(|m| {
            m.most_different
                .iter()
                .enumerate()
                .map(move |(rank, d)| (m.model.clone(), rank, d.clone()))
        })
        .filter(|(_, _, d)| d.abs_diff() > 0.0)
        .collect();
    let none = rows.is_empty();
    view! {
        <table class="differing-rows">
            <thead><tr><th scope="col">"Model"</th><th scope="col">"Row"</th><th scope="col">"Line (A / B)"</th><th scope="col">"RC A"</th><th scope="col">"RC B"</th><th scope="col">"|ΔRC|"</th><th scope="col">""</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|(model, rank, d)| {
                    let (both, open_a, open_b) = (model.clone(), model.clone(), model.clone());
                    let key = model.clone();
                    view! {
                        <tr data-model=key>
                            <td>{model}</td>
                            <td>{d.id.clone().unwrap_or_else(|| "–".into())}</td>
                            <td>{d.line_a} " / " {d.line_b}</td>
                            <td>{format!("{:.3}", d.rc_a)}</td>
                            <td>{format!("{:.3}", d.rc_b)}</td>
                            <td>{format!("{:.3}", d.abs_diff())}</td>
                            <td class="row-actions">
                                <button on:click=move |_| on_action.run(RowAction::Both { model: both.clone(), rank })>"Both matchings"</button>
                                <button disabled=!openable.0 on:click=move |_| on_action.run(RowAction::Open { model: open_a.clone(), rank, side_a: true })>"Open A"</button>
                                <button disabled=!openable.1 on:click=move |_| on_action.run(RowAction::Open { model: open_b.clone(), rank, side_a: false })>"Open B"</button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <Show when=move || none><p class="hint">"The two matchers give every joined row the same RC."</p></Show>
    }
}
