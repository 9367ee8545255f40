//! Benchmark: 1,000 judge calls from the page at concurrency 50 against the test server
//! answering after 100 ms (HTTPS, HTTP/2, no faults). Prints the wall time from "Start run" to
//! "Finished" and its ratio to the ideal ceil(N / C) x latency = 2.0 s, with the server's view
//! (peak concurrency, span from first request to last answer).
//!
//!   cargo run -p e2e --release --bin bench_runner     (after `trunk build --release`)

use std::time::Duration;

use e2e::judge_server::{Faults, JudgeServer, ServerConfig};
use e2e::Harness;
use serde_json::{json, Value};

const N_CALLS: usize = 1000;
const CONCURRENCY: usize = 50;
const LATENCY_MS: u64 = 100;

const PROBE: &str = r#"
    window.__mj = {};
    document.querySelector('.run-start').addEventListener('click', () => { window.__mj.start = performance.now(); }, true);
    new MutationObserver(() => {
        if (!window.__mj.end && document.querySelector(".run-status[data-status='finished']")) window.__mj.end = performance.now();
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
"#;

/// A data set of `N_CALLS` rows, one model, every row sendable.
fn dataset() -> String {
    (0..N_CALLS)
        .map(|i| {
            let human: Vec<String> = (0..3 + i % 3).map(|j| format!("human reason {j} of row {i}")).collect();
            let model: Vec<String> = (0..1 + i % 5).map(|j| format!("model reason {j} of row {i}")).collect();
            json!({"id": i, "human-checklist": human, "bench-checklist": model, "bench-label": "A>B", "overall_preference": -1}).to_string() + "\n"
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let path = std::env::temp_dir().join("metajudge-bench-runner.jsonl");
    std::fs::write(&path, dataset()).unwrap();
    let faults = Faults {
        latency_ms: LATENCY_MS,
        ..Faults::default()
    };
    let server = JudgeServer::start(ServerConfig {
        tls: true,
        faults,
        ..ServerConfig::default()
    })
    .await;

    let h = Harness::start().await;
    h.open_app().await;
    h.upload(&path).await;
    h.open_runner().await;
    h.choose_run_file("bench-runner").await;
    for (label, value) in [
        ("Base URL", server.base_url()),
        ("API key", "test-key".into()),
        ("Judge model", "judge-test".into()),
        ("Concurrency", CONCURRENCY.to_string()),
    ] {
        h.fill(label, &value).await;
    }
    h.client.execute(PROBE, vec![]).await.unwrap();
    h.start_run().await;
    h.wait_for(
        ".run-status[data-status='finished']",
        Duration::from_secs(120),
    )
    .await;
    let m: Value = h
        .client
        .execute("return window.__mj;", vec![])
        .await
        .unwrap();
    let wall_s = (m["end"].as_f64().unwrap() - m["start"].as_f64().unwrap()) / 1000.0;

    let all_log = server.log();
    let n_preflights = all_log.iter().filter(|e| e.method == "OPTIONS").count();
    let log: Vec<_> = all_log.into_iter().filter(|e| e.method == "POST").collect();
    let successes = log.iter().filter(|e| e.outcome == "success").count();
    let first = log.iter().map(|e| e.started_ms).min().unwrap_or(0);
    let last = log.iter().map(|e| e.finished_ms).max().unwrap_or(0);
    let mut edges: Vec<(u64, i32)> = log
        .iter()
        .flat_map(|e| [(e.started_ms, 1), (e.finished_ms, -1)])
        .collect();
    edges.sort();
    let peak = edges
        .iter()
        .scan(0, |n, &(_, d)| {
            *n += d;
            Some(*n)
        })
        .max()
        .unwrap_or(0);
    let durations: Vec<u64> = log.iter().map(|e| e.finished_ms - e.started_ms).collect();
    let mean_ms = durations.iter().sum::<u64>() as f64 / durations.len().max(1) as f64;
    let busy = durations.iter().sum::<u64>() as f64 / ((last - first).max(1) as f64);
    println!("bench_runner: server side: mean request duration {mean_ms:.1} ms, mean requests in flight {busy:.1}, {n_preflights} CORS preflights");
    let ideal_s = N_CALLS.div_ceil(CONCURRENCY) as f64 * LATENCY_MS as f64 / 1000.0;
    println!("bench_runner: {N_CALLS} calls, concurrency {CONCURRENCY}, server latency {LATENCY_MS} ms, {successes} answered");
    println!("bench_runner: wall time (Start run -> Finished, in the page): {wall_s:.2} s");
    println!(
        "bench_runner: ideal ceil(N/C) x latency: {ideal_s:.2} s; ratio {:.3} (goal <= 1.1)",
        wall_s / ideal_s
    );
    println!(
        "bench_runner: server side: first request to last answer {:.2} s, peak concurrency {peak}",
        (last - first) as f64 / 1000.0
    );
    // The floor of this browser and machine: the same calls from a bare JavaScript fetch loop in
    // the same page (no app code), so the app's own overhead can be told from the browser's.
    server.clear_log();
    let js = r#"
        const [url, n, c] = arguments; const done = arguments[arguments.length - 1];
        const prompt = 'S1: a\nR1: b\nR2: c ' + 'x'.repeat(3600);
        let next = 0; const t0 = performance.now();
        async function worker() {
            while (next < n) {
                const i = next++;
                const r = await fetch(url + '/chat/completions', { method: 'POST', headers: { 'Authorization': 'Bearer test-key', 'Content-Type': 'application/json' },
                    body: JSON.stringify({ model: 'judge-test', messages: [{ role: 'user', content: prompt + i }], temperature: 0.6, max_tokens: 8192 }) });
                await r.text();
            }
        }
        Promise.all(Array.from({ length: c }, worker)).then(() => done(performance.now() - t0));
    "#;
    let plain: Value = h
        .client
        .execute_async(
            js,
            vec![
                Value::from(server.base_url()),
                Value::from(N_CALLS),
                Value::from(CONCURRENCY),
            ],
        )
        .await
        .unwrap();
    let plain_s = plain.as_f64().unwrap() / 1000.0;
    println!("bench_runner: bare JavaScript fetch loop, same calls, same page: {plain_s:.2} s; ratio {:.3}", plain_s / ideal_s);
    println!(
        "bench_runner: the app's overhead over the bare browser: {:+.1}%",
        (wall_s / plain_s - 1.0) * 100.0
    );
    h.stop().await;
    let _ = std::fs::remove_file(path);
}
