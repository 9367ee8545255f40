//! The headline chart (the paper's Figure 1): OA against RC (or another figure), one labelled
//! point per model with 95% whiskers, and a focusable, hoverable marker over each point that
//! tells its numbers, so the chart reads by mouse, keyboard and screen reader alike.

use leptos::prelude::*;

use super::chart_download::ChartDownload;
use crate::chart::scatter::{scatter, Scatter, ScatterOptions, ScatterPoint};
use crate::chart::FamilyColours;
use crate::engine::export::FlatReport;
use crate::engine::pipeline::MARK_SUFFIX;
use crate::engine::text::display_name;
use crate::engine::view::{oa_stat, ChartSettings, AUTHENTIC_ZONE, TRAP_ZONE};

/// One plotted model: its point and the words its marker says.
#[derive(Clone, Debug, PartialEq)]
struct Plotted {
    point: ScatterPoint,
    description: String,
}

/// The chart of `rows` as `settings` say.
#[component]
pub fn ScatterChart(
    #[prop(into)] rows: Signal<Vec<FlatReport>>,
    #[prop(into)] settings: Signal<ChartSettings>,
    #[prop(into)] dark: Signal<bool>,
) -> impl IntoView {
    let plotted = Memo::new(move |_| settings.with(|s| rows.with(|r| plotted(r, s))));
    let drawn = Memo::new(move |_| {
        let points: Vec<ScatterPoint> =
            plotted.with(|p| p.iter().map(|p| p.point.clone()).collect());
        let options =
            settings.with(|s| rows.with(|r| ScatterOptions::for_settings(s, r, dark.get())));
        scatter(&points, &options).ok().map(SvgChart)
    });
    let zones = move || {
        let t = settings.with(|s| rows.with(|r| s.zones.thresholds(s.y, r)))?;
        Some(format!(
            "; shaded: {AUTHENTIC_ZONE} (OA at least {:.3}, RC at least {:.3}) and {TRAP_ZONE} (OA at least {:.3}, RC below {:.3})",
            t.oa, t.rc, t.oa, t.rc
        ))
    };
    let active = RwSignal::new(None::<usize>);
    let svg = Signal::derive(move || {
        drawn.with(|d| d.as_ref().map(|d| (d.0.svg.clone(), d.0.width, d.0.height)))
    });
    view! {
        <figure class="scatter-chart">
            {move || match drawn.get() {
                None => view! {
                    <p class="scatter-chart-empty">
                        "The chart needs a model with both figures: RC comes from a judged file, "
                        "OA from the model's verdicts and the human one (" <code>"overall_preference"</code> ")."
                    </p>
                }.into_any(),
                Some(SvgChart(chart)) => view! {
                    <div class="scatter-chart-area">
                        <div class="scatter-chart-svg" aria-hidden="true" inner_html=chart.svg.clone()></div>
                        {markers(&chart, plotted.get(), active)}
                    </div>
                }.into_any(),
            }}
            <figcaption>
                "x: outcome accuracy; y: " {move || settings.with(|s| s.y.title())} {zones}
                "; whiskers: 95% bootstrap intervals; colour: model family. Each point can be focused (Tab) for its numbers; the leaderboard holds them all."
            </figcaption>
            <ChartDownload svg=svg name="metajudge-chart" />
        </figure>
    }
}

/// The chart's SVG as the page draws it for `rows` and `settings` (the report holds it too);
/// `None` when no model has both figures.
pub fn chart_svg(rows: &[FlatReport], settings: &ChartSettings, dark: bool) -> Option<String> {
    let points: Vec<ScatterPoint> = plotted(rows, settings)
        .into_iter()
        .map(|p| p.point)
        .collect();
    let options = ScatterOptions::for_settings(settings, rows, dark);
    scatter(&points, &options).ok().map(|chart| chart.svg)
}

/// A drawn chart, compared by its SVG text.
#[derive(Clone, Debug)]
struct SvgChart(Scatter);

impl PartialEq for SvgChart {
    fn eq(&self, other: &Self) -> bool {
        self.0.svg == other.0.svg
    }
}

fn markers(
    chart: &Scatter,
    plotted: Vec<Plotted>,
    active: RwSignal<Option<usize>>,
) -> impl IntoView {
    let (w, h) = (f64::from(chart.width), f64::from(chart.height));
    chart
        .points_px
        .iter()
        .zip(plotted)
        .enumerate()
        .map(|(i, (&(x, y), p))| {
            let style = format!("left: {:.3}%; top: {:.3}%", 100.0 * x / w, 100.0 * y / h);
            let (label, tip) = (p.description.clone(), p.description.clone());
            view! {
                <button class="chart-point" style=style aria-label=label data-model=p.point.label.clone()
                    on:mouseenter=move |_| active.set(Some(i)) on:mouseleave=move |_| active.set(None)
                    on:focus=move |_| active.set(Some(i)) on:blur=move |_| active.set(None)>
                    <Show when=move || active.get() == Some(i)>
                        <span class="chart-tooltip" role="tooltip">{tip.clone()}</span>
                    </Show>
                </button>
            }
        })
        .collect_view()
}

/// The models with both figures, coloured by family (the user's colours first).
fn plotted(rows: &[FlatReport], settings: &ChartSettings) -> Vec<Plotted> {
    let mut colours = FamilyColours::new(settings);
    rows.iter()
        .filter_map(|r| {
            let (x, y) = (oa_stat(r)?, settings.y.stat(r)?);
            let colour = colours.of(&r.model);
            let repeated = rows.iter().filter(|o| o.model == r.model).count() > 1;
            // Figures from structured answers are not the reference method's: the point says so
            // first, so that a label cut to fit keeps it.
            let file = r.file.strip_suffix(MARK_SUFFIX);
            let model = display_name(&r.model);
            let label = match (repeated, file) {
                (false, None) => model,
                (false, Some(_)) => format!("{model} (JSON answers)"),
                (true, None) => format!("{model} ({})", display_name(&r.file)),
                (true, Some(file)) => format!("{model} (JSON answers, {})", display_name(file)),
            };
            let description = format!(
                "{label}: {} {:.3} [{:.3}, {:.3}], OA {:.3} [{:.3}, {:.3}], {} rows scored, {} OA rows",
                settings.y.key().to_uppercase(), y.mean, y.lo, y.hi, x.mean, x.lo, x.hi, r.valid, r.oa_rows
            );
            Some(Plotted { point: ScatterPoint { label, x, y, colour }, description })
        })
        .collect()
}
