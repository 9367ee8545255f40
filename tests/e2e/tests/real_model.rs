//! End to end against a real model: SmolLM2-135M-Instruct served by llama-cpp-python on
//! 127.0.0.1 (tests/setup.sh installs it), three starter rows, every stage the page runs. A
//! model this small mostly writes format errors: the test proves the real path, not quality.
//! Each stage prints its calls, format errors and wall time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use e2e::model_server::{ModelServer, MODEL_ALIAS};
use e2e::{metajudge_json, repo_root, Harness};
use fantoccini::Locator;
use serde_json::Value;

/// A real call takes 20-60 s on a busy 2-core machine; a stage has a handful of them.
const STAGE_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// The model whose checklist the three rows carry.
const MODEL: &str = "model-a";
/// Checklist items kept per row: short prompts keep the calls short.
const CHECKLIST_ITEMS: usize = 3;

/// What one stage cost against the real server.
struct StageReport {
    stage: &'static str,
    pairs: usize,
    calls: u64,
    format_errors: usize,
    errors: usize,
    wall: Duration,
}

#[tokio::test(flavor = "multi_thread")]
async fn every_stage_runs_against_a_real_model_server() {
    let server = ModelServer::start().await;
    let data_path = three_starter_rows();
    let h = Harness::start().await;
    h.open_app().await;

    let reports = [matching(&h, &server, &data_path).await];

    for r in &reports {
        println!(
            "real model, {}: {} pairs, {} calls, {} format errors, {} errors, wall {:.1} s",
            r.stage,
            r.pairs,
            r.calls,
            r.format_errors,
            r.errors,
            r.wall.as_secs_f64()
        );
    }
    h.stop().await;
}

/// The MetaJudge matching from the runner: judge every (row, model) pair, export, and check
/// the export and the page against `metajudge score`.
async fn matching(h: &Harness, server: &ModelServer, data_path: &Path) -> StageReport {
    h.prepare_run(data_path, &endpoint_fields(server)).await;
    let started = Instant::now();
    h.start_run().await;
    h.wait_status("finished", STAGE_TIMEOUT).await;
    let wall = started.elapsed();
    h.screenshot("real-model-matching").await;

    let done = h.text(".run-numbers dd[data-key='done']").await;
    assert_eq!(
        done,
        "3 of 3",
        "every pair is answered or recorded as failed; the server wrote:\n{}",
        server.log_tail()
    );
    h.client
        .find(Locator::Css(&format!(".run-export[data-model='{MODEL}']")))
        .await
        .expect("an export button for the model")
        .click()
        .await
        .expect("export");
    let files = h
        .wait_for_downloads(|files| files.iter().any(|p| is_judged_export(p)))
        .await;
    let export = files.into_iter().find(|p| is_judged_export(p)).unwrap();
    let rows: Vec<Value> = std::fs::read_to_string(&export)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each exported line is JSON"))
        .collect();
    assert_eq!(rows.len(), 3, "the export holds every pair");
    for row in &rows {
        check_kept(row);
    }
    let count = |status: &str| rows.iter().filter(|r| r["status"] == status).count();
    let (format_errors, errors) = (count("format_error"), count("error"));
    assert!(
        errors < rows.len(),
        "the model answered no call, so the real path was not run: {:?}; the server wrote:\n{}",
        rows.iter().map(|r| &r["error_message"]).collect::<Vec<_>>(),
        server.log_tail()
    );
    let failed = h.text(".run-numbers dd[data-key='failed']").await;
    assert_eq!(
        failed,
        format!("{errors} errors, {format_errors} format errors"),
        "the page counts the failures the export holds"
    );
    assert_page_matches_cli(h, &export).await;
    StageReport {
        stage: "matching",
        pairs: rows.len(),
        calls: rows
            .iter()
            .map(|r| r["metajudge"]["attempts"].as_u64().unwrap_or(0))
            .sum(),
        format_errors,
        errors,
        wall,
    }
}

/// The runner's endpoint form for the real server: any key, small answers, one retry, one call
/// at a time (the server serves one request at a time anyway).
fn endpoint_fields(server: &ModelServer) -> Vec<(&'static str, String)> {
    vec![
        ("Base URL", server.base_url()),
        ("API key", "any-key".to_string()),
        ("Judge model", MODEL_ALIAS.to_string()),
        ("Max tokens", "200".to_string()),
        ("Concurrency", "1".to_string()),
        ("Retries", "1".to_string()),
        ("Timeout", "600".to_string()),
    ]
}

/// A judged row is kept whatever became of it: answered with its text, a format error with
/// its raw answer, or an error with its message.
fn check_kept(row: &Value) {
    let text = row["samples"][0]["generated_text"].as_str();
    match row["status"].as_str() {
        Some("success") | Some("format_error") => assert!(
            text.is_some_and(|t| !t.is_empty()),
            "an answered row keeps its raw answer: {row}"
        ),
        Some("error") => assert!(
            row["error_message"].as_str().is_some_and(|m| !m.is_empty()),
            "a failed row keeps why: {row}"
        ),
        other => panic!("unexpected status {other:?}: {row}"),
    }
    assert!(
        row["metajudge"]["attempts"]
            .as_u64()
            .is_some_and(|n| n >= 1),
        "every row records its calls: {row}"
    );
}

/// The leaderboard row of the run's `export` shows the figures `metajudge score --json` gives
/// on the exported file.
async fn assert_page_matches_cli(h: &Harness, export: &Path) {
    let cli = metajudge_json(&["score", "--json", export.to_str().unwrap()]);
    let cli = &cli[0];
    let row = h
        .client
        .find(Locator::Css(&format!(
            ".leaderboard-row[data-model='{MODEL}'][data-file$='run']"
        )))
        .await
        .expect("a leaderboard row for the run");
    for cell in row.find_all(Locator::Css("td[data-key]")).await.unwrap() {
        let key = cell.attr("data-key").await.unwrap().unwrap_or_default();
        let page = cell.attr("data-value").await.unwrap().unwrap_or_default();
        let want = cli[&key].as_f64();
        let got = page.parse::<f64>().ok();
        assert!(
            match (got, want) {
                (Some(got), Some(want)) => (got - want).abs() <= 1e-12,
                (None, None) => page.is_empty(),
                _ => false,
            },
            "{key}: page {page:?}, command line {want:?}"
        );
    }
}

fn is_judged_export(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with("-metajudge.jsonl"))
}

/// The first three rows of public/starter.jsonl with a short `model-a-checklist` taken from
/// each row's own reference checklist, written under target/.
fn three_starter_rows() -> PathBuf {
    let starter = std::fs::read_to_string(repo_root().join("public/starter.jsonl")).unwrap();
    let mut out = String::new();
    for line in starter.lines().take(3) {
        let mut row: Value = serde_json::from_str(line).expect("a starter row");
        let items: Vec<Value> = row["human-checklist"]
            .as_array()
            .expect("a starter row has a human checklist")
            .iter()
            .take(CHECKLIST_ITEMS)
            .cloned()
            .collect();
        row[format!("{MODEL}-checklist")] = Value::from(items);
        out.push_str(&row.to_string());
        out.push('\n');
    }
    let dir = repo_root().join("target/e2e-real-model");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("real-model-3.jsonl");
    std::fs::write(&path, out).unwrap();
    path
}
