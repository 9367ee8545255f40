//! Per-row scores in both families of SPEC section 4: the script-compatible precision, recall,
//! F1 and AP, and the paper's one-to-one recall (rationale consistency) and AP.
//!
//! The script-compatible scores add in the same order as `metajudge_analysis.py` (dictionary
//! insertion order, prefix sums recomputed per rank), so they agree with it to the last bit, not
//! only to 1e-12.

use serde::{Deserialize, Serialize};

use super::dataset::{Answer, Checklist, Record};
use super::reply::{ReplyError, Triple};

/// Most items a judged model contributes to the matching, as in the reference script.
pub const MAX_ORIGINAL_ITEMS: usize = 5;

/// Every score of one row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RowScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub ap: f64,
    /// One-to-one recall: the paper's rationale consistency of this row.
    pub rc: f64,
    pub ap_paper: f64,
}

/// A one-to-one matching of human items (R) to model items (S), as used by the paper scores.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Matching {
    /// Matched pairs `(r, s, score)`, sorted by `r`; every score is above 0.
    pub pairs: Vec<(usize, usize, f64)>,
    pub total: f64,
}

/// What became of one row for one model's rationale figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RowOutcome {
    Scored(RowScores),
    Error(RowError),
    Skipped(SkipReason),
    /// A data-set row: no judge answer yet.
    NotJudged,
}

/// Why a row counts as an error (SPEC section 4).
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum RowError {
    #[error("no judge answer (samples empty)")]
    NoAnswer,
    #[error("judge answer unreadable: {}", join(.0))]
    Reply(Vec<ReplyError>),
    #[error("no {0} checklist in the row")]
    NoChecklist(String),
    #[error("the {which} checklist is {found}, not a list")]
    NotAList { which: String, found: String },
    #[error("{got} score lines for {expected} human items")]
    CountMismatch { got: usize, expected: usize },
}

/// Why a row is left out of a model's figures without being an error.
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum SkipReason {
    #[error("the model checklist is empty")]
    Empty,
    #[error("the model checklist has {len} items, more than the maximum of {max}")]
    TooLong { len: usize, max: usize },
}

impl RowError {
    /// A short name of the kind of error, for grouping rows in the problems panel.
    pub fn kind(&self) -> &'static str {
        match self {
            RowError::NoAnswer => "no judge answer",
            RowError::Reply(errors) => match errors.first() {
                Some(ReplyError::NoResultBlock) => "no RESULT block in the judge answer",
                Some(ReplyError::NoScoreLines) => "no score lines in the RESULT block",
                Some(ReplyError::OutOfRange { .. }) | None => "a score outside 0-1",
            },
            RowError::NoChecklist(_) => "a checklist is missing",
            RowError::NotAList { .. } => "a checklist is not a list",
            RowError::CountMismatch { .. } => "score lines do not match the human items",
        }
    }
}

impl SkipReason {
    /// A short name of the reason, for grouping rows in the problems panel.
    pub fn kind(&self) -> &'static str {
        match self {
            SkipReason::Empty => "empty model checklist",
            SkipReason::TooLong { .. } => "model checklist longer than the maximum",
        }
    }
}

/// Scores one row for model `model_idx`, applying the checks of SPEC section 4 in the order the
/// reference script applies them (so a row that is both an error and skippable is an error).
pub fn score_record(record: &Record, model_idx: usize, max_len: usize) -> RowOutcome {
    let reply = match &record.answer {
        None => return RowOutcome::NotJudged,
        Some(Answer::Missing) => return RowOutcome::Error(RowError::NoAnswer),
        Some(Answer::Given(reply)) => reply,
    };
    if !reply.errors.is_empty() {
        return RowOutcome::Error(RowError::Reply(reply.errors.clone()));
    }
    let model = record.column(model_idx).and_then(|c| c.checklist.as_ref());
    let (model, human) = match (model, record.human.as_ref()) {
        (None, _) => return RowOutcome::Error(RowError::NoChecklist("model".into())),
        (_, None) => return RowOutcome::Error(RowError::NoChecklist("human".into())),
        (Some(model), Some(human)) => (model, human),
    };
    let n_model = match items(model, "model") {
        Ok(n) => n,
        Err(e) => return RowOutcome::Error(e),
    };
    let n_ref = match items(human, "human") {
        Ok(n) => n,
        Err(e) => return RowOutcome::Error(e),
    };
    if n_model > max_len {
        return RowOutcome::Skipped(SkipReason::TooLong {
            len: n_model,
            max: max_len,
        });
    }
    if n_model == 0 {
        return RowOutcome::Skipped(SkipReason::Empty);
    }
    if reply.triples.is_empty() || reply.triples.len() != n_ref {
        return RowOutcome::Error(RowError::CountMismatch {
            got: reply.triples.len(),
            expected: n_ref,
        });
    }
    RowOutcome::Scored(row_scores(
        &reply.triples,
        n_ref,
        n_model.min(MAX_ORIGINAL_ITEMS),
    ))
}

/// Both families for one row whose triples passed the checks of SPEC section 4.
/// `n_ref` is the human checklist length, `n_orig = min(model checklist length, 5)`.
pub fn row_scores(triples: &[Triple], n_ref: usize, n_orig: usize) -> RowScores {
    let script = script_scores(triples, n_ref, n_orig);
    let matching = best_matching(triples, n_ref, n_orig);
    RowScores {
        rc: ratio(matching.total, n_ref),
        ap_paper: paper_ap(&matching, n_ref, n_orig),
        ..script
    }
}

/// Script-compatible precision, recall, F1 and AP (the `rc` and `ap_paper` fields stay 0).
pub fn script_scores(triples: &[Triple], n_ref: usize, n_orig: usize) -> RowScores {
    let valid: Vec<&Triple> = triples
        .iter()
        .filter(|t| is_valid_for_script(t, n_ref, n_orig))
        .collect();
    if valid.is_empty() {
        return RowScores::default();
    }
    let best_per_r = max_by_key(&valid, |t| t.r);
    let best_per_s = max_by_key(&valid, |t| t.s);
    let recall = ratio(sum_in_order(&best_per_r), n_ref);
    let precision = ratio(sum_in_order(&best_per_s), n_orig);

    let mut by_rank = best_per_s;
    by_rank.sort_by_key(|&(s, _)| s);
    let mut cumulative = 0.0;
    for i in 0..by_rank.len() {
        cumulative += sum_in_order(&by_rank[..=i]) / (i + 1) as f64;
    }
    let ap = cumulative / n_ref as f64;

    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    RowScores {
        precision,
        recall,
        f1,
        ap,
        ..RowScores::default()
    }
}

/// The matching with the largest total score that uses each R and each S at most once, built
/// from the valid triples (`1 <= r <= n_ref`, `1 <= s <= n_orig`, score above 0; a repeated
/// pair counts with its largest score). Among matchings with the same total (to 1e-9), the one
/// whose matched S items sit at the earliest ranks wins, i.e. the highest paper AP, so the
/// result never depends on the order the judge wrote its lines in.
pub fn best_matching(triples: &[Triple], n_ref: usize, n_orig: usize) -> Matching {
    let n_orig = n_orig.min(MAX_ORIGINAL_ITEMS);
    // weight[r][s]: the best score of pair (r, s); only R items with an edge take part.
    let mut rows: Vec<(usize, [f64; MAX_ORIGINAL_ITEMS])> = Vec::new();
    for t in triples {
        if t.r == 0 || t.r > n_ref || t.s == 0 || t.s > n_orig || t.score.is_nan() || t.score <= 0.0
        {
            continue;
        }
        let row_idx = match rows.iter().position(|(r, _)| *r == t.r) {
            Some(idx) => idx,
            None => {
                rows.push((t.r, [0.0; MAX_ORIGINAL_ITEMS]));
                rows.len() - 1
            }
        };
        let weight = &mut rows[row_idx].1[t.s - 1];
        *weight = weight.max(t.score);
    }
    rows.sort_by_key(|(r, _)| *r);

    // Dynamic programme over the set of S items used so far (at most 2^5 states).
    let n_states = 1usize << n_orig;
    let mut best = vec![f64::NEG_INFINITY; n_states];
    best[0] = 0.0;
    // choice[i][mask] = the S index (1-based, 0 = none) R item i took to reach `mask`.
    let mut choice = vec![vec![0usize; n_states]; rows.len()];
    for (row_idx, (_, weights)) in rows.iter().enumerate() {
        let mut next = best.clone();
        for mask in 0..n_states {
            if best[mask] == f64::NEG_INFINITY {
                continue;
            }
            for (s_idx, &w) in weights.iter().enumerate().take(n_orig) {
                let bit = 1 << s_idx;
                if w <= 0.0 || mask & bit != 0 {
                    continue;
                }
                let total = best[mask] + w;
                if total > next[mask | bit] {
                    next[mask | bit] = total;
                    choice[row_idx][mask | bit] = s_idx + 1;
                }
            }
        }
        best = next;
    }

    let mut winner = 0;
    for mask in 1..n_states {
        if best[mask] == f64::NEG_INFINITY {
            continue;
        }
        let gain = best[mask] - best[winner];
        let tie = gain.abs() <= 1e-9;
        if gain > 1e-9 || (tie && mask_ap(mask, n_orig) > mask_ap(winner, n_orig)) {
            winner = mask;
        }
    }

    let mut pairs = Vec::new();
    let mut mask = winner;
    for row_idx in (0..rows.len()).rev() {
        let s = choice[row_idx][mask];
        if s != 0 {
            let (r, weights) = rows[row_idx];
            pairs.push((r, s, weights[s - 1]));
            mask &= !(1 << (s - 1));
        }
    }
    pairs.reverse();
    Matching {
        total: best[winner],
        pairs,
    }
}

/// The paper's AP for a matching: the sum of P@k over the ranks k whose S item is matched,
/// divided by `n_ref`, with P@k = matched S items among ranks 1..k, over k.
pub fn paper_ap(matching: &Matching, n_ref: usize, n_orig: usize) -> f64 {
    let mask = matching
        .pairs
        .iter()
        .fold(0usize, |m, &(_, s, _)| m | 1 << (s - 1));
    ratio(mask_ap(mask, n_orig), n_ref)
}

/// Sum of P@k over the matched ranks of `mask` (bit k-1 = rank k), not yet divided by `n_ref`.
fn mask_ap(mask: usize, n_orig: usize) -> f64 {
    let mut hits = 0;
    let mut sum = 0.0;
    for k in 1..=n_orig {
        if mask & (1 << (k - 1)) != 0 {
            hits += 1;
            sum += hits as f64 / k as f64;
        }
    }
    sum
}

fn items(checklist: &Checklist, which: &str) -> Result<usize, RowError> {
    match checklist {
        Checklist::Items(items) => Ok(items.len()),
        Checklist::NotAList(found) => Err(RowError::NotAList {
            which: which.into(),
            found: found.clone(),
        }),
    }
}

fn join(errors: &[ReplyError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Same filter as the script: `s != 0 && r <= n_ref && s <= n_orig` (R0 passes, as there).
fn is_valid_for_script(t: &Triple, n_ref: usize, n_orig: usize) -> bool {
    t.s != 0 && t.r <= n_ref && t.s <= n_orig
}

/// Largest score per key, keys in order of first appearance (Python dict semantics).
fn max_by_key(valid: &[&Triple], key: impl Fn(&Triple) -> usize) -> Vec<(usize, f64)> {
    let mut out: Vec<(usize, f64)> = Vec::new();
    for t in valid {
        let k = key(t);
        match out.iter_mut().find(|(seen, _)| *seen == k) {
            // Python's max(a, b) keeps `a` unless `b` is larger; NaN never occurs here.
            Some((_, best)) => {
                if t.score > *best {
                    *best = t.score;
                }
            }
            None => out.push((k, t.score)),
        }
    }
    out
}

/// Python's `sum()` over floats: a left fold starting at 0.
fn sum_in_order(pairs: &[(usize, f64)]) -> f64 {
    pairs.iter().fold(0.0, |acc, &(_, v)| acc + v)
}

fn ratio(numerator: f64, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator / denominator as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn triples(list: &[(usize, usize, f64)]) -> Vec<Triple> {
        list.iter()
            .map(|&(r, s, score)| Triple { r, s, score })
            .collect()
    }

    #[track_caller]
    fn check(list: &[(usize, usize, f64)], n_ref: usize, n_orig: usize, expected: [f64; 6]) {
        let got = row_scores(&triples(list), n_ref, n_orig);
        let got = [
            got.precision,
            got.recall,
            got.f1,
            got.ap,
            got.rc,
            got.ap_paper,
        ];
        for (name, (g, e)) in ["precision", "recall", "f1", "ap", "rc", "ap_paper"]
            .iter()
            .zip(got.iter().zip(expected))
        {
            assert!(
                (g - e).abs() < 1e-12,
                "{name} of {list:?}: got {g}, expected {e}"
            );
        }
    }

    #[test]
    fn spec_example_shared_s_counts_once_per_r_only_in_the_paper() {
        // SPEC 4: script recall 0.6667, one-to-one recall 0.3333.
        let p = 1.0 / 3.0;
        let r = 2.0 / 3.0;
        check(
            &[(1, 3, 1.0), (2, 3, 1.0), (3, 0, 0.0)],
            3,
            3,
            [
                p,
                r,
                2.0 * p * r / (p + r),
                (1.0 / 1.0) / 3.0,
                1.0 / 3.0,
                (1.0 / 3.0) / 3.0,
            ],
        );
    }

    #[test]
    fn spec_example_average_precisions_differ() {
        // SPEC 4: script AP (1/1 + 2/2)/3 = 0.6667; paper AP (1/1 + 2/3)/3 = 0.5556.
        let p = 2.0 / 3.0;
        let r = 2.0 / 3.0;
        check(
            &[(1, 1, 1.0), (2, 3, 1.0), (3, 0, 0.0)],
            3,
            3,
            [
                p,
                r,
                2.0 * p * r / (p + r),
                2.0 / 3.0,
                2.0 / 3.0,
                (1.0 + 2.0 / 3.0) / 3.0,
            ],
        );
    }

    #[test]
    fn no_valid_triple_scores_zero() {
        check(&[(1, 0, 0.0), (2, 0, 0.0)], 2, 3, [0.0; 6]);
        // S beyond n_orig and R beyond n_ref are not valid.
        check(&[(1, 4, 1.0), (5, 1, 1.0)], 2, 3, [0.0; 6]);
    }

    #[test]
    fn matching_is_exact_not_greedy() {
        // Greedy on R1 would take S1 (0.9) and leave R2 nothing; the best total is 0.8 + 1.0.
        let m = best_matching(&triples(&[(1, 1, 0.9), (1, 2, 0.8), (2, 1, 1.0)]), 2, 2);
        assert_eq!(m.pairs, vec![(1, 2, 0.8), (2, 1, 1.0)]);
        assert!((m.total - 1.8).abs() < 1e-12);
    }

    #[test]
    fn ties_prefer_early_ranks_whatever_the_line_order() {
        for list in [[(1, 1, 0.5), (1, 3, 0.5)], [(1, 3, 0.5), (1, 1, 0.5)]] {
            let m = best_matching(&triples(&list), 1, 3);
            assert_eq!(m.pairs, vec![(1, 1, 0.5)], "{list:?}");
        }
    }

    #[test]
    fn repeated_pairs_count_with_their_best_score() {
        check(
            &[(1, 1, 0.25), (1, 1, 0.75)],
            1,
            1,
            [0.75, 0.75, 0.75, 0.75, 0.75, 1.0],
        );
    }

    #[test]
    fn script_lets_r0_through_as_the_reference_does() {
        // R0 passes the script's filter (r <= n_ref) but is no human item for the paper.
        let got = row_scores(&triples(&[(0, 1, 1.0), (1, 0, 0.0)]), 2, 1);
        assert_eq!(got.recall, 0.5);
        assert_eq!(got.rc, 0.0);
    }

    #[test]
    fn one_to_one_recall_never_exceeds_script_recall() {
        // A small exhaustive sweep over 3 R items, 3 S items and scores {0, 0.5, 1}.
        let scores = [0.0, 0.5, 1.0];
        for code in 0..(4 * 3usize).pow(3) {
            let mut list = Vec::new();
            let mut c = code;
            for r in 1..=3 {
                let pick = c % 12;
                c /= 12;
                list.push((r, pick / 3, scores[pick % 3]));
            }
            let got = row_scores(&triples(&list), 3, 3);
            assert!(got.rc <= got.recall + 1e-12, "{list:?}");
            assert!(
                got.ap_paper <= 1.0 + 1e-12 && got.ap_paper >= 0.0,
                "{list:?}"
            );
        }
    }
}
