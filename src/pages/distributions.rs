//! Distributions: a histogram of per-row rationale consistency for each model.

use leptos::prelude::*;

use crate::chart::histogram::{histograms_svg, Histogram, HistogramOptions};
use crate::chart::FamilyColours;
use crate::components::chart_download::ChartDownload;
use crate::engine::metrics::RowOutcome;
use crate::engine::text::display_name;
use crate::state::AppState;

/// One histogram per model with scored rows.
#[component]
pub fn Distributions() -> impl IntoView {
    let state = AppState::get();
    let svg = Memo::new(move |_| {
        let reports = state.reports.get();
        let settings = state.view.get();
        let mut colours = FamilyColours::new(&settings);
        let hists: Vec<Histogram> = reports
            .0
            .iter()
            .filter_map(|r| {
                let values: Vec<f64> = r
                    .rows
                    .iter()
                    .filter_map(|row| match &row.outcome {
                        RowOutcome::Scored(s) => Some(s.rc),
                        _ => None,
                    })
                    .collect();
                if values.is_empty() {
                    return None;
                }
                Some(Histogram {
                    label: display_name(&r.model),
                    values,
                    colour: colours.of(&r.model),
                })
            })
            .collect();
        if hists.is_empty() {
            return None;
        }
        let options = HistogramOptions {
            dark: state.dark.get(),
            ..HistogramOptions::default()
        };
        let columns = 3.min(hists.len());
        let rows = hists.len().div_ceil(columns) as u32;
        histograms_svg(&hists, &options, columns)
            .ok()
            .map(|svg| (svg, options.width, options.panel_height * rows))
    });
    view! {
        <section class="distributions">
            <p class="hint">"Per-row rationale consistency (one-to-one recall) of every scored row, in tenths; panels share the count axis."</p>
            <figure>
                <div class="histograms-svg" role="img" aria-label="Histograms of per-row rationale consistency, one per model"
                    inner_html=move || svg.get().map(|s| s.0).unwrap_or_else(|| "<p>No scored rows yet: load a judged file or run the judge.</p>".into())></div>
                <ChartDownload svg=Signal::derive(move || svg.get()) name="metajudge-distributions" />
            </figure>
        </section>
    }
}
