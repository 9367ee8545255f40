//! Charts drawn with plotters into SVG strings. Pure code: the same functions run in the page
//! and in plain `cargo test`, where the SVG is checked as text.

pub mod agreement;
pub mod error;
pub mod histogram;
pub mod labels;
mod layout;
pub mod multiples;
pub mod scatter;
pub mod slope;
#[cfg(test)]
mod svg_text;
mod theme;

/// A colour-blind-safe palette (Okabe and Ito), one colour per model family, then repeated.
pub const PALETTE: [(u8, u8, u8); 8] = [
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (204, 121, 167),
    (230, 159, 0),
    (86, 180, 233),
    (120, 120, 120),
    (240, 228, 66),
];

use crate::engine::view::ChartSettings;

/// Colours models by family: the user's colour for a family if they chose one, else the next
/// palette colour in order of first appearance, so that every chart of a page agrees.
pub struct FamilyColours<'a> {
    settings: &'a ChartSettings,
    seen: Vec<String>,
}

impl<'a> FamilyColours<'a> {
    pub fn new(settings: &'a ChartSettings) -> Self {
        FamilyColours {
            settings,
            seen: Vec::new(),
        }
    }

    /// The colour of `model`'s family.
    pub fn of(&mut self, model: &str) -> (u8, u8, u8) {
        let family = self.settings.family(model);
        let idx = match self.seen.iter().position(|f| f == family) {
            Some(idx) => idx,
            None => {
                self.seen.push(family.to_string());
                self.seen.len() - 1
            }
        };
        self.settings
            .colour(family)
            .unwrap_or(PALETTE[idx % PALETTE.len()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_share_a_colour_and_user_colours_win() {
        let mut settings = ChartSettings::default();
        let colours: Vec<_> = {
            let mut c = FamilyColours::new(&settings);
            ["atlas-large", "borealis-pro", "atlas-mini"]
                .map(|m| c.of(m))
                .to_vec()
        };
        assert_eq!(colours[0], colours[2]);
        assert_ne!(colours[0], colours[1]);
        assert_eq!(colours[0], PALETTE[0]);
        settings.colours.push(("borealis".into(), "#010203".into()));
        assert_eq!(FamilyColours::new(&settings).of("borealis-pro"), (1, 2, 3));
    }
}
