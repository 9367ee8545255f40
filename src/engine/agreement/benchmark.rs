//! Benchmark agreement (SPEC section 10, the paper's Figure 2b): the same models on two data
//! sets, their RC ranked on each, with rank correlations and bootstrap intervals over models.

use serde::{Deserialize, Serialize};

use super::error::{AgreementError, Side, MIN_MODELS};
use super::measure::Measure;
use super::rank::{average_ranks, kendall_tau_b, spearman};
use crate::engine::export::FlatReport;
use crate::engine::stats::bootstrap_by;
use crate::engine::summary::Options;

/// Two leaderboards compared on the models both have.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkAgreement {
    /// The models on both with RC on both, in leaderboard A's order.
    pub models: Vec<String>,
    pub rc_a: Vec<f64>,
    pub rc_b: Vec<f64>,
    /// Each model's rank on each side, 1 = the highest RC, tied models sharing the mean rank
    /// (what a slope chart of the ranks draws).
    pub rank_a: Vec<f64>,
    pub rank_b: Vec<f64>,
    pub spearman: RankCorrelation,
    pub kendall_tau_b: RankCorrelation,
    /// Models only one leaderboard has (or without RC on the other), left out.
    pub only_a: Vec<String>,
    pub only_b: Vec<String>,
}

/// A rank correlation with its 95% bootstrap interval from resampling models.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankCorrelation {
    pub value: Measure,
    /// `None` when intervals are off or no resample had a defined correlation.
    pub interval: Option<[f64; 2]>,
    /// Resamples whose correlation was undefined (all their models tied), left out.
    pub n_undefined: usize,
}

/// Compares leaderboards `a` and `b` (one report per model; models joined by name without
/// case). Both correlations resample the same model indices, `options.resamples` times from
/// `options.seed`. Errors: a model twice on one side, fewer than [`MIN_MODELS`] in common.
pub fn benchmark_agreement(
    a: &[FlatReport],
    b: &[FlatReport],
    options: &Options,
) -> Result<BenchmarkAgreement, AgreementError> {
    check_unique(a, Side::A)?;
    check_unique(b, Side::B)?;
    let same = |x: &FlatReport, y: &FlatReport| x.model.to_lowercase() == y.model.to_lowercase();
    let mut models = Vec::new();
    let (mut rc_a, mut rc_b) = (Vec::new(), Vec::new());
    let mut only_a = Vec::new();
    for report in a {
        match (
            report.rc,
            b.iter()
                .find(|other| same(report, other))
                .and_then(|o| o.rc),
        ) {
            (Some(x), Some(y)) => {
                models.push(report.model.clone());
                rc_a.push(x);
                rc_b.push(y);
            }
            _ => only_a.push(report.model.clone()),
        }
    }
    let only_b = b
        .iter()
        .filter(|report| {
            !models
                .iter()
                .any(|m| m.to_lowercase() == report.model.to_lowercase())
        })
        .map(|report| report.model.clone())
        .collect();
    if models.len() < MIN_MODELS {
        return Err(AgreementError::TooFewModels { models });
    }
    let correlation = |statistic: fn(&[f64], &[f64]) -> Measure| {
        let resampled = bootstrap_by(models.len(), options.resamples, options.seed, |idx| {
            let xs: Vec<f64> = idx.iter().map(|&i| rc_a[i]).collect();
            let ys: Vec<f64> = idx.iter().map(|&i| rc_b[i]).collect();
            statistic(&xs, &ys).ok()
        });
        RankCorrelation {
            value: statistic(&rc_a, &rc_b),
            interval: resampled.interval,
            n_undefined: resampled.n_undefined,
        }
    };
    let (spearman, kendall_tau_b) = (correlation(spearman), correlation(kendall_tau_b));
    let descending = |v: &[f64]| average_ranks(&v.iter().map(|x| -x).collect::<Vec<_>>());
    Ok(BenchmarkAgreement {
        rank_a: descending(&rc_a),
        rank_b: descending(&rc_b),
        models,
        rc_a,
        rc_b,
        spearman,
        kendall_tau_b,
        only_a,
        only_b,
    })
}

fn check_unique(reports: &[FlatReport], side: Side) -> Result<(), AgreementError> {
    for (i, report) in reports.iter().enumerate() {
        let lower = report.model.to_lowercase();
        if let Some(first) = reports[..i]
            .iter()
            .find(|r| r.model.to_lowercase() == lower)
        {
            return Err(AgreementError::DuplicateModel {
                side,
                model: report.model.clone(),
                first: first.file.clone(),
                second: report.file.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::agreement::measure::{assert_measure, Undefined};

    fn board(models: &[(&str, Option<f64>)]) -> Vec<FlatReport> {
        models
            .iter()
            .map(|&(model, rc)| FlatReport {
                file: "f".into(),
                model: model.into(),
                rc,
                ..FlatReport::default()
            })
            .collect()
    }

    /// Models `m1`, `m2`, ... with these RCs.
    fn numbered(rcs: &[f64]) -> Vec<(String, Option<f64>)> {
        (1..)
            .zip(rcs)
            .map(|(i, &rc)| (format!("m{i}"), Some(rc)))
            .collect()
    }

    fn named(models: &[(String, Option<f64>)]) -> Vec<(&str, Option<f64>)> {
        models.iter().map(|(m, rc)| (m.as_str(), *rc)).collect()
    }

    #[track_caller]
    fn check(
        a: &[(&str, Option<f64>)],
        b: &[(&str, Option<f64>)],
        expected: [Measure; 2],
    ) -> BenchmarkAgreement {
        let options = Options {
            resamples: 200,
            ..Options::default()
        };
        let got = benchmark_agreement(&board(a), &board(b), &options).expect("enough models");
        assert_measure("spearman", got.spearman.value, expected[0]);
        assert_measure("kendall", got.kendall_tau_b.value, expected[1]);
        let again = benchmark_agreement(&board(a), &board(b), &options).expect("enough models");
        assert_eq!(got, again, "a fixed seed gives the same intervals");
        got
    }

    #[test]
    fn models_join_by_name_and_rank_best_first() {
        // Same order on both, the extra models left out: a perfect ranking.
        let got = check(
            &[
                ("m1", Some(0.4)),
                ("M2", Some(0.3)),
                ("m3", Some(0.2)),
                ("only-a", Some(0.9)),
            ],
            &[
                ("m3", Some(0.1)),
                ("m2", Some(0.25)),
                ("m1", Some(0.35)),
                ("only-b", Some(0.5)),
            ],
            [Ok(1.0), Ok(1.0)],
        );
        assert_eq!(got.models, ["m1", "M2", "m3"]);
        assert_eq!(
            (got.rank_a.clone(), got.rank_b.clone()),
            (vec![1.0, 2.0, 3.0], vec![1.0, 2.0, 3.0])
        );
        assert_eq!(
            (got.only_a, got.only_b),
            (vec!["only-a".to_string()], vec!["only-b".to_string()])
        );
        // Every resample of a perfect ranking is perfect or all tied (one model drawn thrice).
        assert_eq!(got.spearman.interval, Some([1.0, 1.0]));
        assert!(got.spearman.n_undefined > 0);
    }

    #[test]
    fn a_reversed_ranking_and_ties() {
        let a = numbered(&[0.1, 0.2, 0.3, 0.4]);
        let reversed = numbered(&[0.4, 0.3, 0.2, 0.1]);
        let got = check(&named(&a), &named(&reversed), [Ok(-1.0), Ok(-1.0)]);
        let [lo, hi] = got.kendall_tau_b.interval.expect("defined resamples");
        assert!(lo <= hi && hi <= -1.0 + 1e-12);
        // Ties on B: ranks 1 2.5 2.5 4 against 1 2 3 4 (see rank.rs for the hand computation).
        let tied = numbered(&[0.1, 0.2, 0.2, 0.3]);
        check(
            &named(&a),
            &named(&tied),
            [Ok(4.5 / 22.5f64.sqrt()), Ok(5.0 / 30f64.sqrt())],
        );
        let flat = numbered(&[0.2; 4]);
        let all_tied = Err(Undefined::AllTied);
        check(&named(&a), &named(&flat), [all_tied, all_tied]);
    }

    #[test]
    fn too_few_or_repeated_models_are_errors() {
        let two = board(&[("m1", Some(0.1)), ("m2", Some(0.2)), ("m3", None)]);
        let got = benchmark_agreement(&two, &two, &Options::default());
        assert_eq!(
            got.map_err(|e| e.to_string()),
            Err("agreement needs at least 3 models with RC on both sides; found 2 (m1, m2)".into())
        );
        let twice = board(&[("m1", Some(0.1)), ("M1", Some(0.2)), ("m3", Some(0.3))]);
        assert!(matches!(
            benchmark_agreement(&twice, &two, &Options::default()),
            Err(AgreementError::DuplicateModel { side: Side::A, .. })
        ));
    }
}
