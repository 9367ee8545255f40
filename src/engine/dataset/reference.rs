//! The reference runner's judged format: a line holds the judge's `samples`, a `status` and the
//! data-set row as `metadata`; the app adds `metajudge.model` to name the judged model.

use serde_json::{Map, Value};

use super::file::{FileKind, LoadedFile};
use super::line::{Entries, Slot};
use super::record::Answer;
use crate::engine::reply::parse_reply;

/// What a judged line holds besides its data-set row.
pub(super) struct JudgedParts<'a> {
    pub answer: Answer,
    /// The data-set row, taken out of `metadata` (empty when that is not an object).
    pub row: Entries<'a>,
    /// The model named by `metajudge.model`.
    pub judged_model: Option<String>,
}

/// A file is judged when its first row looks like the reference runner's output.
pub(super) fn is_judged(line: &Entries<'_>) -> bool {
    line.contains_key("samples") || line.contains_key("metadata")
}

/// Splits a judged line into the judge's answer, the data-set row and the named model.
pub(super) fn split_judged(mut line: Entries<'_>) -> JudgedParts<'_> {
    let answer = match line.get("samples") {
        Some(Slot::FirstSample(Some(text))) => Answer::Given(parse_reply(text)),
        _ => Answer::Missing,
    };
    let judged_model = line
        .value("metajudge")
        .and_then(|m| m.get("model"))
        .and_then(Value::as_str)
        .map(str::to_string);
    JudgedParts {
        answer,
        row: line.take_row("metadata"),
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
