//! One scatter panel: axes and grid, then the zones, the marks, the data and the labels, in
//! that order so that the data lies over the zones and marks and the labels over everything.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::marks::draw_marks;
use super::options::{ScatterOptions, ScatterPoint, EMPTY_PANEL};
use super::point_labels::draw_point_labels;
use super::points::{draw_points, point_centres, Plot, POINT_RADIUS};
use super::range::Ranges;
use super::zones::{draw_zone_fills, draw_zone_labels, zone_rects};
use crate::chart::error::drawing_error;
use crate::chart::labels::{fit_text, text_width, Rect};
use crate::chart::layout::{label_area, tick_count, tick_label};
use crate::chart::theme::Theme;

/// Around each panel, inside its cell.
const MARGIN: u32 = 14;

/// Where one drawn panel put its points and plotting area, in the backend's pixels.
pub(in crate::chart) struct PanelPixels {
    pub points_px: Vec<(f64, f64)>,
    pub plot_px: (f64, f64, f64, f64),
}

/// Draws one chart into `area` (the whole SVG, or one cell of small multiples) with the
/// given ranges, so that panels drawn with the same ranges compare. An empty `points` draws
/// the axes, the marks and [`EMPTY_PANEL`]. The caller fills the background.
pub(in crate::chart) fn draw_panel(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    points: &[ScatterPoint],
    options: &ScatterOptions,
    title: Option<&str>,
    ranges: &Ranges,
) -> Result<PanelPixels, String> {
    let theme = Theme::new(options.dark);
    let font_px = f64::from(options.font_px);
    let (mut chart, bounds) = draw_axes(area, options, title, ranges, &theme)?;
    let points: Vec<ScatterPoint> = points.iter().map(|p| ranges.hold(p)).collect();
    let points = points.as_slice();

    // Labels, leaders and marks are placed in pixels: draw them in the backend's coordinates.
    let screen = area.use_screen_coord();

    // Zones are the bottom layer, under the marks.
    let zones = options.zones.map_or_else(Vec::new, |thresholds| {
        zone_rects(thresholds, ranges, bounds, |x, y| {
            let (x, y) = chart.backend_coord(&(x, y));
            (f64::from(x), f64::from(y))
        })
    });
    draw_zone_fills(&screen, &zones, options.dark)?;

    // Marks go under the data, and their labels are placed first so point labels avoid them.
    let mark_ys: Vec<f64> = options
        .marks
        .iter()
        .map(|m| f64::from(chart.backend_coord(&(ranges.x.start, m.rc)).1))
        .collect();
    let mark_boxes = draw_marks(&screen, &theme, &options.marks, &mark_ys, font_px, bounds)?;

    draw_points(&mut chart, points)?;
    let centres = point_centres(&chart, points);
    // The zones' names keep clear of the points and mark labels; point labels then of them.
    let dots = dot_boxes(&centres);
    let taken: Vec<Rect> = dots.iter().chain(&mark_boxes).copied().collect();
    let zone_boxes = draw_zone_labels(&screen, &theme, &zones, font_px, &taken)?;
    let label_boxes: Vec<Rect> = mark_boxes.into_iter().chain(zone_boxes).collect();
    let labels: Vec<String> = points
        .iter()
        .map(|p| clip_label(&p.label, font_px, &bounds))
        .collect();
    draw_point_labels(
        &screen,
        &theme,
        &centres,
        &labels,
        font_px,
        bounds,
        &label_boxes,
    )?;

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

/// Around each point, what a zone's name keeps clear of: the dot and a little room.
fn dot_boxes(centres: &[(f64, f64)]) -> Vec<Rect> {
    let r = f64::from(POINT_RADIUS) + 3.0;
    centres
        .iter()
        .map(|&(x, y)| Rect {
            left: x - r,
            top: y - r,
            right: x + r,
            bottom: y + r,
        })
        .collect()
}

/// A model's name as its label: cut with an ellipsis past [`MAX_LABEL_CHARS`] or the plot's
/// width, so that a 10,000-character name does not run over the other points. The page shows
/// the whole name on hover; the exports keep it whole.
fn clip_label(label: &str, font_px: f64, bounds: &Rect) -> String {
    let room = (bounds.right - bounds.left).min(MAX_LABEL_CHARS as f64 * text_width("m", font_px));
    fit_text(label, font_px, room)
}

/// The longest label a point gets, in characters: typical names (`vendor-model-70b-instruct`)
/// fit whole.
const MAX_LABEL_CHARS: usize = 40;

/// Draws the title, the axes, their ticks and titles and the grid; returns the plot and its
/// pixel bounds.
fn draw_axes<'a, 'b>(
    area: &'a DrawingArea<SVGBackend<'b>, Shift>,
    options: &ScatterOptions,
    title: Option<&str>,
    ranges: &Ranges,
    theme: &Theme,
) -> Result<(Plot<'a, 'b>, Rect), String> {
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
        .x_label_formatter(&|v| tick_label(*v))
        .y_label_formatter(&|v| tick_label(*v))
        .label_style(font.clone())
        .axis_desc_style(font)
        .axis_style(theme.fg)
        .bold_line_style(theme.grid)
        .light_line_style(theme.bg)
        .draw()
        .map_err(drawing_error)?;
    Ok((chart, bounds))
}
