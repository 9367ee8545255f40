//! The MetaJudge method in pure Rust: no browser crate may be used here (a test checks), so
//! everything below runs and is tested natively with plain `cargo test`.

pub mod agreement;
pub mod batch;
pub mod chat;
pub mod dataset;
pub mod ensemble;
pub mod export;
pub mod figure;
pub mod figures_job;
pub mod first_choices;
pub mod json;
pub mod judged;
pub mod metrics;
pub mod paired;
pub mod pipeline;
pub mod problems;
pub mod prompt;
pub mod reply;
pub mod report;
pub mod sample;
pub mod share;
pub mod source;
pub mod stats;
pub mod summary;
pub mod tabs;
pub mod text;
pub mod verdict;
pub mod view;
