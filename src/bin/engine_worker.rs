//! The engine's Web Worker (wasm32): answers the page's figure jobs; on other targets this
//! binary does nothing.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    metajudge_studio::worker::inside::serve();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
