//! End to end: judging the judges in the page. The right-for-wrong-reasons column equals
//! `metajudge score --json` on the demo files at the default threshold and at one typed under
//! Scoring; a matcher panel of two judged files of one model (a demo file and a perturbed copy)
//! joins the leaderboard as "atlas-large · panel of 2" with the engine's figures (screenshots
//! in target/e2e-screens/ for review).

use std::path::PathBuf;
use std::time::Duration;

use e2e::{metajudge_json, repo_root, Harness};
use fantoccini::Locator;
use metajudge_studio::engine::dataset::load;
use metajudge_studio::engine::ensemble::ensemble;
use metajudge_studio::engine::summary::Options;
use serde_json::json;

const WAIT: Duration = Duration::from_secs(30);
const RFWR: &str = "right_for_wrong_reasons";
const PANEL: &str = "atlas-large \u{b7} panel of 2";

/// `data-value` of the `key` cell of every leaderboard row, by model (a dash reads as `None`).
async fn column(h: &Harness, key: &str) -> Vec<(String, Option<f64>)> {
    let rows = h
        .client
        .execute(
            "return [...document.querySelectorAll('.leaderboard-row')].map(row => [
                row.dataset.model,
                row.querySelector(`td[data-key='${arguments[0]}']`).dataset.value]);",
            vec![json!(key)],
        )
        .await
        .unwrap();
    let mut out: Vec<(String, Option<f64>)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            let model = pair[0].as_str().unwrap().to_string();
            (model, pair[1].as_str().and_then(|v| v.parse().ok()))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The command line's figure `key` of every demo file, by model.
fn cli_column(key: &str, extra: &[&str]) -> Vec<(String, Option<f64>)> {
    let files = demo_files();
    let mut args = vec!["score", "--json"];
    args.extend_from_slice(extra);
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let cli = metajudge_json(&args);
    let mut out: Vec<(String, Option<f64>)> = cli
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["model"].as_str().unwrap().to_string(), r[key].as_f64()))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn demo_files() -> Vec<PathBuf> {
    let dir = repo_root().join("public/demo");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    files
}

#[track_caller]
fn check_close(page: &[(String, Option<f64>)], want: &[(String, Option<f64>)]) {
    assert_eq!(page.len(), want.len(), "{page:?} against {want:?}");
    for ((model, got), (cli_model, expected)) in page.iter().zip(want) {
        assert_eq!(model, cli_model);
        match (got, expected) {
            (Some(a), Some(b)) => assert!((a - b).abs() <= 1e-12, "{model}: page {a}, cli {b}"),
            _ => assert_eq!(got, expected, "{model}"),
        }
    }
}

/// Sets the right-for-wrong-reasons threshold as typing and leaving the field does.
async fn set_threshold(h: &Harness, value: &str) {
    h.client
        .execute(
            "const input = document.querySelector('.options-bar .number-field input');
             input.value = arguments[0];
             input.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(value)],
        )
        .await
        .unwrap();
}

/// Waits until the page's column `key` equals `want`.
async fn wait_for_column(h: &Harness, key: &str, want: &[(String, Option<f64>)]) {
    let start = std::time::Instant::now();
    loop {
        let page = column(h, key).await;
        let same = page.len() == want.len()
            && page.iter().zip(want).all(|((m, a), (n, b))| {
                m == n && a.zip(*b).map_or(a == b, |(a, b)| (a - b).abs() <= 1e-12)
            });
        if same || start.elapsed() > WAIT {
            return check_close(&page, want);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn right_for_wrong_reasons_matches_the_command_line() {
    let h = Harness::start().await;
    h.open_app().await;
    let default = cli_column(RFWR, &[]);
    assert_eq!(default.len(), 6);
    assert!(default.iter().any(|(_, v)| v.is_some_and(|v| v > 0.0)));
    wait_for_column(&h, RFWR, &default).await;
    let header = h.text(".leaderboard thead").await;
    assert!(header.contains("Right, wrong reasons"), "{header}");

    let raised = cli_column(RFWR, &["--rfwr-threshold", "0.5"]);
    assert_ne!(raised, default, "a higher threshold counts more rows");
    set_threshold(&h, "0.5").await;
    wait_for_column(&h, RFWR, &raised).await;
    h.screenshot("judges-rfwr-threshold").await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_panel_of_two_matchers_joins_the_leaderboard() {
    let dir = repo_root().join("target/e2e-judges");
    std::fs::create_dir_all(&dir).unwrap();
    let original =
        std::fs::read_to_string(repo_root().join("public/demo/atlas-large.jsonl")).unwrap();
    // Matcher B scores some matches differently; rows and verdicts stay the same.
    let perturbed = original
        .replace(": 0.50\\n", ": 1.00\\n")
        .replace(": 0.75\\n", ": 0.25\\n");
    assert_ne!(perturbed, original);
    let (a, b) = (
        dir.join("atlas-large-by-a.jsonl"),
        dir.join("atlas-large-by-b.jsonl"),
    );
    std::fs::write(&a, &original).unwrap();
    std::fs::write(&b, &perturbed).unwrap();
    let files = [
        load("atlas-large-by-a.jsonl", original.as_bytes()),
        load("atlas-large-by-b.jsonl", perturbed.as_bytes()),
    ];
    let expected = ensemble(&files, None, &Options::default()).expect("a panel of two");
    assert_eq!(expected.report.model, PANEL);

    let h = Harness::start().await;
    h.open_app().await;
    h.upload(&a).await;
    h.upload(&b).await;
    for file in ["atlas-large-by-a.jsonl", "atlas-large-by-b.jsonl"] {
        h.wait_for(&format!(".panel-builder input[data-file='{file}']"), WAIT)
            .await
            .click()
            .await
            .unwrap();
    }
    h.client
        .find(Locator::Css(".panel-add"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.wait_for(&format!(".leaderboard-row[data-model='{PANEL}']"), WAIT)
        .await;
    let rc = column(&h, "rc").await;
    let panel = rc.iter().find(|(m, _)| m == PANEL).and_then(|(_, v)| *v);
    let want = expected.report.figures.rc.map(|s| s.mean);
    assert!(
        panel.zip(want).is_some_and(|(p, w)| (p - w).abs() <= 1e-12),
        "panel RC: page {panel:?}, engine {want:?}"
    );
    assert_eq!(rc.len(), 3, "both files and the panel: {rc:?}");
    let listed = h.text(".panel-list").await;
    assert!(listed.contains(PANEL), "{listed}");
    h.screenshot("judges-panel").await;
    h.stop().await;
}
