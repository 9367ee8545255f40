//! One row of a file, reduced at load time to what the figures need.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::engine::json::{same_without_case, value_text};
use crate::engine::reply::Reply;
use crate::engine::verdict::ModelVerdict;

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

/// One row, reduced to what the figures need.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub line: usize,
    pub answer: Option<Answer>,
    pub human: Option<Checklist>,
    /// The columns of the models this row has fields of, as (index in `LoadedFile::models`,
    /// column), sorted by index. Sparse: a file whose rows each name other models must not
    /// hold rows x models entries (8,000 rows of new models took 6.8 GB when it did).
    pub(super) columns: Vec<(usize, ModelColumn)>,
    /// Short scalar fields of the data-set row (`domain`, `overall_preference`, `language`, ...).
    pub fields: Vec<(String, Value)>,
    /// The model named by the app's own `metajudge.model` key, when the row has one.
    pub judged_model: Option<String>,
    /// Where the row's line lies in the file's bytes, so that it can be parsed again in full.
    pub(super) span: Range<usize>,
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
        self.columns
            .binary_search_by_key(&idx, |(i, _)| *i)
            .ok()
            .map(|at| &self.columns[at].1)
    }

    /// The row's model columns as (model index, column), by index.
    pub fn columns(&self) -> impl Iterator<Item = (usize, &ModelColumn)> {
        self.columns.iter().map(|(idx, column)| (*idx, column))
    }

    /// A short scalar field by name (found without case), for verdicts and breakdowns.
    pub fn field(&self, name: &str) -> Option<&Value> {
        let lower = name.to_lowercase();
        self.fields
            .iter()
            .find(|(k, _)| same_without_case(k, &lower))
            .map(|(_, v)| v)
    }

    /// A field shown as a group name: strings as they are, other values as JSON.
    pub fn group(&self, name: &str) -> Option<String> {
        self.field(name).map(value_text)
    }
}
