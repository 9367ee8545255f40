#![cfg(not(target_arch = "wasm32"))]
//! Black-box tests of `metajudge agree` (and `score --rfwr-threshold`) over generated judged
//! files: matcher A's files from the fixture generator, matcher B's the same answers with some
//! scores changed, so that the figures are known in kind and checked against the engine's.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use metajudge_studio::engine::agreement::{matcher_agreement, AgreementOptions};
use metajudge_studio::engine::dataset::load;
use serde_json::Value;

/// A fresh directory for one test's files.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("metajudge-agree-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temp dir");
    dir
}

/// The generator's judged file of `model` (its rows depend only on `seed`).
fn generated(model: &str, seed: u32, n: u32) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gen_fixtures.py");
    let out = Command::new("python3")
        .arg(script)
        .args(["outputs", "--n", &n.to_string(), "--model", model])
        .args(["--seed", &seed.to_string()])
        .output()
        .expect("python3 runs gen_fixtures.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Matcher B's answers: matcher A's with some scores raised (its R1 and R2 lines only).
fn perturbed(text: &str) -> String {
    text.replace("R1@S1: 0.5", "R1@S1: 1")
        .replace("R2@S2: 0.25", "R2@S2: 0.75")
        .replace("R1@S2: 1", "R1@S2: 0")
}

/// Writes A's and B's files for `models` (model i from seed 10 + i) into `dir`.
fn write_sides(
    dir: &Path,
    models: &[&str],
    b_of: fn(&str) -> String,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (seed, model) in (10..).zip(models) {
        let text = generated(model, seed, 120);
        let (path_a, path_b) = (
            dir.join(format!("a-{model}.jsonl")),
            dir.join(format!("b-{model}.jsonl")),
        );
        std::fs::write(&path_a, &text).expect("write");
        std::fs::write(&path_b, b_of(&text)).expect("write");
        a.push(path_a);
        b.push(path_b);
    }
    (a, b)
}

fn agree(a: &[PathBuf], b: &[PathBuf], extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_metajudge"))
        .arg("agree")
        .arg("--matcher-a")
        .args(a)
        .arg("--matcher-b")
        .args(b)
        .args(extra)
        .output()
        .expect("the binary runs")
}

fn json_of(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

/// The keys of a JSON object, in order.
fn keys_of(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

#[track_caller]
fn check_close(got: &Value, expected: Option<f64>, what: &str) {
    match expected {
        Some(e) => {
            let g = got.as_f64().unwrap_or_else(|| panic!("{what}: {got}"));
            assert!((g - e).abs() < 1e-12, "{what}: {g} vs {e}");
        }
        None => assert!(got.is_null(), "{what}: {got}"),
    }
}

#[test]
fn json_has_the_documented_shape_and_the_engines_figures() {
    let dir = temp_dir("shape");
    let models = ["model-a", "model-b", "model-c", "model-d"];
    let (a, b) = write_sides(&dir, &models, perturbed);
    let json = json_of(&agree(&a, &b, &["--json"]));
    let keys = keys_of(&json);
    assert_eq!(
        keys,
        [
            "models",
            "slope",
            "intercept",
            "r2",
            "rmse",
            "spearman",
            "kendall_tau_b",
            "per_model"
        ]
    );
    let per_model = json["per_model"].as_array().expect("a list");
    let row_keys = keys_of(&per_model[0]);
    assert_eq!(
        row_keys,
        [
            "model",
            "rc_a",
            "rc_b",
            "rows",
            "items",
            "mean_abs_diff",
            "kappa_w"
        ]
    );

    // The same files through the engine give the same figures (what the Agreement tab shows).
    let read = |paths: &[PathBuf]| -> Vec<_> {
        paths
            .iter()
            .map(|p| load(&p.display().to_string(), &std::fs::read(p).expect("read")))
            .collect()
    };
    let engine =
        matcher_agreement(&read(&a), &read(&b), &AgreementOptions::default()).expect("4 models");
    assert_eq!(json["models"], 4);
    let fit = &engine.fit;
    for (key, value) in [
        ("slope", fit.slope),
        ("intercept", fit.intercept),
        ("r2", fit.r2),
        ("rmse", fit.rmse),
        ("spearman", engine.spearman),
        ("kendall_tau_b", engine.kendall_tau_b),
    ] {
        check_close(&json[key], value.ok(), key);
    }
    for (got, want) in per_model.iter().zip(&engine.per_model) {
        assert_eq!(got["model"], want.model.as_str());
        check_close(&got["rc_a"], want.rc_a, "rc_a");
        check_close(&got["rc_b"], want.rc_b, "rc_b");
        check_close(
            &got["mean_abs_diff"],
            want.mean_abs_diff.ok(),
            "mean_abs_diff",
        );
        check_close(&got["kappa_w"], want.kappa_w.ok(), "kappa_w");
        assert_eq!(
            (got["rows"].as_u64(), got["items"].as_u64()),
            (Some(want.rows as u64), Some(want.items as u64))
        );
        // B raised some scores: the rows differ a little, the items agree mostly, not wholly.
        let diff = got["mean_abs_diff"].as_f64().expect("a number");
        let kappa = got["kappa_w"].as_f64().expect("a number");
        assert!(diff > 0.0 && diff < 0.1, "{diff}");
        assert!(kappa > 0.5 && kappa < 1.0, "{kappa}");
        assert!(want.rows > 50 && want.items > want.rows, "{want:?}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn identical_matchers_agree_perfectly_and_the_table_says_so() {
    let dir = temp_dir("same");
    let (a, b) = write_sides(&dir, &["m1", "m2", "m3"], str::to_string);
    let json = json_of(&agree(&a, &b, &["--json"]));
    for (key, value) in [
        ("slope", 1.0),
        ("intercept", 0.0),
        ("r2", 1.0),
        ("rmse", 0.0),
        ("spearman", 1.0),
        ("kendall_tau_b", 1.0),
    ] {
        let got = json[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{key}: {}", json[key]));
        assert!((got - value).abs() < 1e-9, "{key}: {got}");
    }
    for model in json["per_model"].as_array().expect("a list") {
        assert_eq!(
            (model["mean_abs_diff"].as_f64(), model["kappa_w"].as_f64()),
            (Some(0.0), Some(1.0))
        );
    }
    let table = agree(&a, &b, &[]);
    assert!(table.status.success());
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("Matcher agreement over 3 models"), "{text}");
    assert!(text.contains("y = 1.0000 x + 0.0000"), "{text}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn undefined_figures_are_null_with_the_reason_on_stderr() {
    // The generator's rows depend only on the seed: one seed for every model gives every model
    // the same RC by A, so no line can be fitted.
    let dir = temp_dir("constant");
    let text = generated("x", 5, 60);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for model in ["m1", "m2", "m3"] {
        let renamed = text.replace("\"x-checklist\"", &format!("\"{model}-checklist\""));
        for (side, body, list) in [
            ("a", renamed.clone(), &mut a),
            ("b", perturbed(&renamed), &mut b),
        ] {
            let path = dir.join(format!("{side}-{model}.jsonl"));
            std::fs::write(&path, body).expect("write");
            list.push(path);
        }
    }
    let output = agree(&a, &b, &["--json"]);
    let json = json_of(&output);
    assert!(
        json["slope"].is_null() && json["r2"].is_null() && json["spearman"].is_null(),
        "{json}"
    );
    assert!(json["rmse"].as_f64().is_some());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("slope is null: every x is the same"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn too_few_models_fail_clearly_and_bad_arguments_exit_2() {
    let dir = temp_dir("few");
    let (a, b) = write_sides(&dir, &["m1", "m2", "m3"], perturbed);
    let output = agree(&a[..2], &b, &["--json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .contains("agreement needs at least 3 models with RC on both sides; found 2 (m1, m2)"),
        "{stderr}"
    );
    assert!(!stderr.contains("NaN"), "{stderr}");

    let missing_b = Command::new(env!("CARGO_BIN_EXE_metajudge"))
        .args(["agree", "--matcher-a"])
        .args(&a)
        .output()
        .expect("the binary runs");
    assert_eq!(missing_b.status.code(), Some(2));
    let unreadable = agree(&a, &[dir.join("nothing-here.jsonl")], &[]);
    assert_eq!(unreadable.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unreadable.stderr).contains("cannot read"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn score_json_gives_right_for_the_wrong_reasons_at_the_threshold_asked() {
    let dir = temp_dir("rfwr");
    let path = dir.join("judged.jsonl");
    std::fs::write(&path, generated("judge-a", 3, 200)).expect("write");
    let score = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_metajudge"))
            .args(["score", "--json"])
            .args(extra)
            .arg(&path)
            .output()
            .expect("the binary runs")
    };
    let share = |output: Output| json_of(&output)[0]["right_for_wrong_reasons"].as_f64();
    let default = share(score(&[])).expect("correct rows with RC");
    let none_below = share(score(&["--rfwr-threshold", "0"]));
    let all_below = share(score(&["--rfwr-threshold", "1"]));
    assert_eq!(none_below, Some(0.0));
    assert!(default > 0.0 && default < 1.0, "{default}");
    assert!(all_below.expect("a share") >= default);
    assert_eq!(share(score(&["--rfwr-threshold", "0.25"])), Some(default));
    assert_eq!(score(&["--rfwr-threshold", "1.5"]).status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}
