//! What a share link may say about a model: the bounds a link's figures must keep, checked on
//! reading so that a hand-made link cannot put an impossible or unreadable figure on the page.

use crate::engine::export::FlatReport;
use crate::engine::figure::{Figure, Kind};

use super::error::Implausible;

/// Checks the `figures` of one model read from a link (those the link's version carries):
/// every mean, interval end and standard deviation is a
/// finite share in 0..=1 (RC, OA, recall, precision, F1 and AP are means of per-row shares;
/// the deviations of such shares are at most 0.5), every interval holds its mean, and no count
/// of rows is more than the model's rows. Returns the first figure that breaks a bound.
pub(super) fn check_bounds(
    report: &FlatReport,
    figures: &[Figure],
) -> Result<(), (Figure, Implausible)> {
    for &figure in figures {
        let reading = report.get(figure);
        let fail = |problem| Err((figure, problem));
        match figure.kind() {
            Kind::Count | Kind::Tally => {
                let count = reading.as_count();
                if count > report.total {
                    return fail(Implausible::MoreThanRows {
                        count,
                        total: report.total,
                    });
                }
            }
            Kind::Spread | Kind::Mean => {
                let mut values: Vec<f64> = reading.value.into_iter().collect();
                values.extend(reading.interval.into_iter().flatten());
                for value in values {
                    if !(value.is_finite() && (0.0..=1.0).contains(&value)) {
                        return fail(Implausible::NotAShare(value));
                    }
                }
                if let (Some(value), Some([lo, hi])) = (reading.value, reading.interval) {
                    if !(lo <= value && value <= hi) {
                        return fail(Implausible::OutsideInterval { value, lo, hi });
                    }
                }
            }
        }
    }
    let counted = [report.valid, report.errors, report.skipped]
        .into_iter()
        .try_fold(0usize, usize::checked_add);
    match counted {
        Some(count) if count <= report.total => Ok(()),
        count => Err((
            Figure::Valid,
            Implausible::MoreThanRows {
                count: count.unwrap_or(usize::MAX),
                total: report.total,
            },
        )),
    }
}
