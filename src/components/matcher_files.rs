//! The judged files and their matchers: a file that records its judge model shows it; any
//! other gets a field where the user names the matcher that scored it.

use leptos::prelude::*;

/// One judged file as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct MatcherFileRow {
    pub file: String,
    pub model: String,
    pub matcher: String,
    /// The file names its matcher itself.
    pub recorded: bool,
}

/// The files in a folded list; `on_name` gets `(file, matcher)` when the user names one.
#[component]
pub fn MatcherFiles(
    #[prop(into)] rows: Signal<Vec<MatcherFileRow>>,
    on_name: Callback<(String, String)>,
) -> impl IntoView {
    let n_unnamed = move || rows.with(|r| r.iter().filter(|r| !r.recorded).count());
    view! {
        <details class="matcher-files" open=move || { n_unnamed() > 0 }>
            <summary>{move || format!("Judged files and their matchers ({})", rows.with(Vec::len))}</summary>
            <p class="hint">"A file's matcher is the judge model its rows record; name the matcher of a file that records none."</p>
            <table>
                <thead><tr><th scope="col">"File"</th><th scope="col">"Model"</th><th scope="col">"Matcher"</th></tr></thead>
                <tbody>
                    {move || rows.get().into_iter().map(|row| {
                        let file = row.file.clone();
                        let matcher = if row.recorded {
                            view! { <span>{row.matcher.clone()}</span> }.into_any()
                        } else {
                            let label = format!("Matcher of {}", row.file);
                            view! {
                                <input type="text" size="20" aria-label=label prop:value=row.matcher.clone()
                                    on:change=move |ev| on_name.run((file.clone(), event_target_value(&ev))) />
                            }.into_any()
                        };
                        view! { <tr><td>{row.file}</td><td>{row.model}</td><td>{matcher}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}
