//! The standalone report: one HTML file with the headline chart (the SVG the page drew), the
//! leaderboard with every figure and its interval, the settings and a short method note. It
//! holds no script and no external resource, so it opens offline, prints, and can be attached
//! to a paper or an issue.

use serde_json::Value;

use super::export::FlatReport;
use super::figure::{Figure, Kind};
use super::json::value_text;
use super::source::Source;

/// Everything a report shows. The page gathers it; [`report_html`] only writes it out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportInput {
    /// When the report was made, as the page words it (the engine has no clock).
    pub created: String,
    /// The headline chart, when a model has both figures.
    pub chart: Option<ReportChart>,
    /// The title of the figure on the chart's y axis (x is always outcome accuracy).
    pub y_title: String,
    /// The leaderboard's rows, in the order to show them.
    pub rows: Vec<FlatReport>,
    pub settings: Vec<SettingsSection>,
}

/// The headline chart as SVG text written by plotters (which escapes its own text), drawn in
/// light colours and, when given, in dark ones; the reader's colour scheme picks one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportChart {
    pub light: String,
    pub dark: Option<String>,
}

/// One titled list of settings, `(name, value)` in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SettingsSection {
    pub title: String,
    pub entries: Vec<(String, String)>,
}

/// The paper the method follows, as the report cites it.
pub const CITATION: &str = "Wang et al., \u{201c}Outcome Accuracy is Not Enough: Aligning the \
    Reasoning Process of Reward Models\u{201d}, arXiv 2602.04649";

impl SettingsSection {
    /// The settings of a serialised value (an object): nested objects become dotted names, `null`
    /// reads "none", and every field whose name says it is a secret (a key, a password, a token
    /// of authorisation) is left out, so that a key can never reach a report.
    pub fn from_json(title: &str, value: &Value) -> Self {
        let mut entries = Vec::new();
        flatten("", value, &mut entries);
        SettingsSection {
            title: title.to_string(),
            entries,
        }
    }
}

/// The files the rows come from, each with its facts when it is loaded (a share link's rows
/// have no file on the page) and the models it gives figures for.
pub fn files_section(rows: &[FlatReport], sources: &[Source]) -> SettingsSection {
    let mut entries: Vec<(String, String)> = Vec::new();
    for row in rows {
        match entries.iter_mut().find(|(name, _)| *name == row.file) {
            Some((_, models)) => {
                models.push_str(", ");
                models.push_str(&row.model);
            }
            None => entries.push((row.file.clone(), row.model.clone())),
        }
    }
    for (name, models) in &mut entries {
        let facts = sources.iter().find(|s| s.file.name == *name);
        *models = match facts {
            Some(source) => format!("{}; models: {models}", source.facts()),
            None => format!("models: {models}"),
        };
    }
    SettingsSection {
        title: "Files and models".into(),
        entries,
    }
}

/// The report as one self-contained HTML document.
pub fn report_html(input: &ReportInput) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <title>MetaJudge report</title>\n<style>\n",
    );
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<header>\n<h1>MetaJudge report</h1>\n");
    let n_files = {
        let mut files: Vec<&str> = input.rows.iter().map(|r| r.file.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        files.len()
    };
    out.push_str(&format!(
        "<p class=\"meta\">Rationale consistency (RC) against outcome accuracy (OA) for {} \
         model row(s) from {n_files} file(s). Made with MetaJudge Studio{}.</p>\n</header>\n",
        input.rows.len(),
        if input.created.is_empty() {
            String::new()
        } else {
            format!(" on {}", escape(&input.created))
        },
    ));
    push_chart(&mut out, input);
    push_leaderboard(&mut out, &input.rows);
    push_settings(&mut out, &input.settings);
    push_method(&mut out);
    out.push_str("</body>\n</html>\n");
    out
}

/// Colours as variables, dark ones when the reader's system asks, light ones on paper.
const STYLE: &str = "\
:root { --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --head: #f3f5f7; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16181c; --fg: #e6e8eb; --muted: #a0a8b3; --line: #3a3f47; --head: #22262c; }
  .chart-svg.has-dark .light { display: none; }
  .chart-svg.has-dark .dark { display: block; }
}
body { background: var(--bg); color: var(--fg); margin: 2rem auto; max-width: 72rem;
  padding: 0 1rem; font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 1.25rem 0 .25rem; }
.meta, figcaption, .note { color: var(--muted); }
figure { margin: 0; }
.chart-svg .dark { display: none; }
.chart-svg svg { display: block; max-width: 100%; height: auto; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .5rem 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; vertical-align: top; }
thead th { background: var(--head); text-align: left; }
tbody th { text-align: left; white-space: nowrap; }
td.name { white-space: nowrap; }
td.number { text-align: right; white-space: nowrap; }
.ci { display: block; color: var(--muted); font-size: .85em; }
.settings th { text-align: left; font-weight: 600; white-space: nowrap; }
.settings td { word-break: break-word; }
pre { margin: 0; white-space: pre-wrap; font-size: .85em; max-width: 56rem; }
dt { font-weight: 600; }
dd { margin: 0 0 .4rem 1.5rem; }
@media print {
  :root { --bg: #ffffff; --fg: #000000; --muted: #444444; --line: #999999; --head: #eeeeee; }
  body { margin: 0; max-width: none; font-size: 11px; }
  .chart-svg .light { display: block !important; }
  .chart-svg .dark { display: none !important; }
  .scroll { overflow: visible; }
  tr, figure, dl { break-inside: avoid; }
}
";

fn push_chart(out: &mut String, input: &ReportInput) {
    out.push_str(&format!(
        "<section class=\"chart\">\n<h2>{} against outcome accuracy</h2>\n",
        escape(&input.y_title)
    ));
    // The SVG goes in as it is, so it must be the chart plotters drew: anything with a script
    // in it is left out rather than trusted.
    let safe = |svg: &str| !svg.to_ascii_lowercase().contains("<script");
    match &input.chart {
        Some(chart) if safe(&chart.light) => {
            let dark = chart.dark.as_deref().filter(|d| safe(d));
            let class = if dark.is_some() { " has-dark" } else { "" };
            out.push_str(&format!(
                "<figure>\n<div class=\"chart-svg{class}\">\n<div class=\"light\">\n{}\n</div>\n",
                chart.light
            ));
            if let Some(dark) = dark {
                out.push_str(&format!("<div class=\"dark\">\n{dark}\n</div>\n"));
            }
            out.push_str(
                "</div>\n<figcaption>x: outcome accuracy; whiskers: 95% bootstrap intervals; \
                 colour: model family.</figcaption>\n</figure>\n",
            );
        }
        _ => out.push_str(
            "<p class=\"note\">No chart: no model has both figures (RC needs a judged file, OA \
             the model's and the human's verdicts).</p>\n",
        ),
    }
    out.push_str("</section>\n");
}

fn push_leaderboard(out: &mut String, rows: &[FlatReport]) {
    out.push_str("<section class=\"leaderboard\">\n<h2>Leaderboard</h2>\n");
    if rows.is_empty() {
        out.push_str("<p class=\"note\">No figures.</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<p class=\"note\">Means with their 95% bootstrap interval below them; \u{2013} where a \
         figure cannot be computed.</p>\n",
    );
    let means = |f: &Figure| matches!(f.kind(), Kind::Mean | Kind::Spread);
    push_table(
        out,
        "figures",
        rows,
        Figure::ALL.iter().copied().filter(means),
    );
    out.push_str("<h3>Rows counted</h3>\n");
    let counts = |f: &Figure| f.kind().is_count();
    push_table(
        out,
        "counts",
        rows,
        Figure::ALL.iter().copied().filter(counts),
    );
    out.push_str("</section>\n");
}

/// One table of `figures`, a row per model.
fn push_table(
    out: &mut String,
    class: &str,
    rows: &[FlatReport],
    figures: impl Iterator<Item = Figure>,
) {
    let figures: Vec<Figure> = figures.collect();
    out.push_str(&format!(
        "<div class=\"scroll\">\n<table class=\"{class}\">\n<thead>\n<tr>\
         <th scope=\"col\">Model</th><th scope=\"col\">File</th>"
    ));
    for figure in &figures {
        out.push_str(&format!(
            "<th scope=\"col\" title=\"{}\">{}</th>",
            escape(figure.help()),
            escape(figure.label())
        ));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in rows {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"name\">{}</td>",
            escape(&row.model),
            escape(&row.file)
        ));
        for &figure in &figures {
            out.push_str(&format!("<td class=\"number\">{}</td>", cell(row, figure)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}

/// A count as a whole number; a mean to 3 decimals with its interval; `–` when missing.
fn cell(row: &FlatReport, figure: Figure) -> String {
    let reading = row.get(figure);
    if figure.kind().is_count() {
        return reading.as_count().to_string();
    }
    match (reading.value, reading.interval) {
        (None, _) => "\u{2013}".to_string(),
        (Some(mean), None) => format!("{mean:.3}"),
        (Some(mean), Some([lo, hi])) => {
            format!("{mean:.3}<span class=\"ci\">[{lo:.3}, {hi:.3}]</span>")
        }
    }
}

fn push_settings(out: &mut String, sections: &[SettingsSection]) {
    out.push_str("<section class=\"settings-list\">\n<h2>Settings</h2>\n");
    for section in sections {
        out.push_str(&format!("<h3>{}</h3>\n", escape(&section.title)));
        if section.entries.is_empty() {
            out.push_str("<p class=\"note\">none</p>\n");
            continue;
        }
        out.push_str("<table class=\"settings\">\n<tbody>\n");
        for (name, value) in &section.entries {
            // A prompt template keeps its lines.
            let value = if value.contains('\n') || value.chars().count() > 120 {
                format!("<pre>{}</pre>", escape(value))
            } else {
                escape(value)
            };
            out.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td>{value}</td></tr>\n",
                escape(name)
            ));
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}

fn push_method(out: &mut String) {
    out.push_str(&format!(
        "<section class=\"method\">\n<h2>Method</h2>\n\
         <p>The figures follow the MetaJudge method of {}. For each row, a judge model matches \
         the human's atomic reasons (the reference checklist) one to one against the reasons the \
         model under test gave.</p>\n<ul>\n\
         <li><strong>RC, rationale consistency</strong>: the mean one-to-one recall, the share of \
         the human's reasons the model also gave (the paper's metric).</li>\n\
         <li><strong>OA, outcome accuracy</strong>: the share of rows where the model picked the \
         response the human picked.</li>\n</ul>\n\
         <p>A model can reach high OA for the wrong reasons; RC tells them apart. Intervals are \
         95% bootstrap intervals over rows, with a fixed seed (see the scoring options). Figures \
         marked \u{201c}script\u{201d} are computed as the reference script \
         <code>metajudge_analysis.py</code> computes them.</p>\n<h3>Figures</h3>\n<dl>\n",
        escape(CITATION)
    ));
    for figure in Figure::ALL {
        out.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>\n",
            escape(figure.title()),
            escape(figure.help())
        ));
    }
    out.push_str(&format!(
        "</dl>\n<p class=\"note\">Cite as: {}. \
         <a href=\"https://arxiv.org/abs/2602.04649\">arxiv.org/abs/2602.04649</a></p>\n</section>\n",
        escape(CITATION)
    ));
}

/// Text as HTML: the five characters that could open markup or end an attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `value`'s leaves as `(dotted name, text)`, secrets left out.
fn flatten(prefix: &str, value: &Value, entries: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => {
            for (name, inner) in object {
                if is_secret(name) {
                    continue;
                }
                let name = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}.{name}")
                };
                flatten(&name, inner, entries);
            }
        }
        Value::Null => entries.push((prefix.to_string(), "none".into())),
        other => entries.push((prefix.to_string(), value_text(other))),
    }
}

/// Whether a field's name says it holds a secret: `api_key`, `apiKey`, `key`, `password`,
/// `authorization`, `secret`. Token limits (`max_tokens`) are not secrets.
fn is_secret(name: &str) -> bool {
    let plain: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    plain.ends_with("key")
        || ["secret", "password", "passwd", "authorization", "bearer"]
            .iter()
            .any(|word| plain.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::figure::Reading;
    use crate::engine::summary::Options;
    use crate::engine::view::ChartSettings;

    const HOSTILE: &str = "<img src=x onerror=alert(1)>";
    const KEY: &str = "sk-live-do-not-leak-1234";

    /// Two models (one with every figure, one without most), a stand-in chart and a run.
    fn demo() -> ReportInput {
        let stat = |mean: f64| (Some(mean), Some([mean - 0.03, mean + 0.03]));
        let mut full = FlatReport {
            file: "atlas-large.jsonl".into(),
            model: "atlas-large".into(),
            total: 120,
            valid: 109,
            oa_rows: 107,
            ..FlatReport::default()
        };
        for (figure, mean) in Figure::ALL.into_iter().zip(1..) {
            let (value, interval) = stat(f64::from(mean) / 40.0);
            let interval = (figure.kind() == Kind::Mean).then_some(interval).flatten();
            if !figure.kind().is_count() {
                full.set(figure, Reading { value, interval });
            }
        }
        let sparse = FlatReport {
            file: "cirrus.jsonl".into(),
            model: "cirrus-7b".into(),
            oa: Some(0.654),
            ..FlatReport::default()
        };
        let rows = vec![full, sparse];
        let options = Options::default();
        let settings = ChartSettings::default();
        // The engine may not draw (the chart layer does, tests/report.rs checks the real one):
        // any SVG stands for it here.
        let draw = |scheme: &str| {
            format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><text>{scheme}</text></svg>")
        };
        // A run as `RunInfo` serialises, with a remembered key.
        let run = serde_json::json!({
            "id": "run-1", "created_ms": 0.0, "dataset_name": "demo.jsonl",
            "models": ["atlas-large"],
            "settings": {
                "base_url": "https://api.example.com/v1", "judge_model": "judge-x",
                "temperature": 0.6, "max_tokens": 8192, "token_field": "MaxTokens",
                "template": "Match the lists.\n{source_list}\n{target_list}",
            },
            "api_key": KEY,
        });
        ReportInput {
            created: "2026-12-01 23:59 UTC".into(),
            chart: Some(ReportChart {
                light: draw("light"),
                dark: Some(draw("dark")),
            }),
            y_title: settings.y.title().into(),
            settings: vec![
                SettingsSection::from_json("Scoring options", &json(&options)),
                SettingsSection::from_json("Chart", &json(&settings)),
                files_section(&rows, &[]),
                SettingsSection::from_json("Run", &json(&run)),
            ],
            rows,
        }
    }

    fn json(value: &impl serde::Serialize) -> Value {
        serde_json::to_value(value).expect("plain data")
    }

    fn pairs(section: &SettingsSection) -> Vec<(&str, &str)> {
        section
            .entries
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    /// How often each tag opens and closes, which must match for `tags`.
    #[track_caller]
    fn check_balanced(html: &str, tags: &[&str]) {
        for tag in tags {
            let opened = html.matches(&format!("<{tag}>")).count()
                + html.matches(&format!("<{tag} ")).count();
            let closed = html.matches(&format!("</{tag}>")).count();
            assert_eq!(opened, closed, "<{tag}> opened {opened}, closed {closed}");
            assert!(opened > 0, "no <{tag}>");
        }
    }

    #[test]
    fn the_demo_report_holds_chart_rows_figures_and_settings() {
        let input = demo();
        let html = report_html(&input);
        let chart = input.chart.as_ref().expect("a chart");
        assert!(html.contains(&chart.light));
        assert!(html.contains(chart.dark.as_deref().expect("a dark chart")));
        assert!(!input.rows.is_empty());
        for row in &input.rows {
            assert!(html.contains(&format!("<th scope=\"row\">{}</th>", row.model)));
        }
        assert!(html.contains("0.025<span class=\"ci\">[-0.005, 0.055]</span>"));
        assert!(html.contains("<td class=\"number\">\u{2013}</td>"));
        let rows_with_figures = html.matches("<tr><th scope=\"row\">").count();
        let n_settings: usize = input.settings.iter().map(|s| s.entries.len()).sum();
        assert_eq!(rows_with_figures, 2 * input.rows.len() + n_settings);
        for figure in Figure::ALL {
            assert!(html.contains(&format!(">{}</th>", escape(figure.label()))));
            assert!(html.contains(&format!("<dt>{}</dt>", escape(figure.title()))));
        }
        for words in [CITATION, "arXiv 2602.04649", "RC, rationale consistency"] {
            assert!(html.contains(&escape(words)), "{words}");
        }
        assert!(
            html.contains("<th scope=\"row\">atlas-large.jsonl</th><td>models: atlas-large</td>")
        );
        for words in [
            "Scoring options",
            "seed",
            "260204649",
            "judge_model",
            "template",
        ] {
            assert!(html.contains(words), "{words}");
        }
        check_balanced(
            &html,
            &[
                "html", "head", "body", "section", "table", "thead", "tbody", "tr", "td", "th",
                "style", "figure", "dl", "pre",
            ],
        );
    }

    #[test]
    fn no_script_and_no_key_even_when_the_run_kept_one() {
        let html = report_html(&demo());
        assert!(!html.to_ascii_lowercase().contains("<script"));
        assert!(!html.contains(KEY));
        assert!(!html.contains("api_key"));
        // Nothing to fetch when it opens: the one address is a link to the paper.
        for fetches in [" src=", "url(", "@import", "<link", "<iframe", "<object"] {
            assert!(!html.contains(fetches), "{fetches}");
        }
        assert_eq!(html.matches("href=").count(), 1);
    }

    #[test]
    fn names_from_files_are_escaped() {
        let mut input = demo();
        input.rows[0].model = HOSTILE.into();
        input.rows[0].file = format!("{HOSTILE}.jsonl");
        input.settings.push(SettingsSection {
            title: HOSTILE.into(),
            entries: vec![(HOSTILE.into(), HOSTILE.into())],
        });
        input.created = HOSTILE.into();
        let html = report_html(&input);
        assert!(!html.contains("<img"));
        assert_eq!(
            html.matches("&lt;img src=x onerror=alert(1)&gt;").count(),
            2 * 2 + 4
        );
    }

    #[test]
    fn a_chart_with_a_script_is_left_out() {
        let mut input = demo();
        input.chart = Some(ReportChart {
            light: "<svg><SCRIPT>alert(1)</SCRIPT></svg>".into(),
            dark: None,
        });
        let html = report_html(&input);
        assert!(!html.to_ascii_lowercase().contains("<script"));
        assert!(html.contains("No chart"));
        input.chart = None;
        assert!(report_html(&input).contains("No chart"));
    }

    #[test]
    fn settings_flatten_and_leave_secrets_out() {
        #[track_caller]
        fn check(value: Value, expected: &[(&str, &str)]) {
            let section = SettingsSection::from_json("s", &value);
            assert_eq!(pairs(&section), expected);
        }
        check(
            serde_json::json!({"a": 1, "b": {"c": "x", "d": null}, "e": [1, 2]}),
            &[("a", "1"), ("b.c", "x"), ("b.d", "none"), ("e", "[1,2]")],
        );
        check(
            serde_json::json!({
                "api_key": KEY, "apiKey": KEY, "key": KEY, "nested": {"Api-Key": KEY},
                "password": KEY, "authorization": KEY, "client_secret": KEY,
                "max_tokens": 10, "token_field": "MaxTokens", "top_k": 5,
            }),
            &[
                ("max_tokens", "10"),
                ("token_field", "MaxTokens"),
                ("top_k", "5"),
            ],
        );
    }

    #[test]
    fn files_list_their_models_and_facts_when_loaded() {
        #[track_caller]
        fn check(rows: &[(&str, &str)], expected: &[(&str, &str)]) {
            let rows: Vec<FlatReport> = rows
                .iter()
                .map(|(file, model)| FlatReport {
                    file: file.to_string(),
                    model: model.to_string(),
                    ..FlatReport::default()
                })
                .collect();
            let section = files_section(&rows, &[]);
            assert_eq!(pairs(&section), expected);
        }
        check(&[], &[]);
        check(
            &[("a.jsonl", "m1"), ("b.jsonl", "m2"), ("a.jsonl", "m3")],
            &[("a.jsonl", "models: m1, m3"), ("b.jsonl", "models: m2")],
        );
    }
}
