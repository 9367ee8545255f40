//! What the user chose to see, as plain data: which figure the chart's y axis shows, the
//! paper's reference marks, the alignment zones, model families and their colours. Shared by the charts, the share
//! link and the page, so that a shared chart looks like the one it was made from.

use serde::{Deserialize, Serialize};

use super::export::FlatReport;
use super::figure::Figure;
use super::stats::percentile;
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
    /// The paper's shaded zones (only with RC on the y axis). Missing from settings saved
    /// before the zones, hence the default.
    #[serde(default)]
    pub zones: AlignmentZones,
}

/// The shaded zones of the paper's Figure 1 on the headline chart: "authentic alignment" (OA at
/// or above its threshold, RC at or above its) and "deceptive alignment trap" (OA at or above,
/// RC below). Off by default; a threshold left empty is the median of the models shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AlignmentZones {
    pub show: bool,
    pub oa: Option<f64>,
    pub rc: Option<f64>,
}

/// Where the zones split the chart: at `oa` on the x axis and `rc` on the y axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ZoneThresholds {
    pub oa: f64,
    pub rc: f64,
}

/// The zones' names, as the chart labels them.
pub const AUTHENTIC_ZONE: &str = "authentic alignment";
pub const TRAP_ZONE: &str = "deceptive alignment trap";

impl AlignmentZones {
    /// The thresholds to draw for `rows` with `y` on the chart's y axis: the user's, else the
    /// medians of [`median_thresholds`]; `None` when the zones are off, when
    /// [`zones_unavailable`] says why not, or when no model has both figures to take a median of.
    pub fn thresholds(&self, y: Figure, rows: &[FlatReport]) -> Option<ZoneThresholds> {
        if !self.show || zones_unavailable(y).is_some() {
            return None;
        }
        let medians = || median_thresholds(rows);
        Some(ZoneThresholds {
            oa: self.oa.or_else(|| medians().map(|m| m.oa))?,
            rc: self.rc.or_else(|| medians().map(|m| m.rc))?,
        })
    }
}

/// Why the chart cannot show the zones with `y` on its y axis, if it cannot: they are defined
/// on OA against RC, and x is always OA.
pub fn zones_unavailable(y: Figure) -> Option<String> {
    (y != Figure::Rc).then(|| {
        format!(
            "the zones are defined on OA against RC: choose RC for the y axis (it shows {})",
            y.label()
        )
    })
}

/// The medians of OA and of RC over the models that have both (the models the chart shows
/// with RC on its y axis); `None` when there is none.
pub fn median_thresholds(rows: &[FlatReport]) -> Option<ZoneThresholds> {
    let (oa, rc): (Vec<f64>, Vec<f64>) = rows
        .iter()
        .filter_map(|r| Some((oa_stat(r)?.mean, Figure::Rc.stat(r)?.mean)))
        .filter(|(oa, rc)| oa.is_finite() && rc.is_finite())
        .unzip();
    Some(ZoneThresholds {
        oa: median(oa)?,
        rc: median(rc)?,
    })
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

/// The median of finite values (the mean of the middle two for an even count).
fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    Some(percentile(&values, 0.5))
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

    /// A model with OA and RC as given (`None`: the figure is missing).
    fn model(oa: Option<f64>, rc: Option<f64>) -> FlatReport {
        FlatReport {
            model: format!("m-{oa:?}-{rc:?}"),
            oa,
            rc,
            ..FlatReport::default()
        }
    }

    #[test]
    fn zone_thresholds_default_to_the_medians_of_the_models_shown() {
        #[track_caller]
        fn check(models: &[(Option<f64>, Option<f64>)], expected: Option<(f64, f64)>) {
            let rows: Vec<FlatReport> = models.iter().map(|&(oa, rc)| model(oa, rc)).collect();
            let got = median_thresholds(&rows).map(|t| (t.oa, t.rc));
            match (got, expected) {
                (Some(got), Some(expected)) => assert!(
                    (got.0 - expected.0).abs() < 1e-12 && (got.1 - expected.1).abs() < 1e-12,
                    "{models:?}: {got:?}, not {expected:?}"
                ),
                _ => assert_eq!(got, expected, "{models:?}"),
            }
        }
        let both = |oa: f64, rc: f64| (Some(oa), Some(rc));
        check(&[], None);
        check(&[both(0.7, 0.3)], Some((0.7, 0.3)));
        // Odd: the middle value of each figure, taken apart (not the middle model).
        check(
            &[both(0.9, 0.1), both(0.5, 0.3), both(0.7, 0.2)],
            Some((0.7, 0.2)),
        );
        // Even: the mean of the middle two.
        check(
            &[
                both(0.6, 0.4),
                both(0.8, 0.1),
                both(0.7, 0.2),
                both(0.5, 0.3),
            ],
            Some((0.65, 0.25)),
        );
        // Models without OA or without RC are not on the chart, so not in the medians.
        check(
            &[
                both(0.6, 0.2),
                (None, Some(0.9)),
                (Some(0.1), None),
                both(0.8, 0.4),
            ],
            Some((0.7, 0.3)),
        );
        check(&[(None, Some(0.9)), (Some(0.1), None)], None);
    }

    #[test]
    fn zones_are_drawn_only_when_on_and_with_rc_on_the_y_axis() {
        // Medians exact in binary: 0.625 and 0.375.
        let rows = [model(Some(0.5), Some(0.25)), model(Some(0.75), Some(0.5))];
        #[track_caller]
        fn check(
            zones: AlignmentZones,
            y: Figure,
            rows: &[FlatReport],
            expected: Option<(f64, f64)>,
        ) {
            let got = zones.thresholds(y, rows).map(|t| (t.oa, t.rc));
            assert_eq!(got, expected, "{zones:?} with {y:?}");
        }
        let on = AlignmentZones {
            show: true,
            ..AlignmentZones::default()
        };
        check(AlignmentZones::default(), Figure::Rc, &rows, None);
        check(on, Figure::Rc, &rows, Some((0.625, 0.375)));
        check(on, Figure::F1, &rows, None);
        assert!(zones_unavailable(Figure::F1).is_some_and(|why| why.contains("F1")));
        assert_eq!(zones_unavailable(Figure::Rc), None);
        // The user's thresholds win, one at a time; with no model, only both set draw.
        let oa_set = AlignmentZones {
            oa: Some(0.9),
            ..on
        };
        check(oa_set, Figure::Rc, &rows, Some((0.9, 0.375)));
        check(oa_set, Figure::Rc, &[], None);
        let both_set = AlignmentZones {
            rc: Some(0.1),
            ..oa_set
        };
        check(both_set, Figure::Rc, &[], Some((0.9, 0.1)));
    }

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
