//! The leaderboard as a Markdown table ready for a paper or a README.

use crate::engine::figure::Figure;

use super::flat::FlatReport;

/// What the table's footnote says about RC, OA and the intervals.
pub const MARKDOWN_FOOTNOTE: &str = "RC = mean one-to-one recall (rationale consistency, \
    Wang et al. 2026), OA = outcome accuracy, right, wrong reasons = share of correct verdicts whose RC is below the \
    threshold, intervals 95% bootstrap.";

/// The leaderboard as a Markdown table: 3 decimals, intervals in brackets.
///
/// Columns: Model, File, then each figure with a [`Figure::markdown_header`] (RC, OA, right for
/// the wrong reasons, Recall (script), F1, AP (paper), Valid, OA rows); a figure that cannot be computed is `–`. In
/// names, `|` and `\` are escaped with a backslash and line breaks become spaces, so that every
/// row stays one table row; `&`, `<` and `>` become HTML entities, so that a README or a page
/// that renders the table shows a name such as `<img src=x onerror=...>` as text. A footnote under the table says what RC, OA and the intervals are.
pub fn to_markdown(rows: &[FlatReport]) -> String {
    let figures: Vec<(Figure, &str)> = Figure::ALL
        .into_iter()
        .filter_map(|f| Some((f, f.markdown_header()?)))
        .collect();
    let mut out = String::from("| Model | File | ");
    for (_, header) in &figures {
        out.push_str(header);
        out.push_str(" | ");
    }
    out.truncate(out.len() - 1);
    out.push_str("\n| :--- | :--- |");
    out.push_str(&" ---: |".repeat(figures.len()));
    out.push('\n');
    for row in rows {
        let mut cells = vec![markdown_text(&row.model), markdown_text(&row.file)];
        cells.extend(figures.iter().map(|(f, _)| markdown_cell(row, *f)));
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push('\n');
    out.push_str(MARKDOWN_FOOTNOTE);
    out.push('\n');
    out
}

/// A name as one Markdown table cell, shown as text where Markdown passes HTML through.
fn markdown_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace("\r\n", " ")
        .replace(['\n', '\r'], " ")
        .replace('\\', "\\\\")
        .replace('|', "\\|")
}

/// A count as a whole number; else `0.415 [0.386, 0.446]`, `0.415` without an interval, `–`
/// when missing.
fn markdown_cell(row: &FlatReport, figure: Figure) -> String {
    let reading = row.get(figure);
    if figure.kind().is_count() {
        return reading.as_count().to_string();
    }
    match (reading.value, reading.interval) {
        (None, _) => "–".to_string(),
        (Some(mean), None) => format!("{mean:.3}"),
        (Some(mean), Some([lo, hi])) => format!("{mean:.3} [{lo:.3}, {hi:.3}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(name: &str, expected: &str) {
        assert_eq!(markdown_text(name), expected, "{name:?}");
    }

    #[test]
    fn row10_markdown_escapes_html_and_pipes_in_names() {
        check(
            "<img src=x onerror=alert(1)>",
            "&lt;img src=x onerror=alert(1)&gt;",
        );
        check("a & b", "a &amp; b");
        check("&lt;", "&amp;lt;");
        check("a|b", "a\\|b");
        check("<b>|</b>", "&lt;b&gt;\\|&lt;/b&gt;");
        check("plain-name", "plain-name");
        let row = FlatReport {
            model: "<script>x</script>".into(),
            file: "a<b>.jsonl".into(),
            ..FlatReport::default()
        };
        let table = to_markdown(&[row]);
        assert!(!table.contains('<') && !table.contains('>'), "{table}");
        assert!(table.contains("| &lt;script&gt;x&lt;/script&gt; | a&lt;b&gt;.jsonl |"));
    }
}
