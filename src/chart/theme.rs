//! Colours and text styles shared by every chart, in light and dark mode.

use plotters::prelude::*;
use plotters::style::text_anchor::Pos;

/// The colours of a chart: text and axes, background, grid lines, and muted annotations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    pub fg: RGBColor,
    pub bg: RGBColor,
    pub grid: RGBColor,
    /// Reference marks and messages: visible, but quieter than the data.
    pub muted: RGBColor,
}

impl Theme {
    pub fn new(dark: bool) -> Theme {
        if dark {
            Theme {
                fg: RGBColor(230, 230, 230),
                bg: RGBColor(24, 26, 31),
                grid: RGBColor(70, 72, 80),
                muted: RGBColor(160, 162, 170),
            }
        } else {
            Theme {
                fg: RGBColor(30, 30, 30),
                bg: WHITE,
                grid: RGBColor(225, 225, 225),
                // Dark enough for small text on white (about 6:1).
                muted: RGBColor(100, 100, 100),
            }
        }
    }

    /// Text in the foreground colour that shows `px` pixels high in the page.
    pub fn font(&self, px: f64) -> TextStyle<'static> {
        styled(FontStyle::Normal, px, self.fg, Pos::default())
    }

    /// Bold text for panel titles.
    pub fn bold(&self, px: f64) -> TextStyle<'static> {
        styled(FontStyle::Bold, px, self.fg, Pos::default())
    }

    /// Text in the muted colour, anchored at `pos`.
    pub fn muted(&self, px: f64, pos: Pos) -> TextStyle<'static> {
        styled(FontStyle::Normal, px, self.muted, pos)
    }
}

fn styled(style: FontStyle, px: f64, colour: RGBColor, pos: Pos) -> TextStyle<'static> {
    // The SVG backend writes font-size = size / 1.24; scale so the page shows `px`.
    TextStyle {
        font: ("sans-serif", px * 1.24, style).into_font(),
        color: colour.to_backend_color(),
        pos,
    }
}
