//! The leaderboard's columns: the figures it shows, and how a figure is written in a cell.

use crate::engine::figure::Figure;

use crate::engine::export::FlatReport;

/// Every column of figures, in display order (the order of [`Figure::ALL`]).
pub fn columns() -> impl Iterator<Item = Figure> {
    Figure::ALL.into_iter().filter(|f| f.on_leaderboard())
}

/// The columns a table of `rows` shows: every column, less the sparse ones that no row has
/// (position consistency, say, which only a model judged in both orders has).
pub fn columns_for(rows: &[FlatReport]) -> Vec<Figure> {
    columns()
        .filter(|f| !f.sparse() || rows.iter().any(|r| r.get(*f).value.is_some()))
        .collect()
}

/// A figure as shown: three decimals, a dash when it cannot be computed.
pub fn show(value: Option<f64>, count: bool) -> String {
    match value {
        None => "–".into(),
        Some(v) if count => format!("{v:.0}"),
        Some(v) => format!("{v:.3}"),
    }
}

/// A 95% interval as shown under its figure.
pub fn show_interval(interval: Option<[f64; 2]>) -> Option<String> {
    interval.map(|[lo, hi]| format!("{lo:.3}–{hi:.3}"))
}
