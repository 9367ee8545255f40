//! A run's answers <-> judged files in the reference format (SPEC section 1).
//!
//! Export writes exactly the shape `metajudge_infer.py` writes, so the reference analysis script
//! reads our files; what only we record (judge model, attempts, timings) goes under the one extra
//! key `"metajudge"`, which the scripts ignore. Import turns such a file back into a data set plus
//! the answers already paid for, so a run can continue where it stopped.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::dataset::{load, Answer, FileKind, LoadedFile, Record};
use super::prompt::record_prompt;
use super::reply::parse_reply;

/// What became of one (row, model) call, in the reference runner's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerStatus {
    Success,
    /// Answered, but still malformed after every retry; the last answer is kept.
    FormatError,
    /// No answer after every retry (network, HTTP or timeout errors).
    Error,
}

/// Token counts as the endpoint reported them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub total_tokens: u64,
}

/// One stored answer of a run: the unit that is saved as soon as it arrives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JudgedAnswer {
    /// 1-based line of the data-set row.
    pub line: usize,
    pub model: String,
    pub status: AnswerStatus,
    /// The (last) answer text.
    pub text: Option<String>,
    pub finish_reason: Option<String>,
    /// Tokens of the kept answer, as the endpoint reported them (what the reference stores).
    pub usage: Option<Usage>,
    /// Tokens of every request for this row, retries included (what was paid for).
    #[serde(default)]
    pub billed: Option<Usage>,
    /// Why there is no answer (status `error`), or the format problem (status `format_error`).
    pub error: Option<String>,
    /// Requests sent for this row and model, retries included.
    pub attempts: u32,
    pub elapsed_ms: f64,
}

/// Run facts written into each exported row under `"metajudge"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportContext {
    pub template: String,
    pub top_k: Option<usize>,
    pub judge_model: String,
    /// The endpoint without credentials or query (it may never carry a key out).
    pub endpoint: String,
    pub run_id: String,
    /// The data set the rows come from (the Agreement tab groups leaderboards by it).
    #[serde(default)]
    pub dataset: String,
    /// The shape of structured answers (`pipeline::Structured::key`) when the run asked for
    /// them, a deviation from the reference method; `None` for free text.
    #[serde(default)]
    pub structured: Option<String>,
}

impl JudgedAnswer {
    /// The answer as the scorer sees it: no text means no answer.
    pub fn to_answer(&self) -> Answer {
        match (&self.status, &self.text) {
            (AnswerStatus::Error, _) | (_, None) => Answer::Missing,
            (_, Some(text)) => Answer::Given(parse_reply(text)),
        }
    }
}

/// The judged rows of one model, in data-set order, as JSONL (one line a row, `\n` after each).
pub fn judged_jsonl(
    dataset: &LoadedFile,
    model_idx: usize,
    answers: &[JudgedAnswer],
    context: &ExportContext,
) -> String {
    let model = dataset
        .models
        .get(model_idx)
        .map(String::as_str)
        .unwrap_or_default();
    let mut mine: Vec<&JudgedAnswer> = answers
        .iter()
        .filter(|a| a.model.eq_ignore_ascii_case(model))
        .collect();
    mine.sort_by_key(|a| a.line);
    let mut out = String::new();
    for answer in mine {
        let Some(record) = dataset.records.iter().find(|r| r.line == answer.line) else {
            continue;
        };
        let row = dataset.data_row(record).unwrap_or_default();
        let prompt =
            record_prompt(record, model_idx, &context.template, context.top_k).unwrap_or_default();
        let value = judged_row(row, &prompt, answer, model, context);
        out.push_str(&value.to_string());
        out.push('\n');
    }
    out
}

/// A run's answers for one model as a judged file in memory, rows in data-set order: the same
/// rows, in the same order, as [`judged_jsonl`] writes, so both give the same figures.
pub fn live_view(
    dataset: &LoadedFile,
    model_idx: usize,
    answers: &[JudgedAnswer],
    name: &str,
) -> LoadedFile {
    let model = dataset
        .models
        .get(model_idx)
        .map(String::as_str)
        .unwrap_or_default();
    let by_line: HashMap<usize, &Record> = dataset.records.iter().map(|r| (r.line, r)).collect();
    let mut mine: Vec<&JudgedAnswer> = answers
        .iter()
        .filter(|a| a.model.eq_ignore_ascii_case(model))
        .collect();
    mine.sort_by_key(|a| a.line);
    let records = mine
        .iter()
        .filter_map(|a| by_line.get(&a.line).map(|r| r.with_answer(a.to_answer())))
        .collect();
    dataset.judged_view(name, records, model_idx)
}

/// One judged row in the reference shape.
pub fn judged_row(
    row: Map<String, Value>,
    prompt: &str,
    answer: &JudgedAnswer,
    model: &str,
    context: &ExportContext,
) -> Value {
    let mut ours = json!({
        "model": model,
        "judge_model": context.judge_model,
        "endpoint": context.endpoint,
        "run_id": context.run_id,
        "dataset": context.dataset,
        "line": answer.line,
        "attempts": answer.attempts,
        "billed": answer.billed,
        "elapsed_ms": answer.elapsed_ms,
        "top_k": context.top_k,
    });
    let mut out = Map::new();
    out.insert("prompt".into(), Value::from(prompt));
    let samples = match (&answer.status, &answer.text) {
        (AnswerStatus::Error, _) | (_, None) => json!([]),
        (_, Some(text)) => json!([{
            "generated_text": text,
            "finish_reason": answer.finish_reason.clone().unwrap_or_else(|| "stop".into()),
            "usage": answer.usage.unwrap_or_default(),
        }]),
    };
    out.insert("samples".into(), samples);
    let status = serde_json::to_value(answer.status).unwrap_or(Value::Null);
    out.insert("status".into(), status);
    out.insert("metadata".into(), Value::Object(row));
    if let (AnswerStatus::Success | AnswerStatus::FormatError, Some(text)) =
        (&answer.status, &answer.text)
    {
        let reply = parse_reply(text);
        let scores: Vec<Value> = reply
            .triples
            .iter()
            .map(|t| json!([t.r, t.s, t.score]))
            .collect();
        let errors: Vec<String> = reply.errors.iter().map(ToString::to_string).collect();
        out.insert(
            "extraction_result".into(),
            json!({"scores": scores, "is_ordered": reply.ordered, "errors": errors}),
        );
    }
    if answer.status == AnswerStatus::FormatError {
        out.insert("format_error".into(), Value::Bool(true));
    }
    if answer.status == AnswerStatus::Error {
        out.insert(
            "error_message".into(),
            Value::from(answer.error.clone().unwrap_or_default()),
        );
    }
    if let (Some(shape), Some(ours)) = (&context.structured, ours.as_object_mut()) {
        ours.insert("structured".into(), Value::from(shape.as_str()));
    }
    out.insert("metajudge".into(), ours);
    Value::Object(out)
}

/// A judged file taken apart to continue its run: the data set its rows came from (each
/// `metadata` as one line) and every answer in it. Rows whose status is `success` are done;
/// the others will be asked again.
pub struct Imported {
    pub dataset: LoadedFile,
    pub model_idx: usize,
    pub answers: Vec<JudgedAnswer>,
}

/// Takes a judged file apart (see [`Imported`]); `None` when the file is not a judged file.
pub fn import_judged(file: &LoadedFile) -> Option<Imported> {
    if file.kind != Some(FileKind::Judged) {
        return None;
    }
    let model_idx = file.judged_model?;
    let model = file.models.get(model_idx)?.clone();
    let mut text = String::new();
    let mut answers = Vec::new();
    for (idx, record) in file.records.iter().enumerate() {
        let object = file.raw_object(record).unwrap_or_default();
        let row = match object.get("metadata") {
            Some(Value::Object(row)) => row.clone(),
            _ => Map::new(),
        };
        text.push_str(&Value::Object(row).to_string());
        text.push('\n');
        answers.push(imported_answer(&object, record, idx + 1, &model));
    }
    let dataset = load(&format!("{} (rows)", file.name), text.as_bytes());
    let model_idx = dataset.model_idx(&model)?;
    Some(Imported {
        dataset,
        model_idx,
        answers,
    })
}

fn imported_answer(
    object: &Map<String, Value>,
    record: &Record,
    line: usize,
    model: &str,
) -> JudgedAnswer {
    let sample = object
        .get("samples")
        .and_then(Value::as_array)
        .and_then(|s| s.first());
    let text = sample
        .and_then(|s| s.get("generated_text"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let usage = sample
        .and_then(|s| s.get("usage"))
        .and_then(|u| serde_json::from_value(u.clone()).ok());
    let written = object.get("status").and_then(Value::as_str);
    let status = match (written, &record.answer) {
        (Some("success"), _) => AnswerStatus::Success,
        (Some("format_error"), _) => AnswerStatus::FormatError,
        (Some(_), _) | (None, None | Some(Answer::Missing)) => AnswerStatus::Error,
        (None, Some(Answer::Given(reply))) if reply.is_acceptable_while_running() => {
            AnswerStatus::Success
        }
        (None, Some(Answer::Given(_))) => AnswerStatus::FormatError,
    };
    let ours = object.get("metajudge");
    JudgedAnswer {
        line,
        model: model.to_string(),
        status,
        text,
        finish_reason: sample
            .and_then(|s| s.get("finish_reason"))
            .and_then(Value::as_str)
            .map(str::to_string),
        usage,
        billed: ours
            .and_then(|m| m.get("billed"))
            .and_then(|u| serde_json::from_value(u.clone()).ok()),
        error: object
            .get("error_message")
            .and_then(Value::as_str)
            .map(str::to_string),
        attempts: ours
            .and_then(|m| m.get("attempts"))
            .and_then(Value::as_u64)
            .unwrap_or(1) as u32,
        elapsed_ms: ours
            .and_then(|m| m.get("elapsed_ms"))
            .and_then(Value::as_f64)
            .unwrap_or(0.0),
    }
}

/// A URL without user info, query or fragment: what may be written into an export.
pub fn public_endpoint(url: &str) -> String {
    let cut = url.find(['?', '#']).unwrap_or(url.len());
    let url = &url[..cut];
    match url.find("://") {
        Some(scheme_end) => {
            let rest = &url[scheme_end + 3..];
            let host_start = rest
                .find('@')
                .filter(|&at| rest[..at].find('/').is_none())
                .map_or(0, |at| at + 1);
            format!("{}{}", &url[..scheme_end + 3], &rest[host_start..])
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::summary::{evaluate, Options};

    const DATASET: &str = concat!(
        r#"{"id": 1, "human-checklist": ["h1", "h2"], "m-checklist": ["s1"], "m-label": "A>B", "overall_preference": -1}"#,
        "\n",
        r#"{"id": 2, "human-checklist": ["h1"], "m-checklist": ["s1", "s2"], "m-label": "B>A", "overall_preference": -2}"#,
        "\n",
        r#"{"id": 3, "human-checklist": ["h1"], "m-checklist": ["s1"]}"#,
        "\n"
    );

    fn answer(line: usize, status: AnswerStatus, text: Option<&str>) -> JudgedAnswer {
        JudgedAnswer {
            line,
            model: "m".into(),
            status,
            text: text.map(str::to_string),
            finish_reason: None,
            usage: Some(Usage {
                prompt_tokens: 10,
                completion_tokens: 5,
                total_tokens: 15,
            }),
            billed: None,
            error: (status == AnswerStatus::Error).then(|| "HTTP 500".to_string()),
            attempts: 2,
            elapsed_ms: 12.5,
        }
    }

    fn context() -> ExportContext {
        ExportContext {
            template: "{source_list}\n--\n{target_list}".into(),
            top_k: None,
            judge_model: "judge".into(),
            endpoint: "https://example.test/v1".into(),
            run_id: "r1".into(),
            dataset: "d.jsonl".into(),
            structured: None,
        }
    }

    #[test]
    fn export_reloads_with_the_same_figures_as_the_live_view() {
        let dataset = load("d.jsonl", DATASET.as_bytes());
        let answers = vec![
            answer(3, AnswerStatus::Error, None),
            answer(
                1,
                AnswerStatus::Success,
                Some("<RESULT_START>\n- R1@S1: 1\n- R2@S0: 0\n<RESULT_END>"),
            ),
            answer(2, AnswerStatus::FormatError, Some("no block")),
        ];
        let text = judged_jsonl(&dataset, 0, &answers, &context());
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["prompt"], "S1: s1\n--\nR1: h1\nR2: h2");
        assert_eq!(lines[0]["status"], "success");
        assert_eq!(lines[0]["metadata"]["id"], 1);
        assert_eq!(
            lines[0]["extraction_result"]["scores"],
            json!([[1, 1, 1.0], [2, 0, 0.0]])
        );
        assert_eq!(lines[1]["format_error"], true);
        assert_eq!(lines[2]["samples"], json!([]));
        assert_eq!(lines[2]["error_message"], "HTTP 500");
        assert!(!text.contains("api_key") && !text.contains("Bearer"));

        // The live view (records with answers attached) and the exported file score alike.
        let live = evaluate(
            &live_view(&dataset, 0, &answers, "live"),
            0,
            &Options::default(),
        );
        let exported = evaluate(&load("x", text.as_bytes()), 0, &Options::default());
        assert_eq!(live.figures, exported.figures);

        // Free text is the reference method: nothing is said. Structured answers are recorded.
        assert!(lines
            .iter()
            .all(|l| l["metajudge"].get("structured").is_none()));
        let structured = ExportContext {
            structured: Some("json_schema".into()),
            ..context()
        };
        let text = judged_jsonl(&dataset, 0, &answers, &structured);
        assert!(text
            .lines()
            .all(
                |l| serde_json::from_str::<Value>(l).unwrap()["metajudge"]["structured"]
                    == "json_schema"
            ));
    }

    #[test]
    fn import_gives_back_the_rows_and_what_was_paid_for() {
        let dataset = load("d.jsonl", DATASET.as_bytes());
        let answers = vec![
            answer(
                1,
                AnswerStatus::Success,
                Some("<RESULT_START>\n- R1@S1: 1\n- R2@S0: 0\n<RESULT_END>"),
            ),
            answer(2, AnswerStatus::FormatError, Some("no block")),
            answer(3, AnswerStatus::Error, None),
        ];
        let text = judged_jsonl(&dataset, 0, &answers, &context());
        let imported = import_judged(&load("j.jsonl", text.as_bytes())).unwrap();
        assert_eq!(imported.dataset.records.len(), 3);
        assert_eq!(imported.dataset.models, ["m"]);
        let statuses: Vec<AnswerStatus> = imported.answers.iter().map(|a| a.status).collect();
        assert_eq!(
            statuses,
            [
                AnswerStatus::Success,
                AnswerStatus::FormatError,
                AnswerStatus::Error
            ]
        );
        assert_eq!(imported.answers[0].attempts, 2);
        assert_eq!(imported.answers[0].usage.unwrap().total_tokens, 15);
        assert!(
            import_judged(&dataset).is_none(),
            "a data set is not a judged file"
        );
    }

    #[test]
    fn endpoints_lose_credentials_and_queries() {
        assert_eq!(
            public_endpoint("https://user:secret@api.test/v1?key=abc#x"),
            "https://api.test/v1"
        );
        assert_eq!(
            public_endpoint("http://127.0.0.1:8000/v1"),
            "http://127.0.0.1:8000/v1"
        );
        assert_eq!(
            public_endpoint("https://api.test/v1/a@b"),
            "https://api.test/v1/a@b"
        );
    }
}
