//! Browser tests in headless Chromium (`cargo test --target wasm32-unknown-unknown`): the real
//! components mounted in a real page, fed with the fixtures.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use metajudge_studio::engine::dataset::load;
use metajudge_studio::engine::export::FlatReport;
use metajudge_studio::engine::summary::{evaluate_all, Options};
use metajudge_studio::pages::studio::Studio;
use metajudge_studio::reader::{read_file, CHUNK_BYTES};
use metajudge_studio::state::AppState;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const JUDGED_60: &[u8] = include_bytes!("fixtures/data/judged-judge-a-n60.jsonl");
const EDGE: &[u8] = include_bytes!("fixtures/edge/judged-edge-cases.jsonl");
const DATASET_50: &[u8] = include_bytes!("fixtures/data/dataset-n50.jsonl");

/// Mounts the studio in a fresh element with these files loaded; returns the element.
async fn mount_studio(files: &[(&str, &[u8])]) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let files: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    let provided = std::rc::Rc::new(std::cell::Cell::new(None));
    let handle = leptos::mount::mount_to(host.clone(), {
        let provided = provided.clone();
        move || {
            provided.set(Some(AppState::provide()));
            view! { <Studio /> }
        }
    });
    handle.forget();
    leptos::task::tick().await;
    // Added once the page runs, as a user's files are: the intervals resource has started by
    // then (a file added in the same turn as the state is made would not be seen by it).
    let state = provided.get().expect("the state is provided");
    for (name, bytes) in files {
        state.add(load(&name, &bytes), false, None);
    }
    leptos::task::tick().await;
    host.into()
}

/// Waits until every report under `root` has its intervals: here the engine worker's files are
/// not served, so the page computes them itself, a task later.
async fn intervals_ready(root: &Element) {
    for _ in 0..500 {
        let pending = root
            .query_selector("main.studio[data-intervals='pending']")
            .unwrap();
        if pending.is_none() && root.query_selector("main.studio").unwrap().is_some() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    panic!("the intervals did not come within 5 s");
}

/// Waits until `selector` matches under `root`: what the first view does not need is made once
/// its code is in (`pages::later`), a task after the rest.
async fn shown(root: &Element, selector: &str) {
    for _ in 0..500 {
        if root.query_selector(selector).unwrap().is_some() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    panic!("{selector} did not show within 5 s");
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

#[wasm_bindgen_test]
async fn leaderboard_cells_hold_the_engines_exact_figures() {
    let root = mount_studio(&[("judged-60.jsonl", JUDGED_60)]).await;
    intervals_ready(&root).await;
    let expected = FlatReport::new(
        &evaluate_all(&[load("judged-60.jsonl", JUDGED_60)], &Options::default())[0],
    );
    let expected = serde_json::to_value(&expected).unwrap();
    let rows = all(&root, ".leaderboard-row");
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].get_attribute("data-model").as_deref(),
        Some("judge-a")
    );
    let cells = all(&rows[0], "td[data-key]");
    assert!(cells.len() >= 14, "{} cells", cells.len());
    for cell in cells {
        let key = cell.get_attribute("data-key").unwrap();
        let shown: f64 = cell.get_attribute("data-value").unwrap().parse().unwrap();
        assert_eq!(shown, expected[&key].as_f64().unwrap(), "{key}");
        if let Some(lo) = cell.get_attribute("data-lo") {
            assert_eq!(
                lo.parse::<f64>().unwrap(),
                expected["intervals"][&key][0].as_f64().unwrap(),
                "{key} lo"
            );
        }
    }
}

#[wasm_bindgen_test]
async fn chart_draws_one_point_per_model_with_both_figures() {
    // The data set gives three models OA only; the judged file gives judge-a both figures.
    let root = mount_studio(&[
        ("judged-60.jsonl", JUDGED_60),
        ("dataset-50.jsonl", DATASET_50),
    ])
    .await;
    assert_eq!(all(&root, ".leaderboard-row").len(), 4);
    let svg = all(&root, ".scatter-chart-svg svg");
    assert_eq!(svg.len(), 1, "one chart");
    assert_eq!(
        all(&svg[0], "circle").len(),
        1,
        "only judge-a has RC and OA"
    );
    assert!(svg[0].text_content().unwrap().contains("judge-a"));
}

#[wasm_bindgen_test]
async fn sorting_by_a_header_reorders_the_rows() {
    let root = mount_studio(&[("dataset-50.jsonl", DATASET_50)]).await;
    let oa_values = |root: &Element| -> Vec<f64> {
        all(root, ".leaderboard-row td[data-key='oa']")
            .iter()
            .map(|c| c.get_attribute("data-value").unwrap().parse().unwrap())
            .collect()
    };
    let oa_header = all(&root, "th[title^='Outcome accuracy']")[0].clone();
    let oa_button: HtmlElement = all(&oa_header, "button")[0].clone().unchecked_into();
    oa_button.click();
    leptos::task::tick().await;
    assert_eq!(
        oa_header.get_attribute("aria-sort").as_deref(),
        Some("descending")
    );
    let descending = oa_values(&root);
    assert!(
        descending.windows(2).all(|w| w[0] >= w[1]),
        "{descending:?}"
    );
    oa_button.click();
    leptos::task::tick().await;
    assert_eq!(
        oa_header.get_attribute("aria-sort").as_deref(),
        Some("ascending")
    );
    let ascending = oa_values(&root);
    assert!(ascending.windows(2).all(|w| w[0] <= w[1]), "{ascending:?}");
    assert!(descending[0] > ascending[0], "the order changed");
}

#[wasm_bindgen_test]
async fn problems_panel_lists_bad_lines_errors_and_skips_with_line_numbers() {
    let root = mount_studio(&[("edge.jsonl", EDGE)]).await;
    shown(&root, ".problems-panel summary").await;
    let summary = all(&root, ".problems-panel summary")[0]
        .text_content()
        .unwrap();
    assert_eq!(
        summary,
        "Problems: 2 unreadable line(s), 6 error row(s), 2 skipped row(s), 1 verdict problem(s)"
    );
    let bad: Vec<String> = all(&root, ".problem-badline li")
        .iter()
        .map(|l| l.get_attribute("data-line").unwrap())
        .collect();
    assert_eq!(bad, ["4", "12"]);
    let text = root.text_content().unwrap();
    assert!(
        text.contains("line 12: expected a JSON object, found an array"),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn files_are_read_in_chunks_with_progress() {
    // A file of three and a half chunks: four chunks, one progress call each, and the same
    // rows as reading at once.
    let mut text = Vec::new();
    while (text.len() as f64) < 3.5 * CHUNK_BYTES {
        text.extend_from_slice(JUDGED_60);
    }
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(text.as_slice()));
    let file = web_sys::File::new_with_u8_array_sequence(&parts, "big.jsonl").unwrap();
    let mut calls = Vec::new();
    let loaded = read_file(&file, |done, total| calls.push((done, total)))
        .await
        .unwrap();
    assert_eq!(calls.len(), 4);
    assert_eq!(calls.last().unwrap().0, text.len() as f64);
    let at_once = load("big.jsonl", &text);
    assert_eq!(loaded.records, at_once.records);
    assert!(loaded.bad_lines.is_empty());
}

#[wasm_bindgen_test]
async fn answers_left_in_the_journal_count_for_their_run() {
    use metajudge_studio::engine::judged::{AnswerStatus, JudgedAnswer};
    use metajudge_studio::runner::plan::answer_key;
    use metajudge_studio::store;

    let answer = |line: usize, status: AnswerStatus| JudgedAnswer {
        line,
        model: "model-a".into(),
        status,
        text: None,
        finish_reason: None,
        usage: None,
        billed: None,
        error: None,
        attempts: 1,
        elapsed_ms: 0.0,
    };
    let run = "run-journal-test";
    store::save_answer(run, &answer(1, AnswerStatus::Error))
        .await
        .unwrap();
    store::flush_answers().await.unwrap();
    // What a failed recovery leaves behind: a newer answer of line 1, and line 2, only in the
    // journal; and an answer of another run whose id starts the same.
    let journal = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let entries = [
        (
            answer_key(run, "model-a", 1),
            answer(1, AnswerStatus::Success),
        ),
        (
            answer_key(run, "model-a", 2),
            answer(2, AnswerStatus::Success),
        ),
        (
            answer_key("run-journal-test-2", "model-a", 3),
            answer(3, AnswerStatus::Success),
        ),
    ];
    for (key, answer) in &entries {
        let json = serde_json::to_string(answer).unwrap();
        journal
            .set_item(&format!("metajudge-journal:{key}"), &json)
            .unwrap();
    }
    let mut loaded = store::load_answers(run).await.unwrap();
    for (key, _) in &entries {
        journal
            .remove_item(&format!("metajudge-journal:{key}"))
            .unwrap();
    }
    store::delete_run(run).await.unwrap();
    loaded.sort_by_key(|a| a.line);
    assert_eq!(loaded, [entries[0].1.clone(), entries[1].1.clone()]);
}

#[wasm_bindgen_test]
async fn the_overview_offers_the_report_and_writing_it_does_not_fail() {
    let root = mount_studio(&[("judged-60.jsonl", JUDGED_60)]).await;
    shown(&root, ".report-download button").await;
    let buttons = all(&root, ".report-download button");
    assert_eq!(buttons.len(), 1);
    assert_eq!(
        buttons[0].text_content().as_deref(),
        Some("Download report")
    );
    // Writes the report (chart, rows, settings) and hands it to the browser, which in a test
    // page only saves it; a panic on the way would fail the test.
    buttons[0].unchecked_ref::<HtmlElement>().click();
    leptos::task::tick().await;
}

/// The engine worker's door gives a job's figures where the worker's files are not served
/// (as here): computed on the page, the same as in place.
#[wasm_bindgen_test]
async fn the_worker_door_gives_the_figures_where_the_worker_cannot_load() {
    use metajudge_studio::engine::summary::{evaluate_models, evaluate_models_deferred};
    let file = load("judged-60.jsonl", JUDGED_60);
    let options = Options::default();
    let deferred = evaluate_models_deferred(&file, &[0], &options).remove(0);
    let job = deferred.job.clone().expect("intervals on");
    let figures = metajudge_studio::worker::page::figures(job).await;
    assert_eq!(
        deferred.report.with_figures(&figures),
        evaluate_models(&file, &[0], &options).remove(0)
    );
}
