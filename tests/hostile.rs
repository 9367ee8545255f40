//! Regression tests of the hostile-input issue's rows that the engine answers natively (the
//! others live beside the code they pin: `engine::dataset`, `engine::share`, `chart`).

use metajudge_studio::engine::dataset::{load, Loader};
use metajudge_studio::engine::summary::{evaluate, evaluate_all, Options};

/// One data-set row: domain, overall_preference, (model, label) pairs.
type Row<'a> = (&'a str, i64, Vec<(&'a str, &'a str)>);

/// Rows of a data set: (domain, overall_preference (negative: response 1 is better), models
/// named with their labels).
fn dataset(rows: &[Row]) -> String {
    rows.iter()
        .map(|(domain, preference, models)| {
            let mut row = serde_json::json!({
                "domain": domain,
                "overall_preference": preference,
                "human-checklist": ["h"],
            });
            for (model, label) in models {
                row[format!("{model}-checklist")] = serde_json::json!(["a"]);
                row[format!("{model}-label")] = serde_json::json!(label);
            }
            row.to_string() + "\n"
        })
        .collect()
}

/// Issue 12, row 2: 8,000 rows each naming a new model took 6.8 GB in the CLI, because every
/// row held a column slot per model and every report a result per row. Now a report holds
/// the rows of its own model only, and the others are counted, with the same figures.
#[test]
fn row2_rows_of_new_models_do_not_grow_with_rows_times_models() {
    let n = 2_000;
    let names: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
    let rows: Vec<Row> = names
        .iter()
        .map(|name| ("code", -1, vec![(name.as_str(), "A>B")]))
        .collect();
    let file = load("many.jsonl", dataset(&rows).as_bytes());
    let reports = evaluate_all(std::slice::from_ref(&file), &Options::default());
    assert_eq!(reports.len(), n);
    let kept: usize = reports.iter().map(|r| r.rows.len()).sum();
    assert_eq!(kept, n, "one kept row per model, not rows x models");
    for report in &reports {
        assert_eq!(report.figures.n_total, n, "{}", report.model);
        assert_eq!(report.figures.n_not_judged, n);
        assert_eq!(report.figures.oa_tally.counted, 1);
        assert_eq!(report.figures.oa_tally.no_model_verdict, n - 1);
        assert_eq!(report.figures.oa.map(|s| s.mean), Some(1.0));
    }
}

/// Issue 12, row 3: files were held whole (a 1.1 GB file needed 2.2 times its size in the
/// CLI). Read as a stream, a file holds at most one chunk and the line not yet ended, and
/// gives the same rows and figures as the file held whole.
#[test]
fn row3_a_file_read_as_a_stream_holds_a_line_not_the_file() {
    let names: Vec<String> = (0..3_000).map(|i| format!("m{}", i % 7)).collect();
    let rows: Vec<Row> = names
        .iter()
        .map(|name| ("code", -1, vec![(name.as_str(), "A>B")]))
        .collect();
    let text = dataset(&rows);
    let longest = text.lines().map(str::len).max().unwrap_or(0);
    const CHUNK: usize = 4_096;
    let mut loader = Loader::streaming("stream.jsonl");
    for chunk in text.as_bytes().chunks(CHUNK) {
        loader.push(chunk);
        assert!(
            loader.held_bytes() <= longest + 1,
            "{} bytes held after a push, of a {}-byte file",
            loader.held_bytes(),
            text.len()
        );
    }
    assert_eq!(loader.n_bytes(), text.len());
    let streamed = loader.finish();
    assert!(streamed.bytes().is_empty(), "no byte of the file is kept");
    let whole = load("stream.jsonl", text.as_bytes());
    assert_eq!(streamed.records, whole.records);
    assert_eq!(streamed.models, whole.models);
    let options = Options::default();
    assert_eq!(
        evaluate_all(std::slice::from_ref(&streamed), &options),
        evaluate_all(std::slice::from_ref(&whole), &options)
    );
}

/// The figures of a model over a data set where it answers only some rows: every row counts
/// in its total, per group too, as when every row was kept.
#[test]
fn rows_without_the_model_count_in_totals_and_groups() {
    let text = dataset(&[
        ("code", 1, vec![("a", "A>B")]),
        ("code", -1, vec![("a", "A>B"), ("b", "B>A")]),
        ("math", 2, vec![("b", "A>B")]),
        ("math", 0, vec![]),
    ]);
    let file = load("some.jsonl", text.as_bytes());
    let options = Options::default();
    let a = evaluate(&file, file.model_idx("a").unwrap(), &options);
    let b = evaluate(&file, file.model_idx("b").unwrap(), &options);
    let check = |report: &metajudge_studio::engine::summary::ModelReport,
                 kept: usize,
                 groups: &[(&str, usize, usize, usize)]| {
        assert_eq!(report.rows.len(), kept, "{}", report.model);
        assert_eq!(report.figures.n_total, 4);
        assert_eq!(report.figures.n_not_judged, 4);
        let seen: Vec<(&str, usize, usize, usize)> = report
            .groups
            .iter()
            .map(|(name, f)| {
                (
                    name.as_str(),
                    f.n_total,
                    f.oa_tally.counted,
                    f.oa_tally.no_model_verdict,
                )
            })
            .collect();
        assert_eq!(seen, groups, "{}", report.model);
    };
    // a: rows 1-2 (code); both code rows counted for OA; math rows have no verdict of a, one
    // of them a human tie (no verdict of the model is named first).
    check(&a, 2, &[("code", 2, 2, 0), ("math", 2, 0, 2)]);
    // b: rows 2-3; row 1 (code) and row 4 (math) have no verdict of b.
    check(&b, 2, &[("code", 2, 1, 1), ("math", 2, 1, 1)]);
    // evaluate_all gives the same reports as one evaluate per model.
    let all = evaluate_all(std::slice::from_ref(&file), &options);
    assert_eq!(all, vec![a, b]);
}
