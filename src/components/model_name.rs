//! A model (or file) name as the page shows it: control and bidi characters escaped, cut to
//! `NAME_CHARS` characters, the whole name on hover. Exports keep the exact name.

use leptos::prelude::*;

use crate::engine::text::shown_name;

/// The name in a `<span class=...>`, with a `title` holding the whole name when the shown one
/// differs from it.
#[component]
pub fn ModelName(name: String, class: &'static str) -> impl IntoView {
    let (shown, title) = match shown_name(&name) {
        Some(shown) => (shown, Some(name)),
        None => (name, None),
    };
    view! { <span class=class title=title>{shown}</span> }
}
