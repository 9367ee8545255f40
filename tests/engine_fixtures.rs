#![cfg(not(target_arch = "wasm32"))]
//! Black-box tests of the engine and the `metajudge` command line over the fixtures: the
//! reference script's own figures (to 1e-12), hand-worked edge cases, and the engine's purity.

use std::path::{Path, PathBuf};
use std::process::Command;

use metajudge_studio::engine::dataset::load;
use metajudge_studio::engine::export::FlatReport;
use metajudge_studio::engine::metrics::RowOutcome;
use metajudge_studio::engine::summary::{evaluate_all, Options};
use serde_json::Value;

const TOLERANCE: f64 = 1e-12;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The expected file's keys (reference names) -> our flat report's names.
const REFERENCE_KEYS: [(&str, &str); 9] = [
    ("total_samples", "total"),
    ("valid_samples", "valid"),
    ("error_samples", "errors"),
    ("precision", "precision"),
    ("recall", "recall"),
    ("f1", "f1"),
    ("average_precision", "ap"),
    ("precision_std", "precision_std"),
    ("recall_std", "recall_std"),
];

#[track_caller]
fn check_against_reference(data: &Path, max_len: usize, expected: &Path) {
    let expected = read_json(expected);
    let bytes = std::fs::read(data).unwrap();

    // Through the engine.
    let file = load("f", &bytes);
    let options = Options {
        max_len,
        ..Options::default()
    };
    let reports = evaluate_all(std::slice::from_ref(&file), &options);
    assert_eq!(reports.len(), 1, "{}", data.display());
    assert_eq!(reports[0].model, expected["model"].as_str().unwrap());
    let engine = serde_json::to_value(FlatReport::new(&reports[0])).unwrap();

    // Through the command line, which must print the same figures.
    let output = Command::new(env!("CARGO_BIN_EXE_metajudge"))
        .args(["score", "--json", "--max-len", &max_len.to_string()])
        .arg(data)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let cli: Value = serde_json::from_slice(&output.stdout).unwrap();

    for (source, got) in [("engine", &engine), ("command line", &cli[0])] {
        for (reference_key, our_key) in REFERENCE_KEYS {
            let want = expected[reference_key].as_f64().unwrap();
            let have = got[our_key]
                .as_f64()
                .unwrap_or_else(|| panic!("{source}: {our_key} missing"));
            assert!(
                (want - have).abs() <= TOLERANCE,
                "{source}, {}: {our_key} = {have}, reference {want}",
                data.display()
            );
        }
        // The reference counts rows neither valid nor errors as skipped.
        let skipped = got["total"].as_u64().unwrap()
            - got["valid"].as_u64().unwrap()
            - got["errors"].as_u64().unwrap();
        assert_eq!(got["skipped"].as_u64().unwrap(), skipped);
    }
}

#[test]
fn judged_60_rows_match_the_reference_script() {
    let data = fixtures().join("data/judged-judge-a-n60.jsonl");
    check_against_reference(
        &data,
        10,
        &fixtures().join("expected/judged-judge-a-n60.json"),
    );
    check_against_reference(
        &data,
        5,
        &fixtures().join("expected/judged-judge-a-n60.max-len-5.json"),
    );
}

#[test]
fn generated_1000_rows_match_the_reference_script() {
    let out = std::env::temp_dir().join(format!("metajudge-n1000-{}.jsonl", std::process::id()));
    let generated = Command::new("python3")
        .arg(fixtures().join("gen_fixtures.py"))
        .args([
            "outputs", "--n", "1000", "--model", "judge-b", "--seed", "23",
        ])
        .output()
        .expect("python3 runs gen_fixtures.py");
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    std::fs::write(&out, &generated.stdout).unwrap();
    let md5 = Command::new("md5sum").arg(&out).output().unwrap();
    assert!(
        String::from_utf8_lossy(&md5.stdout).starts_with("8a327dad2e4df30e72c7de022b6cd304"),
        "the generator no longer writes the file the expected figures were made from"
    );
    check_against_reference(
        &out,
        10,
        &fixtures().join("expected/generated-outputs-n1000-judge-b-seed23.json"),
    );
    let _ = std::fs::remove_file(out);
}

#[test]
fn edge_cases_match_their_hand_worked_figures() {
    let data = fixtures().join("edge/judged-edge-cases.jsonl");
    let expected = read_json(&fixtures().join("edge/judged-edge-cases.expected.json"));
    let file = load("edge", &std::fs::read(&data).unwrap());
    let bad: Vec<usize> = file.bad_lines.iter().map(|b| b.line).collect();
    assert_eq!(
        serde_json::to_value(&bad).unwrap(),
        expected["bad_line_numbers"]
    );

    let report = &evaluate_all(std::slice::from_ref(&file), &Options::default())[0];
    let lines_where = |pick: fn(&RowOutcome) -> bool| -> Value {
        let lines: Vec<usize> = report
            .rows
            .iter()
            .filter(|r| pick(&r.outcome))
            .map(|r| r.line)
            .collect();
        serde_json::to_value(lines).unwrap()
    };
    assert_eq!(
        lines_where(|o| matches!(o, RowOutcome::Error(_))),
        expected["error_lines"]
    );
    assert_eq!(
        lines_where(|o| matches!(o, RowOutcome::Skipped(_))),
        expected["skipped_lines"]
    );

    let flat = serde_json::to_value(FlatReport::new(report)).unwrap();
    for key in [
        "total",
        "valid",
        "errors",
        "skipped",
        "bad_lines",
        "oa_rows",
        "oa_correct",
        "oa_unreadable",
        "oa_ties_excluded",
    ] {
        assert_eq!(flat[key], expected[key], "{key}");
    }
    for key in ["precision", "recall", "ap", "rc", "ap_paper", "oa"] {
        let (want, have) = (expected[key].as_f64().unwrap(), flat[key].as_f64().unwrap());
        assert!((want - have).abs() <= TOLERANCE, "{key}: {have} vs {want}");
    }
}

#[test]
fn data_sets_give_outcome_accuracy_and_no_rationale_figures() {
    let file = load(
        "d",
        &std::fs::read(fixtures().join("data/dataset-n50.jsonl")).unwrap(),
    );
    let reports = evaluate_all(std::slice::from_ref(&file), &Options::default());
    let models: Vec<&str> = reports.iter().map(|r| r.model.as_str()).collect();
    assert_eq!(models, ["model-a", "model-b", "model-c"]);
    for report in &reports {
        let flat = FlatReport::new(report);
        assert_eq!((flat.total, flat.not_judged, flat.valid), (50, 50, 0));
        assert_eq!(flat.rc, None);
        let oa = flat.oa.expect("labels and overall_preference give OA");
        assert_eq!(oa, flat.oa_correct as f64 / flat.oa_rows as f64);
        let [lo, hi] = flat.intervals.oa.unwrap();
        assert!(lo <= oa && oa <= hi);
    }
}

#[test]
fn command_line_reports_bad_input_without_panicking() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_metajudge"))
            .args(args)
            .output()
            .unwrap()
    };
    let missing = run(&["score", "/nonexistent/x.jsonl"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read /nonexistent/x.jsonl"));

    let edge = fixtures().join("edge/judged-edge-cases.jsonl");
    let edge = edge.to_str().unwrap();
    let unknown = run(&["score", "--model", "nobody", edge]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr)
        .contains("no model named \"nobody\"; the models here are: m"));

    let bad_lines = run(&["score", edge]);
    assert_eq!(
        bad_lines.status.code(),
        Some(3),
        "figures printed, some lines unreadable"
    );
    let stderr = String::from_utf8_lossy(&bad_lines.stderr);
    assert!(stderr.contains(":4: not valid JSON"), "{stderr}");
    assert!(
        stderr.contains(":12: expected a JSON object, found an array"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&bad_lines.stdout).contains("Results sorted by RECALL"));

    let not_jsonl =
        std::env::temp_dir().join(format!("metajudge-not-jsonl-{}.txt", std::process::id()));
    std::fs::write(&not_jsonl, "hello\nworld\n").unwrap();
    let none = run(&["score", not_jsonl.to_str().unwrap()]);
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stderr)
        .contains("no JSON object in the file (2 lines, 2 unreadable)"));
    let _ = std::fs::remove_file(not_jsonl);
}

#[test]
fn engine_uses_no_browser_crate() {
    // The engine may use itself and plain crates; never the browser crates nor the rest of ours.
    // Module folders (engine/dataset/) are walked too.
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine")];
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with("use "))
        {
            let outside_engine = line.contains("crate::") && !line.contains("crate::engine");
            let browser = ["leptos", "web_sys", "js_sys", "wasm_bindgen", "gloo"]
                .iter()
                .any(|c| line.contains(c));
            assert!(
                !outside_engine && !browser,
                "{}: `{line}`: the engine must stay pure",
                path.display()
            );
        }
    }
}

#[test]
fn command_line_sorts_by_the_old_names_and_every_figure() {
    let file = fixtures().join("data/judged-judge-a-n60.jsonl");
    // The header the table prints for `--sort-by <asked>`, or `None` when the name is refused.
    let check = |asked: &str, expected: Option<&str>| {
        let args = [
            "score",
            file.to_str().unwrap(),
            "--resamples",
            "0",
            "--sort-by",
            asked,
        ];
        let out = Command::new(env!("CARGO_BIN_EXE_metajudge"))
            .args(args)
            .output()
            .unwrap();
        let header = out.status.success().then(|| {
            let stdout = String::from_utf8_lossy(&out.stdout);
            stdout.lines().nth(2).unwrap_or_default().to_string()
        });
        let expected = expected.map(|name| format!("Results sorted by {name}"));
        assert_eq!(header, expected, "{asked}");
    };
    for (asked, name) in [
        ("recall", "RECALL"),
        ("precision", "PRECISION"),
        ("f1", "F1"),
        ("average-precision", "AVERAGE-PRECISION"),
        ("ap", "AVERAGE-PRECISION"),
        ("rc", "RC"),
        ("oa", "OA"),
        ("ap_paper", "AP_PAPER"),
        ("errors", "ERRORS"),
    ] {
        check(asked, Some(name));
    }
    check("zz", None);
}

/// Runs `metajudge` with `args`.
fn metajudge(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_metajudge"))
        .args(args)
        .output()
        .unwrap()
}

/// A file in the temp directory, named after the test, that is removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> Self {
        let path = std::env::temp_dir().join(format!("metajudge-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn row7_resamples_above_the_maximum_exit_2() {
    let row = r#"{"samples": [{"generated_text": "<RESULT_START>- R1@S1: 1<RESULT_END>"}], "metadata": {"human-checklist": ["h"], "j-checklist": ["s"]}}"#;
    let file = TempFile::new("row7.jsonl", row);
    let file = file.path();
    // (resamples, exit status): the maximum is taken; above it, even far beyond `u64` or
    // `usize`, is a bad argument, never a panic or an abort.
    for (resamples, code) in [
        ("100000", 0),
        ("100001", 2),
        ("1000000000000", 2),
        ("18446744073709551615", 2),
        ("18446744073709551616", 2),
        ("-1", 2),
    ] {
        let out = metajudge(&["score", "--json", &format!("--resamples={resamples}"), file]);
        assert_eq!(out.status.code(), Some(code), "--resamples {resamples}");
        if code == 2 {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains("--resamples"), "{resamples}: {stderr}");
        }
    }
}

#[test]
fn row11_control_and_bidi_characters_in_names_are_shown_escaped() {
    let name = "evil\u{1b}[2J\nnext\u{202e}gnp.exe";
    let row = serde_json::json!({
        "samples": [{"generated_text": "<RESULT_START>- R1@S1: 1<RESULT_END>"}],
        "metadata": {"human-checklist": ["h"], format!("{name}-checklist"): ["s"], "b-checklist": ["t"]},
    });
    let file = TempFile::new("row11\u{1b}]0;title\u{7}.jsonl", &format!("{row}\n"));
    let table = metajudge(&["score", "--resamples", "0", file.path()]);
    let stdout = String::from_utf8_lossy(&table.stdout);
    let stderr = String::from_utf8_lossy(&table.stderr);
    assert!(table.status.success(), "{stderr}");
    let shown = "evil\\u{1b}[2J\\u{a}next\\u{202e}gnp.exe";
    assert!(stdout.contains(shown), "{stdout}");
    // The note about the file's two models names both, and the file, escaped.
    assert!(stderr.contains(shown), "{stderr}");
    assert!(
        stderr.contains("row11\\u{1b}]0;title\\u{7}.jsonl"),
        "{stderr}"
    );
    for (what, text) in [("table", &stdout), ("stderr", &stderr)] {
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\u{202e}']),
            "{what}: {text:?}"
        );
    }

    // `--json` keeps the exact name.
    let json = metajudge(&["score", "--json", "--resamples", "0", file.path()]);
    let reports: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(reports[0]["model"], name);
}

#[test]
fn row13_readable_files_are_scored_when_another_is_missing() {
    let good = fixtures().join("data/judged-judge-a-n60.jsonl");
    let good = good.to_str().unwrap();
    let not_jsonl = TempFile::new("row13.txt", "hello\n");
    let out = metajudge(&[
        "score",
        "--json",
        "--resamples",
        "0",
        good,
        "/nonexistent/missing.jsonl",
        not_jsonl.path(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "figures printed, some files unreadable"
    );
    let reports: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports.as_array().map(Vec::len), Some(1));
    assert_eq!(reports[0]["file"], good);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot read /nonexistent/missing.jsonl"),
        "{stderr}"
    );
    assert!(
        stderr.contains("no JSON object in the file (1 lines, 1 unreadable)"),
        "{stderr}"
    );

    // Nothing readable at all is still a failure.
    let none = metajudge(&["score", "/nonexistent/a.jsonl", "/nonexistent/b.jsonl"]);
    assert_eq!(none.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&none.stderr);
    assert!(
        stderr.contains("a.jsonl") && stderr.contains("b.jsonl"),
        "{stderr}"
    );
}
