//! One row of a judged file: what was judged, both verdicts, the human and the model items
//! with the matching between them, the model's own answer when the row has it (a candidate of
//! the pipeline) and the matcher's raw answer. Every text is shown as text.

use leptos::prelude::*;

use super::match_view::MatchView;
use crate::engine::metrics::RowOutcome;
use crate::engine::sample::SampleView;
use crate::engine::verdict::{ModelVerdict, OaOutcome, Verdict};

/// The whole row.
#[component]
pub fn SampleCard(view: SampleView) -> impl IntoView {
    let outcome = match &view.outcome {
        RowOutcome::Scored(s) => format!(
            "scored: RC {:.3}, recall (script) {:.3}, AP (paper) {:.3}",
            s.rc, s.recall, s.ap_paper
        ),
        RowOutcome::Error(e) => format!("error: {e}"),
        RowOutcome::Skipped(why) => format!("skipped: {why}"),
        RowOutcome::NotJudged => "not judged yet".into(),
    };
    let oa = match view.oa {
        OaOutcome::Correct => "the model picked the human's choice",
        OaOutcome::Wrong => "the model picked differently from the human",
        OaOutcome::Unreadable => "the model's verdict is unreadable (counted as wrong)",
        OaOutcome::TieExcluded => "a human tie (left out of OA)",
        OaOutcome::NoModelVerdict => "no model verdict",
        OaOutcome::NoHumanVerdict => "no human verdict",
    };
    let model_verdict = model_verdict_text(&view.model_verdict);
    // Both orders side by side when the swap stage ran (SPEC 8): the second is read back in
    // this order, so equal texts mean a position-consistent verdict.
    let swap_verdict = view.swap_verdict.as_ref().map(|v| {
        view! { <div class="sample-swap-verdict"><dt>"Model's verdict, responses swapped"</dt><dd>{model_verdict_text(v)}</dd></div> }
    });
    let human_verdict = view
        .human_verdict
        .map_or("none".to_string(), |v| verdict(v).to_string());
    let human_raw = view.human_verdict_raw.clone().unwrap_or_default();
    // A candidate put on the chart by the pipeline: the answer its items and verdict were
    // read from, open beside the matching so both lists can be checked against it.
    let model_answer = view.model_answer.clone().map(|text| {
        view! {
            <details class="sample-model-answer" open>
                <summary>"The model's own answer (to the judge prompt)"</summary>
                <pre>{text}</pre>
            </details>
        }
    });
    view! {
        <article class="sample-card" data-line=view.line>
            <header>
                <p class="sample-outcome">{outcome}</p>
                <p>{view.group.clone().map(|g| format!("group: {g}. ")).unwrap_or_default()} {oa}</p>
                <dl class="sample-verdicts">
                    <div><dt>"Model's verdict"</dt><dd>{model_verdict}</dd></div>
                    {swap_verdict}
                    <div><dt>"Human verdict"</dt><dd>{human_verdict} " (" {human_raw} ")"</dd></div>
                </dl>
            </header>
            <details class="sample-context">
                <summary>"Conversation (" {view.context.len()} " turns)"</summary>
                {view.context.iter().map(|(role, content)| view! { <p class="turn"><strong>{role.clone()} ": "</strong>{content.clone()}</p> }).collect_view()}
            </details>
            <details class="sample-response"><summary>"Response 1 (A)"</summary><p class="long-text">{view.response1.clone().unwrap_or_default()}</p></details>
            <details class="sample-response"><summary>"Response 2 (B)"</summary><p class="long-text">{view.response2.clone().unwrap_or_default()}</p></details>
            <MatchView view=view.clone() />
            {model_answer}
            <details class="sample-answer">
                <summary>"The matcher's raw answer (MetaJudge)"</summary>
                <pre>{view.answer.clone().unwrap_or_else(|| "(no answer)".into())}</pre>
            </details>
        </article>
    }
}

fn model_verdict_text(v: &ModelVerdict) -> String {
    match v {
        ModelVerdict::Read(v) => verdict(*v).to_string(),
        ModelVerdict::Unreadable(raw) => format!("unreadable: \u{201c}{raw}\u{201d}"),
        ModelVerdict::Missing => "none".into(),
    }
}

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::A => "Response 1 (A) is better",
        Verdict::B => "Response 2 (B) is better",
        Verdict::Tie => "a tie",
    }
}
