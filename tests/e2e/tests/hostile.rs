//! End to end: the hostile inputs of issue 12 that only a browser shows. A share link made to
//! hang the tab opens and the page answers at once; a file of 8,000 models loads and leaves
//! the page alive; a valid file loads after it; a link of 25,000 models opens with its first
//! 1,000 and says so.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use e2e::{repo_root, Harness};

const WAIT: Duration = Duration::from_secs(60);

/// Row 1 of the issue: one model whose RC interval is [-1e308, 1e308] overflowed the axis
/// range to infinity and the tick loop never ended. The link is refused with its reason, the
/// demo shows instead, and the page answers a script within a second.
#[tokio::test(flavor = "multi_thread")]
async fn row1_a_hanging_share_link_opens_and_the_page_answers_within_a_second() {
    let json = concat!(
        r#"{"y":"rc","marks":false,"families":[],"colours":[],"total":1,"trimmed":false,"#,
        r#""models":[["m","f",1,1,0,0,1,[0.4,-1e308,1e308],0.7,null,null,null,null,null,null,null]]}"#
    );
    let packed = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6));
    let h = Harness::start().await;
    h.client
        .goto(&format!("{}#share=v1.{packed}", h.app_url))
        .await
        .unwrap();
    let error = h.wait_for(".load-error", WAIT).await.text().await.unwrap();
    assert!(
        error.contains("cannot be read") && error.contains("impossible rc"),
        "{error}"
    );
    h.wait_for(".leaderboard-row[data-model='atlas-large']", WAIT)
        .await;
    let took = answers_within_a_second(&h).await;
    println!("hostile: the refused link's page answered a script in {took:?}");
    h.screenshot("hostile-share-link").await;
    h.stop().await;
}

/// Row 2: 8,000 rows each naming a new model froze the page for 84 s, then trapped, and the
/// page stayed dead for valid files after it. Now the file loads, and so does the next one.
#[tokio::test(flavor = "multi_thread")]
async fn row2_a_file_of_8000_models_loads_and_a_valid_file_loads_after_it() {
    let dir = repo_root().join("target/e2e-hostile");
    std::fs::create_dir_all(&dir).unwrap();
    let many = dir.join("models-8000.jsonl");
    let output = Command::new("python3")
        .arg(repo_root().join("tests/fixtures/gen_hostile.py"))
        .args(["models", "8000"])
        .output()
        .expect("python3 runs gen_hostile.py");
    assert!(output.status.success());
    std::fs::write(&many, &output.stdout).unwrap();

    let h = Harness::start().await;
    h.open_app().await;
    let start = Instant::now();
    h.upload(&many).await;
    h.wait_for(".leaderboard-row[data-model='m07999']", WAIT)
        .await;
    println!(
        "hostile: 8,000 models ({} bytes) loaded and shown in {:?}",
        output.stdout.len(),
        start.elapsed()
    );
    let valid: PathBuf = repo_root().join("tests/fixtures/data/dataset-n50.jsonl");
    assert!(valid.exists(), "{}", valid.display());
    h.upload(&valid).await;
    h.wait_for(".leaderboard-row[data-model='model-a']", WAIT)
        .await;
    h.screenshot("hostile-after-8000-models").await;
    h.stop().await;
}

/// Row 6: a hand-made link of 25,000 models froze the tab for over a minute while every model
/// was drawn. Now it opens with its first `MAX_SHARED_MODELS` (1,000), the banner says so, and
/// the page answers a script within a second once they are shown.
#[tokio::test(flavor = "multi_thread")]
async fn row6_a_link_of_25000_models_opens_its_first_1000_and_says_so() {
    let models: Vec<String> = (0..25_000)
        .map(|i| {
            let rc = 0.2 + (i % 600) as f64 / 1000.0;
            format!(
                r#"["m{i:05}","f",40,40,0,0,1,[{rc},{lo},{hi}],0.7,null,null,null,null,null,null,null]"#,
                lo = rc - 0.05,
                hi = rc + 0.05
            )
        })
        .collect();
    let json = format!(
        r#"{{"y":"rc","marks":false,"families":[],"colours":[],"total":25000,"trimmed":false,"models":[{}]}}"#,
        models.join(",")
    );
    let packed = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9));
    let h = Harness::start().await;
    let start = Instant::now();
    h.client
        .goto(&format!("{}#share=v1.{packed}", h.app_url))
        .await
        .unwrap();
    let banner = h
        .wait_for(".shared-banner", WAIT)
        .await
        .text()
        .await
        .unwrap();
    assert!(banner.contains("first 1000 of 25000 models"), "{banner}");
    h.wait_for(".leaderboard-row[data-model='m00999']", WAIT)
        .await;
    let shown = start.elapsed();
    let rows = h
        .client
        .execute(
            "return document.querySelectorAll('.leaderboard-row').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        rows,
        serde_json::json!(1000),
        "only the first 1,000 models are shown"
    );
    let took = answers_within_a_second(&h).await;
    println!(
        "hostile: a link of 25,000 models ({} characters) showed its first 1,000 in {shown:?}; the page then answered in {took:?}",
        packed.len()
    );
    h.stop().await;
}

/// Runs a script in the page and checks it answers within a second; returns how long it took.
async fn answers_within_a_second(h: &Harness) -> Duration {
    let start = Instant::now();
    let answer = h.client.execute("return 6 * 7", vec![]).await.unwrap();
    let took = start.elapsed();
    assert_eq!(answer, serde_json::json!(42));
    assert!(
        took < Duration::from_secs(1),
        "the page answered in {took:?}"
    );
    took
}
