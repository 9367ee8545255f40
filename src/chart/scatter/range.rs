//! The axis ranges of a scatter: every interval and every mark inside, padded.

use std::ops::Range;

use super::options::ScatterPoint;
use crate::engine::summary::Stat;
use crate::engine::view::PaperMark;

/// The data ranges of both axes.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranges {
    pub x: Range<f64>,
    pub y: Range<f64>,
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
