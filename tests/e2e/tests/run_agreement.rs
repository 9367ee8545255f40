//! End to end: two real matching runs as the Agreement tab's matchers. The 50-row fixture data
//! set (three models) is matched from the page by "judge-a" and then by "judge-b", two test
//! servers with different seeds; the first run, now stored, is added with "Add as matcher", the
//! second counts as the current run. The tab's figures equal `metajudge agree --json` on the
//! two runs' exports; a matcher panel of the two runs' files of one model joins the
//! leaderboard with the engine's figures for the exported files; and grouping the rank
//! comparison by data set shows the one data set, split by matcher.
//! Screenshots in target/e2e-screens/ for review.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

use e2e::judge_server::{JudgeServer, ServerConfig};
use e2e::{metajudge_json, repo_root, Harness};
use fantoccini::Locator;
use metajudge_studio::engine::dataset::load;
use metajudge_studio::engine::ensemble::ensemble;
use metajudge_studio::engine::summary::Options;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(120);

/// Chooses the option with this text in the matcher select whose label starts so.
const PICK_MATCHER: &str = r#"
    const [labelText, matcher] = arguments;
    const label = [...document.querySelectorAll('.matcher-select')].find(l => l.textContent.trim().startsWith(labelText));
    const select = label.querySelector('select');
    const option = [...select.options].find(o => o.text === matcher);
    if (!option) throw new Error('no matcher ' + matcher + ' among ' + [...select.options].map(o => o.text));
    select.value = option.value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
"#;

/// Runs the matching of the loaded data set by `judge` at `server`, waits for its end and
/// exports each model; returns the exported files that were not there before.
async fn run_and_export(h: &Harness, server: &JudgeServer, judge: &str) -> Vec<PathBuf> {
    let before: HashSet<PathBuf> = h.wait_for_downloads(|_| true).await.into_iter().collect();
    h.fill("Base URL", &server.base_url()).await;
    h.fill("API key", server.api_key()).await;
    h.fill("Judge model", judge).await;
    h.fill("Concurrency", "8").await;
    h.start_run().await;
    // Until the new run is the current one the progress still shows the last run's status,
    // "finished" among them: wait for this judge's run to be current (no "Open" button) first.
    h.client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::XPath(&format!(
            "//li[@class='saved-run'][contains(., 'judged by {judge}')][not(button[text()='Open'])]"
        )))
        .await
        .unwrap_or_else(|e| panic!("{judge}'s run does not become the current one: {e}"));
    h.wait_status("finished", WAIT).await;
    for button in h
        .client
        .find_all(Locator::Css(".run-export"))
        .await
        .unwrap()
    {
        button.click().await.unwrap();
    }
    let new = |files: &[PathBuf]| -> Vec<PathBuf> {
        files
            .iter()
            .filter(|p| !before.contains(*p) && p.extension().is_some_and(|x| x == "jsonl"))
            .cloned()
            .collect()
    };
    let files = h.wait_for_downloads(|files| new(files).len() >= 3).await;
    let mut out = new(&files);
    out.sort();
    assert!(
        out.iter()
            .all(|p| p.to_string_lossy().contains(&format!("-{judge}-"))),
        "{judge}'s exports: {out:?}"
    );
    out
}

#[track_caller]
fn check(what: &str, page: &str, cli: &Value) {
    let page = (page != "undefined").then(|| page.parse::<f64>().expect("a number"));
    match (page, cli.as_f64()) {
        (Some(p), Some(c)) => assert!((p - c).abs() <= 1e-12, "{what}: page {p}, cli {c}"),
        (p, c) => assert_eq!(p, c, "{what}: page and command line"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_runs_of_the_page_are_compared_as_matchers() {
    let server_a = JudgeServer::start(ServerConfig {
        seed: 11,
        model: "judge-a".into(),
        ..ServerConfig::default()
    })
    .await;
    let server_b = JudgeServer::start(ServerConfig {
        seed: 29,
        model: "judge-b".into(),
        ..ServerConfig::default()
    })
    .await;
    let data_path = repo_root().join("tests/fixtures/data/dataset-n50.jsonl");

    let h = Harness::start().await;
    h.open_app().await;
    h.prepare_run(&data_path, &[]).await;
    let files_a = run_and_export(&h, &server_a, "judge-a").await;
    let files_b = run_and_export(&h, &server_b, "judge-b").await;

    // The first run is stored: one click makes it a matcher; the second counts already.
    h.click("#tab-agreement").await;
    h.wait_for(".run-matchers > summary", WAIT)
        .await
        .click()
        .await
        .unwrap();
    let runs = h
        .client
        .find_all(Locator::Css(".run-matchers li.run-matcher"))
        .await
        .unwrap();
    assert_eq!(runs.len(), 2, "both runs are listed");
    h.wait_for(".run-matchers li.run-matcher button", WAIT)
        .await
        .click()
        .await
        .unwrap();
    h.client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::XPath(
            "//li[@class='run-matcher']/button[text()='Remove']",
        ))
        .await
        .expect("the stored run is added: its button says Remove");
    for (label, matcher) in [("Matcher A", "judge-a"), ("Matcher B", "judge-b")] {
        h.client
            .execute(PICK_MATCHER, vec![Value::from(label), Value::from(matcher)])
            .await
            .unwrap_or_else(|e| panic!("{label}: {e}"));
    }
    h.wait_for(".agreement-figures[data-models='3']", WAIT)
        .await;

    let paths = |files: &[PathBuf]| -> Vec<String> {
        files.iter().map(|p| p.display().to_string()).collect()
    };
    let args: Vec<String> = ["agree", "--json", "--matcher-a"]
        .into_iter()
        .map(String::from)
        .chain(paths(&files_a))
        .chain(std::iter::once("--matcher-b".to_string()))
        .chain(paths(&files_b))
        .collect();
    let cli = metajudge_json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(cli["models"], Value::from(3));
    for key in [
        "slope",
        "intercept",
        "r2",
        "rmse",
        "spearman",
        "kendall_tau_b",
    ] {
        let el = h
            .client
            .find(Locator::Css(&format!(
                ".agreement-figures [data-figure='{key}']"
            )))
            .await
            .unwrap();
        check(
            key,
            &el.attr("data-value").await.unwrap().unwrap(),
            &cli[key],
        );
    }
    for want in cli["per_model"].as_array().unwrap() {
        let model = want["model"].as_str().unwrap();
        let row = h
            .client
            .find(Locator::Css(&format!(
                ".agreement-table tr[data-model='{model}']"
            )))
            .await
            .unwrap_or_else(|e| panic!("{model}: {e}"));
        for key in ["rc_a", "rc_b", "rows", "items", "mean_abs_diff", "kappa_w"] {
            let cell = row
                .find(Locator::Css(&format!("td[data-key='{key}']")))
                .await
                .unwrap();
            let page = cell.attr("data-value").await.unwrap().unwrap();
            check(&format!("{model} {key}"), &page, &want[key]);
        }
    }
    println!(
        "e2e run agreement: 3 models, slope {}, r2 {}, spearman {}",
        cli["slope"], cli["r2"], cli["spearman"]
    );
    h.screenshot("agreement-runs").await;

    // A panel of both runs' model-a files: the engine's panel of the two exports.
    let exported = |files: &[PathBuf]| {
        let path = files
            .iter()
            .find(|p| p.to_string_lossy().contains("-model-a-"))
            .expect("model-a's export");
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        load(&name, &std::fs::read(path).unwrap())
    };
    let panel = ensemble(
        &[exported(&files_a), exported(&files_b)],
        None,
        &Options::default(),
    )
    .expect("a panel of two runs");
    h.client
        .execute(
            "const select = document.querySelector('.panel-builder select');
             select.value = 'model-a';
             select.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await
        .unwrap();
    let boxes = h
        .client
        .find_all(Locator::Css(".panel-builder-files input[type='checkbox']"))
        .await
        .unwrap();
    let mut ticked = 0;
    for input in boxes {
        let file = input.attr("data-file").await.unwrap().unwrap_or_default();
        if file.starts_with("dataset-n50") {
            input.click().await.unwrap();
            ticked += 1;
        }
    }
    assert_eq!(ticked, 2, "the two runs' files of model-a are offered");
    h.click(".panel-add").await;
    h.click("#tab-overview").await;
    let css = format!(".leaderboard-row[data-model='{}']", panel.report.model);
    h.wait_for(&css, WAIT).await;
    let cli: Value = serde_json::to_value(metajudge_studio::engine::export::FlatReport::new(
        &panel.report,
    ))
    .unwrap();
    h.assert_figures(&css, &cli).await;
    println!("e2e run agreement: {} RC {}", panel.report.model, cli["rc"]);

    // Both runs matched one data set, so grouping by data set names it.
    h.click("#tab-agreement").await;
    h.click("input[name='set-grouping'][value='dataset']").await;
    // The page redraws after the click: read the leaderboards' names until both show.
    let split = |names: &[String], judge: &str| {
        names
            .iter()
            .any(|n| n.contains("dataset-n50") && n.ends_with(judge))
    };
    let started = std::time::Instant::now();
    loop {
        let names: Value = h
            .client
            .execute(
                "return [...document.querySelectorAll('.benchmark-agreement-pick option')].map(o => o.text);",
                vec![],
            )
            .await
            .unwrap();
        let names: Vec<String> = serde_json::from_value(names).unwrap();
        if split(&names, "judge-a") && split(&names, "judge-b") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the data set's leaderboard, split by matcher judge-a and judge-b: {names:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    h.client
        .execute(
            "document.querySelector('.set-grouping').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
    h.screenshot("agreement-by-dataset").await;
    h.stop().await;
}
