//! The "Download report" button: the chart, the leaderboard, the settings and the method note as
//! one HTML file that opens offline (written by `engine::report`).

use leptos::prelude::*;

use super::download::download_text;
use super::scatter_chart::chart_svg;
use crate::engine::export::FlatReport;
use crate::engine::report::{
    files_section, report_html, ReportChart, ReportInput, SettingsSection,
};
use crate::engine::source::Source;
use crate::engine::summary::Options;
use crate::engine::view::ChartSettings;
use crate::runner::plan::RunInfo;

/// Everything the report shows, as the page has it; `run` is the current run, if any.
#[component]
pub fn ReportDownload(
    #[prop(into)] rows: Signal<Vec<FlatReport>>,
    #[prop(into)] settings: Signal<ChartSettings>,
    #[prop(into)] options: Signal<Options>,
    #[prop(into)] sources: Signal<Vec<Source>>,
    #[prop(into)] run: Signal<Option<RunInfo>>,
) -> impl IntoView {
    let save = move |_| {
        let input = rows.with_untracked(|rows| {
            settings.with_untracked(|view| ReportInput {
                created: js_sys::Date::new_0().to_iso_string().into(),
                chart: chart_svg(rows, view, false).map(|light| ReportChart {
                    light,
                    dark: chart_svg(rows, view, true),
                }),
                y_title: view.y.title().into(),
                settings: sections(rows, view, options, sources, run),
                rows: rows.clone(),
            })
        });
        download_text("metajudge-report.html", "text/html", &report_html(&input));
    };
    view! {
        <div class="report-download">
            <button on:click=save title="The chart, the leaderboard, the settings and a method note in one HTML file that opens offline">
                "Download report"
            </button>
        </div>
    }
}

/// Scoring options, chart choices, files and models, and the run's settings without its key.
fn sections(
    rows: &[FlatReport],
    view: &ChartSettings,
    options: Signal<Options>,
    sources: Signal<Vec<Source>>,
    run: Signal<Option<RunInfo>>,
) -> Vec<SettingsSection> {
    let mut sections = vec![
        SettingsSection::from_json("Scoring options", &options.with_untracked(json)),
        SettingsSection::from_json("Chart", &json(view)),
        sources.with_untracked(|s| files_section(rows, s)),
    ];
    if let Some(mut info) = run.get_untracked() {
        // The report leaves secrets out by name as well; the key never even goes in.
        info.api_key = None;
        sections.push(SettingsSection::from_json("Run", &json(&info)));
    }
    sections
}

/// Plain data as JSON (which cannot fail for these: no map has keys other than strings).
fn json(value: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}
