//! Small multiples: the scatter once per group (a domain, say) on one grid, every panel with
//! the same axes, so that the groups compare at a glance.

use plotters::prelude::*;

use super::error::{drawing_error, ChartError};
use super::scatter::{draw_panel, fit_ranges, ScatterOptions, ScatterPoint};
use super::theme::Theme;

/// One group's chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    pub title: String,
    pub points: Vec<ScatterPoint>,
}

/// Draws the panels on a grid, `columns` to a row (at least 1, at most the number of
/// panels), each `options.width / columns` wide and `options.height` high, as one SVG.
/// Every panel has the ranges fitted to all points of all panels and to the marks, its own
/// title and its own labels; `options.title` is not used. A panel without points says so;
/// when no panel has one there is nothing to compare, and that is [`ChartError::Empty`].
pub fn small_multiples_svg(
    panels: &[Panel],
    options: &ScatterOptions,
    columns: usize,
) -> Result<String, ChartError> {
    if panels.iter().all(|p| p.points.is_empty()) {
        return Err(ChartError::Empty);
    }
    let (rows, columns) = grid(panels.len(), columns);
    let height = u32::try_from(rows)
        .ok()
        .and_then(|rows| rows.checked_mul(options.height))
        .ok_or_else(|| ChartError::Drawing(format!("{rows} rows are too tall to draw")))?;
    let ranges = fit_ranges(panels.iter().flat_map(|p| &p.points), &options.marks);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (options.width, height)).into_drawing_area();
        root.fill(&Theme::new(options.dark).bg)
            .map_err(|e| ChartError::Drawing(drawing_error(e)))?;
        for (panel, area) in panels.iter().zip(root.split_evenly((rows, columns))) {
            draw_panel(&area, &panel.points, options, Some(&panel.title), &ranges)
                .map_err(ChartError::Drawing)?;
        }
        root.present()
            .map_err(|e| ChartError::Drawing(drawing_error(e)))?;
    }
    Ok(svg)
}

/// Rows and columns for `count` panels: `columns` kept between 1 and `count`, so that a
/// short list fills the width.
pub(super) fn grid(count: usize, columns: usize) -> (usize, usize) {
    let columns = columns.clamp(1, count.max(1));
    (count.div_ceil(columns), columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::svg_text::{texts, SvgText};
    use crate::engine::summary::Stat;
    use crate::engine::view::PAPER_MARKS;

    fn point(label: &str, x: f64, y: f64) -> ScatterPoint {
        let stat = |mean: f64| Stat {
            mean,
            lo: mean - 0.02,
            hi: mean + 0.02,
        };
        ScatterPoint {
            label: label.into(),
            x: stat(x),
            y: stat(y),
            colour: (0, 114, 178),
        }
    }

    fn panel(title: &str, points: &[(&str, f64, f64)]) -> Panel {
        Panel {
            title: title.into(),
            points: points.iter().map(|&(l, x, y)| point(l, x, y)).collect(),
        }
    }

    /// Far-apart groups: fitted one by one, their axes would differ.
    fn domains() -> Vec<Panel> {
        vec![
            panel("chat", &[("atlas", 0.55, 0.12), ("borealis", 0.6, 0.18)]),
            panel("code", &[("atlas", 0.85, 0.38)]),
            panel("math", &[("atlas", 0.7, 0.25), ("cirrus", 0.72, 0.3)]),
        ]
    }

    /// The texts of the panel in grid cell (row, column).
    fn cell(
        all: &[SvgText],
        options: &ScatterOptions,
        columns: usize,
        at: (usize, usize),
    ) -> Vec<SvgText> {
        let w = f64::from(options.width) / columns as f64;
        let h = f64::from(options.height);
        all.iter()
            .filter(|t| (t.x / w).floor() as usize == at.1 && (t.y / h).floor() as usize == at.0)
            .cloned()
            .collect()
    }

    /// Tick labels: the numbers a panel shows (sorted, so the order of drawing does not matter).
    fn ticks(texts: &[SvgText]) -> Vec<String> {
        let mut ticks: Vec<String> = texts
            .iter()
            .filter(|t| t.text.parse::<f64>().is_ok())
            .map(|t| t.text.clone())
            .collect();
        ticks.sort();
        ticks
    }

    #[test]
    fn grids_hold_every_panel() {
        for (count, columns, expected) in [
            (1, 2, (1, 1)),
            (3, 2, (2, 2)),
            (4, 2, (2, 2)),
            (5, 0, (5, 1)),
            (2, 9, (1, 2)),
            (0, 3, (0, 1)),
        ] {
            assert_eq!(
                grid(count, columns),
                expected,
                "{count} panels, {columns} columns"
            );
        }
    }

    #[test]
    fn one_titled_panel_per_group() {
        let options = ScatterOptions::default();
        let svg = small_multiples_svg(&domains(), &options, 2).unwrap();
        assert!(
            svg.contains(r#"width="760" height="960""#),
            "two rows of 480"
        );
        let all = texts(&svg);
        for (title, at) in [("chat", (0, 0)), ("code", (0, 1)), ("math", (1, 0))] {
            let cell = cell(&all, &options, 2, at);
            assert!(cell.iter().any(|t| t.text == title), "{title} in {at:?}");
        }
        assert_eq!(svg.matches("<circle").count(), 5);
        assert_eq!(all.iter().filter(|t| t.text == "atlas").count(), 3);
        assert!(
            cell(&all, &options, 2, (1, 1)).is_empty(),
            "the spare cell stays blank"
        );
    }

    #[test]
    fn panels_share_their_ranges() {
        let panels = domains();
        let ranges = fit_ranges(panels.iter().flat_map(|p| &p.points), &[]);
        assert!(ranges.x.start < 0.53 && ranges.x.end > 0.87, "{ranges:?}");
        assert!(ranges.y.start < 0.1 && ranges.y.end > 0.4, "{ranges:?}");

        let options = ScatterOptions::default();
        let all = texts(&small_multiples_svg(&panels, &options, 3).unwrap());
        let first = ticks(&cell(&all, &options, 3, (0, 0)));
        assert!(first.len() >= 6, "{first:?}");
        for column in 1..3 {
            assert_eq!(
                ticks(&cell(&all, &options, 3, (0, column))),
                first,
                "panel {column}"
            );
        }
    }

    #[test]
    fn an_empty_panel_says_so_and_marks_show_everywhere() {
        let mut panels = domains();
        panels.push(panel("safety", &[]));
        let options = ScatterOptions {
            marks: PAPER_MARKS.to_vec(),
            ..ScatterOptions::default()
        };
        let svg = small_multiples_svg(&panels, &options, 2).unwrap();
        let all = texts(&svg);
        let empty = cell(&all, &options, 2, (1, 1));
        assert!(empty.iter().any(|t| t.text == "safety"));
        assert!(empty.iter().any(|t| t.text == "no model with both figures"));
        assert_eq!(
            all.iter()
                .filter(|t| t.text == "no model with both figures")
                .count(),
            1
        );
        for at in [(0, 0), (0, 1), (1, 0), (1, 1)] {
            let marks = cell(&all, &options, 2, at)
                .iter()
                .filter(|t| t.text.starts_with("paper"))
                .count();
            assert_eq!(marks, 3, "marks in {at:?}");
        }
    }

    #[test]
    fn nothing_in_any_panel_is_an_error() {
        let options = ScatterOptions::default();
        for panels in [vec![], vec![panel("chat", &[]), panel("code", &[])]] {
            assert!(matches!(
                small_multiples_svg(&panels, &options, 2),
                Err(ChartError::Empty)
            ));
        }
    }

    #[test]
    fn titles_and_names_are_escaped() {
        let evil = "<img src=x onerror=alert(1)>";
        let panels = [panel(evil, &[(evil, 0.7, 0.3)])];
        let svg = small_multiples_svg(&panels, &ScatterOptions::default(), 2).unwrap();
        assert!(!svg.contains("<img"), "{svg}");
        assert_eq!(svg.matches("&lt;img src=x onerror=alert(1)&gt;").count(), 2);
    }

    #[test]
    fn narrow_panels_keep_their_text_inside() {
        // Three panels to a row of 980 px, 330 px high, with the longest axis title and marks.
        let options = ScatterOptions {
            width: 980,
            height: 330,
            marks: PAPER_MARKS.to_vec(),
            ..ScatterOptions::default()
        };
        let mut panels = domains();
        panels[0].title = "a group name far too long to stand above a narrow panel".into();
        let all = texts(&small_multiples_svg(&panels, &options, 3).unwrap());
        let cell_w = 980.0 / 3.0;
        for t in all.iter().filter(|t| t.text.parse::<f64>().is_err()) {
            if t.rotated {
                assert!(t.rect().right - t.rect().left <= 330.0, "{t:?}");
                continue;
            }
            let column = (t.x / cell_w).floor();
            let (left, right) = (column * cell_w, (column + 1.0) * cell_w);
            let rect = t.rect();
            assert!(
                rect.left >= left && rect.right <= right,
                "{t:?} leaves its panel"
            );
        }
        assert!(all
            .iter()
            .any(|t| t.text.starts_with("a group name") && t.text.ends_with('…')));
        assert!(all
            .iter()
            .any(|t| t.text.starts_with("Rationale consistency") && t.text.ends_with('…')));
    }
}
