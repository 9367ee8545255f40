//! End to end: the built app in headless Chromium shows the demo, takes a file through the real
//! file input, and shows exactly the figures `metajudge score --json` gives for it.

use std::time::Duration;

use e2e::{metajudge_json, parsed_attr, repo_root, Harness};
use fantoccini::Locator;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(30);

/// Records, in the page, when a file is chosen and when the leaderboard first shows `model`.
const TIMING_PROBE: &str = r#"
    const model = arguments[0];
    window.__mj = {};
    window.addEventListener('change', () => { window.__mj.chosen = performance.now(); }, true);
    new MutationObserver((_, observer) => {
        if (document.querySelector(`.leaderboard-row[data-model="${model}"]`)) {
            window.__mj.shown = performance.now();
            observer.disconnect();
        }
    }).observe(document.body, { subtree: true, childList: true });
"#;

#[tokio::test(flavor = "multi_thread")]
async fn uploaded_file_shows_the_command_lines_figures() {
    let h = Harness::start().await;
    h.client.goto(&h.app_url).await.unwrap();

    // First visit: the synthetic demo, said to be synthetic, with a chart.
    h.wait_for(".leaderboard-row[data-model='atlas-large']", WAIT)
        .await;
    h.wait_for(".demo-banner", WAIT).await;
    h.wait_for(".scatter-chart-svg svg circle", WAIT).await;
    h.screenshot("demo").await;

    // Choose the 60-row judged file through the real <input type=file>.
    let path = repo_root().join("tests/fixtures/data/judged-judge-a-n60.jsonl");
    h.client
        .execute(TIMING_PROBE, vec![Value::from("judge-a")])
        .await
        .unwrap();
    let input = h.client.find(Locator::Css("#file-input")).await.unwrap();
    input.send_keys(path.to_str().unwrap()).await.unwrap();
    h.wait_for(".leaderboard-row[data-model='judge-a']", WAIT)
        .await;
    // The figures show at once; the row is drawn again when its intervals come back.
    let row = h
        .wait_for(
            ".leaderboard-row[data-model='judge-a'][data-intervals='ready']",
            WAIT,
        )
        .await;

    // The user's file replaced the demo.
    let rows = h
        .client
        .find_all(Locator::Css(".leaderboard-row"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "only the uploaded file's model is left");
    assert!(
        h.client.find(Locator::Css(".demo-banner")).await.is_err(),
        "the demo banner is gone"
    );

    // Every figure on the page equals the command line's, interval ends included.
    let cli = metajudge_json(&["score", "--json", path.to_str().unwrap()]);
    let cli = &cli[0];
    let cells = row.find_all(Locator::Css("td[data-key]")).await.unwrap();
    assert!(cells.len() >= 14);
    for cell in cells {
        let key = cell.attr("data-key").await.unwrap().unwrap();
        let page: f64 = parsed_attr(&cell, "data-value").await;
        let want = cli[&key]
            .as_f64()
            .unwrap_or_else(|| panic!("{key} missing from the command line's JSON"));
        assert!(
            (page - want).abs() <= 1e-12,
            "{key}: page {page}, command line {want}"
        );
        for (attr, end) in [("data-lo", 0), ("data-hi", 1)] {
            if let Some(shown) = cell.attr(attr).await.unwrap() {
                let shown: f64 = shown.parse().unwrap();
                let want = cli["intervals"][&key][end].as_f64().unwrap();
                assert!(
                    (shown - want).abs() <= 1e-12,
                    "{key} {attr}: page {shown}, command line {want}"
                );
            }
        }
    }
    h.wait_for(".scatter-chart-svg svg circle", WAIT).await;

    let timing = h
        .client
        .execute("return window.__mj;", vec![])
        .await
        .unwrap();
    let ms = timing["shown"].as_f64().unwrap() - timing["chosen"].as_f64().unwrap();
    println!(
        "e2e: judged-judge-a-n60.jsonl, from choosing the file to its leaderboard row: {ms:.1} ms"
    );
    println!(
        "e2e: screenshots in {}",
        h.screenshot("after-upload")
            .await
            .parent()
            .unwrap()
            .display()
    );
    h.stop().await;
}
