//! End to end: "Evaluate a judge" over the 50-row fixture against the test server (HTTPS,
//! HTTP/2, faults on): Generate then Match, a reload in the middle of each stage, resume;
//! every (row, model, stage) ends answered or recorded as failed, none is answered twice, and
//! the page's figures equal `metajudge score --json` on the exported judged file.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use e2e::judge_server::{answered_twice, fingerprint, Faults, JudgeServer, ServerConfig};
use e2e::{metajudge_json, parsed_attr, repo_root, Harness};
use metajudge_studio::engine::dataset::load;
use metajudge_studio::engine::pipeline::{judge_request, Order};
use metajudge_studio::engine::prompt::GENRM_PROMPT;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(90);
const CONCURRENCY: usize = 4;
const LATENCY_MS: u64 = 250;
const CANDIDATE: &str = "cand-judge";

fn faults(latency_ms: u64, always_fail: Vec<String>) -> Faults {
    Faults {
        latency_ms,
        p_500: 0.06,
        p_429: 0.04,
        retry_after_s: 1,
        p_drop: 0.03,
        p_no_result: 0.06,
        p_out_of_range: 0.04,
        max_faults_per_prompt: 2,
        always_fail,
        ..Faults::default()
    }
}

async fn done_of_total(h: &Harness, stage: &str) -> (usize, usize) {
    h.stage_done(stage).await
}

async fn wait_stage(h: &Harness, stage: &str, status: &str) {
    h.wait_stage(stage, status, WAIT).await;
}

async fn click(h: &Harness, css: &str) {
    h.wait_for(css, WAIT).await.click().await.unwrap();
}

/// Fills both endpoints (the key is typed again after each reload: it is not remembered).
async fn fill_keys(h: &Harness) {
    h.fill_within(".eval-candidate", "API key", "test-key")
        .await;
    h.fill_within(".eval-matcher", "API key", "test-key").await;
}

/// Waits until `stage` is 40% done, holds new answers at the server, reloads, reopens the
/// evaluation and resumes it (`doomed`: the one prompt the server always fails, if any).
async fn reload_mid_stage(h: &Harness, server: &JudgeServer, stage: &str, doomed: &str) {
    let always_fail: Vec<String> = Some(doomed.to_string())
        .filter(|d| !d.is_empty())
        .into_iter()
        .collect();
    let started = Instant::now();
    loop {
        let (done, total) = done_of_total(h, stage).await;
        if done * 5 >= total * 2 {
            break;
        }
        assert!(
            started.elapsed() < WAIT,
            "{stage} stalled at {done} of {total}"
        );
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    server.set_faults(faults(3_000, always_fail.clone()));
    tokio::time::sleep(Duration::from_millis(600)).await;
    let (before, total) = done_of_total(h, stage).await;
    h.client.refresh().await.unwrap();
    server.set_faults(faults(LATENCY_MS, always_fail));
    h.wait_for(".leaderboard-row", WAIT).await;
    click(h, ".evaluate > summary").await;
    click(h, ".eval-reopen").await;
    wait_stage(h, stage, "paused").await;
    let (after, total_after) = done_of_total(h, stage).await;
    assert_eq!(
        total_after, total,
        "{stage}: the same plan after the reload"
    );
    assert!(
        after >= before,
        "{stage}: {after} answers after the reload, {before} before"
    );
    fill_keys(h).await;
    click(h, ".eval-resume").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_two_stage_evaluation_survives_reloads_and_matches_the_command_line() {
    let data_path = repo_root().join("tests/fixtures/data/dataset-n50.jsonl");
    let dataset = load("dataset-n50.jsonl", &std::fs::read(&data_path).unwrap());
    // The candidate's request of row 1 always fails: it must end recorded as failed.
    let row = dataset.data_row(&dataset.records[0]).unwrap();
    let doomed = fingerprint(&judge_request(GENRM_PROMPT, &row, Order::AsGiven).unwrap());
    // Two endpoints, as a candidate and a matcher usually are: each server serves one model.
    let candidate = JudgeServer::start(ServerConfig {
        tls: true,
        seed: 7,
        model: CANDIDATE.into(),
        faults: faults(LATENCY_MS, vec![doomed.clone()]),
        ..ServerConfig::default()
    })
    .await;
    let matcher = JudgeServer::start(ServerConfig {
        tls: true,
        seed: 8,
        faults: faults(LATENCY_MS, Vec::new()),
        ..ServerConfig::default()
    })
    .await;

    let h = Harness::start().await;
    h.open_app().await;
    h.upload(&data_path).await;
    click(&h, ".evaluate > summary").await;
    h.choose_in(".eval-setup select", "dataset-n50").await;
    for (scope, server, model) in [
        (".eval-candidate", &candidate, CANDIDATE),
        (".eval-matcher", &matcher, "judge-test"),
    ] {
        for (label, value) in [
            ("Base URL", server.base_url()),
            ("API key", "test-key".to_string()),
            ("Judge model", model.to_string()),
            ("Concurrency", CONCURRENCY.to_string()),
            ("Retries", "2".to_string()),
            ("Timeout", "1.5".to_string()),
        ] {
            h.fill_within(scope, label, &value).await;
        }
    }
    let calls = h
        .text(".eval-plan tr[data-stage='generate'] td[data-key='calls']")
        .await;
    assert_eq!(calls, "50", "the plan asks every row once");
    h.screenshot("evaluate-plan").await;
    let wall = Instant::now();
    click(&h, ".eval-start").await;
    wait_stage(&h, "generate", "running").await;
    reload_mid_stage(&h, &candidate, "generate", &doomed).await;
    wait_stage(&h, "generate", "finished").await;
    wait_stage(&h, "match", "running").await;
    reload_mid_stage(&h, &matcher, "match", "").await;
    wait_stage(&h, "match", "finished").await;
    let wall = wall.elapsed();
    h.screenshot("evaluate-finished").await;

    // Every (row, model, stage) ended answered or recorded as failed.
    for stage in ["generate", "match"] {
        let (done, total) = done_of_total(&h, stage).await;
        assert_eq!(
            done, total,
            "{stage}: every planned pair is answered or failed"
        );
    }
    assert_eq!(done_of_total(&h, "generate").await.1, 50);
    // None was answered successfully twice, whatever the faults and the reloads did.
    let log: Vec<_> = candidate.log().into_iter().chain(matcher.log()).collect();
    let twice = answered_twice(&log);
    assert!(
        twice.is_empty(),
        "answered successfully more than once: {twice:?}"
    );
    let mut kinds: HashMap<String, usize> = HashMap::new();
    let posts: Vec<_> = log.iter().filter(|e| e.method == "POST").collect();
    for entry in &posts {
        let kind = entry.kind.clone().unwrap_or_else(|| "unread".into());
        *kinds.entry(kind).or_default() += 1;
    }
    assert!(kinds.get("judge").is_some_and(|&n| n >= 50), "{kinds:?}");
    assert!(kinds.get("matching").is_some_and(|&n| n > 0), "{kinds:?}");

    // The judged file of the matching scores on the command line as the page shows it.
    click(&h, ".evaluate .run-export").await;
    let file = h.wait_for_download(".jsonl").await;
    let cli = metajudge_json(&["score", "--json", file.to_str().unwrap()]);
    let cli = &cli[0];
    assert_eq!(cli["model"], CANDIDATE);
    h.assert_figures(
        &format!(".leaderboard-row[data-model='{CANDIDATE}'][data-file$='run']"),
        cli,
    )
    .await;
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("test-key"), "no key in the export");
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(rows
        .iter()
        .all(|r| r["metadata"][format!("{CANDIDATE}-generated_text")].is_string()));

    // The candidate's sample view shows its own answer, the one its items were read from.
    click(&h, "#tab-samples").await;
    h.choose_in(
        ".samples-controls select",
        &format!("{CANDIDATE} (dataset-n50.jsonl \u{b7} run)"),
    )
    .await;
    let card = h.wait_for(".sample-card", WAIT).await;
    let line: usize = parsed_attr(&card, "data-line").await;
    let shown = h.text(".sample-model-answer pre").await;
    let wanted = rows
        .iter()
        .find(|r| r["metajudge"]["line"] == line)
        .unwrap_or_else(|| panic!("no exported row of line {line}"))["metadata"]
        [format!("{CANDIDATE}-generated_text")]
    .as_str()
    .unwrap();
    assert_eq!(
        shown.trim(),
        wanted.trim(),
        "row {line}: the candidate's own answer"
    );
    h.screenshot("evaluate-sample").await;

    // The stages run one after the other, each at most CONCURRENCY calls at once.
    let n_calls = posts.len();
    let ideal = n_calls as f64 / CONCURRENCY as f64 * LATENCY_MS as f64 / 1000.0;
    println!(
        "e2e pipeline: {n_calls} calls ({kinds:?}), wall {:.1} s with two reloads, ideal {ideal:.1} s \
         (calls / concurrency {CONCURRENCY} x latency {LATENCY_MS} ms), ratio {:.2}",
        wall.as_secs_f64(),
        wall.as_secs_f64() / ideal
    );
    h.stop().await;
}
