//! Charts drawn with plotters into SVG strings. Pure code: the same functions run in the page
//! and in plain `cargo test`, where the SVG is checked as text.

pub mod histogram;
pub mod labels;
pub mod multiples;
pub mod scatter;
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

pub use crate::engine::view::default_family as family;

/// A colour per distinct family, in order of first appearance.
pub fn family_colours<'a>(models: impl IntoIterator<Item = &'a str>) -> Vec<(u8, u8, u8)> {
    let mut families: Vec<&str> = Vec::new();
    models
        .into_iter()
        .map(|model| {
            let f = family(model);
            let idx = families
                .iter()
                .position(|seen| *seen == f)
                .unwrap_or_else(|| {
                    families.push(f);
                    families.len() - 1
                });
            PALETTE[idx % PALETTE.len()]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_share_a_colour() {
        assert_eq!(family("atlas-mini"), "atlas");
        assert_eq!(family("GPT 5"), "GPT");
        assert_eq!(family("solo"), "solo");
        let colours = family_colours(["atlas-large", "borealis-pro", "atlas-mini"]);
        assert_eq!(colours[0], colours[2]);
        assert_ne!(colours[0], colours[1]);
    }
}
