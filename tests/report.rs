//! The standalone report as the page makes it: the demo's figures, the headline chart drawn by
//! the chart layer in both colour schemes, and a run that remembered its key. The engine's own
//! tests cover the rest; here the real pieces meet, which the engine may not import.
//!
//! To look at the file: `METAJUDGE_REPORT_HTML=/tmp/report.html cargo test --test report`.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::sync::Arc;

use metajudge_studio::chart::scatter::{scatter, ScatterOptions, ScatterPoint};
use metajudge_studio::chart::FamilyColours;
use metajudge_studio::engine::dataset::load;
use metajudge_studio::engine::export::FlatReport;
use metajudge_studio::engine::report::{
    files_section, report_html, ReportChart, ReportInput, SettingsSection,
};
use metajudge_studio::engine::source::Source;
use metajudge_studio::engine::summary::{evaluate_all, Options};
use metajudge_studio::engine::view::{oa_stat, ChartSettings};
use metajudge_studio::runner::plan::{RunInfo, RunSettings};

const KEY: &str = "sk-live-do-not-leak-1234";

#[test]
fn the_demo_report_holds_the_drawn_chart_and_never_the_key() {
    let input = demo();
    let html = report_html(&input);
    let chart = input.chart.as_ref().expect("a chart");
    assert!(html.contains(&chart.light) && chart.light.contains("atlas-large"));
    assert!(html.contains(chart.dark.as_deref().expect("a dark chart")));
    assert!(!html.to_ascii_lowercase().contains("<script"));
    assert!(!html.contains(KEY) && !html.contains("api_key"));
    for words in [
        "settings.judge_model",
        "judge-x",
        "settings.retry.max_retries",
    ] {
        assert!(html.contains(words), "{words}");
    }
    if let Ok(path) = std::env::var("METAJUDGE_REPORT_HTML") {
        std::fs::write(path, &html).expect("a writable path");
    }
}

/// The demo as the page shows it first: six files, default options and chart choices.
fn demo() -> ReportInput {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("public/demo");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("the demo folder")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    paths.sort();
    let sources: Vec<Source> = paths
        .iter()
        .zip(0..)
        .map(|(path, id)| {
            let name = path.file_name().expect("a name").to_string_lossy();
            let file = load(&name, &std::fs::read(path).expect("a demo file"));
            Source {
                id,
                file: Arc::new(file),
                demo: true,
                load_ms: None,
                scored: None,
            }
        })
        .collect();
    let files: Vec<_> = sources.iter().map(|s| (*s.file).clone()).collect();
    let options = Options::default();
    let rows: Vec<FlatReport> = evaluate_all(&files, &options)
        .iter()
        .map(FlatReport::new)
        .collect();
    let view = ChartSettings::default();
    let run_settings = RunSettings {
        judge_model: "judge-x".into(),
        ..RunSettings::default()
    };
    let run = RunInfo {
        id: "run-1".into(),
        created_ms: 0.0,
        dataset_name: "demo.jsonl".into(),
        models: vec!["atlas-large".into()],
        settings: run_settings,
        api_key: Some(KEY.into()),
        evaluation: None,
    };
    ReportInput {
        created: "2026-12-02 00:00 UTC".into(),
        chart: Some(ReportChart {
            light: chart(&rows, &view, false),
            dark: Some(chart(&rows, &view, true)),
        }),
        y_title: view.y.title().into(),
        settings: vec![
            SettingsSection::from_json("Scoring options", &json(&options)),
            SettingsSection::from_json("Chart", &json(&view)),
            files_section(&rows, &sources),
            SettingsSection::from_json("Run", &json(&run)),
        ],
        rows,
    }
}

/// The headline chart as the overview draws it by default (RC against OA, family colours).
fn chart(rows: &[FlatReport], view: &ChartSettings, dark: bool) -> String {
    let mut colours = FamilyColours::new(view);
    let points: Vec<ScatterPoint> = rows
        .iter()
        .filter_map(|r| {
            Some(ScatterPoint {
                label: r.model.clone(),
                x: oa_stat(r)?,
                y: view.y.stat(r)?,
                colour: colours.of(&r.model),
            })
        })
        .collect();
    let options = ScatterOptions {
        dark,
        ..ScatterOptions::default()
    };
    scatter(&points, &options).expect("a chart").svg
}

fn json(value: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).expect("plain data")
}
