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
    fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    fn inside(&self, bounds: &Rect) -> bool {
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

/// Chooses a box for each label. `points` are pixel centres; `bounds` is the plotting area.
pub fn place_labels(
    points: &[(f64, f64)],
    labels: &[String],
    font_px: f64,
    point_radius: f64,
    bounds: Rect,
) -> Vec<Placement> {
    let mut taken: Vec<Rect> = points
        .iter()
        .map(|&(x, y)| Rect {
            left: x - point_radius,
            top: y - point_radius,
            right: x + point_radius,
            bottom: y + point_radius,
        })
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
        let labels: Vec<String> = (0..points.len()).map(|i| format!("model-{i}")).collect();
        let placed = place_labels(points, &labels, 12.0, 5.0, BOUNDS);
        for (i, a) in placed.iter().enumerate() {
            assert!(a.rect.inside(&BOUNDS), "label {i} leaves the plot: {a:?}");
            for (j, b) in placed.iter().enumerate().skip(i + 1) {
                assert!(!a.rect.overlaps(&b.rect), "labels {i} and {j} overlap");
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
}
