//! The headline chart: one labelled point per model, x = outcome accuracy, y = rationale
//! consistency, with 95% bootstrap whiskers on both axes (the paper's Figure 1).

use plotters::prelude::*;

use super::labels::{place_labels, Rect};
use crate::engine::summary::Stat;

/// One model on the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterPoint {
    pub label: String,
    pub x: Stat,
    pub y: Stat,
    pub colour: (u8, u8, u8),
}

/// Size, axis titles and colours of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterOptions {
    pub width: u32,
    pub height: u32,
    pub x_label: String,
    pub y_label: String,
    pub font_px: u32,
    pub dark: bool,
}

impl Default for ScatterOptions {
    fn default() -> Self {
        ScatterOptions {
            width: 760,
            height: 480,
            x_label: "Outcome accuracy (OA)".into(),
            y_label: "Rationale consistency (RC, one-to-one recall)".into(),
            font_px: 13,
            dark: false,
        }
    }
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("nothing to draw: no model has both figures")]
    Empty,
    #[error("drawing failed: {0}")]
    Drawing(String),
}

const POINT_RADIUS: i32 = 5;

/// Draws the chart as an SVG document.
pub fn scatter_svg(
    points: &[ScatterPoint],
    options: &ScatterOptions,
) -> Result<String, ChartError> {
    if points.is_empty() {
        return Err(ChartError::Empty);
    }
    let mut svg = String::new();
    draw(&mut svg, points, options).map_err(ChartError::Drawing)?;
    Ok(svg)
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

fn draw(svg: &mut String, points: &[ScatterPoint], options: &ScatterOptions) -> Result<(), String> {
    let e = |err: DrawingAreaErrorKind<std::io::Error>| err.to_string();
    let (fg, bg, grid) = if options.dark {
        (
            RGBColor(230, 230, 230),
            RGBColor(24, 26, 31),
            RGBColor(70, 72, 80),
        )
    } else {
        (RGBColor(30, 30, 30), WHITE, RGBColor(225, 225, 225))
    };
    // The SVG backend writes font-size = size / 1.24; scale so the page shows `font_px`.
    let font = ("sans-serif", f64::from(options.font_px) * 1.24)
        .into_font()
        .color(&fg);
    let root = SVGBackend::with_string(svg, (options.width, options.height)).into_drawing_area();
    root.fill(&bg).map_err(e)?;
    let x_range = fit_axis(points.iter().map(|p| p.x));
    let y_range = fit_axis(points.iter().map(|p| p.y));
    let mut chart = ChartBuilder::on(&root)
        .margin(14)
        .x_label_area_size(46)
        .y_label_area_size(62)
        .build_cartesian_2d(x_range, y_range)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc(options.x_label.as_str())
        .y_desc(options.y_label.as_str())
        .x_label_formatter(&|v| format!("{v:.2}"))
        .y_label_formatter(&|v| format!("{v:.2}"))
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .axis_style(fg)
        .bold_line_style(grid)
        .light_line_style(bg)
        .draw()
        .map_err(e)?;

    let colour = |p: &ScatterPoint| RGBColor(p.colour.0, p.colour.1, p.colour.2);
    chart
        .draw_series(points.iter().flat_map(|p| {
            let style = colour(p).stroke_width(2);
            [
                PathElement::new(vec![(p.x.lo, p.y.mean), (p.x.hi, p.y.mean)], style),
                PathElement::new(vec![(p.x.mean, p.y.lo), (p.x.mean, p.y.hi)], style),
            ]
        }))
        .map_err(e)?;
    chart
        .draw_series(
            points
                .iter()
                .map(|p| Circle::new((p.x.mean, p.y.mean), POINT_RADIUS, colour(p).filled())),
        )
        .map_err(e)?;

    let centres: Vec<(f64, f64)> = points
        .iter()
        .map(|p| {
            let (x, y) = chart.backend_coord(&(p.x.mean, p.y.mean));
            (f64::from(x), f64::from(y))
        })
        .collect();
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let bounds = Rect {
        left: f64::from(xs.start),
        top: f64::from(ys.start),
        right: f64::from(xs.end),
        bottom: f64::from(ys.end),
    };
    let labels: Vec<String> = points.iter().map(|p| p.label.clone()).collect();
    let placed = place_labels(
        &centres,
        &labels,
        f64::from(options.font_px),
        f64::from(POINT_RADIUS),
        bounds,
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
            root.draw(&PathElement::new(
                vec![(cx as i32, cy as i32), (near_x, mid_y)],
                grid.stroke_width(1),
            ))
            .map_err(e)?;
        }
        root.draw(&Text::new(label.clone(), (left, top), font.clone()))
            .map_err(e)?;
    }
    root.present().map_err(e)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
