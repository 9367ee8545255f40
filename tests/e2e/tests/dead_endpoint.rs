//! End to end: a run against a dead endpoint (every call answered 500 with one message, as a
//! proxy without its upstream key answers) halts with that message after about
//! `SAME_FAILURES_TO_HALT` calls instead of retrying every row for ever, shows nothing in
//! flight, and goes on with one click on Resume once the endpoint works again; the page then
//! says which rows the run's OA counts.

use std::time::Duration;

use e2e::judge_server::{Faults, JudgeServer, ServerConfig};
use e2e::{repo_root, Harness};
use fantoccini::Locator;
use metajudge_studio::runner::streak::SAME_FAILURES_TO_HALT;

const WAIT: Duration = Duration::from_secs(90);
const CONCURRENCY: usize = 4;
const MESSAGE: &str = "no upstream key configured for this proxy";

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_endpoint_halts_the_run_with_its_message() {
    let server = JudgeServer::start(ServerConfig {
        faults: Faults {
            dead_message: Some(MESSAGE.into()),
            ..Faults::default()
        },
        ..ServerConfig::default()
    })
    .await;
    let data_path = repo_root().join("tests/fixtures/data/dataset-n50.jsonl");
    let h = Harness::start().await;
    h.open_app().await;
    // The default five retries, as in the report of issue 11.
    h.prepare_run(
        &data_path,
        &[
            ("Base URL", server.base_url()),
            ("API key", "test-key".to_string()),
            ("Judge model", "judge-test".to_string()),
            ("Concurrency", CONCURRENCY.to_string()),
        ],
    )
    .await;
    h.start_run().await;
    h.wait_status("halted", WAIT).await;

    let status = h.text(".run-status").await;
    assert!(
        status.contains(&format!("HTTP 500: {MESSAGE}")),
        "the halt shows the endpoint's message: {status}"
    );
    assert!(
        status.contains(&format!("the last {SAME_FAILURES_TO_HALT} calls")),
        "{status}"
    );
    // The run stops once every worker is done, so every call it made is in the log by now.
    let n_calls = server
        .log()
        .iter()
        .filter(|e| e.method == "POST" && e.path.ends_with("/chat/completions"))
        .count();
    assert!(
        (SAME_FAILURES_TO_HALT..=SAME_FAILURES_TO_HALT + CONCURRENCY).contains(&n_calls),
        "{n_calls} calls before the halt"
    );
    let remaining = h.text(".run-numbers dd[data-key='remaining']").await;
    assert!(
        remaining.ends_with("(0 in flight)"),
        "nothing is in flight once the run stopped: {remaining}"
    );
    h.screenshot("runner-dead-endpoint").await;

    // The proxy gets its key: one click on Resume sends the rest.
    server.set_faults(Faults::default());
    h.client
        .find(Locator::XPath(
            "//section[@class='run-progress']//button[text()='Resume']",
        ))
        .await
        .expect("a halted run offers Resume")
        .click()
        .await
        .unwrap();
    h.wait_status("finished", WAIT).await;
    let done = h.text(".run-numbers dd[data-key='done']").await;
    let numbers: Vec<usize> = done
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(numbers[0], numbers[1], "every pair answered after resuming");
    let remaining = h.text(".run-numbers dd[data-key='remaining']").await;
    assert!(remaining.ends_with("(0 in flight)"), "{remaining}");

    // The run's lines count only the pairs it sent (13 are left out), the data set's all its
    // rows: the page says so rather than showing two OAs of one model unexplained.
    let note = h.text(".leaderboard-note").await;
    assert!(note.contains("rows judged in this run"), "{note}");
    h.wait_intervals().await;
    let oa = h
        .client
        .find(Locator::Css(
            ".leaderboard-row[data-file$='run'] td[data-key='oa']",
        ))
        .await
        .unwrap();
    let title = oa.attr("title").await.unwrap().unwrap_or_default();
    assert!(title.starts_with("OA over the "), "{title}");
    h.screenshot("runner-dead-endpoint-resumed").await;
    h.stop().await;
}
