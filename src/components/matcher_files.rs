//! The judged files and their matchers and data sets: what a file (or its run) records is
//! shown; anything else gets a field where the user names it.

use leptos::prelude::*;

/// One judged file as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct MatcherFileRow {
    pub file: String,
    pub model: String,
    pub matcher: String,
    /// The file names its matcher itself.
    pub recorded: bool,
    pub dataset: String,
    /// The file names its data set itself.
    pub dataset_recorded: bool,
    /// Where the file comes from: a loaded file, the demo, a run.
    pub from: String,
}

/// The files in a folded list; `on_name` gets `(file, matcher)` and `on_dataset` gets
/// `(file, data set)` when the user names one.
#[component]
pub fn MatcherFiles(
    #[prop(into)] rows: Signal<Vec<MatcherFileRow>>,
    on_name: Callback<(String, String)>,
    on_dataset: Callback<(String, String)>,
) -> impl IntoView {
    let n_unnamed = move || rows.with(|r| r.iter().filter(|r| !r.recorded).count());
    view! {
        <details class="matcher-files" open=move || { n_unnamed() > 0 }>
            <summary>{move || format!("Judged files and their matchers ({})", rows.with(Vec::len))}</summary>
            <p class="hint">"A file's matcher and data set are what its rows record; name them for a file that records none. A run's are its judge model and its data set."</p>
            <table>
                <thead><tr><th scope="col">"File"</th><th scope="col">"Model"</th><th scope="col">"Matcher"</th><th scope="col">"Data set"</th><th scope="col">"From"</th></tr></thead>
                <tbody>
                    {move || rows.get().into_iter().map(|row| {
                        let matcher = cell(&row.file, "Matcher", "matcher-name", &row.matcher, row.recorded, on_name);
                        let dataset = cell(&row.file, "Data set", "dataset-name", &row.dataset, row.dataset_recorded, on_dataset);
                        view! { <tr><td>{row.file}</td><td>{row.model}</td><td>{matcher}</td><td>{dataset}</td><td>{row.from}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

/// The value as text when the file records it, else a field naming it.
fn cell(
    file: &str,
    what: &str,
    class: &'static str,
    value: &str,
    recorded: bool,
    on_change: Callback<(String, String)>,
) -> AnyView {
    if recorded {
        return view! { <span>{value.to_string()}</span> }.into_any();
    }
    let label = format!("{what} of {file}");
    let file = file.to_string();
    view! {
        <input type="text" size="18" class=class aria-label=label prop:value=value.to_string()
            on:change=move |ev| on_change.run((file.clone(), event_target_value(&ev))) />
    }
    .into_any()
}
