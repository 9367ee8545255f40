//! End to end, SPEC section 9 in the page: the 50-row fixture judged once from the page against
//! the test server (one pair always fails there), then a second run of the same data set and
//! settings made for batch files: nothing is sent, its files are exported (one download per
//! file, no key in them), answered by the test crate's stand-in engine with the same seeded
//! answers (OpenAI's shape for some models, vLLM's for another; the same pair fails), imported
//! in two goes (files and lines shuffled; a duplicate with another answer, a line of another
//! run and a broken line in the second), and the page's figures of the batch run equal those
//! of the in-page run to 1e-12, also after a reload.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use e2e::batch_engine::{answer_file, completion, output_line, Shape};
use e2e::judge_server::{fingerprint, scripted_answer, Faults, JudgeServer, ServerConfig};
use e2e::{repo_root, Harness};
use fantoccini::Locator;
use metajudge_studio::engine::dataset::load;
use metajudge_studio::engine::prompt::{record_prompt, METAJUDGE_TEMPLATE};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(60);
const SEED: u64 = 42;
const KEY: &str = "test-key";

/// Every figure of the run's leaderboard rows: model -> [(key, value)].
async fn run_figures(h: &Harness) -> BTreeMap<String, Vec<(String, String)>> {
    let mut figures = BTreeMap::new();
    let rows = h
        .client
        .find_all(Locator::Css(".leaderboard-row[data-file$='run']"))
        .await
        .unwrap();
    for row in rows {
        let model = row.attr("data-model").await.unwrap().unwrap_or_default();
        let mut cells = Vec::new();
        for cell in row.find_all(Locator::Css("td[data-key]")).await.unwrap() {
            let key = cell.attr("data-key").await.unwrap().unwrap_or_default();
            let value = cell.attr("data-value").await.unwrap().unwrap_or_default();
            cells.push((key, value));
        }
        figures.insert(model, cells);
    }
    figures
}

#[track_caller]
fn assert_same_figures(
    batch: &BTreeMap<String, Vec<(String, String)>>,
    page: &BTreeMap<String, Vec<(String, String)>>,
    when: &str,
) {
    assert_eq!(
        batch.keys().collect::<Vec<_>>(),
        page.keys().collect::<Vec<_>>(),
        "{when}: the same models"
    );
    for (model, cells) in batch {
        assert_eq!(cells.len(), page[model].len(), "{when} {model}");
        for ((key, got), (page_key, want)) in cells.iter().zip(&page[model]) {
            assert_eq!(key, page_key);
            match (got.parse::<f64>(), want.parse::<f64>()) {
                (Ok(got), Ok(want)) => assert!(
                    (got - want).abs() <= 1e-12,
                    "{when} {model} {key}: batch {got}, page {want}"
                ),
                _ => assert_eq!(got, want, "{when} {model} {key}"),
            }
        }
    }
}

/// A counts cell of the import summary's row for `model` (or `total`).
async fn count(h: &Harness, model: &str, key: &str) -> usize {
    h.text(&format!(
        ".batch-counts[data-model='{model}'] td[data-key='{key}']"
    ))
    .await
    .parse()
    .unwrap()
}

/// Chooses `paths` in the import input and waits for a summary that differs from `before`.
async fn import(h: &Harness, paths: &[PathBuf], before: &str) -> String {
    let input = h
        .client
        .find(Locator::Css(".batch-import input[type='file']"))
        .await
        .unwrap();
    let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    input.send_keys(&list.join("\n")).await.unwrap();
    let started = std::time::Instant::now();
    loop {
        let now = match h.client.find(Locator::Css(".batch-summary")).await {
            Ok(summary) => summary.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if !now.is_empty() && now != before {
            return now;
        }
        assert!(started.elapsed() < WAIT, "no import summary");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn write(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_files_answered_elsewhere_give_the_figures_of_an_in_page_run() {
    let data_path = repo_root().join("tests/fixtures/data/dataset-n50.jsonl");
    let dataset = load("dataset-n50.jsonl", &std::fs::read(&data_path).unwrap());
    // Row 0 of the first model fails at the server and in the batch engine alike.
    let doomed = record_prompt(&dataset.records[0], 0, METAJUDGE_TEMPLATE, None).unwrap();
    let server = JudgeServer::start(ServerConfig {
        seed: SEED,
        faults: Faults {
            always_fail: vec![fingerprint(&doomed)],
            ..Faults::default()
        },
        ..ServerConfig::default()
    })
    .await;
    let h = Harness::start().await;
    h.open_app().await;
    let fields = [
        ("Base URL", server.base_url()),
        ("API key", KEY.to_string()),
        ("Judge model", server.model().to_string()),
        ("Concurrency", "8".to_string()),
        ("Retries", "1".to_string()),
    ];
    h.prepare_run(&data_path, &fields).await;

    // The in-page run.
    h.start_run().await;
    h.wait_status("finished", WAIT).await;
    assert_eq!(
        h.text(".run-numbers dd[data-key='failed']").await,
        "1 errors, 0 format errors"
    );
    let page = run_figures(&h).await;
    assert_eq!(page.len(), 3, "three models judged: {page:?}");
    let n_calls = server.log().len();

    // A run for batch files: made and exported without a single request.
    h.client
        .find(Locator::Css(".batch-prepare"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.wait_for(".batch-download", WAIT).await;
    h.wait_status("paused", WAIT).await;
    assert_eq!(server.log().len(), n_calls, "a batch run sends nothing");
    let buttons = h
        .client
        .find_all(Locator::Css(".batch-download"))
        .await
        .unwrap();
    assert_eq!(buttons.len(), 3, "one file per model");
    let mut inputs = Vec::new();
    for button in buttons {
        let name = button.attr("data-file").await.unwrap().unwrap();
        button.click().await.unwrap();
        let want = h.downloads.join(&name);
        h.wait_for_downloads(|files| files.contains(&want)).await;
        inputs.push(want);
    }
    h.screenshot("batch-files-exported").await;

    // The stand-in engine answers every file; the doomed pair fails there too.
    let texts: Vec<String> = inputs
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let first: Value = serde_json::from_str(texts[0].lines().next().unwrap()).unwrap();
    let doomed_id = first["custom_id"].as_str().unwrap().to_string();
    let run_id = doomed_id.split(':').nth(1).unwrap().to_string();
    assert_eq!(doomed_id, format!("mj1:{run_id}:match:0:0"));
    assert_eq!(first["body"]["messages"][0]["content"], doomed.as_str());
    let mut n_lines = 0;
    for text in &texts {
        assert!(!text.contains(KEY), "no key in a batch file");
        n_lines += text.lines().count();
    }
    let fail: HashSet<String> = [doomed_id.clone()].into_iter().collect();
    let out_dir = repo_root().join(format!("target/e2e-batch/{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out_dir);
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut openai_a = answer_file(&texts[0], SEED, Shape::OpenAi, &fail);
    let mut vllm_b = answer_file(&texts[1], SEED, Shape::Vllm, &fail);
    vllm_b.reverse();
    let openai_c = answer_file(&texts[2], SEED, Shape::OpenAi, &fail);
    // The last three answers of the first model come in a second file, with a second answer
    // (another, readable one) for a pair already answered, a line of another run and a
    // broken line.
    let mut late = openai_a.split_off(openai_a.len() - 3);
    let second_of: Value = serde_json::from_str(texts[0].lines().nth(1).unwrap()).unwrap();
    let prompt = second_of["body"]["messages"][0]["content"]
        .as_str()
        .unwrap();
    let other = completion("judge-test", prompt, &scripted_answer(SEED + 1, prompt));
    let second_id = second_of["custom_id"].as_str().unwrap();
    late.push(output_line(90, second_id, Shape::Vllm, Ok(other.clone())));
    late.push(output_line(
        91,
        "mj1:run-0:match:1:0",
        Shape::OpenAi,
        Ok(other),
    ));
    late.push("{\"custom_id\": \"mj1:".to_string());
    let first_go = [
        write(&out_dir, "model-c-output.jsonl", &openai_c),
        write(&out_dir, "model-b-vllm.jsonl", &vllm_b),
        write(&out_dir, "model-a-output.jsonl", &openai_a),
    ];
    let late = write(&out_dir, "late.jsonl", &late);

    let summary = import(&h, &first_go, "").await;
    let models = &dataset.models;
    assert_eq!(count(&h, "total", "answered").await, n_lines - 3 - 1);
    assert_eq!(count(&h, &models[0], "failed").await, 1, "{summary}");
    assert_eq!(count(&h, "total", "duplicates").await, 0);
    h.wait_status("paused", WAIT).await;

    let summary = import(&h, &[late], &summary).await;
    assert_eq!(count(&h, "total", "answered").await, 3, "{summary}");
    assert_eq!(count(&h, &models[0], "duplicates").await, 1);
    assert!(
        summary.contains("1 lines not from this run, 1 broken lines"),
        "{summary}"
    );
    assert!(
        summary.contains("late.jsonl:5: not from this run: custom_id `mj1:run-0:match:1:0`"),
        "{summary}"
    );
    assert!(summary.contains("late.jsonl:6: broken line"), "{summary}");
    h.wait_status("finished", WAIT).await;
    assert_eq!(
        h.text(".run-numbers dd[data-key='failed']").await,
        "1 errors, 0 format errors"
    );
    // The figures refresh from the answers' copy; give the memo a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_same_figures(&run_figures(&h).await, &page, "after the import");
    h.screenshot("batch-files-imported").await;

    // Stored, not only shown: after a reload the reopened run has the same figures.
    h.client.refresh().await.unwrap();
    h.wait_for(".leaderboard-row", WAIT).await;
    h.open_runner().await;
    h.wait_for(".saved-run button", WAIT)
        .await
        .click()
        .await
        .unwrap();
    h.wait_status("finished", WAIT).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_same_figures(&run_figures(&h).await, &page, "after a reload");
    assert_eq!(
        server.log().len(),
        n_calls,
        "the batch run never called the server"
    );
    println!(
        "e2e batch files: {n_lines} lines in {} files ({run_id}), figures equal the in-page run's",
        inputs.len()
    );
    h.stop().await;
}
