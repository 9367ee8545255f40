//! The only code that does HTTP: chat completions against the user's endpoint (`client`), and
//! the app's own static files (the demo data). The wire format (`wire`) and the meaning of
//! failures (`diagnose`) are pure and tested natively.

#[cfg(target_arch = "wasm32")]
pub mod client;
pub mod diagnose;
pub mod wire;

#[cfg(target_arch = "wasm32")]
pub use client::fetch_bytes;
