//! Mounts the app (wasm32); on other targets this binary does nothing.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(metajudge_studio::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
