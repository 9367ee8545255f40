//! Sizes that follow the font and the panel: label areas and tick counts.

/// Plotters' usual number of ticks, which a full-size chart keeps.
const MAX_TICKS: usize = 10;

/// Label areas grow with the font so that tick labels and axis titles keep their room.
pub fn label_area(font_px: u32, ems: f64) -> u32 {
    (f64::from(font_px) * ems).round() as u32
}

/// As many ticks as fit a panel `extent_px` wide (or high), `spacing_px` apart: narrow small
/// multiples get fewer, so that their tick labels do not run into each other.
pub fn tick_count(extent_px: u32, spacing_px: u32) -> usize {
    let fit = extent_px.checked_div(spacing_px).unwrap_or(0) as usize;
    fit.clamp(2, MAX_TICKS)
}
