//! Batch input files (SPEC section 9): one line per call,
//! `{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body": {chat request}}`,
//! the body built by `engine::chat` exactly as the page sends it; one model per file, each file
//! split at 50,000 lines or 200 MB (`-part2`, `-part3`, ...), the OpenAI Batch API's limits.

use std::collections::BTreeMap;

use serde::Serialize;

use super::custom_id::{CustomId, Stage};
use crate::engine::chat::{chat_request, ChatOptions, ChatRequest};

/// The endpoint every line names (the batch engines' chat-completions route).
pub const ENDPOINT: &str = "/v1/chat/completions";
/// Most lines a batch file may hold (OpenAI: 50,000 requests).
pub const MAX_LINES: usize = 50_000;
/// Most bytes a batch file may hold: OpenAI allows 200 MB; decimal megabytes stay below it
/// whichever way the server counts.
pub const MAX_BYTES: usize = 200_000_000;

/// When a file is split.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_lines: usize,
    pub max_bytes: usize,
}

/// One input file, whole, ready to write or download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputPart {
    /// `<stem>.jsonl`, then `<stem>-part2.jsonl`, ...
    pub name: String,
    /// JSONL, `\n` after every line.
    pub text: String,
    pub n_lines: usize,
}

/// Collects the lines of one model's file and cuts a part whenever the next line would go
/// over a limit, so a caller can write each part as soon as it is full.
#[derive(Clone, Debug)]
pub struct InputWriter {
    stem: String,
    limits: Limits,
    text: String,
    n_lines: usize,
    n_parts: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_lines: MAX_LINES,
            max_bytes: MAX_BYTES,
        }
    }
}

/// The input line of one call: its id and the body of `prompt` with `options`.
pub fn input_line(id: &CustomId, options: &ChatOptions, prompt: &str) -> String {
    let line = Line {
        custom_id: id.to_string(),
        method: "POST",
        url: ENDPOINT,
        body: chat_request(options, prompt),
    };
    // Serialising strings and numbers cannot fail.
    serde_json::to_string(&line).unwrap_or_default()
}

/// Every input file of `calls` (each an id and its prompt): one model per file (a model of
/// `models`, the run's list, named by the id's model index), files in model order, each split
/// at `limits`. Files are named after the data set, the stage and the model.
pub fn input_files(
    dataset_name: &str,
    models: &[String],
    options: &ChatOptions,
    calls: impl IntoIterator<Item = (CustomId, String)>,
    limits: Limits,
) -> Vec<InputPart> {
    let mut writers: BTreeMap<usize, InputWriter> = BTreeMap::new();
    let mut parts: BTreeMap<usize, Vec<InputPart>> = BTreeMap::new();
    for (id, prompt) in calls {
        let model_idx = id.model_idx;
        let writer = writers.entry(model_idx).or_insert_with(|| {
            let model = models.get(model_idx).map_or("model", String::as_str);
            InputWriter::new(&file_stem(dataset_name, id.stage, model), limits)
        });
        if let Some(part) = writer.push(&input_line(&id, options, &prompt)) {
            parts.entry(model_idx).or_default().push(part);
        }
    }
    for (model_idx, writer) in writers {
        if let Some(part) = writer.finish() {
            parts.entry(model_idx).or_default().push(part);
        }
    }
    parts.into_values().flatten().collect()
}

/// `<data set name without .jsonl>-<stage>-<model>`, with the characters file systems refuse
/// (and spaces) as `_`.
pub fn file_stem(dataset_name: &str, stage: Stage, model: &str) -> String {
    let stem = dataset_name.trim_end_matches(".jsonl");
    format!("{stem}-{stage}-{model}")
        .replace(['/', '\\', ':', ' ', '*', '?', '"', '<', '>', '|'], "_")
}

impl InputWriter {
    pub fn new(stem: &str, limits: Limits) -> Self {
        InputWriter {
            stem: stem.to_string(),
            limits,
            text: String::new(),
            n_lines: 0,
            n_parts: 0,
        }
    }

    /// Adds one line (without its `\n`). When it does not fit beside the lines already held,
    /// the part they make is returned and the line starts the next one. A line over the byte
    /// limit by itself still gets a part of its own: it cannot be cut.
    pub fn push(&mut self, line: &str) -> Option<InputPart> {
        let full = self.n_lines > 0
            && (self.n_lines + 1 > self.limits.max_lines
                || self.text.len() + line.len() + 1 > self.limits.max_bytes);
        let done = full.then(|| self.cut());
        self.text.push_str(line);
        self.text.push('\n');
        self.n_lines += 1;
        done
    }

    /// The last part, if any line is held.
    pub fn finish(mut self) -> Option<InputPart> {
        (self.n_lines > 0).then(|| self.cut())
    }

    fn cut(&mut self) -> InputPart {
        self.n_parts += 1;
        let name = match self.n_parts {
            1 => format!("{}.jsonl", self.stem),
            n => format!("{}-part{n}.jsonl", self.stem),
        };
        let part = InputPart {
            name,
            text: std::mem::take(&mut self.text),
            n_lines: self.n_lines,
        };
        self.n_lines = 0;
        part
    }
}

#[derive(Serialize)]
struct Line<'a> {
    custom_id: String,
    method: &'static str,
    url: &'static str,
    body: ChatRequest<'a>,
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::engine::chat::{request_body, TokenField};

    fn options() -> ChatOptions {
        ChatOptions {
            model: "matcher".into(),
            temperature: Some(0.6),
            max_tokens: 8192,
            token_field: TokenField::MaxTokens,
            response_format: None,
        }
    }

    fn id(row_idx: usize, model_idx: usize) -> CustomId {
        CustomId {
            run_id: "r".into(),
            stage: Stage::Match,
            row_idx,
            model_idx,
        }
    }

    #[test]
    fn a_line_parses_back_to_the_batch_schema_with_the_page_body() {
        let line = input_line(&id(3, 1), &options(), "P \"q\"\n");
        let value: Value = serde_json::from_str(&line).unwrap();
        let fields: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(fields, ["custom_id", "method", "url", "body"]);
        assert_eq!(value["custom_id"], "mj1:r:match:3:1");
        assert_eq!(value["method"], "POST");
        assert_eq!(value["url"], "/v1/chat/completions");
        let page: Value = serde_json::from_str(&request_body(&options(), "P \"q\"\n")).unwrap();
        assert_eq!(value["body"], page, "the body is what the page sends");
        assert_eq!(
            value["body"]["messages"],
            json!([{"role": "user", "content": "P \"q\"\n"}])
        );
        assert!(!line.contains('\n'), "one call is one line");
    }

    /// Pushes `n_calls` calls of `model_idx`-alternating models through `input_files` and
    /// checks the (name, line count) of each part.
    #[track_caller]
    fn check(n_calls: usize, n_models: usize, limits: Limits, expected: &[(&str, usize)]) {
        let models: Vec<String> = ["a/b", "c"].map(String::from).to_vec();
        let calls = (0..n_calls).map(|i| (id(i / n_models, i % n_models), "p".repeat(10)));
        let parts = input_files("d.jsonl", &models, &options(), calls, limits);
        let got: Vec<(&str, usize)> = parts.iter().map(|p| (p.name.as_str(), p.n_lines)).collect();
        assert_eq!(got, expected);
        for part in &parts {
            assert_eq!(part.text.lines().count(), part.n_lines);
            assert!(part.n_lines <= limits.max_lines);
            assert!(part.n_lines == 1 || part.text.len() <= limits.max_bytes);
            let first: Value = serde_json::from_str(part.text.lines().next().unwrap()).unwrap();
            let first_id: CustomId = first["custom_id"].as_str().unwrap().parse().unwrap();
            let stem = if first_id.model_idx == 0 {
                "d-match-a_b"
            } else {
                "d-match-c"
            };
            assert!(
                part.name.starts_with(stem),
                "one model per file: {}",
                part.name
            );
        }
    }

    #[test]
    fn files_hold_one_model_and_split_at_the_line_and_byte_limits() {
        let line_len = input_line(&id(0, 0), &options(), &"p".repeat(10)).len() + 1;
        let lines = |max_lines| Limits {
            max_lines,
            max_bytes: MAX_BYTES,
        };
        check(
            5,
            1,
            lines(2),
            &[
                ("d-match-a_b.jsonl", 2),
                ("d-match-a_b-part2.jsonl", 2),
                ("d-match-a_b-part3.jsonl", 1),
            ],
        );
        check(
            4,
            1,
            lines(2),
            &[("d-match-a_b.jsonl", 2), ("d-match-a_b-part2.jsonl", 2)],
        );
        check(
            4,
            2,
            lines(50),
            &[("d-match-a_b.jsonl", 2), ("d-match-c.jsonl", 2)],
        );
        check(0, 1, lines(2), &[]);
        let bytes = |max_bytes| Limits {
            max_lines: 50,
            max_bytes,
        };
        check(
            3,
            1,
            bytes(2 * line_len),
            &[("d-match-a_b.jsonl", 2), ("d-match-a_b-part2.jsonl", 1)],
        );
        check(
            3,
            1,
            bytes(2 * line_len - 1),
            &[
                ("d-match-a_b.jsonl", 1),
                ("d-match-a_b-part2.jsonl", 1),
                ("d-match-a_b-part3.jsonl", 1),
            ],
        );
        check(
            2,
            1,
            bytes(1),
            &[("d-match-a_b.jsonl", 1), ("d-match-a_b-part2.jsonl", 1)],
        );
        assert_eq!(
            Limits::default(),
            Limits {
                max_lines: 50_000,
                max_bytes: 200_000_000
            }
        );
    }
}
