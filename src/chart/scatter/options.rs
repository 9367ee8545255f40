//! What the scatter takes (points and options) and what it gives back (the SVG and where its
//! points landed).

use crate::engine::export::FlatReport;
use crate::engine::summary::Stat;
use crate::engine::view::{ChartSettings, PaperMark, YFigure, ZoneThresholds, PAPER_MARKS};

/// One model on the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterPoint {
    pub label: String,
    pub x: Stat,
    pub y: Stat,
    pub colour: (u8, u8, u8),
}

/// Size, axis titles, colours, reference marks, zones and title of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterOptions {
    pub width: u32,
    pub height: u32,
    pub x_label: String,
    pub y_label: String,
    pub font_px: u32,
    pub dark: bool,
    /// Dashed horizontal lines at `y = mark.rc`, labelled at their right end; the y range
    /// grows to include every mark.
    pub marks: Vec<PaperMark>,
    /// The paper's alignment zones, shaded right of `oa` above and below `rc` and clipped to
    /// the ranges (which they do not widen). Only for x = OA and y = RC: the caller decides.
    pub zones: Option<ZoneThresholds>,
    /// Drawn centred at the top (small multiples give each panel its own instead).
    pub title: Option<String>,
}

impl ScatterOptions {
    /// The headline chart's options for the user's `settings` over `rows` (the models
    /// shown): the y axis's title, the paper's marks and the zones only where they mean
    /// something, which is with RC on the y axis (x is always OA).
    pub fn for_settings(settings: &ChartSettings, rows: &[FlatReport], dark: bool) -> Self {
        let marks = if settings.paper_marks && settings.y == YFigure::Rc {
            PAPER_MARKS.to_vec()
        } else {
            Vec::new()
        };
        ScatterOptions {
            y_label: settings.y.title().into(),
            dark,
            marks,
            zones: settings.zones.thresholds(settings.y, rows),
            ..ScatterOptions::default()
        }
    }
}

/// A drawn chart and where its points landed, so that the page can lay focusable HTML over
/// them. Pixels are in the SVG's own coordinates (`width` by `height`, origin top left).
#[derive(Clone, Debug, PartialEq)]
pub struct Scatter {
    pub svg: String,
    pub width: u32,
    pub height: u32,
    /// The centre of each point, in input order.
    pub points_px: Vec<(f64, f64)>,
    /// The plotting area: left, top, right, bottom.
    pub plot_px: (f64, f64, f64, f64),
}

/// What an empty panel says.
pub const EMPTY_PANEL: &str = "no model with both figures";

impl Default for ScatterOptions {
    fn default() -> Self {
        ScatterOptions {
            width: 760,
            height: 480,
            x_label: "Outcome accuracy (OA)".into(),
            y_label: "Rationale consistency (RC, one-to-one recall)".into(),
            font_px: 13,
            dark: false,
            marks: Vec::new(),
            zones: None,
            title: None,
        }
    }
}
