//! The root component: creates the state, loads the demo on a first visit, shows the studio.

use leptos::prelude::*;

use crate::pages::studio::Studio;
use crate::state::AppState;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::provide();
    // A first visit shows the built-in demo so that the page is never empty.
    state.load_demo();
    view! { <Studio /> }
}
