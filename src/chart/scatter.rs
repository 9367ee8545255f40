//! The headline chart: one labelled point per model, x = outcome accuracy, y = rationale
//! consistency, with 95% bootstrap whiskers on both axes (the paper's Figure 1), optional
//! dashed reference marks (the paper's stated figures) and a title.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::labels::{fit_text, place_labels_avoiding, text_width, Rect};
use super::theme::{drawing_error, label_area, Theme};
use crate::engine::summary::Stat;
use crate::engine::view::PaperMark;

/// One model on the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterPoint {
    pub label: String,
    pub x: Stat,
    pub y: Stat,
    pub colour: (u8, u8, u8),
}

/// Size, axis titles, colours, reference marks and title of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterOptions {
    pub width: u32,
    pub height: u32,
    pub x_label: String,
    pub y_label: String,
    pub font_px: u32,
    pub dark: bool,
    /// Dashed horizontal lines at `y = mark.rc`, labelled at their right end; the y range
    /// grows to include every mark.
    pub marks: Vec<PaperMark>,
    /// Drawn centred at the top (small multiples give each panel its own instead).
    pub title: Option<String>,
}

/// A drawn chart and where its points landed, so that the page can lay focusable HTML over
/// them. Pixels are in the SVG's own coordinates (`width` by `height`, origin top left).
#[derive(Clone, Debug, PartialEq)]
pub struct Scatter {
    pub svg: String,
    pub width: u32,
    pub height: u32,
    /// The centre of each point, in input order.
    pub points_px: Vec<(f64, f64)>,
    /// The plotting area: left, top, right, bottom.
    pub plot_px: (f64, f64, f64, f64),
}

/// The data ranges of both axes.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranges {
    pub x: Range<f64>,
    pub y: Range<f64>,
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("nothing to draw: no model has both figures")]
    Empty,
    #[error("drawing failed: {0}")]
    Drawing(String),
}

/// What an empty panel says.
pub const EMPTY_PANEL: &str = "no model with both figures";

impl Default for ScatterOptions {
    fn default() -> Self {
        ScatterOptions {
            width: 760,
            height: 480,
            x_label: "Outcome accuracy (OA)".into(),
            y_label: "Rationale consistency (RC, one-to-one recall)".into(),
            font_px: 13,
            dark: false,
            marks: Vec::new(),
            title: None,
        }
    }
}

/// Draws the chart and reports where its points and plotting area are.
pub fn scatter(points: &[ScatterPoint], options: &ScatterOptions) -> Result<Scatter, ChartError> {
    if points.is_empty() {
        return Err(ChartError::Empty);
    }
    let ranges = fit_ranges(points, &options.marks);
    let mut svg = String::new();
    let pixels = {
        let root =
            SVGBackend::with_string(&mut svg, (options.width, options.height)).into_drawing_area();
        let drawn = root
            .fill(&Theme::new(options.dark).bg)
            .map_err(drawing_error)
            .and_then(|()| draw_panel(&root, points, options, options.title.as_deref(), &ranges))
            .and_then(|pixels| root.present().map_err(drawing_error).map(|()| pixels));
        drawn.map_err(ChartError::Drawing)?
    };
    Ok(Scatter {
        svg,
        width: options.width,
        height: options.height,
        points_px: pixels.points_px,
        plot_px: pixels.plot_px,
    })
}

/// Draws the chart as an SVG document.
pub fn scatter_svg(
    points: &[ScatterPoint],
    options: &ScatterOptions,
) -> Result<String, ChartError> {
    scatter(points, options).map(|s| s.svg)
}

/// The ranges that hold every point's intervals and every mark: x from the points alone, y
/// from the points and the marks.
pub fn fit_ranges<'a>(
    points: impl IntoIterator<Item = &'a ScatterPoint>,
    marks: &[PaperMark],
) -> Ranges {
    let points: Vec<&ScatterPoint> = points.into_iter().collect();
    let at = |v: f64| Stat {
        mean: v,
        lo: v,
        hi: v,
    };
    Ranges {
        x: fit_axis(points.iter().map(|p| p.x)),
        y: fit_axis(
            points
                .iter()
                .map(|p| p.y)
                .chain(marks.iter().map(|m| at(m.rc))),
        ),
    }
}

/// The axis range that holds every interval, padded, inside 0..1 where the data allows.
pub fn fit_axis(stats: impl Iterator<Item = Stat>) -> std::ops::Range<f64> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for s in stats {
        lo = lo.min(s.lo.min(s.mean));
        hi = hi.max(s.hi.max(s.mean));
    }
    if !lo.is_finite() {
        return 0.0..1.0;
    }
    let span = (hi - lo).max(0.05);
    let pad = span * 0.08;
    let lo = (lo - pad).max(0.0_f64.min(lo));
    let hi = (hi + pad).min(1.0_f64.max(hi));
    lo..hi
}

/// Where one drawn panel put its points and plotting area, in the backend's pixels.
pub(super) struct PanelPixels {
    pub points_px: Vec<(f64, f64)>,
    pub plot_px: (f64, f64, f64, f64),
}

/// Draws one chart into `area` (the whole SVG, or one cell of small multiples) with the
/// given ranges, so that panels drawn with the same ranges compare. An empty `points` draws
/// the axes, the marks and [`EMPTY_PANEL`]. The caller fills the background.
pub(super) fn draw_panel(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    points: &[ScatterPoint],
    options: &ScatterOptions,
    title: Option<&str>,
    ranges: &Ranges,
) -> Result<PanelPixels, String> {
    let theme = Theme::new(options.dark);
    let font_px = f64::from(options.font_px);
    let font = theme.font(font_px);
    let (width, height) = area.dim_in_pixel();
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(MARGIN)
        .x_label_area_size(label_area(options.font_px, 3.5))
        .y_label_area_size(label_area(options.font_px, 4.8));
    if let Some(title) = title {
        let room = f64::from(width) - 2.0 * f64::from(MARGIN);
        builder.caption(fit_text(title, font_px, room), theme.bold(font_px));
    }
    let mut chart = builder
        .build_cartesian_2d(ranges.x.clone(), ranges.y.clone())
        .map_err(drawing_error)?;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let bounds = Rect {
        left: f64::from(xs.start),
        top: f64::from(ys.start),
        right: f64::from(xs.end),
        bottom: f64::from(ys.end),
    };
    // Axis titles run along the plot; in a small panel a long one would reach the next panel.
    let x_desc = fit_text(&options.x_label, font_px, bounds.right - bounds.left);
    let y_desc = fit_text(&options.y_label, font_px, bounds.bottom - bounds.top);
    chart
        .configure_mesh()
        .x_labels(tick_count(width, options.font_px * 5))
        .y_labels(tick_count(height, options.font_px * 3))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&|v| format!("{v:.2}"))
        .y_label_formatter(&|v| format!("{v:.2}"))
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .axis_style(theme.fg)
        .bold_line_style(theme.grid)
        .light_line_style(theme.bg)
        .draw()
        .map_err(drawing_error)?;

    // Labels, leaders and marks are placed in pixels: draw them in the backend's coordinates.
    let screen = area.use_screen_coord();

    // Marks go under the data, and their labels are placed first so point labels avoid them.
    let mark_px = mark_font_px(font_px);
    let mark_ys: Vec<f64> = options
        .marks
        .iter()
        .map(|m| f64::from(chart.backend_coord(&(ranges.x.start, m.rc)).1))
        .collect();
    let mark_texts: Vec<String> = options
        .marks
        .iter()
        .map(|m| {
            fit_text(
                m.label,
                mark_px,
                bounds.right - bounds.left - 2.0 * MARK_INSET,
            )
        })
        .collect();
    let mark_boxes = place_mark_labels(&mark_ys, &mark_texts, mark_px, bounds);
    let mark_font = theme.muted(mark_px, Pos::new(HPos::Right, VPos::Top));
    for ((&y, text), rect) in mark_ys.iter().zip(&mark_texts).zip(&mark_boxes) {
        let y = y as i32;
        screen
            .draw(&DashedPathElement::new(
                vec![(xs.start, y), (xs.end, y)],
                6,
                4,
                theme.muted.stroke_width(1),
            ))
            .map_err(drawing_error)?;
        screen
            .draw(&Text::new(
                text.clone(),
                (rect.right as i32, rect.top as i32),
                mark_font.clone(),
            ))
            .map_err(drawing_error)?;
    }

    let colour = |p: &ScatterPoint| RGBColor(p.colour.0, p.colour.1, p.colour.2);
    chart
        .draw_series(points.iter().flat_map(|p| {
            let style = colour(p).stroke_width(2);
            [
                PathElement::new(vec![(p.x.lo, p.y.mean), (p.x.hi, p.y.mean)], style),
                PathElement::new(vec![(p.x.mean, p.y.lo), (p.x.mean, p.y.hi)], style),
            ]
        }))
        .map_err(drawing_error)?;
    chart
        .draw_series(
            points
                .iter()
                .map(|p| Circle::new((p.x.mean, p.y.mean), POINT_RADIUS, colour(p).filled())),
        )
        .map_err(drawing_error)?;

    let centres: Vec<(f64, f64)> = points
        .iter()
        .map(|p| {
            let (x, y) = chart.backend_coord(&(p.x.mean, p.y.mean));
            (f64::from(x), f64::from(y))
        })
        .collect();
    let labels: Vec<String> = points.iter().map(|p| p.label.clone()).collect();
    let placed = place_labels_avoiding(
        &centres,
        &labels,
        font_px,
        f64::from(POINT_RADIUS),
        bounds,
        &mark_boxes,
    );
    for ((label, place), &(cx, cy)) in labels.iter().zip(&placed).zip(&centres) {
        let (left, top) = (place.rect.left as i32, place.rect.top as i32);
        if place.leader {
            let mid_y = ((place.rect.top + place.rect.bottom) / 2.0) as i32;
            let near_x = if place.rect.left > cx {
                left
            } else {
                place.rect.right as i32
            };
            screen
                .draw(&PathElement::new(
                    vec![(cx as i32, cy as i32), (near_x, mid_y)],
                    theme.grid.stroke_width(1),
                ))
                .map_err(drawing_error)?;
        }
        screen
            .draw(&Text::new(label.clone(), (left, top), font.clone()))
            .map_err(drawing_error)?;
    }

    if points.is_empty() {
        let centre = (
            ((bounds.left + bounds.right) / 2.0) as i32,
            ((bounds.top + bounds.bottom) / 2.0) as i32,
        );
        screen
            .draw(&Text::new(
                EMPTY_PANEL,
                centre,
                theme.muted(font_px, Pos::new(HPos::Center, VPos::Center)),
            ))
            .map_err(drawing_error)?;
    }

    Ok(PanelPixels {
        points_px: centres,
        plot_px: (bounds.left, bounds.top, bounds.right, bounds.bottom),
    })
}

/// As many ticks as fit a panel `extent_px` wide (or high), `spacing_px` apart: narrow small
/// multiples get fewer, so that their tick labels do not run into each other.
pub(super) fn tick_count(extent_px: u32, spacing_px: u32) -> usize {
    let fit = extent_px.checked_div(spacing_px).unwrap_or(0) as usize;
    fit.clamp(2, MAX_TICKS)
}

const POINT_RADIUS: i32 = 5;
/// Around each panel, inside its cell.
const MARGIN: u32 = 14;
/// Plotters' usual number of ticks, which a full-size chart keeps.
const MAX_TICKS: usize = 10;
/// Room between a mark label and the plot's right edge, and between two mark labels.
const MARK_INSET: f64 = 4.0;
/// Room between a mark label and its line.
const MARK_GAP: f64 = 2.0;

/// Mark labels are small: they annotate, the data speaks.
fn mark_font_px(font_px: f64) -> f64 {
    (font_px * 0.85).round().max(8.0)
}

/// Boxes for the mark labels, right-aligned at the plot's right end, above their line; when
/// that is taken (marks close together) or outside the plot, below it, then left of a label
/// in the way. Deterministic, like the point labels.
fn place_mark_labels(ys: &[f64], texts: &[String], font_px: f64, bounds: Rect) -> Vec<Rect> {
    let h = font_px * 1.2;
    let mut placed: Vec<Rect> = Vec::with_capacity(ys.len());
    for (&y, text) in ys.iter().zip(texts) {
        let w = text_width(text, font_px);
        let at = |right: f64, top: f64| Rect {
            left: right - w,
            top,
            right,
            bottom: top + h,
        };
        let (above, below) = (y - MARK_GAP - h, y + MARK_GAP);
        let mut candidates = vec![
            at(bounds.right - MARK_INSET, above),
            at(bounds.right - MARK_INSET, below),
        ];
        for p in &placed {
            candidates.push(at(p.left - MARK_INSET, above));
            candidates.push(at(p.left - MARK_INSET, below));
        }
        let free = candidates
            .iter()
            .find(|r| r.inside(&bounds) && !placed.iter().any(|p| p.overlaps(r)));
        let inside = candidates.iter().find(|r| r.inside(&bounds));
        let chosen = free.or(inside).copied().unwrap_or(candidates[0]);
        placed.push(chosen);
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::svg_text::texts;
    use crate::engine::view::PAPER_MARKS;

    fn stat(mean: f64, half: f64) -> Stat {
        Stat {
            mean,
            lo: mean - half,
            hi: mean + half,
        }
    }

    fn point(label: &str, x: f64, y: f64) -> ScatterPoint {
        ScatterPoint {
            label: label.into(),
            x: stat(x, 0.03),
            y: stat(y, 0.02),
            colour: (0, 114, 178),
        }
    }

    fn with_marks(marks: &[PaperMark]) -> ScatterOptions {
        ScatterOptions {
            marks: marks.to_vec(),
            ..ScatterOptions::default()
        }
    }

    #[test]
    fn draws_one_labelled_point_per_model() {
        let points = [
            point("atlas-large", 0.78, 0.41),
            point("atlas-mini", 0.72, 0.21),
            point("a <b> & c", 0.7, 0.3),
        ];
        let svg = scatter_svg(&points, &ScatterOptions::default()).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("atlas-large\n</text>") && svg.contains("atlas-mini\n</text>"));
        // Names are escaped, never markup.
        assert!(svg.contains("a &lt;b&gt; &amp; c"), "{svg}");
        assert!(svg.contains("Outcome accuracy (OA)"));
        // Two whiskers a point.
        assert!(svg.matches("<polyline").count() >= 6);
    }

    #[test]
    fn nothing_to_draw_is_an_error() {
        assert!(matches!(
            scatter_svg(&[], &ScatterOptions::default()),
            Err(ChartError::Empty)
        ));
        assert!(matches!(
            scatter(&[], &with_marks(&PAPER_MARKS)),
            Err(ChartError::Empty)
        ));
    }

    #[test]
    fn axes_fit_the_data() {
        let r = fit_axis([stat(0.7, 0.02), stat(0.75, 0.03)].into_iter());
        assert!(
            r.start > 0.6 && r.start < 0.68 && r.end > 0.78 && r.end < 0.85,
            "{r:?}"
        );
        let r = fit_axis([stat(0.01, 0.02)].into_iter());
        assert!(r.start < 0.0, "an interval below 0 stays visible: {r:?}");
        assert_eq!(fit_axis(std::iter::empty()), 0.0..1.0);
    }

    #[test]
    fn point_positions_follow_the_input_inside_the_plot() {
        // Input order is not x order: positions must come back in input order.
        let points = [
            point("middle", 0.70, 0.30),
            point("left-low", 0.60, 0.20),
            point("right-high", 0.80, 0.40),
        ];
        let options = ScatterOptions::default();
        let chart = scatter(&points, &options).unwrap();
        assert_eq!((chart.width, chart.height), (760, 480));
        assert!(chart.svg.contains(r#"width="760" height="480""#));
        assert_eq!(chart.points_px.len(), points.len());
        let (left, top, right, bottom) = chart.plot_px;
        assert!(
            0.0 < left && left < right && right <= 760.0,
            "{:?}",
            chart.plot_px
        );
        assert!(
            0.0 < top && top < bottom && bottom <= 480.0,
            "{:?}",
            chart.plot_px
        );
        for &(x, y) in &chart.points_px {
            assert!((left..=right).contains(&x) && (top..=bottom).contains(&y));
        }
        let [middle, low, high] = [0, 1, 2].map(|i| chart.points_px[i]);
        assert!(
            low.0 < middle.0 && middle.0 < high.0,
            "x grows to the right"
        );
        assert!(low.1 > middle.1 && middle.1 > high.1, "y grows upwards");
        // Each position is where a circle was drawn.
        for (x, y) in &chart.points_px {
            let circle = format!(r#"<circle cx="{x}" cy="{y}""#);
            assert!(chart.svg.contains(&circle), "{circle}");
        }
    }

    #[test]
    fn marks_draw_their_labels_and_widen_the_y_range() {
        let points = [point("atlas", 0.7, 0.15), point("borealis", 0.75, 0.25)];
        let plain = fit_ranges(&points, &[]);
        assert!(plain.y.end < 0.359, "{plain:?}");
        let ranges = fit_ranges(&points, &PAPER_MARKS);
        assert!(ranges.y.end > 0.4 && ranges.y.start <= 0.13, "{ranges:?}");
        assert_eq!(ranges.x, plain.x, "marks leave x alone");
        let low = PaperMark {
            rc: -0.1,
            label: "below",
        };
        assert!(fit_ranges(&points, &[low]).y.start <= -0.1);

        let chart = scatter(&points, &with_marks(&PAPER_MARKS)).unwrap();
        let (left, top, right, bottom) = chart.plot_px;
        let plot = Rect {
            left,
            top,
            right,
            bottom,
        };
        let all = texts(&chart.svg);
        let marks: Vec<_> = all.iter().filter(|t| t.text.starts_with("paper")).collect();
        assert_eq!(marks.len(), 3, "{all:?}");
        for (mark, text) in PAPER_MARKS.iter().zip(&marks) {
            assert_eq!(text.text, mark.label, "long enough to be drawn whole");
            assert_eq!(text.anchor, "end");
            assert!(text.font_px < 13.0, "small: {text:?}");
            assert!(text.rect().inside(&plot), "{text:?} inside {plot:?}");
        }
        for (i, a) in marks.iter().enumerate() {
            for b in &marks[i + 1..] {
                assert!(!a.rect().overlaps(&b.rect()), "{a:?} and {b:?}");
            }
        }
        // The lines are dashed: many short segments in the muted colour.
        assert!(chart.svg.matches("stroke=\"#646464\"").count() > 30);
    }

    #[test]
    fn point_labels_keep_clear_of_mark_labels() {
        // Points right under the marks' labels, near the right end of the plot.
        let points = [
            point("atlas-large-2025", 0.86, 0.39),
            point("borealis-pro", 0.84, 0.35),
            point("cirrus", 0.80, 0.21),
            point("dune", 0.5, 0.1),
        ];
        let chart = scatter(&points, &with_marks(&PAPER_MARKS)).unwrap();
        let all = texts(&chart.svg);
        let find = |label: &str| all.iter().find(|t| t.text == label).unwrap().rect();
        for p in &points {
            let label = find(&p.label);
            for mark in &PAPER_MARKS {
                let mark = find(mark.label);
                assert!(!label.overlaps(&mark), "{} covers {mark:?}", p.label);
            }
        }
    }

    #[test]
    fn mark_labels_stack_when_their_lines_are_close() {
        let bounds = Rect {
            left: 0.0,
            top: 0.0,
            right: 400.0,
            bottom: 300.0,
        };
        #[track_caller]
        fn check(ys: &[f64], bounds: Rect) -> Vec<Rect> {
            let texts: Vec<String> = ys.iter().map(|y| format!("mark at {y}")).collect();
            let boxes = place_mark_labels(ys, &texts, 11.0, bounds);
            for (i, a) in boxes.iter().enumerate() {
                assert!(a.inside(&bounds), "{a:?}");
                for b in &boxes[i + 1..] {
                    assert!(!a.overlaps(b), "{a:?} and {b:?}");
                }
            }
            boxes
        }
        let boxes = check(&[100.0], bounds);
        assert!(
            boxes[0].bottom <= 100.0 && boxes[0].right == 396.0,
            "above, at the right"
        );
        let boxes = check(&[2.0], bounds);
        assert!(boxes[0].top >= 2.0, "below when above leaves the plot");
        check(&[100.0, 104.0, 108.0], bounds);
        check(&[0.0, 300.0], bounds);
    }

    #[test]
    fn the_title_and_names_are_escaped() {
        let evil = "<img src=x onerror=alert(1)>";
        let options = ScatterOptions {
            title: Some(format!("domain {evil}")),
            ..ScatterOptions::default()
        };
        let svg = scatter_svg(&[point(evil, 0.7, 0.3)], &options).unwrap();
        assert!(!svg.contains("<img"), "{svg}");
        let escaped = "&lt;img src=x onerror=alert(1)&gt;";
        assert_eq!(svg.matches(escaped).count(), 2, "title and label");
        assert!(svg.contains(&format!("domain {escaped}")));
    }

    #[test]
    fn dark_mode_changes_the_background() {
        let points = [point("atlas", 0.7, 0.3)];
        let light = scatter_svg(&points, &ScatterOptions::default()).unwrap();
        let dark = ScatterOptions {
            dark: true,
            ..ScatterOptions::default()
        };
        let dark = scatter_svg(&points, &dark).unwrap();
        assert!(light.contains("fill=\"#FFFFFF\""));
        assert!(dark.contains("fill=\"#181A1F\"") && !dark.contains("fill=\"#FFFFFF\""));
    }
}
