//! Where files come in: a drop zone with a file picker for one or many JSONL files.

use leptos::prelude::*;
use web_sys::{DragEvent, FileList, HtmlInputElement};

/// Calls `on_files` with the files the user dropped or picked.
#[component]
pub fn FileDrop(on_files: Callback<Vec<web_sys::File>>) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
            on_files.run(to_vec(&files));
        }
    };
    let on_change = move |ev: web_sys::Event| {
        let input: HtmlInputElement = event_target(&ev);
        if let Some(files) = input.files() {
            on_files.run(to_vec(&files));
        }
        // Clearing lets the same file be chosen again after it was removed.
        input.set_value("");
    };
    view! {
        <div
            class="file-drop"
            class:dragging=move || dragging.get()
            on:dragover=move |ev: DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <label for="file-input">
                <strong>"Drop JSONL files here"</strong>
                " or "
                <span class="file-drop-pick">"choose files"</span>
            </label>
            <input id="file-input" type="file" multiple accept=".jsonl,.json,.ndjson,.txt" on:change=on_change />
            <p class="hint">
                "Data sets and judged files (the reference scripts' format) can be mixed. "
                "Files are read in this browser and never uploaded."
            </p>
        </div>
    }
}

fn to_vec(list: &FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}
