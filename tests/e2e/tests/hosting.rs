//! End to end: the release build works from any path of a static host, as GitHub Pages serves
//! a project site from `/<repo>/`, and asks for nothing that is not there (favicon included).

use std::time::Duration;

use e2e::{Harness, RequestLog};

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread")]
async fn demo_shows_from_a_sub_path_with_no_failed_request() {
    let log = RequestLog::default();
    let h = Harness::start_at("/any/sub/path/", log.clone()).await;
    h.client.goto(&h.app_url).await.unwrap();
    h.wait_for(".leaderboard-row[data-model='atlas-large']", WAIT)
        .await;
    h.wait_for(".scatter-chart-svg svg circle", WAIT).await;
    // Let late requests (the favicon, prefetches) arrive before reading the log.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let requests = log.0.lock().unwrap().clone();
    assert!(
        requests.iter().any(|(path, _)| path.ends_with(".wasm")),
        "the wasm was loaded from the sub-path: {requests:?}"
    );
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
