//! The headline chart: one labelled point per model, x = outcome accuracy, y = rationale
//! consistency, with 95% bootstrap whiskers on both axes (the paper's Figure 1), optional
//! dashed reference marks (the paper's stated figures), optional alignment zones and a title.
//!
//! Where things live: `options` holds what goes in and out, `range` fits the axes, `panel`
//! draws one panel from `zones`, `marks`, `points` and `point_labels`; small multiples draw several
//! panels with the same ranges.

mod marks;
mod options;
mod panel;
mod point_labels;
mod points;
mod range;
mod zones;

use plotters::prelude::*;

use crate::chart::error::drawing_error;
use crate::chart::theme::Theme;

// `ChartError` was first reached from here; it now lives with every chart's errors.
pub use crate::chart::error::ChartError;
pub use options::{Scatter, ScatterOptions, ScatterPoint, EMPTY_PANEL};
pub(super) use panel::draw_panel;
pub use range::{fit_axis, fit_ranges, Ranges, AXIS_LIMIT, MIN_SPAN};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::labels::Rect;
    use crate::chart::svg_text::texts;
    use crate::engine::summary::Stat;
    use crate::engine::view::{PaperMark, PAPER_MARKS};

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
    fn row8_long_model_names_are_clipped_in_chart_labels() {
        let long = "x".repeat(10_000);
        let points = [point(&long, 0.7, 0.3), point("atlas", 0.75, 0.35)];
        let chart = scatter(&points, &ScatterOptions::default()).unwrap();
        let all = texts(&chart.svg);
        let label = all.iter().find(|t| t.text.starts_with("xxx")).unwrap();
        assert!(label.text.ends_with('…'), "{label:?}");
        assert!(label.text.chars().count() <= 40, "{label:?}");
        let (left, _, right, _) = chart.plot_px;
        assert!(label.rect().right - label.rect().left <= right - left);
        assert!(
            all.iter().any(|t| t.text == "atlas"),
            "short names stay whole"
        );
        assert!(chart.svg.len() < 20_000, "{} bytes", chart.svg.len());
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
