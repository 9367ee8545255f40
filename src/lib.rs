//! MetaJudge Studio (map rewritten at the end).

pub mod chart;
pub mod engine;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod llm;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod reader;
#[cfg(target_arch = "wasm32")]
pub mod state;
