//! Why a fragment could not be read as a share link.

/// Why a fragment could not be read as a share link.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ShareError {
    #[error("not a share link")]
    NotAShareLink,
    #[error("the share link has version {0}, which this app does not know")]
    UnknownVersion(String),
    #[error("the share link is damaged (base64: {0})")]
    Base64(String),
    #[error("the share link is damaged (deflate: {0})")]
    Deflate(String),
    #[error("the share link unpacks to more than {0} bytes")]
    TooLarge(usize),
    #[error("the share link is damaged (json: {0})")]
    Json(String),
    #[error("the share link asks for an unknown figure {0:?}")]
    UnknownFigure(String),
    #[error("the share link holds {shared} models but says the leaderboard had {total}")]
    ModelCount { shared: usize, total: usize },
}

/// A reader's error message inside ours, without its own full stop.
pub(super) fn words(error: impl std::fmt::Display) -> String {
    error.to_string().trim_end_matches('.').to_string()
}
