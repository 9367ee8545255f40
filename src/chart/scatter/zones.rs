//! The paper's shaded zones (its Figure 1): right of the OA threshold, "authentic alignment"
//! above the RC threshold and the "deceptive alignment trap" below it, each a light translucent
//! rectangle clipped to the plot, with its name inside, kept clear of the points and the mark
//! labels; the point labels then keep clear of the zones' names.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::marks::mark_font_px;
use super::range::Ranges;
use crate::chart::error::drawing_error;
use crate::chart::labels::{fit_text, text_width, Rect};
use crate::chart::theme::Theme;
use crate::engine::view::{ZoneThresholds, AUTHENTIC_ZONE, TRAP_ZONE};

/// One zone as drawn: its rectangle in pixels, clipped to the plot, and its name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Zone {
    pub rect: Rect,
    pub name: &'static str,
    /// The corner its name prefers: the one away from where the thresholds cross.
    top: bool,
    colour: (u8, u8, u8),
}

/// Room between a zone's name and the zone's edges.
const ZONE_INSET: f64 = 6.0;

/// The zones' colours (Okabe and Ito's bluish green and vermillion, as in the palette), drawn
/// light enough that the points and their whiskers stay the darkest things on the chart.
const AUTHENTIC_COLOUR: (u8, u8, u8) = (0, 158, 115);
const TRAP_COLOUR: (u8, u8, u8) = (213, 94, 0);

/// The zones of `thresholds` (x = OA, y = RC) within the visible `ranges`, in pixels: `bounds`
/// is the plot and `to_px` maps data to pixels. A zone that lies outside the ranges, or has no
/// width or height there, is left out; a threshold outside the ranges clips to the nearer edge.
pub(super) fn zone_rects(
    thresholds: ZoneThresholds,
    ranges: &Ranges,
    bounds: Rect,
    to_px: impl Fn(f64, f64) -> (f64, f64),
) -> Vec<Zone> {
    let (x, y) = (&ranges.x, &ranges.y);
    let (oa, rc) = (thresholds.oa, thresholds.rc);
    if !oa.is_finite() || !rc.is_finite() || oa >= x.end {
        return Vec::new();
    }
    // The plot's own edges where a threshold reaches them, so that a zone fills to the last pixel.
    let left = if oa <= x.start {
        bounds.left
    } else {
        to_px(oa, y.start).0
    };
    let split = match rc {
        rc if rc >= y.end => bounds.top,
        rc if rc <= y.start => bounds.bottom,
        rc => to_px(x.start, rc).1,
    };
    let zone = |top: f64, bottom: f64, name, prefers_top, colour| Zone {
        rect: Rect {
            left,
            top,
            right: bounds.right,
            bottom,
        },
        name,
        top: prefers_top,
        colour,
    };
    [
        zone(bounds.top, split, AUTHENTIC_ZONE, true, AUTHENTIC_COLOUR),
        zone(split, bounds.bottom, TRAP_ZONE, false, TRAP_COLOUR),
    ]
    .into_iter()
    .filter(|z| z.rect.right > z.rect.left && z.rect.bottom > z.rect.top)
    .collect()
}

/// Fills each zone.
pub(super) fn draw_zone_fills(
    screen: &DrawingArea<SVGBackend<'_>, Shift>,
    zones: &[Zone],
    dark: bool,
) -> Result<(), String> {
    // On a dark background a tint needs more of the colour to show at all.
    let opacity = if dark { 0.15 } else { 0.12 };
    for zone in zones {
        let (r, g, b) = zone.colour;
        let corners = [
            (zone.rect.left as i32, zone.rect.top as i32),
            (zone.rect.right as i32, zone.rect.bottom as i32),
        ];
        screen
            .draw(&Rectangle::new(
                corners,
                RGBColor(r, g, b).mix(opacity).filled(),
            ))
            .map_err(drawing_error)?;
    }
    Ok(())
}

/// Writes each zone's name inside it, clear of `taken` (points and mark labels) where it can;
/// returns the names' boxes, for the point labels to avoid. A zone too small for its name
/// gets none (the page's caption names the zones and their thresholds).
pub(super) fn draw_zone_labels(
    screen: &DrawingArea<SVGBackend<'_>, Shift>,
    theme: &Theme,
    zones: &[Zone],
    font_px: f64,
    taken: &[Rect],
) -> Result<Vec<Rect>, String> {
    let label_px = mark_font_px(font_px);
    let font = theme.muted(label_px, Pos::new(HPos::Left, VPos::Top));
    let mut boxes = Vec::new();
    for zone in zones {
        let room = zone.rect.right - zone.rect.left - 2.0 * ZONE_INSET;
        let text = fit_text(zone.name, label_px, room);
        let obstacles: Vec<Rect> = taken.iter().chain(&boxes).copied().collect();
        let Some(rect) = place_zone_label(zone, &text, label_px, &obstacles) else {
            continue;
        };
        screen
            .draw(&Text::new(
                text,
                (rect.left as i32, rect.top as i32),
                font.clone(),
            ))
            .map_err(drawing_error)?;
        boxes.push(rect);
    }
    Ok(boxes)
}

/// The box for a zone's name: its preferred corner, the other corners, then the rest of the
/// zone row by row, the first clear of `taken`; else the preferred corner over whatever is
/// there; `None` when the name does not fit in the zone (or was cut to almost nothing).
fn place_zone_label(zone: &Zone, text: &str, font_px: f64, taken: &[Rect]) -> Option<Rect> {
    let (w, h) = (text_width(text, font_px), font_px * 1.2);
    let inner = Rect {
        left: zone.rect.left + ZONE_INSET,
        top: zone.rect.top + ZONE_INSET,
        right: zone.rect.right - ZONE_INSET,
        bottom: zone.rect.bottom - ZONE_INSET,
    };
    let cut_short = text.chars().count() < MIN_LABEL_CHARS && text != zone.name;
    if inner.right - inner.left < w || inner.bottom - inner.top < h || cut_short {
        return None;
    }
    let at = |left: f64, top: f64| Rect {
        left,
        top,
        right: left + w,
        bottom: top + h,
    };
    let (near_top, near_bottom) = (inner.top, inner.bottom - h);
    let (first_row, second_row) = if zone.top {
        (near_top, near_bottom)
    } else {
        (near_bottom, near_top)
    };
    let right = inner.right - w;
    let mut candidates = vec![
        at(right, first_row),
        at(inner.left, first_row),
        at(right, second_row),
        at(inner.left, second_row),
    ];
    // The rest of the zone, a line at a time from the preferred side, right to left.
    let rows = ((inner.bottom - inner.top - h) / h).floor() as usize;
    let columns = ((inner.right - inner.left - w) / (w / 2.0)).floor() as usize;
    for row in 0..=rows {
        let top = if zone.top {
            near_top + row as f64 * h
        } else {
            near_bottom - row as f64 * h
        };
        for column in 0..=columns {
            candidates.push(at(right - column as f64 * w / 2.0, top));
        }
    }
    let free = candidates
        .iter()
        .find(|r| !taken.iter().any(|t| t.overlaps(r)));
    free.or(candidates.first()).copied()
}

/// A name cut shorter than this says nothing: the zone goes unnamed instead.
const MIN_LABEL_CHARS: usize = 6;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::scatter::{fit_ranges, scatter, ScatterOptions, ScatterPoint};
    use crate::chart::svg_text::texts;
    use crate::engine::export::FlatReport;
    use crate::engine::view::{oa_stat, AlignmentZones, ChartSettings, YFigure};

    const RANGES: Ranges = Ranges {
        x: 0.5..1.0,
        y: 0.0..0.5,
    };

    /// The plot is 500 by 500 pixels: a data unit of x is 1000 pixels, of y 1000 pixels.
    fn to_px(x: f64, y: f64) -> (f64, f64) {
        ((x - 0.5) * 1000.0, (0.5 - y) * 1000.0)
    }

    #[track_caller]
    fn check(oa: f64, rc: f64, expected: &[(&str, [f64; 4])]) {
        let bounds = Rect {
            left: 0.0,
            top: 0.0,
            right: 500.0,
            bottom: 500.0,
        };
        let zones = zone_rects(ZoneThresholds { oa, rc }, &RANGES, bounds, to_px);
        let got: Vec<(&str, [f64; 4])> = zones
            .iter()
            .map(|z| {
                let r = z.rect;
                (z.name, [r.left, r.top, r.right, r.bottom])
            })
            .collect();
        assert_eq!(got, expected, "oa {oa}, rc {rc}");
    }

    #[test]
    fn zones_clip_to_the_visible_ranges() {
        check(
            0.75,
            0.25,
            &[
                (AUTHENTIC_ZONE, [250.0, 0.0, 500.0, 250.0]),
                (TRAP_ZONE, [250.0, 250.0, 500.0, 500.0]),
            ],
        );
        // Thresholds at the ranges' edges: the whole width; one zone with no height is left out.
        check(0.5, 0.5, &[(TRAP_ZONE, [0.0, 0.0, 500.0, 500.0])]);
        check(0.5, 0.0, &[(AUTHENTIC_ZONE, [0.0, 0.0, 500.0, 500.0])]);
        // Outside the ranges: clipped to the nearer edge, or nothing right of an OA too high.
        check(0.2, -3.0, &[(AUTHENTIC_ZONE, [0.0, 0.0, 500.0, 500.0])]);
        check(0.75, 9.0, &[(TRAP_ZONE, [250.0, 0.0, 500.0, 500.0])]);
        check(1.0, 0.25, &[]);
        check(1.5, 0.25, &[]);
        check(f64::NAN, 0.25, &[]);
    }

    #[test]
    fn zone_names_keep_clear_of_what_is_taken() {
        let zone = |top: bool| Zone {
            rect: Rect {
                left: 100.0,
                top: 0.0,
                right: 500.0,
                bottom: 200.0,
            },
            name: AUTHENTIC_ZONE,
            top,
            colour: AUTHENTIC_COLOUR,
        };
        let place = |zone: &Zone, taken: &[Rect]| {
            place_zone_label(zone, zone.name, 11.0, taken).expect("room for the name")
        };
        let free = place(&zone(true), &[]);
        assert_eq!((free.right, free.top), (494.0, 6.0), "top right: {free:?}");
        let free = place(&zone(false), &[]);
        assert_eq!(
            (free.right, free.bottom),
            (494.0, 194.0),
            "bottom right: {free:?}"
        );
        // Points in all four corners: the name goes elsewhere inside the zone, clear of them.
        let dot = |x: f64, y: f64| Rect {
            left: x - 5.0,
            top: y - 5.0,
            right: x + 5.0,
            bottom: y + 5.0,
        };
        let taken = [
            dot(480.0, 12.0),
            dot(110.0, 12.0),
            dot(480.0, 190.0),
            dot(110.0, 190.0),
        ];
        let moved = place(&zone(true), &taken);
        assert!(moved.inside(&zone(true).rect), "{moved:?}");
        assert!(!taken.iter().any(|t| t.overlaps(&moved)), "{moved:?}");
        // A zone too small for its name gets none.
        let small = Zone {
            rect: Rect {
                left: 100.0,
                top: 0.0,
                right: 130.0,
                bottom: 200.0,
            },
            ..zone(true)
        };
        let cut = fit_text(small.name, 11.0, 18.0);
        assert_eq!(place_zone_label(&small, &cut, 11.0, &[]), None);
    }

    /// Three models as the page would chart them, with F1 beside RC.
    fn rows() -> Vec<FlatReport> {
        [
            ("atlas-large", 0.78, 0.41),
            ("atlas-mini", 0.72, 0.21),
            ("borealis", 0.65, 0.3),
        ]
        .map(|(model, oa, rc)| FlatReport {
            model: model.into(),
            oa: Some(oa),
            rc: Some(rc),
            f1: Some(rc + 0.1),
            ap_paper: Some(rc - 0.1),
            ..FlatReport::default()
        })
        .to_vec()
    }

    /// The points of `rows()` with `y` on the y axis.
    fn points(y: YFigure) -> Vec<ScatterPoint> {
        rows()
            .iter()
            .map(|r| ScatterPoint {
                label: r.model.clone(),
                x: oa_stat(r).expect("oa"),
                y: y.stat(r).expect("y"),
                colour: (0, 114, 178),
            })
            .collect()
    }

    /// A zone's fill: its colour and `[x, y, width, height]`.
    type Fill = (String, [f64; 4]);

    /// What the chart of `rows()` shows with `zones` and `y`: the zones' names among its texts,
    /// each zone's fill, and the plot as `[x, y, width, height]`.
    fn drawn(zones: AlignmentZones, y: YFigure) -> (Vec<String>, Vec<Fill>, [f64; 4]) {
        let settings = ChartSettings {
            y,
            zones,
            ..ChartSettings::default()
        };
        let rows = rows();
        let chart = scatter(
            &points(y),
            &ScatterOptions::for_settings(&settings, &rows, false),
        )
        .expect("a chart");
        let names = texts(&chart.svg)
            .into_iter()
            .map(|t| t.text)
            .filter(|t| [AUTHENTIC_ZONE, TRAP_ZONE].contains(&t.as_str()))
            .collect();
        let fills = chart
            .svg
            .split("<rect ")
            .skip(1)
            .filter(|r| r.contains("opacity=\"0.12\""))
            .map(|r| {
                let attr = |name: &str| {
                    let start = r.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
                    let len = r[start..].find('"').expect(name);
                    r[start..start + len].to_string()
                };
                let number = |name: &str| attr(name).parse::<f64>().expect(name);
                (
                    attr("fill"),
                    [number("x"), number("y"), number("width"), number("height")],
                )
            })
            .collect();
        let (l, t, r, b) = chart.plot_px;
        (names, fills, [l, t, r - l, b - t])
    }

    fn on(oa: Option<f64>, rc: Option<f64>) -> AlignmentZones {
        AlignmentZones { show: true, oa, rc }
    }

    const GREEN: &str = "#009E73";
    const ORANGE: &str = "#D55E00";

    #[test]
    fn the_chart_shades_and_names_the_zones_only_when_asked() {
        let (names, fills, plot) = drawn(on(None, None), YFigure::Rc);
        assert_eq!(names, [AUTHENTIC_ZONE, TRAP_ZONE]);
        let colours: Vec<&str> = fills.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(colours, [GREEN, ORANGE]);
        // Right of the median OA (0.72, a model's), to the plot's right edge; the two meet at
        // the median RC (0.30) and together reach from the plot's top to its bottom.
        let [a, t] = [fills[0].1, fills[1].1];
        assert!(
            a[0] > plot[0] && a[0] < plot[0] + plot[2],
            "{a:?} in {plot:?}"
        );
        assert_eq!(a[0] + a[2], plot[0] + plot[2]);
        assert_eq!((a[0], a[2]), (t[0], t[2]));
        assert_eq!(
            (a[1], a[1] + a[3], t[1] + t[3]),
            (plot[1], t[1], plot[1] + plot[3])
        );

        for (zones, y) in [
            (AlignmentZones::default(), YFigure::Rc),
            // Zones off, thresholds typed: still nothing.
            (
                AlignmentZones {
                    show: false,
                    ..on(Some(0.7), Some(0.3))
                },
                YFigure::Rc,
            ),
            // Another figure on the y axis: the zones mean nothing there.
            (on(None, None), YFigure::F1),
            (on(Some(0.7), Some(0.3)), YFigure::ApPaper),
        ] {
            let (names, fills, _) = drawn(zones, y);
            assert!(
                names.is_empty() && fills.is_empty(),
                "{zones:?} {y:?}: {names:?}"
            );
        }
    }

    #[test]
    fn the_chart_clips_the_zones_to_its_ranges() {
        let ranges = fit_ranges(&points(YFigure::Rc), &[]);
        #[track_caller]
        fn check(oa: f64, rc: f64, expected: &[&str]) {
            let (names, fills, plot) = drawn(on(Some(oa), Some(rc)), YFigure::Rc);
            assert_eq!(names, expected, "oa {oa}, rc {rc}");
            assert_eq!(fills.len(), expected.len(), "oa {oa}, rc {rc}");
            for (_, fill) in &fills {
                let inside = fill[0] >= plot[0]
                    && fill[1] >= plot[1]
                    && fill[0] + fill[2] <= plot[0] + plot[2]
                    && fill[1] + fill[3] <= plot[1] + plot[3];
                assert!(inside, "oa {oa}, rc {rc}: {fill:?} outside {plot:?}");
            }
            // A zone alone takes the whole height, from the OA threshold on.
            if let [(_, fill)] = fills.as_slice() {
                assert_eq!((fill[1], fill[3]), (plot[1], plot[3]), "oa {oa}, rc {rc}");
            }
        }
        let (x, y) = (ranges.x.clone(), ranges.y.clone());
        // At the ranges' edges.
        check(x.start, y.end, &[TRAP_ZONE]);
        check(x.start, y.start, &[AUTHENTIC_ZONE]);
        check(x.end, 0.3, &[]);
        // Outside them: clipped, or nothing right of an OA past the right edge.
        check(x.start - 0.5, y.end + 0.5, &[TRAP_ZONE]);
        check(0.7, y.start - 0.5, &[AUTHENTIC_ZONE]);
        check(x.end + 0.1, 0.3, &[]);
        let (_, fills, plot) = drawn(on(Some(x.start - 0.5), Some(y.end + 0.5)), YFigure::Rc);
        assert_eq!(
            (fills[0].1[0], fills[0].1[2]),
            (plot[0], plot[2]),
            "the whole width"
        );
    }
}
