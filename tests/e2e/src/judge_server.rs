//! A real OpenAI-compatible judge server for the end-to-end tests and benchmarks: it answers
//! `POST /v1/chat/completions` with scripted MetaJudge answers, injects faults (HTTP 500/429,
//! slow answers, dropped connections, malformed answers) deterministically from a seed, logs
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

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, ORIGIN, RETRY_AFTER, VARY};
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

/// Largest request body read (a prompt is a few KB; this only stops a runaway client).
const MAX_BODY: usize = 16 * 1024 * 1024;
/// The scores a scripted answer gives to a matched item.
const SCORES: [&str; 4] = ["0.25", "0.50", "0.75", "1.00"];

/// How a server is started. `Default` gives plain HTTP, seed 0, key `test-key`, model
/// `judge-test`, CORS on, `Retry-After` exposed, no faults.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// HTTPS (self-signed, HTTP/2 or HTTP/1.1 by ALPN) instead of plain HTTP.
    pub tls: bool,
    /// Seeds the scripted answers and the fault draws.
    pub seed: u64,
    /// The only key accepted, as `Authorization: Bearer <api_key>`.
    pub api_key: String,
    /// The only model served.
    pub model: String,
    /// Send CORS headers. `false` simulates a server that a browser may not call.
    pub cors: bool,
    /// Send `Access-Control-Expose-Headers: Retry-After`, without which a page cannot read it.
    pub expose_retry_after: bool,
    pub faults: Faults,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            tls: false,
            seed: 0,
            api_key: "test-key".into(),
            model: "judge-test".into(),
            cors: true,
            expose_retry_after: true,
            faults: Faults::default(),
        }
    }
}

/// The faults injected into chat completions. The probabilities are those of one draw per
/// request, taken in the order 500, 429, slow, drop, no_result, out_of_range (cumulative, so
/// their sum should be at most 1). Missing JSON fields take the defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Every chat completion that passes the key, body and model checks waits this long before
    /// answering (faulty answers too; a slow answer waits `max(slow_ms, latency_ms)`).
    pub latency_ms: u64,
    pub p_500: f64,
    pub p_429: f64,
    /// The value of `Retry-After` on a 429, in seconds.
    pub retry_after_s: u64,
    pub p_slow: f64,
    /// How long a slow answer takes (meant to be longer than the client's timeout).
    pub slow_ms: u64,
    pub p_drop: f64,
    pub p_no_result: f64,
    pub p_out_of_range: f64,
    /// After this many faulty answers to one prompt, that prompt is always answered correctly,
    /// so a client that retries always gets through in the end.
    pub max_faults_per_prompt: u32,
    /// Fingerprints (see [`fingerprint`]) of prompts that always get HTTP 500, whatever the cap.
    pub always_fail: Vec<String>,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            latency_ms: 0,
            p_500: 0.0,
            p_429: 0.0,
            retry_after_s: 1,
            p_slow: 0.0,
            slow_ms: 5000,
            p_drop: 0.0,
            p_no_result: 0.0,
            p_out_of_range: 0.0,
            max_faults_per_prompt: 2,
            always_fail: Vec::new(),
        }
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug, Serialize)]
pub struct LogEntry {
    /// Arrival order, from 0.
    pub seq: u64,
    pub method: String,
    pub path: String,
    /// The prompt's fingerprint, for chat completions whose body could be read.
    pub fingerprint: Option<String>,
    /// The status sent; 0 when the connection was dropped on purpose or the client went away.
    pub status: u16,
    /// One of "success", "http_500", "http_429", "slow", "dropped", "no_result",
    /// "out_of_range", "unauthorized", "model_not_found", "bad_request", "preflight", "models",
    /// "cancelled", "not_found".
    pub outcome: String,
    /// The request's header names, lower case, in the order first seen.
    pub header_names: Vec<String>,
    /// Milliseconds since the server started, when the request arrived.
    pub started_ms: u64,
    /// Milliseconds since the server started, when the answer was handed to hyper (or the
    /// request was dropped or cancelled).
    pub finished_ms: u64,
}

/// A running server. Dropping it stops accepting and aborts the open connections.
pub struct JudgeServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl JudgeServer {
    /// Starts a server on 127.0.0.1 on a free port.
    pub async fn start(config: ServerConfig) -> JudgeServer {
        JudgeServer::start_on(0, config).await
    }

    /// Starts a server on 127.0.0.1:`port` (0 = a free port). Panics when the port is taken,
    /// since this is a test fixture.
    pub async fn start_on(port: u16, config: ServerConfig) -> JudgeServer {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap_or_else(|e| panic!("judge server cannot bind 127.0.0.1:{port}: {e}"));
        let addr = listener.local_addr().expect("a bound address");
        let tls = config.tls.then(tls_acceptor);
        let shared = Arc::new(Shared::new(config));
        let task = tokio::spawn(accept_loop(listener, tls, shared.clone()));
        JudgeServer { addr, shared, task }
    }

    /// The base URL an OpenAI client is given, ending in `/v1`.
    pub fn base_url(&self) -> String {
        let scheme = if self.shared.config.tls {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}/v1", self.addr)
    }

    /// The origin of the server (no path), for the control endpoints.
    pub fn origin(&self) -> String {
        self.base_url().trim_end_matches("/v1").to_string()
    }

    pub fn api_key(&self) -> &str {
        &self.shared.config.api_key
    }

    pub fn model(&self) -> &str {
        &self.shared.config.model
    }

    /// Replaces the faults. The per-prompt history (how often each prompt was asked and got a
    /// fault) starts afresh, so the new faults apply in full, up to `max_faults_per_prompt`.
    pub fn set_faults(&self, faults: Faults) {
        self.shared.set_faults(faults);
    }

    /// The faults now in force.
    pub fn faults(&self) -> Faults {
        lock(&self.shared.faults).clone()
    }

    /// The finished requests, in arrival order. A request still being answered is not there yet.
    pub fn log(&self) -> Vec<LogEntry> {
        self.shared.log()
    }

    pub fn clear_log(&self) {
        lock(&self.shared.log).clear();
    }
}

impl Drop for JudgeServer {
    fn drop(&mut self) {
        // The accept task owns the connection tasks (a JoinSet), so aborting it ends them too.
        self.task.abort();
    }
}

/// The fingerprint of a prompt: FNV-1a 64 of its UTF-8 bytes, as 16 lower-case hex digits.
pub fn fingerprint(prompt: &str) -> String {
    format!("{:016x}", fnv1a64(prompt.as_bytes()))
}

/// The correct answer the server gives to `prompt`: for each human item `R<i>` (lines starting
/// with `R<digits>: `), a model item `S<s>` with `s` in `0..=n_S` (0 = no match; `n_S` is the
/// number of lines starting with `S<digits>: `) and a score, both drawn from
/// hash(seed, prompt, i).
pub fn scripted_answer(seed: u64, prompt: &str) -> String {
    render_answer(&scripted_matches(seed, prompt))
}

// ---------------------------------------------------------------------------------------------
// Scripted answers.

/// One `- R<r>@S<s>: <score>` line.
struct Match {
    r: usize,
    s: usize,
    score: &'static str,
}

fn scripted_matches(seed: u64, prompt: &str) -> Vec<Match> {
    let n_s = count_items(prompt, 'S');
    let n_r = count_items(prompt, 'R');
    let fp = fnv1a64(prompt.as_bytes());
    (1..=n_r)
        .map(|r| {
            let h = hash3(seed ^ 0x5c0e_5c0e, fp, r as u64);
            let s = (h % (n_s as u64 + 1)) as usize;
            let score = if s == 0 {
                "0"
            } else {
                SCORES[((h >> 32) % SCORES.len() as u64) as usize]
            };
            Match { r, s, score }
        })
        .collect()
}

/// How many lines start with `<letter><digits>: `, the way the app numbers the items.
fn count_items(prompt: &str, letter: char) -> usize {
    prompt
        .lines()
        .filter(|line| {
            let Some(rest) = line.strip_prefix(letter) else {
                return false;
            };
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            digits > 0 && rest[digits..].starts_with(": ")
        })
        .count()
}

fn render_answer(matches: &[Match]) -> String {
    let mut out = String::from("(think) compared the lists\n<RESULT_START>\n");
    out.push_str("Scores corresponding to claims:\n");
    for m in matches {
        out.push_str(&format!("- R{}@S{}: {}\n", m.r, m.s, m.score));
    }
    out.push_str("<RESULT_END>");
    out
}

/// The scripted answer with its first score replaced by 1.5 (a line is added when there is
/// none), which the app must reject as out of range.
fn out_of_range_answer(seed: u64, prompt: &str) -> String {
    let n_s = count_items(prompt, 'S');
    let mut matches = scripted_matches(seed, prompt);
    if matches.is_empty() {
        matches.push(Match {
            r: 1,
            s: n_s.min(1),
            score: "1.5",
        });
    } else {
        let first = &mut matches[0];
        first.s = if first.s == 0 { n_s.min(1) } else { first.s };
        first.score = "1.5";
    }
    render_answer(&matches)
}

const NO_RESULT_ANSWER: &str = "(think) I compared the lists but I am not sure how to score them.";

// ---------------------------------------------------------------------------------------------
// Hashing: FNV-1a for fingerprints, SplitMix64 to mix the seed, prompt and counters.

fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn hash3(a: u64, b: u64, c: u64) -> u64 {
    splitmix64(splitmix64(splitmix64(a) ^ b) ^ c)
}

/// A uniform number in [0, 1) from a hash.
fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

// ---------------------------------------------------------------------------------------------
// Faults.

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    None,
    Http500,
    Http429,
    Slow,
    Drop,
    NoResult,
    OutOfRange,
}

/// How one prompt was treated so far (since the last `set_faults`).
#[derive(Default)]
struct PromptHistory {
    asked: u64,
    faults: u32,
}

/// The fault for the `asked`-th request (from 0) of the prompt with fingerprint `fp`.
fn draw_fault(seed: u64, fp: u64, asked: u64, faults: &Faults) -> Fault {
    let u = unit(hash3(seed ^ 0xfa17_fa17, fp, asked));
    let ladder = [
        (faults.p_500, Fault::Http500),
        (faults.p_429, Fault::Http429),
        (faults.p_slow, Fault::Slow),
        (faults.p_drop, Fault::Drop),
        (faults.p_no_result, Fault::NoResult),
        (faults.p_out_of_range, Fault::OutOfRange),
    ];
    let mut cumulative = 0.0;
    for (p, fault) in ladder {
        cumulative += p.max(0.0);
        if u < cumulative {
            return fault;
        }
    }
    Fault::None
}

// ---------------------------------------------------------------------------------------------
// Shared state.

struct Shared {
    config: ServerConfig,
    t0: Instant,
    faults: Mutex<Faults>,
    prompts: Mutex<HashMap<u64, PromptHistory>>,
    log: Mutex<Vec<LogEntry>>,
    seq: AtomicU64,
    completion_id: AtomicU64,
}

/// Locks a mutex, going on after a panic elsewhere (the data are plain values, never half
/// written), so one failed assertion does not cascade into every later request.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    fn new(config: ServerConfig) -> Shared {
        Shared {
            faults: Mutex::new(config.faults.clone()),
            config,
            t0: Instant::now(),
            prompts: Mutex::new(HashMap::new()),
            log: Mutex::new(Vec::new()),
            seq: AtomicU64::new(0),
            completion_id: AtomicU64::new(1),
        }
    }

    fn now_ms(&self) -> u64 {
        self.t0.elapsed().as_millis() as u64
    }

    fn set_faults(&self, faults: Faults) {
        // Both under their locks in a fixed order (faults, then prompts) like `decide`, so no
        // request sees the new faults with the old history.
        let mut current = lock(&self.faults);
        let mut prompts = lock(&self.prompts);
        *current = faults;
        prompts.clear();
    }

    fn log(&self) -> Vec<LogEntry> {
        let mut entries = lock(&self.log).clone();
        entries.sort_by_key(|e| e.seq);
        entries
    }

    /// Decides the fault of one chat completion and counts it; returns it with the latency.
    fn decide(&self, prompt: &str) -> (Fault, Faults) {
        let faults = lock(&self.faults).clone();
        let fp = fnv1a64(prompt.as_bytes());
        let fp_hex = format!("{fp:016x}");
        let mut prompts = lock(&self.prompts);
        let history = prompts.entry(fp).or_default();
        let fault = if faults
            .always_fail
            .iter()
            .any(|f| f.trim().eq_ignore_ascii_case(&fp_hex))
        {
            Fault::Http500
        } else if history.faults >= faults.max_faults_per_prompt {
            Fault::None
        } else {
            draw_fault(self.config.seed, fp, history.asked, &faults)
        };
        history.asked += 1;
        if fault != Fault::None {
            history.faults = history.faults.saturating_add(1);
        }
        (fault, faults)
    }
}

/// The log entry of one request, written exactly once: by `finish` when the answer is handed
/// to hyper, or by `Drop` ("cancelled", status 0) when hyper drops the handler because the
/// client went away first.
struct PendingEntry {
    shared: Arc<Shared>,
    entry: Option<LogEntry>,
}

impl PendingEntry {
    fn new(shared: Arc<Shared>, req: &Request<Incoming>) -> PendingEntry {
        let mut header_names: Vec<String> = Vec::new();
        for name in req.headers().keys() {
            let name = name.as_str().to_ascii_lowercase();
            if !header_names.contains(&name) {
                header_names.push(name);
            }
        }
        let entry = LogEntry {
            seq: shared.seq.fetch_add(1, Ordering::SeqCst),
            method: req.method().to_string(),
            path: req.uri().path().to_string(),
            fingerprint: None,
            status: 0,
            outcome: "cancelled".into(),
            header_names,
            started_ms: shared.now_ms(),
            finished_ms: 0,
        };
        PendingEntry {
            shared,
            entry: Some(entry),
        }
    }

    fn set_fingerprint(&mut self, fp: String) {
        if let Some(entry) = &mut self.entry {
            entry.fingerprint = Some(fp);
        }
    }

    fn finish(&mut self, status: u16, outcome: &str) {
        if let Some(mut entry) = self.entry.take() {
            entry.status = status;
            entry.outcome = outcome.to_string();
            entry.finished_ms = self.shared.now_ms();
            lock(&self.shared.log).push(entry);
        }
    }
}

impl Drop for PendingEntry {
    fn drop(&mut self) {
        self.finish(0, "cancelled");
    }
}

// ---------------------------------------------------------------------------------------------
// Serving.

/// Returned by the service to make hyper abort the connection (HTTP/1) or reset the stream
/// (HTTP/2) without any response: the browser sees a network error.
#[derive(Debug)]
struct DroppedOnPurpose;

impl std::fmt::Display for DroppedOnPurpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose (simulated fault)")
    }
}

impl std::error::Error for DroppedOnPurpose {}

type Body = Full<Bytes>;

/// A self-signed certificate for 127.0.0.1 and localhost, made afresh at each start, and ALPN
/// offering h2 first: Chromium multiplexes requests to one host only over HTTP/2 with TLS.
fn tls_acceptor() -> TlsAcceptor {
    let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
        .expect("a self-signed certificate");
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.signing_key.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert.cert.der().clone()], key)
        .expect("the generated key fits the certificate");
    tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    TlsAcceptor::from(Arc::new(tls))
}

async fn accept_loop(listener: TcpListener, tls: Option<TlsAcceptor>, shared: Arc<Shared>) {
    // One task per connection, kept in a set so that aborting this task aborts them all.
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        // Out of file descriptors or similar: back off instead of spinning.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let shared = shared.clone();
                let tls = tls.clone();
                connections.spawn(async move {
                    match tls {
                        Some(acceptor) => {
                            if let Ok(stream) = acceptor.accept(stream).await {
                                serve_connection(TokioIo::new(stream), shared).await;
                            }
                        }
                        None => serve_connection(TokioIo::new(stream), shared).await,
                    }
                });
            }
            // Reap finished connections so the set does not grow without bound.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Serves one connection with HTTP/1.1 or HTTP/2 (h2 by ALPN over TLS, or h2c by preface).
async fn serve_connection<I>(io: I, shared: Arc<Shared>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = service_fn(move |req| handle(shared.clone(), req));
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new());
    // More streams than hyper's default 200, so a benchmark can open hundreds at once.
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(1024);
    let _ = builder.serve_connection(io, service).await;
}

/// What a route decided.
enum Answer {
    Reply {
        status: StatusCode,
        outcome: &'static str,
        body: Value,
        retry_after: Option<u64>,
    },
    /// Abort the connection or stream without a response.
    Drop,
    /// The client went away while sending its body: nothing to answer, logged as cancelled.
    ClientGone,
}

fn reply(status: StatusCode, outcome: &'static str, body: Value) -> Answer {
    Answer::Reply {
        status,
        outcome,
        body,
        retry_after: None,
    }
}

fn invalid_request(message: &str) -> Answer {
    reply(
        StatusCode::BAD_REQUEST,
        "bad_request",
        json!({"error": {"message": message, "type": "invalid_request_error"}}),
    )
}

fn not_found(path: &str) -> Answer {
    reply(
        StatusCode::NOT_FOUND,
        "not_found",
        json!({"error": {"message": format!("Unknown request URL: {path}"), "type": "invalid_request_error", "code": "unknown_url"}}),
    )
}

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Body>, DroppedOnPurpose> {
    let origin = req.headers().get(ORIGIN).cloned();
    let path = req.uri().path().to_string();
    let cors = Cors {
        enabled: shared.config.cors,
        expose_retry_after: shared.config.expose_retry_after,
        origin,
    };

    // The control endpoints are the test driver's own traffic: answered, never logged.
    if path.starts_with("/__control/") {
        if req.method() == Method::OPTIONS {
            return Ok(cors.preflight());
        }
        let answer = control(&shared, req, &path).await;
        return Ok(into_response(answer, &cors).unwrap_or_else(|| cors.respond_empty()));
    }

    let mut pending = PendingEntry::new(shared.clone(), &req);
    if req.method() == Method::OPTIONS {
        pending.finish(204, "preflight");
        return Ok(cors.preflight());
    }
    let answer = match (req.method(), path.as_str()) {
        (&Method::POST, "/v1/chat/completions") => chat(&shared, req, &mut pending).await,
        (&Method::GET, "/v1/models") => models(&shared, &req),
        _ => not_found(&path),
    };
    match answer {
        Answer::Drop => {
            pending.finish(0, "dropped");
            Err(DroppedOnPurpose)
        }
        // `pending` is dropped here and writes "cancelled".
        Answer::ClientGone => Err(DroppedOnPurpose),
        Answer::Reply {
            status, outcome, ..
        } => {
            pending.finish(status.as_u16(), outcome);
            Ok(into_response(answer, &cors).expect("a reply"))
        }
    }
}

fn authorized(shared: &Shared, req: &Request<Incoming>) -> bool {
    let expected = format!("Bearer {}", shared.config.api_key);
    req.headers()
        .get(AUTHORIZATION)
        .is_some_and(|v| v.as_bytes() == expected.as_bytes())
}

fn unauthorized() -> Answer {
    reply(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        json!({"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key"}}),
    )
}

fn models(shared: &Shared, req: &Request<Incoming>) -> Answer {
    if !authorized(shared, req) {
        return unauthorized();
    }
    reply(
        StatusCode::OK,
        "models",
        json!({"object": "list", "data": [{"id": shared.config.model, "object": "model", "owned_by": "test"}]}),
    )
}

/// The text of the prompt: the last user message (the last message when none is from the
/// user), whose content is a string or OpenAI's list of `{"type": "text", "text": ...}` parts.
fn prompt_of(body: &Value) -> Option<String> {
    let messages = body.get("messages")?.as_array()?;
    let message = messages
        .iter()
        .rev()
        .find(|m| m.get("role").and_then(Value::as_str) == Some("user"))
        .or_else(|| messages.last())?;
    match message.get("content")? {
        Value::String(text) => Some(text.clone()),
        Value::Array(parts) => Some(
            parts
                .iter()
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        _ => None,
    }
}

/// The whole request body, or the answer when it cannot be had: 400 when it is too large,
/// nothing when the client went away while sending it.
async fn read_body(req: Request<Incoming>) -> Result<Bytes, Answer> {
    match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(invalid_request(&format!(
            "The request body is larger than {MAX_BODY} bytes."
        ))),
        Err(_) => Err(Answer::ClientGone),
    }
}

async fn chat(shared: &Shared, req: Request<Incoming>, pending: &mut PendingEntry) -> Answer {
    if !authorized(shared, &req) {
        return unauthorized();
    }
    let bytes = match read_body(req).await {
        Ok(bytes) => bytes,
        Err(answer) => return answer,
    };
    let Ok(body) = serde_json::from_slice::<Value>(&bytes) else {
        return invalid_request("We could not parse the JSON body of your request.");
    };
    let Some(prompt) = prompt_of(&body) else {
        return invalid_request("'messages' must be a non-empty array of messages with content.");
    };
    pending.set_fingerprint(fingerprint(&prompt));
    let model = match body.get("model").and_then(Value::as_str) {
        Some(model) => model,
        None => return invalid_request("You must provide a model parameter."),
    };
    if model != shared.config.model {
        return reply(
            StatusCode::NOT_FOUND,
            "model_not_found",
            json!({"error": {
                "message": format!("The model `{model}` does not exist or you do not have access to it."),
                "type": "invalid_request_error",
                "code": "model_not_found"
            }}),
        );
    }

    let (fault, faults) = shared.decide(&prompt);
    let wait = if fault == Fault::Slow {
        faults.slow_ms.max(faults.latency_ms)
    } else {
        faults.latency_ms
    };
    // If the client goes away during this sleep, hyper drops this future and the entry is
    // written as "cancelled" by `PendingEntry::drop`.
    if wait > 0 {
        tokio::time::sleep(Duration::from_millis(wait)).await;
    }
    let seed = shared.config.seed;
    match fault {
        Fault::Http500 => reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            "http_500",
            json!({"error": {"message": "simulated server error", "type": "server_error"}}),
        ),
        Fault::Http429 => Answer::Reply {
            status: StatusCode::TOO_MANY_REQUESTS,
            outcome: "http_429",
            body: json!({"error": {"message": "Rate limit reached (simulated)", "type": "requests", "code": "rate_limit_exceeded"}}),
            retry_after: Some(faults.retry_after_s),
        },
        Fault::Drop => Answer::Drop,
        Fault::Slow => completion(shared, "slow", &prompt, scripted_answer(seed, &prompt)),
        Fault::NoResult => completion(shared, "no_result", &prompt, NO_RESULT_ANSWER.into()),
        Fault::OutOfRange => completion(
            shared,
            "out_of_range",
            &prompt,
            out_of_range_answer(seed, &prompt),
        ),
        Fault::None => completion(shared, "success", &prompt, scripted_answer(seed, &prompt)),
    }
}

/// A 200 answer shaped like OpenAI's, with usage estimated as one token per 4 characters.
fn completion(shared: &Shared, outcome: &'static str, prompt: &str, content: String) -> Answer {
    let prompt_tokens = prompt.chars().count().div_ceil(4);
    let completion_tokens = content.chars().count().div_ceil(4);
    let id = shared.completion_id.fetch_add(1, Ordering::SeqCst);
    let created = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    reply(
        StatusCode::OK,
        outcome,
        json!({
            "id": format!("chatcmpl-{id}"),
            "object": "chat.completion",
            "created": created,
            "model": shared.config.model,
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop"
            }],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens
            }
        }),
    )
}

async fn control(shared: &Shared, req: Request<Incoming>, path: &str) -> Answer {
    match (req.method().clone(), path) {
        (Method::GET, "/__control/faults") => {
            reply(StatusCode::OK, "control", json!(*lock(&shared.faults)))
        }
        (Method::POST, "/__control/faults") => {
            let bytes = match read_body(req).await {
                Ok(bytes) => bytes,
                Err(answer) => return answer,
            };
            match serde_json::from_slice::<Faults>(&bytes) {
                Ok(faults) => {
                    shared.set_faults(faults.clone());
                    reply(StatusCode::OK, "control", json!(faults))
                }
                Err(e) => invalid_request(&format!("Invalid faults: {e}")),
            }
        }
        (Method::GET, "/__control/log") => reply(StatusCode::OK, "control", json!(shared.log())),
        (Method::POST, "/__control/clear_log") => {
            let cleared = std::mem::take(&mut *lock(&shared.log)).len();
            reply(StatusCode::OK, "control", json!({"cleared": cleared}))
        }
        _ => not_found(path),
    }
}

// ---------------------------------------------------------------------------------------------
// Responses and CORS.

struct Cors {
    enabled: bool,
    expose_retry_after: bool,
    origin: Option<HeaderValue>,
}

impl Cors {
    fn allow_origin(&self) -> HeaderValue {
        self.origin
            .clone()
            .unwrap_or_else(|| HeaderValue::from_static("*"))
    }

    /// Headers on every answer except a preflight's.
    fn decorate(&self, response: &mut Response<Body>) {
        if !self.enabled {
            return;
        }
        let headers = response.headers_mut();
        headers.insert("access-control-allow-origin", self.allow_origin());
        headers.insert(VARY, HeaderValue::from_static("Origin"));
        if self.expose_retry_after {
            headers.insert(
                "access-control-expose-headers",
                HeaderValue::from_static("Retry-After"),
            );
        }
    }

    fn preflight(&self) -> Response<Body> {
        let mut response = Response::new(Body::default());
        *response.status_mut() = StatusCode::NO_CONTENT;
        if self.enabled {
            let headers = response.headers_mut();
            headers.insert("access-control-allow-origin", self.allow_origin());
            headers.insert(
                "access-control-allow-methods",
                HeaderValue::from_static("GET, POST, OPTIONS"),
            );
            headers.insert(
                "access-control-allow-headers",
                HeaderValue::from_static("authorization, content-type"),
            );
            headers.insert("access-control-max-age", HeaderValue::from_static("600"));
            // Chromium's Private Network Access asks this before a page calls 127.0.0.1.
            headers.insert(
                "access-control-allow-private-network",
                HeaderValue::from_static("true"),
            );
            headers.insert(VARY, HeaderValue::from_static("Origin"));
        }
        response
    }

    fn respond_empty(&self) -> Response<Body> {
        let mut response = Response::new(Body::default());
        *response.status_mut() = StatusCode::NO_CONTENT;
        self.decorate(&mut response);
        response
    }
}

/// The HTTP response of a reply (None for a drop).
fn into_response(answer: Answer, cors: &Cors) -> Option<Response<Body>> {
    let Answer::Reply {
        status,
        body,
        retry_after,
        ..
    } = answer
    else {
        return None;
    };
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(seconds) = retry_after {
        headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    cors.decorate(&mut response);
    Some(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_items_only_at_line_start_with_colon_space() {
        let prompt = "S1: a\nS2: b\n S3: indented\nS4:no space\nSx: no digit\nR1: x\nR12: y";
        assert_eq!(count_items(prompt, 'S'), 2);
        assert_eq!(count_items(prompt, 'R'), 2);
    }

    #[test]
    fn draws_follow_the_probabilities_roughly() {
        let faults = Faults {
            p_500: 0.3,
            p_429: 0.2,
            ..Faults::default()
        };
        let draws: Vec<Fault> = (0..2000).map(|i| draw_fault(1, i, 0, &faults)).collect();
        let share = |f| draws.iter().filter(|&&d| d == f).count() as f64 / 2000.0;
        assert!((share(Fault::Http500) - 0.3).abs() < 0.05);
        assert!((share(Fault::Http429) - 0.2).abs() < 0.05);
        assert!((share(Fault::None) - 0.5).abs() < 0.05);
    }

    #[test]
    fn out_of_range_answer_has_one_bad_score() {
        let prompt = "S1: a\nR1: x\nR2: y";
        let answer = out_of_range_answer(3, prompt);
        assert!(answer.contains("- R1@S1: 1.5\n"), "{answer}");
        assert_eq!(answer.matches("1.5").count(), 1);
        assert!(out_of_range_answer(3, "no items").contains("- R1@S0: 1.5"));
    }
}
