//! The leaderboards that rank agreement compares: judged files' reports grouped into sets, by
//! matcher (the same data set scored by two matchers) or by data set (the paper's Figure 2b:
//! the same models on two benchmarks, scored by one matcher).
//!
//! A set must hold each model once. When a group holds a model twice (two data sets under one
//! matcher, or two matchers of one data set), the group is split by the other key, and each part
//! is named `key · other key`, so that no report is dropped or silently merged.

use std::collections::HashSet;

use crate::engine::export::FlatReport;

/// What one leaderboard of rank agreement is made of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GroupBy {
    /// One leaderboard per matcher.
    #[default]
    Matcher,
    /// One leaderboard per data set.
    Dataset,
}

/// A report with the matcher that scored it and the data set its rows come from.
#[derive(Clone, Debug, PartialEq)]
pub struct TaggedReport {
    pub matcher: String,
    pub dataset: String,
    pub report: FlatReport,
}

/// The named leaderboards of `reports`, grouped `by` one key, in order of first report; see
/// the module doc for a model that is twice in one group.
pub fn group_sets(reports: &[TaggedReport], by: GroupBy) -> Vec<(String, Vec<FlatReport>)> {
    let keys = |r: &TaggedReport| match by {
        GroupBy::Matcher => (r.matcher.clone(), r.dataset.clone()),
        GroupBy::Dataset => (r.dataset.clone(), r.matcher.clone()),
    };
    let mut groups: Vec<(String, Vec<&TaggedReport>)> = Vec::new();
    for r in reports {
        let (key, _) = keys(r);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(r),
            None => groups.push((key, vec![r])),
        }
    }
    let mut sets = Vec::new();
    for (key, members) in groups {
        if holds_a_model_twice(&members) {
            let mut parts: Vec<(String, Vec<FlatReport>)> = Vec::new();
            for r in members {
                let name = format!("{key} \u{b7} {}", keys(r).1);
                match parts.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, set)) => set.push(r.report.clone()),
                    None => parts.push((name, vec![r.report.clone()])),
                }
            }
            sets.extend(parts);
        } else {
            sets.push((key, members.iter().map(|r| r.report.clone()).collect()));
        }
    }
    sets
}

fn holds_a_model_twice(members: &[&TaggedReport]) -> bool {
    let mut seen = HashSet::new();
    !members
        .iter()
        .all(|r| seen.insert(r.report.model.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagged(matcher: &str, dataset: &str, model: &str) -> TaggedReport {
        TaggedReport {
            matcher: matcher.into(),
            dataset: dataset.into(),
            report: FlatReport {
                file: format!("{dataset}-{model}"),
                model: model.into(),
                ..FlatReport::default()
            },
        }
    }

    /// `(set name, models)` of each set.
    fn shape(sets: &[(String, Vec<FlatReport>)]) -> Vec<(String, Vec<String>)> {
        sets.iter()
            .map(|(name, set)| (name.clone(), set.iter().map(|r| r.model.clone()).collect()))
            .collect()
    }

    fn owned(rows: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
        rows.iter()
            .map(|(n, ms)| (n.to_string(), ms.iter().map(|m| m.to_string()).collect()))
            .collect()
    }

    #[test]
    fn two_matchers_of_one_data_set_group_by_matcher() {
        let reports = [
            tagged("qwen", "bench", "m1"),
            tagged("qwen", "bench", "m2"),
            tagged("r1", "bench", "m1"),
            tagged("r1", "bench", "m2"),
        ];
        assert_eq!(
            shape(&group_sets(&reports, GroupBy::Matcher)),
            owned(&[("qwen", &["m1", "m2"]), ("r1", &["m1", "m2"])])
        );
        // By data set the one group holds each model twice: split by matcher, nothing lost.
        assert_eq!(
            shape(&group_sets(&reports, GroupBy::Dataset)),
            owned(&[
                ("bench \u{b7} qwen", &["m1", "m2"]),
                ("bench \u{b7} r1", &["m1", "m2"])
            ])
        );
    }

    #[test]
    fn two_data_sets_of_one_matcher_group_by_data_set() {
        let reports = [
            tagged("qwen", "helpsteer3", "m1"),
            tagged("qwen", "helpsteer3", "m2"),
            tagged("qwen", "rewardbench", "M1"),
            tagged("qwen", "rewardbench", "m2"),
        ];
        assert_eq!(
            shape(&group_sets(&reports, GroupBy::Dataset)),
            owned(&[
                ("helpsteer3", &["m1", "m2"]),
                ("rewardbench", &["M1", "m2"])
            ])
        );
        // By matcher, "m1" and "M1" are one model twice (names join without case): split.
        assert_eq!(
            shape(&group_sets(&reports, GroupBy::Matcher)),
            owned(&[
                ("qwen \u{b7} helpsteer3", &["m1", "m2"]),
                ("qwen \u{b7} rewardbench", &["M1", "m2"])
            ])
        );
    }

    #[test]
    fn a_group_without_repeats_stays_whole_and_nothing_gives_nothing() {
        let reports = [
            tagged("qwen", "a", "m1"),
            tagged("qwen", "b", "m2"),
            tagged("r1", "a", "m1"),
        ];
        assert_eq!(
            shape(&group_sets(&reports, GroupBy::Matcher)),
            owned(&[("qwen", &["m1", "m2"]), ("r1", &["m1"])])
        );
        assert_eq!(
            shape(&group_sets(&reports, GroupBy::Dataset)),
            owned(&[
                ("a \u{b7} qwen", &["m1"]),
                ("a \u{b7} r1", &["m1"]),
                ("b", &["m2"])
            ])
        );
        assert!(group_sets(&[], GroupBy::Dataset).is_empty());
    }
}
