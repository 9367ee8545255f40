//! The envelope of a share link: `share=v1.` followed by the base64url encoding (no padding)
//! of the raw deflate of the payload's JSON, and back, refusing what is damaged or too large.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use miniz_oxide::inflate::TINFLStatus;

use super::error::{words, ShareError};

/// What starts a share link's fragment (after the `#`).
pub const SHARE_PREFIX: &str = "share=";

/// The version this module writes and reads; a change of the JSON shape needs a new one, so that
/// old links keep opening (or fail with a clear error) after an upgrade.
pub(super) const VERSION: &str = "1";

/// Most bytes a link may unpack to: links we make unpack to tens of kilobytes, and a hostile link
/// (deflate packs up to about 1,000 to 1) must not be able to exhaust the page's memory.
pub(super) const MAX_UNPACKED_BYTES: usize = 4 << 20;

/// The fragment `share=v1....` holding `json`.
pub(super) fn pack(json: &[u8]) -> String {
    let deflated = miniz_oxide::deflate::compress_to_vec(json, 10);
    format!(
        "{SHARE_PREFIX}v{VERSION}.{}",
        URL_SAFE_NO_PAD.encode(deflated)
    )
}

/// The JSON inside `#share=v1....`, `share=v1....`, the bare `v1....`, or a whole URL ending in
/// one of those.
pub(super) fn unpack(fragment: &str) -> Result<Vec<u8>, ShareError> {
    let text = fragment.trim();
    let text = text.rsplit_once('#').map_or(text, |(_, after)| after);
    let text = text.strip_prefix(SHARE_PREFIX).unwrap_or(text);
    let (version, data) = text
        .strip_prefix('v')
        .and_then(|rest| rest.split_once('.'))
        .filter(|(version, _)| !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()))
        .ok_or(ShareError::NotAShareLink)?;
    if version != VERSION {
        return Err(ShareError::UnknownVersion(version.to_string()));
    }
    let deflated = URL_SAFE_NO_PAD
        .decode(data)
        .map_err(|e| ShareError::Base64(words(e)))?;
    miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_UNPACKED_BYTES).map_err(|e| {
        match e.status {
            TINFLStatus::HasMoreOutput => ShareError::TooLarge(MAX_UNPACKED_BYTES),
            _ => ShareError::Deflate(words(e)),
        }
    })
}
