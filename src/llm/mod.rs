//! The only code that does HTTP. For now: the app's own static files (the demo data). The
//! judge runner's chat-completions client will live here too, so that every request the page
//! makes can be read in one place.

use gloo_net::http::Request;

/// Fetches a file the app ships (a path relative to the page), as bytes.
pub async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    let response = Request::get(path)
        .send()
        .await
        .map_err(|e| format!("cannot fetch {path}: {e}"))?;
    if !response.ok() {
        return Err(format!(
            "cannot fetch {path}: HTTP {} {}",
            response.status(),
            response.status_text()
        ));
    }
    response
        .binary()
        .await
        .map_err(|e| format!("cannot read {path}: {e}"))
}
