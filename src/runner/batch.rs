//! A run of the page handed to a batch engine and back (SPEC section 9), pure: the input files
//! of the calls a plan would still send, each named by the run's own `custom_id`s, and the
//! importer that reads the engines' output back into the run with the page's own answer reader.

use super::attempt::format_problem;
use super::form::{FormError, RunForm};
use super::plan::{Plan, RunInfo};
use crate::engine::batch::custom_id::CustomId;
use crate::engine::batch::import::{BatchRun, Importer};
use crate::engine::batch::input::{input_files, InputPart, Limits};
use crate::engine::dataset::LoadedFile;
use crate::engine::judged::JudgedAnswer;

/// The input files of `plan`'s items (a plan of the run `info`): one model per file, split at
/// `limits`, every body built from the run's request settings exactly as the page sends it.
/// The key is not a request setting: it never reaches a file.
pub fn export_files(info: &RunInfo, plan: &Plan, limits: Limits) -> Vec<InputPart> {
    let stage = info.settings.stage;
    // Every item of a plan of this run is one of its models (the plan is made from them).
    let calls = plan.items.iter().filter_map(|item| {
        let model_idx = model_position(info, &item.model)?;
        let id = CustomId {
            run_id: info.id.clone(),
            stage,
            row_idx: item.request.record_idx(),
            model_idx,
        };
        Some((id, item.request.text()))
    });
    let options = info.settings.chat_options();
    input_files(&info.dataset_name, &info.models, &options, calls, limits)
}

/// The importer into the run `info` over `dataset`, which already holds `stored`: every answer
/// is judged by the reader a page call goes through (`attempt::format_problem`).
pub fn run_importer(info: &RunInfo, dataset: &LoadedFile, stored: &[JudgedAnswer]) -> Importer {
    let run = BatchRun {
        structured: info.settings.structured,
        ..BatchRun::new(&info.id, info.settings.stage, &info.models, dataset)
    };
    Importer::new(run, stored, format_problem)
}

/// Whether a run for batch files can be made from `form`: what "Start run" checks, except the
/// key and the endpoint, which a batch file never holds.
pub fn check_for_batch(form: &RunForm) -> Result<(), FormError> {
    let mut form = form.clone();
    form.api_key = "not sent".into();
    form.settings.base_url = "https://batch.invalid/v1".into();
    form.check()
}

/// A model's place in the run's list, the way the importer finds it.
fn model_position(info: &RunInfo, model: &str) -> Option<usize> {
    info.models
        .iter()
        .position(|m| m.eq_ignore_ascii_case(model))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::Arc;

    use serde_json::{json, Value};

    use super::*;
    use crate::engine::chat::request_body;
    use crate::engine::dataset::load;
    use crate::engine::judged::AnswerStatus;
    use crate::engine::pipeline::Stage;
    use crate::runner::plan::RunSettings;

    const DATASET: &str = concat!(
        r#"{"human-checklist": ["h1", "h2"], "a-checklist": ["s1"], "b-checklist": ["s1", "s2"]}"#,
        "\n\n",
        r#"{"human-checklist": ["h1"], "a-checklist": ["s1"], "b-checklist": ["s1"]}"#,
        "\n",
        r#"{"human-checklist": ["h1"], "a-checklist": [], "b-checklist": ["s1"]}"#,
        "\n"
    );
    const KEY: &str = "sk-secret-key-123";

    fn info() -> RunInfo {
        RunInfo {
            id: "run-5".into(),
            created_ms: 0.0,
            dataset_name: "d.jsonl".into(),
            models: vec!["b".into(), "a".into()],
            settings: RunSettings {
                judge_model: "matcher".into(),
                ..RunSettings::default()
            },
            api_key: Some(KEY.into()),
            evaluation: None,
        }
    }

    fn plan(dataset: &Arc<LoadedFile>, answered: &[(usize, &str)]) -> Plan {
        let answered: HashSet<(usize, String)> =
            answered.iter().map(|&(l, m)| (l, m.to_string())).collect();
        Plan::new(dataset, &[1, 0], &info().settings, &answered)
    }

    fn lines(part: &InputPart) -> Vec<Value> {
        part.text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The (file, custom_id) of every exported line of `plan`.
    #[track_caller]
    fn check(plan: &Plan, limits: Limits, expected: &[(&str, &str)]) {
        let parts = export_files(&info(), plan, limits);
        let got: Vec<(String, String)> = parts
            .iter()
            .flat_map(|p| {
                lines(p)
                    .into_iter()
                    .map(|l| (p.name.clone(), l["custom_id"].as_str().unwrap().to_string()))
            })
            .collect();
        let want: Vec<(String, String)> = expected
            .iter()
            .map(|&(f, id)| (f.to_string(), id.to_string()))
            .collect();
        assert_eq!(got, want);
        for part in &parts {
            assert!(!part.text.contains(KEY), "the key is never in a file");
        }
    }

    #[test]
    fn exports_what_the_plan_sends_one_model_per_file_named_by_the_run() {
        let dataset = Arc::new(load("d.jsonl", DATASET.as_bytes()));
        // Row 2 of model a has an empty checklist: the figures skip it, so it is not sent.
        check(
            &plan(&dataset, &[]),
            Limits::default(),
            &[
                ("d-match-b.jsonl", "mj1:run-5:match:0:0"),
                ("d-match-b.jsonl", "mj1:run-5:match:1:0"),
                ("d-match-b.jsonl", "mj1:run-5:match:2:0"),
                ("d-match-a.jsonl", "mj1:run-5:match:0:1"),
                ("d-match-a.jsonl", "mj1:run-5:match:1:1"),
            ],
        );
        // Answered pairs (line 1 of b, line 3 of a) are not written again; files split.
        let two = Limits {
            max_lines: 1,
            ..Limits::default()
        };
        check(
            &plan(&dataset, &[(1, "b"), (3, "a")]),
            two,
            &[
                ("d-match-b.jsonl", "mj1:run-5:match:1:0"),
                ("d-match-b-part2.jsonl", "mj1:run-5:match:2:0"),
                ("d-match-a.jsonl", "mj1:run-5:match:0:1"),
            ],
        );
        let parts = export_files(&info(), &plan(&dataset, &[]), Limits::default());
        let first = &lines(&parts[0])[0];
        let page = plan(&dataset, &[]).items[0].request.text();
        let body: Value =
            serde_json::from_str(&request_body(&info().settings.chat_options(), &page)).unwrap();
        assert_eq!(first["body"], body, "the body is the page's");
    }

    /// Every exported line answered in OpenAI's shape comes back as the pair it was sent for,
    /// read by the page's reader; a stored success is kept.
    #[test]
    fn answers_to_an_export_fill_the_run() {
        let dataset = Arc::new(load("d.jsonl", DATASET.as_bytes()));
        let parts = export_files(&info(), &plan(&dataset, &[]), Limits::default());
        let good = "<RESULT_START>\n- R1@S1: 1\n- R2@S0: 0\n<RESULT_END>";
        let output: String = parts
            .iter()
            .flat_map(lines)
            .map(|line| {
                let content = if line["custom_id"] == "mj1:run-5:match:1:0" {
                    "no block"
                } else {
                    good
                };
                let body = json!({"choices": [{"message": {"content": content}, "finish_reason": "stop"}]});
                json!({"custom_id": line["custom_id"], "response": {"status_code": 200, "body": body}, "error": null}).to_string() + "\n"
            })
            .collect();
        let stored = JudgedAnswer {
            line: 1,
            model: "a".into(),
            status: AnswerStatus::Success,
            text: Some(good.into()),
            finish_reason: None,
            usage: None,
            billed: None,
            error: None,
            attempts: 1,
            elapsed_ms: 1.0,
        };
        let mut importer = run_importer(&info(), &dataset, &[stored]);
        importer.read_file("out.jsonl", &output);
        let imported = importer.finish();
        let got: Vec<(usize, &str, AnswerStatus)> = imported
            .answers
            .iter()
            .map(|a| (a.line, a.model.as_str(), a.status))
            .collect();
        assert_eq!(
            got,
            [
                (1, "b", AnswerStatus::Success),
                (3, "b", AnswerStatus::FormatError),
                (4, "b", AnswerStatus::Success),
                (3, "a", AnswerStatus::Success),
            ]
        );
        assert_eq!(
            imported.answers[1].error,
            format_problem(Stage::Match, "no block")
        );
        assert_eq!(
            imported.summary.total.duplicates, 1,
            "line 1 of a was stored"
        );
    }

    #[test]
    fn a_batch_run_needs_no_key_and_no_endpoint() {
        let form = RunForm {
            settings: RunSettings {
                judge_model: "m".into(),
                base_url: String::new(),
                ..RunSettings::default()
            },
            models: vec!["a".into()],
            ..RunForm::default()
        };
        assert_eq!(check_for_batch(&form), Ok(()));
        let no_model = RunForm {
            models: Vec::new(),
            ..form
        };
        assert_eq!(check_for_batch(&no_model), Err(FormError::NoModels));
    }
}
