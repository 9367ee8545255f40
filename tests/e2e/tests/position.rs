//! End to end: position consistency beside the leaderboard, for a data set judged in both
//! orders (the `<model>@swap` columns the swap stage and `metajudge genrm --swap` write).

use std::time::Duration;

use e2e::{repo_root, Harness};

#[tokio::test(flavor = "multi_thread")]
async fn a_model_judged_in_both_orders_shows_its_position_consistency() {
    let rows = [
        ("A>B", "A>B", -1),
        ("A>B", "B>A", -1),
        ("B>A", "B>A", 2),
        ("A=B", "A>B", 1),
    ];
    let text: String = rows
        .iter()
        .map(|(given, swapped, preference)| {
            serde_json::json!({
                "overall_preference": preference,
                "human-checklist": ["h"],
                "judge-checklist": ["a"],
                "judge-label": given,
                "judge@swap-checklist": ["a"],
                "judge@swap-label": swapped,
            })
            .to_string()
                + "\n"
        })
        .collect();
    let dir = repo_root().join("target/e2e-position");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("swapped.jsonl");
    std::fs::write(&path, text).unwrap();

    let h = Harness::start().await;
    h.open_app().await;
    h.upload(&path).await;
    let cell = h
        .wait_for(
            ".position-table tr[data-model='judge'] td[data-key='position_consistency']",
            Duration::from_secs(30),
        )
        .await;
    // Rows 1 and 3 agree, row 2 does not, row 4's tie equals only a tie: 2 of 4.
    let shown = cell.text().await.unwrap();
    assert!(shown.starts_with("0.500 ["), "{shown}");
    h.screenshot("position-consistency").await;
    h.stop().await;
}
