//! The leaderboard as CSV, for spreadsheets and scripts: every figure at full precision.

use crate::engine::figure::{Figure, Kind};

use super::flat::FlatReport;

/// The leaderboard as CSV: one row per (file, model), full-precision numbers, empty cells for
/// figures that cannot be computed.
///
/// Numbers are written in the shortest form that reads back to the same `f64`, never in
/// exponent notation. Columns: `file, model, kind`, then the figures by [`Kind`]: the row
/// counts (`total, valid, errors, skipped, not_judged, bad_lines`), each mean (`rc, oa, recall,
/// precision, f1, ap, ap_paper`) followed by its `_lo` and `_hi`, the standard deviations
/// (`precision_std, recall_std`), and outcome accuracy's tally (`oa_rows, oa_correct,
/// oa_unreadable, oa_ties_excluded`).
pub fn to_csv(rows: &[FlatReport]) -> String {
    // Writing into memory fails only on records of different lengths, which a fixed header and
    // fixed records rule out; the text is UTF-8 because every cell is.
    write_csv(rows)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// The names of the CSV columns, in order (see [`to_csv`]).
pub fn csv_columns() -> Vec<String> {
    let mut columns: Vec<String> = ["file", "model", "kind"].map(String::from).into();
    for figure in in_csv_order() {
        let key = figure.key();
        columns.push(key.to_string());
        if figure.kind() == Kind::Mean {
            columns.extend([format!("{key}_lo"), format!("{key}_hi")]);
        }
    }
    columns
}

/// Every figure, grouped by kind, each group in the order of [`Figure::ALL`].
fn in_csv_order() -> Vec<Figure> {
    let mut figures = Figure::ALL.to_vec();
    // A stable sort keeps the leaderboard's order within each kind.
    figures.sort_by_key(|f| f.kind());
    figures
}

fn write_csv(rows: &[FlatReport]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(csv_columns())?;
    let figures = in_csv_order();
    for row in rows {
        writer.write_record(csv_record(row, &figures))?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// One row's cells, in the order of [`csv_columns`].
fn csv_record(row: &FlatReport, figures: &[Figure]) -> Vec<String> {
    let number = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
    let mut cells = vec![
        row.file.clone(),
        row.model.clone(),
        row.kind.clone().unwrap_or_default(),
    ];
    for &figure in figures {
        let reading = row.get(figure);
        match figure.kind() {
            Kind::Count | Kind::Tally => cells.push(reading.as_count().to_string()),
            Kind::Spread => cells.push(number(reading.value)),
            Kind::Mean => {
                let interval = reading.interval;
                cells.push(number(reading.value));
                cells.push(number(interval.map(|[lo, _]| lo)));
                cells.push(number(interval.map(|[_, hi]| hi)));
            }
        }
    }
    cells
}
