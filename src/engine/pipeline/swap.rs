//! The Swap stage's figures (SPEC section 8): a verdict given with A and B exchanged mirrored
//! back to the original order, and position consistency, the share of rows whose verdict does
//! not change with the order.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::stage::{swap_name, SWAP_SUFFIX};
use crate::engine::dataset::{LoadedFile, Record};
use crate::engine::stats::{bootstrap, Stat};
use crate::engine::verdict::{read_verdict_text, ModelVerdict, Verdict};

/// Position consistency of one candidate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Consistency {
    /// Rows with a readable verdict in both orders: the denominator.
    pub n_rows: usize,
    /// Of those, rows where both orders name the same better response.
    pub n_same: usize,
    /// Rows left out because one order's verdict is missing or unreadable.
    pub n_left_out: usize,
    /// `n_same / n_rows` with its bootstrap interval; `None` without any row.
    pub share: Option<Stat>,
}

/// A verdict read in the swapped order, in the original order's terms: A and B exchange,
/// a tie stays a tie.
pub fn mirror(verdict: Verdict) -> Verdict {
    match verdict {
        Verdict::A => Verdict::B,
        Verdict::B => Verdict::A,
        Verdict::Tie => Verdict::Tie,
    }
}

/// A verdict label written in the swapped order, mirrored back into one of the judge prompt's
/// five forms (`A>B` becomes `B>A`, `A>>B` becomes `B>>A`, `A=B` stays). `None` when the label
/// is not a readable verdict (it is then kept as written: mirroring it means nothing).
pub fn mirror_label(label: &str) -> Option<String> {
    let verdict = read_verdict_text(label)?;
    let squeezed: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    let strong = squeezed.contains(">>") || squeezed.contains("<<");
    let text = match (mirror(verdict), strong) {
        (Verdict::A, true) => "A>>B",
        (Verdict::A, false) => "A>B",
        (Verdict::Tie, _) => "A=B",
        (Verdict::B, false) => "B>A",
        (Verdict::B, true) => "B>>A",
    };
    Some(text.to_string())
}

/// Position consistency over rows given as (original verdict, mirrored swapped verdict);
/// `None` where that order's verdict is missing or unreadable. Ties equal only ties. The
/// interval resamples rows with the engine's seeded bootstrap, as every figure does.
pub fn position_consistency(
    rows: &[(Option<Verdict>, Option<Verdict>)],
    resamples: usize,
    seed: u64,
) -> Consistency {
    let hits: Vec<f64> = rows
        .iter()
        .filter_map(|&(given, swapped)| Some(if given? == swapped? { 1.0 } else { 0.0 }))
        .collect();
    let n_rows = hits.len();
    let n_same = hits.iter().filter(|&&hit| hit == 1.0).count();
    let share = (n_rows > 0).then(|| {
        let [share] = bootstrap(&[hits], resamples, seed);
        share
    });
    Consistency {
        n_rows,
        n_same,
        n_left_out: rows.len() - n_rows,
        share,
    }
}

/// Position consistency of `candidate` in a loaded data set, from its columns and those of
/// `<candidate>@swap` (whose labels are stored mirrored already). `None` when the file has
/// either model missing.
pub fn file_consistency(
    file: &LoadedFile,
    candidate: &str,
    resamples: usize,
    seed: u64,
) -> Option<Consistency> {
    let given = file.model_idx(candidate)?;
    let swapped = file.model_idx(&swap_name(candidate))?;
    Some(pair_consistency(file, given, swapped, resamples, seed))
}

/// Position consistency of every model of `file` that has a swapped twin (`<model>@swap`
/// beside `<model>`), in the file's model order: what the leaderboard shows beside OA. The
/// names are looked up in one map, not one pass over the models each: a data set may name
/// thousands of models.
pub fn file_consistencies(
    file: &LoadedFile,
    resamples: usize,
    seed: u64,
) -> Vec<(String, Consistency)> {
    let mut pairs: Vec<(usize, usize)> = swap_twins(file).into_iter().collect();
    pairs.sort_unstable();
    pairs
        .into_iter()
        .map(|(given, swapped)| {
            let consistency = pair_consistency(file, given, swapped, resamples, seed);
            (file.models[given].clone(), consistency)
        })
        .collect()
}

/// For every model of `file` with a swapped twin (`<model>@swap`, any case), its index and
/// the twin's: the pairs whose position consistency the file gives.
pub fn swap_twins(file: &LoadedFile) -> HashMap<usize, usize> {
    if !file
        .models
        .iter()
        .any(|m| m.to_lowercase().ends_with(SWAP_SUFFIX))
    {
        return HashMap::new();
    }
    let mut idx_of: HashMap<String, usize> = HashMap::with_capacity(file.models.len());
    for (idx, model) in file.models.iter().enumerate() {
        // The first spelling wins, as `LoadedFile::model_idx` finds it.
        idx_of.entry(model.to_lowercase()).or_insert(idx);
    }
    file.models
        .iter()
        .enumerate()
        .filter(|(_, model)| !model.to_lowercase().ends_with(SWAP_SUFFIX))
        .filter_map(|(given, model)| {
            let swapped = *idx_of.get(&swap_name(model).to_lowercase())?;
            Some((given, swapped))
        })
        .collect()
}

/// Position consistency of the models at `given` and `swapped` (its mirrored twin).
pub fn pair_consistency(
    file: &LoadedFile,
    given: usize,
    swapped: usize,
    resamples: usize,
    seed: u64,
) -> Consistency {
    let read = |record: &Record, idx: usize| match record.column(idx)?.verdict {
        ModelVerdict::Read(verdict) => Some(verdict),
        _ => None,
    };
    let rows: Vec<_> = file
        .records
        .iter()
        .map(|record| (read(record, given), read(record, swapped)))
        .collect();
    position_consistency(&rows, resamples, seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::load;
    use Verdict::*;

    #[track_caller]
    fn check(rows: &[(Option<Verdict>, Option<Verdict>)], expected: (usize, usize, usize)) {
        let got = position_consistency(rows, 200, 7);
        assert_eq!(
            (got.n_rows, got.n_same, got.n_left_out),
            expected,
            "{rows:?}"
        );
        match got.share {
            None => assert_eq!(got.n_rows, 0),
            Some(share) => {
                assert_eq!(share.mean, got.n_same as f64 / got.n_rows as f64);
                assert!(
                    share.lo <= share.mean && share.mean <= share.hi,
                    "{share:?}"
                );
            }
        }
    }

    #[test]
    fn mirroring_exchanges_a_and_b_and_keeps_ties() {
        assert_eq!([A, B, Tie].map(mirror), [B, A, Tie]);
        for (label, expected) in [
            ("A>B", Some("B>A")),
            ("A>>B", Some("B>>A")),
            ("A=B", Some("A=B")),
            ("B>A", Some("A>B")),
            ("B >> A", Some("A>>B")),
            ("A<<B", Some("A>>B")),
            ("b<a", Some("B>A")),
            ("\\boxed{A>B}", Some("B>A")),
            ("Response 1", Some("B>A")),
            ("tie", Some("A=B")),
            ("C", None),
            ("", None),
        ] {
            assert_eq!(mirror_label(label).as_deref(), expected, "{label}");
        }
    }

    #[test]
    fn a_mirrored_label_reads_as_the_mirrored_verdict() {
        for label in [
            "A>>B",
            "A>B",
            "A=B",
            "B>A",
            "B>>A",
            "a<b",
            "2",
            "Response 2",
        ] {
            let mirrored = mirror_label(label).unwrap_or_default();
            assert_eq!(
                read_verdict_text(&mirrored),
                read_verdict_text(label).map(mirror),
                "{label} -> {mirrored}"
            );
        }
    }

    #[test]
    fn consistency_counts_rows_readable_in_both_orders() {
        check(
            &[
                (Some(A), Some(A)),
                (Some(B), Some(A)),
                (Some(Tie), Some(Tie)),
            ],
            (3, 2, 0),
        );
        check(&[(Some(Tie), Some(A)), (Some(B), Some(Tie))], (2, 0, 0));
        check(
            &[(None, Some(A)), (Some(A), None), (Some(B), Some(B))],
            (1, 1, 2),
        );
        check(&[(None, None)], (0, 0, 1));
        check(&[], (0, 0, 0));
    }

    #[test]
    fn the_interval_is_seeded_and_brackets_the_share() {
        let rows: Vec<_> = (0..40)
            .map(|i| (Some(A), Some(if i % 3 == 0 { B } else { A })))
            .collect();
        let first = position_consistency(&rows, 500, 11);
        assert_eq!(first, position_consistency(&rows, 500, 11));
        let share = first.share.unwrap_or(Stat {
            mean: 0.0,
            lo: 0.0,
            hi: 0.0,
        });
        assert!(share.lo < share.mean && share.mean < share.hi, "{share:?}");
        let off = position_consistency(&rows, 0, 11)
            .share
            .map(|s| (s.lo, s.hi));
        assert_eq!(off, Some((share.mean, share.mean)));
    }

    #[test]
    fn a_file_gives_the_candidate_against_its_swap_column() {
        let text = r#"{"j-checklist": [], "j-label": "A>B", "j@swap-checklist": [], "j@swap-label": "A>B"}
{"j-checklist": [], "j-label": "A>B", "j@swap-checklist": [], "j@swap-label": "B>A"}
{"j-checklist": [], "j-label": "A=B", "j@swap-checklist": [], "j@swap-label": "garbled"}"#;
        let file = load("t", text.as_bytes());
        let got = file_consistency(&file, "J", 0, 1).map(|c| (c.n_rows, c.n_same, c.n_left_out));
        assert_eq!(got, Some((2, 1, 1)));
        assert_eq!(file_consistency(&file, "other", 0, 1), None);
    }

    #[test]
    fn every_model_with_a_swapped_twin_gets_its_consistency() {
        let text = concat!(
            r#"{"a-checklist":["x"],"a-label":"A>B","a@swap-checklist":["x"],"a@swap-label":"A>B","b-checklist":["y"],"b-label":"B>A"}"#,
            "\n",
            r#"{"a-checklist":["x"],"a-label":"A>B","a@swap-checklist":["x"],"a@swap-label":"B>A","b-checklist":["y"],"b-label":"B>A"}"#,
            "\n"
        );
        let found = file_consistencies(&load("t", text.as_bytes()), 0, 1);
        let summary: Vec<(&str, usize, usize)> = found
            .iter()
            .map(|(model, c)| (model.as_str(), c.n_rows, c.n_same))
            .collect();
        assert_eq!(
            summary,
            vec![("a", 2, 1)],
            "b has no twin; a@swap is not a model of its own here"
        );
    }
}
