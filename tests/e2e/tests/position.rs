//! End to end: position consistency in the leaderboard (a column only once a model judged in
//! both orders is loaded, equal to `metajudge score --json`) and in the table beside it, for a
//! data set judged in both orders (the `<model>@swap` columns the swap stage and `metajudge
//! genrm --swap` write).

use std::time::Duration;

use e2e::{metajudge_json, parsed_attr, repo_root, Harness};
use fantoccini::Locator;

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
    let before = h
        .client
        .find_all(Locator::Css(
            ".leaderboard td[data-key='position_consistency']",
        ))
        .await
        .unwrap();
    assert!(
        before.is_empty(),
        "no position column for the demo, judged in one order"
    );
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
    // The leaderboard's column: the command line's figure, and a dash for the others.
    let cli = metajudge_json(&["score", "--json", path.to_str().unwrap()]);
    let want = cli
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["model"] == "judge")
        .expect("the command line scores judge");
    let cell = h
        .wait_for(
            ".leaderboard-row[data-model='judge'] td[data-key='position_consistency']",
            Duration::from_secs(30),
        )
        .await;
    let page: f64 = parsed_attr(&cell, "data-value").await;
    assert_eq!(want["position_consistency"].as_f64(), Some(0.5));
    assert!((page - 0.5).abs() <= 1e-12, "page {page}");
    for (bound, key) in [("data-lo", 0), ("data-hi", 1)] {
        let page: f64 = parsed_attr(&cell, bound).await;
        let cli = want["intervals"]["position_consistency"][key]
            .as_f64()
            .unwrap();
        assert!(
            (page - cli).abs() <= 1e-12,
            "{bound}: page {page}, cli {cli}"
        );
    }
    let twin = h
        .text(".leaderboard-row[data-model='judge@swap'] td[data-key='position_consistency']")
        .await;
    assert_eq!(twin, "\u{2013}", "the twin itself has no figure");
    h.screenshot("position-consistency").await;
    h.stop().await;
}
