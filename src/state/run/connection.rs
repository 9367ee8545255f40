//! "Test connection": one tiny request with the form's settings, explained in plain words.

use crate::llm::client::{chat, reachable};
use crate::llm::diagnose::{diagnose, CallError};
use crate::runner::diagnosis::Diagnosis;
use crate::runner::form::RunForm;

/// Sends the test request and explains its result (after a network error, a no-CORS probe
/// tells a CORS block from an unreachable server).
pub(super) async fn test_connection(form: RunForm) -> Diagnosis {
    let abort = web_sys::AbortController::new().ok();
    let result = match &abort {
        Some(abort) => {
            chat(
                &form.settings,
                &form.api_key,
                "Reply with the single word OK.",
                abort,
            )
            .await
        }
        None => Err(CallError::Network),
    };
    let reach = match result {
        Err(CallError::Network) => Some(reachable(&form.settings.base_url).await),
        _ => None,
    };
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    diagnose(&result, reach, &form.settings, &origin)
}
