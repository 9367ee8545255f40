//! Test support: the text elements of a drawn SVG, with where they sit, so that tests can
//! check layout (which panel a label is in, whether two labels overlap) as well as content.

use super::labels::{text_width, Rect};

/// One `<text>` element as the SVG backend writes it (its content still escaped).
#[derive(Clone, Debug, PartialEq)]
pub struct SvgText {
    pub x: f64,
    pub y: f64,
    /// `start`, `middle` or `end`.
    pub anchor: String,
    /// The size the page shows, in pixels.
    pub font_px: f64,
    pub rotated: bool,
    pub text: String,
}

impl SvgText {
    /// The estimated box of a horizontal text anchored at its top, as the charts draw labels.
    pub fn rect(&self) -> Rect {
        let w = text_width(&self.text, self.font_px);
        let left = match self.anchor.as_str() {
            "end" => self.x - w,
            "middle" => self.x - w / 2.0,
            _ => self.x,
        };
        Rect {
            left,
            top: self.y,
            right: left + w,
            bottom: self.y + self.font_px * 1.2,
        }
    }
}

/// Every text element in document order.
pub fn texts(svg: &str) -> Vec<SvgText> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|chunk| {
            let (attrs, rest) = chunk.split_once(">\n")?;
            let (text, _) = rest.split_once("\n</text>")?;
            let attr = |name: &str| {
                let start = attrs
                    .find(&format!(" {name}=\""))
                    .map(|i| i + name.len() + 3)
                    .or_else(|| {
                        attrs
                            .strip_prefix(&format!("{name}=\""))
                            .map(|_| name.len() + 2)
                    })?;
                let end = attrs[start..].find('"')? + start;
                Some(attrs[start..end].to_string())
            };
            let number = |name: &str| attr(name).and_then(|v| v.parse::<f64>().ok());
            Some(SvgText {
                x: number("x")?,
                y: number("y")?,
                anchor: attr("text-anchor").unwrap_or_default(),
                font_px: number("font-size")?,
                rotated: attr("transform").is_some(),
                text: text.to_string(),
            })
        })
        .collect()
}
