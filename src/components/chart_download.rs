//! Buttons that save a chart as SVG or as PNG.

use leptos::prelude::*;

use super::download::{download_svg_as_png, download_text};

/// "SVG" and "PNG" for the chart `svg` = (text, width, height); hidden while there is none.
#[component]
pub fn ChartDownload(
    #[prop(into)] svg: Signal<Option<(String, u32, u32)>>,
    name: &'static str,
) -> impl IntoView {
    let save_svg = move |_| {
        if let Some((text, _, _)) = svg.get_untracked() {
            download_text(&format!("{name}.svg"), "image/svg+xml", &text);
        }
    };
    let save_png = move |_| {
        if let Some((text, w, h)) = svg.get_untracked() {
            download_svg_as_png(&format!("{name}.png"), &text, w, h, 2.0);
        }
    };
    view! {
        <Show when=move || svg.with(Option::is_some)>
            <div class="chart-download">
                "Download: "
                <button on:click=save_svg>"SVG"</button>
                <button on:click=save_png>"PNG"</button>
            </div>
        </Show>
    }
}
