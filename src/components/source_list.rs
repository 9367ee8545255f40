//! The loaded files: kind, rows, models, unreadable lines, and a button to remove each.

use leptos::prelude::*;

use crate::engine::dataset::FileKind;
use crate::state::Source;

/// One line per loaded file.
#[component]
pub fn SourceList(
    #[prop(into)] sources: Signal<Vec<Source>>,
    on_remove: Callback<u32>,
) -> impl IntoView {
    view! {
        <ul class="source-list">
            <For each=move || sources.get() key=|s| s.id let:source>
                <li class="source-item" data-file=source.file.name.clone()>
                    <span class="source-name">{source.file.name.clone()}</span>
                    <span class="source-facts">{facts(&source)}</span>
                    <button
                        class="source-remove"
                        aria-label=format!("remove {}", source.file.name)
                        on:click=move |_| on_remove.run(source.id)
                    >
                        "Remove"
                    </button>
                </li>
            </For>
        </ul>
    }
}

fn facts(source: &Source) -> String {
    let file = &source.file;
    let kind = match file.kind {
        Some(FileKind::Judged) => "judged file",
        Some(FileKind::Dataset) => "data set",
        None => "no rows",
    };
    let mut facts = format!(
        "{kind}, {} rows, {} model(s)",
        file.records.len(),
        file.models.len()
    );
    if !file.bad_lines.is_empty() {
        facts += &format!(", {} unreadable line(s)", file.bad_lines.len());
    }
    if let Some(ms) = source.load_ms {
        facts += &format!(", read in {ms:.0} ms");
    }
    if source.demo {
        facts += " (synthetic demo)";
    }
    facts
}
