//! Prices per million tokens and the optional budget that stops a run.

use leptos::prelude::*;

use super::number_field::NumberField;
use crate::runner::form::RunForm;

/// The cost part of the run form.
#[component]
pub fn CostForm(
    form: RwSignal<RunForm>,
    /// The fieldset's title; by default the runner's own.
    #[prop(optional, into)]
    legend: Option<String>,
    /// The budget field's label (by default the run's "Stop at budget $ "); `Some("")` leaves
    /// the field out (an evaluation's matcher: the evaluation has one budget, the candidate's).
    #[prop(optional)]
    budget_title: Option<&'static str>,
) -> impl IntoView {
    let legend = legend.unwrap_or_else(|| "Cost estimate".into());
    let budget_title = budget_title.unwrap_or("Stop at budget $ ");
    let number = move |get: fn(&RunForm) -> Option<f64>| Signal::derive(move || form.with(get));
    view! {
        <fieldset class="cost-form">
            <legend>{legend}</legend>
            <NumberField title="Input $ / M tokens " value=number(|f| Some(f.settings.prices.input_per_million))
                on_change=Callback::new(move |v: Option<f64>| form.update(|f| f.settings.prices.input_per_million = v.unwrap_or(0.0))) />
            <NumberField title="Output $ / M tokens " value=number(|f| Some(f.settings.prices.output_per_million))
                on_change=Callback::new(move |v: Option<f64>| form.update(|f| f.settings.prices.output_per_million = v.unwrap_or(0.0))) />
            {(!budget_title.is_empty()).then(|| view! {
                <NumberField title=budget_title value=number(|f| f.settings.budget) help="Empty: no budget"
                    on_change=Callback::new(move |v: Option<f64>| form.update(|f| f.settings.budget = v)) />
            })}
        </fieldset>
    }
}
