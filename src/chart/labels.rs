//! Places point labels so that they overlap neither each other nor the points.
//!
//! Greedy, in a fixed order of candidate positions around each point: good enough for the tens
//! of models a chart holds, and deterministic, so a chart looks the same every time.

/// A rectangle in pixels: left, top, right, bottom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Rect {
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    pub fn inside(&self, bounds: &Rect) -> bool {
        self.left >= bounds.left
            && self.right <= bounds.right
            && self.top >= bounds.top
            && self.bottom <= bounds.bottom
    }
}

/// Where a label goes: its box, and whether it needed a leader line back to its point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    pub rect: Rect,
    pub leader: bool,
}

/// Estimated width of a text in pixels (proportional fonts average about 0.6 em a character).
pub fn text_width(text: &str, font_px: f64) -> f64 {
    text.chars().count() as f64 * font_px * 0.6
}

/// The text, cut with an ellipsis where it would be wider than `max_px` (a long axis title or
/// mark label in a narrow panel of small multiples).
pub fn fit_text(text: &str, font_px: f64, max_px: f64) -> String {
    let fits = fitting_chars(font_px, max_px);
    if text.chars().count() <= fits {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(fits - 1).collect();
    cut.push('…');
    cut
}

/// The text, cut in its middle with an ellipsis where it would be wider than `max_px`: for
/// names whose end tells them apart (`dataset.jsonl · judge-a` and `· judge-b`).
pub fn fit_text_middle(text: &str, font_px: f64, max_px: f64) -> String {
    let fits = fitting_chars(font_px, max_px);
    let n = text.chars().count();
    if n <= fits {
        return text.to_string();
    }
    let kept = fits - 1;
    let tail = kept / 2;
    let head: String = text.chars().take(kept - tail).collect();
    let end: String = text.chars().skip(n - tail).collect();
    format!("{head}…{end}")
}

/// How many characters fit in `max_px` (at least one). Counted with a little slack, so that
/// a room computed as some text's width (less another's) holds that text despite rounding.
fn fitting_chars(font_px: f64, max_px: f64) -> usize {
    (max_px / text_width("m", font_px) + 1e-9).floor().max(1.0) as usize
}

/// Chooses a box for each label. `points` are pixel centres; `bounds` is the plotting area.
pub fn place_labels(
    points: &[(f64, f64)],
    labels: &[String],
    font_px: f64,
    point_radius: f64,
    bounds: Rect,
) -> Vec<Placement> {
    place_labels_avoiding(points, labels, font_px, point_radius, bounds, &[])
}

/// As [`place_labels`], keeping clear of `obstacles` too: boxes already drawn on the chart,
/// such as the labels of reference marks.
pub fn place_labels_avoiding(
    points: &[(f64, f64)],
    labels: &[String],
    font_px: f64,
    point_radius: f64,
    bounds: Rect,
    obstacles: &[Rect],
) -> Vec<Placement> {
    let mut taken: Vec<Rect> = points
        .iter()
        .map(|&(x, y)| Rect {
            left: x - point_radius,
            top: y - point_radius,
            right: x + point_radius,
            bottom: y + point_radius,
        })
        .chain(obstacles.iter().copied())
        .collect();
    let mut out = Vec::with_capacity(points.len());
    for (&(x, y), label) in points.iter().zip(labels) {
        let w = text_width(label, font_px);
        let h = font_px * 1.2;
        let gap = point_radius + 3.0;
        let candidates = candidates(x, y, w, h, gap);
        let free = candidates
            .iter()
            .find(|(rect, _)| rect.inside(&bounds) && !taken.iter().any(|t| t.overlaps(rect)))
            .copied();
        let (rect, leader) = free.unwrap_or_else(|| clamp_into(candidates[0].0, &bounds));
        taken.push(rect);
        out.push(Placement { rect, leader });
    }
    out
}

/// Right, left, above, below, the four diagonals, then the same farther out (with a leader).
fn candidates(x: f64, y: f64, w: f64, h: f64, gap: f64) -> Vec<(Rect, bool)> {
    let mut list = Vec::new();
    for (step, leader) in [(gap, false), (gap + h * 1.5, true), (gap + h * 3.0, true)] {
        let offsets = [
            (step, -h / 2.0),
            (-step - w, -h / 2.0),
            (-w / 2.0, -step - h),
            (-w / 2.0, step),
            (step * 0.7, -step * 0.7 - h),
            (-step * 0.7 - w, -step * 0.7 - h),
            (step * 0.7, step * 0.7),
            (-step * 0.7 - w, step * 0.7),
        ];
        for (dx, dy) in offsets {
            let rect = Rect {
                left: x + dx,
                top: y + dy,
                right: x + dx + w,
                bottom: y + dy + h,
            };
            list.push((rect, leader));
        }
    }
    list
}

fn clamp_into(rect: Rect, bounds: &Rect) -> (Rect, bool) {
    let w = rect.right - rect.left;
    let h = rect.bottom - rect.top;
    let left = rect.left.min(bounds.right - w).max(bounds.left);
    let top = rect.top.min(bounds.bottom - h).max(bounds.top);
    (
        Rect {
            left,
            top,
            right: left + w,
            bottom: top + h,
        },
        true,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: Rect = Rect {
        left: 0.0,
        top: 0.0,
        right: 600.0,
        bottom: 400.0,
    };

    #[track_caller]
    fn check(points: &[(f64, f64)]) -> Vec<Placement> {
        check_avoiding(points, &[])
    }

    #[track_caller]
    fn check_avoiding(points: &[(f64, f64)], obstacles: &[Rect]) -> Vec<Placement> {
        let labels: Vec<String> = (0..points.len()).map(|i| format!("model-{i}")).collect();
        let placed = place_labels_avoiding(points, &labels, 12.0, 5.0, BOUNDS, obstacles);
        for (i, a) in placed.iter().enumerate() {
            assert!(a.rect.inside(&BOUNDS), "label {i} leaves the plot: {a:?}");
            for (j, b) in placed.iter().enumerate().skip(i + 1) {
                assert!(!a.rect.overlaps(&b.rect), "labels {i} and {j} overlap");
            }
            for o in obstacles {
                assert!(!a.rect.overlaps(o), "label {i} covers {o:?}");
            }
        }
        placed
    }

    #[test]
    fn a_lone_point_gets_its_label_on_the_right() {
        let placed = check(&[(100.0, 100.0)]);
        assert!(placed[0].rect.left > 100.0 && !placed[0].leader);
    }

    #[test]
    fn crowded_points_get_separate_labels() {
        check(&[
            (300.0, 200.0),
            (302.0, 201.0),
            (305.0, 199.0),
            (298.0, 203.0),
            (301.0, 196.0),
        ]);
    }

    #[test]
    fn labels_near_the_edge_stay_inside() {
        let placed = check(&[(595.0, 5.0), (5.0, 395.0)]);
        assert!(placed[0].rect.right <= 600.0);
    }

    #[test]
    fn labels_keep_clear_of_obstacles() {
        // A mark label right where the first choice (to the right) would go.
        let obstacle = Rect {
            left: 108.0,
            top: 90.0,
            right: 300.0,
            bottom: 110.0,
        };
        let placed = check_avoiding(&[(100.0, 100.0), (120.0, 130.0)], &[obstacle]);
        assert!(placed[0].rect.right <= 100.0 || placed[0].rect.bottom <= 90.0);
    }

    #[test]
    fn long_texts_are_cut_to_fit() {
        // At 10 px a character is estimated at 6 px.
        for (text, max, expected) in [
            ("short", 100.0, "short"),
            ("abcdef", 36.0, "abcdef"),
            ("abcdefghijkl", 30.0, "abcd…"),
            ("abcdefghijkl", 3.0, "…"),
            // A room of seven characters at 13 px, got as a difference of widths.
            ("model-a", (7.0 * 7.8 + 39.0) - 39.0, "model-a"),
        ] {
            let font = if text == "model-a" { 13.0 } else { 10.0 };
            let cut = fit_text(text, font, max);
            assert_eq!(cut, expected, "{text} in {max} px");
        }
        for (text, max, expected) in [
            ("short", 100.0, "short"),
            ("abcdefghijkl", 30.0, "ab…kl"),
            ("abcdefghijkl", 36.0, "abc…kl"),
            ("abcdefghijkl", 3.0, "…"),
            ("d.jsonl · judge-a", 60.0, "d.jso…ge-a"),
        ] {
            assert_eq!(
                fit_text_middle(text, 10.0, max),
                expected,
                "{text} in {max} px"
            );
        }
    }
}
