//! The paper's reference marks: dashed lines across the plot, each with a small label at its
//! right end, placed before the point labels so that those keep clear of them.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::chart::error::drawing_error;
use crate::chart::labels::{fit_text, text_width, Rect};
use crate::chart::theme::Theme;
use crate::engine::view::PaperMark;

/// Room between a mark label and the plot's right edge, and between two mark labels.
const MARK_INSET: f64 = 4.0;
/// Room between a mark label and its line.
const MARK_GAP: f64 = 2.0;

/// Draws each mark's line at pixel row `ys[i]` and its label; returns the labels' boxes.
pub(super) fn draw_marks(
    screen: &DrawingArea<SVGBackend<'_>, Shift>,
    theme: &Theme,
    marks: &[PaperMark],
    ys: &[f64],
    font_px: f64,
    bounds: Rect,
) -> Result<Vec<Rect>, String> {
    let mark_px = mark_font_px(font_px);
    let texts: Vec<String> = marks
        .iter()
        .map(|m| {
            fit_text(
                m.label,
                mark_px,
                bounds.right - bounds.left - 2.0 * MARK_INSET,
            )
        })
        .collect();
    let boxes = place_mark_labels(ys, &texts, mark_px, bounds);
    let font = theme.muted(mark_px, Pos::new(HPos::Right, VPos::Top));
    let (left, right) = (bounds.left as i32, bounds.right as i32);
    for ((&y, text), rect) in ys.iter().zip(&texts).zip(&boxes) {
        let y = y as i32;
        screen
            .draw(&DashedPathElement::new(
                vec![(left, y), (right, y)],
                6,
                4,
                theme.muted.stroke_width(1),
            ))
            .map_err(drawing_error)?;
        screen
            .draw(&Text::new(
                text.clone(),
                (rect.right as i32, rect.top as i32),
                font.clone(),
            ))
            .map_err(drawing_error)?;
    }
    Ok(boxes)
}

/// Mark labels (and the zones' names) are small: they annotate, the data speaks.
pub(super) fn mark_font_px(font_px: f64) -> f64 {
    (font_px * 0.85).round().max(8.0)
}

/// Boxes for the mark labels, right-aligned at the plot's right end, above their line; when
/// that is taken (marks close together) or outside the plot, below it, then left of a label
/// in the way. Deterministic, like the point labels.
fn place_mark_labels(ys: &[f64], texts: &[String], font_px: f64, bounds: Rect) -> Vec<Rect> {
    let h = font_px * 1.2;
    let mut placed: Vec<Rect> = Vec::with_capacity(ys.len());
    for (&y, text) in ys.iter().zip(texts) {
        let w = text_width(text, font_px);
        let at = |right: f64, top: f64| Rect {
            left: right - w,
            top,
            right,
            bottom: top + h,
        };
        let (above, below) = (y - MARK_GAP - h, y + MARK_GAP);
        let mut candidates = vec![
            at(bounds.right - MARK_INSET, above),
            at(bounds.right - MARK_INSET, below),
        ];
        for p in &placed {
            candidates.push(at(p.left - MARK_INSET, above));
            candidates.push(at(p.left - MARK_INSET, below));
        }
        let free = candidates
            .iter()
            .find(|r| r.inside(&bounds) && !placed.iter().any(|p| p.overlaps(r)));
        let inside = candidates.iter().find(|r| r.inside(&bounds));
        let chosen = free.or(inside).copied().unwrap_or(candidates[0]);
        placed.push(chosen);
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mark_labels_stack_when_their_lines_are_close() {
        let bounds = Rect {
            left: 0.0,
            top: 0.0,
            right: 400.0,
            bottom: 300.0,
        };
        #[track_caller]
        fn check(ys: &[f64], bounds: Rect) -> Vec<Rect> {
            let texts: Vec<String> = ys.iter().map(|y| format!("mark at {y}")).collect();
            let boxes = place_mark_labels(ys, &texts, 11.0, bounds);
            for (i, a) in boxes.iter().enumerate() {
                assert!(a.inside(&bounds), "{a:?}");
                for b in &boxes[i + 1..] {
                    assert!(!a.overlaps(b), "{a:?} and {b:?}");
                }
            }
            boxes
        }
        let boxes = check(&[100.0], bounds);
        assert!(
            boxes[0].bottom <= 100.0 && boxes[0].right == 396.0,
            "above, at the right"
        );
        let boxes = check(&[2.0], bounds);
        assert!(boxes[0].top >= 2.0, "below when above leaves the plot");
        check(&[100.0, 104.0, 108.0], bounds);
        check(&[0.0, 300.0], bounds);
    }
}
