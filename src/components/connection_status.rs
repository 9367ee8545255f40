//! The answer to "Test connection", in plain words with the fixes.

use leptos::prelude::*;

use crate::runner::diagnosis::Diagnosis;

/// Shows the diagnosis of the last test, or that a test is under way.
#[component]
pub fn ConnectionStatus(
    #[prop(into)] diagnosis: Signal<Option<Diagnosis>>,
    #[prop(into)] testing: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="connection-status" aria-live="polite">
            <Show when=move || testing.get()><p>"Testing the connection…"</p></Show>
            {move || diagnosis.get().map(|d| view! {
                <div class=if d.ok { "connection-ok" } else { "connection-failed" } role=if d.ok { "status" } else { "alert" }>
                    <strong>{d.title}</strong>
                    <p>{d.detail}</p>
                    <ul>{d.fixes.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
                </div>
            })}
        </div>
    }
}
