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
    rows: Rows,
    /// The file's bytes so far (none when streaming).
    bytes: Vec<u8>,
    /// Offset in `bytes` of the first byte not yet split into a line.
    pending_from: usize,
    /// Streaming: the bytes of the line not yet ended, as they came (a line over many chunks
    /// is joined once, into room of its size, when it ends: a buffer grown by doubling held
    /// up to three times a long line).
    pieces: Vec<Vec<u8>>,
    /// Streaming: bytes taken so far.
    taken: usize,
    /// Keep no byte of a line once it is read (`Loader::streaming`).
    streaming: bool,
}

/// What the lines have given so far.
#[derive(Debug, Default)]
struct Rows {
    file: LoadedFile,
    models: ModelNames,
    /// Parse every line as a whole `Value` first (`Loader::by_value`).
    by_value: bool,
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
        let mut loader = Loader::default();
        loader.rows.file.name = name.to_string();
        loader
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
        let mut loader = Loader::new(name);
        loader.rows.by_value = true;
        loader
    }

    /// Takes the next bytes of the file and reads every line they complete.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.streaming {
            return self.push_streaming(chunk);
        }
        let scan_from = self.bytes.len();
        self.bytes.extend_from_slice(chunk);
        let mut at = scan_from;
        while let Some(offset) = memchr::memchr(b'\n', &self.bytes[at..]) {
            let end = at + offset;
            let span = self.pending_from..end;
            self.rows.read(&self.bytes[span.clone()], span);
            self.pending_from = end + 1;
            at = end + 1;
        }
    }

    fn push_streaming(&mut self, chunk: &[u8]) {
        let mut rest = chunk;
        while let Some(at) = memchr::memchr(b'\n', rest) {
            let (end, after) = (&rest[..at], &rest[at + 1..]);
            let start = self.taken - self.pending_len();
            let span = start..self.taken + at;
            if self.pieces.is_empty() {
                self.rows.read(end, span);
            } else {
                let line = self.join_pieces(end);
                self.rows.read(&line, span);
            }
            self.taken += at + 1;
            rest = after;
        }
        if !rest.is_empty() {
            self.pieces.push(rest.to_vec());
            self.taken += rest.len();
        }
    }

    /// The pending pieces and `end` as one line, each piece let go of once copied.
    fn join_pieces(&mut self, end: &[u8]) -> Vec<u8> {
        let mut line = Vec::with_capacity(self.pending_len() + end.len());
        for piece in self.pieces.drain(..) {
            line.extend_from_slice(&piece);
        }
        line.extend_from_slice(end);
        line
    }

    fn pending_len(&self) -> usize {
        self.pieces.iter().map(Vec::len).sum()
    }

    /// Bytes taken so far.
    pub fn n_bytes(&self) -> usize {
        if self.streaming {
            self.taken
        } else {
            self.bytes.len()
        }
    }

    /// Bytes held now: all taken so far, or when streaming only the line not yet ended.
    pub fn held_bytes(&self) -> usize {
        self.bytes.len() + self.pending_len()
    }

    /// Reads the last line (if the file does not end in a newline) and settles the models.
    pub fn finish(mut self) -> LoadedFile {
        if !self.pieces.is_empty() {
            let start = self.taken - self.pending_len();
            let line = self.join_pieces(&[]);
            self.rows.read(&line, start..self.taken);
        } else if self.pending_from < self.bytes.len() {
            let span = self.pending_from..self.bytes.len();
            self.rows.read(&self.bytes[span.clone()], span);
        }
        let mut file = self.rows.file;
        file.models = self.rows.models.names;
        settle_judged_model(&mut file);
        // Shared as it is, not copied: a copy held the file twice at the end of loading.
        file.bytes = Arc::new(self.bytes);
        file.line_kind = file.kind;
        file
    }
}

impl Rows {
    /// Reads one line, `bytes`, found at `span` of the file.
    fn read(&mut self, bytes: &[u8], span: Range<usize>) {
        self.file.n_lines += 1;
        let line = self.file.n_lines;
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let mut skip = 0;
        if line == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
            skip = 3;
        }
        let bytes = &bytes[skip..];
        let span = span.start + skip..span.start + skip + bytes.len();
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
        let fast = (!self.by_value).then(|| read_line(text).ok()).flatten();
        let entries = match fast {
            Some(entries) => entries,
            None => match parse_object(text) {
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
