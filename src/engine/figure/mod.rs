//! The figures a report gives, as data: each one's key, names, help text, direction and kind,
//! and where the page and the downloads show it. The flat report, the CSV, JSON and Markdown
//! downloads, the share link, the leaderboard, the chart's y axis and the command line's sort
//! all iterate [`Figure::ALL`], so that a new figure is its computation plus one arm here (and
//! its field in `FlatReport`, whose JSON shape is public).

use serde::{Deserialize, Serialize};

mod reading;

pub use reading::{order, Reading};

use super::summary::ModelReport;

/// One figure of a model's report. The order of [`Figure::ALL`] is the leaderboard's.
///
/// The chart's choices keep the arm names of the former `YFigure` (`Rc`, `ScriptRecall`, `F1`,
/// `Ap`, `ApPaper`), so that `ChartSettings` serialises as before.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Figure {
    /// Rationale consistency: mean one-to-one recall (the paper's metric and Figure 1).
    #[default]
    Rc,
    /// Outcome accuracy: the share of rows where the model picked the human's choice.
    Oa,
    /// Among correct-verdict rows with RC, the share whose RC is below a threshold (SPEC 10).
    RightForWrongReasons,
    /// The share of rows whose verdict stays the same with A and B swapped, for a model judged
    /// in both orders (SPEC 8, the swap stage).
    PositionConsistency,
    /// Recall as `metajudge_analysis.py` computes it.
    ScriptRecall,
    Precision,
    F1,
    /// Average precision, script-compatible.
    Ap,
    /// Average precision over the one-to-one matching.
    ApPaper,
    PrecisionStd,
    RecallStd,
    Total,
    Valid,
    Errors,
    Skipped,
    NotJudged,
    BadLines,
    OaRows,
    OaCorrect,
    OaUnreadable,
    OaTiesExcluded,
}

/// What kind of number a figure is: how it is stored and shown, and where the CSV puts it (the
/// CSV lists the figures by kind, in the order of this enum).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Rows (or lines) of the file, counted.
    Count,
    /// A mean over rows, with its 95% bootstrap interval when intervals are on.
    Mean,
    /// A population standard deviation over rows.
    Spread,
    /// A count of outcome accuracy's tally.
    Tally,
}

impl Figure {
    /// Every figure, in the leaderboard's order.
    pub const ALL: [Figure; 21] = [
        Figure::Rc,
        Figure::Oa,
        Figure::RightForWrongReasons,
        Figure::PositionConsistency,
        Figure::ScriptRecall,
        Figure::Precision,
        Figure::F1,
        Figure::Ap,
        Figure::ApPaper,
        Figure::PrecisionStd,
        Figure::RecallStd,
        Figure::Total,
        Figure::Valid,
        Figure::Errors,
        Figure::Skipped,
        Figure::NotJudged,
        Figure::BadLines,
        Figure::OaRows,
        Figure::OaCorrect,
        Figure::OaUnreadable,
        Figure::OaTiesExcluded,
    ];

    /// The JSON name of the figure (as in `metajudge score --json`), also its CSV column.
    pub fn key(self) -> &'static str {
        self.spec().key
    }

    /// The short name a table column shows.
    pub fn label(self) -> &'static str {
        self.spec().label
    }

    /// The full name, as the chart's axis shows it.
    pub fn title(self) -> &'static str {
        self.spec().title
    }

    /// One sentence on what the figure is, for a tooltip.
    pub fn help(self) -> &'static str {
        self.spec().help
    }

    pub fn kind(self) -> Kind {
        self.spec().kind
    }

    /// Whether a higher value is the better one (errors, for example, are better low).
    pub fn higher_is_better(self) -> bool {
        self.spec().higher_is_better
    }

    /// Whether the leaderboard shows the figure as a column.
    pub fn on_leaderboard(self) -> bool {
        self.spec().leaderboard
    }

    /// Whether the leaderboard shows the column only when some row has the figure (one that
    /// most files lack, such as position consistency).
    pub fn sparse(self) -> bool {
        self.spec().sparse
    }

    /// Whether the chart's y axis can show the figure (x is always outcome accuracy).
    pub fn on_chart(self) -> bool {
        self.spec().chart
    }

    /// The figure's header in the Markdown table, when the paper-style table has it.
    pub fn markdown_header(self) -> Option<&'static str> {
        self.spec().markdown
    }

    /// The figures the chart's y axis can show, in order.
    pub fn chart_choices() -> impl Iterator<Item = Figure> {
        Figure::ALL.into_iter().filter(|f| f.on_chart())
    }

    /// The figure of a JSON name.
    pub fn from_key(key: &str) -> Option<Figure> {
        Figure::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The figure's overall value in a report, computed by `summary`.
    pub fn of(self, report: &ModelReport) -> Reading {
        let reading = self.of_figures(report);
        // While its bootstrap runs, a report has no intervals yet (not zero-width ones); its
        // position consistency is computed with its interval at once.
        if report.intervals_pending && self != Figure::PositionConsistency {
            return Reading {
                interval: None,
                ..reading
            };
        }
        reading
    }

    fn of_figures(self, report: &ModelReport) -> Reading {
        let f = &report.figures;
        match self {
            Figure::Rc => Reading::stat(f.rc),
            Figure::Oa => Reading::stat(f.oa),
            Figure::RightForWrongReasons => Reading::stat(f.right_for_wrong_reasons),
            Figure::PositionConsistency => Reading::stat(f.position_consistency),
            Figure::ScriptRecall => Reading::stat(f.recall),
            Figure::Precision => Reading::stat(f.precision),
            Figure::F1 => Reading::stat(f.f1),
            Figure::Ap => Reading::stat(f.ap),
            Figure::ApPaper => Reading::stat(f.ap_paper),
            Figure::PrecisionStd => Reading::number(f.precision_std),
            Figure::RecallStd => Reading::number(f.recall_std),
            Figure::Total => Reading::count(f.n_total),
            Figure::Valid => Reading::count(f.n_valid),
            Figure::Errors => Reading::count(f.n_errors),
            Figure::Skipped => Reading::count(f.n_skipped),
            Figure::NotJudged => Reading::count(f.n_not_judged),
            Figure::BadLines => Reading::count(report.n_bad_lines),
            Figure::OaRows => Reading::count(f.oa_tally.counted),
            Figure::OaCorrect => Reading::count(f.oa_tally.correct),
            Figure::OaUnreadable => Reading::count(f.oa_tally.unreadable),
            Figure::OaTiesExcluded => Reading::count(f.oa_tally.ties_excluded),
        }
    }

    /// Orders two values of this figure best first; a missing value comes last.
    pub fn best_first(self, a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
        reading::order(a, b, self.higher_is_better())
    }

    /// Everything about one figure, in one place.
    fn spec(self) -> Spec {
        match self {
            Figure::Rc => mean(
                "rc",
                "RC",
                "Rationale consistency (RC, one-to-one recall)",
                "Rationale consistency: mean one-to-one recall (the paper's metric)",
            )
            .chart()
            .markdown("RC (95% CI)"),
            Figure::Oa => mean(
                "oa",
                "OA",
                "Outcome accuracy (OA)",
                "Outcome accuracy: share of rows where the model picked the human's choice",
            )
            .markdown("OA (95% CI)"),
            // Correct for reasons the human did not give: fewer is better.
            Figure::RightForWrongReasons => mean(
                "right_for_wrong_reasons",
                "Right, wrong reasons",
                "Right for the wrong reasons",
                "Share of rows with a correct verdict whose RC is below the threshold set \
                 under Scoring (default 0.25)",
            )
            .lower_is_better()
            .markdown("Right, wrong reasons (95% CI)"),
            Figure::PositionConsistency => mean(
                "position_consistency",
                "Position consistency",
                "Position consistency",
                "Share of rows with the same verdict when Response A and B are swapped (a model \
                 judged in both orders: the swap stage, or genrm --swap)",
            )
            .sparse(),
            Figure::ScriptRecall => mean(
                "recall",
                "Recall (script)",
                "Recall (script)",
                "Mean recall as metajudge_analysis.py computes it (R items may share an S)",
            )
            .chart()
            .markdown("Recall (script)"),
            Figure::Precision => mean(
                "precision",
                "Precision",
                "Precision (script)",
                "Mean precision (script)",
            ),
            Figure::F1 => mean("f1", "F1", "F1 (script)", "Mean F1 (script)")
                .chart()
                .markdown("F1"),
            Figure::Ap => mean(
                "ap",
                "AP (script)",
                "Average precision (script)",
                "Mean average precision as the script computes it",
            )
            .chart(),
            Figure::ApPaper => mean(
                "ap_paper",
                "AP (paper)",
                "Average precision (paper)",
                "Mean average precision over the one-to-one matching (paper Eq. 3)",
            )
            .chart()
            .markdown("AP (paper)"),
            // A smaller spread is a steadier judge.
            Figure::PrecisionStd => spread(
                "precision_std",
                "P std",
                "Standard deviation of precision (script)",
                "Population standard deviation of precision",
            ),
            Figure::RecallStd => spread(
                "recall_std",
                "R std",
                "Standard deviation of recall (script)",
                "Population standard deviation of recall (script)",
            ),
            Figure::Total => count("total", "Rows", "Rows", "Rows that parsed"),
            Figure::Valid => {
                count("valid", "Valid", "Rows scored", "Rows scored").markdown("Valid")
            }
            Figure::Errors => count(
                "errors",
                "Errors",
                "Rows with errors",
                "Rows whose judge answer or checklists could not be scored",
            )
            .lower_is_better(),
            Figure::Skipped => count(
                "skipped",
                "Skipped",
                "Rows skipped",
                "Rows left out: model checklist empty or longer than the maximum",
            )
            .lower_is_better(),
            Figure::NotJudged => count(
                "not_judged",
                "Not judged",
                "Rows not judged",
                "Data-set rows with no judge answer yet",
            )
            .lower_is_better()
            .hidden(),
            Figure::BadLines => count(
                "bad_lines",
                "Bad lines",
                "Unreadable lines",
                "Lines that are not JSON objects, counted apart from the rows",
            )
            .lower_is_better()
            .hidden(),
            Figure::OaRows => tally(
                "oa_rows",
                "OA rows",
                "Rows counted for OA",
                "Rows counted for OA (both verdicts present; human ties left out unless counted)",
            )
            .markdown("OA rows"),
            Figure::OaCorrect => tally(
                "oa_correct",
                "OA correct",
                "Rows where the model picked the human's choice",
                "Rows counted for OA where the model picked the human's choice",
            )
            .hidden(),
            Figure::OaUnreadable => tally(
                "oa_unreadable",
                "OA unreadable",
                "Rows whose verdict could not be read",
                "Rows counted as wrong for OA because the model's verdict could not be read",
            )
            .lower_is_better()
            .hidden(),
            Figure::OaTiesExcluded => tally(
                "oa_ties_excluded",
                "Ties left out",
                "Human ties left out of OA",
                "Rows with a human tie, left out of OA unless ties are counted",
            )
            .lower_is_better()
            .hidden(),
        }
    }
}

impl Kind {
    /// Counts and tallies are whole numbers.
    pub fn is_count(self) -> bool {
        matches!(self, Kind::Count | Kind::Tally)
    }
}

/// The description of one figure, built by [`mean`], [`spread`], [`count`] or [`tally`] and the switches
/// below them.
#[derive(Clone, Copy)]
struct Spec {
    key: &'static str,
    label: &'static str,
    title: &'static str,
    help: &'static str,
    kind: Kind,
    higher_is_better: bool,
    leaderboard: bool,
    /// A leaderboard column only when some row has it.
    sparse: bool,
    chart: bool,
    markdown: Option<&'static str>,
}

impl Spec {
    /// The chart's y axis can show it.
    fn chart(self) -> Self {
        Spec {
            chart: true,
            ..self
        }
    }

    fn markdown(self, header: &'static str) -> Self {
        Spec {
            markdown: Some(header),
            ..self
        }
    }

    fn lower_is_better(self) -> Self {
        Spec {
            higher_is_better: false,
            ..self
        }
    }

    /// A leaderboard column only when some row has the figure.
    fn sparse(self) -> Self {
        Spec {
            sparse: true,
            ..self
        }
    }

    /// In the downloads, but not a leaderboard column.
    fn hidden(self) -> Self {
        Spec {
            leaderboard: false,
            ..self
        }
    }
}

fn mean(key: &'static str, label: &'static str, title: &'static str, help: &'static str) -> Spec {
    describe(Kind::Mean, key, label, title, help)
}

fn spread(key: &'static str, label: &'static str, title: &'static str, help: &'static str) -> Spec {
    describe(Kind::Spread, key, label, title, help).lower_is_better()
}

fn count(key: &'static str, label: &'static str, title: &'static str, help: &'static str) -> Spec {
    describe(Kind::Count, key, label, title, help)
}

fn tally(key: &'static str, label: &'static str, title: &'static str, help: &'static str) -> Spec {
    describe(Kind::Tally, key, label, title, help)
}

fn describe(
    kind: Kind,
    key: &'static str,
    label: &'static str,
    title: &'static str,
    help: &'static str,
) -> Spec {
    Spec {
        key,
        label,
        title,
        help,
        kind,
        higher_is_better: true,
        leaderboard: true,
        sparse: false,
        chart: false,
        markdown: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_name_their_figure() {
        for (i, figure) in Figure::ALL.into_iter().enumerate() {
            assert_eq!(Figure::from_key(figure.key()), Some(figure));
            assert!(
                Figure::ALL[..i].iter().all(|f| f.key() != figure.key()),
                "{figure:?}"
            );
            let texts = [figure.label(), figure.title(), figure.help()];
            assert!(texts.iter().all(|t| !t.is_empty()), "{figure:?}");
        }
        assert_eq!(Figure::from_key("zz"), None);
    }

    #[test]
    fn the_chart_shows_the_means_it_showed_before() {
        let keys: Vec<&str> = Figure::chart_choices().map(Figure::key).collect();
        assert_eq!(keys, ["rc", "recall", "f1", "ap", "ap_paper"]);
        assert_eq!(Figure::default(), Figure::Rc);
        assert!(Figure::chart_choices().all(|f| f.kind() == Kind::Mean));
    }

    #[test]
    fn missing_values_sort_last_in_either_direction() {
        #[track_caller]
        fn check(figure: Figure, values: &[Option<f64>], expected: &[Option<f64>]) {
            let mut sorted = values.to_vec();
            sorted.sort_by(|a, b| figure.best_first(*a, *b));
            assert_eq!(sorted, expected);
        }
        let values = [Some(0.2), None, Some(0.7), Some(0.4)];
        check(
            Figure::Rc,
            &values,
            &[Some(0.7), Some(0.4), Some(0.2), None],
        );
        check(
            Figure::Errors,
            &values,
            &[Some(0.2), Some(0.4), Some(0.7), None],
        );
    }

    #[test]
    fn the_leaderboard_keeps_its_columns() {
        let columns: Vec<(&str, &str)> = Figure::ALL
            .into_iter()
            .filter(|f| f.on_leaderboard())
            .map(|f| (f.key(), f.label()))
            .collect();
        let expected = [
            ("rc", "RC"),
            ("oa", "OA"),
            ("right_for_wrong_reasons", "Right, wrong reasons"),
            ("position_consistency", "Position consistency"),
            ("recall", "Recall (script)"),
            ("precision", "Precision"),
            ("f1", "F1"),
            ("ap", "AP (script)"),
            ("ap_paper", "AP (paper)"),
            ("precision_std", "P std"),
            ("recall_std", "R std"),
            ("total", "Rows"),
            ("valid", "Valid"),
            ("errors", "Errors"),
            ("skipped", "Skipped"),
            ("oa_rows", "OA rows"),
        ];
        assert_eq!(columns, expected);
    }
}
