//! One row per (file, model) with every figure and its 95% interval, sortable by any column.

use leptos::prelude::*;

use super::columns::{show, show_interval, Column, COLUMNS};
use crate::engine::export::FlatReport;

/// The leaderboard. Each figure cell carries its full-precision value in `data-value` (and
/// its interval in `data-lo` / `data-hi`), so tests and scripts read exact numbers.
#[component]
pub fn Leaderboard(#[prop(into)] rows: Signal<Vec<FlatReport>>) -> impl IntoView {
    // Sorted by RC, highest first, until the user picks another column.
    let sort = RwSignal::new(("rc", true));
    let sorted = move || {
        let (key, descending) = sort.get();
        let column = COLUMNS
            .iter()
            .find(|c| c.key == key)
            .copied()
            .unwrap_or(COLUMNS[0]);
        let mut rows = rows.get();
        rows.sort_by(|a, b| {
            let (a, b) = ((column.value)(a), (column.value)(b));
            // Missing figures sort last in either direction.
            match (a, b) {
                (Some(a), Some(b)) if descending => b.total_cmp(&a),
                (Some(a), Some(b)) => a.total_cmp(&b),
                (a, b) => b.is_some().cmp(&a.is_some()),
            }
        });
        rows
    };
    let header = move |column: Column| {
        let aria_sort = move || match sort.get() {
            (key, true) if key == column.key => "descending",
            (key, false) if key == column.key => "ascending",
            _ => "none",
        };
        let click = move |_| {
            sort.update(|(key, descending)| {
                *descending = if *key == column.key {
                    !*descending
                } else {
                    true
                };
                *key = column.key;
            })
        };
        view! {
            <th scope="col" aria-sort=aria_sort title=column.help>
                <button class="sort" on:click=click>{column.title}</button>
            </th>
        }
    };
    view! {
        <div class="leaderboard">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Model"</th>
                        {COLUMNS.iter().map(|c| header(*c)).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    <For each=sorted key=|r| (r.file.clone(), r.model.clone(), format!("{:?}", r)) let:row>
                        <LeaderboardRow row=row />
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// One model's row.
#[component]
fn LeaderboardRow(row: FlatReport) -> impl IntoView {
    let cells = COLUMNS
        .iter()
        .map(|c| {
            let value = (c.value)(&row);
            let bounds = (c.interval)(&row);
            let interval = show_interval(bounds);
            view! {
                <td
                    data-key=c.key
                    data-value=value.map(|v| v.to_string()).unwrap_or_default()
                    data-lo=bounds.map(|[lo, _]| lo.to_string())
                    data-hi=bounds.map(|[_, hi]| hi.to_string())
                >
                    {show(value, c.count)}
                    {interval.map(|i| view! { <small class="interval">{i}</small> })}
                </td>
            }
        })
        .collect_view();
    view! {
        <tr class="leaderboard-row" data-model=row.model.clone() data-file=row.file.clone()>
            <th scope="row">
                <span class="model-name">{row.model.clone()}</span>
                <small class="file-name">{row.file.clone()}</small>
            </th>
            {cells}
        </tr>
    }
}
