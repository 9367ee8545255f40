//! Benchmark: the first view, with the split (`tests/split-app`) and without it, side by side.
//!
//! Serves two release builds, every file gzipped (`gzip -9`, as static hosts serve them):
//! `dist/` (split) and `target/bench-unsplit/` (the same sources built with `METAJUDGE_SPLIT=0`,
//! first, on every run). Chromium's network is throttled (DevTools `Network.
//! emulateNetworkConditions`) to `BENCH_MBIT` Mbit/s down (default 10) with `BENCH_RTT_MS` of
//! latency (default 40). In `BENCH_RUNS` rounds (default 5) each build is opened once, in
//! turn, by a fresh browser (a cold cache), and the bench prints the time from navigation to
//! the demo's leaderboard (the first view), to the side panel's file input (the panel's code
//! is in the later module when split), and the bytes of wasm the page fetched by then.
//!
//! `BENCH_SHOT=1` also saves, in the first round, a screenshot of each build as its first view
//! shows (`target/e2e-screens/first-view-*.png`): the split one's side panel still loading.
//!
//!   cargo run -p e2e --release --bin bench_first_view      (after `trunk build --release`)

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use e2e::{repo_root, Harness, RequestLog};
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{json, Value};

/// Records when the first view and the side panel first show (run before the page's scripts).
const PROBE: &str = r#"
    window.__fv = {};
    new MutationObserver(() => {
        if (!window.__fv.view && document.querySelector('.leaderboard-row')) window.__fv.view = performance.now();
        if (!window.__fv.panel && document.querySelector('#file-input')) window.__fv.panel = performance.now();
    }).observe(document, { subtree: true, childList: true });
"#;

/// What the page had fetched by the time its first view showed: wasm bytes over the wire.
const READ: &str = r#"
    const wasm = performance.getEntriesByType('resource').filter(e => e.name.endsWith('.wasm'));
    const before = t => wasm.filter(e => e.responseEnd <= t).reduce((n, e) => n + e.transferSize, 0);
    return { view: window.__fv.view, panel: window.__fv.panel,
             wasm_at_view: before(window.__fv.view), wasm_at_panel: before(window.__fv.panel) };
"#;

/// A DevTools command through chromedriver.
#[derive(Debug)]
struct Cdp(Value);

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

#[tokio::main]
async fn main() {
    let env = |name: &str, default: f64| -> f64 {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (mbit, rtt, runs) = (
        env("BENCH_MBIT", 10.0),
        env("BENCH_RTT_MS", 40.0),
        env("BENCH_RUNS", 5.0) as usize,
    );
    let root = repo_root();
    let unsplit = root.join("target/bench-unsplit");
    let split_module = std::fs::read_dir(root.join("dist"))
        .expect("dist/: run `trunk build --release` first")
        .filter_map(|e| e.ok())
        .any(|e| e.path().join("split_later.wasm").exists());
    assert!(
        split_module,
        "dist/ is not a split release build: run `trunk build --release`"
    );
    // Built on every run, from the same sources as dist/: a build left from older sources
    // would compare two versions, not split against not split.
    {
        eprintln!(
            "building the release without the split into {}",
            unsplit.display()
        );
        let status = Command::new("trunk")
            .args(["build", "--release", "--dist"])
            .arg(&unsplit)
            .env("METAJUDGE_SPLIT", "0")
            .current_dir(&root)
            .status()
            .expect("trunk runs (tests/setup.sh installs it)");
        assert!(status.success(), "trunk build failed");
    }
    let builds = [
        (
            "split",
            gzipped_copy(
                &root.join("dist"),
                &root.join("target/bench-first-view/split"),
            ),
        ),
        (
            "not split",
            gzipped_copy(&unsplit, &root.join("target/bench-first-view/unsplit")),
        ),
    ];
    println!("first view of the demo, {mbit} Mbit/s down, {rtt} ms latency, gzip -9, cold cache");
    println!(
        "{:<10} {:>5} {:>14} {:>16} {:>14} {:>16}",
        "build", "round", "first view ms", "wasm by then KB", "side panel ms", "wasm by then KB"
    );
    let mut results: Vec<(&str, Vec<f64>, Vec<f64>)> = builds
        .iter()
        .map(|(n, _)| (*n, Vec::new(), Vec::new()))
        .collect();
    for round in 1..=runs {
        for (i, (name, dir)) in builds.iter().enumerate() {
            let h = Harness::start_serving(dir, "/", RequestLog::default()).await;
            for cmd in [
                json!({ "cmd": "Network.enable", "params": {} }),
                json!({ "cmd": "Network.setCacheDisabled", "params": { "cacheDisabled": true } }),
                json!({ "cmd": "Network.emulateNetworkConditions", "params": {
                    "offline": false, "latency": rtt,
                    "downloadThroughput": mbit * 1e6 / 8.0, "uploadThroughput": mbit * 1e6 / 8.0 } }),
                json!({ "cmd": "Page.addScriptToEvaluateOnNewDocument", "params": { "source": PROBE } }),
            ] {
                h.client
                    .issue_cmd(Cdp(cmd))
                    .await
                    .expect("a DevTools command");
            }
            h.client.goto(&h.app_url).await.unwrap();
            if round == 1 && std::env::var_os("BENCH_SHOT").is_some() {
                shoot_first_view(&h, name).await;
            }
            h.wait_for(".leaderboard-row", Duration::from_secs(60))
                .await;
            h.wait_for("#file-input", Duration::from_secs(60)).await;
            let got = h.client.execute(READ, vec![]).await.unwrap();
            let ms = |k: &str| got[k].as_f64().unwrap_or(f64::NAN);
            println!(
                "{name:<10} {round:>5} {:>14.0} {:>16.0} {:>14.0} {:>16.0}",
                ms("view"),
                ms("wasm_at_view") / 1e3,
                ms("panel"),
                ms("wasm_at_panel") / 1e3
            );
            results[i].1.push(ms("view"));
            results[i].2.push(ms("panel"));
            h.stop().await;
        }
    }
    println!();
    for (name, view, panel) in &mut results {
        println!(
            "{name:<10} median first view {:.0} ms, side panel {:.0} ms",
            median(view),
            median(panel)
        );
    }
}

/// A screenshot as soon as the demo's leaderboard shows (before the side panel, when split).
async fn shoot_first_view(h: &Harness, name: &str) {
    let probe = "return [!!document.querySelector('.leaderboard-row'), !!document.querySelector('#file-input')]";
    for _ in 0..3000 {
        let got = h.client.execute(probe, vec![]).await.unwrap();
        if got[0] == Value::Bool(true) {
            let file = format!("first-view-{}", name.replace(' ', "-"));
            let path = h.screenshot(&file).await;
            println!(
                "{name}: screenshot {} (side panel in: {})",
                path.display(),
                got[1]
            );
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A copy of `from` in `to` with a `.gz` (gzip -9) beside every file, which the server sends
/// to a browser that accepts gzip.
fn gzipped_copy(from: &Path, to: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to.parent().expect("a parent")).unwrap();
    let status = Command::new("cp")
        .arg("-r")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success(), "copying {}", from.display());
    let status = Command::new("sh")
        .arg("-c")
        .arg("find . -type f ! -name '*.gz' -exec gzip -9 -k -f {} +")
        .current_dir(to)
        .status()
        .unwrap();
    assert!(status.success(), "gzip in {}", to.display());
    to.to_path_buf()
}
