//! End to end: the alignment zones on the headline chart, over the demo data. Ticking "Alignment
//! zones" shades and names both zones at the medians, a typed threshold moves them, and with
//! another figure on the y axis there are none and the option says why (screenshots in
//! target/e2e-screens/ for review).

use std::time::Duration;

use e2e::{repo_root, Harness};
use fantoccini::Locator;
use serde_json::json;

const WAIT: Duration = Duration::from_secs(30);
const AUTHENTIC: &str = "authentic alignment";
const TRAP: &str = "deceptive alignment trap";

/// The chart's SVG text as the page holds it.
async fn chart_svg(h: &Harness) -> String {
    h.client
        .execute(
            "const svg = document.querySelector('.scatter-chart-svg'); return svg ? svg.innerHTML : '';",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Waits until the chart's SVG satisfies `ready`, up to [`WAIT`].
async fn wait_for_svg(h: &Harness, what: &str, ready: impl Fn(&str) -> bool) -> String {
    let start = std::time::Instant::now();
    loop {
        let svg = chart_svg(h).await;
        if ready(&svg) {
            return svg;
        }
        assert!(start.elapsed() < WAIT, "the chart never showed {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Sets a form control found by `css` to `value` and fires `change`, as typing and leaving does.
async fn set_value(h: &Harness, css: &str, value: &str) {
    h.client
        .execute(
            "const el = document.querySelector(arguments[0]);
             el.value = arguments[1];
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(css), json!(value)],
        )
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
}

fn has_names(svg: &str) -> bool {
    svg.contains(AUTHENTIC) && svg.contains(TRAP)
}

#[tokio::test(flavor = "multi_thread")]
async fn alignment_zones_on_the_demo_chart() {
    let h = Harness::start().await;
    h.open_app().await;
    h.wait_for(".chart-point", WAIT).await;
    let svg = chart_svg(&h).await;
    assert!(
        !svg.contains(AUTHENTIC) && !svg.contains(TRAP),
        "zones are off by default"
    );

    h.client
        .find(Locator::Css(".zone-controls-show"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let svg = wait_for_svg(&h, "both zone names", has_names).await;
    // Two translucent fills, in the zones' colours.
    for fill in ["#009E73", "#D55E00"] {
        assert!(svg.contains(&format!("fill=\"{fill}\"")), "no {fill} zone");
    }
    let caption = h.text(".scatter-chart figcaption").await;
    assert!(
        caption.contains("shaded: authentic alignment (OA at least 0."),
        "{caption}"
    );
    // The empty fields stand for the medians, which their placeholders tell.
    let placeholder = h
        .client
        .find(Locator::Css("input[data-threshold='oa']"))
        .await
        .unwrap()
        .attr("placeholder")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(placeholder.starts_with("median 0."), "{placeholder}");

    h.client
        .execute(
            "document.querySelector('.scatter-chart').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    let page = h.screenshot("zones-demo").await;
    let chart = h
        .client
        .find(Locator::Css(".scatter-chart-area"))
        .await
        .unwrap()
        .screenshot()
        .await
        .unwrap();
    let chart_png = repo_root().join("target/e2e-screens/zones-demo-chart.png");
    std::fs::write(&chart_png, chart).unwrap();
    eprintln!("screenshots: {} {}", page.display(), chart_png.display());

    // A typed RC threshold moves the split; the caption says where.
    set_value(&h, "input[data-threshold='rc']", "0.25").await;
    let start = std::time::Instant::now();
    while !h
        .text(".scatter-chart figcaption")
        .await
        .contains("RC below 0.250")
    {
        assert!(start.elapsed() < WAIT, "the RC threshold did not apply");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Another figure on the y axis: no zones, and the option says why.
    set_value(&h, ".chart-controls select", "f1").await;
    wait_for_svg(&h, "no zones with F1", |svg| {
        svg.contains("F1") && !svg.contains(AUTHENTIC) && !svg.contains(TRAP)
    })
    .await;
    let controls = h.client.find(Locator::Css(".zone-controls")).await.unwrap();
    let why = controls.attr("title").await.unwrap().unwrap_or_default();
    assert!(why.contains("choose RC for the y axis"), "{why}");
    let checkbox = h
        .client
        .find(Locator::Css(".zone-controls-show"))
        .await
        .unwrap();
    assert!(!checkbox.is_enabled().await.unwrap(), "disabled with F1");

    // Back to RC: the zones return, with the typed threshold kept.
    set_value(&h, ".chart-controls select", "rc").await;
    wait_for_svg(&h, "the zones again", has_names).await;
    h.stop().await;
}
