//! The sample view's filters: group (domain), outcome or error kind, and an RC range.

use leptos::prelude::*;

use crate::engine::sample::{OutcomeFilter, SampleFilter};

/// Edits `filter`: `on_change` gets the filter with the user's change; `kinds` are the error
/// kinds present in the report.
#[component]
pub fn SampleFilters(
    #[prop(into)] filter: Signal<SampleFilter>,
    on_change: Callback<SampleFilter>,
    #[prop(into)] kinds: Signal<Vec<String>>,
) -> impl IntoView {
    let change = move |edit: &dyn Fn(&mut SampleFilter)| {
        let mut changed = filter.get_untracked();
        edit(&mut changed);
        on_change.run(changed);
    };
    let set_outcome = move |ev: web_sys::Event| {
        let value = event_target_value(&ev);
        let outcome = match value.as_str() {
            "scored" => OutcomeFilter::Scored,
            "error" => OutcomeFilter::Error,
            "skipped" => OutcomeFilter::Skipped,
            "not_judged" => OutcomeFilter::NotJudged,
            "" => OutcomeFilter::Any,
            kind => OutcomeFilter::ErrorKind(kind.trim_start_matches("kind:").to_string()),
        };
        change(&|f| f.outcome = outcome.clone());
    };
    let set_range = move |low: bool| {
        move |ev: web_sys::Event| {
            if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                change(&|f| {
                    if low {
                        f.rc_min = v
                    } else {
                        f.rc_max = v
                    }
                });
            }
        }
    };
    let set_group = move |ev: web_sys::Event| {
        let group = event_target_value(&ev);
        change(&|f| f.group = (!group.is_empty()).then(|| group.clone()));
    };
    view! {
        <div class="sample-filters">
            <label>"Group " <input type="text" size="12" placeholder="any" on:change=set_group /></label>
            <label>"Rows "
                <select on:change=set_outcome>
                    <option value="">"all"</option>
                    <option value="scored">"scored"</option>
                    <option value="error">"errors"</option>
                    <option value="skipped">"skipped"</option>
                    <option value="not_judged">"not judged"</option>
                    {move || kinds.get().into_iter().map(|k| view! { <option value=format!("kind:{k}")>{format!("error: {k}")}</option> }).collect_view()}
                </select>
            </label>
            <label>"RC from " <input type="number" min="0" max="1" step="0.05" value="0" on:change=set_range(true) /></label>
            <label>" to " <input type="number" min="0" max="1" step="0.05" value="1" on:change=set_range(false) /></label>
        </div>
    }
}
