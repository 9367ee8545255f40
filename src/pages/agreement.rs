//! Matcher agreement (SPEC section 10): two matchers' RC of the same models on a chart with the
//! diagonal and the least-squares line, the figures of agreement, per model the row-level
//! agreement, and the rows where the matchers differ most, one click from both matchings.

use leptos::prelude::*;

use crate::chart::agreement::{agreement_chart, AgreementChartOptions};
use crate::chart::FamilyColours;
use crate::components::agreement_figures::AgreementFigures;
use crate::components::agreement_plot::AgreementPlot;
use crate::components::agreement_table::AgreementTable;
use crate::components::benchmark_agreement::BenchmarkAgreement;
use crate::components::differing_rows::{DifferingRows, RowAction};
use crate::components::matcher_files::{MatcherFileRow, MatcherFiles};
use crate::components::matcher_select::MatcherSelect;
use crate::components::row_pair::RowPair;
use crate::components::run_matchers::{RunMatcherRow, RunMatchers};
use crate::components::set_grouping::SetGrouping;
use crate::engine::agreement::{group_sets, RowDifference, TaggedReport};
use crate::engine::export::FlatReport;
use crate::engine::pipeline::Stage;
use crate::engine::sample::{sample_view, SampleView};
use crate::engine::summary::{evaluate, evaluate_models, Options};
use crate::engine::tabs::Tab;
use crate::state::AppState;

/// The pickers, then what the pair's agreement shows.
#[component]
pub fn Agreement() -> impl IntoView {
    let state = AppState::get();
    let ag = state.agreement;
    let file_rows = Signal::derive(move || {
        ag.files.with(|files| {
            files
                .iter()
                .map(|f| MatcherFileRow {
                    file: f.file.name.clone(),
                    model: judged_model(&f.file).unwrap_or_default(),
                    matcher: f.matcher.clone(),
                    recorded: f.recorded,
                    dataset: f.dataset.clone(),
                    dataset_recorded: f.dataset_recorded,
                    from: f.origin.label(),
                })
                .collect()
        })
    });
    let chart = Memo::new(move |_| {
        let (Some(Ok(agreement)), Some(a), Some(b)) =
            (ag.result.get(), ag.matcher_a.get(), ag.matcher_b.get())
        else {
            return None;
        };
        let settings = state.view.get();
        let mut colours = FamilyColours::new(&settings);
        let options = AgreementChartOptions {
            matcher_a: a,
            matcher_b: b,
            colours: agreement.models.iter().map(|m| colours.of(m)).collect(),
            dark: state.dark.get(),
            ..AgreementChartOptions::default()
        };
        Some(agreement_chart(&agreement, &options).map_err(|e| e.to_string()))
    });
    let svg = Signal::derive(move || match chart.get() {
        Some(Ok(c)) => Some((c.svg, c.width, c.height)),
        _ => None,
    });
    let chart_error = Signal::derive(move || chart.get().and_then(Result::err));
    let shown = RwSignal::new(None::<(String, usize)>);
    let on_action = Callback::new(move |action: RowAction| match action {
        RowAction::Both { model, rank } => shown.set(Some((model, rank))),
        RowAction::Open {
            model,
            rank,
            side_a,
        } => open_in_samples(&state, &model, rank, side_a),
    });
    let (rank_a, rank_b) = (RwSignal::new(0), RwSignal::new(1));
    let pick = |signal: RwSignal<Option<String>>| Callback::new(move |v| signal.set(v));
    view! {
        <section class="agreement">
            <MatcherFiles rows=file_rows on_name=Callback::new(move |(file, matcher): (String, String)| ag.name_matcher(&file, &matcher))
                on_dataset=Callback::new(move |(file, dataset): (String, String)| ag.name_dataset(&file, &dataset)) />
            <RunMatchers rows=Signal::derive(move || run_rows(&state)) adding=ag.kept.adding problem=ag.kept.problem
                on_add=Callback::new(move |id| ag.kept.add(id)) on_remove=Callback::new(move |id: String| ag.kept.remove(&id)) />
            <div class="agreement-pickers">
                <MatcherSelect title="Matcher A (x) " choices=ag.matchers chosen=ag.matcher_a on_pick=pick(ag.picked_a) />
                <MatcherSelect title="Matcher B (y) " choices=ag.matchers chosen=ag.matcher_b on_pick=pick(ag.picked_b) />
            </div>
            {move || match ag.result.get() {
                None => view! { <p class="hint">"Load judged files of the same models scored by two matchers (judge models) to compare them."</p> }.into_any(),
                Some(Err(error)) => view! { <p class="agreement-error problem" role="status">{error.to_string()}</p> }.into_any(),
                Some(Ok(agreement)) => {
                    let openable = (side_loaded(&state, ag.matcher_a.get()), side_loaded(&state, ag.matcher_b.get()));
                    view! {
                        <div class="agreement-overview">
                            <AgreementPlot svg=svg error=chart_error />
                            <AgreementFigures agreement=agreement.clone() />
                        </div>
                        <h3>"Per model, row by row"</h3>
                        <AgreementTable models=agreement.per_model.clone() />
                        {move || both_matchings(&state, shown.get()).map(|(model, a, b)| view! {
                            <RowPair model=model matcher_a=ag.matcher_a.get().unwrap_or_default() matcher_b=ag.matcher_b.get().unwrap_or_default()
                                a=a b=b on_close=Callback::new(move |()| shown.set(None)) />
                        })}
                        <h3>"Rows where the matchers differ most"</h3>
                        <DifferingRows models=agreement.per_model openable=openable on_action=on_action />
                    }.into_any()
                }
            }}
            <h3>"Rank agreement of two sets of files"</h3>
            <p class="hint">"The same models ranked by RC in two leaderboards: one per matcher (the same data set scored twice), or one per data set (the paper's Figure 2b: two benchmarks, one matcher). A leaderboard holding a model twice is split by the other key."</p>
            <SetGrouping group_by=ag.group_by />
            <BenchmarkAgreement sets=Signal::derive(move || rank_sets(&state)) pick_a=rank_a pick_b=rank_b
                options=state.options settings=state.view dark=state.dark />
        </section>
    }
}

/// The leaderboards of rank agreement: one per matcher or per data set (the tab's choice).
/// Only RC is ranked, so the files are scored without the rows' bootstrap (the rank
/// correlations have their own).
fn rank_sets(state: &AppState) -> Vec<(String, Vec<FlatReport>)> {
    let options = Options {
        resamples: 0,
        ..state.options.get()
    };
    let tagged: Vec<TaggedReport> = state.agreement.files.with(|files| {
        files
            .iter()
            .flat_map(|f| {
                evaluate_models(&f.file, &f.file.scored_models(), &options)
                    .iter()
                    .map(|report| TaggedReport {
                        matcher: f.matcher.clone(),
                        dataset: f.dataset.clone(),
                        report: FlatReport::new(report),
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    });
    group_sets(&tagged, state.agreement.group_by.get())
}

/// The stored matching runs, for "Add as matcher".
fn run_rows(state: &AppState) -> Vec<RunMatcherRow> {
    let current = state
        .run
        .current
        .with(|c| c.as_ref().map(|c| c.info.id.clone()));
    state.run.saved.with(|runs| {
        runs.iter()
            .filter(|r| r.settings.stage == Stage::Match)
            .map(|r| RunMatcherRow {
                id: r.id.clone(),
                label: format!(
                    "{}: {} judged by {}",
                    r.dataset_name,
                    r.models.join(", "),
                    r.settings.judge_model
                ),
                added: state.agreement.kept.holds(&r.id),
                current: current.as_deref() == Some(r.id.as_str()),
            })
            .collect()
    })
}

/// The name of the model a judged file scores.
fn judged_model(file: &crate::engine::dataset::LoadedFile) -> Option<String> {
    file.models.get(file.judged_model?).cloned()
}

/// True when every file of the matcher is a loaded file (the sample view can open it).
fn side_loaded(state: &AppState, matcher: Option<String>) -> bool {
    let Some(matcher) = matcher else {
        return false;
    };
    state.agreement.files.with(|files| {
        files
            .iter()
            .filter(|f| f.matcher == matcher)
            .all(|f| f.loaded)
    })
}

/// The row `rank` of `model`'s most different rows.
fn difference(
    state: &AppState,
    model: &str,
    rank: usize,
) -> Option<(String, String, RowDifference)> {
    state.agreement.result.with(|result| {
        let agreement = result.as_ref()?.as_ref().ok()?;
        let m = agreement.per_model.iter().find(|m| m.model == model)?;
        let d = m.most_different.get(rank)?;
        Some((m.file_a.clone(), m.file_b.clone(), d.clone()))
    })
}

/// Opens one side of a differing row in the sample view.
fn open_in_samples(state: &AppState, model: &str, rank: usize, side_a: bool) {
    let Some((file_a, file_b, d)) = difference(state, model, rank) else {
        return;
    };
    let (file, line) = if side_a {
        (file_a, d.line_a)
    } else {
        (file_b, d.line_b)
    };
    let Some(model) = state
        .agreement
        .file(&file, model)
        .and_then(|f| judged_model(&f))
    else {
        return;
    };
    state.focus.update(|f| {
        f.report = Some((file, model));
        f.filter = Default::default();
        f.line = Some(line);
    });
    state.tab.set(Tab::Samples);
}

/// Both matchers' matching of the row shown, when one is.
fn both_matchings(
    state: &AppState,
    shown: Option<(String, usize)>,
) -> Option<(String, SampleView, SampleView)> {
    let (model, rank) = shown?;
    let (file_a, file_b, d) = difference(state, &model, rank)?;
    let options = Options {
        resamples: 0,
        ..state.options.get()
    };
    let view = |name: &str, record: usize| {
        let file = state.agreement.file(name, &model)?;
        let report = evaluate(&file, file.judged_model?, &options);
        sample_view(&file, &report, record, None, &options)
    };
    let (a, b) = (view(&file_a, d.record_a)?, view(&file_b, d.record_b)?);
    Some((model, a, b))
}
