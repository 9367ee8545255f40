//! Why a chart could not be drawn, and plotters' failures as its text.

use plotters::prelude::DrawingAreaErrorKind;

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("nothing to draw: no model has both figures")]
    Empty,
    #[error("drawing failed: {0}")]
    Drawing(String),
}

/// A drawing failure as text, for [`ChartError::Drawing`].
pub fn drawing_error(err: DrawingAreaErrorKind<std::io::Error>) -> String {
    err.to_string()
}
