//! End to end: the exploring screens in headless Chromium. A share link made in the page opens
//! with no file and shows the same table; markup in a checklist item is shown as text in the
//! sample view; every tab renders (screenshots in target/e2e-screens/ for review).

use std::time::Duration;

use e2e::{repo_root, Harness};
use fantoccini::Locator;
use serde_json::json;

const WAIT: Duration = Duration::from_secs(30);
const MARKUP: &str = "<img src=x onerror=alert(1)>";

async fn click(h: &Harness, css: &str) {
    h.client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

/// The leaderboard as (model, rc, oa) from the page's full-precision cells.
async fn table(h: &Harness) -> Vec<(String, f64, f64)> {
    let mut out = Vec::new();
    for row in h
        .client
        .find_all(Locator::Css(".leaderboard-row"))
        .await
        .unwrap()
    {
        let model = row.attr("data-model").await.unwrap().unwrap();
        let value = |key: &'static str| {
            let row = row.clone();
            async move {
                let cell = row
                    .find(Locator::Css(&format!("td[data-key='{key}']")))
                    .await
                    .unwrap();
                cell.attr("data-value")
                    .await
                    .unwrap()
                    .unwrap()
                    .parse::<f64>()
                    .unwrap()
            }
        };
        out.push((model, value("rc").await, value("oa").await));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn share_links_tabs_and_the_sample_view() {
    let h = Harness::start().await;
    h.client.goto(&h.app_url).await.unwrap();
    h.wait_for(".leaderboard-row[data-model='atlas-large']", WAIT)
        .await;
    h.wait_for(".chart-point", WAIT).await;
    let demo = table(&h).await;
    assert_eq!(demo.len(), 6);

    // Focus on a point tells its numbers.
    let point = h
        .client
        .find(Locator::Css(".chart-point[data-model='atlas-large']"))
        .await
        .unwrap();
    assert!(point
        .attr("aria-label")
        .await
        .unwrap()
        .unwrap()
        .starts_with("atlas-large: RC 0."));
    h.client
        .execute(
            "document.querySelector(\".chart-point[data-model='atlas-large']\").focus()",
            vec![],
        )
        .await
        .unwrap();
    h.wait_for(".chart-tooltip", WAIT).await;
    js_check(
        &h,
        "document.querySelector('.chart-controls input[type=checkbox]').click()",
    )
    .await;
    h.screenshot("explore-overview").await;

    // Downloads: the chart as SVG and PNG, the leaderboard as CSV, JSON and Markdown. One at a
    // time, as a user clicks: the PNG is saved after the chart is drawn on a canvas, and
    // Chromium lets a page save one file per click, so a click landing before it would turn the
    // late PNG into a "download multiple files" prompt that headless Chromium refuses.
    let has = |files: &[std::path::PathBuf], ext: &str| {
        files
            .iter()
            .any(|f| f.extension().is_some_and(|x| x == ext))
    };
    let mut files = Vec::new();
    for (css, exts) in [
        (
            ".scatter-chart .chart-download button",
            ["svg", "png"].as_slice(),
        ),
        (
            ".leaderboard-export button",
            ["csv", "json", "md"].as_slice(),
        ),
    ] {
        let buttons = h.client.find_all(Locator::Css(css)).await.unwrap();
        assert_eq!(buttons.len(), exts.len(), "the buttons of {css}");
        for (button, ext) in buttons.into_iter().zip(exts) {
            button.click().await.unwrap();
            files = h.wait_for_downloads(|files| has(files, ext)).await;
        }
    }
    let read = |ext: &str| {
        std::fs::read(
            files
                .iter()
                .find(|f| f.extension().is_some_and(|x| x == ext))
                .unwrap(),
        )
        .unwrap()
    };
    assert!(read("png").starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG file");
    assert!(String::from_utf8(read("svg")).unwrap().starts_with("<svg"));
    let csv = String::from_utf8(read("csv")).unwrap();
    assert!(
        csv.starts_with("file,model,kind,total") && csv.lines().count() == 7,
        "{csv}"
    );
    let json: serde_json::Value = serde_json::from_slice(&read("json")).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 6);
    let markdown = String::from_utf8(read("md")).unwrap();
    assert_eq!(
        markdown
            .lines()
            .filter(|l| l.starts_with("| atlas")
                || l.starts_with("| borealis")
                || l.starts_with("| cirrus"))
            .count(),
        6,
        "{markdown}"
    );

    // Paired comparison of two demo judges on the same rows: atlas-mini reasons less like humans.
    click(&h, "#tab-compare").await;
    let pick = "const [a, b] = arguments; const s = document.querySelectorAll('.report-select select'); \
        for (const [sel, name] of [[s[0], a], [s[1], b]]) { sel.value = [...sel.options].find(o => o.text.startsWith(name + ' ')).value; sel.dispatchEvent(new Event('change', {bubbles: true})); }";
    h.client
        .execute(pick, vec![json!("atlas-large"), json!("atlas-mini")])
        .await
        .unwrap();
    let diff = h
        .wait_for(".paired-summary td[data-key='rc_diff']", WAIT)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        diff.starts_with('+') && diff.contains("(interval excludes 0)"),
        "{diff}"
    );
    assert!(
        h.client
            .find_all(Locator::Css(".paired-rows tbody tr"))
            .await
            .unwrap()
            .len()
            >= 5
    );
    h.screenshot("explore-compare").await;
    click(&h, "#tab-overview").await;
    h.wait_for(".chart-point", WAIT).await;

    // A share link opens, in a fresh page, the same figures (to 4 decimals) with no file.
    click(&h, ".share-box > button").await;
    let link = h
        .wait_for(".share-link input", WAIT)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert!(link.contains("#share=v1."), "{link}");
    h.client.goto("about:blank").await.unwrap();
    h.client.goto(&link).await.unwrap();
    h.wait_for(".shared-banner", WAIT).await;
    h.wait_for(".leaderboard-row", WAIT).await;
    h.wait_for(".chart-point", WAIT).await;
    let shared = table(&h).await;
    assert_eq!(shared.len(), demo.len());
    for ((m1, rc1, oa1), (m2, rc2, oa2)) in demo.iter().zip(&shared) {
        assert_eq!(m1, m2);
        assert!(
            (rc1 - rc2).abs() <= 5e-5 && (oa1 - oa2).abs() <= 5e-5,
            "{m1}: {rc1} {oa1} vs {rc2} {oa2}"
        );
    }
    assert!(
        h.client.find(Locator::Css(".source-item")).await.is_err(),
        "no file is loaded"
    );
    let tabs = h
        .client
        .find_all(Locator::Css("[role=tab]:disabled"))
        .await
        .unwrap();
    // Breakdowns, Compare, Samples, Distributions and Agreement all need rows.
    assert_eq!(tabs.len(), 5, "only the overview works without rows");
    h.screenshot("explore-shared").await;

    // A file whose checklist item holds markup: the sample view shows it as text.
    let path = std::env::temp_dir().join(format!("metajudge-markup-{}.jsonl", std::process::id()));
    let row = json!({"prompt": "p", "samples": [{"generated_text": "<RESULT_START>\n- R1@S1: 0.75\n- R2@S0: 0\n<RESULT_END>"}], "status": "success",
        "metadata": {"id": 1, "domain": "code", "context": [{"role": "user", "content": format!("question {MARKUP}")}],
            "response1": "first", "response2": "second", "overall_preference": -1,
            "human-checklist": [format!("Response 1 {MARKUP}"), "Response 2 is short"], "m-checklist": [MARKUP, "a second reason"], "m-label": "A>B"}});
    std::fs::write(&path, format!("{row}\n")).unwrap();
    h.open_app().await;
    h.upload(&path).await;
    h.wait_for(".leaderboard-row[data-model='m']", WAIT).await;
    click(&h, "#tab-samples").await;
    js_check(&h, "const s = document.querySelector('.report-select select'); s.value = '0'; s.dispatchEvent(new Event('change', {bubbles: true}))").await;
    let card = h.wait_for(".sample-card", WAIT).await;
    let shown = card
        .find(Locator::Css("[data-item='S1']"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        shown.contains(MARKUP),
        "the markup is shown as text: {shown}"
    );
    let images = h
        .client
        .find_all(Locator::Css(".sample-card img"))
        .await
        .unwrap();
    assert!(images.is_empty(), "no element was made from the markup");
    assert_eq!(
        h.client
            .find_all(Locator::Css(".match-line"))
            .await
            .unwrap()
            .len(),
        1
    );
    h.client
        .execute(
            "document.querySelectorAll('.sample-card details').forEach(d => d.open = true)",
            vec![],
        )
        .await
        .unwrap();
    h.screenshot("explore-sample").await;
    let _ = std::fs::remove_file(path);

    // Every other tab renders with the 60-row file.
    let judged = repo_root().join("tests/fixtures/data/judged-judge-a-n60.jsonl");
    h.upload(&judged).await;
    // Keyboard: the next row with the right arrow.
    js_check(&h, "const s = document.querySelector('.report-select select'); s.value = '1'; s.dispatchEvent(new Event('change', {bubbles: true}))").await;
    h.wait_for(".sample-card[data-line='1']", WAIT).await;
    js_check(&h, "document.querySelector('.samples').focus()").await;
    h.client
        .find(Locator::Css(".samples"))
        .await
        .unwrap()
        .send_keys("\u{e014}")
        .await
        .unwrap();
    h.wait_for(".sample-card[data-line='2']", WAIT).await;
    for (tab, css) in [
        ("#tab-breakdowns", ".small-multiples-svg svg"),
        ("#tab-distributions", ".histograms-svg svg"),
    ] {
        click(&h, tab).await;
        h.wait_for(css, WAIT).await;
        h.screenshot(&format!("explore-{}", &tab[5..])).await;
    }
    h.stop().await;
}

async fn js_check(h: &Harness, script: &str) {
    h.client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"));
}
