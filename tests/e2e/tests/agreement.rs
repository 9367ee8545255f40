//! End to end: the Agreement tab. The demo shows two synthetic matchers on a first visit; then
//! judged files of the same six models by matcher A (files that record their judge model) and
//! by a perturbed matcher B (files that record none, named in the tab) are uploaded, and the
//! tab's figures equal `metajudge agree --json` on the same files. Too few common models is said
//! in words. Screenshots in target/e2e-screens/ for review, light and dark.

use std::path::{Path, PathBuf};
use std::time::Duration;

use e2e::{metajudge_json, repo_root, Harness};
use fantoccini::Locator;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(30);
const MODELS: [&str; 6] = [
    "atlas-large",
    "atlas-mini",
    "borealis-pro",
    "borealis-lite",
    "cirrus-70b",
    "cirrus-7b",
];
const MATCHER_A: &str = "demo-matcher (synthetic)";
const MATCHER_B: &str = "matcher-b";

/// Names the matcher of every file that records none, as a user typing in each field would.
const NAME_MATCHERS: &str = r#"
    const inputs = [...document.querySelectorAll('.matcher-files input.matcher-name')];
    if (inputs.length === 0) throw new Error('no file without a matcher');
    for (const input of inputs) {
        input.value = arguments[0];
        input.dispatchEvent(new Event('change', { bubbles: true }));
    }
    return inputs.length;
"#;

/// Chooses the option with this text in the matcher select whose label starts so.
const PICK_MATCHER: &str = r#"
    const [labelText, matcher] = arguments;
    const label = [...document.querySelectorAll('.matcher-select')].find(l => l.textContent.trim().startsWith(labelText));
    const select = label.querySelector('select');
    const option = [...select.options].find(o => o.text === matcher);
    if (!option) throw new Error('no matcher ' + matcher);
    select.value = option.value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
"#;

/// The stylesheet's dark rules applied unconditionally (as the accessibility test does).
const FORCE_DARK: &str = r#"
    const rules = [];
    for (const sheet of document.styleSheets) {
        for (const rule of sheet.cssRules) {
            if (rule instanceof CSSMediaRule && rule.conditionText.includes('prefers-color-scheme: dark')) {
                for (const inner of rule.cssRules) rules.push(inner.cssText);
            }
        }
    }
    const style = document.createElement('style');
    style.textContent = rules.join('\n');
    document.head.appendChild(style);
"#;

async fn pick(h: &Harness, label: &str, matcher: &str) {
    h.client
        .execute(PICK_MATCHER, vec![Value::from(label), Value::from(matcher)])
        .await
        .unwrap();
}

/// A page value: a number, or `None` for "undefined" (the command line's `null`).
fn value(text: &str) -> Option<f64> {
    (text != "undefined").then(|| text.parse().expect("a number"))
}

#[track_caller]
fn check(what: &str, page: Option<f64>, cli: &Value) {
    match (page, cli.as_f64()) {
        (Some(p), Some(c)) => assert!((p - c).abs() <= 1e-12, "{what}: page {p}, cli {c}"),
        (p, c) => assert_eq!(p, c, "{what}: page and command line"),
    }
}

/// Writes matcher A's files (the demo's, which record their judge model) and matcher B's (the
/// demo's second matcher, its judge model taken out) under distinct names.
fn write_files(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    std::fs::create_dir_all(dir).unwrap();
    let demo = repo_root().join("public/demo");
    let mut a = Vec::new();
    let mut b = Vec::new();
    for model in MODELS {
        let path_a = dir.join(format!("a-{model}.jsonl"));
        std::fs::copy(demo.join(format!("{model}.jsonl")), &path_a).unwrap();
        a.push(path_a);
        let text = std::fs::read_to_string(demo.join(format!("matcher-b/{model}.jsonl"))).unwrap();
        let stripped: String = text
            .lines()
            .map(|line| {
                let mut row: Value = serde_json::from_str(line).unwrap();
                row["metajudge"]
                    .as_object_mut()
                    .unwrap()
                    .remove("judge_model");
                row.to_string() + "\n"
            })
            .collect();
        let path_b = dir.join(format!("b-{model}.jsonl"));
        std::fs::write(&path_b, stripped).unwrap();
        b.push(path_b);
    }
    (a, b)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_agreement_tab_shows_the_command_lines_figures() {
    let h = Harness::start().await;
    h.open_app().await;

    // First visit: the demo's two synthetic matchers, compared.
    h.click("#tab-agreement").await;
    h.wait_for(".agreement-svg svg circle", WAIT).await;
    let demo_rows = h
        .client
        .find_all(Locator::Css(".agreement-table tbody tr"))
        .await
        .unwrap();
    assert_eq!(demo_rows.len(), 6, "the demo's six models, both matchers");
    h.screenshot("agreement-demo").await;
    h.click(".differing-rows button").await;
    h.wait_for(".row-pair .match-view", WAIT).await;
    h.screenshot("agreement-demo-row-pair").await;

    let dir = repo_root().join("target/e2e-agreement");
    let (files_a, files_b) = write_files(&dir);

    // Two models on each side: too few, said in words.
    for path in files_a[..2].iter().chain(&files_b[..2]) {
        h.upload(path).await;
    }
    h.click("#tab-agreement").await;
    h.client
        .execute(NAME_MATCHERS, vec![Value::from(MATCHER_B)])
        .await
        .unwrap();
    pick(&h, "Matcher B", MATCHER_B).await;
    let error = h
        .wait_for(".agreement-error", WAIT)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        error.contains("at least 3 models") && error.contains("found 2"),
        "{error}"
    );
    assert!(!error.contains("NaN"), "{error}");

    // All six on both sides.
    for path in files_a[2..].iter().chain(&files_b[2..]) {
        h.upload(path).await;
    }
    h.click("#tab-agreement").await;
    let named = h
        .client
        .execute(NAME_MATCHERS, vec![Value::from(MATCHER_B)])
        .await
        .unwrap();
    assert_eq!(named, Value::from(6), "each B file asks for its matcher");
    pick(&h, "Matcher A", MATCHER_A).await;
    pick(&h, "Matcher B", MATCHER_B).await;
    h.wait_for(".agreement-figures[data-models='6']", WAIT)
        .await;

    let args: Vec<String> = std::iter::once("agree".to_string())
        .chain(["--json".into(), "--matcher-a".into()])
        .chain(files_a.iter().map(|p| p.display().to_string()))
        .chain(std::iter::once("--matcher-b".into()))
        .chain(files_b.iter().map(|p| p.display().to_string()))
        .collect();
    let cli = metajudge_json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(cli["models"], Value::from(6));
    for key in [
        "slope",
        "intercept",
        "r2",
        "rmse",
        "spearman",
        "kendall_tau_b",
    ] {
        let css = format!(".agreement-figures [data-figure='{key}']");
        let el = h.client.find(Locator::Css(&css)).await.unwrap();
        let page = el.attr("data-value").await.unwrap().unwrap();
        check(key, value(&page), &cli[key]);
    }
    let per_model = cli["per_model"].as_array().unwrap();
    assert_eq!(per_model.len(), 6);
    for want in per_model {
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
            check(&format!("{model} {key}"), value(&page), &want[key]);
        }
    }
    h.screenshot("agreement-uploaded").await;

    // A differing row opens in the sample view, on matcher B's file.
    h.click(".differing-rows tr:first-child button:nth-child(3)")
        .await;
    h.wait_for(".sample-card", WAIT).await;
    h.click("#tab-agreement").await;
    h.wait_for(".agreement-svg svg circle", WAIT).await;
    h.client.execute(FORCE_DARK, vec![]).await.unwrap();
    h.screenshot("agreement-dark").await;
    h.stop().await;
}
