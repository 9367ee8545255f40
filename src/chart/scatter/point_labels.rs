//! The models' names beside their points, kept clear of each other, of the mark labels and of
//! the zones' names, with a leader line when a name had to move away from its point.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::points::POINT_RADIUS;
use crate::chart::error::drawing_error;
use crate::chart::labels::{place_labels_avoiding, Rect};
use crate::chart::theme::Theme;

/// Draws `labels[i]` near `centres[i]`, avoiding `taken` (the mark labels and zone names).
pub(super) fn draw_point_labels(
    screen: &DrawingArea<SVGBackend<'_>, Shift>,
    theme: &Theme,
    centres: &[(f64, f64)],
    labels: &[String],
    font_px: f64,
    bounds: Rect,
    taken: &[Rect],
) -> Result<(), String> {
    let font = theme.font(font_px);
    let placed = place_labels_avoiding(
        centres,
        labels,
        font_px,
        f64::from(POINT_RADIUS),
        bounds,
        taken,
    );
    for ((label, place), &(cx, cy)) in labels.iter().zip(&placed).zip(centres) {
        let (left, top) = (place.rect.left as i32, place.rect.top as i32);
        if place.leader {
            let mid_y = ((place.rect.top + place.rect.bottom) / 2.0) as i32;
            let near_x = if place.rect.left > cx {
                left
            } else {
                place.rect.right as i32
            };
            screen
                .draw(&PathElement::new(
                    vec![(cx as i32, cy as i32), (near_x, mid_y)],
                    theme.grid.stroke_width(1),
                ))
                .map_err(drawing_error)?;
        }
        screen
            .draw(&Text::new(label.clone(), (left, top), font.clone()))
            .map_err(drawing_error)?;
    }
    Ok(())
}
