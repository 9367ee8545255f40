//! The RC-vs-OA chart: one labelled point per model that has both figures.

use std::sync::Arc;

use leptos::prelude::*;

use crate::chart::family_colours;
use crate::chart::scatter::{scatter_svg, ScatterOptions, ScatterPoint};
use crate::engine::summary::ModelReport;
use crate::state::Reports;

/// Draws the chart with plotters and shows the SVG; says why when nothing can be drawn.
#[component]
pub fn ScatterChart(#[prop(into)] reports: Signal<Reports>) -> impl IntoView {
    let svg = Memo::new(move |_| {
        let points = points(&reports.get().0);
        if points.is_empty() {
            return None;
        }
        scatter_svg(&points, &ScatterOptions::default()).ok()
    });
    view! {
        <figure class="scatter-chart">
            {move || match svg.get() {
                Some(svg) => view! {
                    <div class="scatter-chart-svg" role="img"
                        aria-label="Rationale consistency against outcome accuracy, one point per model; the table below holds the same numbers"
                        inner_html=svg></div>
                }.into_any(),
                None => view! {
                    <p class="scatter-chart-empty">
                        "The chart needs a model with both figures: RC comes from a judged file, "
                        "OA from the model's verdicts and the human one ("<code>"overall_preference"</code>")."
                    </p>
                }.into_any(),
            }}
            <figcaption>
                "x: outcome accuracy; y: rationale consistency (mean one-to-one recall); "
                "whiskers: 95% bootstrap intervals; colour: model family."
            </figcaption>
        </figure>
    }
}

/// The points: every report with both RC and OA; names get their file added when a model
/// appears in several files.
fn points(reports: &[Arc<ModelReport>]) -> Vec<ScatterPoint> {
    let plotted: Vec<&ModelReport> = reports
        .iter()
        .map(AsRef::as_ref)
        .filter(|r| r.figures.rc.is_some() && r.figures.oa.is_some())
        .collect();
    let colours = family_colours(plotted.iter().map(|r| r.model.as_str()));
    plotted
        .iter()
        .zip(colours)
        .filter_map(|(r, colour)| {
            let repeated = plotted.iter().filter(|o| o.model == r.model).count() > 1;
            Some(ScatterPoint {
                label: if repeated {
                    format!("{} ({})", r.model, r.file)
                } else {
                    r.model.clone()
                },
                x: r.figures.oa?,
                y: r.figures.rc?,
                colour,
            })
        })
        .collect()
}
