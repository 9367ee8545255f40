//! Line splitting: bytes arrive in chunks and are cut on `\n` into numbered lines (1-based,
//! blank ones counted), without a trailing `\r` or a leading byte-order mark, each parsed as a
//! JSON object or kept as a bad line.

use std::ops::Range;
use std::sync::Arc;

use super::file::{BadLine, FileKind, LoadedFile};
use super::line::{read_line, Entries};
use super::reference::{is_judged, settle_judged_model};
use super::row::{reduce, ModelNames};
use crate::engine::json::parse_object;

/// Reads a file chunk by chunk. Lines are split on `\n` as the bytes arrive, so a chunk may end
/// anywhere, even inside a UTF-8 character.
#[derive(Debug, Default)]
pub struct Loader {
    file: LoadedFile,
    /// The file's bytes so far; when streaming, only those of the line not yet ended.
    bytes: Vec<u8>,
    /// Offset in `bytes` of the first byte not yet split into a line.
    pending_from: usize,
    /// Bytes let go of so far (streaming): `bytes[0]` is byte `dropped` of the file.
    dropped: usize,
    /// Keep no byte of a line once it is read (`Loader::streaming`).
    streaming: bool,
    /// Parse every line as a whole `Value` first (`Loader::by_value`).
    by_value: bool,
    models: ModelNames,
}

/// A file too big to hold in this machine's (or browser's) memory, refused before reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} MB is more than this browser or machine can hold in memory at once", n_bytes / 1_000_000)]
pub struct TooBig {
    pub n_bytes: u64,
}

/// Reads a whole file at once.
pub fn load(name: &str, bytes: &[u8]) -> LoadedFile {
    let mut loader = Loader::new(name);
    loader.push(bytes);
    loader.finish()
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

    /// A loader for a file of `n_bytes`, holding room for all of them at once: growing by
    /// doubling held up to twice the file (and overflowed for a 1.1 GB file in the page).
    /// Refused with [`TooBig`] when this machine (or browser) cannot give that room.
    pub fn for_size(name: &str, n_bytes: u64) -> Result<Self, TooBig> {
        let mut loader = Loader::new(name);
        let room = usize::try_from(n_bytes).map_err(|_| TooBig { n_bytes })?;
        loader
            .bytes
            .try_reserve_exact(room)
            .map_err(|_| TooBig { n_bytes })?;
        Ok(loader)
    }

    /// A loader that keeps rows, not the file: each line's bytes are let go of once it is
    /// read, so memory follows the rows (what the command line's figures need). Its file
    /// cannot give a row's line again ([`LoadedFile::raw_line`] is `None`).
    pub fn streaming(name: &str) -> Self {
        Loader {
            streaming: true,
            ..Loader::new(name)
        }
    }

    /// A loader that parses every line as a whole `serde_json::Value` before reducing it: the
    /// plain reader that the fast one (which builds only the values a record needs) is held
    /// to, field for field, by the property tests. Slower; not for use.
    pub fn by_value(name: &str) -> Self {
        Loader {
            by_value: true,
            ..Loader::new(name)
        }
    }

    /// Takes the next bytes of the file and reads every line they complete.
    pub fn push(&mut self, chunk: &[u8]) {
        let scan_from = self.bytes.len();
        self.bytes.extend_from_slice(chunk);
        let mut at = scan_from;
        while let Some(offset) = memchr::memchr(b'\n', &self.bytes[at..]) {
            let end = at + offset;
            self.read_line(self.pending_from..end);
            self.pending_from = end + 1;
            at = end + 1;
        }
        if self.streaming && self.pending_from > 0 {
            self.bytes.drain(..self.pending_from);
            self.dropped += self.pending_from;
            self.pending_from = 0;
        }
    }

    /// Bytes taken so far.
    pub fn n_bytes(&self) -> usize {
        self.dropped + self.bytes.len()
    }

    /// Bytes held now: all taken so far, or when streaming only the line not yet ended.
    pub fn held_bytes(&self) -> usize {
        self.bytes.len()
    }

    /// Reads the last line (if the file does not end in a newline) and settles the models.
    pub fn finish(mut self) -> LoadedFile {
        if self.pending_from < self.bytes.len() {
            self.read_line(self.pending_from..self.bytes.len());
        }
        if self.streaming {
            self.bytes = Vec::new();
        }
        self.file.models = std::mem::take(&mut self.models.names);
        settle_judged_model(&mut self.file);
        // Shared as it is, not copied: a copy held the file twice at the end of loading.
        self.file.bytes = Arc::new(std::mem::take(&mut self.bytes));
        self.file.line_kind = self.file.kind;
        self.file
    }

    fn read_line(&mut self, span: Range<usize>) {
        self.file.n_lines += 1;
        let line = self.file.n_lines;
        let bytes = &self.bytes[span.clone()];
        let mut span = self.dropped + span.start..self.dropped + span.end;
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
        // The fast reader first; a line it refuses is parsed whole, for the reason in plain
        // words (the two accept the same lines: `tests/properties.rs`).
        let entries = match (self.by_value, read_line(text)) {
            (false, Ok(entries)) => entries,
            _ => match parse_object(text) {
                Ok(object) => Entries::from_map(object),
                Err(message) => {
                    self.file.bad_lines.push(BadLine { line, message });
                    return;
                }
            },
        };
        // The first row decides the kind of the whole file.
        let kind = *self.file.kind.get_or_insert(if is_judged(&entries) {
            FileKind::Judged
        } else {
            FileKind::Dataset
        });
        let record = reduce(&mut self.models, kind, line, span, entries);
        self.file.records.push(record);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
