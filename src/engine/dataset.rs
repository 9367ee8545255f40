//! JSONL text -> rows + bad lines (SPEC section 1).
//!
//! One reader takes both kinds of file: data sets (one data-set row a line) and judged files
//! (the reference runner's output: `samples`, `status`, `metadata`). It reads in chunks, so a
//! page can show progress on a large file, and keeps the bytes so that a row can be parsed again
//! in full when someone opens it. Rows are reduced at load time to what scoring needs.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::reply::{parse_reply, Reply};
use super::verdict::{model_verdict, ModelVerdict};

/// The key that holds the human rationales.
pub const HUMAN_CHECKLIST: &str = "human-checklist";
/// The default human verdict field (HelpSteer3).
pub const HUMAN_VERDICT: &str = "overall_preference";
const CHECKLIST_SUFFIX: &str = "-checklist";
const LABEL_SUFFIX: &str = "-label";
const TEXT_SUFFIX: &str = "-generated_text";
/// Scalar fields longer than this are not kept for breakdowns (they are texts, not groups).
const MAX_GROUP_VALUE_LEN: usize = 200;

/// What a file holds, decided by its first row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    /// Data-set rows: checklists and verdicts, no judge answers yet.
    Dataset,
    /// Judged rows in the reference format: a judge answer plus the data-set row as `metadata`.
    Judged,
}

/// A line that is not a JSON object, with its 1-based number and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BadLine {
    pub line: usize,
    pub message: String,
}

/// A checklist field as found: a list of items, or something else (the type found).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Checklist {
    Items(Vec<String>),
    NotAList(String),
}

/// The judge's answer of a judged row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    /// `samples` missing or empty: the call failed.
    Missing,
    Given(Reply),
}

/// One model's fields in one row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelColumn {
    pub checklist: Option<Checklist>,
    pub verdict: ModelVerdict,
}

/// One row, reduced to what the figures need. `columns` is indexed like `LoadedFile::models`;
/// a row without any field of a model holds `None` there (or is shorter).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub line: usize,
    pub answer: Option<Answer>,
    pub human: Option<Checklist>,
    pub columns: Vec<Option<ModelColumn>>,
    /// Short scalar fields of the data-set row (`domain`, `overall_preference`, `language`, ...).
    pub fields: Vec<(String, Value)>,
    /// The model named by the app's own `metajudge.model` key, when the row has one.
    pub judged_model: Option<String>,
    span: Range<usize>,
}

/// A whole file after reading. Cloning is cheap for the bytes (shared), linear in the rows.
#[derive(Clone, Debug, Default)]
pub struct LoadedFile {
    pub name: String,
    pub kind: Option<FileKind>,
    /// Model names in order of first appearance, spelt as first seen.
    pub models: Vec<String>,
    pub records: Vec<Record>,
    pub bad_lines: Vec<BadLine>,
    /// Lines in the file, blank ones included.
    pub n_lines: usize,
    /// For judged files: which model's checklist was judged.
    pub judged_model: Option<usize>,
    /// Things the reader decided that the user should know about.
    pub notes: Vec<String>,
    bytes: Arc<[u8]>,
    /// What the lines in `bytes` are: differs from `kind` for a run's live view, whose rows
    /// are data-set lines with answers attached in memory.
    line_kind: Option<FileKind>,
}

/// Reads a file chunk by chunk. Lines are split on `\n` as the bytes arrive, so a chunk may end
/// anywhere, even inside a UTF-8 character.
#[derive(Debug, Default)]
pub struct Loader {
    file: LoadedFile,
    bytes: Vec<u8>,
    /// Offset of the first byte not yet split into a line.
    pending_from: usize,
    model_idx: HashMap<String, usize>,
}

impl Loader {
    pub fn new(name: &str) -> Self {
        Loader {
            file: LoadedFile {
                name: name.to_string(),
                ..LoadedFile::default()
            },
            ..Loader::default()
        }
    }

    /// Takes the next bytes of the file and reads every line they complete.
    pub fn push(&mut self, chunk: &[u8]) {
        let scan_from = self.bytes.len();
        self.bytes.extend_from_slice(chunk);
        let mut at = scan_from;
        while let Some(offset) = self.bytes[at..].iter().position(|&b| b == b'\n') {
            let end = at + offset;
            self.read_line(self.pending_from..end);
            self.pending_from = end + 1;
            at = end + 1;
        }
    }

    /// Bytes taken so far.
    pub fn n_bytes(&self) -> usize {
        self.bytes.len()
    }

    /// Reads the last line (if the file does not end in a newline) and settles the models.
    pub fn finish(mut self) -> LoadedFile {
        if self.pending_from < self.bytes.len() {
            self.read_line(self.pending_from..self.bytes.len());
        }
        self.settle_judged_model();
        self.file.bytes = Arc::from(std::mem::take(&mut self.bytes));
        self.file.line_kind = self.file.kind;
        self.file
    }

    fn read_line(&mut self, mut span: Range<usize>) {
        self.file.n_lines += 1;
        let line = self.file.n_lines;
        let bytes = &self.bytes[span.clone()];
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let mut skip = 0;
        if line == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
            skip = 3;
        }
        let bytes = &bytes[skip..];
        span = span.start + skip..span.start + skip + bytes.len();
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let message = format!(
                    "not UTF-8 text (bad byte at column {})",
                    e.valid_up_to() + 1
                );
                self.file.bad_lines.push(BadLine { line, message });
                return;
            }
        };
        if text.trim().is_empty() {
            return;
        }
        match parse_object(text) {
            Ok(object) => {
                let record = self.reduce(line, span, object);
                self.file.records.push(record);
            }
            Err(message) => self.file.bad_lines.push(BadLine { line, message }),
        }
    }

    fn reduce(
        &mut self,
        line: usize,
        span: Range<usize>,
        mut object: Map<String, Value>,
    ) -> Record {
        let is_judged = object.contains_key("samples") || object.contains_key("metadata");
        let kind = *self.file.kind.get_or_insert(if is_judged {
            FileKind::Judged
        } else {
            FileKind::Dataset
        });
        let (answer, row, judged_model) = match kind {
            FileKind::Dataset => (None, object, None),
            FileKind::Judged => {
                let answer = first_answer(&object);
                let judged_model = object
                    .get("metajudge")
                    .and_then(|m| m.get("model"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let row = match object.remove("metadata") {
                    Some(Value::Object(row)) => row,
                    _ => Map::new(),
                };
                (Some(answer), row, judged_model)
            }
        };
        Record {
            line,
            answer,
            human: lookup(&row, HUMAN_CHECKLIST).map(checklist),
            columns: self.columns(&row),
            fields: group_fields(&row),
            judged_model,
            span,
        }
    }

    /// The model columns of a row; new models are added to the file's list.
    fn columns(&mut self, row: &Map<String, Value>) -> Vec<Option<ModelColumn>> {
        let mut columns: Vec<Option<ModelColumn>> = Vec::new();
        for (key, value) in row {
            let lower = key.to_lowercase();
            let Some(name) = lower.strip_suffix(CHECKLIST_SUFFIX) else {
                continue;
            };
            if lower == HUMAN_CHECKLIST {
                continue;
            }
            let idx = match self.model_idx.get(name) {
                Some(&idx) => idx,
                None => {
                    let idx = self.file.models.len();
                    self.model_idx.insert(name.to_string(), idx);
                    // The key minus its suffix, in the spelling first seen.
                    self.file
                        .models
                        .push(key[..key.len() - CHECKLIST_SUFFIX.len()].to_string());
                    idx
                }
            };
            if columns.len() <= idx {
                columns.resize(idx + 1, None);
            }
            // The first key that matches without case wins, as in the reference script.
            if columns[idx].is_some() {
                continue;
            }
            let model = &self.file.models[idx];
            let label = lookup(row, &format!("{model}{LABEL_SUFFIX}"));
            let text = lookup(row, &format!("{model}{TEXT_SUFFIX}")).and_then(Value::as_str);
            columns[idx] = Some(ModelColumn {
                checklist: Some(checklist(value)),
                verdict: model_verdict(label, text),
            });
        }
        columns
    }

    fn settle_judged_model(&mut self) {
        let file = &mut self.file;
        if file.kind != Some(FileKind::Judged) || file.models.is_empty() {
            return;
        }
        let named = file.records.iter().find_map(|r| r.judged_model.clone());
        if let Some(idx) = named.as_deref().and_then(|name| file.model_idx(name)) {
            file.judged_model = Some(idx);
            return;
        }
        file.judged_model = Some(0);
        if file.models.len() > 1 {
            file.notes.push(format!(
                "the rows hold checklists of {} models ({}); scored {}, the first, as the reference script does; \
                 choose another model to score a different one",
                file.models.len(),
                file.models.join(", "),
                file.models[0]
            ));
        }
    }
}

impl LoadedFile {
    /// The index of a model, found without case.
    pub fn model_idx(&self, name: &str) -> Option<usize> {
        let lower = name.to_lowercase();
        self.models.iter().position(|m| m.to_lowercase() == lower)
    }

    /// The models whose figures this file gives: the judged one for a judged file, all of them
    /// for a data set.
    pub fn scored_models(&self) -> Vec<usize> {
        match (self.kind, self.judged_model) {
            (Some(FileKind::Judged), Some(idx)) => vec![idx],
            (Some(FileKind::Judged), None) => Vec::new(),
            _ => (0..self.models.len()).collect(),
        }
    }

    /// The full JSON object of a record, parsed again from the file's bytes.
    pub fn raw_object(&self, record: &Record) -> Option<Map<String, Value>> {
        parse_object(self.raw_line(record)?).ok()
    }

    /// The judge's answer text of a record, when its line holds one (judged files).
    pub fn answer_text(&self, record: &Record) -> Option<String> {
        if self.line_kind != Some(FileKind::Judged) {
            return None;
        }
        let object = self.raw_object(record)?;
        let sample = object.get("samples")?.as_array()?.first()?;
        sample.get("generated_text")?.as_str().map(str::to_string)
    }

    /// The line a record was read from (without its line end).
    pub fn raw_line(&self, record: &Record) -> Option<&str> {
        std::str::from_utf8(self.bytes.get(record.span.clone())?).ok()
    }

    /// The data-set row of a record: the line itself for a data set, its `metadata` for a
    /// judged file.
    pub fn data_row(&self, record: &Record) -> Option<Map<String, Value>> {
        let mut object = self.raw_object(record)?;
        match self.line_kind {
            Some(FileKind::Judged) => match object.remove("metadata") {
                Some(Value::Object(row)) => Some(row),
                _ => Some(Map::new()),
            },
            _ => Some(object),
        }
    }

    /// A judged file made of some of this file's rows with answers attached (a run's answers
    /// so far), sharing this file's bytes. `records` come from [`Record::with_answer`].
    pub fn judged_view(&self, name: &str, records: Vec<Record>, model_idx: usize) -> LoadedFile {
        LoadedFile {
            name: name.to_string(),
            kind: Some(FileKind::Judged),
            models: self.models.clone(),
            records,
            bad_lines: Vec::new(),
            n_lines: self.n_lines,
            judged_model: Some(model_idx),
            notes: Vec::new(),
            bytes: Arc::clone(&self.bytes),
            line_kind: self.line_kind,
        }
    }

    /// The file as read, byte for byte.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Size of the file in bytes.
    pub fn n_bytes(&self) -> usize {
        self.bytes.len()
    }
}

impl Record {
    /// The same row with a judge answer attached.
    pub fn with_answer(&self, answer: Answer) -> Record {
        Record {
            answer: Some(answer),
            ..self.clone()
        }
    }

    /// The column of model `idx`, if the row has any field of that model.
    pub fn column(&self, idx: usize) -> Option<&ModelColumn> {
        self.columns.get(idx).and_then(Option::as_ref)
    }

    /// A short scalar field by name (found without case), for verdicts and breakdowns.
    pub fn field(&self, name: &str) -> Option<&Value> {
        let lower = name.to_lowercase();
        self.fields
            .iter()
            .find(|(k, _)| k.to_lowercase() == lower)
            .map(|(_, v)| v)
    }

    /// A field shown as a group name: strings as they are, other values as JSON.
    pub fn group(&self, name: &str) -> Option<String> {
        self.field(name).map(value_text)
    }
}

/// Reads a whole file at once.
pub fn load(name: &str, bytes: &[u8]) -> LoadedFile {
    let mut loader = Loader::new(name);
    loader.push(bytes);
    loader.finish()
}

/// Parses one line as a JSON object, or says in plain words why it is not one.
fn parse_object(text: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(other) => Err(format!(
            "expected a JSON object, found {}",
            type_name(&other)
        )),
        Err(e) => Err(format!(
            "not valid JSON: {} at column {}",
            json_reason(&e),
            e.column()
        )),
    }
}

/// serde_json's message without its own " at line 1 column N" tail.
fn json_reason(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_string(),
        None => message,
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A key looked up without case, the exact spelling first; otherwise the first match in the
/// object's order wins (as the reference script looks keys up).
pub fn lookup<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if let Some(value) = object.get(key) {
        return Some(value);
    }
    let lower = key.to_lowercase();
    object
        .iter()
        .find(|(k, _)| k.to_lowercase() == lower)
        .map(|(_, v)| v)
}

/// A value as it is shown: strings as they are, other JSON as its text.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn checklist(value: &Value) -> Checklist {
    match value {
        Value::Array(items) => Checklist::Items(
            items
                .iter()
                .map(|item| match item {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
        ),
        other => Checklist::NotAList(type_name(other).to_string()),
    }
}

fn first_answer(object: &Map<String, Value>) -> Answer {
    let text = object
        .get("samples")
        .and_then(Value::as_array)
        .and_then(|samples| samples.first())
        .map(|sample| {
            sample
                .get("generated_text")
                .and_then(Value::as_str)
                .unwrap_or_default()
        });
    match text {
        Some(text) => Answer::Given(parse_reply(text)),
        None => Answer::Missing,
    }
}

fn group_fields(row: &Map<String, Value>) -> Vec<(String, Value)> {
    row.iter()
        .filter(|(_, value)| match value {
            Value::String(s) => s.len() <= MAX_GROUP_VALUE_LEN,
            Value::Number(_) | Value::Bool(_) => true,
            _ => false,
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, n_records: usize, bad: &[(usize, &str)], models: &[&str]) -> LoadedFile {
        let file = load("t.jsonl", text.as_bytes());
        assert_eq!(file.records.len(), n_records, "records of {text:?}");
        let got: Vec<_> = file
            .bad_lines
            .iter()
            .map(|b| (b.line, b.message.as_str()))
            .collect();
        assert_eq!(got, bad, "bad lines of {text:?}");
        assert_eq!(file.models, models, "models of {text:?}");
        file
    }

    #[test]
    fn blank_lines_crlf_and_bom_are_accepted() {
        let text = "\u{feff}{\"human-checklist\": [\"a\"], \"m-checklist\": []}\r\n\r\n   \n{\"x\": 1}\r\n";
        let file = check(text, 2, &[], &["m"]);
        assert_eq!(file.records[1].line, 4);
        assert_eq!(file.n_lines, 4);
        assert_eq!(file.kind, Some(FileKind::Dataset));
    }

    #[test]
    fn bad_lines_are_reported_with_their_numbers() {
        let text = "{\"a\": 1}\n[1, 2]\n{\"a\": \n\n\"text\"\n{\"b\": 2}";
        check(
            text,
            2,
            &[
                (2, "expected a JSON object, found an array"),
                (3, "not valid JSON: EOF while parsing a value at column 6"),
                (5, "expected a JSON object, found a string"),
            ],
            &[],
        );
        let bytes = b"{\"a\": \"\xff\"}\n";
        let file = load("t", bytes);
        assert_eq!(
            file.bad_lines[0].message,
            "not UTF-8 text (bad byte at column 8)"
        );
    }

    #[test]
    fn models_are_found_without_case() {
        let text = r#"{"Model-X-Checklist": ["a"], "human-checklist": ["h"], "Human-Checklist": []}
{"model-x-checklist": ["b", "c"], "model-x-label": "A>B", "other-checklist": "oops"}"#;
        let file = check(text, 2, &[], &["Model-X", "other"]);
        let second = &file.records[1];
        assert_eq!(
            second.column(0).unwrap().checklist,
            Some(Checklist::Items(vec!["b".into(), "c".into()]))
        );
        assert_eq!(
            second.column(1).unwrap().checklist,
            Some(Checklist::NotAList("a string".into()))
        );
        assert_eq!(file.records[0].column(1), None);
        assert_eq!(
            file.records[0].human,
            Some(Checklist::Items(vec!["h".into()]))
        );
    }

    #[test]
    fn chunks_may_split_lines_and_characters() {
        let text =
            "{\"domain\": \"数据\", \"m-checklist\": [\"é\"]}\n{\"domain\": \"x\"}\n".as_bytes();
        for cut in 0..text.len() {
            let mut loader = Loader::new("t");
            loader.push(&text[..cut]);
            loader.push(&text[cut..]);
            let file = loader.finish();
            assert_eq!(file.records.len(), 2, "cut at {cut}");
            assert_eq!(file.records[0].group("domain").as_deref(), Some("数据"));
            assert!(file.bad_lines.is_empty());
        }
    }

    #[test]
    fn judged_rows_read_the_answer_and_the_metadata() {
        let text = r#"{"prompt": "p", "samples": [{"generated_text": "<RESULT_START>- R1@S1: 1<RESULT_END>"}], "metadata": {"human-checklist": ["h"], "j-checklist": ["s"], "domain": "code"}}
{"prompt": "p", "samples": [], "status": "error", "metadata": {"human-checklist": ["h"], "j-checklist": ["s"]}}"#;
        let file = check(text, 2, &[], &["j"]);
        assert_eq!(file.kind, Some(FileKind::Judged));
        assert_eq!(file.scored_models(), vec![0]);
        assert!(
            matches!(&file.records[0].answer, Some(Answer::Given(reply)) if reply.triples.len() == 1)
        );
        assert_eq!(file.records[1].answer, Some(Answer::Missing));
        assert_eq!(file.records[0].group("domain").as_deref(), Some("code"));
        assert_eq!(
            file.raw_object(&file.records[1]).unwrap()["status"],
            "error"
        );
    }

    #[test]
    fn judged_file_with_several_models_names_its_choice() {
        let text = r#"{"samples": [], "metadata": {"a-checklist": [], "b-checklist": []}}"#;
        let file = check(text, 1, &[], &["a", "b"]);
        assert_eq!(file.judged_model, Some(0));
        assert_eq!(file.notes.len(), 1);
        let text = r#"{"samples": [], "metadata": {"a-checklist": [], "b-checklist": []}, "metajudge": {"model": "B"}}"#;
        let file = check(text, 1, &[], &["a", "b"]);
        assert_eq!(file.judged_model, Some(1));
        assert!(file.notes.is_empty());
    }
}
