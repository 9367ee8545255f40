//! The slope chart of benchmark agreement (SPEC 10, the paper's Figure 2b): each model's rank
//! on two leaderboards as two columns, a line per model joining its ranks, labelled at both
//! ends, so that a model that moves stands out as a steep line.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::error::{drawing_error, ChartError};
use super::labels::{fit_text, fit_text_middle, text_width};
use super::theme::Theme;

/// One model: its ranks on the left and right leaderboards (1 = best; tied models share the
/// mean rank, so a rank may be 2.5).
#[derive(Clone, Debug, PartialEq)]
pub struct SlopeLine {
    pub label: String,
    pub left: f64,
    pub right: f64,
    pub colour: (u8, u8, u8),
}

/// Size, column titles and colours of the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct SlopeOptions {
    pub width: u32,
    pub height: u32,
    pub left_title: String,
    pub right_title: String,
    pub font_px: u32,
    pub dark: bool,
}

impl Default for SlopeOptions {
    fn default() -> Self {
        SlopeOptions {
            width: 760,
            height: 420,
            left_title: "Rank on A".into(),
            right_title: "Rank on B".into(),
            font_px: 13,
            dark: false,
        }
    }
}

/// Draws the slope chart: rank 1 at the top of both columns, the larger rank at the bottom.
/// Labels read "name 3" on the left and "3 name" on the right, cut to a third of the width
/// and pushed apart where ranks tie, so that no two overlap. No line (or one whose ranks are
/// not finite) is [`ChartError::Empty`].
pub fn slope_svg(lines: &[SlopeLine], options: &SlopeOptions) -> Result<String, ChartError> {
    let lines: Vec<&SlopeLine> = lines
        .iter()
        .filter(|l| l.left.is_finite() && l.right.is_finite())
        .collect();
    if lines.is_empty() {
        return Err(ChartError::Empty);
    }
    let font_px = f64::from(options.font_px);
    let (width, height) = (f64::from(options.width), f64::from(options.height));
    // Room for the longest name and a rank such as " 10.5" beside it, at most a third.
    let rank_room = text_width(" 10.5", font_px);
    let room = lines
        .iter()
        .map(|l| text_width(&l.label, font_px) + rank_room)
        .fold(0.0, f64::max)
        .min(width / 3.0);
    let (x_left, x_right) = (MARGIN + room + GAP, width - MARGIN - room - GAP);
    let top = MARGIN + 2.5 * font_px;
    let bottom = height - MARGIN - font_px;
    let most = lines
        .iter()
        .map(|l| l.left.max(l.right))
        .fold(1.0, f64::max);
    let y_of = |rank: f64| {
        if most <= 1.0 {
            (top + bottom) / 2.0
        } else {
            top + (rank - 1.0) / (most - 1.0) * (bottom - top)
        }
    };
    let theme = Theme::new(options.dark);
    let step = font_px * 1.3;
    let left_y = spread(
        &lines.iter().map(|l| y_of(l.left)).collect::<Vec<_>>(),
        step,
    );
    let right_y = spread(
        &lines.iter().map(|l| y_of(l.right)).collect::<Vec<_>>(),
        step,
    );
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (options.width, options.height)).into_drawing_area();
        let fail = |e| ChartError::Drawing(drawing_error(e));
        root.fill(&theme.bg).map_err(fail)?;
        let centre = Pos::new(HPos::Center, VPos::Top);
        for (title, x) in [
            (&options.left_title, x_left),
            (&options.right_title, x_right),
        ] {
            // Centred over its column: as wide as the room on its outer side allows, twice.
            // Cut in the middle: titles of one data set differ at their end (the matcher).
            let title = fit_text_middle(
                title,
                font_px,
                2.0 * (x_left - MARGIN).min((x_right - x_left) / 2.0),
            );
            root.draw(&Text::new(
                title,
                (px(x), px(MARGIN)),
                theme.bold(font_px).pos(centre),
            ))
            .map_err(fail)?;
        }
        for (idx, line) in lines.iter().enumerate() {
            let colour = RGBColor(line.colour.0, line.colour.1, line.colour.2);
            let (start, end) = (
                (px(x_left), px(y_of(line.left))),
                (px(x_right), px(y_of(line.right))),
            );
            root.draw(&PathElement::new(vec![start, end], colour.stroke_width(2)))
                .map_err(fail)?;
            for point in [start, end] {
                root.draw(&Circle::new(point, 4, colour.filled()))
                    .map_err(fail)?;
            }
            let label = fit_text(&line.label, font_px, room - rank_room);
            let left = format!("{label} {}", rank_text(line.left));
            let right = format!("{} {label}", rank_text(line.right));
            let at_left = Pos::new(HPos::Right, VPos::Center);
            let at_right = Pos::new(HPos::Left, VPos::Center);
            root.draw(&Text::new(
                left,
                (px(x_left - GAP), px(left_y[idx])),
                theme.font(font_px).pos(at_left),
            ))
            .map_err(fail)?;
            root.draw(&Text::new(
                right,
                (px(x_right + GAP), px(right_y[idx])),
                theme.font(font_px).pos(at_right),
            ))
            .map_err(fail)?;
        }
        root.present().map_err(fail)?;
    }
    Ok(svg)
}

/// Around the chart, and between a column's points and their labels, in pixels.
const MARGIN: f64 = 10.0;
const GAP: f64 = 10.0;

/// A rank as a label shows it: "3", or "2.5" for a tie.
pub fn rank_text(rank: f64) -> String {
    if rank.fract() == 0.0 {
        format!("{rank:.0}")
    } else {
        format!("{rank:.1}")
    }
}

/// The label heights: each at its point's height, pushed down (in order of height, the first
/// given first when tied) until it is `step` below the one above it.
fn spread(ys: &[f64], step: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..ys.len()).collect();
    order.sort_by(|&a, &b| ys[a].total_cmp(&ys[b]).then(a.cmp(&b)));
    let mut out = ys.to_vec();
    let mut floor = f64::NEG_INFINITY;
    for idx in order {
        out[idx] = ys[idx].max(floor);
        floor = out[idx] + step;
    }
    out
}

fn px(v: f64) -> i32 {
    v.round() as i32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::svg_text::texts;

    fn line(label: &str, left: f64, right: f64) -> SlopeLine {
        SlopeLine {
            label: label.into(),
            left,
            right,
            colour: (0, 114, 178),
        }
    }

    /// Draws `lines` and returns each expected label's (x, y, anchor) as drawn.
    #[track_caller]
    fn check(lines: &[SlopeLine], expected_labels: &[(&str, &str)]) -> Vec<(f64, f64, String)> {
        let svg = slope_svg(lines, &SlopeOptions::default()).expect("a chart");
        assert_eq!(
            svg.matches("<polyline").count(),
            lines.len(),
            "a line per model"
        );
        assert_eq!(
            svg.matches("<circle").count(),
            2 * lines.len(),
            "a point at each end"
        );
        let all = texts(&svg);
        for title in ["Rank on A", "Rank on B"] {
            assert!(all.iter().any(|t| t.text == title), "{title}");
        }
        expected_labels
            .iter()
            .map(|&(text, anchor)| {
                let found = all
                    .iter()
                    .find(|t| t.text == text)
                    .unwrap_or_else(|| panic!("no label {text:?} in {all:?}"));
                assert_eq!(found.anchor, anchor, "{text}");
                (found.x, found.y, found.anchor.clone())
            })
            .collect()
    }

    #[test]
    fn ranks_go_top_down_and_labels_sit_outside_the_columns() {
        let drawn = check(
            &[
                line("atlas", 1.0, 2.0),
                line("borealis", 2.0, 1.0),
                line("cirrus", 3.0, 3.0),
            ],
            &[
                ("atlas 1", "end"),
                ("borealis 2", "end"),
                ("1 borealis", "start"),
                ("3 cirrus", "start"),
            ],
        );
        let (atlas, borealis, right_borealis, cirrus) =
            (&drawn[0], &drawn[1], &drawn[2], &drawn[3]);
        assert!(atlas.1 < borealis.1, "rank 1 above rank 2");
        assert!(
            right_borealis.1 < cirrus.1,
            "rank 1 above rank 3 on the right"
        );
        assert!(
            atlas.0 < right_borealis.0,
            "left labels left of right labels"
        );
    }

    #[test]
    fn tied_ranks_share_a_mean_rank_without_overlapping_labels() {
        let drawn = check(
            &[
                line("atlas", 1.5, 1.0),
                line("borealis", 1.5, 2.0),
                line("cirrus", 3.0, 3.0),
            ],
            &[("atlas 1.5", "end"), ("borealis 1.5", "end")],
        );
        assert!(
            (drawn[0].1 - drawn[1].1).abs() >= 13.0 * 1.3 - 1.0,
            "{drawn:?}"
        );
    }

    #[test]
    fn one_model_or_none() {
        check(
            &[line("atlas", 1.0, 1.0)],
            &[("atlas 1", "end"), ("1 atlas", "start")],
        );
        for lines in [vec![], vec![line("x", f64::NAN, 1.0)]] {
            assert!(matches!(
                slope_svg(&lines, &SlopeOptions::default()),
                Err(ChartError::Empty)
            ));
        }
    }

    #[test]
    fn labels_push_apart_in_order() {
        #[track_caller]
        fn check(ys: &[f64], expected: &[f64]) {
            assert_eq!(spread(ys, 10.0), expected, "{ys:?}");
        }
        check(&[0.0, 0.0, 0.0], &[0.0, 10.0, 20.0]);
        check(&[30.0, 0.0, 5.0], &[30.0, 0.0, 10.0]);
        check(&[0.0, 50.0], &[0.0, 50.0]);
        check(&[], &[]);
    }
}
