//! The leaderboard as CSV, for spreadsheets and scripts: every figure at full precision.

use crate::engine::figure::{Figure, Kind};

use super::flat::FlatReport;

/// The leaderboard as CSV: one row per (file, model), full-precision numbers, empty cells for
/// figures that cannot be computed.
///
/// Numbers are written in the shortest form that reads back to the same `f64`, never in
/// exponent notation. Columns: `file, model, kind`, then the figures by [`Kind`]: the row
/// counts (`total, valid, errors, skipped, not_judged, bad_lines`), each mean (`rc, oa,
/// right_for_wrong_reasons, recall, precision, f1, ap, ap_paper`) followed by its `_lo` and `_hi`, the standard deviations
/// (`precision_std, recall_std`), and outcome accuracy's tally (`oa_rows, oa_correct,
/// oa_unreadable, oa_ties_excluded`).
///
/// Text cells (file, model, kind) are made safe to open in a spreadsheet (see `csv_safe`);
/// the JSON export keeps the exact names.
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

/// A text cell as a spreadsheet may open it without running it (OWASP's advice on CSV
/// injection): NUL bytes are removed, and a cell starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading `'`, so that `=HYPERLINK(...)` in a model's name stays text.
fn csv_safe(text: &str) -> String {
    let text = text.replace('\0', "");
    if text.starts_with(FORMULA_STARTS) {
        format!("'{text}")
    } else {
        text
    }
}

/// What a spreadsheet reads as the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

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
        csv_safe(&row.file),
        csv_safe(&row.model),
        csv_safe(row.kind.as_deref().unwrap_or_default()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expected: &str) {
        assert_eq!(csv_safe(text), expected, "{text:?}");
    }

    #[test]
    fn row5_csv_cells_that_start_a_formula_get_a_quote() {
        check(
            "=HYPERLINK(\"http://x\",\"y\")",
            "'=HYPERLINK(\"http://x\",\"y\")",
        );
        check("+1", "'+1");
        check("-2+3", "'-2+3");
        check("@SUM(A1)", "'@SUM(A1)");
        check("\tx", "'\tx");
        check("\rx", "'\rx");
        check("a\0b", "ab");
        check("\0=1", "'=1");
        check("atlas-large", "atlas-large");
        check("a=b", "a=b");
        check("", "");
    }

    #[test]
    fn row5_csv_export_quotes_names_and_files_but_json_keeps_them() {
        let row = FlatReport {
            model: "=cmd|' /C calc'!A0".into(),
            file: "@evil\0.jsonl".into(),
            ..FlatReport::default()
        };
        let csv_text = to_csv(std::slice::from_ref(&row));
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let record = reader
            .records()
            .next()
            .and_then(Result::ok)
            .unwrap_or_default();
        assert_eq!(&record[0], "'@evil.jsonl", "{csv_text}");
        assert_eq!(&record[1], "'=cmd|' /C calc'!A0", "{csv_text}");
        assert!(!csv_text.contains('\0'));
        let json = crate::engine::export::flat_to_json(&[row]);
        assert!(json.contains("\"=cmd|' /C calc'!A0\""), "{json}");
        assert!(json.contains("@evil\\u0000.jsonl"), "{json}");
    }
}
