//! The data-set row format: a row object -> a [`Record`]. Models are found by their
//! `<model>-checklist` keys (without case), with their `-label` and `-generated_text` beside.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde_json::Value;

use super::file::FileKind;
use super::line::{
    ends_without_case, is_short_scalar, Entries, Slot, CHECKLIST_SUFFIX, LABEL_SUFFIX, LINEAR_KEYS,
    TEXT_SUFFIX,
};
use super::record::{Checklist, ModelColumn, Record};
use super::reference::{split_judged, JudgedParts};
use crate::engine::json::{same_without_case, type_name};
use crate::engine::verdict::{model_verdict, ModelVerdict};

/// The key that holds the human rationales.
pub const HUMAN_CHECKLIST: &str = "human-checklist";
/// The default human verdict field (HelpSteer3).
pub const HUMAN_VERDICT: &str = "overall_preference";

/// The models met so far in a file, in order of first appearance, spelt as first seen.
#[derive(Debug, Default)]
pub(super) struct ModelNames {
    pub names: Vec<String>,
    /// Lower-case name -> index in `names`.
    idx: HashMap<String, usize>,
}

/// Reduces one line's fields to a record; new models are added to `models`.
pub(super) fn reduce(
    models: &mut ModelNames,
    kind: FileKind,
    line: usize,
    span: Range<usize>,
    entries: Entries<'_>,
) -> Record {
    let (answer, mut row, judged_model) = match kind {
        FileKind::Dataset => (None, entries, None),
        FileKind::Judged => {
            let JudgedParts {
                answer,
                row,
                judged_model,
            } = split_judged(entries);
            (Some(answer), row, judged_model)
        }
    };
    // Where everything is, read first; then the checklists are moved out of the row.
    let keys = RowKeys::new(&row);
    let human = keys.find(HUMAN_CHECKLIST);
    let found = find_columns(models, &keys);
    let human = human.map(|at| checklist(&mut row.fields[at].1));
    let columns = found
        .into_iter()
        .map(|(idx, at, verdict)| {
            let checklist = Some(checklist(&mut row.fields[at].1));
            (idx, ModelColumn { checklist, verdict })
        })
        .collect();
    Record {
        line,
        answer,
        human,
        columns,
        fields: group_fields(row),
        judged_model,
        span,
    }
}

/// The model columns of a row as (model index, place of its checklist, verdict), by model
/// index; new models are added to `models`.
fn find_columns(
    models: &mut ModelNames,
    keys: &RowKeys<'_, '_>,
) -> Vec<(usize, usize, ModelVerdict)> {
    let mut columns = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    for (at, (key, _)) in keys.row.fields.iter().enumerate() {
        // Only checklist keys are lowercased (once each): a row may name thousands of models.
        if !ends_without_case(key, CHECKLIST_SUFFIX) {
            continue;
        }
        let lower = key.to_lowercase();
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
        let label = keys.value(&format!("{model}{LABEL_SUFFIX}"));
        let text = keys
            .value(&format!("{model}{TEXT_SUFFIX}"))
            .and_then(Value::as_str);
        columns.push((idx, at, model_verdict(label, text)));
    }
    // Models first met in earlier rows keep their lower indices, so the row's key order is
    // not the index order.
    columns.sort_by_key(|(idx, _, _)| *idx);
    columns
}

/// Lookups in one row as [`crate::engine::json::lookup`] makes them (the exact spelling
/// first, else the first key equal without case), by a linear search in a row of a few keys
/// and by maps built once in a row of many: looking up each model's label by scanning every
/// key was quadratic in a row of thousands of models.
struct RowKeys<'r, 'a> {
    row: &'r Entries<'a>,
    /// For rows of many keys: exact key -> place, and lowercase key -> first place.
    maps: Option<KeyMaps<'r>>,
}

type KeyMaps<'r> = (HashMap<&'r str, usize>, HashMap<String, usize>);

impl<'r, 'a> RowKeys<'r, 'a> {
    fn new(row: &'r Entries<'a>) -> Self {
        let maps = (row.fields.len() > LINEAR_KEYS).then(|| {
            let mut exact = HashMap::with_capacity(row.fields.len());
            let mut lower = HashMap::with_capacity(row.fields.len());
            for (at, (key, _)) in row.fields.iter().enumerate() {
                exact.insert(key.as_ref(), at);
                lower.entry(key.to_lowercase()).or_insert(at);
            }
            (exact, lower)
        });
        RowKeys { row, maps }
    }

    /// The value found, when it was kept whole.
    fn value(&self, key: &str) -> Option<&'r Value> {
        self.row.fields[self.find(key)?].1.value()
    }

    /// The place of the field found.
    fn find(&self, key: &str) -> Option<usize> {
        match &self.maps {
            Some((exact, lower)) => exact
                .get(key)
                .or_else(|| lower.get(&key.to_lowercase()))
                .copied(),
            None => self
                .row
                .fields
                .iter()
                .position(|(k, _)| k == key)
                .or_else(|| {
                    let lower = key.to_lowercase();
                    self.row
                        .fields
                        .iter()
                        .position(|(k, _)| same_without_case(k, &lower))
                }),
        }
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

/// A checklist field as a record holds it; a list's items are moved out of the row.
fn checklist(slot: &mut Slot<'_>) -> Checklist {
    match slot {
        Slot::Items(items) => {
            let mut items = std::mem::take(items);
            items.shrink_to_fit();
            Checklist::Items(items)
        }
        Slot::Kept(other) => Checklist::NotAList(type_name(other).to_string()),
        // Checklist keys are read as `Items` or `Kept` (`line::Want::Checklist`).
        _ => Checklist::NotAList(type_name(&Value::Null).to_string()),
    }
}

/// The row's short scalars, moved out of it, in a list of their own size: collected in place,
/// the list kept the row's whole allocation (1.5 KB a row of the 22,116-row file).
fn group_fields(row: Entries<'_>) -> Vec<(String, Value)> {
    let is_field = |slot: &Slot<'_>| matches!(slot, Slot::Kept(value) if is_short_scalar(value));
    let mut fields = Vec::with_capacity(row.fields.iter().filter(|(_, s)| is_field(s)).count());
    for (key, slot) in row.fields {
        if let (true, Slot::Kept(value)) = (is_field(&slot), slot) {
            fields.push((key.into_owned(), value));
        }
    }
    fields
}
