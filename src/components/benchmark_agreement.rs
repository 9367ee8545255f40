//! Benchmark agreement (SPEC 10, the paper's Figure 2b): two leaderboards' RC side by side
//! (models joined by name), Spearman's rho and Kendall's tau-b with bootstrap intervals over
//! models, and the slope chart of the ranks.

use leptos::prelude::*;

use crate::chart::slope::{rank_text, slope_svg, SlopeLine, SlopeOptions};
use crate::chart::FamilyColours;
use crate::engine::agreement::{benchmark_agreement, BenchmarkAgreement, RankCorrelation};
use crate::engine::export::FlatReport;
use crate::engine::summary::Options;
use crate::engine::view::ChartSettings;

/// `sets` are the report sets to compare (a name and its leaderboard each); `pick_a` and
/// `pick_b` index into them (the two selects write them). `options` gives the bootstrap's
/// resamples and seed, `settings` the model colours.
#[component]
pub fn BenchmarkAgreement(
    #[prop(into)] sets: Signal<Vec<(String, Vec<FlatReport>)>>,
    pick_a: RwSignal<usize>,
    pick_b: RwSignal<usize>,
    #[prop(into)] options: Signal<Options>,
    #[prop(into)] settings: Signal<ChartSettings>,
    #[prop(into, optional)] dark: Signal<bool>,
) -> impl IntoView {
    let names = move || sets.with(|s| s.iter().map(|(name, _)| name.clone()).collect::<Vec<_>>());
    let side = move |pick: RwSignal<usize>| sets.with(|s| s.get(pick.get()).cloned());
    let result = Memo::new(move |_| match (side(pick_a), side(pick_b)) {
        (Some((name_a, a)), Some((name_b, b))) => benchmark_agreement(&a, &b, &options.get())
            .map(|agreement| (name_a, name_b, agreement))
            .map_err(|e| e.to_string()),
        _ => Err("choose two report sets".to_string()),
    });
    let select = move |pick: RwSignal<usize>, label: &'static str| {
        view! {
            <label>{label}
                <select on:change=move |ev| pick.set(event_target_value(&ev).parse().unwrap_or_default())>
                    {move || names().into_iter().enumerate().map(|(idx, name)| view! {
                        <option value=idx.to_string() selected=move || pick.get() == idx>{name}</option>
                    }).collect_view()}
                </select>
            </label>
        }
    };
    let shown = move || match result.get() {
        Err(why) => view! { <p class="benchmark-agreement-error">{why}</p> }.into_any(),
        Ok((name_a, name_b, agreement)) => {
            let svg = slope(&agreement, &name_a, &name_b, &settings.get(), dark.get());
            let rows = (0..agreement.models.len()).map(|i| view! {
                <tr data-model=agreement.models[i].clone()>
                    <td>{agreement.models[i].clone()}</td>
                    <td>{format!("{:.3}", agreement.rc_a[i])}</td><td>{rank_text(agreement.rank_a[i])}</td>
                    <td>{format!("{:.3}", agreement.rc_b[i])}</td><td>{rank_text(agreement.rank_b[i])}</td>
                </tr>
            }).collect_view();
            view! {
                <p class="benchmark-agreement-figures">
                    "Spearman's rho " <span data-key="spearman">{correlation_text(&agreement.spearman)}</span>
                    ", Kendall's tau-b " <span data-key="kendall_tau_b">{correlation_text(&agreement.kendall_tau_b)}</span>
                    {format!(" over {} models in common", agreement.models.len())}
                </p>
                <table class="benchmark-agreement-table">
                    <thead><tr><th scope="col">"Model"</th><th scope="col">{format!("RC, {name_a}")}</th><th scope="col">"Rank"</th>
                        <th scope="col">{format!("RC, {name_b}")}</th><th scope="col">"Rank"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <div class="benchmark-agreement-chart" inner_html=svg></div>
            }.into_any()
        }
    };
    view! {
        <section class="benchmark-agreement">
            <h3>"Benchmark agreement"</h3>
            <div class="benchmark-agreement-pick">{select(pick_a, "Leaderboard A ")}{select(pick_b, " Leaderboard B ")}</div>
            {shown}
        </section>
    }
}

/// `0.829 [0.400, 1.000]`, the value alone without an interval, or why it is undefined.
fn correlation_text(c: &RankCorrelation) -> String {
    match (&c.value, c.interval) {
        (Err(why), _) => why.to_string(),
        (Ok(v), None) => format!("{v:.3}"),
        (Ok(v), Some([lo, hi])) => format!("{v:.3} [{lo:.3}, {hi:.3}]"),
    }
}

/// The slope chart's SVG, empty when it cannot be drawn (the figures above say why).
fn slope(
    agreement: &BenchmarkAgreement,
    name_a: &str,
    name_b: &str,
    settings: &ChartSettings,
    dark: bool,
) -> String {
    let mut colours = FamilyColours::new(settings);
    let lines: Vec<SlopeLine> = agreement
        .models
        .iter()
        .enumerate()
        .map(|(i, model)| SlopeLine {
            label: model.clone(),
            left: agreement.rank_a[i],
            right: agreement.rank_b[i],
            colour: colours.of(model),
        })
        .collect();
    let options = SlopeOptions {
        left_title: name_a.to_string(),
        right_title: name_b.to_string(),
        dark,
        ..SlopeOptions::default()
    };
    slope_svg(&lines, &options).unwrap_or_default()
}
