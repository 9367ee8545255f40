//! The sample view's choice of report, filter and row, kept in the state so that another page
//! (the paired comparison) can open a row in it.

use crate::engine::sample::SampleFilter;

/// The sample view's choice of report, filter and row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SampleFocus {
    /// `(file, model)` of the report looked at.
    pub report: Option<(String, String)>,
    pub filter: SampleFilter,
    /// Position in the filtered rows.
    pub position: usize,
    /// A line asked for from elsewhere (the paired comparison), shown once found.
    pub line: Option<usize>,
}
