//! Human items (R) on the left, the model's items (S) on the right, a line between each matched
//! pair with its score; unmatched items are marked. Items have a fixed height (long texts are
//! clamped, the full text is in their tooltip), so the lines can be drawn without measuring.

use leptos::prelude::*;

use crate::engine::sample::SampleView;

/// The matching of one row.
#[component]
pub fn MatchView(view: SampleView) -> impl IntoView {
    let n_rows = view.human_items.len().max(view.model_items.len()).max(1);
    let centre = move |i: usize| 100.0 * (i as f64 - 0.5) / n_rows as f64;
    let lines = view
        .matched
        .iter()
        .map(|&(r, s, _)| view! { <line x1="0" y1=format!("{:.2}", centre(r)) x2="100" y2=format!("{:.2}", centre(s)) class="match-line" /> })
        .collect_view();
    let labels = view
        .matched
        .iter()
        .map(|&(r, s, score)| {
            let style = format!("top: {:.2}%", (centre(r) + centre(s)) / 2.0);
            view! { <span class="match-score" style=style>{format!("R{r}–S{s}: {score}")}</span> }
        })
        .collect_view();
    let human = view
        .human_items
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let r = i + 1;
            let matched = view.matched.iter().any(|m| m.0 == r);
            item("R", r, text, if matched { "matched" } else { "unmatched" })
        })
        .collect_view();
    let model = view
        .model_items
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let s = i + 1;
            let state = if view.not_considered.contains(&s) {
                "not-considered"
            } else if view.matched.iter().any(|m| m.1 == s) {
                "matched"
            } else {
                "unmatched"
            };
            item("S", s, text, state)
        })
        .collect_view();
    view! {
        <section class="match-view" style=format!("--match-rows: {n_rows}")>
            <h3 class="match-head-human">"Human reasons (R)"</h3>
            <h3 class="match-head-model">"Model's reasons (S)"</h3>
            <ol class="match-items match-human">{human}</ol>
            <div class="match-lines" aria-hidden="true">
                <svg viewBox="0 0 100 100" preserveAspectRatio="none">{lines}</svg>
                {labels}
            </div>
            <ol class="match-items match-model">{model}</ol>
            <p class="hint match-legend">"Lines: the best one-to-one matching and its scores. Grey: not matched. Striped: beyond the first 5 model items, which the method does not consider."</p>
        </section>
    }
}

fn item(letter: &'static str, n: usize, text: &str, state: &'static str) -> impl IntoView {
    let note = match state {
        "unmatched" => " (no match)",
        "not-considered" => " (not considered)",
        _ => "",
    };
    view! {
        <li class=format!("match-item {state}") title=text.to_string() data-item=format!("{letter}{n}")>
            <strong>{format!("{letter}{n}")}</strong>{note}": "{text.to_string()}
        </li>
    }
}
