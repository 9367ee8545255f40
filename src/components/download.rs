//! Hands files to the browser as downloads: text as it is, and SVG charts as SVG or PNG.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, HtmlImageElement, Url};

/// Saves `text` as a file called `name`.
pub fn download_text(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    if let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &options) {
        download_blob(name, &blob);
    }
}

/// Saves an SVG chart of `width` x `height` as a PNG at `scale` times its size (2 gives sharp
/// figures for papers). Drawing happens once the browser has decoded the SVG.
pub fn download_svg_as_png(name: &str, svg: &str, width: u32, height: u32, scale: f64) {
    let Ok(image) = HtmlImageElement::new() else {
        return;
    };
    let (name, image_in) = (name.to_string(), image.clone());
    let onload = Closure::once(move || {
        let Some(canvas) = leptos::prelude::document()
            .create_element("canvas")
            .ok()
            .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok())
        else {
            return;
        };
        canvas.set_width((f64::from(width) * scale) as u32);
        canvas.set_height((f64::from(height) * scale) as u32);
        let Some(context) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let _ = context.scale(scale, scale);
        let _ = context.draw_image_with_html_image_element(&image_in, 0.0, 0.0);
        let save = Closure::once(move |blob: Option<Blob>| {
            if let Some(blob) = blob {
                download_blob(&name, &blob);
            }
        });
        let _ = canvas.to_blob(save.as_ref().unchecked_ref());
        save.forget();
    });
    image.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    let encoded: String = js_sys::encode_uri_component(svg).into();
    image.set_src(&format!("data:image/svg+xml;charset=utf-8,{encoded}"));
}

fn download_blob(name: &str, blob: &Blob) {
    let Ok(url) = Url::create_object_url_with_blob(blob) else {
        return;
    };
    let anchor = leptos::prelude::document()
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok());
    if let Some(anchor) = anchor {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    // The click has handed the object to the download; revoking later frees it.
    let revoke = Closure::once(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            revoke.as_ref().unchecked_ref(),
            10_000,
        );
    }
    revoke.forget();
}
