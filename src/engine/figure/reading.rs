//! A figure's value in one report, and the order in which values sort.

use crate::engine::summary::Stat;

/// A figure's value in one report: a number (a count is a whole one) and, for a mean, its 95%
/// interval `[lo, hi]`. A figure that cannot be computed has no value.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Reading {
    pub value: Option<f64>,
    pub interval: Option<[f64; 2]>,
}

impl Reading {
    pub fn count(n: usize) -> Self {
        Reading {
            value: Some(n as f64),
            interval: None,
        }
    }

    pub fn number(value: Option<f64>) -> Self {
        Reading {
            value,
            interval: None,
        }
    }

    /// A mean with its interval.
    pub fn stat(stat: Option<Stat>) -> Self {
        Reading {
            value: stat.map(|s| s.mean),
            interval: stat.map(|s| [s.lo, s.hi]),
        }
    }

    /// The value as a count: 0 when missing, as the reports count what is not there.
    pub fn as_count(self) -> usize {
        // Counts are whole and far below 2^53, so the float holds them exactly.
        self.value.map_or(0, |x| x as usize)
    }

    /// The mean with its interval, the mean alone standing for a missing interval (what the
    /// charts draw).
    pub fn as_stat(self) -> Option<Stat> {
        let mean = self.value?;
        let [lo, hi] = self.interval.unwrap_or([mean, mean]);
        Some(Stat { mean, lo, hi })
    }
}

/// Orders two values, `descending` or not; a missing value comes last either way.
pub fn order(a: Option<f64>, b: Option<f64>, descending: bool) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) if descending => b.total_cmp(&a),
        (Some(a), Some(b)) => a.total_cmp(&b),
        (a, b) => b.is_some().cmp(&a.is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_stand_for_counts_and_stats() {
        assert_eq!(Reading::count(990).as_count(), 990);
        assert_eq!(Reading::default().as_count(), 0);
        let stat = Stat {
            mean: 0.4,
            lo: 0.3,
            hi: 0.5,
        };
        assert_eq!(Reading::stat(Some(stat)).as_stat(), Some(stat));
        let alone = Stat {
            mean: 0.4,
            lo: 0.4,
            hi: 0.4,
        };
        assert_eq!(Reading::number(Some(0.4)).as_stat(), Some(alone));
        assert_eq!(Reading::stat(None), Reading::default());
    }
}
