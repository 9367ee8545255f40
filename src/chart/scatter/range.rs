//! The axis ranges of a scatter: every interval and every mark inside, padded, and always a
//! finite, readable range, whatever the figures.

use std::ops::Range;

use super::options::ScatterPoint;
use crate::engine::summary::Stat;
use crate::engine::view::PaperMark;

/// The farthest from 0 an axis reaches. Figures are shares in 0..1, so a value beyond this is
/// damage (a hand-made share link, say): it is drawn at the edge instead of stretching the axis
/// to where no tick fits (plotters' tick search never ends on an infinite range).
pub const AXIS_LIMIT: f64 = 1e6;

/// The narrowest span of data an axis shows: equal values get this much room around them, so
/// that the ticks differ and the point sits in the middle rather than in a corner.
pub const MIN_SPAN: f64 = 0.05;

/// The data ranges of both axes.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranges {
    pub x: Range<f64>,
    pub y: Range<f64>,
}

impl Ranges {
    /// The point with every figure moved inside the ranges: a point beyond [`AXIS_LIMIT`] is
    /// drawn at the edge of the plot rather than millions of pixels away.
    pub fn hold(&self, point: &ScatterPoint) -> ScatterPoint {
        let inside = |s: Stat, range: &Range<f64>| {
            let at = |v: f64| v.clamp(range.start, range.end);
            Stat {
                mean: at(s.mean),
                lo: at(s.lo),
                hi: at(s.hi),
            }
        };
        ScatterPoint {
            x: inside(point.x, &self.x),
            y: inside(point.y, &self.y),
            ..point.clone()
        }
    }
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
///
/// The range is always finite and at least [`MIN_SPAN`] wide: NaN is left out, values beyond
/// [`AXIS_LIMIT`] count as the limit, and no data at all gives 0..1. When 0 or 1 cuts the
/// padding off one side, the range moves inward to keep its width.
pub fn fit_axis(stats: impl Iterator<Item = Stat>) -> Range<f64> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in stats.flat_map(|s| [s.lo, s.mean, s.hi]) {
        if !v.is_nan() {
            let v = v.clamp(-AXIS_LIMIT, AXIS_LIMIT);
            (lo, hi) = (lo.min(v), hi.max(v));
        }
    }
    if lo > hi {
        return 0.0..1.0;
    }
    let (floor, ceil) = (lo.min(0.0), hi.max(1.0));
    let (mut start, mut end) = (lo, hi);
    if end - start < MIN_SPAN {
        let centre = start / 2.0 + end / 2.0;
        (start, end) = (centre - MIN_SPAN / 2.0, centre + MIN_SPAN / 2.0);
    }
    let pad = (end - start) * 0.08;
    let width = end - start + 2.0 * pad;
    if width >= ceil - floor {
        return floor..ceil;
    }
    let start = (start - pad).max(floor).min(ceil - width);
    // `start + width` can round to just below `hi` when the range ends at it (found by the
    // fuzz command: 891622.8516698588 outside ..891622.8516698587).
    start..(start + width).max(hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::multiples::{small_multiples_svg, Panel};
    use crate::chart::scatter::{scatter, ScatterOptions};
    use crate::chart::svg_text::texts;
    use crate::engine::view::PAPER_MARKS;

    /// Wild inputs, property style: this many random cases, drawn from [`WILD`], each run.
    const N_CASES: usize = 256;

    /// Values a damaged link or a broken file could give an axis.
    const WILD: [f64; 18] = [
        0.0,
        1.0,
        0.25,
        -0.0,
        1e-300,
        -1e-300,
        1e308,
        -1e308,
        f64::MAX,
        f64::MIN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        0.5 + 1e-15,
        AXIS_LIMIT,
        -AXIS_LIMIT,
        AXIS_LIMIT - 0.01,
        123_456.789,
    ];

    /// A small generator (so the test needs no crate): wild values half the time, ordinary
    /// shares the other half, and intervals as they come (reversed, too).
    struct Wild(u64);

    impl Wild {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) as usize % n
        }

        fn value(&mut self) -> f64 {
            if self.below(2) == 0 {
                WILD[self.below(WILD.len())]
            } else {
                self.below(1001) as f64 / 1000.0
            }
        }

        fn stat(&mut self) -> Stat {
            Stat {
                mean: self.value(),
                lo: self.value(),
                hi: self.value(),
            }
        }

        fn points(&mut self) -> Vec<ScatterPoint> {
            (0..1 + self.below(4))
                .map(|i| ScatterPoint {
                    label: format!("m{i}"),
                    x: self.stat(),
                    y: self.stat(),
                    colour: (0, 114, 178),
                })
                .collect()
        }
    }

    /// The range is finite, at least [`MIN_SPAN`] wide, and holds every value it can show.
    #[track_caller]
    fn check(stats: &[Stat]) {
        let range = fit_axis(stats.iter().copied());
        let context = format!("{stats:?} -> {range:?}");
        assert!(
            range.start.is_finite() && range.end.is_finite(),
            "{context}"
        );
        assert!(range.end - range.start >= MIN_SPAN, "{context}");
        for v in stats.iter().flat_map(|s| [s.lo, s.mean, s.hi]) {
            if !v.is_nan() {
                let v = v.clamp(-AXIS_LIMIT, AXIS_LIMIT);
                assert!(range.start <= v && v <= range.end, "{v} in {context}");
            }
        }
    }

    fn at(v: f64) -> Stat {
        Stat {
            mean: v,
            lo: v,
            hi: v,
        }
    }

    /// The tick labels of a drawn chart: its texts that read as numbers, one list for the x
    /// axis (centred under their ticks) and one for the y axis (ending at the axis).
    fn ticks(svg: &str) -> [Vec<String>; 2] {
        let all = texts(svg);
        ["middle", "end"].map(|anchor| {
            all.iter()
                .filter(|t| t.anchor == anchor && t.text.parse::<f64>().is_ok())
                .map(|t| t.text.clone())
                .collect()
        })
    }

    #[test]
    fn wild_values_give_finite_ranges_that_hold_the_data() {
        let mut wild = Wild(12);
        for _ in 0..N_CASES {
            let stats: Vec<Stat> = (0..1 + wild.below(4)).map(|_| wild.stat()).collect();
            check(&stats);
        }
        for v in WILD {
            check(&[at(v)]);
        }
        check(&[]);
        check(&[at(f64::NAN)]);
    }

    #[test]
    fn wild_points_draw_and_finish() {
        let mut wild = Wild(34);
        let options = ScatterOptions {
            marks: PAPER_MARKS.to_vec(),
            ..ScatterOptions::default()
        };
        for _ in 0..N_CASES {
            let points = wild.points();
            let chart = scatter(&points, &options).expect("a chart of any figures");
            assert!(chart.svg.ends_with("</svg>\n") || chart.svg.ends_with("</svg>"));
            let (left, top, right, bottom) = chart.plot_px;
            for &(x, y) in &chart.points_px {
                assert!(
                    (left..=right).contains(&x) || x == 0.0,
                    "{x} in {left}..{right}"
                );
                assert!(
                    (top..=bottom).contains(&y) || y == 0.0,
                    "{y} in {top}..{bottom}"
                );
            }
        }
        let panels: Vec<Panel> = (0..3)
            .map(|i| Panel {
                title: format!("group {i}"),
                points: wild.points(),
            })
            .collect();
        assert!(small_multiples_svg(&panels, &options, 2).is_ok());
    }

    #[test]
    fn row1_share_link_with_huge_interval_draws_a_finite_chart() {
        let point = ScatterPoint {
            label: "m".into(),
            x: Stat {
                mean: 0.7,
                lo: -1e308,
                hi: 1e308,
            },
            y: Stat {
                mean: 0.4,
                lo: f64::NEG_INFINITY,
                hi: f64::INFINITY,
            },
            colour: (0, 114, 178),
        };
        let ranges = fit_ranges([&point], &[]);
        assert_eq!(ranges.x, -AXIS_LIMIT..AXIS_LIMIT);
        assert_eq!(ranges.y, -AXIS_LIMIT..AXIS_LIMIT);
        let chart = scatter(&[point], &ScatterOptions::default()).expect("a chart");
        for ticks in ticks(&chart.svg) {
            assert!(
                ticks.len() >= 4 && ticks.iter().all(|t| t.len() < 16),
                "{ticks:?}"
            );
        }
    }

    #[test]
    fn fuzz_a_range_ending_at_its_largest_value_holds_it() {
        check(&[at(718_414.450_458_893_6), at(891_622.851_669_858_8)]);
        check(&[at(0.3), at(AXIS_LIMIT - 0.01), at(AXIS_LIMIT)]);
    }

    #[test]
    fn row9_equal_values_get_a_padded_axis() {
        for v in [0.25, 0.0, 1.0, 0.5, 1e-9] {
            let range = fit_axis([at(v), at(v)].into_iter());
            assert!(range.end - range.start >= MIN_SPAN, "{v}: {range:?}");
            // Off the corner: the value is at least a tenth of the range from either end,
            // unless that end is 0 or 1, which the range does not cross for shares.
            let room = (range.end - range.start) / 10.0;
            assert!(
                range.start + room <= v || range.start == 0.0,
                "{v}: {range:?}"
            );
            assert!(v + room <= range.end || range.end == 1.0, "{v}: {range:?}");
        }
        let range = fit_axis([at(0.25)].into_iter());
        assert!(
            (range.start + range.end) / 2.0 - 0.25 < 1e-12,
            "centred: {range:?}"
        );
        // Drawn, every tick reads differently, in the chart and in breakdown panels.
        let point = |label: &str, v: f64| ScatterPoint {
            label: label.into(),
            x: at(v),
            y: at(v),
            colour: (0, 114, 178),
        };
        for v in [0.25, 1.0] {
            let options = ScatterOptions::default();
            let chart = scatter(&[point("a", v), point("b", v)], &options).expect("a chart");
            let panels = [Panel {
                title: "all".into(),
                points: vec![point("a", v)],
            }];
            let multiples = small_multiples_svg(&panels, &options, 3).expect("panels");
            for ticks in [ticks(&chart.svg), ticks(&multiples)].concat() {
                let mut distinct = ticks.clone();
                distinct.sort();
                distinct.dedup();
                assert!(ticks.len() >= 4, "{v}: {ticks:?}");
                assert_eq!(distinct.len(), ticks.len(), "{v}: {ticks:?}");
            }
        }
    }
}
