#![cfg(not(target_arch = "wasm32"))]
//! Black-box tests of `metajudge genrm`, run as the built binary: raw judge-prompt answers in,
//! rows with the judge's reasons and verdict out, problems on stderr with line numbers, the
//! exit status, and `metajudge score` reading the written file for outcome accuracy.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

/// What one run gave: exit status, the rows written, the stderr lines.
struct Run {
    code: Option<i32>,
    rows: Vec<Value>,
    stderr: Vec<String>,
}

/// Runs `metajudge` over `text` written to a temp file named after the test.
fn metajudge(name: &str, text: &str, args: &[&str]) -> Run {
    let file = TempFile::new(name, text);
    metajudge_on(file.path(), args)
}

fn metajudge_on(path: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_metajudge"))
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    Run {
        code: output.status.code(),
        rows: stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
            .collect(),
        stderr: String::from_utf8_lossy(&output.stderr)
            .lines()
            .map(str::to_string)
            .collect(),
    }
}

/// An answer to the judge prompt with these reasons and this verdict.
fn answer(reasons: &[&str], verdict: &str) -> String {
    let lines: String = reasons.iter().map(|r| format!("- {r}\n")).collect();
    format!(
        "Let me compare.\n<RESULT_START>\nList of reasons:\n{lines}Final assessment result: \\boxed{{{verdict}}}\n<RESULT_END>"
    )
}

fn jsonl(rows: &[Value]) -> String {
    rows.iter().map(|r| format!("{r}\n")).collect()
}

#[track_caller]
fn check(run: &Run, code: i32, stderr: &[&str]) {
    assert_eq!(run.code, Some(code), "stderr: {:?}", run.stderr);
    let stderr: Vec<String> = stderr.iter().map(|s| format!("metajudge: {s}")).collect();
    assert_eq!(run.stderr, stderr);
}

#[test]
fn answers_become_columns_and_problems_name_their_lines() {
    let text = jsonl(&[
        json!({"id": 0, "j-generated_text": answer(&["units are right", "cites a source"], "A>B")}),
        json!({"id": 1, "j-generated_text": "1. only a list\n2) and more\n\\boxed{B>>A}"}),
        json!({"id": 2, "j-generated_text": answer(&[], "A=B")}),
        json!({"id": 3, "j-generated_text": "<RESULT_START>\n• a reason\nFinal assessment result: B"}),
        json!({"id": 4}),
        json!({"id": 5, "J-Generated_Text": 7}),
    ]);
    let text = text.replacen('\n', "\n\nnot json\n", 1);
    let run = metajudge("problems.jsonl", &text, &["genrm", "--model", "j"]);
    let name = std::env::temp_dir().join(format!(
        "metajudge-genrm-{}-problems.jsonl",
        std::process::id()
    ));
    let name = name.display();
    check(
        &run,
        3,
        &[
            &format!("{name}:3: not valid JSON: expected ident at column 2"),
            &format!("{name}:4: j: no RESULT block"),
            &format!("{name}:5: j: no reason list"),
            &format!("{name}:6: j: no verdict"),
            &format!("{name}:7: no j-generated_text field"),
            &format!("{name}:8: j-generated_text is a number, not text"),
        ],
    );
    let columns: Vec<(Value, Value)> = run
        .rows
        .iter()
        .map(|row| (row["j-checklist"].clone(), row["j-label"].clone()))
        .collect();
    assert_eq!(
        columns,
        [
            (json!(["units are right", "cites a source"]), json!("A>B")),
            (json!(["only a list", "and more"]), json!("B>>A")),
            (json!([]), json!("A=B")),
            (json!(["a reason"]), json!("")),
            (Value::Null, Value::Null),
            (Value::Null, Value::Null),
        ]
    );
}

#[test]
fn every_field_is_kept_in_order_with_the_columns_after() {
    let row = json!({"id": "x", "context": [{"role": "user", "content": "q"}], "response1": "a",
                     "j-label": "stale", "j-generated_text": answer(&["r"], "B>A"), "zz": 1.5});
    let run = metajudge("order.jsonl", &jsonl(&[row]), &["genrm", "--model", "j"]);
    check(&run, 0, &[]);
    let keys: Vec<&str> = run.rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "context",
            "response1",
            "j-label",
            "j-generated_text",
            "zz",
            "j-checklist"
        ]
    );
    assert_eq!(run.rows[0]["j-label"], "B>A");
    assert_eq!(run.rows[0]["zz"], 1.5);
}

#[test]
fn swapped_answers_are_mirrored_back() {
    let rows = [("A>B", "B>A"), ("B>>A", "A>>B"), ("A=B", "A=B"), ("C", "C")].map(|(swap, _)| {
        json!({"j-generated_text": answer(&["r"], "A>B"), "j@swap-generated_text": answer(&["s"], swap)})
    });
    let run = metajudge(
        "swap.jsonl",
        &jsonl(&rows),
        &["genrm", "--model", "j", "--swap"],
    );
    assert_eq!(run.code, Some(3), "{:?}", run.stderr);
    assert_eq!(run.stderr.len(), 1, "{:?}", run.stderr);
    assert!(
        run.stderr[0].ends_with(":4: j@swap: no verdict"),
        "{:?}",
        run.stderr
    );
    let labels: Vec<&Value> = run.rows.iter().map(|row| &row["j@swap-label"]).collect();
    assert_eq!(labels, ["B>A", "A>>B", "A=B", "C"]);
    assert!(run
        .rows
        .iter()
        .all(|row| row["j@swap-checklist"] == json!(["s"])));
    let without = metajudge("noswap.jsonl", &jsonl(&rows), &["genrm", "--model", "j"]);
    check(&without, 0, &[]);
    assert!(without
        .rows
        .iter()
        .all(|row| row.get("j@swap-label").is_none()));
}

#[test]
fn score_reads_the_written_file_for_outcome_accuracy() {
    // The starter set with answers made up here: the judge agrees with the humans on every
    // row but each third one, and gives the same verdict in the swapped order.
    let starter = std::fs::read_to_string(root().join("public/starter.jsonl")).unwrap();
    let mut rows = Vec::new();
    let mut n_correct = 0;
    for (i, line) in starter.lines().enumerate() {
        let mut row: Value = serde_json::from_str(line).unwrap();
        let human_says_a = row["overall_preference"].as_i64().unwrap() < 0;
        let says_a = human_says_a != (i % 3 == 0);
        n_correct += usize::from(says_a == human_says_a);
        let (verdict, swapped) = if says_a {
            ("A>B", "B>A")
        } else {
            ("B>A", "A>B")
        };
        row["j-generated_text"] = answer(&["first", "second"], verdict).into();
        row["j@swap-generated_text"] = answer(&["other"], swapped).into();
        rows.push(row);
    }
    let run = metajudge(
        "starter.jsonl",
        &jsonl(&rows),
        &["genrm", "--model", "j", "--swap"],
    );
    check(&run, 0, &[]);
    assert_eq!(run.rows.len(), rows.len());

    let written = TempFile::new("starter-written.jsonl", &jsonl(&run.rows));
    let score = Command::new(env!("CARGO_BIN_EXE_metajudge"))
        .args(["score", "--json"])
        .arg(written.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&score.stderr);
    assert!(score.status.success(), "{stderr}");
    let reports: Value = serde_json::from_slice(&score.stdout).unwrap();
    let got: Vec<(&str, u64, u64)> = reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let model = r["model"].as_str().unwrap();
            (
                model,
                r["oa_rows"].as_u64().unwrap(),
                r["oa_correct"].as_u64().unwrap(),
            )
        })
        .collect();
    let (n, correct) = (rows.len() as u64, n_correct as u64);
    assert_eq!(got, [("j", n, correct), ("j@swap", n, correct)]);
    assert_eq!(reports[0]["oa"].as_f64(), Some(correct as f64 / n as f64));
}

#[test]
fn bad_arguments_exit_2_and_an_unreadable_file_1() {
    let row = jsonl(&[json!({"j-generated_text": answer(&["r"], "A>B")})]);
    for args in [
        &["genrm"][..],
        &["genrm", "--model", ""],
        &["genrm", "--model", "j", "--bogus"],
    ] {
        let run = metajudge("args.jsonl", &row, args);
        assert_eq!(run.code, Some(2), "{args:?}: {:?}", run.stderr);
        assert!(run.rows.is_empty());
    }
    let missing = std::env::temp_dir().join("metajudge-genrm-no-such-file.jsonl");
    let run = metajudge_on(&missing, &["genrm", "--model", "j"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr[0].contains("cannot read"), "{:?}", run.stderr);
    let run = metajudge("empty.jsonl", "not json\n", &["genrm", "--model", "j"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr[1].contains("no JSON object in the file"),
        "{:?}",
        run.stderr
    );
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file in the temp directory, named after the test, that is removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("metajudge-genrm-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
