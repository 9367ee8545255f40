//! Reads files the user picked or dropped, a chunk at a time, into the engine's `Loader`, and
//! gives the page back between chunks so that a large file shows progress instead of freezing:
//! each chunk's bytes arrive by a promise the browser settles in a task of its own, so the page
//! paints and answers between chunks without a timer (a `setTimeout(0)` a chunk added 4 ms of
//! idle each once nested, a quarter of a second on a 58 MB file).

use js_sys::Uint8Array;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

use crate::engine::dataset::{LoadedFile, Loader, TooBig};

/// Bytes read per step: about 20 ms of parsing, well under the 50 ms a long task starts at.
pub const CHUNK_BYTES: f64 = 2.0 * 1024.0 * 1024.0;

/// Why the browser would not give a file's bytes; `detail` is the browser's own words.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {name}: {detail}")]
    Slice { name: String, detail: String },
    #[error("cannot load {name}: {source}; the command line (`metajudge score`) reads files of any size")]
    TooBig { name: String, source: TooBig },
    #[error("cannot read {name} at byte {at}: {detail}")]
    Chunk {
        name: String,
        at: f64,
        detail: String,
    },
}

/// Reads a whole file; `progress(bytes_done, bytes_total)` is called after every chunk.
pub async fn read_file(
    file: &File,
    mut progress: impl FnMut(f64, f64),
) -> Result<LoadedFile, ReadError> {
    let total = file.size();
    // Sizes of files are whole numbers of bytes, so the cast is exact.
    let mut loader =
        Loader::for_size(&file.name(), total as u64).map_err(|source| ReadError::TooBig {
            name: file.name(),
            source,
        })?;
    let mut start = 0.0;
    while start < total {
        let end = (start + CHUNK_BYTES).min(total);
        let blob = file
            .slice_with_f64_and_f64(start, end)
            .map_err(|e| ReadError::Slice {
                name: file.name(),
                detail: format!("{e:?}"),
            })?;
        let buffer = JsFuture::from(blob.array_buffer())
            .await
            .map_err(|e| ReadError::Chunk {
                name: file.name(),
                at: start,
                detail: format!("{e:?}"),
            })?;
        loader.push(&Uint8Array::new(&buffer).to_vec());
        start = end;
        progress(start, total);
    }
    Ok(loader.finish())
}

/// Reads a whole text file (a batch engine's output), invalid UTF-8 replaced: such a line then
/// fails to read as JSON and is reported with its number instead of stopping the import.
pub async fn read_text(file: &File) -> Result<String, ReadError> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| ReadError::Chunk {
            name: file.name(),
            at: 0.0,
            detail: format!("{e:?}"),
        })?;
    Ok(String::from_utf8_lossy(&Uint8Array::new(&buffer).to_vec()).into_owned())
}
