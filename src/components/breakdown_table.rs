//! The same figures per value of a field (by default `domain`), one row per model and group.

use std::sync::Arc;

use leptos::prelude::*;

use super::columns::show;
use super::model_name::ModelName;
use crate::engine::summary::{Figures, ModelReport, Stat};

/// A table of RC, script recall and OA per group of each report in `reports`.
#[component]
pub fn BreakdownTable(
    #[prop(into)] reports: Signal<Arc<Vec<Arc<ModelReport>>>>,
    #[prop(into)] field: Signal<String>,
) -> impl IntoView {
    let rows = move || {
        reports
            .get()
            .iter()
            .flat_map(|r: &Arc<ModelReport>| {
                r.groups
                    .iter()
                    .map(move |(g, f)| (r.model.clone(), r.file.clone(), g.clone(), f.clone()))
            })
            .collect::<Vec<_>>()
    };
    view! {
        <section class="breakdown-table">
            <h2>"By " {move || field.get()}</h2>
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Model"</th>
                        <th scope="col">{move || field.get()}</th>
                        <th scope="col">"RC"</th>
                        <th scope="col">"Recall (script)"</th>
                        <th scope="col">"OA"</th>
                        <th scope="col">"Rows"</th>
                        <th scope="col">"Valid"</th>
                        <th scope="col">"OA rows"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || rows().into_iter().map(|(model, file, group, f)| {
                        let (model_attr, group_attr) = (model.clone(), group.clone());
                        view! {
                            <tr data-model=model_attr data-file=file data-group=group_attr>
                                <th scope="row"><ModelName name=model class="model-name" /></th>
                                <td>{group}</td>
                                {figure_cells(&f)}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

fn figure_cells(f: &Figures) -> impl IntoView {
    let mean = |s: Option<Stat>| show(s.map(|s| s.mean), false);
    view! {
        <td>{mean(f.rc)}</td>
        <td>{mean(f.recall)}</td>
        <td>{mean(f.oa)}</td>
        <td>{f.n_total}</td>
        <td>{f.n_valid}</td>
        <td>{f.oa_tally.counted}</td>
    }
}
