//! End to end: accessibility as a test. axe-core (installed by tests/setup.sh) checks every tab
//! of the demo and the open runner form, in the light colours and then in the dark ones; no
//! serious or critical violation may remain.

use std::time::Duration;

use e2e::{repo_root, Harness};
use fantoccini::Locator;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(30);

/// Runs axe on the whole page and returns its serious and critical violations, each with the
/// first few nodes' selectors and markup (the rest would only repeat the same fix).
const RUN_AXE: &str = r#"
    const done = arguments[arguments.length - 1];
    axe.run(document, { resultTypes: ['violations'] })
        .then(r => done(r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.length,
                first: v.nodes.slice(0, 3).map(n => ({ target: n.target.join(' '), html: n.html.slice(0, 200) })),
            }))))
        .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: 0, first: [] }]));
"#;

/// The checked screens: a name for the report and the tab that shows it.
const SCREENS: [(&str, &str); 6] = [
    ("overview", "#tab-overview"),
    ("breakdowns", "#tab-breakdowns"),
    ("compare two", "#tab-compare"),
    ("samples", "#tab-samples"),
    ("distributions", "#tab-distributions"),
    ("agreement", "#tab-agreement"),
];

/// Applies the stylesheet's `prefers-color-scheme: dark` rules unconditionally: the headless
/// browser prefers light, and the harness's browser options are shared by every test.
const FORCE_DARK: &str = r#"
    const rules = [];
    for (const sheet of document.styleSheets) {
        for (const rule of sheet.cssRules) {
            if (rule instanceof CSSMediaRule && rule.conditionText.includes('prefers-color-scheme: dark')) {
                for (const inner of rule.cssRules) rules.push(inner.cssText);
            }
        }
    }
    if (rules.length === 0) throw new Error('no dark-mode rules in the stylesheet');
    const style = document.createElement('style');
    style.textContent = rules.join('\n');
    document.head.appendChild(style);
"#;

/// One readable line a violation, then its first nodes indented.
fn describe(screen: &str, violations: &[Value]) -> Vec<String> {
    let mut lines = Vec::new();
    for v in violations {
        lines.push(format!(
            "[{screen}] {} ({}): {} — {} node(s)",
            v["id"].as_str().unwrap_or("?"),
            v["impact"].as_str().unwrap_or("?"),
            v["help"].as_str().unwrap_or(""),
            v["nodes"]
        ));
        for node in v["first"].as_array().into_iter().flatten() {
            lines.push(format!(
                "    {}  {}",
                node["target"].as_str().unwrap_or(""),
                node["html"].as_str().unwrap_or("")
            ));
        }
    }
    lines
}

async fn check(h: &Harness, screen: &str) -> Vec<String> {
    // Let the tab's charts and tables render before they are checked.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let result = h
        .client
        .execute_async(RUN_AXE, vec![])
        .await
        .unwrap_or_else(|e| panic!("axe runs on {screen}: {e}"));
    // Every screen in both colour schemes, to look at (target/e2e-screens/a11y-*.png).
    let name: String = screen
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    h.screenshot(&format!("a11y-{}", name.replace("--", "-")))
        .await;
    describe(screen, result.as_array().map(Vec::as_slice).unwrap_or(&[]))
}

/// Clicks the element `css` matches, as the page's own script would.
async fn click(h: &Harness, css: &str) {
    h.client
        .execute(
            "document.querySelector(arguments[0]).click()",
            vec![Value::from(css)],
        )
        .await
        .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
}

/// Checks every tab, then the overview with a point's tooltip, then with the runner form open
/// (and left open).
async fn check_every_screen(h: &Harness, colours: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (screen, tab) in SCREENS {
        click(h, tab).await;
        // The screen is checked only once its tab is the selected one.
        h.wait_for(&format!("{tab}[aria-selected='true']"), WAIT)
            .await;
        found.extend(check(h, &format!("{colours}, {screen}")).await);
    }
    click(h, "#tab-overview").await;
    // A focused point shows its tooltip, which is checked with the rest of the overview.
    h.client
        .execute("document.querySelector('.chart-point').focus()", vec![])
        .await
        .expect("a chart point takes focus");
    h.wait_for(".chart-tooltip", WAIT).await;
    found.extend(check(h, &format!("{colours}, overview with a tooltip")).await);
    if h.client.find(Locator::Css(".runner[open]")).await.is_err() {
        h.open_runner().await;
    }
    h.wait_for(".runner[open] .run-start", WAIT).await;
    found.extend(check(h, &format!("{colours}, runner form")).await);
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn no_serious_or_critical_violation_on_any_tab_or_the_runner() {
    let axe_path = repo_root().join("tests/e2e/axe/node_modules/axe-core/axe.min.js");
    let axe = std::fs::read_to_string(&axe_path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (tests/setup.sh installs axe-core)",
            axe_path.display()
        )
    });
    let h = Harness::start().await;
    h.open_app().await;
    h.wait_for(".chart-point", WAIT).await;
    h.client.execute(&axe, vec![]).await.expect("axe loads");

    let mut found = check_every_screen(&h, "light").await;
    h.client
        .execute(FORCE_DARK, vec![])
        .await
        .expect("dark colours apply");
    found.extend(check_every_screen(&h, "dark").await);
    h.stop().await;

    assert!(found.is_empty(), "axe found:\n{}", found.join("\n"));
}
