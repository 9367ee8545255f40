//! The matcher-agreement chart (the paper's Figure 2a): RC by matcher A (x) against matcher B
//! (y), one labelled point per model, the diagonal y = x, the least-squares line, and under the
//! plot the line's equation, R^2, RMSE, Spearman's rho and Kendall's tau-b, each a number or
//! `"undefined: <why>"`. Drawn like the headline chart (same panel, labels and theme).

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::chart::error::{drawing_error, ChartError};
use crate::chart::labels::fit_text;
use crate::chart::scatter::{draw_panel, fit_axis, Ranges, Scatter, ScatterOptions, ScatterPoint};
use crate::chart::theme::Theme;
use crate::engine::agreement::{LineFit, MatcherAgreement, Measure};
use crate::engine::summary::Stat;

/// What the agreement chart shows besides the figures: the matchers' names, each model's
/// colour (in the agreement's model order), size and mode.
#[derive(Clone, Debug, PartialEq)]
pub struct AgreementChartOptions {
    pub matcher_a: String,
    pub matcher_b: String,
    pub colours: Vec<(u8, u8, u8)>,
    pub width: u32,
    pub height: u32,
    pub font_px: u32,
    pub dark: bool,
}

impl Default for AgreementChartOptions {
    fn default() -> Self {
        AgreementChartOptions {
            matcher_a: "matcher A".into(),
            matcher_b: "matcher B".into(),
            colours: Vec::new(),
            width: 760,
            height: 560,
            font_px: 13,
            dark: false,
        }
    }
}

/// A figure as the page and the chart write it: three decimals, or `undefined: <why>`.
pub fn measure_text(measure: &Measure) -> String {
    match measure {
        Ok(v) => format!("{v:.3}"),
        Err(why) => format!("undefined: {why}"),
    }
}

/// The least-squares line as an equation, `y = 0.970x + 0.002`, or why there is none.
pub fn equation_text(fit: &LineFit) -> String {
    match (fit.slope, fit.intercept) {
        (Ok(a), Ok(b)) => {
            let sign = if b < 0.0 { '-' } else { '+' };
            format!("y = {a:.3}x {sign} {:.3}", b.abs())
        }
        (Err(why), _) | (_, Err(why)) => format!("undefined: {why}"),
    }
}

/// The caption lines under the plot: the line, then the figures of agreement.
pub fn caption_lines(agreement: &MatcherAgreement) -> Vec<String> {
    let fit = &agreement.fit;
    vec![
        format!("least squares ({} models): {}", fit.n, equation_text(fit)),
        format!(
            "R^2 {}  \u{b7}  RMSE of B - A {}",
            measure_text(&fit.r2),
            measure_text(&fit.rmse)
        ),
        format!(
            "Spearman rho {}  \u{b7}  Kendall tau-b {}",
            measure_text(&agreement.spearman),
            measure_text(&agreement.kendall_tau_b)
        ),
    ]
}

/// Draws the chart; the points are in the agreement's model order.
pub fn agreement_chart(
    agreement: &MatcherAgreement,
    options: &AgreementChartOptions,
) -> Result<Scatter, ChartError> {
    let points: Vec<ScatterPoint> = agreement
        .models
        .iter()
        .zip(agreement.rc_a.iter().zip(&agreement.rc_b))
        .enumerate()
        .map(|(idx, (model, (&a, &b)))| ScatterPoint {
            label: model.clone(),
            x: exact(a),
            y: exact(b),
            colour: options.colours.get(idx).copied().unwrap_or((0, 114, 178)),
        })
        .collect();
    if points.is_empty() {
        return Err(ChartError::Empty);
    }
    // One range for both axes, so that the diagonal runs corner to corner at 45 degrees.
    let both = fit_axis(points.iter().flat_map(|p| [p.x, p.y]));
    let ranges = Ranges {
        x: both.clone(),
        y: both,
    };
    let scatter_options = ScatterOptions {
        width: options.width,
        height: options.height,
        x_label: format!("RC by {} (matcher A)", options.matcher_a),
        y_label: format!("RC by {} (matcher B)", options.matcher_b),
        font_px: options.font_px,
        dark: options.dark,
        title: Some(format!(
            "Matcher agreement: {} vs {}",
            options.matcher_a, options.matcher_b
        )),
        ..ScatterOptions::default()
    };
    let lines = caption_lines(agreement);
    let font_px = f64::from(options.font_px);
    let caption_px = ((lines.len() as f64 + 0.8) * font_px * 1.5) as u32;
    let mut svg = String::new();
    let pixels = {
        let root =
            SVGBackend::with_string(&mut svg, (options.width, options.height)).into_drawing_area();
        let theme = Theme::new(options.dark);
        let drawn = root.fill(&theme.bg).map_err(drawing_error).and_then(|()| {
            let (plot_area, caption_area) =
                root.split_vertically(options.height.saturating_sub(caption_px));
            let pixels = draw_panel(&plot_area, &points, &scatter_options, None, &ranges)?;
            draw_lines(&root, &theme, &ranges, pixels.plot_px, &agreement.fit)?;
            draw_caption(&caption_area, &theme, &scatter_options, &lines)?;
            root.present().map_err(drawing_error)?;
            Ok(pixels)
        });
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

/// A value without an interval (the agreement chart draws no whiskers).
fn exact(v: f64) -> Stat {
    Stat {
        mean: v,
        lo: v,
        hi: v,
    }
}

/// The diagonal (dashed, muted) and the least-squares line (solid), clipped to the plot.
fn draw_lines(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    theme: &Theme,
    ranges: &Ranges,
    (left, top, right, bottom): (f64, f64, f64, f64),
    fit: &LineFit,
) -> Result<(), String> {
    let span = ranges.x.end - ranges.x.start;
    let to_px = |(x, y): (f64, f64)| {
        (
            (left + (x - ranges.x.start) / span * (right - left)) as i32,
            (bottom - (y - ranges.y.start) / span * (bottom - top)) as i32,
        )
    };
    if let Some((p, q)) = clip_line(1.0, 0.0, ranges) {
        root.draw(&DashedPathElement::new(
            vec![to_px(p), to_px(q)],
            6,
            4,
            theme.muted.stroke_width(1),
        ))
        .map_err(drawing_error)?;
    }
    if let (Ok(slope), Ok(intercept)) = (fit.slope, fit.intercept) {
        if let Some((p, q)) = clip_line(slope, intercept, ranges) {
            root.draw(&PathElement::new(
                vec![to_px(p), to_px(q)],
                theme.fg.stroke_width(2),
            ))
            .map_err(drawing_error)?;
        }
    }
    Ok(())
}

/// The caption lines, left-aligned under the plot; the diagonal's key leads.
fn draw_caption(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    theme: &Theme,
    options: &ScatterOptions,
    lines: &[String],
) -> Result<(), String> {
    let font_px = f64::from(options.font_px);
    let (width, _) = area.dim_in_pixel();
    let room = f64::from(width) - 2.0 * font_px;
    let key = "solid: least-squares line  \u{b7}  dashed: y = x (the matchers agree)";
    let all = std::iter::once(key.to_string()).chain(lines.iter().cloned());
    for (idx, line) in all.enumerate() {
        let y = (font_px * 0.4 + idx as f64 * font_px * 1.5) as i32;
        let style = if idx == 0 {
            theme.muted(font_px, Pos::new(HPos::Left, VPos::Top))
        } else {
            theme.font(font_px)
        };
        area.draw(&Text::new(
            fit_text(&line, font_px, room),
            (font_px as i32, y),
            style,
        ))
        .map_err(drawing_error)?;
    }
    Ok(())
}

/// The part of y = slope x + intercept inside the square `ranges`, as two data points.
fn clip_line(slope: f64, intercept: f64, ranges: &Ranges) -> Option<((f64, f64), (f64, f64))> {
    let (lo, hi) = (ranges.x.start, ranges.x.end);
    let (y_lo, y_hi) = (ranges.y.start, ranges.y.end);
    let mut xs = vec![lo, hi];
    if slope != 0.0 {
        xs.push((y_lo - intercept) / slope);
        xs.push((y_hi - intercept) / slope);
    }
    let inside: Vec<f64> = xs
        .into_iter()
        .filter(|x| (lo..=hi).contains(x))
        .filter(|x| (y_lo - 1e-12..=y_hi + 1e-12).contains(&(slope * x + intercept)))
        .collect();
    let start = inside.iter().copied().reduce(f64::min)?;
    let end = inside.iter().copied().reduce(f64::max)?;
    (end > start).then_some((
        (start, slope * start + intercept),
        (end, slope * end + intercept),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::svg_text::texts;
    use crate::engine::agreement::{fit_line, kendall_tau_b, spearman, Undefined};

    fn agreement(models: &[(&str, f64, f64)]) -> MatcherAgreement {
        let rc_a: Vec<f64> = models.iter().map(|m| m.1).collect();
        let rc_b: Vec<f64> = models.iter().map(|m| m.2).collect();
        MatcherAgreement {
            models: models.iter().map(|m| m.0.to_string()).collect(),
            fit: fit_line(&rc_a, &rc_b),
            spearman: spearman(&rc_a, &rc_b),
            kendall_tau_b: kendall_tau_b(&rc_a, &rc_b),
            rc_a,
            rc_b,
            per_model: Vec::new(),
            only_a: Vec::new(),
            only_b: Vec::new(),
        }
    }

    /// Draws the chart and checks its texts hold every `expected` string and its paths count.
    #[track_caller]
    fn check(models: &[(&str, f64, f64)], expected: &[&str], n_paths: usize) {
        let chart =
            agreement_chart(&agreement(models), &AgreementChartOptions::default()).expect("drawn");
        let all: Vec<String> = texts(&chart.svg).into_iter().map(|t| t.text).collect();
        for want in expected {
            assert!(all.iter().any(|t| t.contains(want)), "{want:?} in {all:?}");
        }
        assert_eq!(chart.svg.matches("<circle").count(), models.len());
        assert_eq!(chart.points_px.len(), models.len());
        // The diagonal is dashed (several short lines); the fitted line is one polyline.
        let solid = chart
            .svg
            .matches(r##"stroke="#1E1E1E" stroke-width="2""##)
            .count();
        assert_eq!(solid, n_paths, "fitted lines drawn");
    }

    #[test]
    fn figures_and_labels_are_in_the_svg() {
        // B = 0.5 A + 0.1 exactly: slope 0.5, intercept 0.1, R^2 1, ranks agree.
        check(
            &[
                ("atlas", 0.2, 0.2),
                ("borealis", 0.4, 0.3),
                ("cirrus", 0.6, 0.4),
            ],
            &[
                "atlas",
                "borealis",
                "cirrus",
                "y = 0.500x + 0.100",
                "R^2 1.000",
                "Spearman rho 1.000",
                "Kendall tau-b 1.000",
                "RC by matcher A (matcher A)",
            ],
            1,
        );
    }

    #[test]
    fn undefined_figures_say_why_and_draw_no_line() {
        let why = Undefined::ConstantX.to_string();
        check(
            &[("a", 0.3, 0.1), ("b", 0.3, 0.2), ("c", 0.3, 0.4)],
            &[&format!("undefined: {why}")[..40], "RMSE of B - A 0.141"],
            0,
        );
    }

    #[test]
    fn the_line_is_clipped_to_the_plot() {
        let ranges = Ranges {
            x: 0.0..1.0,
            y: 0.0..1.0,
        };
        assert_eq!(clip_line(1.0, 0.0, &ranges), Some(((0.0, 0.0), (1.0, 1.0))));
        assert_eq!(clip_line(2.0, 0.0, &ranges), Some(((0.0, 0.0), (0.5, 1.0))));
        assert_eq!(clip_line(0.0, 2.0, &ranges), None);
        assert_eq!(
            equation_text(&fit_line(&[0.0, 1.0], &[0.5, 0.0])),
            "y = -0.500x + 0.500"
        );
        assert_eq!(
            measure_text(&Err(Undefined::OneLevel)),
            format!("undefined: {}", Undefined::OneLevel)
        );
    }
}
