//! End to end: the 50-row fixture data set judged from the page against the real test server
//! (HTTPS, HTTP/2) with faults on; a reload in the middle of the run; resume; export; and the
//! page's figures against `metajudge score` on the exported files.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use e2e::judge_server::{fingerprint, Faults, JudgeServer, LogEntry, ServerConfig};
use e2e::{metajudge_json, repo_root, Harness};
use fantoccini::Locator;
use metajudge_studio::engine::dataset::load;
use metajudge_studio::engine::prompt::{record_prompt, METAJUDGE_TEMPLATE};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(60);
const CONCURRENCY: usize = 8;

/// Everything this origin stored, as one string (to look for the key in it).
const DUMP_STORAGE: &str = r#"
    const done = arguments[arguments.length - 1];
    const local = JSON.stringify(Object.assign({}, localStorage));
    const open = indexedDB.open('metajudge-studio');
    open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction(['runs', 'answers', 'datasets'], 'readonly');
        const parts = [local];
        let pending = 3;
        for (const name of ['runs', 'answers', 'datasets']) {
            const req = tx.objectStore(name).getAll();
            req.onsuccess = () => {
                for (const v of req.result) parts.push(typeof v === 'string' ? v : new TextDecoder().decode(v));
                if (--pending === 0) done(parts.join('\n'));
            };
        }
    };
    open.onerror = () => done('indexedDB failed');
"#;

fn faults(latency_ms: u64, always_fail: Vec<String>) -> Faults {
    Faults {
        latency_ms,
        p_500: 0.08,
        p_429: 0.05,
        retry_after_s: 1,
        p_slow: 0.03,
        slow_ms: 4_000,
        p_drop: 0.05,
        p_no_result: 0.05,
        p_out_of_range: 0.03,
        max_faults_per_prompt: 2,
        always_fail,
        ..Faults::default()
    }
}

async fn text(h: &Harness, css: &str) -> String {
    h.client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// "N of M" of the progress panel.
async fn done_of_total(h: &Harness) -> (usize, usize) {
    let done = text(h, ".run-numbers dd[data-key='done']").await;
    let numbers: Vec<usize> = done
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

async fn wait_status(h: &Harness, status: &str) {
    h.wait_for(&format!(".run-status[data-status='{status}']"), WAIT)
        .await;
}

/// The most chat requests the server was serving at once.
fn peak_concurrency(log: &[LogEntry]) -> usize {
    let mut edges: Vec<(u64, i32)> = log
        .iter()
        .filter(|e| e.path.ends_with("/chat/completions") && e.method == "POST")
        .flat_map(|e| [(e.started_ms, 1), (e.finished_ms, -1)])
        .collect();
    edges.sort_by_key(|&(t, d)| (t, d));
    let (mut now, mut peak) = (0i32, 0i32);
    for (_, d) in edges {
        now += d;
        peak = peak.max(now);
    }
    peak as usize
}

#[tokio::test(flavor = "multi_thread")]
async fn a_faulty_run_survives_a_reload_and_matches_the_command_line() {
    let data_path = repo_root().join("tests/fixtures/data/dataset-n50.jsonl");
    let dataset = load("dataset-n50.jsonl", &std::fs::read(&data_path).unwrap());
    // One (row, model) pair always fails: it must end recorded as failed, not lost.
    let doomed = record_prompt(&dataset.records[0], 0, METAJUDGE_TEMPLATE, None).unwrap();
    let server = JudgeServer::start(ServerConfig {
        tls: true,
        seed: 42,
        faults: faults(100, vec![fingerprint(&doomed)]),
        ..ServerConfig::default()
    })
    .await;

    let h = Harness::start().await;
    h.open_app().await;
    h.prepare_run(
        &data_path,
        &[
            ("Base URL", server.base_url()),
            ("API key", "test-key".to_string()),
            ("Judge model", "judge-test".to_string()),
            ("Concurrency", CONCURRENCY.to_string()),
            ("Retries", "2".to_string()),
            ("Timeout", "1.5".to_string()),
            ("Input $", "2".to_string()),
            ("Output $", "8".to_string()),
        ],
    )
    .await;
    let checked = h
        .client
        .find_all(Locator::Css(".run-source-models input:checked"))
        .await
        .unwrap();
    assert_eq!(checked.len(), 3, "all three models are chosen by default");
    h.start_run().await;
    wait_status(&h, "running").await;

    // Mid-run: hold every new answer at the server, let the answered ones land, reload.
    let started = Instant::now();
    loop {
        let (done, total) = done_of_total(&h).await;
        if done * 5 >= total * 2 {
            break;
        }
        assert!(
            started.elapsed() < WAIT,
            "the run stalled at {done} of {total}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.set_faults(faults(3_000, vec![fingerprint(&doomed)]));
    tokio::time::sleep(Duration::from_millis(800)).await;
    let (done_before_reload, total) = done_of_total(&h).await;
    h.client.refresh().await.unwrap();

    // Reopen the stored run; the key was not remembered, so it is typed again.
    server.set_faults(faults(100, vec![fingerprint(&doomed)]));
    h.wait_for(".leaderboard-row", WAIT).await;
    h.open_runner().await;
    let open = h.wait_for(".saved-run button", WAIT).await;
    assert_eq!(open.text().await.unwrap(), "Open");
    open.click().await.unwrap();
    wait_status(&h, "paused").await;
    let (done_after_reload, total_after) = done_of_total(&h).await;
    assert_eq!(total_after, total);
    assert!(
        done_after_reload >= done_before_reload,
        "{done_after_reload} answers after the reload, {done_before_reload} shown before"
    );
    let storage: Value = h.client.execute_async(DUMP_STORAGE, vec![]).await.unwrap();
    assert!(
        !storage.as_str().unwrap().contains("test-key"),
        "the key is stored nowhere unless the user asks"
    );
    h.fill("API key", "test-key").await;
    let resume = h
        .client
        .find(Locator::XPath(
            "//section[@class='run-progress']//button[text()='Resume']",
        ))
        .await
        .unwrap();
    resume.click().await.unwrap();
    wait_status(&h, "finished").await;
    let (done, total_end) = done_of_total(&h).await;
    assert_eq!(
        (done, total_end),
        (total, total),
        "every planned (row, model) is answered or recorded as failed"
    );
    h.screenshot("runner-finished").await;

    // No pair was answered successfully twice, whatever the faults and the reload did.
    let log = server.log();
    let mut successes: HashMap<String, usize> = HashMap::new();
    for entry in log.iter().filter(|e| e.outcome == "success") {
        *successes
            .entry(entry.fingerprint.clone().unwrap())
            .or_default() += 1;
    }
    let twice: Vec<_> = successes.iter().filter(|(_, &n)| n > 1).collect();
    assert!(
        twice.is_empty(),
        "answered successfully more than once: {twice:?}"
    );
    let outcomes: HashSet<&str> = log.iter().map(|e| e.outcome.as_str()).collect();
    for fault in ["http_500", "http_429", "dropped", "no_result", "cancelled"] {
        assert!(
            outcomes.contains(fault),
            "the run met no {fault} ({outcomes:?})"
        );
    }
    // Only Authorization and Content-Type are set by the app; the rest is the browser's own.
    let browser_headers = [
        "host",
        "connection",
        "content-length",
        "user-agent",
        "accept",
        "origin",
        "referer",
        "accept-encoding",
        "accept-language",
        "pragma",
        "cache-control",
        "priority",
    ];
    for entry in log.iter().filter(|e| e.method == "POST") {
        for name in &entry.header_names {
            assert!(
                name == "authorization"
                    || name == "content-type"
                    || name.starts_with("sec-")
                    || browser_headers.contains(&name.as_str()),
                "unexpected request header {name}"
            );
        }
    }
    let peak = peak_concurrency(&log);
    assert!(
        peak <= CONCURRENCY,
        "{peak} requests at once with concurrency {CONCURRENCY}"
    );
    println!(
        "e2e runner: {total} pairs, {} requests, peak concurrency {peak}",
        log.iter().filter(|e| e.method == "POST").count()
    );

    // Export each model and score the files with the command line: same figures as the page.
    for button in h
        .client
        .find_all(Locator::Css(".run-export"))
        .await
        .unwrap()
    {
        button.click().await.unwrap();
    }
    let jsonl = |files: &[std::path::PathBuf]| {
        files
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .count()
    };
    let files: Vec<_> = h
        .wait_for_downloads(|files| jsonl(files) >= 3)
        .await
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    let mut n_rows = 0;
    for file in &files {
        let cli = metajudge_json(&["score", "--json", file.to_str().unwrap()]);
        let cli = &cli[0];
        let model = cli["model"].as_str().unwrap();
        h.wait_intervals().await;
        let row = h
            .client
            .find(Locator::Css(&format!(
                ".leaderboard-row[data-model='{model}'][data-file$='run']"
            )))
            .await
            .unwrap_or_else(|_| panic!("no leaderboard row for the run's {model}"));
        for cell in row.find_all(Locator::Css("td[data-key]")).await.unwrap() {
            let key = cell.attr("data-key").await.unwrap().unwrap();
            let page = cell.attr("data-value").await.unwrap().unwrap();
            match cli[&key].as_f64() {
                Some(want) => {
                    let page: f64 = page.parse().unwrap();
                    assert!(
                        (page - want).abs() <= 1e-12,
                        "{model} {key}: page {page}, command line {want}"
                    );
                }
                None => assert_eq!(page, "", "{model} {key}: the command line has no figure"),
            }
        }
        n_rows += cli["total"].as_u64().unwrap() as usize;
        if model == dataset.models[0] {
            let text = std::fs::read_to_string(file).unwrap();
            let failed = text
                .lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap())
                .find(|v| v["prompt"] == doomed.as_str())
                .unwrap();
            assert_eq!(
                failed["status"], "error",
                "the always-failing pair is kept as failed"
            );
            assert!(failed["error_message"]
                .as_str()
                .unwrap()
                .contains("HTTP 500"));
            assert!(!text.contains("test-key"));
        }
    }
    assert_eq!(n_rows, total, "the exports hold every planned pair");

    // Continue from an exported file: only its rows without a successful answer are sent.
    let exported = files
        .iter()
        .find(|f| f.to_string_lossy().contains("-model-a-"))
        .unwrap();
    server.clear_log();
    h.upload(exported).await;
    h.choose_run_file("(continue").await;
    h.start_run().await;
    wait_status(&h, "running").await;
    wait_status(&h, "finished").await;
    let resent: HashSet<String> = server
        .log()
        .iter()
        .filter(|e| e.method == "POST")
        .filter_map(|e| e.fingerprint.clone())
        .collect();
    assert_eq!(
        resent,
        HashSet::from([fingerprint(&doomed)]),
        "only the failed pair is asked again"
    );
    h.stop().await;
}
