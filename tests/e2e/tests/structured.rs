//! End to end: "Evaluate a judge" with structured answers, every stage (Generate, Swap,
//! Decompose, Match) over the starter set against two test servers that answer JSON when asked
//! (`response_format`): the candidate's endpoint in llama-cpp-python's shape (`json_object` +
//! schema), the matcher's in OpenAI's (`json_schema`), faults on. Every call asks for JSON, every
//! pair ends answered or recorded as failed, the exports hold the reference text and score on
//! the command line as the page shows them, and the page marks the candidate "JSON answers".

use std::time::{Duration, Instant};

use e2e::judge_server::{Faults, JudgeServer, ServerConfig};
use e2e::{metajudge_json, Harness};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(120);
const CANDIDATE: &str = "cand-json";
const STAGES: [&str; 4] = ["generate", "swap", "decompose", "match"];

fn faults() -> Faults {
    Faults {
        latency_ms: 50,
        p_500: 0.05,
        p_no_result: 0.08,
        p_out_of_range: 0.05,
        max_faults_per_prompt: 2,
        ..Faults::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_stage_asks_for_json_and_reads_it_as_the_reference_text() {
    let candidate = JudgeServer::start(ServerConfig {
        seed: 5,
        model: CANDIDATE.into(),
        faults: faults(),
        ..ServerConfig::default()
    })
    .await;
    let matcher = JudgeServer::start(ServerConfig {
        seed: 6,
        faults: faults(),
        ..ServerConfig::default()
    })
    .await;

    let h = Harness::start().await;
    h.open_app().await;
    h.click(".evaluate > summary").await;
    h.wait_for(".eval-setup", WAIT).await;
    // The starter set is the flow's default input; both optional stages are ticked.
    h.click_all(".eval-setup input.eval-stage-option").await;
    for (scope, server, model, shape) in [
        (".eval-candidate", &candidate, CANDIDATE, "JSON object"),
        (".eval-matcher", &matcher, "judge-test", "JSON schema"),
    ] {
        for (label, value) in [
            ("Base URL", server.base_url()),
            ("API key", "test-key".to_string()),
            ("Judge model", model.to_string()),
            ("Concurrency", "4".to_string()),
            ("Retries", "2".to_string()),
        ] {
            h.fill_within(scope, label, &value).await;
        }
        h.choose_in(&format!("{scope} .structured-select"), shape)
            .await;
    }
    h.wait_for(".eval-candidate .structured-note", WAIT).await;
    h.screenshot("structured-plan").await;
    let wall = Instant::now();
    h.click(".eval-start").await;
    h.wait_stage("match", "finished", Duration::from_secs(600))
        .await;
    let wall = wall.elapsed();
    for stage in STAGES {
        let (done, total) = h.stage_done(stage).await;
        assert!(total > 0, "{stage} ran");
        assert_eq!(done, total, "{stage}: every pair answered or failed");
    }

    // Every call asked for JSON, in its endpoint's shape.
    let posts = |server: &JudgeServer| {
        server
            .log()
            .into_iter()
            .filter(|e| e.method == "POST")
            .collect::<Vec<_>>()
    };
    for (name, server, kinds) in [
        ("candidate", &candidate, &["judge"][..]),
        ("matcher", &matcher, &["decompose", "matching"][..]),
    ] {
        let posts = posts(server);
        assert!(!posts.is_empty(), "{name} was called");
        assert!(
            posts.iter().all(|e| e.structured),
            "{name}: every call asks for JSON"
        );
        for kind in kinds {
            assert!(
                posts.iter().any(|e| e.kind.as_deref() == Some(kind)),
                "{name} answered {kind} prompts"
            );
        }
    }

    // The candidate is on the leaderboard and the chart, marked as not the reference method.
    let row_css = format!(
        ".leaderboard-row[data-model='{CANDIDATE}'][data-file$='\u{b7} run \u{b7} JSON answers']"
    );
    h.wait_for(&row_css, WAIT).await;
    // "cand-json (JSON answers)", or with its file's name after when the model is on show twice.
    h.wait_for(
        &format!(".chart-point[data-model^='{CANDIDATE} (JSON answers']"),
        WAIT,
    )
    .await;
    let labels = h
        .client
        .execute(
            "return [...document.querySelectorAll('.chart-point')].map(p => p.dataset.model)",
            vec![],
        )
        .await
        .unwrap();
    println!("chart points: {labels}");
    h.screenshot("structured-finished").await;

    // The judged file holds the reference text (the reference scripts read it) and says how it
    // was made; it scores on the command line as the page shows it.
    h.click(&format!(".evaluate .run-export[data-model='{CANDIDATE}']"))
        .await;
    let file = h.wait_for_download(".jsonl").await;
    let text = std::fs::read_to_string(&file).unwrap();
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(row["metajudge"]["structured"], "json_schema", "{row}");
        if row["status"] == "success" {
            let answer = row["samples"][0]["generated_text"].as_str().unwrap();
            assert!(
                answer.starts_with("<RESULT_START>\nScores corresponding to claims:\n"),
                "the matching is kept as the reference text: {answer}"
            );
        }
        let own = &row["metadata"][format!("{CANDIDATE}-generated_text")];
        if let Some(own) = own.as_str() {
            assert!(
                own.starts_with("<RESULT_START>\nList of reasons:\n") || !own.contains("RESULT"),
                "the candidate's answer is the reference text (or what it sent): {own}"
            );
        }
    }
    assert!(!text.contains("test-key"), "no key in the export");
    let cli = metajudge_json(&["score", "--json", file.to_str().unwrap()]);
    h.assert_figures(&row_css, &cli[0]).await;
    let calls: usize = [&candidate, &matcher].iter().map(|s| posts(s).len()).sum();
    println!(
        "e2e structured: 4 stages over the starter set, {calls} calls, wall {:.1} s",
        wall.as_secs_f64()
    );
    h.stop().await;
}
