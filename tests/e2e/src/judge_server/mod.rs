//! A real OpenAI-compatible judge server for the end-to-end tests and benchmarks: it answers
//! `POST /v1/chat/completions` with scripted MetaJudge answers (and judge-prompt and
//! decomposition answers, told apart by the request text; as JSON when the request asks for
//! structured answers), injects faults (HTTP 500/429,
//! slow answers, dropped connections, malformed answers, or a dead endpoint answering every
//! call 500 with one message) deterministically from a seed, logs
//! every request, and serves plain HTTP or HTTPS with HTTP/2 so that a browser can run many
//! requests at once against it.
//!
//! Determinism: every choice (the scripted answer, whether a request gets a fault) is a hash of
//! the seed, the prompt's [`fingerprint`] and a counter, never a random number generator, so a
//! test can predict and replay what the server does.
//!
//! HTTP surface (all JSON):
//! - `POST /v1/chat/completions`, `GET /v1/models` (both need `Authorization: Bearer <api_key>`);
//! - `OPTIONS *` answers CORS preflights;
//! - `GET|POST /__control/faults`, `GET /__control/log`, `POST /__control/clear_log` let a test
//!   outside this process (a page, a script) change the faults and read the log. Control requests
//!   are not logged themselves, so reading the log never changes it.
//!
//! Where things live: `config` and `faults` say what a test asks for, `answers` and `hash` make
//! the seeded answers (`stage_answers` those to the judge and decomposition prompts,
//! `structured` their JSON when a request asks for `response_format`), `server` is the handle a test holds over the `state` every connection
//! shares, `serve` accepts and routes, `routes` answer, `reply` and `response` turn a route's
//! decision into HTTP with CORS, `pending` and `log` keep the request log, `tls` makes HTTPS.

mod answers;
mod config;
mod faults;
mod hash;
mod log;
mod pending;
mod reply;
mod response;
mod routes;
mod serve;
mod server;
mod stage_answers;
mod state;
mod structured;
mod tls;

pub use answers::{fingerprint, scripted_answer};
pub use config::ServerConfig;
pub use faults::Faults;
pub use log::{answered_twice, LogEntry};
pub use server::JudgeServer;
pub use stage_answers::{prompt_kind, PromptKind};
