//! End to end: the release build works from any path of a static host, as GitHub Pages serves
//! a project site from `/<repo>/`, and asks for nothing that is not there (favicon included);
//! the engine worker loads from beside the page too.

use std::time::Duration;

use e2e::{parsed_attr, repo_root, Harness, RequestLog};
use fantoccini::Locator;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread")]
async fn demo_shows_from_a_sub_path_with_no_failed_request() {
    let log = RequestLog::default();
    let h = Harness::start_at("/any/sub/path/", log.clone()).await;
    h.client.goto(&h.app_url).await.unwrap();
    h.wait_for(".leaderboard-row[data-model='atlas-large']", WAIT)
        .await;
    h.wait_for(".scatter-chart-svg svg circle", WAIT).await;
    // The demo's intervals came from the engine worker, which loads from beside the page.
    h.wait_intervals().await;
    // Let late requests (the favicon, prefetches) arrive before reading the log.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let requests = log.0.lock().unwrap().clone();
    assert!(
        requests.iter().any(|(path, _)| path.ends_with(".wasm")),
        "the wasm was loaded from the sub-path: {requests:?}"
    );
    for worker_file in [
        "/any/sub/path/engine-worker_loader.js",
        "/any/sub/path/engine-worker.js",
        "/any/sub/path/engine-worker_bg.wasm",
    ] {
        assert!(
            requests.iter().any(|(path, _)| path == worker_file),
            "the engine worker loaded {worker_file}: {requests:?}"
        );
    }
    assert!(
        requests
            .iter()
            .all(|(path, _)| path.starts_with("/any/sub/path/")),
        "every request stays under the sub-path: {requests:?}"
    );
    assert_eq!(
        log.failed(),
        Vec::<(String, u16)>::new(),
        "no failed request"
    );
    h.screenshot("sub-path").await;
    h.stop().await;
}

/// A host that serves the page but not the engine worker's files (copied in part, say): the
/// page computes the intervals itself, and they are the same.
#[tokio::test(flavor = "multi_thread")]
async fn without_its_worker_the_page_computes_the_intervals_itself() {
    let dist = repo_root().join("target/e2e-dist-without-worker");
    let _ = std::fs::remove_dir_all(&dist);
    copy_dir(&repo_root().join("dist"), &dist, &|name| {
        !name.starts_with("engine-worker")
    });
    let intervals = |h: &Harness| {
        let client = h.client.clone();
        async move {
            let cell = client
                .find(Locator::Css(
                    ".leaderboard-row[data-model='atlas-large'] td[data-key='rc']",
                ))
                .await
                .expect("atlas-large's RC");
            let lo: f64 = parsed_attr(&cell, "data-lo").await;
            let hi: f64 = parsed_attr(&cell, "data-hi").await;
            (lo, hi)
        }
    };
    let with_worker = {
        let h = Harness::start().await;
        h.open_app().await;
        let got = intervals(&h).await;
        h.stop().await;
        got
    };
    let log = RequestLog::default();
    let h = Harness::start_serving(&dist, "/", log.clone()).await;
    h.open_app().await;
    let without = intervals(&h).await;
    assert!(
        without.0 < without.1,
        "an interval, not a point: {without:?}"
    );
    assert_eq!(without, with_worker, "the same intervals either way");
    let failed = log.failed();
    assert!(
        failed
            .iter()
            .any(|(path, status)| path == "/engine-worker_loader.js" && *status == 404),
        "the worker's loader was asked for and missing: {failed:?}"
    );
    h.stop().await;
}

/// A host that lost the later module of the split (or a network that failed it): the first
/// view shows, each part that needs the module says so with a button to try again, and once
/// the file is back, trying again brings the part.
#[tokio::test(flavor = "multi_thread")]
async fn without_its_later_module_the_first_view_shows_and_the_rest_says_why() {
    let dist = repo_root().join("target/e2e-dist-without-later");
    let _ = std::fs::remove_dir_all(&dist);
    copy_dir(&repo_root().join("dist"), &dist, &|name| {
        name != "split_later.wasm"
    });
    let app_dir = std::fs::read_dir(repo_root().join("dist"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.join("split_later.wasm").exists())
        .expect("dist/ is a split release build");
    let log = RequestLog::default();
    let h = Harness::start_serving(&dist, "/", log.clone()).await;
    h.open_app().await;
    let said = h
        .wait_for(".side-panel .load-error", WAIT)
        .await
        .text()
        .await
        .unwrap();
    assert!(said.contains("did not load"), "{said}");
    assert!(
        log.failed()
            .iter()
            .any(|(path, status)| path.ends_with("/split_later.wasm") && *status == 404),
        "the later module was asked for and missing: {:?}",
        log.failed()
    );
    h.screenshot("later-module-missing").await;
    // The file is back (the deploy finished): trying again brings the side panel.
    let back = dist
        .join(app_dir.file_name().unwrap())
        .join("split_later.wasm");
    std::fs::copy(app_dir.join("split_later.wasm"), back).unwrap();
    h.click(".side-panel .load-error button").await;
    h.wait_for("#file-input", WAIT).await;
    h.stop().await;
}

/// Copies the files of `from` whose names `keep` accepts into `to`, in every folder.
fn copy_dir(from: &std::path::Path, to: &std::path::Path, keep: &dyn Fn(&str) -> bool) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target, keep);
        } else if keep(&name) {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
