//! MetaJudge Studio: rationale consistency (RC) against outcome accuracy (OA) for LLM judges and
//! reward models, computed in the browser (Rust compiled to WebAssembly) and on the command line,
//! following the MetaJudge method of Wang et al. (arXiv 2602.04649) as restated in SPEC.md.
//!
//! # Bird's-eye view
//!
//! ```text
//! JSONL bytes ──> engine::dataset ──> LoadedFile (rows reduced to checklists, answers, verdicts)
//!                                          │
//!          engine::reply (judge answer -> triples), engine::verdict (labels -> A / B / tie)
//!                                          │
//!                 engine::metrics (per-row scores, both families) ──> engine::summary
//!                 (means, std, bootstrap intervals, breakdowns) ──> ModelReport
//!                                          │
//!        ┌─────────────────────────────────┼──────────────────────────────────┐
//!  bin/metajudge (table / --json)   engine::export (FlatReport)   chart (plotters -> SVG)
//!                                          │                                   │
//!                 state (signals + memos) ──> pages ──> components ────────────┘
//!                      │
//!      state::run ──> runner::driver ──> llm::client (HTTP) ──> the user's endpoint
//!                      │        └──────> store (IndexedDB + localStorage journal)
//!                      └── engine::judged (answers <-> judged files, live figures)
//! ```
//!
//! # Where things live
//!
//! - [`engine`]: the method, pure Rust, no browser crate (a test in `tests/engine_fixtures.rs`
//!   checks the imports). `dataset` reads JSONL in chunks; `reply` reads judge answers
//!   (SPEC 3); `metrics` scores one row (SPEC 4) and classifies it as scored, error or skipped;
//!   `summary` aggregates (SPEC 5) and computes OA (SPEC 6) through `verdict`; `problems` groups
//!   what went wrong for the problems panel; `export` flattens reports for `--json` and the page;
//!   `prompt` fills the matching prompt (SPEC 2); `judged` turns a run's answers into judged
//!   files (reference format) and back, and into the live view the page scores; `paired`
//!   compares two models on their common rows (paired bootstrap); `sample` prepares one row for
//!   the sample view and filters rows; `view` holds the chart choices (y figure, paper marks,
//!   families, colours); `share` packs figures and choices into a share link; `export` also
//!   writes the leaderboard as CSV, JSON and Markdown.
//! - [`chart`]: plotters drawing into SVG strings, pure and tested natively: `scatter` (the
//!   headline chart, with point positions for the page's focusable markers and the paper's
//!   marks), `multiples` (the same chart per group), `histogram`, `labels` (placement without
//!   overlaps), and `FamilyColours`.
//! - [`runner`]: scheduling of judge calls. Pure and natively tested: `policy` (retry, backoff
//!   with jitter, `Retry-After`, when to stop a run), `queue` (concurrency accounting), `plan`
//!   (what a run sends and what it leaves out, run settings), `progress` (counts, rate, ETA,
//!   cost, budget). Browser only: `driver`, the one async loop that makes the calls.
//! - [`llm`]: the only HTTP. `wire` (request and answer JSON) and `diagnose` (failures in plain
//!   words) are pure; `client` (browser only) sends chat completions with exactly two headers,
//!   a timeout and an abort handle, and fetches the demo files.
//! - `src/bin/metajudge.rs`: the command line, `metajudge score FILE... [--json]`.
//! - Browser only (`wasm32`): `app` (root component), `state` (the one `AppState`, provided by
//!   context: loaded files, load progress, options, the `reports` memos; `state::run` holds the
//!   runner's form, current run, answers and actions), `store` (the only storage: IndexedDB for
//!   runs, data sets and answers, a synchronous localStorage journal in front of it), `pages`
//!   (`studio` is the screen: inputs, `runner`, then the tabs `overview`, `breakdowns`,
//!   `compare`, `samples`, `distributions`), `components` (props in, view out; `download` hands
//!   files to the browser), `reader` (reads user files in 1 MB chunks, yielding between
//!   chunks), `clock` (time and waiting).
//!
//! # Invariants
//!
//! - Script-compatible figures add in the reference script's order and numpy's pairwise way:
//!   they equal `metajudge_analysis.py` to the last bit on the fixtures (checked to 1e-12).
//! - Nothing the user gave is dropped silently: every line is a row, a blank line, or a bad
//!   line with its 1-based number; every row of a model is scored, an error or skipped, with
//!   the reason kept.
//! - Figures are derived, never synced: the only writes are user actions, finished loads, and
//!   the runner's answers (batched by a timer).
//! - An answer is saved (journal, then IndexedDB) before the page counts it; a (row, model) with
//!   a stored successful answer is never sent again. The API key is stored only when the user
//!   ticks "remember key", and never goes into a URL, an export or a log.
//! - Text from a file or an endpoint is rendered as text, never as HTML; only SVG that plotters
//!   wrote (which escapes its text) goes in through `inner_html`.
//! - Bootstrap intervals use a fixed seed and a generator defined here, so the same file gives
//!   the same interval on every machine and after every dependency upgrade.

pub mod chart;
pub mod engine;
pub mod llm;
pub mod runner;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod clock;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod reader;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod store;
