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
    /// A figure no leaderboard can have: the link was made or changed by hand.
    #[error("the share link's model {model} has an impossible {figure}: {problem}")]
    Implausible {
        /// 1-based, in the link's order (a name may be long or empty, a number is not).
        model: usize,
        figure: &'static str,
        problem: Implausible,
    },
}

/// How a figure in a share link breaks its bounds (see `bounds::check_bounds`).
#[derive(Clone, Copy, Debug, thiserror::Error, PartialEq)]
pub enum Implausible {
    #[error("{} is not a share between 0 and 1", shown(*.0))]
    NotAShare(f64),
    #[error("its interval [{}, {}] does not hold {}", shown(*.lo), shown(*.hi), shown(*.value))]
    OutsideInterval { value: f64, lo: f64, hi: f64 },
    #[error("{count} is more than the model's {total} rows")]
    MoreThanRows { count: usize, total: usize },
}

/// A number for a message: as written when it is of a readable size, else in exponent
/// notation, so that 1e308 does not become a 309-digit message.
fn shown(x: f64) -> String {
    if x.abs() < 1e6 {
        x.to_string()
    } else {
        format!("{x:e}")
    }
}

/// A reader's error message inside ours, without its own full stop.
pub(super) fn words(error: impl std::fmt::Display) -> String {
    error.to_string().trim_end_matches('.').to_string()
}
