//! The same chart and table per value of a field (domain by default), as small multiples.

use leptos::prelude::*;

use crate::chart::multiples::{small_multiples_svg, Panel};
use crate::chart::scatter::{ScatterOptions, ScatterPoint};
use crate::chart::FamilyColours;
use crate::components::breakdown_table::BreakdownTable;
use crate::components::chart_download::ChartDownload;
use crate::engine::export::FlatReport;
use crate::engine::summary::ModelReport;
use crate::engine::text::display_name;
use crate::engine::view::{oa_stat, ChartSettings};
use crate::state::AppState;

/// Panels per group, then the table.
#[component]
pub fn Breakdowns() -> impl IntoView {
    let state = AppState::get();
    let field = Signal::derive(move || state.options.with(|o| o.group_by.clone()));
    let svg = Memo::new(move |_| {
        let reports = state.reports.get();
        let panels = state.view.with(|settings| panels(&reports.0, settings));
        let options = ScatterOptions {
            width: 980,
            height: 330,
            y_label: state.view.with(|v| v.y.title().to_string()),
            dark: state.dark.get(),
            ..ScatterOptions::default()
        };
        let columns = if panels.len() > 4 { 3 } else { 2 };
        let rows = panels.len().div_ceil(columns) as u32;
        small_multiples_svg(&panels, &options, columns)
            .ok()
            .map(|svg| (svg, options.width, options.height * rows))
    });
    view! {
        <section class="breakdowns">
            <p class="hint">"Group by the field chosen under Scoring (" {field} "). Every panel shares the same axes."</p>
            <figure class="small-multiples">
                <div class="small-multiples-svg" role="img"
                    aria-label="One chart per group of rows; the table below holds the same numbers"
                    inner_html=move || svg.get().map(|s| s.0).unwrap_or_default()></div>
                <ChartDownload svg=Signal::derive(move || svg.get()) name="metajudge-breakdown" />
            </figure>
            <BreakdownTable reports=Signal::derive(move || state.reports.get().0) field=field />
        </section>
    }
}

/// One panel per group value, each with the models that have both figures in that group.
fn panels(reports: &[std::sync::Arc<ModelReport>], settings: &ChartSettings) -> Vec<Panel> {
    let mut groups: Vec<String> = reports
        .iter()
        .flat_map(|r| r.groups.iter().map(|(g, _)| g.clone()))
        .collect();
    groups.sort();
    groups.dedup();
    let mut colours = FamilyColours::new(settings);
    groups
        .into_iter()
        .map(|group| {
            let points = reports
                .iter()
                .filter_map(|r| {
                    let flat = FlatReport::new(&r.group_part(&group)?);
                    let (x, y) = (oa_stat(&flat)?, settings.y.stat(&flat)?);
                    Some(ScatterPoint {
                        label: display_name(&r.model),
                        x,
                        y,
                        colour: colours.of(&r.model),
                    })
                })
                .collect();
            Panel {
                title: group,
                points,
            }
        })
        .collect()
}
