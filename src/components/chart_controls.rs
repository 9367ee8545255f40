//! The chart's choices: the figure on the y axis, the paper's reference marks, the alignment
//! zones, and each model's family and each family's colour.

use leptos::prelude::*;

use super::zone_controls::ZoneControls;
use crate::chart::PALETTE;
use crate::engine::figure::Figure;
use crate::engine::view::{to_hex, ChartSettings, ZoneThresholds};

/// Edits `settings` in place; `models` are the models on the chart, `medians` the zones'
/// thresholds by default.
#[component]
pub fn ChartControls(
    settings: RwSignal<ChartSettings>,
    #[prop(into)] models: Signal<Vec<String>>,
    #[prop(into)] medians: Signal<Option<ZoneThresholds>>,
) -> impl IntoView {
    let families = move || {
        let mut seen: Vec<String> = Vec::new();
        for model in models.get() {
            let family = settings.with(|s| s.family(&model).to_string());
            if !seen.contains(&family) {
                seen.push(family);
            }
        }
        seen
    };
    view! {
        <fieldset class="chart-controls">
            <legend>"Chart"</legend>
            <label>
                "y axis "
                <select on:change=move |ev| {
                    let key = event_target_value(&ev);
                    let y = Figure::chart_choices().find(|f| f.key() == key).unwrap_or_default();
                    settings.update(|s| s.y = y);
                }>
                    {Figure::chart_choices().map(|f| view! {
                        <option value=f.key() selected=move || settings.with(|s| s.y == f)>{f.title()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                <input type="checkbox" prop:checked=move || settings.with(|s| s.paper_marks)
                    on:change=move |ev| settings.update(|s| s.paper_marks = event_target_checked(&ev)) />
                " Show the paper's stated RC figures (reference marks, on the RC axis)"
            </label>
            <ZoneControls settings=settings medians=medians />
            <details class="family-editor">
                <summary>"Families and colours"</summary>
                <div class="family-editor-grid">
                    {move || models.get().into_iter().map(|model| family_field(settings, model)).collect_view()}
                </div>
                <div class="family-editor-grid">
                    {move || families().into_iter().enumerate().map(|(i, family)| colour_field(settings, family, i)).collect_view()}
                </div>
            </details>
        </fieldset>
    }
}

fn family_field(settings: RwSignal<ChartSettings>, model: String) -> impl IntoView {
    let shown = {
        let model = model.clone();
        move || settings.with(|s| s.family(&model).to_string())
    };
    let label = format!("{model} is in family ");
    let change = move |ev: web_sys::Event| {
        let family = event_target_value(&ev).trim().to_string();
        settings.update(|s| {
            s.families.retain(|(m, _)| *m != model);
            if !family.is_empty() {
                s.families.push((model.clone(), family));
            }
        });
    };
    view! { <label>{label} <input type="text" size="12" prop:value=shown on:change=change /></label> }
}

fn colour_field(
    settings: RwSignal<ChartSettings>,
    family: String,
    position: usize,
) -> impl IntoView {
    let default = to_hex(PALETTE[position % PALETTE.len()]);
    let shown = {
        let family = family.clone();
        move || {
            settings.with(|s| {
                s.colour(&family)
                    .map(to_hex)
                    .unwrap_or_else(|| default.clone())
            })
        }
    };
    let label = format!("colour of {family} ");
    let change = move |ev: web_sys::Event| {
        let colour = event_target_value(&ev);
        settings.update(|s| {
            s.colours.retain(|(f, _)| *f != family);
            s.colours.push((family.clone(), colour));
        });
    };
    view! { <label>{label} <input type="color" prop:value=shown on:change=change /></label> }
}
