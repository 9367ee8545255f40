//! An evaluation's plan before it starts: calls, estimated tokens and cost per stage.

use leptos::prelude::*;

use crate::runner::stages::StageEstimate;

/// One table row per stage, a total, and the budget the stages share.
#[component]
pub fn EvalPlan(
    #[prop(into)] stages: Signal<Vec<StageEstimate>>,
    #[prop(into)] budget: Signal<Option<f64>>,
) -> impl IntoView {
    let total = move || stages.with(|s| s.iter().map(|e| e.cost).sum::<f64>());
    let calls = move || stages.with(|s| s.iter().map(|e| e.n_calls).sum::<usize>());
    view! {
        <table class="eval-plan">
            <caption>"Plan (tokens and cost are estimates from the prices given)"</caption>
            <thead><tr><th>"Stage"</th><th>"Calls"</th><th>"Tokens in"</th><th>"Tokens out"</th><th>"Cost"</th></tr></thead>
            <tbody>
                <For each=move || stages.get() key=|e| e.stage.key() let:estimate>
                    <tr data-stage=estimate.stage.key()>
                        <td>{estimate.stage.key()}</td>
                        <td data-key="calls">{estimate.n_calls}</td>
                        <td>{estimate.prompt_tokens}</td>
                        <td>{estimate.completion_tokens}</td>
                        <td>{format!("${:.4}", estimate.cost)}</td>
                    </tr>
                </For>
                <tr class="eval-plan-total"><td>"All"</td><td data-key="calls">{calls}</td><td></td><td></td><td>{move || format!("${:.4}", total())}</td></tr>
            </tbody>
        </table>
        <p class="hint">{move || stages.with(|s| s.first().map(|e| e.n_left_out)).filter(|n| *n != 0).map(|n| format!("{n} rows cannot be asked (no response to compare) and are left out. "))}
            {move || match budget.get() {
                Some(b) => format!("The evaluation stops at the budget of ${b:.2}, all stages together: each stage gets what the stages before it left."),
                None => "No budget: the stages run to the end.".to_string(),
            }}</p>
    }
}
