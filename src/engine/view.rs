//! What the user chose to see, as plain data: which figure the chart's y axis shows, the
//! paper's reference marks, model families and their colours. Shared by the charts, the share
//! link and the page, so that a shared chart looks like the one it was made from.

use serde::{Deserialize, Serialize};

use super::export::FlatReport;
use super::figure::Figure;
use super::summary::Stat;

/// The figure on the chart's y axis (x is always outcome accuracy): one of
/// [`Figure::chart_choices`]. The chart's own name for [`Figure`], kept so that its users read
/// as before.
pub use super::figure::Figure as YFigure;

/// Outcome accuracy with its interval, from a flat report.
pub fn oa_stat(r: &FlatReport) -> Option<Stat> {
    Figure::Oa.stat(r)
}

/// A figure the paper states in its text (SPEC section 7), drawn as a labelled horizontal
/// mark on the RC axis; never data the app computed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PaperMark {
    pub rc: f64,
    pub label: &'static str,
}

/// The paper's stated rationale-consistency figures.
pub const PAPER_MARKS: [PaperMark; 3] = [
    PaperMark {
        rc: 0.4,
        label: "paper: best models reach about 0.4",
    },
    PaperMark {
        rc: 0.359,
        label: "paper Fig. 2b: GPT-5, 0.359 (HelpSteer3-Atomic)",
    },
    PaperMark {
        rc: 0.205,
        label: "paper Fig. 2b: o3-mini, 0.205 (HelpSteer3-Atomic)",
    },
];

/// The chart choices a share link carries.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartSettings {
    /// One of [`Figure::chart_choices`].
    pub y: Figure,
    /// Draw the paper's stated figures as reference marks (only on the RC axis).
    pub paper_marks: bool,
    /// `(model, family)` where the user changed a model's family.
    pub families: Vec<(String, String)>,
    /// `(family, "#rrggbb")` where the user changed a family's colour.
    pub colours: Vec<(String, String)>,
}

impl ChartSettings {
    /// The family of a model: the user's choice, else the name up to the first `-` or space.
    pub fn family<'a>(&'a self, model: &'a str) -> &'a str {
        self.families
            .iter()
            .find(|(m, _)| m == model)
            .map(|(_, f)| f.as_str())
            .unwrap_or_else(|| default_family(model))
    }

    /// The colour the user gave a family, if any.
    pub fn colour(&self, family: &str) -> Option<(u8, u8, u8)> {
        let hex = self
            .colours
            .iter()
            .find(|(f, _)| f == family)
            .map(|(_, c)| c.as_str())?;
        parse_hex(hex)
    }
}

/// A model's family by default (SPEC section 7): its name up to the first `-` or space.
pub fn default_family(model: &str) -> &str {
    model.split(['-', ' ']).next().unwrap_or(model)
}

/// `#rrggbb` as a colour.
pub fn parse_hex(hex: &str) -> Option<(u8, u8, u8)> {
    let hex = hex.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// A colour as `#rrggbb`.
pub fn to_hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_default_to_the_name_prefix_and_can_be_changed() {
        let mut settings = ChartSettings::default();
        assert_eq!(settings.family("atlas-mini"), "atlas");
        assert_eq!(settings.family("GPT 5"), "GPT");
        settings
            .families
            .push(("atlas-mini".into(), "small".into()));
        assert_eq!(settings.family("atlas-mini"), "small");
        settings.colours.push(("small".into(), "#0072b2".into()));
        assert_eq!(settings.colour("small"), Some((0, 114, 178)));
        assert_eq!(settings.colour("atlas"), None);
    }

    #[test]
    fn hex_colours_round_trip_and_bad_ones_are_refused() {
        assert_eq!(parse_hex(&to_hex((1, 2, 255))), Some((1, 2, 255)));
        for bad in ["0072b2", "#0072b", "#gg0000", "#ééé"] {
            assert_eq!(parse_hex(bad), None, "{bad}");
        }
    }
}
