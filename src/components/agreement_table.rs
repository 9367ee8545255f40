//! Per model, how far the two matchers agree row by row: both RC, the rows and items compared,
//! the mean |dRC| and the weighted kappa. Each cell's exact value is in `data-value`.

use leptos::prelude::*;

use crate::chart::agreement::measure_text;
use crate::engine::agreement::{Measure, ModelAgreement, Undefined};

/// One row per model both matchers scored.
#[component]
pub fn AgreementTable(models: Vec<ModelAgreement>) -> impl IntoView {
    view! {
        <table class="agreement-table">
            <thead>
                <tr>
                    <th scope="col">"Model"</th><th scope="col">"RC A"</th><th scope="col">"RC B"</th>
                    <th scope="col">"Rows"</th><th scope="col">"Items"</th>
                    <th scope="col">"Mean |ΔRC|"</th><th scope="col">"Weighted kappa"</th>
                </tr>
            </thead>
            <tbody>
                {models.into_iter().map(|m| view! {
                    <tr data-model=m.model.clone()>
                        <th scope="row">{m.model.clone()}</th>
                        {cell("rc_a", m.rc_a.ok_or(Undefined::NoValues))}
                        {cell("rc_b", m.rc_b.ok_or(Undefined::NoValues))}
                        <td data-key="rows" data-value=m.rows>{m.rows}</td>
                        <td data-key="items" data-value=m.items>{m.items}</td>
                        {cell("mean_abs_diff", m.mean_abs_diff)}
                        {cell("kappa_w", m.kappa_w)}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A figure's cell: three decimals, or why it is undefined (the reason also as its tooltip).
fn cell(key: &'static str, measure: Measure) -> impl IntoView {
    let value = measure.map_or("undefined".to_string(), |v| v.to_string());
    let text = match measure {
        Ok(v) => format!("{v:.3}"),
        Err(_) => "undefined".to_string(),
    };
    view! {
        <td data-key=key data-value=value title=measure.is_err().then(|| measure_text(&measure))>{text}</td>
    }
}
