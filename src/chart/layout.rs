//! Sizes that follow the font and the panel (label areas and tick counts), and tick labels.

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

/// A tick's label: two decimals, or as many more as it takes to tell it from its neighbours
/// (ticks 0.005 apart must not all read "0.25"), at most [`MAX_TICK_DECIMALS`].
pub fn tick_label(v: f64) -> String {
    let close = |text: &str| {
        text.parse::<f64>()
            .is_ok_and(|read| (read - v).abs() <= 1e-9 * v.abs().max(1.0))
    };
    (2..MAX_TICK_DECIMALS)
        .map(|decimals| format!("{v:.decimals$}"))
        .find(|text| close(text))
        .unwrap_or_else(|| format!("{v:.MAX_TICK_DECIMALS$}"))
}

/// Ticks of an axis at least the scatter's narrowest span wide are never closer than this many
/// decimals tell apart.
const MAX_TICK_DECIMALS: usize = 6;

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(v: f64, expected: &str) {
        assert_eq!(tick_label(v), expected, "{v}");
    }

    #[test]
    fn tick_labels_have_the_decimals_they_need() {
        check(0.25, "0.25");
        check(0.3, "0.30");
        check(0.1 + 0.2, "0.30");
        check(0.255, "0.255");
        check(0.2505, "0.2505");
        check(1.0, "1.00");
        check(-0.05, "-0.05");
        check(1e6, "1000000.00");
        check(1.0 / 3.0, "0.333333");
    }
}
