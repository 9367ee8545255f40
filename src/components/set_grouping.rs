//! Whether rank agreement's leaderboards are one per matcher or one per data set.

use leptos::prelude::*;

use crate::engine::agreement::GroupBy;

/// Two radio buttons writing `group_by`.
#[component]
pub fn SetGrouping(group_by: RwSignal<GroupBy>) -> impl IntoView {
    let choice = move |value: GroupBy, label: &'static str, key: &'static str| {
        view! {
            <label>
                <input type="radio" name="set-grouping" value=key prop:checked=move || group_by.get() == value
                    on:change=move |_| group_by.set(value) />
                {label}
            </label>
        }
    };
    view! {
        <fieldset class="set-grouping">
            <legend>"Leaderboards"</legend>
            {choice(GroupBy::Matcher, " one per matcher ", "matcher")}
            {choice(GroupBy::Dataset, " one per data set", "dataset")}
        </fieldset>
    }
}
