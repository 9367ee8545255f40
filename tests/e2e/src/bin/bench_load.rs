//! Benchmark: loading a judged file in the page, by default the speed issue's 22,116-row file
//! (`gen_fixtures.py outputs --n 22116 --model judge-big --seed 5`, 57.7 MB; `BENCH_ROWS=N`
//! for another size), or with `BENCH_DATASET_MB=252` a data set of as many rows
//! (`gen_fixtures.py inputs --models 3`) whose responses are lengthened to make that size. Prints the time from choosing the file to its leaderboard row, how many
//! progress updates the page showed, and the longest stretch the main thread was blocked
//! (Chromium's long-task entries), which is what "freezing" means; and when the row's
//! intervals came back from the engine worker.
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
        if (document.querySelector('.leaderboard-row[data-model="MODEL"]') && !window.__mj.shown) {
            window.__mj.shown = performance.now();
        }
        if (document.querySelector('.leaderboard-row[data-model="MODEL"][data-intervals="ready"]') && !window.__mj.ready) {
            window.__mj.ready = performance.now();
        }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
"#;

/// Sets the right-for-the-wrong-reasons threshold to 0.3 and gives the longest task seen in
/// the next second.
const CHANGE_THRESHOLD: &str = r#"
    const done = arguments[arguments.length - 1];
    let longest = 0;
    new PerformanceObserver(list => {
        for (const e of list.getEntries()) longest = Math.max(longest, e.duration);
    }).observe({ type: 'longtask' });
    const label = [...document.querySelectorAll('label')]
        .find(l => l.textContent.includes('RC threshold for right-for-wrong-reasons'));
    const input = label.querySelector('input');
    input.value = '0.3';
    input.dispatchEvent(new Event('change', { bubbles: true }));
    setTimeout(() => done(longest), 1000);
"#;

#[tokio::main]
async fn main() {
    let rows: usize = std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ROWS);
    let dataset_mb: Option<f64> = std::env::var("BENCH_DATASET_MB")
        .ok()
        .and_then(|n| n.parse().ok());
    let path = std::env::temp_dir().join("metajudge-bench-load.jsonl");
    let rows_arg = rows.to_string();
    let (args, model) = match dataset_mb {
        Some(_) => (["inputs", "--n", &rows_arg, "--models", "3"], "model-a"),
        None => (
            ["outputs", "--n", &rows_arg, "--model", "judge-big"],
            "judge-big",
        ),
    };
    let generated = std::process::Command::new("python3")
        .arg(repo_root().join("tests/fixtures/gen_fixtures.py"))
        .args(args)
        .args(["--seed", "5"])
        .output()
        .expect("python3 runs gen_fixtures.py");
    let bytes = match dataset_mb {
        Some(mb) => lengthen_responses(&generated.stdout, mb * 1e6),
        None => generated.stdout,
    };
    std::fs::write(&path, &bytes).unwrap();
    let mb = bytes.len() as f64 / 1e6;

    let h = Harness::start().await;
    h.client.goto(&h.app_url).await.unwrap();
    h.wait_for(".leaderboard-row", Duration::from_secs(30))
        .await;
    h.client
        .execute(&PROBE.replace("MODEL", model), vec![])
        .await
        .unwrap();
    let input = h.client.find(Locator::Css("#file-input")).await.unwrap();
    input.send_keys(path.to_str().unwrap()).await.unwrap();
    // BENCH_SHOT_PENDING=1: a screenshot of the row as it first shows, figures final and
    // intervals still coming. Taking it blocks the page (a long task of its own), so the
    // figures of such a run are not the benchmark's.
    if std::env::var_os("BENCH_SHOT_PENDING").is_some() {
        let row = format!(".leaderboard-row[data-model='{model}']");
        let shown = h
            .client
            .wait()
            .at_most(Duration::from_secs(300))
            .for_element(Locator::Css(&row))
            .await;
        if shown.is_ok() {
            h.screenshot("bench-load-pending").await;
        }
    }
    h.wait_for(
        &format!(".leaderboard-row[data-model='{model}'][data-intervals='ready']"),
        Duration::from_secs(300),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let m: Value = h
        .client
        .execute("return window.__mj;", vec![])
        .await
        .unwrap();
    let f = |k: &str| m[k].as_f64().unwrap_or(f64::NAN);
    let kind = if dataset_mb.is_some() {
        "data set"
    } else {
        "judged file"
    };
    println!("bench_load: {kind} {mb:.1} MB, {rows} rows");
    println!(
        "bench_load: choose -> leaderboard row: {:.0} ms",
        f("shown") - f("chosen")
    );
    println!(
        "bench_load: choose -> its 95% intervals (engine worker): {:.0} ms",
        f("ready") - f("chosen")
    );
    println!("bench_load: progress bar updates seen: {}", f("progress"));
    println!(
        "bench_load: long tasks (> 50 ms): {}, longest main-thread block: {:.0} ms",
        f("longTasks"),
        f("longest")
    );
    // A change of what the figures make of the rows (the right-for-the-wrong-reasons
    // threshold): the rows scored when the file was read are kept, the figures made again.
    let changed: Value = h
        .client
        .execute_async(CHANGE_THRESHOLD, vec![])
        .await
        .unwrap();
    println!(
        "bench_load: after changing the RC threshold: longest main-thread block {:.0} ms",
        changed.as_f64().unwrap_or(f64::NAN)
    );
    let shot = h.screenshot("bench-load").await;
    println!("bench_load: the page after loading: {}", shot.display());
    h.stop().await;
    let _ = std::fs::remove_file(path);
}

/// The data set's lines with `response1` and `response2` lengthened by filler words, evenly,
/// so that the whole file is about `target` bytes.
fn lengthen_responses(jsonl: &[u8], target: f64) -> Vec<u8> {
    let text = String::from_utf8_lossy(jsonl);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let missing = (target - jsonl.len() as f64).max(0.0);
    let per_response = (missing / (2.0 * lines.len().max(1) as f64)) as usize;
    let filler = " lorem".repeat(per_response / 6 + 1);
    let mut out = Vec::with_capacity(target as usize + 1);
    for line in lines {
        let mut row: Value = serde_json::from_str(line).expect("a generated row");
        for key in ["response1", "response2"] {
            if let Some(Value::String(response)) = row.get_mut(key) {
                response.push_str(&filler[..per_response]);
            }
        }
        out.extend_from_slice(row.to_string().as_bytes());
        out.push(b'\n');
    }
    out
}
