//! End to end against a real model: SmolLM2-135M-Instruct served by llama-cpp-python on
//! 127.0.0.1 (tests/setup.sh installs it), three starter rows, every stage the page runs: the
//! runner's matching, then "Evaluate a judge" with all four stages (Generate and Swap in free
//! text, as the paper asks; Decompose and Match with structured answers in llama-cpp-python's
//! shape, `json_object` + schema, which its grammar enforces). A model this small mostly writes
//! format errors: the test proves the real path, not quality. Each stage prints its calls,
//! format errors and wall time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use e2e::model_server::{ModelServer, MODEL_ALIAS};
use e2e::{metajudge_json, numbers, repo_root, Harness};
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

    let mut reports = vec![matching(&h, &server, &data_path).await];
    reports.extend(evaluation(&h, &server).await);

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
    assert_page_matches_cli(h, &export, MODEL, "run").await;
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

/// The stages of the evaluation, in the order they run.
const STAGES: [&str; 4] = ["generate", "swap", "decompose", "match"];

/// "Evaluate a judge" on the three rows (loaded by the matching before), the real model as
/// both candidate and matcher: every stage ends with each pair answered or recorded as failed,
/// and the candidate's judged file scores on the command line as the page shows it.
async fn evaluation(h: &Harness, server: &ModelServer) -> Vec<StageReport> {
    h.click(".evaluate > summary").await;
    h.wait_for(".eval-setup", STAGE_TIMEOUT).await;
    h.choose_in(".eval-setup select", "real-model-3").await;
    h.click_all(".eval-setup input.eval-stage-option").await;
    for scope in [".eval-candidate", ".eval-matcher"] {
        for (label, value) in endpoint_fields(server) {
            h.fill_within(scope, label, &value).await;
        }
    }
    h.choose_in(".eval-matcher .structured-select", "JSON object")
        .await;
    h.click(".eval-start").await;
    // Stages run one after the other, one call at a time: the calls between two stages'
    // ends are the later stage's.
    let mut reports = Vec::new();
    let mut calls_before = server.calls();
    let mut started = Instant::now();
    for stage in STAGES {
        h.wait_stage(stage, "finished", STAGE_TIMEOUT).await;
        let calls = server.calls();
        let (done, total) = h.stage_done(stage).await;
        assert_eq!(
            done,
            total,
            "{stage}: every pair is answered or recorded as failed; the server wrote:\n{}",
            server.log_tail()
        );
        let failed = h
            .text(&format!(
                ".stage-progress[data-stage='{stage}'] dd[data-key='failed']"
            ))
            .await;
        let numbers = numbers(&failed);
        reports.push(StageReport {
            stage,
            pairs: total,
            calls: (calls - calls_before) as u64,
            format_errors: numbers[1],
            errors: numbers[0],
            wall: started.elapsed(),
        });
        calls_before = calls;
        started = Instant::now();
    }
    h.screenshot("real-model-evaluation").await;
    let generate = &reports[0];
    assert!(
        generate.pairs == 3 && generate.errors < 3,
        "the model answered no judge-prompt call, so the real path was not run; the server wrote:\n{}",
        server.log_tail()
    );
    // The matching's judged file of the candidate scores as its leaderboard row shows.
    h.click(&format!(
        ".evaluate .run-export[data-model='{MODEL_ALIAS}']"
    ))
    .await;
    let files = h
        .wait_for_downloads(|files| files.iter().filter(|p| is_judged_export(p)).count() >= 2)
        .await;
    let export = files
        .into_iter()
        .filter(|p| is_judged_export(p))
        .find(|p| {
            p.to_string_lossy()
                .contains(&format!("-{MODEL_ALIAS}-{MODEL_ALIAS}-"))
        })
        .expect("the candidate's judged file");
    for line in std::fs::read_to_string(&export).unwrap().lines() {
        let row: Value = serde_json::from_str(line).expect("each exported line is JSON");
        check_kept(&row);
        assert_eq!(row["metajudge"]["structured"], "json_object", "{row}");
    }
    assert_page_matches_cli(h, &export, MODEL_ALIAS, "JSON answers").await;
    reports
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

/// The leaderboard row of `model` in the run's views (whose file name ends with `file_end`)
/// shows the figures `metajudge score --json` gives on the exported file `export`.
async fn assert_page_matches_cli(h: &Harness, export: &Path, model: &str, file_end: &str) {
    let cli = metajudge_json(&["score", "--json", export.to_str().unwrap()]);
    let cli = &cli[0];
    h.wait_intervals().await;
    let row = h
        .client
        .find(Locator::Css(&format!(
            ".leaderboard-row[data-model='{model}'][data-file$='{file_end}']"
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
