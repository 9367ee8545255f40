//! Benchmark: loading a judged file in the page, by default the speed issue's 22,116-row file
//! (`gen_fixtures.py outputs --n 22116 --model judge-big --seed 5`, 57.7 MB; `BENCH_ROWS=N`
//! for another size). Prints the time from choosing the file to its leaderboard row, how many
//! progress updates the page showed, and the longest stretch the main thread was blocked
//! (Chromium's long-task entries), which is what "freezing" means.
//!
//!   cargo run -p e2e --release --bin bench_load      (after `trunk build --release`)

use std::time::Duration;

use e2e::{repo_root, Harness};
use fantoccini::Locator;
use serde_json::Value;

/// Rows of `gen_fixtures.py outputs` (about 2.6 KB each): the speed issue's file.
const ROWS: usize = 22_116;

const PROBE: &str = r#"
    window.__mj = { progress: 0, longest: 0, longTasks: 0 };
    window.addEventListener('change', () => { window.__mj.chosen = performance.now(); }, true);
    new PerformanceObserver(list => {
        for (const e of list.getEntries()) {
            window.__mj.longTasks += 1;
            window.__mj.longest = Math.max(window.__mj.longest, e.duration);
        }
    }).observe({ type: 'longtask' });
    new MutationObserver(() => {
        const bar = document.querySelector('.load-item progress');
        if (bar && bar.value !== window.__mj.lastValue) { window.__mj.progress += 1; window.__mj.lastValue = bar.value; }
        if (document.querySelector('.leaderboard-row[data-model="judge-big"]') && !window.__mj.shown) {
            window.__mj.shown = performance.now();
        }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
"#;

#[tokio::main]
async fn main() {
    let rows: usize = std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ROWS);
    let path = std::env::temp_dir().join("metajudge-bench-20mb.jsonl");
    let generated = std::process::Command::new("python3")
        .arg(repo_root().join("tests/fixtures/gen_fixtures.py"))
        .args([
            "outputs",
            "--n",
            &rows.to_string(),
            "--model",
            "judge-big",
            "--seed",
            "5",
        ])
        .output()
        .expect("python3 runs gen_fixtures.py");
    std::fs::write(&path, &generated.stdout).unwrap();
    let mb = generated.stdout.len() as f64 / 1e6;

    let h = Harness::start().await;
    h.client.goto(&h.app_url).await.unwrap();
    h.wait_for(".leaderboard-row", Duration::from_secs(30))
        .await;
    h.client.execute(PROBE, vec![]).await.unwrap();
    let input = h.client.find(Locator::Css("#file-input")).await.unwrap();
    input.send_keys(path.to_str().unwrap()).await.unwrap();
    h.wait_for(
        ".leaderboard-row[data-model='judge-big']",
        Duration::from_secs(120),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let m: Value = h
        .client
        .execute("return window.__mj;", vec![])
        .await
        .unwrap();
    let f = |k: &str| m[k].as_f64().unwrap_or(f64::NAN);
    println!("bench_load: file {mb:.1} MB, {rows} rows");
    println!(
        "bench_load: choose -> leaderboard row: {:.0} ms",
        f("shown") - f("chosen")
    );
    println!("bench_load: progress bar updates seen: {}", f("progress"));
    println!(
        "bench_load: long tasks (> 50 ms): {}, longest main-thread block: {:.0} ms",
        f("longTasks"),
        f("longest")
    );
    let shot = h.screenshot("bench-load").await;
    println!("bench_load: the page after loading: {}", shot.display());
    h.stop().await;
    let _ = std::fs::remove_file(path);
}
