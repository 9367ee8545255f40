//! A whole file after reading: its kind, models, rows, bad lines and the bytes they came from.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::record::Record;

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
    pub(super) bytes: Arc<Vec<u8>>,
    /// What the lines in `bytes` are: differs from `kind` for a run's live view, whose rows
    /// are data-set lines with answers attached in memory.
    pub(super) line_kind: Option<FileKind>,
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
