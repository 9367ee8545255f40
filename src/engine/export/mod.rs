//! What leaves the engine: reports flattened ([`FlatReport`], the command line's `--json` and
//! the page's figures), and the leaderboard's downloads as JSON, CSV and Markdown. Every one
//! iterates the figures of `Figure::ALL`.

mod csv_text;
mod flat;
mod markdown;

pub use csv_text::to_csv;
pub use flat::{flat_to_json, to_json, FlatReport, Intervals};
pub use markdown::to_markdown;

#[cfg(test)]
mod tests {
    use super::markdown::MARKDOWN_FOOTNOTE;
    use super::*;

    /// The CSV header as it has always been: the generated one must match it.
    const CSV_COLUMNS: [&str; 42] = [
        "file",
        "model",
        "kind",
        "total",
        "valid",
        "errors",
        "skipped",
        "not_judged",
        "bad_lines",
        "rc",
        "rc_lo",
        "rc_hi",
        "oa",
        "oa_lo",
        "oa_hi",
        "right_for_wrong_reasons",
        "right_for_wrong_reasons_lo",
        "right_for_wrong_reasons_hi",
        "position_consistency",
        "position_consistency_lo",
        "position_consistency_hi",
        "recall",
        "recall_lo",
        "recall_hi",
        "precision",
        "precision_lo",
        "precision_hi",
        "f1",
        "f1_lo",
        "f1_hi",
        "ap",
        "ap_lo",
        "ap_hi",
        "ap_paper",
        "ap_paper_lo",
        "ap_paper_hi",
        "precision_std",
        "recall_std",
        "oa_rows",
        "oa_correct",
        "oa_unreadable",
        "oa_ties_excluded",
    ];

    /// Reads every download back and checks it against the rows: CSV exactly, Markdown to 3
    /// decimals, JSON as the same reports.
    #[track_caller]
    fn check(rows: &[FlatReport]) {
        let csv_text = to_csv(rows);
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let header = reader.headers().expect("a header").clone();
        assert_eq!(header.iter().collect::<Vec<_>>(), CSV_COLUMNS);
        let read: Vec<FlatReport> = reader
            .records()
            .map(|record| from_csv(&record.expect("a record")))
            .collect();
        assert_eq!(read, rows, "{csv_text}");

        let markdown = to_markdown(rows);
        let lines: Vec<&str> = markdown.lines().collect();
        assert_eq!(lines.len(), rows.len() + 4, "{markdown}");
        assert_eq!(lines[rows.len() + 2], "");
        assert_eq!(lines[rows.len() + 3], MARKDOWN_FOOTNOTE);
        let table: Vec<Vec<String>> = lines[..rows.len() + 2].iter().map(|l| cells(l)).collect();
        assert!(table.iter().all(|row| row.len() == 10), "{markdown}");
        assert_eq!(table[1][..3], [":---", ":---", "---:"]);
        for (row, cells) in rows.iter().zip(&table[2..]) {
            let one_line = |name: &str| name.replace("\r\n", " ").replace(['\n', '\r'], " ");
            assert_eq!(cells[0], one_line(&row.model));
            assert_eq!(cells[1], one_line(&row.file));
            let i = &row.intervals;
            let figures = [
                (row.rc, i.rc),
                (row.oa, i.oa),
                (row.right_for_wrong_reasons, i.right_for_wrong_reasons),
                (row.recall, i.recall),
                (row.f1, i.f1),
                (row.ap_paper, i.ap_paper),
            ];
            for (cell, (mean, interval)) in cells[2..8].iter().zip(figures) {
                let round = |x: f64| (x * 1e3).round() / 1e3;
                let expected = (
                    mean.map(round),
                    mean.and(interval).map(|[lo, hi]| [round(lo), round(hi)]),
                );
                assert_eq!(markdown_number(cell), expected, "{cell}");
            }
            assert_eq!(cells[8..], [row.valid.to_string(), row.oa_rows.to_string()]);
        }

        let json = flat_to_json(rows);
        let read: Vec<FlatReport> = serde_json::from_str(&json).expect("our own JSON");
        assert_eq!(read.len(), rows.len());
        for (read, row) in read.iter().zip(rows) {
            // serde_json without its `float_roundtrip` feature may read the last bit of a
            // 17-digit number differently (Python and `str::parse` read it exactly), so the
            // figures are compared to within one unit in the last place, the rest exactly.
            for (a, b) in numbers(read).into_iter().zip(numbers(row)) {
                let bits = |x: Option<f64>| x.map(|x| x.to_bits() as i64);
                let close = match (bits(a), bits(b)) {
                    (Some(a), Some(b)) => (a - b).abs() <= 1,
                    (a, b) => a == b,
                };
                assert!(close, "{a:?} read back from {b:?}");
            }
            assert_eq!(without_numbers(read), without_numbers(row));
        }
    }

    /// A CSV record back into a report.
    fn from_csv(record: &csv::StringRecord) -> FlatReport {
        let cell = |name: &str| {
            let at = CSV_COLUMNS
                .iter()
                .position(|c| *c == name)
                .expect("a column");
            record.get(at).expect("a cell").to_string()
        };
        let count = |name: &str| cell(name).parse::<usize>().expect("a count");
        let number = |name: &str| {
            let text = cell(name);
            (!text.is_empty()).then(|| text.parse::<f64>().expect("a number"))
        };
        let interval = |name: &str| {
            Some([
                number(&format!("{name}_lo"))?,
                number(&format!("{name}_hi"))?,
            ])
        };
        // A text cell that starts a formula is written with a leading `'` (see `csv_safe`);
        // reading it back drops the quote again (no test name starts with a quote itself).
        let text = |name: &str| {
            let text = cell(name);
            match text.strip_prefix('\'') {
                Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.into(),
                _ => text,
            }
        };
        let kind = text("kind");
        FlatReport {
            intervals_pending: false,
            file: text("file"),
            model: text("model"),
            kind: (!kind.is_empty()).then_some(kind),
            total: count("total"),
            valid: count("valid"),
            errors: count("errors"),
            skipped: count("skipped"),
            not_judged: count("not_judged"),
            bad_lines: count("bad_lines"),
            precision: number("precision"),
            recall: number("recall"),
            f1: number("f1"),
            ap: number("ap"),
            precision_std: number("precision_std"),
            recall_std: number("recall_std"),
            rc: number("rc"),
            ap_paper: number("ap_paper"),
            oa: number("oa"),
            right_for_wrong_reasons: number("right_for_wrong_reasons"),
            position_consistency: number("position_consistency"),
            oa_rows: count("oa_rows"),
            oa_correct: count("oa_correct"),
            oa_unreadable: count("oa_unreadable"),
            oa_ties_excluded: count("oa_ties_excluded"),
            intervals: Intervals {
                precision: interval("precision"),
                recall: interval("recall"),
                f1: interval("f1"),
                ap: interval("ap"),
                rc: interval("rc"),
                ap_paper: interval("ap_paper"),
                oa: interval("oa"),
                right_for_wrong_reasons: interval("right_for_wrong_reasons"),
                position_consistency: interval("position_consistency"),
            },
        }
    }

    /// The cells of a Markdown table line, with `\|` and `\\` unescaped.
    fn cells(line: &str) -> Vec<String> {
        let inner = line
            .strip_prefix("| ")
            .and_then(|l| l.strip_suffix(" |"))
            .expect("a table line");
        let (mut cells, mut cell, mut chars) = (vec![], String::new(), inner.chars());
        while let Some(c) = chars.next() {
            match c {
                '\\' => cell.extend(chars.next()),
                '|' => {
                    let text = std::mem::take(&mut cell);
                    cells.push(
                        text.strip_suffix(' ')
                            .expect("a space before |")
                            .to_string(),
                    );
                    chars.next();
                }
                _ => cell.push(c),
            }
        }
        cells.push(cell);
        cells
    }

    /// `0.415 [0.386, 0.446]`, `0.415` or `–` as numbers.
    fn markdown_number(cell: &str) -> (Option<f64>, Option<[f64; 2]>) {
        if cell == "–" {
            return (None, None);
        }
        let parse = |s: &str| s.parse::<f64>().expect("a number");
        match cell.split_once(" [") {
            None => (Some(parse(cell)), None),
            Some((mean, interval)) => {
                let (lo, hi) = interval
                    .strip_suffix(']')
                    .and_then(|i| i.split_once(", "))
                    .expect("an interval");
                (Some(parse(mean)), Some([parse(lo), parse(hi)]))
            }
        }
    }

    /// Every figure of a report, intervals included.
    fn numbers(r: &FlatReport) -> Vec<Option<f64>> {
        let i = &r.intervals;
        let mut all = vec![
            r.precision,
            r.recall,
            r.f1,
            r.ap,
            r.precision_std,
            r.recall_std,
            r.rc,
            r.ap_paper,
            r.oa,
        ];
        for interval in [i.precision, i.recall, i.f1, i.ap, i.rc, i.ap_paper, i.oa] {
            all.push(interval.map(|[lo, _]| lo));
            all.push(interval.map(|[_, hi]| hi));
        }
        all
    }

    fn without_numbers(r: &FlatReport) -> FlatReport {
        FlatReport {
            precision: None,
            recall: None,
            f1: None,
            ap: None,
            precision_std: None,
            recall_std: None,
            rc: None,
            ap_paper: None,
            oa: None,
            intervals: Intervals::default(),
            ..r.clone()
        }
    }

    /// A row with every figure at full precision, different for every `seed`.
    fn row(model: &str, file: &str, seed: u32) -> FlatReport {
        let x = |k: u32| (f64::from(seed * 37 + k) * 0.618_033_988_749_894_9).fract();
        let stat = |k: u32| {
            (
                Some(x(k)),
                Some([
                    x(k) - 0.031_234_567_890_123_4,
                    x(k) + 0.028_765_432_109_876_5,
                ]),
            )
        };
        let (rc, rc_interval) = stat(1);
        let (oa, oa_interval) = stat(2);
        let (recall, recall_interval) = stat(3);
        let (precision, precision_interval) = stat(4);
        let (f1, f1_interval) = stat(5);
        let (ap, ap_interval) = stat(6);
        let (ap_paper, ap_paper_interval) = stat(7);
        let (rfwr, rfwr_interval) = stat(10);
        let (position, position_interval) = stat(11);
        FlatReport {
            intervals_pending: false,
            file: file.into(),
            model: model.into(),
            kind: Some("pairwise".into()),
            total: 1000 + seed as usize,
            valid: 990,
            errors: 6,
            skipped: 4,
            not_judged: 2,
            bad_lines: 1,
            precision,
            recall,
            f1,
            ap,
            precision_std: Some(x(8) / 3.0),
            recall_std: Some(x(9) / 3.0),
            rc,
            ap_paper,
            oa,
            right_for_wrong_reasons: rfwr,
            position_consistency: position,
            oa_rows: 980,
            oa_correct: 700,
            oa_unreadable: 3,
            oa_ties_excluded: 7,
            intervals: Intervals {
                precision: precision_interval,
                recall: recall_interval,
                f1: f1_interval,
                ap: ap_interval,
                rc: rc_interval,
                ap_paper: ap_paper_interval,
                oa: oa_interval,
                right_for_wrong_reasons: rfwr_interval,
                position_consistency: position_interval,
            },
        }
    }

    #[test]
    fn plain_rows_read_back_in_every_format() {
        for rows in [
            vec![],
            vec![row("atlas-large", "helpsteer3.jsonl", 1)],
            (0..20)
                .map(|i| row(&format!("model-{i}"), "data/a.jsonl", i))
                .collect(),
        ] {
            check(&rows);
        }
    }

    #[test]
    fn odd_names_read_back_in_every_format() {
        let names = [
            "comma, inside",
            "say \"hi\"",
            "line\nbreak",
            "windows\r\nbreak",
            "pipe | bar",
            "back\\slash\\|",
            "数据 é 🚀",
            " spaces ",
            "",
            "=SUM(A1)",
        ];
        let rows: Vec<FlatReport> = names
            .iter()
            .zip(0..)
            .map(|(name, seed)| row(name, &format!("dir/{name}.jsonl"), seed))
            .collect();
        check(&rows);
    }

    #[test]
    fn missing_figures_are_empty_cells_and_dashes() {
        let mut sparse = row("sparse", "a.jsonl", 3);
        (
            sparse.kind,
            sparse.ap_paper,
            sparse.f1,
            sparse.precision_std,
        ) = (None, None, None, None);
        (sparse.intervals.rc, sparse.intervals.oa) = (None, None);
        let mut tiny = row("tiny", "a.jsonl", 4);
        (tiny.rc, tiny.recall) = (Some(1e-7), Some(123_456_789.125));
        for rows in [vec![sparse.clone()], vec![tiny.clone(), sparse.clone()]] {
            check(&rows);
        }
        let csv_text = to_csv(&[sparse.clone()]);
        assert!(csv_text.contains(",,"), "{csv_text}");
        // Never exponent notation, which some spreadsheets read as text.
        let csv_text = to_csv(&[tiny]);
        assert!(
            csv_text.contains(",0.0000001,") && csv_text.contains(",123456789.125,"),
            "{csv_text}"
        );
        let markdown = to_markdown(&[sparse]);
        assert!(markdown.contains(" | – | "), "{markdown}");
    }

    #[test]
    fn markdown_looks_like_a_paper_table() {
        let mut one = row("atlas|large", "a.jsonl", 0);
        (one.rc, one.intervals.rc) = (Some(0.41549), Some([0.3861, 0.4459]));
        (one.oa, one.intervals.oa, one.f1) = (Some(0.7), None, None);
        (
            one.recall,
            one.ap_paper,
            one.intervals.recall,
            one.intervals.ap_paper,
        ) = (Some(0.5), Some(0.25), None, None);
        (
            one.right_for_wrong_reasons,
            one.intervals.right_for_wrong_reasons,
        ) = (Some(0.125), None);
        let expected = "\
| Model | File | RC (95% CI) | OA (95% CI) | Right, wrong reasons (95% CI) | Recall (script) | F1 | AP (paper) | Valid | OA rows |
| :--- | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| atlas\\|large | a.jsonl | 0.415 [0.386, 0.446] | 0.700 | 0.125 | 0.500 | – | 0.250 | 990 | 980 |

RC = mean one-to-one recall (rationale consistency, Wang et al. 2026), OA = outcome accuracy, right, wrong reasons = share of correct verdicts whose RC is below the threshold, intervals 95% bootstrap.
";
        assert_eq!(to_markdown(&[one]), expected);
    }
}
