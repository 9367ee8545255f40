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
//!                engine::figure (every figure once: key, title, help, better-is-higher)
//!        ┌─────────────────────────────────┼──────────────────────────────────┐
//!  bin/metajudge (table / --json)   engine::export, engine::share    chart (plotters -> SVG)
//!                                          │                                   │
//!                 state (signals + memos) ──> pages ──> components ────────────┘
//!                      │
//!      state::run ──> state::driver ──> llm::client (HTTP) ──> the user's endpoint
//!                      │     │  └──────> store (IndexedDB + localStorage journal)
//!                      │     └── runner (plan -> Request, attempt, control, progress: pure)
//!                      └── engine::judged (answers <-> judged files, live figures)
//! ```
//!
//! # Layers
//!
//! Bottom up; a file uses only its own room and the rooms of lower layers, never a room beside
//! it or above it, and no two files use each other. `tests/layers.rs` reads the sources and
//! fails on any import against this table or any cycle between files.
//!
//! | layer | rooms | may use |
//! |---|---|---|
//! | 0 | `engine` (the pure method) | nothing of the crate |
//! | 1 | `chart`, `runner` (pure: policy, plan, progress, the run's vocabulary), `clock`, `split` | engine |
//! | 2 | the doors: `llm` (the only HTTP), `store` (the only storage), `reader` (files), `worker` (the engine's Web Worker) | engine, runner, clock |
//! | 3 | `state` (signals, actions, the async driver shell) | all below |
//! | 4 | `components` (props in, view out) | engine, chart, runner; never state or a door |
//! | 5 | `pages`, then `app` | all below |
//!
//! # Where things live
//!
//! - [`engine`]: the method, pure Rust, no browser crate (`tests/engine_fixtures.rs` checks the
//!   imports).
//!   - Reading: `dataset` reads JSONL in chunks (`lines`: chunked splitting, BOM, CRLF, 1-based
//!     numbers, the file's bytes held for the page or let go of line by line when streaming,
//!     for the command line; `line`: one line read straight into the fields a record needs,
//!     no JSON tree of the row, held to a whole-`Value` parse by the property tests; `skip`: the
//!     visitors that check and drop what is not kept; `row`: a
//!     data-set row; `reference`: the judged format; `raw`: re-reading one
//!     line for the sample view; `file` and `record`: the types), `json` (lookups and value
//!     text shared by the readers), `reply` (judge answers, SPEC 3), `verdict` (labels, SPEC 6),
//!     `source` (a loaded file as the page lists it).
//!   - Scoring: `metrics` (one row, SPEC 4: `outcome` classifies it as scored, error or
//!     skipped; `script` and `paper` are the two families), `stats` (numpy-identical sums, std,
//!     percentiles, the seeded bootstrap, its resamples in parts on every core natively with
//!     the same draws, `bootstrap_by` for any statistic), `figures_job` (the figures of a set
//!     of rows; a report's figures as a `FiguresJob` of plain data, run anywhere with the same
//!     result, keyed by content), `summary`
//!     (per-model figures, SPEC 5; right for the wrong reasons, SPEC 10; `Scoring` and
//!     `evaluate_models_deferred`: reports without intervals at once, a slice of records at a
//!     time, and their jobs), `paired` (two
//!     models on common rows), `problems` (what went wrong, grouped).
//!   - Judging the judges (SPEC 10): `agreement` (`matcher`: two matchers on the same models,
//!     across models by `fit` (line, R^2, RMSE) and `rank` (Spearman, Kendall tau-b), per model
//!     by mean |dRC| and `kappa` (weighted, five levels) over rows `join`ed by id or human
//!     checklist; `benchmark`: two leaderboards' rank agreement with bootstrap intervals over
//!     models; `sets`: reports grouped into those leaderboards by matcher or by data set,
//!     split by the other key where a model would be twice; undefined figures are `Undefined` values, too few models an `AgreementError`).
//!     `ensemble`: a matcher panel scores each row by the mean over its valid matchers; rows
//!     short of the required number are "ensemble incomplete" errors; the result is a
//!     `ModelReport` named `model · panel of N` (built by `summary::report_of_rows`).
//!   - Figures as data: `figure` (the `Figure` enum: every figure's key, titles, help,
//!     better-is-higher, how to read it from a report); `export` (`flat`: the `--json` row;
//!     `csv_text` with formula-safe cells, `markdown` with HTML escaped), `share` (`payload`,
//!     `codec`, `bounds`: decoded figures checked, `error`: share links, v1 frozen), `view`
//!     (chart choices; the alignment zones and their median thresholds), all iterating
//!     `Figure`; `report` (the standalone HTML report: inline SVG, leaderboard, settings
//!     without keys, method note; no script).
//!   - The full pipeline (SPEC 8): `pipeline` (`stage`: the `Stage` enum, its custom_id
//!     names and the fields each writes; `request`: turns and text fields of a row, one-pass
//!     filling; `generate`: the judge-prompt request in either order; `answer`: a judge
//!     answer -> reasons, verdict, named problems; `swap`: mirroring and position consistency;
//!     `decompose`: the decomposition request and its claims; `columns`: results -> fields;
//!     `starter`: the CC0 starter set of `public/starter.jsonl`, embedded; `structured`: the
//!     JSON answers a stage may ask for (`response_format` in two shapes) and the reference
//!     text they are read as).
//!   - For the runner and the page: `prompt` (the matching prompt, SPEC 2), `chat` (the
//!     chat-completions body every call sends, page or batch file, and the completion's
//!     reading), `batch` (SPEC 9: `custom_id`, `input` files split at 50,000 lines / 200 MB,
//!     `output` lines of OpenAI's and vLLM's shapes, `import` into a run's answers with its
//!     `summary`, `run_id` of a run that is not stored), `judged` (a run's
//!     answers <-> judged files, live views), `sample` (one row for the sample view; filtering
//!     and O(1) stepping), `first_choices` (what the pickers show before anything is chosen),
//!     `tabs` (the tabs and keyboard stepping), `text` (`visible`: control and bidi characters
//!     of a name shown as escapes; `shown_name`: that, cut to 60 characters for the page).
//! - [`chart`]: plotters drawing into SVG strings, pure and tested natively: `scatter` (the
//!   headline chart: `options`, `range` (always finite, never zero-width), `panel` composing
//!   `zones` (the paper's shaded alignment zones), `marks`, `points`, `point_labels`),
//!   `multiples` (per group), `histogram`, `agreement` (matcher A's RC against B's with the
//!   diagonal, the least-squares line and the figures of agreement, drawn with the scatter's
//!   panel), `slope` (benchmark agreement: ranks on two leaderboards, a line per model),
//!   `labels` (placement without overlaps), `layout`
//!   (label areas, tick counts), `theme` (colours and fonts), `error`.
//! - [`runner`]: the run, pure and natively tested. `plan` (what a run sends and leaves out;
//!   `RunSettings`, `RunInfo`), `request` (a checked `Request` per item: made only when its
//!   prompt can be built, its text built on demand, so the driver cannot fail to send it;
//!   in any stage: the matching, or the judge and decomposition prompts of SPEC 8), `stages`
//!   (an evaluation's stages, each a run of its own with its stage in `RunSettings`, and
//!   `evaluation`, what one is: options, models per stage, the `Evaluation` stored with them; the data
//!   set a later stage reads, written from exactly the earlier stages' stored answers),
//!   `batch` (a run's remaining calls as batch input files named by its own ids, and the
//!   importer of the engines' output with the page's own answer reader, SPEC 9),
//!   `attempt` (one row's attempts as a state machine: retry, Retry-After, format re-ask by
//!   the stage's own reader, halt), `control` (queue, pause / cancel / resume, budget, why a run stopped), `policy`
//!   (backoff and which failures halt), `streak` (a dead endpoint: the last calls all failing
//!   the same way halt the run), `queue`, `progress` (counts, rate, ETA, cost), and the
//!   vocabulary the doors and components speak: `form` (the setup form and its checks),
//!   `status` (where a run stands), `diagnosis` (a failed connection test in plain words).
//! - [`worker`]: the engine's Web Worker. `protocol` (pure: requests, replies, `READY`, the
//!   worker's whole work as text to text); `inside` (the worker's loop, run by
//!   `src/bin/engine_worker.rs`, which trunk builds beside the app); `page` (the page's door:
//!   a job in, its figures out, computed on the page when the worker cannot start or fails).
//! - [`llm`]: the only HTTP. `wire` (request and answer JSON) and `diagnose` (failures to a
//!   `Diagnosis`) are pure; `client` (browser only) sends chat completions with exactly two
//!   headers, a timeout and an abort handle, and fetches the files the app ships.
//! - `src/bin/metajudge/`: the command line, one file per subcommand (`main.rs` dispatches and
//!   sets mimalloc as the allocator; `common.rs`: messages, exit codes, output, files read as
//!   a stream): `score.rs` (`metajudge score FILE...
//!   [--json]`), `genrm.rs` (`metajudge genrm FILE --model NAME [--swap]`: raw judge-prompt
//!   answers -> reasons and verdict columns), `agree.rs` (`metajudge agree --matcher-a FILE...
//!   --matcher-b FILE... [--json]`), `batch.rs` (`metajudge batch export|import`: a stage as
//!   OpenAI Batch API files and their results back into judged files).
//! - Browser only (`wasm32`): `store` (the only storage: IndexedDB for runs, data sets and
//!   answers behind a synchronous localStorage journal; typed `StoreError`), `reader` (user
//!   files in 2 MB chunks, the page answering between them), `clock` (time, waiting, and
//!   `Slices` for long work that gives the browser a turn every few ms), `split` (split
//!   points, `later!`: in the release build the code only they reach leaves the first load
//!   for a module fetched beside the first view; `tests/split-app`, trunk's post_build hook,
//!   cuts the wasm; elsewhere they are plain async functions), `state` (the
//!   one `AppState` by context: `sources`, `loading` (a file read, then scored a slice of
//!   records a task), `demo`, `reports` (reports shown at once, their intervals from the
//!   engine worker by a resource, kept by job key), `panels` (matcher
//!   panels chosen, their reports derived into `reports`), `focus`, `agreement` (each judged
//!   file's matcher and data set, from loaded files, the current run and the stored runs added
//!   as matchers (`kept_runs`), the pair compared and its `MatcherAgreement`, all memos; the
//!   demo's second matcher); `run` holds
//!   the runner's signals with `actions` (start, reopen, delete, test connection as Leptos
//!   actions), `sending`, `batching`, `connection`, `export` (a judged file), `batch_files` (a run made without sending,
//!   its batch files, their results imported and saved), `evaluation`
//!   (an evaluation's stages, each a stored run with its own `RunState`, the matching the
//!   app's run, chained when a stage finishes, whether the page sent it or a batch import
//!   completed it; one budget shared by the stages); `driver` is the thin async loop that makes
//!   the calls), `components` (props in, view out; `download` hands files to the browser;
//!   `model_name` shows a name escaped and cut, whole on hover; `zone_controls` sets the
//!   alignment zones; `panel_builder` forms matcher panels; `benchmark_agreement` compares two
//!   leaderboards, `set_grouping` picks what they are made of; `run_matchers` adds stored runs as
//!   matchers; `position_table` details position consistency (the leaderboard shows it as a column: `columns` hides a sparse figure no row has); `batch_files` and `batch_summary`
//!   are the runner's batch controls and what an import read), `pages` (`studio` is the
//!   screen: the side panel (`panel`: inputs, `runner` with `evaluate` ("Evaluate a judge"),
//!   scoring), then the tabs `overview` (`downloads` under it), `breakdowns`, `compare`,
//!   `samples`, `distributions`, `agreement`, and `problems`; `later` holds the split points
//!   of all but the overview's chart and leaderboard, and `Later` shows one, "Loading…" until
//!   its code is in), `app` (the root component; a share link's reader is a split point too).
//!
//! # Invariants
//!
//! - Script-compatible figures add in the reference script's order and numpy's pairwise way:
//!   they equal `metajudge_analysis.py` to the last bit on the fixtures (checked to 1e-12).
//! - Nothing the user gave is dropped silently: every line is a row, a blank line, or a bad
//!   line with its 1-based number; every row of a model is scored, an error or skipped, with
//!   the reason kept. A failed journal recovery is shown, with what it means for the answers.
//! - Figures are derived, never synced: the only writes are user actions, finished loads, and
//!   the runner's answers (batched by a timer).
//! - An answer is saved (journal, then IndexedDB) before the page counts it; a (row, model) with
//!   a stored successful answer is never sent again. The API key is stored only when the user
//!   ticks "remember key", and never goes into a URL, an export or a log.
//! - Every planned item carries a `Request` that can always be sent; the driver never takes an
//!   item back without sending it (`runner::control` pins this).
//! - Text from a file or an endpoint is rendered as text, never as HTML; only SVG that plotters
//!   wrote (which escapes its text) goes in through `inner_html`.
//! - Bootstrap intervals use a fixed seed and a generator defined here, so the same file gives
//!   the same interval on every machine and after every dependency upgrade, computed in place
//!   or in the page's engine worker.
//! - Loading a large file never blocks the page for long: it is read in chunks and scored in
//!   slices, and its bootstrap runs in the engine worker (`bench_load` measures the longest
//!   task). Changing the options re-scores the files in one task, and the position
//!   consistency of a model judged in both orders is bootstrapped on the page.

pub mod chart;
pub mod engine;
pub mod llm;
pub mod runner;
pub mod worker;

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
pub mod split;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod store;
