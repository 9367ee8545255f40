//! Position consistency beside the leaderboard: for each model judged in both orders (the
//! pipeline's swap stage, or `metajudge genrm --swap`), the share of rows whose two verdicts
//! name the same better response.

use leptos::prelude::*;

use super::model_name::ModelName;
use crate::engine::pipeline::Consistency;

/// One line per (file, model, consistency); nothing when no model was judged in both orders.
#[component]
pub fn PositionTable(
    #[prop(into)] rows: Signal<Vec<(String, String, Consistency)>>,
) -> impl IntoView {
    let line = |(file, model, c): (String, String, Consistency)| {
        let share = c.share.map_or_else(
            || "-".to_string(),
            |s| format!("{:.3} [{:.3}, {:.3}]", s.mean, s.lo, s.hi),
        );
        let (model_attr, file_attr) = (model.clone(), file.clone());
        view! {
            <tr data-model=model_attr data-file=file_attr>
                <th scope="row"><ModelName name=model class="model-name" /><ModelName name=file class="file-name" /></th>
                <td data-key="position_consistency">{share}</td>
                <td>{c.n_rows}</td>
                <td>{c.n_left_out}</td>
            </tr>
        }
    };
    view! {
        <Show when=move || rows.with(|r| !r.is_empty())>
            <table class="position-table">
                <caption>"Position consistency: the same verdict with Response A and B swapped (95% interval)"</caption>
                <thead><tr><th scope="col">"Model"</th><th scope="col">"Consistency"</th><th scope="col">"Rows, both orders"</th><th scope="col">"Left out"</th></tr></thead>
                <tbody>{move || rows.get().into_iter().map(line).collect_view()}</tbody>
            </table>
        </Show>
    }
}
