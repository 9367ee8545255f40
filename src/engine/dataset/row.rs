//! The data-set row format: a row object -> a [`Record`]. Models are found by their
//! `<model>-checklist` keys (without case), with their `-label` and `-generated_text` beside.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde_json::{Map, Value};

use super::file::FileKind;
use super::record::{Checklist, ModelColumn, Record};
use super::reference::{split_judged, JudgedParts};
use crate::engine::json::{lookup, type_name, value_text};
use crate::engine::verdict::model_verdict;

/// The key that holds the human rationales.
pub const HUMAN_CHECKLIST: &str = "human-checklist";
/// The default human verdict field (HelpSteer3).
pub const HUMAN_VERDICT: &str = "overall_preference";
const CHECKLIST_SUFFIX: &str = "-checklist";
const LABEL_SUFFIX: &str = "-label";
/// The suffix of a model's own answer (`<model>-generated_text`).
pub const TEXT_SUFFIX: &str = "-generated_text";
/// Scalar fields longer than this are not kept for breakdowns (they are texts, not groups).
const MAX_GROUP_VALUE_LEN: usize = 200;

/// The models met so far in a file, in order of first appearance, spelt as first seen.
#[derive(Debug, Default)]
pub(super) struct ModelNames {
    pub names: Vec<String>,
    /// Lower-case name -> index in `names`.
    idx: HashMap<String, usize>,
}

/// Reduces one line's object to a record; new models are added to `models`.
pub(super) fn reduce(
    models: &mut ModelNames,
    kind: FileKind,
    line: usize,
    span: Range<usize>,
    object: Map<String, Value>,
) -> Record {
    let (answer, row, judged_model) = match kind {
        FileKind::Dataset => (None, object, None),
        FileKind::Judged => {
            let JudgedParts {
                answer,
                row,
                judged_model,
            } = split_judged(object);
            (Some(answer), row, judged_model)
        }
    };
    Record {
        line,
        answer,
        human: lookup(&row, HUMAN_CHECKLIST).map(checklist),
        columns: columns(models, &row),
        fields: group_fields(&row),
        judged_model,
        span,
    }
}

/// The model columns of a row; new models are added to `models`.
fn columns(models: &mut ModelNames, row: &Map<String, Value>) -> Vec<(usize, ModelColumn)> {
    // Each key is lowercased once here, not once per model: a row may name thousands of
    // models, and looking up each model's label by scanning every key was quadratic.
    let keys = LowerKeys::new(row);
    let mut columns: Vec<(usize, ModelColumn)> = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    for ((key, value), lower) in row.iter().zip(&keys.lower) {
        let Some(name) = lower.strip_suffix(CHECKLIST_SUFFIX) else {
            continue;
        };
        if lower == HUMAN_CHECKLIST {
            continue;
        }
        let idx = match models.idx.get(name) {
            Some(&idx) => idx,
            None => {
                let idx = models.names.len();
                models.idx.insert(name.to_string(), idx);
                models
                    .names
                    .push(spelling(key, CHECKLIST_SUFFIX).to_string());
                idx
            }
        };
        // The first key that matches without case wins, as in the reference script.
        if !seen.insert(idx) {
            continue;
        }
        let model = &models.names[idx];
        let label = keys.lookup(row, &format!("{model}{LABEL_SUFFIX}"));
        let text = keys
            .lookup(row, &format!("{model}{TEXT_SUFFIX}"))
            .and_then(Value::as_str);
        columns.push((
            idx,
            ModelColumn {
                checklist: Some(checklist(value)),
                verdict: model_verdict(label, text),
            },
        ));
    }
    // Models first met in earlier rows keep their lower indices, so the row's key order is
    // not the index order.
    columns.sort_by_key(|(idx, _)| *idx);
    columns
}

/// A row's keys lowercased once, with the first key of each lowercase spelling, so that a
/// lookup without case costs one hash instead of a pass over the row.
struct LowerKeys<'a> {
    /// The lowercase of each key, in the row's order.
    lower: Vec<String>,
    /// Lowercase key -> the value of the first key in the row's order that has it.
    first: HashMap<String, &'a Value>,
}

impl<'a> LowerKeys<'a> {
    fn new(row: &'a Map<String, Value>) -> Self {
        let lower: Vec<String> = row.keys().map(|k| k.to_lowercase()).collect();
        let mut first = HashMap::with_capacity(lower.len());
        for (key, value) in lower.iter().zip(row.values()) {
            if !first.contains_key(key) {
                first.insert(key.clone(), value);
            }
        }
        LowerKeys { lower, first }
    }

    /// What [`lookup`] finds: the exact spelling first, else the first key equal without case.
    fn lookup(&self, row: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
        row.get(key)
            .or_else(|| self.first.get(&key.to_lowercase()).copied())
    }
}

/// The spelling of a key without its suffix (which matched without case). Lowercasing may
/// change a character's length (the Kelvin sign `\u{212A}` is 3 bytes, `k` is 1), so the
/// suffix is cut by its characters, never by the byte length of its lowercase.
fn spelling<'k>(key: &'k str, suffix: &str) -> &'k str {
    let n_chars = suffix.chars().count();
    let cut = key
        .char_indices()
        .rev()
        .take(n_chars)
        .last()
        .map_or(key.len(), |(at, _)| at);
    if key[cut..].to_lowercase() == suffix {
        &key[..cut]
    } else {
        // Not reached for the ASCII suffixes used here: no character lowercases into several
        // of their characters. Keeping the whole key is better than cutting it blindly.
        key
    }
}

fn checklist(value: &Value) -> Checklist {
    match value {
        Value::Array(items) => Checklist::Items(items.iter().map(value_text).collect()),
        other => Checklist::NotAList(type_name(other).to_string()),
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
