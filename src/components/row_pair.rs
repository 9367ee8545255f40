//! One row as two matchers matched it, side by side: each matcher's score lines drawn between
//! the human items and the model's items.

use leptos::prelude::*;

use super::match_view::MatchView;
use crate::engine::sample::SampleView;

/// Matcher A's matching of the row on the left, matcher B's on the right.
#[component]
pub fn RowPair(
    model: String,
    matcher_a: String,
    matcher_b: String,
    a: SampleView,
    b: SampleView,
    on_close: Callback<()>,
) -> impl IntoView {
    let rc = |v: &SampleView| v.scores.map_or("–".to_string(), |s| format!("{:.3}", s.rc));
    let heading = format!("{model}, line {} (A) / {} (B)", a.line, b.line);
    let label = heading.clone();
    view! {
        <section class="row-pair" aria-label=label>
            <div class="row-pair-head">
                <h3>{heading}</h3>
                <button on:click=move |_| on_close.run(())>"Close"</button>
            </div>
            <div class="row-pair-sides">
                <div class="row-pair-side" data-side="a">
                    <h4>{format!("A: {matcher_a}, RC {}", rc(&a))}</h4>
                    <MatchView view=a.clone() />
                </div>
                <div class="row-pair-side" data-side="b">
                    <h4>{format!("B: {matcher_b}, RC {}", rc(&b))}</h4>
                    <MatchView view=b.clone() />
                </div>
            </div>
        </section>
    }
}
