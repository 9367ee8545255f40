//! The engine's Web Worker, a door like `llm` and `store`: the page hands it the bootstrap of
//! its reports ([`FiguresJob`](crate::engine::figures_job::FiguresJob)s) and stays
//! responsive while it runs. `protocol` (the messages, pure) builds everywhere; `inside` (the
//! worker's loop, run by `src/bin/engine_worker.rs`) and `page` (the page's side) in the
//! browser only.

pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod inside;
#[cfg(target_arch = "wasm32")]
pub mod page;
