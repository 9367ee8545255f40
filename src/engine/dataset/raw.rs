//! A row parsed again in full from the file's bytes, when someone opens it: the reader keeps
//! only what scoring needs, so everything else is read from the line itself.

use serde_json::{Map, Value};

use super::file::{FileKind, LoadedFile};
use super::record::Record;
use super::reference::{first_sample, take_metadata};
use crate::engine::json::parse_object;

impl LoadedFile {
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
        let sample = first_sample(&object)?;
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
            Some(FileKind::Judged) => Some(take_metadata(&mut object)),
            _ => Some(object),
        }
    }
}
