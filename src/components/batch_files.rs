//! The runner's batch hand-off (SPEC section 9): make a run without sending, export what it has
//! not answered as batch input files (one download per file), import the engines' results, and
//! how to run the files elsewhere.

use leptos::prelude::*;
use web_sys::HtmlInputElement;

use super::batch_summary::BatchSummary;
use super::download::download_text;
use crate::engine::batch::summary::ImportSummary;

/// The batch controls; `files` are the last export's (name, lines), `make` gives a file's
/// (name, text) by its place in that list.
#[component]
pub fn BatchFiles(
    #[prop(into)] has_run: Signal<bool>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] files: Signal<Vec<(String, usize)>>,
    #[prop(into)] summary: Signal<Option<ImportSummary>>,
    #[prop(into)] problem: Signal<Option<String>>,
    /// "New run for batch files"; left out where the run is made elsewhere (an evaluation's
    /// stages).
    #[prop(optional)]
    on_prepare: Option<Callback<()>>,
    on_export: Callback<()>,
    make: Callback<usize, (String, String)>,
    on_import: Callback<Vec<web_sys::File>>,
) -> impl IntoView {
    let on_change = move |ev: web_sys::Event| {
        let input: HtmlInputElement = event_target(&ev);
        if let Some(list) = input.files() {
            on_import.run((0..list.length()).filter_map(|i| list.item(i)).collect());
        }
        // Clearing lets the same files be chosen again.
        input.set_value("");
    };
    let indexed = move || files.get().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <section class="batch-files">
            <h3>"Batch files"</h3>
            <p class="hint">"For big runs: write the calls this run has not answered as OpenAI Batch API files (one model per file, "
                "at most 50,000 lines or 200 MB each, the run's request settings, never the key), run them elsewhere, and import the results here."</p>
            <div class="run-buttons">
                {on_prepare.map(|prepare| view! {
                    <button class="batch-prepare" on:click=move |_| prepare.run(()) disabled=busy>"New run for batch files"</button>
                })}
                <button class="batch-export" on:click=move |_| on_export.run(()) disabled=move || busy.get() || !has_run.get()>"Export as batch files"</button>
                <label class="batch-import">"Import batch results "
                    <input type="file" multiple accept=".jsonl,.json,.ndjson,.txt" on:change=on_change disabled=move || busy.get() || !has_run.get() />
                </label>
            </div>
            {move || problem.get().map(|p| view! { <p class="load-error" role="alert">{p}</p> })}
            <ul class="batch-file-list">
                <For each=indexed key=|(idx, file)| (*idx, file.clone()) children=move |(idx, (name, n_lines))| view! {
                    <li><button class="batch-download" data-file=name.clone() on:click=move |_| {
                        let (file_name, text) = make.run(idx);
                        download_text(&file_name, "application/x-ndjson", &text);
                    }>"Download " {name.clone()} " (" {n_lines} " lines)"</button></li>
                } />
            </ul>
            <details class="batch-howto">
                <summary>"How to run the files"</summary>
                <ul>
                    <li>"OpenAI Batch API: upload each file with purpose \"batch\", create a batch with endpoint /v1/chat/completions "
                        "(completion window 24h), then download its output file and its error file, if any."</li>
                    <li>"vLLM: " <code>"vllm run-batch -i FILE -o OUT --model M"</code> " (M the model the files name)."</li>
                    <li>"Azure OpenAI batch and Groq's batch API take the same files."</li>
                    <li>"Import every output and error file together or one by one, in any order: answers already stored are kept, "
                        "failed calls stay to be sent again (Retry failed rows, or a new export)."</li>
                </ul>
            </details>
            <BatchSummary summary=summary />
        </section>
    }
}
