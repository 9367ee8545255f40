//! Judging the judges (SPEC section 10): how far two matchers agree on the same models, and how
//! far two data sets rank the same models alike. Every figure that cannot be computed is a
//! value saying why ([`Undefined`]), never NaN; too few models is an [`AgreementError`].
//!
//! Where things live: `fit` (least-squares line, R^2, RMSE of y - x, Pearson), `rank`
//! (Spearman's rho with average ranks, Kendall's tau-b), `kappa` (item scores, the five levels,
//! Cohen's weighted kappa), `join` (rows of two files joined by `id` or human checklist),
//! `matcher` (the matcher-agreement report), `benchmark` (two leaderboards' rank agreement),
//! `sets` (reports grouped into those leaderboards, by matcher or by data set),
//! `measure` and `error` (the undefined values and the errors).

mod benchmark;
mod error;
mod fit;
mod join;
mod kappa;
mod matcher;
mod measure;
mod rank;
mod sets;

pub use benchmark::{benchmark_agreement, BenchmarkAgreement, RankCorrelation};
pub use error::{AgreementError, Side, MIN_MODELS};
pub use fit::{fit_line, pearson, LineFit};
pub use join::{join_rows, JoinKey, Joined};
pub use kappa::{item_scores, level, weighted_kappa, LEVELS};
pub use matcher::{
    matcher_agreement, AgreementOptions, MatcherAgreement, ModelAgreement, RowDifference,
};
pub use measure::{Measure, Undefined};
pub use rank::{average_ranks, kendall_tau_b, spearman};
pub use sets::{group_sets, GroupBy, TaggedReport};
