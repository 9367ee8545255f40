//! Two models compared on the rows both have: means on the same rows, the mean difference with
//! a paired bootstrap interval, and the rows where the two differ most.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::dataset::{Checklist, LoadedFile, Record};
use super::metrics::RowOutcome;
use super::stats::{bootstrap, mean, Stat};
use super::summary::{ModelReport, Options, RowResult, OA_STREAM};

/// Most rows [`Paired::most_different`] lists.
pub const MAX_MOST_DIFFERENT: usize = 20;

/// A row both models have, with each model's result.
#[derive(Clone, Debug, PartialEq)]
pub struct PairedRow {
    pub key: String,
    pub line_a: usize,
    pub line_b: usize,
    /// One-to-one recall, when the row is scored for that model.
    pub rc_a: Option<f64>,
    pub rc_b: Option<f64>,
    /// Whether the model's verdict is right, when the row counts for its OA.
    pub oa_a: Option<bool>,
    pub oa_b: Option<bool>,
}

/// Model A against model B on their common rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Paired {
    /// Rows present in both files (by [`row_key`]).
    pub n_common: usize,
    /// Common rows scored for both models.
    pub n_rc: usize,
    /// Common rows counted for OA for both models.
    pub n_oa: usize,
    /// Mean one-to-one recall of each model on the `n_rc` rows.
    pub rc_a: Option<f64>,
    pub rc_b: Option<f64>,
    /// OA of each model on the `n_oa` rows.
    pub oa_a: Option<f64>,
    pub oa_b: Option<f64>,
    /// Mean of `rc_a - rc_b` over the `n_rc` rows, with a 95% paired bootstrap interval.
    pub rc_diff: Option<Stat>,
    /// Mean of `correct_a - correct_b` (1 or 0 each) over the `n_oa` rows, likewise.
    pub oa_diff: Option<Stat>,
    /// Up to [`MAX_MOST_DIFFERENT`] rows, largest `|rc_a - rc_b|` first, then rows where
    /// exactly one model's verdict is right; rows alike in both are left out.
    pub most_different: Vec<PairedRow>,
}

/// The key that identifies a data-set row across files: its `id` field (if any) together with
/// the human checklist, so that files judged from the same data set line up and different data
/// sets do not. The `id` is read from the row's short scalar fields (found without case): an id
/// string longer than the reader keeps for groups (200 bytes) takes no part in the key.
pub fn row_key(record: &Record) -> String {
    let id = record.field("id").cloned().unwrap_or(Value::Null);
    let human = match &record.human {
        Some(Checklist::Items(items)) => {
            Value::Array(items.iter().cloned().map(Value::String).collect())
        }
        // Tagged so that it can never equal a one-item checklist holding the same text.
        Some(Checklist::NotAList(found)) => Value::Object(
            [("not a list".to_string(), Value::from(found.as_str()))]
                .into_iter()
                .collect(),
        ),
        None => Value::Null,
    };
    Value::Array(vec![id, human]).to_string()
}

/// Compares model A (`report_a`, scored on `file_a`) with model B on the rows whose
/// [`row_key`] is in both files. A key that occurs more than once in a file stands for its
/// first row there; the later rows with that key take no part. Intervals resample the common
/// rows with `options.resamples` and `options.seed`, so the same files give the same interval.
pub fn compare(
    file_a: &LoadedFile,
    report_a: &ModelReport,
    file_b: &LoadedFile,
    report_b: &ModelReport,
    options: &Options,
) -> Paired {
    let mut in_b: HashMap<String, &RowResult> = HashMap::new();
    for (key, row) in keyed_rows(file_b, report_b) {
        in_b.entry(key).or_insert(row);
    }
    let mut seen_in_a: HashSet<String> = HashSet::new();
    let mut common: Vec<PairedRow> = Vec::new();
    for (key, row_a) in keyed_rows(file_a, report_a) {
        if !seen_in_a.insert(key.clone()) {
            continue;
        }
        let Some(row_b) = in_b.get(&key) else {
            continue;
        };
        common.push(PairedRow {
            key,
            line_a: row_a.line,
            line_b: row_b.line,
            rc_a: rc_of(row_a),
            rc_b: rc_of(row_b),
            oa_a: row_a.oa.counted(),
            oa_b: row_b.oa.counted(),
        });
    }

    let rc_pairs: Vec<(f64, f64)> = common
        .iter()
        .filter_map(|row| Some((row.rc_a?, row.rc_b?)))
        .collect();
    let oa_pairs: Vec<(f64, f64)> = common
        .iter()
        .filter_map(|row| Some((hit(row.oa_a?), hit(row.oa_b?))))
        .collect();
    let (rc_a, rc_b, rc_diff) = paired_means(&rc_pairs, options.resamples, options.seed);
    let (oa_a, oa_b, oa_diff) =
        paired_means(&oa_pairs, options.resamples, options.seed ^ OA_STREAM);

    Paired {
        n_common: common.len(),
        n_rc: rc_pairs.len(),
        n_oa: oa_pairs.len(),
        rc_a,
        rc_b,
        oa_a,
        oa_b,
        rc_diff,
        oa_diff,
        most_different: most_different(common),
    }
}

/// Each row of a report with its key; rows whose record is not in the file are left out.
fn keyed_rows<'a>(
    file: &'a LoadedFile,
    report: &'a ModelReport,
) -> impl Iterator<Item = (String, &'a RowResult)> + 'a {
    report.rows.iter().filter_map(move |row| {
        let record = file.records.get(row.record_idx)?;
        Some((row_key(record), row))
    })
}

fn rc_of(row: &RowResult) -> Option<f64> {
    match &row.outcome {
        RowOutcome::Scored(scores) => Some(scores.rc),
        _ => None,
    }
}

fn hit(correct: bool) -> f64 {
    if correct {
        1.0
    } else {
        0.0
    }
}

/// The mean of each side and the mean difference with its interval. Resampling the
/// differences is resampling the pairs jointly: each draw takes both models' values of a row.
fn paired_means(
    pairs: &[(f64, f64)],
    resamples: usize,
    seed: u64,
) -> (Option<f64>, Option<f64>, Option<Stat>) {
    if pairs.is_empty() {
        return (None, None, None);
    }
    let a: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let b: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let diffs: Vec<f64> = pairs.iter().map(|p| p.0 - p.1).collect();
    let [diff] = bootstrap(&[diffs], resamples, seed);
    (Some(mean(&a)), Some(mean(&b)), Some(diff))
}

/// The rows worth a look first: by `|rc_a - rc_b|` (0 when either is missing), then verdicts
/// that disagree on correctness; ties keep file order.
fn most_different(common: Vec<PairedRow>) -> Vec<PairedRow> {
    let gap = |row: &PairedRow| match (row.rc_a, row.rc_b) {
        (Some(a), Some(b)) => (a - b).abs(),
        _ => 0.0,
    };
    let split = |row: &PairedRow| matches!((row.oa_a, row.oa_b), (Some(a), Some(b)) if a != b);
    let mut rows: Vec<PairedRow> = common
        .into_iter()
        .filter(|row| gap(row) > 0.0 || split(row))
        .collect();
    rows.sort_by(|x, y| {
        gap(y)
            .total_cmp(&gap(x))
            .then_with(|| split(y).cmp(&split(x)))
    });
    rows.truncate(MAX_MOST_DIFFERENT);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::load;
    use crate::engine::summary::evaluate;

    /// A judged row of model `model`: id, human items, model items, answer (None = failed
    /// call), the model's label and the human preference.
    fn row(
        model: &str,
        id: u32,
        human: &[&str],
        items: &[&str],
        answer: Option<&str>,
        label: &str,
        preference: i32,
    ) -> String {
        let samples = match answer {
            Some(text) => serde_json::json!([{ "generated_text": text }]),
            None => serde_json::json!([]),
        };
        let mut metadata = serde_json::Map::new();
        metadata.insert("id".into(), id.into());
        metadata.insert("human-checklist".into(), human.into());
        metadata.insert(format!("{model}-checklist"), items.into());
        metadata.insert(format!("{model}-label"), label.into());
        metadata.insert("overall_preference".into(), preference.into());
        serde_json::json!({ "samples": samples, "metadata": metadata }).to_string()
    }

    /// Model alpha: rc 0.5, 1, 0.5, 1 on ids 1-4; id 5 only here; id 1 again (ignored).
    fn file_a() -> LoadedFile {
        let m = "alpha";
        let text = [
            row(
                m,
                1,
                &["h1", "h2"],
                &["s1", "s2"],
                Some("<RESULT_START>- R1@S1: 1\n- R2@S0: 0<RESULT_END>"),
                "A>B",
                -1,
            ),
            row(
                m,
                2,
                &["h1"],
                &["s1"],
                Some("<RESULT_START>- R1@S1: 1<RESULT_END>"),
                "B>A",
                2,
            ),
            row(
                m,
                3,
                &["h1", "h2"],
                &["s1", "s2"],
                Some("<RESULT_START>- R1@S1: 0.5\n- R2@S2: 0.5<RESULT_END>"),
                "B>A",
                -2,
            ),
            row(
                m,
                4,
                &["h1"],
                &["s1"],
                Some("<RESULT_START>- R1@S1: 1<RESULT_END>"),
                "B>A",
                1,
            ),
            row(
                m,
                5,
                &["h1"],
                &["s1"],
                Some("<RESULT_START>- R1@S1: 1<RESULT_END>"),
                "A>B",
                -1,
            ),
            row(
                m,
                1,
                &["h1", "h2"],
                &["s1"],
                Some("<RESULT_START>- R1@S0: 0\n- R2@S0: 0<RESULT_END>"),
                "B>A",
                -1,
            ),
        ];
        load("a.jsonl", text.join("\n").as_bytes())
    }

    /// Model beta: rc 1, 0, 0.25 on ids 1-3; id 4 an error; id 6 only here.
    fn file_b() -> LoadedFile {
        let m = "beta";
        let text = [
            row(
                m,
                6,
                &["h1"],
                &["s1"],
                Some("<RESULT_START>- R1@S1: 1<RESULT_END>"),
                "A>B",
                -1,
            ),
            row(
                m,
                1,
                &["h1", "h2"],
                &["s1", "s2"],
                Some("<RESULT_START>- R1@S1: 1\n- R2@S2: 1<RESULT_END>"),
                "B>A",
                -1,
            ),
            row(
                m,
                2,
                &["h1"],
                &["s1"],
                Some("<RESULT_START>- R1@S0: 0<RESULT_END>"),
                "B>A",
                2,
            ),
            row(
                m,
                3,
                &["h1", "h2"],
                &["s1"],
                Some("<RESULT_START>- R1@S1: 0.5\n- R2@S0: 0<RESULT_END>"),
                "A>B",
                -2,
            ),
            row(m, 4, &["h1"], &["s1"], None, "A>B", 1),
        ];
        load("b.jsonl", text.join("\n").as_bytes())
    }

    fn reports(a: &LoadedFile, b: &LoadedFile) -> (ModelReport, ModelReport) {
        let options = Options::default();
        (evaluate(a, 0, &options), evaluate(b, 0, &options))
    }

    #[track_caller]
    fn check(
        paired: &Paired,
        counts: [usize; 3],
        means: [Option<f64>; 4],
        diffs: [Option<f64>; 2],
    ) {
        assert_eq!(
            [paired.n_common, paired.n_rc, paired.n_oa],
            counts,
            "counts"
        );
        assert_eq!(
            [paired.rc_a, paired.rc_b, paired.oa_a, paired.oa_b],
            means,
            "means"
        );
        let got = [
            paired.rc_diff.map(|s| s.mean),
            paired.oa_diff.map(|s| s.mean),
        ];
        assert_eq!(got, diffs, "mean differences");
        for stat in [paired.rc_diff, paired.oa_diff].into_iter().flatten() {
            assert!(stat.lo <= stat.mean && stat.mean <= stat.hi, "{stat:?}");
        }
    }

    #[test]
    fn common_rows_give_means_and_paired_differences() {
        let (a, b) = (file_a(), file_b());
        let (report_a, report_b) = reports(&a, &b);
        let paired = compare(&a, &report_a, &b, &report_b, &Options::default());
        // ids 1-4 are common; id 4 is an error for beta, so 3 rows score for both.
        check(
            &paired,
            [4, 3, 4],
            [Some(2.0 / 3.0), Some(1.25 / 3.0), Some(0.75), Some(0.5)],
            [Some(0.25), Some(0.25)],
        );
        // The first row with id 1 is the one compared, not the repeat on line 6.
        assert_eq!(paired.most_different[1].line_a, 1);
        let rc_diff = paired.rc_diff.unwrap();
        assert!(rc_diff.lo < rc_diff.hi, "{rc_diff:?}");
        let again = compare(&a, &report_a, &b, &report_b, &Options::default());
        assert_eq!(again, paired, "the same files give the same intervals");
    }

    #[test]
    fn a_model_against_itself_differs_by_nothing() {
        let a = file_a();
        let (report, _) = reports(&a, &a);
        let paired = compare(&a, &report, &a, &report, &Options::default());
        check(
            &paired,
            [5, 5, 5],
            [Some(0.8), Some(0.8), Some(0.8), Some(0.8)],
            [Some(0.0), Some(0.0)],
        );
        let zero = Stat {
            mean: 0.0,
            lo: 0.0,
            hi: 0.0,
        };
        assert_eq!((paired.rc_diff, paired.oa_diff), (Some(zero), Some(zero)));
        assert!(paired.most_different.is_empty());
    }

    #[test]
    fn most_different_rows_come_largest_gap_first() {
        let (a, b) = (file_a(), file_b());
        let (report_a, report_b) = reports(&a, &b);
        let paired = compare(&a, &report_a, &b, &report_b, &Options::default());
        let got: Vec<_> = paired
            .most_different
            .iter()
            .map(|r| (r.line_a, r.line_b, r.rc_a, r.rc_b, r.oa_a, r.oa_b))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, 3, Some(1.0), Some(0.0), Some(true), Some(true)),
                (1, 2, Some(0.5), Some(1.0), Some(true), Some(false)),
                (3, 4, Some(0.5), Some(0.25), Some(false), Some(true)),
                (4, 5, Some(1.0), None, Some(true), Some(false)),
            ]
        );
    }

    #[test]
    fn row_keys_tell_data_sets_apart() {
        let dataset = load(
            "d.jsonl",
            br#"{"id": 1, "human-checklist": ["h1", "h2"], "m-checklist": ["s1"]}
{"id": 1, "human-checklist": ["other"], "m-checklist": ["s1"]}
{"human-checklist": ["h1", "h2"]}
{"ID": "1", "human-checklist": ["h1", "h2"]}"#,
        );
        let a = file_a();
        let key = |file: &LoadedFile, idx: usize| row_key(&file.records[idx]);
        // (key, key, same row?)
        let table = [
            (key(&dataset, 0), key(&a, 0), true),
            (key(&dataset, 0), key(&dataset, 1), false),
            (key(&dataset, 0), key(&dataset, 2), false),
            (key(&dataset, 0), key(&dataset, 3), false),
            (key(&a, 0), key(&a, 5), true),
        ];
        for (x, y, same) in table {
            assert_eq!(x == y, same, "{x} vs {y}");
        }
    }
}
