//! A labelled number input that reports only values that parse.

use leptos::prelude::*;

/// `<label>title <input type=number></label>`; `on_change` gets the new value when it parses
/// (an empty field gives `None`, for optional settings).
#[component]
pub fn NumberField(
    title: &'static str,
    #[prop(into)] value: Signal<Option<f64>>,
    on_change: Callback<Option<f64>>,
    #[prop(default = 0.0)] min: f64,
    #[prop(default = 1e9)] max: f64,
    #[prop(default = "any")] step: &'static str,
    #[prop(optional)] help: &'static str,
) -> impl IntoView {
    let change = move |ev: web_sys::Event| {
        let text = event_target_value(&ev);
        let text = text.trim();
        if text.is_empty() {
            on_change.run(None);
        } else if let Ok(v) = text.parse::<f64>() {
            on_change.run(Some(v.clamp(min, max)));
        }
    };
    view! {
        <label class="number-field" title=help>
            {title}
            <input
                type="number"
                min=min
                max=max
                step=step
                prop:value=move || value.get().map(|v| v.to_string()).unwrap_or_default()
                on:change=change
            />
        </label>
    }
}
