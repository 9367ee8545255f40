//! Per-model distributions of per-row values (per-row RC, say): one histogram panel per
//! model over 0..1, all panels on the same count axis so that their shapes compare.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::error::{drawing_error, ChartError};
use super::labels::{fit_text, text_width};
use super::layout::{label_area, tick_count};
use super::multiples::grid;
use super::theme::Theme;

/// One model's per-row values.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    pub label: String,
    pub values: Vec<f64>,
    pub colour: (u8, u8, u8),
}

/// Size, bins, axis title and colours of the histograms.
#[derive(Clone, Debug, PartialEq)]
pub struct HistogramOptions {
    /// Of the whole grid.
    pub width: u32,
    /// Of one row of panels.
    pub panel_height: u32,
    /// Equal bins over 0..=1.
    pub bins: usize,
    pub x_label: String,
    pub font_px: u32,
    pub dark: bool,
}

/// What a panel without values says.
pub const EMPTY_HISTOGRAM: &str = "no rows";

impl Default for HistogramOptions {
    fn default() -> Self {
        HistogramOptions {
            width: 760,
            panel_height: 240,
            bins: 10,
            x_label: "Per-row rationale consistency".into(),
            font_px: 13,
            dark: false,
        }
    }
}

/// Draws one panel per histogram, `columns` to a row (at least 1, at most the number of
/// histograms), as one SVG `options.width` wide and rows × `options.panel_height` high.
/// Each panel is titled "label (n = N, mean 0.xyz)"; the count axis goes up to the largest
/// bin of all panels. No histogram, or none with a value, is [`ChartError::Empty`]. A `bins`
/// of 0 draws one bin.
pub fn histograms_svg(
    hists: &[Histogram],
    options: &HistogramOptions,
    columns: usize,
) -> Result<String, ChartError> {
    let bins = options.bins.max(1);
    let counts: Vec<Vec<usize>> = hists.iter().map(|h| bin_counts(&h.values, bins)).collect();
    let most = counts.iter().flatten().copied().max().unwrap_or(0);
    if most == 0 {
        return Err(ChartError::Empty);
    }
    let (rows, columns) = grid(hists.len(), columns);
    let too_big = || {
        ChartError::Drawing(format!(
            "too big to draw: {rows} rows of panels, up to {most} values a bin"
        ))
    };
    let height = u32::try_from(rows)
        .ok()
        .and_then(|rows| rows.checked_mul(options.panel_height))
        .ok_or_else(too_big)?;
    // Headroom above the tallest bar, in whole rows: counts are integers, so are the ticks.
    let most = u32::try_from(most).map_err(|_| too_big())?;
    let top = most.saturating_add((most / 10).max(1));
    let theme = Theme::new(options.dark);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (options.width, height)).into_drawing_area();
        root.fill(&theme.bg)
            .map_err(|e| ChartError::Drawing(drawing_error(e)))?;
        let areas = root.split_evenly((rows, columns));
        for ((hist, counts), area) in hists.iter().zip(&counts).zip(&areas) {
            draw_histogram(area, hist, counts, top, options, &theme)
                .map_err(ChartError::Drawing)?;
        }
        root.present()
            .map_err(|e| ChartError::Drawing(drawing_error(e)))?;
    }
    Ok(svg)
}

/// How many values fall in each of `bins` equal bins over 0..=1: bin `i` holds
/// `i / bins <= v < (i + 1) / bins`, and the last bin holds 1.0 too. Values outside 0..1 are
/// clamped into it (infinities included); NaN is not a value and is not counted. No bins,
/// no counts.
pub fn bin_counts(values: &[f64], bins: usize) -> Vec<usize> {
    let mut counts = vec![0; bins];
    for &v in values.iter().filter(|v| !v.is_nan()) {
        if let Some(count) = counts.get_mut(bin_of(v, bins)) {
            *count += 1;
        }
    }
    counts
}

/// The panel title: "label (n = N, mean 0.xyz)", over the values [`bin_counts`] counts
/// (clamped, NaN left out), so that the title and the bars agree.
pub fn histogram_title(label: &str, values: &[f64]) -> String {
    format!("{label}{}", title_counts(values))
}

/// Around each panel, inside its cell.
const MARGIN: u32 = 10;

fn draw_histogram(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    hist: &Histogram,
    counts: &[usize],
    top: u32,
    options: &HistogramOptions,
    theme: &Theme,
) -> Result<(), String> {
    let font_px = f64::from(options.font_px);
    let font = theme.font(font_px);
    let (width, height) = area.dim_in_pixel();
    // A long name is cut to fit its panel; the figures after it never are.
    let counts_text = title_counts(&hist.values);
    let room = f64::from(width) - 2.0 * f64::from(MARGIN) - text_width(&counts_text, font_px);
    let title = format!("{}{counts_text}", fit_text(&hist.label, font_px, room));
    let mut chart = ChartBuilder::on(area)
        .margin(MARGIN)
        .caption(title, theme.bold(font_px))
        .x_label_area_size(label_area(options.font_px, 3.5))
        .y_label_area_size(label_area(options.font_px, 4.0))
        .build_cartesian_2d(0.0..1.0, 0..top)
        .map_err(drawing_error)?;
    let (xs, _) = chart.plotting_area().get_pixel_range();
    let x_desc = fit_text(&options.x_label, font_px, f64::from(xs.end - xs.start));
    chart
        .configure_mesh()
        // 0, 0.2, ..., 1: plotters picks the step 0.2 for at most six ticks over 0..1.
        .x_labels(6)
        .x_label_formatter(&|v| tick_label(*v))
        .y_labels(tick_count(height, options.font_px * 3))
        .x_desc(x_desc)
        .y_desc("rows")
        .label_style(font.clone())
        .axis_desc_style(font)
        .axis_style(theme.fg)
        .bold_line_style(theme.grid)
        .light_line_style(theme.bg)
        .disable_x_mesh()
        .draw()
        .map_err(drawing_error)?;

    let colour = RGBColor(hist.colour.0, hist.colour.1, hist.colour.2);
    let width = 1.0 / counts.len().max(1) as f64;
    chart
        .draw_series(
            counts
                .iter()
                .enumerate()
                .filter(|(_, &count)| count > 0)
                .map(|(i, &count)| {
                    let count = u32::try_from(count).unwrap_or(u32::MAX);
                    let left = i as f64 * width;
                    let mut bar =
                        Rectangle::new([(left, 0), (left + width, count)], colour.filled());
                    // A pixel apart, so that neighbouring bars read as bins.
                    bar.set_margin(0, 0, 1, 1);
                    bar
                }),
        )
        .map_err(drawing_error)?;

    if counts.iter().all(|&c| c == 0) {
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let centre = ((xs.start + xs.end) / 2, (ys.start + ys.end) / 2);
        area.use_screen_coord()
            .draw(&Text::new(
                EMPTY_HISTOGRAM,
                centre,
                theme.muted(font_px, Pos::new(HPos::Center, VPos::Center)),
            ))
            .map_err(drawing_error)?;
    }
    Ok(())
}

/// The figures of a panel title: " (n = N, mean 0.xyz)", or " (n = 0)".
fn title_counts(values: &[f64]) -> String {
    let counted: Vec<f64> = values
        .iter()
        .filter(|v| !v.is_nan())
        .map(|v| v.clamp(0.0, 1.0))
        .collect();
    if counted.is_empty() {
        return " (n = 0)".into();
    }
    let mean = counted.iter().sum::<f64>() / counted.len() as f64;
    format!(" (n = {}, mean {mean:.3})", counted.len())
}

/// "0", "0.2", ..., "1": the ends as whole numbers, the fifths with one decimal.
fn tick_label(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The bin of a value, with the edges `i / bins` computed as the doc of [`bin_counts`] says:
/// `v * bins` can land a hair either side of an edge that `v` sits on exactly (0.3 * 10 is
/// 3.0000000000000004), and the edge must win.
fn bin_of(v: f64, bins: usize) -> usize {
    let v = v.clamp(0.0, 1.0);
    let n = bins as f64;
    let mut i = ((v * n).floor() as usize).min(bins.saturating_sub(1));
    if i + 1 < bins && v >= (i + 1) as f64 / n {
        i += 1;
    } else if i > 0 && v < i as f64 / n {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::svg_text::texts;

    fn hist(label: &str, values: &[f64]) -> Histogram {
        Histogram {
            label: label.into(),
            values: values.to_vec(),
            colour: (0, 114, 178),
        }
    }

    #[test]
    fn values_fall_in_their_bins() {
        #[track_caller]
        fn check(values: &[f64], bins: usize, expected: &[usize]) {
            assert_eq!(
                bin_counts(values, bins),
                expected,
                "{values:?} in {bins} bins"
            );
        }
        check(&[], 10, &[0; 10]);
        check(&[0.0], 4, &[1, 0, 0, 0]);
        check(&[1.0], 4, &[0, 0, 0, 1]);
        check(&[0.25, 0.5, 0.75], 4, &[0, 1, 1, 1]);
        check(&[0.2499, 0.4999, 0.7499, 0.9999], 4, &[1, 1, 1, 1]);
        // Every decimal edge of ten bins opens its own bin, float products notwithstanding.
        let edges: Vec<f64> = (0..=10).map(|i| f64::from(i) / 10.0).collect();
        check(&edges, 10, &[1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
        check(
            &[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
            10,
            &[0, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        );
        check(&[1.0 / 3.0, 2.0 / 3.0], 3, &[0, 1, 1]);
        // Per-row RC is matched / checklist items: 2 of 5 is the edge 0.4.
        check(&[2.0 / 5.0, 3.0 / 5.0], 5, &[0, 0, 1, 1, 0]);
        check(&[-0.5, 1.5, f64::NEG_INFINITY, f64::INFINITY], 2, &[2, 2]);
        check(&[f64::NAN, 0.5], 2, &[0, 1]);
        check(&[0.3], 1, &[1]);
        check(&[0.3], 0, &[]);
    }

    #[test]
    fn titles_give_n_and_mean() {
        for (values, expected) in [
            (vec![0.2, 0.4, 0.6], "m (n = 3, mean 0.400)"),
            (vec![1.0], "m (n = 1, mean 1.000)"),
            (vec![-1.0, 2.0, f64::NAN], "m (n = 2, mean 0.500)"),
            (vec![], "m (n = 0)"),
        ] {
            assert_eq!(histogram_title("m", &values), expected, "{values:?}");
        }
    }

    #[test]
    fn one_panel_per_model_with_n_and_mean() {
        let hists = [
            hist("atlas-large", &[0.1, 0.35, 0.4, 0.42, 0.9]),
            hist("atlas-mini", &[0.0, 0.05, 0.2]),
            hist("borealis", &[]),
        ];
        let options = HistogramOptions::default();
        let svg = histograms_svg(&hists, &options, 2).unwrap();
        assert!(
            svg.contains(r#"width="760" height="480""#),
            "two rows of 240"
        );
        let all = texts(&svg);
        let titled = |title: &str| all.iter().filter(|t| t.text == title).count();
        assert_eq!(titled("atlas-large (n = 5, mean 0.434)"), 1);
        assert_eq!(titled("atlas-mini (n = 3, mean 0.083)"), 1);
        assert_eq!(titled("borealis (n = 0)"), 1);
        assert_eq!(titled("no rows"), 1);
        // One bar per non-empty bin: 4 + 2 (0.0 and 0.05 share the first bin).
        assert_eq!(svg.matches(r##"fill="#0072B2""##).count(), 6);
        // x ticks 0, 0.2, ..., 1 in every panel (centred under their tick, unlike the
        // count ticks, which end at the axis).
        for tick in ["0", "0.2", "0.4", "0.6", "0.8", "1"] {
            let under = all
                .iter()
                .filter(|t| t.text == tick && t.anchor == "middle")
                .count();
            assert_eq!(under, 3, "tick {tick}");
        }
        assert!(!all.iter().any(|t| t.text == "1.0" || t.text == "0.0"));
    }

    #[test]
    fn panels_share_the_count_axis() {
        let many = vec![0.5; 20];
        let hists = [hist("many", &many), hist("few", &[0.5])];
        let svg = histograms_svg(&hists, &HistogramOptions::default(), 2).unwrap();
        let all = texts(&svg);
        // The tallest count tick shows in both panels, the few-rows one included.
        let top_ticks: Vec<f64> = all.iter().filter(|t| t.text == "20").map(|t| t.x).collect();
        assert_eq!(top_ticks.len(), 2, "{all:?}");
        assert!(top_ticks[0] < 380.0 && top_ticks[1] > 380.0);
    }

    #[test]
    fn nothing_to_draw_is_an_error() {
        let options = HistogramOptions::default();
        for hists in [vec![], vec![hist("a", &[]), hist("b", &[f64::NAN])]] {
            assert!(matches!(
                histograms_svg(&hists, &options, 2),
                Err(ChartError::Empty)
            ));
        }
    }

    #[test]
    fn wild_values_draw_and_finish() {
        let wild = [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e308,
            -1e308,
            f64::MAX,
            1e-300,
            0.0,
            1.0,
        ];
        let hists = [
            hist("wild", &wild),
            hist("equal", &[0.25; 50]),
            hist("nan", &[f64::NAN]),
        ];
        for bins in [0, 1, 10, 1_000] {
            let options = HistogramOptions {
                bins,
                ..HistogramOptions::default()
            };
            let svg = histograms_svg(&hists, &options, 2).unwrap();
            assert!(svg.contains("wild (n = 8, mean 0.500)"), "{bins} bins");
        }
    }

    #[test]
    fn names_are_escaped() {
        let evil = "<img src=x onerror=alert(1)>";
        let svg = histograms_svg(&[hist(evil, &[0.5])], &HistogramOptions::default(), 1).unwrap();
        assert!(!svg.contains("<img"), "{svg}");
        assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt; (n = 1, mean 0.500)"));
    }

    #[test]
    fn long_names_are_cut_but_keep_their_figures() {
        let long = "a-model-name-that-goes-on-and-on-well-past-its-panel-2025-preview";
        let hists = [hist(long, &[0.5]), hist("b", &[0.1]), hist("c", &[0.9])];
        let svg = histograms_svg(&hists, &HistogramOptions::default(), 3).unwrap();
        let all = texts(&svg);
        let title = all.iter().find(|t| t.text.starts_with("a-model")).unwrap();
        assert!(title.text.ends_with("… (n = 1, mean 0.500)"), "{title:?}");
        // Titles and axis titles stay in their panel's column.
        let cell_w = 760.0 / 3.0;
        for t in all.iter().filter(|t| !t.rotated) {
            let column = (t.x / cell_w).floor();
            let rect = t.rect();
            assert!(
                rect.left >= column * cell_w && rect.right <= (column + 1.0) * cell_w,
                "{t:?} leaves its panel"
            );
        }
    }
}
