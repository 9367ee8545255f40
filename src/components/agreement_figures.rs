//! The figures of agreement across models: the line, R^2, RMSE and the rank correlations, each
//! a number or why there is none, with its exact value in `data-value` for tests and tools.

use leptos::prelude::*;

use crate::chart::agreement::measure_text;
use crate::engine::agreement::{MatcherAgreement, Measure};

/// The figures of `agreement` as a definition list.
#[component]
pub fn AgreementFigures(agreement: MatcherAgreement) -> impl IntoView {
    let fit = agreement.fit;
    let figures: [(&str, &str, Measure); 6] = [
        ("slope", "Slope", fit.slope),
        ("intercept", "Intercept", fit.intercept),
        ("r2", "R^2", fit.r2),
        ("rmse", "RMSE of B − A", fit.rmse),
        ("spearman", "Spearman's rho", agreement.spearman),
        ("kendall_tau_b", "Kendall's tau-b", agreement.kendall_tau_b),
    ];
    let left_out = [("only A", &agreement.only_a), ("only B", &agreement.only_b)]
        .into_iter()
        .filter(|(_, models)| !models.is_empty())
        .map(|(side, models)| format!("{side}: {}", models.join(", ")))
        .collect::<Vec<_>>();
    view! {
        <dl class="agreement-figures" data-models=agreement.models.len()>
            {figures.into_iter().map(|(key, title, measure)| {
                let value = measure.map_or("undefined".to_string(), |v| v.to_string());
                view! {
                    <div data-figure=key data-value=value>
                        <dt>{title}</dt>
                        <dd class:undefined=measure.is_err()>{measure_text(&measure)}</dd>
                    </div>
                }
            }).collect_view()}
        </dl>
        <p class="hint">{format!("{} models scored by both matchers.", agreement.models.len())}
            {(!left_out.is_empty()).then(|| format!(" Left out (one matcher only): {}.", left_out.join("; ")))}</p>
    }
}
