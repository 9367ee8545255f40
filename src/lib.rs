//! MetaJudge Studio (placeholder map, rewritten below once the app exists).
pub mod engine;
