//! What "Test connection" tells the user: the vocabulary `llm::diagnose` fills in and the
//! connection status component shows.

/// A test call's result in plain words, with the fixes to try.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnosis {
    pub ok: bool,
    pub title: String,
    pub detail: String,
    pub fixes: Vec<String>,
}
