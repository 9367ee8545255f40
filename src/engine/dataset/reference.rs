//! The reference runner's judged format: a line holds the judge's `samples`, a `status` and the
//! data-set row as `metadata`; the app adds `metajudge.model` to name the judged model.

use serde_json::{Map, Value};

use super::file::{FileKind, LoadedFile};
use super::record::Answer;
use crate::engine::reply::parse_reply;

/// What a judged line holds besides its data-set row.
pub(super) struct JudgedParts {
    pub answer: Answer,
    /// The data-set row, taken out of `metadata` (empty when that is not an object).
    pub row: Map<String, Value>,
    /// The model named by `metajudge.model`.
    pub judged_model: Option<String>,
}

/// A file is judged when its first row looks like the reference runner's output.
pub(super) fn is_judged(object: &Map<String, Value>) -> bool {
    object.contains_key("samples") || object.contains_key("metadata")
}

/// Splits a judged line into the judge's answer, the data-set row and the named model.
pub(super) fn split_judged(mut object: Map<String, Value>) -> JudgedParts {
    let answer = first_answer(&object);
    let judged_model = object
        .get("metajudge")
        .and_then(|m| m.get("model"))
        .and_then(Value::as_str)
        .map(str::to_string);
    JudgedParts {
        answer,
        row: take_metadata(&mut object),
        judged_model,
    }
}

/// The data-set row of a judged line; a `metadata` that is missing or not an object is an
/// empty row.
pub(super) fn take_metadata(object: &mut Map<String, Value>) -> Map<String, Value> {
    match object.remove("metadata") {
        Some(Value::Object(row)) => row,
        _ => Map::new(),
    }
}

/// The first of the judge's `samples`; the reference runner writes one a line.
pub(super) fn first_sample(object: &Map<String, Value>) -> Option<&Value> {
    object
        .get("samples")
        .and_then(Value::as_array)
        .and_then(|samples| samples.first())
}

/// Decides which model a judged file scores: the one its rows name, else the first, with a
/// note when there was a choice to make.
pub(super) fn settle_judged_model(file: &mut LoadedFile) {
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

fn first_answer(object: &Map<String, Value>) -> Answer {
    let text = first_sample(object).map(|sample| {
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
