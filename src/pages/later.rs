//! What the first view does not need, loaded after it: the tabs but the overview, the side
//! panel's inputs, runner and scoring, the overview's downloads and sharing, the problems panel.
//!
//! Each view here is a split point ([`crate::split`]): the page fetches their code when it
//! first shows one of them (the side panel's, at once, beside the first view). [`Later`]
//! shows one where it is wanted, with a line while it loads.

use std::future::Future;

use leptos::prelude::*;

use crate::pages::agreement::Agreement;
use crate::pages::breakdowns::Breakdowns;
use crate::pages::compare::Compare;
use crate::pages::distributions::Distributions;
use crate::pages::downloads::Downloads;
use crate::pages::panel::Panel;
use crate::pages::problems::Problems;
use crate::pages::samples::Samples;
use crate::split::{later, LoadFailed};

/// How a view of this file is made, once its code is in.
pub type View = fn() -> AnyView;

/// Shows the view `load` gives (a function of this file) once its code is in, "Loading…"
/// until then (a task, even when it is in already), and what went wrong, with a retry, when
/// the code did not come. The view is made here, in this component's own reactive scope, as
/// any child is.
#[component]
pub fn Later<F, Fut>(load: F) -> impl IntoView
where
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<View, LoadFailed>> + 'static,
{
    let made = LocalResource::new(load);
    move || match made.get() {
        Some(Ok(make)) => make(),
        Some(Err(failed)) => view! {
            <p class="load-error" role="alert">
                {failed.to_string()} " "
                <button on:click=move |_| made.refetch()>"Try again"</button>
            </p>
        }
        .into_any(),
        None => view! { <p class="loading-later" role="status">"Loading…"</p> }.into_any(),
    }
}

later! {
    /// The side panel's content: files, runner, scoring.
    pub fn panel() -> View {
        || view! { <Panel /> }.into_any()
    }

    /// The problems panel.
    pub fn problems() -> View {
        || view! { <Problems /> }.into_any()
    }

    /// Under the overview's leaderboard: position consistency, downloads, sharing (of the
    /// overview's rows, by context).
    pub fn downloads() -> View {
        || view! { <Downloads /> }.into_any()
    }

    /// The Breakdowns tab.
    pub fn breakdowns() -> View {
        || view! { <Breakdowns /> }.into_any()
    }

    /// The Compare tab.
    pub fn compare() -> View {
        || view! { <Compare /> }.into_any()
    }

    /// The Samples tab.
    pub fn samples() -> View {
        || view! { <Samples /> }.into_any()
    }

    /// The Distributions tab.
    pub fn distributions() -> View {
        || view! { <Distributions /> }.into_any()
    }

    /// The Agreement tab.
    pub fn agreement() -> View {
        || view! { <Agreement /> }.into_any()
    }
}
