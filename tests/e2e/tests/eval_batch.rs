//! End to end: "Evaluate a judge" handed to a batch engine (SPEC 9 for the stages of SPEC 8).
//! Nothing is sent from the page (the endpoints point at a port where nothing listens, and no
//! key is given): each stage is made, its files are exported from under its progress, answered
//! by the test crate's stand-in engine with the test server's seeded answers (Generate in
//! OpenAI's output shape, Match in vLLM's), and imported; the next stage is made when the stage
//! has every answer, and when the matching has them the candidate's figures equal
//! `metajudge score --json` on its exported judged file.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use e2e::batch_engine::{answer_file, Shape};
use e2e::{metajudge_json, repo_root, Harness};
use fantoccini::Locator;

const WAIT: Duration = Duration::from_secs(60);
const SEED: u64 = 17;
const CANDIDATE: &str = "cand-batch";
/// Nothing listens on the discard port: a call from the page would fail and be seen.
const NOWHERE: &str = "http://127.0.0.1:9/v1";

/// Exports `stage`'s batch files, answers them in `shape` and imports the answers; returns
/// how many lines the files held.
async fn hand_over(h: &Harness, stage: &str, shape: Shape, out_dir: &Path) -> usize {
    let scope = format!(".stage-progress[data-stage='{stage}']");
    h.wait_stage(stage, "paused", WAIT).await;
    h.click(&format!("{scope} .batch-export")).await;
    h.wait_for(&format!("{scope} .batch-download"), WAIT).await;
    let buttons = h
        .client
        .find_all(Locator::Css(&format!("{scope} .batch-download")))
        .await
        .unwrap();
    let mut outputs = Vec::new();
    let mut n_lines = 0;
    for button in buttons {
        let name = button.attr("data-file").await.unwrap().unwrap();
        button.click().await.unwrap();
        let input = h.downloads.join(&name);
        h.wait_for_downloads(|files| files.contains(&input)).await;
        let text = std::fs::read_to_string(&input).unwrap();
        assert!(
            text.lines().all(|l| l.contains(&format!(":{stage}:"))),
            "{name}: every custom_id names the stage"
        );
        n_lines += text.lines().count();
        let answered = answer_file(&text, SEED, shape, &HashSet::new());
        let output = out_dir.join(format!("{stage}-{name}"));
        std::fs::write(&output, answered.join("\n") + "\n").unwrap();
        outputs.push(output.display().to_string());
    }
    h.client
        .find(Locator::Css(&format!(
            "{scope} .batch-import input[type='file']"
        )))
        .await
        .unwrap()
        .send_keys(&outputs.join("\n"))
        .await
        .unwrap();
    h.wait_stage(stage, "finished", WAIT).await;
    n_lines
}

#[tokio::test(flavor = "multi_thread")]
async fn an_evaluation_handed_to_a_batch_engine_ends_on_the_chart() {
    let out_dir = repo_root().join(format!("target/e2e-eval-batch/{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out_dir);
    std::fs::create_dir_all(&out_dir).unwrap();

    let h = Harness::start().await;
    h.open_app().await;
    h.click(".evaluate > summary").await;
    h.wait_for(".eval-setup", WAIT).await;
    h.click(".eval-by-batch").await;
    for (scope, model) in [
        (".eval-candidate", CANDIDATE),
        (".eval-matcher", "judge-test"),
    ] {
        h.fill_within(scope, "Base URL", NOWHERE).await;
        h.fill_within(scope, "Judge model", model).await;
    }
    h.click(".eval-start").await;

    let generate_lines = hand_over(&h, "generate", Shape::OpenAi, &out_dir).await;
    assert_eq!(generate_lines, 12, "one judge-prompt call per starter row");
    let match_lines = hand_over(&h, "match", Shape::Vllm, &out_dir).await;
    assert!(match_lines > 0);
    h.screenshot("eval-batch-finished").await;
    for stage in ["generate", "match"] {
        let (done, total) = h.stage_done(stage).await;
        assert_eq!(
            done, total,
            "{stage}: every pair answered from the batch files"
        );
        assert_eq!(
            h.text(&format!(
                ".stage-progress[data-stage='{stage}'] dd[data-key='failed']"
            ))
            .await,
            "0 errors, 0 format errors",
            "{stage}: the page sent nothing (it would have failed)"
        );
    }

    // The candidate is on the leaderboard; its judged file scores the same on the command line.
    h.click(&format!(".evaluate .run-export[data-model='{CANDIDATE}']"))
        .await;
    let file = h.wait_for_download("-metajudge.jsonl").await;
    let cli = metajudge_json(&["score", "--json", file.to_str().unwrap()]);
    h.assert_figures(
        &format!(".leaderboard-row[data-model='{CANDIDATE}'][data-file$='run']"),
        &cli[0],
    )
    .await;
    println!(
        "e2e eval batch: generate {generate_lines} lines (OpenAI shape), match {match_lines} lines (vLLM shape), RC {}",
        cli[0]["rc"]
    );
    h.stop().await;
}
