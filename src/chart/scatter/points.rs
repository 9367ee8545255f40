//! The data of a scatter: each model's two whiskers (95% intervals) and its point.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::options::ScatterPoint;
use crate::chart::error::drawing_error;

/// The radius of a model's point, in pixels.
pub(super) const POINT_RADIUS: i32 = 5;

/// The plot of one panel, in data coordinates.
pub(super) type Plot<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws every point's whiskers, then every point over them.
pub(super) fn draw_points(chart: &mut Plot<'_, '_>, points: &[ScatterPoint]) -> Result<(), String> {
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
    Ok(())
}

/// The centre of each point in the backend's pixels, in input order.
pub(super) fn point_centres(chart: &Plot<'_, '_>, points: &[ScatterPoint]) -> Vec<(f64, f64)> {
    points
        .iter()
        .map(|p| {
            let (x, y) = chart.backend_coord(&(p.x.mean, p.y.mean));
            (f64::from(x), f64::from(y))
        })
        .collect()
}
