//! Downloads of a run: one judged JSONL file per model, in the reference format.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// One button per model; `make` gives the file name and text for a model.
#[component]
pub fn RunExports(
    #[prop(into)] models: Signal<Vec<String>>,
    make: Callback<String, (String, String)>,
) -> impl IntoView {
    view! {
        <div class="run-exports">
            <For each=move || models.get() key=|m| m.clone() let:model>
                <button class="run-export" data-model=model.clone() on:click={
                    let model = model.clone();
                    move |_| {
                        let (name, text) = make.run(model.clone());
                        download(&name, &text);
                    }
                }>
                    "Export " {model.clone()} " (judged JSONL)"
                </button>
            </For>
        </div>
    }
}

/// Hands a text to the browser as a file download.
fn download(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/x-ndjson");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let anchor = document()
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(anchor) = anchor {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
