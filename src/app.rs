//! The root component: creates the state, opens a share link or loads the demo on a first
//! visit, follows the system's dark mode, and shows the studio.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::engine::share::{decode_share, ShareError, SharedView, SHARE_PREFIX};
use crate::pages::studio::Studio;
use crate::split::later;
use crate::state::{AppState, LoadError};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::provide();
    follow_dark_mode(state.dark);
    let hash = window().location().hash().unwrap_or_default();
    // A share link is read once its reader's code is in (a split point): until then the
    // address keeps the link.
    let opening = state.opening_share;
    match hash
        .strip_prefix('#')
        .filter(|h| h.starts_with(SHARE_PREFIX))
    {
        Some(fragment) => {
            opening.set(true);
            let fragment = fragment.to_string();
            spawn_local(async move {
                match open_share(fragment).await {
                    Ok(Ok(view)) => {
                        state.view.set(view.settings.clone());
                        state.shared.set(Some(view));
                    }
                    Ok(Err(e)) => {
                        state.report_problem("share link", LoadError::ShareLink(Arc::new(e)));
                        state.load_demo();
                    }
                    Err(failed) => {
                        state.report_problem("share link", LoadError::Fetch(failed.to_string()));
                        state.load_demo();
                    }
                }
                opening.set(false);
            });
        }
        // A first visit shows the built-in demo so that the page is never empty.
        None => state.load_demo(),
    }
    // Leaving a shared view (by loading files) takes its link out of the address bar.
    Effect::new(move || {
        if !opening.get()
            && state.shared.with(Option::is_none)
            && window()
                .location()
                .hash()
                .unwrap_or_default()
                .starts_with(&format!("#{SHARE_PREFIX}"))
        {
            let _ = window().history().and_then(|h| {
                h.replace_state_with_url(
                    &wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&window().location().pathname().unwrap_or_default()),
                )
            });
        }
    });
    view! { <Studio /> }
}

/// Keeps `dark` equal to the system's colour-scheme preference, live.
fn follow_dark_mode(dark: RwSignal<bool>) {
    let Ok(Some(query)) = window().match_media("(prefers-color-scheme: dark)") else {
        return;
    };
    dark.set(query.matches());
    let listener = Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(
        move |ev: web_sys::MediaQueryListEvent| dark.set(ev.matches()),
    );
    let _ = query.add_event_listener_with_callback("change", listener.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    listener.forget();
}

later! {
    /// A share link's figures, read and checked.
    fn open_share(fragment: String) -> Result<SharedView, ShareError> {
        decode_share(&fragment)
    }
}
