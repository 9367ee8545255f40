//! One row per (file, model) with every figure and its 95% interval, sortable by any column,
//! and a note when two lines of one model count different rows for OA.

use leptos::prelude::*;

use super::columns::{columns_for, show, show_interval};
use super::model_name::ModelName;
use crate::engine::export::FlatReport;
use crate::engine::figure::{order, Figure};

/// The leaderboard. Each figure cell carries its full-precision value in `data-value` (and
/// its interval in `data-lo` / `data-hi`), so tests and scripts read exact numbers.
#[component]
pub fn Leaderboard(#[prop(into)] rows: Signal<Vec<FlatReport>>) -> impl IntoView {
    // Sorted by RC, highest first, until the user picks another column.
    let sort = RwSignal::new((Figure::Rc, true));
    // Sparse figures get a column only when some row has them.
    let shown = Memo::new(move |_| rows.with(|r| columns_for(r)));
    let sorted = move || {
        let (column, descending) = sort.get();
        let mut rows = rows.get();
        // Missing figures sort last in either direction.
        rows.sort_by(|a, b| order(a.value(column), b.value(column), descending));
        rows
    };
    let header = move |column: Figure| {
        let aria_sort = move || match sort.get() {
            (key, true) if key == column => "descending",
            (key, false) if key == column => "ascending",
            _ => "none",
        };
        let click = move |_| {
            sort.update(|(key, descending)| {
                *descending = if *key == column { !*descending } else { true };
                *key = column;
            })
        };
        view! {
            <th scope="col" aria-sort=aria_sort title=column.help()>
                <button class="sort" on:click=click>{column.label()}</button>
            </th>
        }
    };
    view! {
        <div class="leaderboard">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Model"</th>
                        {move || shown.get().into_iter().map(header).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    <For each=move || { let columns = shown.get(); sorted().into_iter().map(move |r| (r, columns.clone())).collect::<Vec<_>>() }
                        key=|(r, columns)| (r.file.clone(), r.model.clone(), format!("{:?}{:?}", r, columns)) let:((row, columns))>
                        <LeaderboardRow row=row columns=columns />
                    </For>
                </tbody>
            </table>
            <Show when=move || rows.with(|r| r.iter().any(|r| r.intervals_pending))>
                <p class="leaderboard-note intervals-pending" role="status">
                    "Computing the 95% intervals (bootstrap) in the background; the figures "
                    "shown are final. Downloads and share links made now carry no intervals."
                </p>
            </Show>
            <Show when=move || rows.with(|r| oa_counts_differ(r))>
                <p class="leaderboard-note">
                    "A model's OA can differ between its lines: each counts only the rows behind it "
                    "(the OA rows column). A run's line counts the rows judged in this run; the data "
                    "set's line counts all its rows with a verdict."
                </p>
            </Show>
        </div>
    }
}

/// One model's row.
#[component]
fn LeaderboardRow(row: FlatReport, columns: Vec<Figure>) -> impl IntoView {
    let cells = columns
        .into_iter()
        .map(|c| {
            let reading = row.get(c);
            let (value, bounds) = (reading.value, reading.interval);
            let interval = show_interval(bounds);
            // Says which rows the OA counts, since another line of the same model may count others.
            let title = (c == Figure::Oa && value.is_some())
                .then(|| format!("OA over the {} rows counted for this line", row.oa_rows));
            view! {
                <td
                    data-key=c.key()
                    title=title
                    data-value=value.map(|v| v.to_string()).unwrap_or_default()
                    data-lo=bounds.map(|[lo, _]| lo.to_string())
                    data-hi=bounds.map(|[_, hi]| hi.to_string())
                >
                    {show(value, c.kind().is_count())}
                    {interval.map(|i| view! { <small class="interval">{i}</small> })}
                </td>
            }
        })
        .collect_view();
    view! {
        <tr
            class="leaderboard-row"
            data-model=row.model.clone()
            data-file=row.file.clone()
            data-intervals=intervals_attr(row.intervals_pending)
        >
            <th scope="row">
                <ModelName name=row.model.clone() class="model-name" />
                <ModelName name=row.file.clone() class="file-name" />
            </th>
            {cells}
        </tr>
    }
}

/// The `data-intervals` value of a row or page whose intervals are, or are not, still being
/// computed (tests and scripts wait for "ready" before reading intervals).
pub fn intervals_attr(pending: bool) -> &'static str {
    if pending {
        "pending"
    } else {
        "ready"
    }
}

/// Whether a model shows on two lines whose OA counts a different number of rows (a run's
/// rows beside its data set's), the case the note under the table explains.
fn oa_counts_differ(rows: &[FlatReport]) -> bool {
    rows.iter().enumerate().any(|(i, a)| {
        rows[i + 1..].iter().any(|b| {
            a.model == b.model && a.oa.is_some() && b.oa.is_some() && a.oa_rows != b.oa_rows
        })
    })
}
