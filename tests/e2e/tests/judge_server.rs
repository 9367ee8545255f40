//! Native tests of the OpenAI-compatible test judge server (src/judge_server.rs): its scripted
//! answers, its errors, CORS, fault injection, the request log, and concurrency over
//! HTTP/2 with TLS, all through real sockets with hyper clients.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use e2e::judge_server::{
    fingerprint, scripted_answer, Faults, JudgeServer, LogEntry, ServerConfig,
};
use http_body_util::{BodyExt, Full};
use hyper::header::HeaderMap;
use hyper::{Method, Request, StatusCode, Version};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;

const PROMPT: &str = "Compare the lists.\nS1: the code compiles\nS2: the tests pass\n\
                      R1: it builds\nR2: tests are green\nR3: it is documented\nAnswer now.";

// ---------------------------------------------------------------------------------------------
// Helpers.

/// A plain HTTP/1.1 client; every test gets its own, so connections are never shared.
fn http_client() -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(TokioExecutor::new()).build_http()
}

/// Request headers as (name, value) pairs.
type Headers<'a> = &'a [(&'a str, &'a str)];

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    json: Value,
}

fn chat_body(model: &str, prompt: &str) -> Value {
    json!({
        "model": model,
        "messages": [{"role": "user", "content": prompt}],
        "temperature": 0,
        "max_tokens": 512,
        "stream": false
    })
}

fn request(
    method: Method,
    url: &str,
    headers: Headers<'_>,
    body: Option<String>,
) -> Request<Full<Bytes>> {
    let mut builder = Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    if body.is_some() {
        builder = builder.header("content-type", "application/json");
    }
    builder
        .body(Full::new(Bytes::from(body.unwrap_or_default())))
        .unwrap()
}

async fn read_reply(response: hyper::Response<hyper::body::Incoming>) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("a JSON body")
    };
    Reply {
        status,
        headers,
        json,
    }
}

async fn send(
    client: &Client<HttpConnector, Full<Bytes>>,
    method: Method,
    url: &str,
    headers: Headers<'_>,
    body: Option<String>,
) -> Result<Reply, hyper_util::client::legacy::Error> {
    let response = client.request(request(method, url, headers, body)).await?;
    Ok(read_reply(response).await)
}

/// A chat completion with the right key and the given model and prompt.
async fn ask(
    client: &Client<HttpConnector, Full<Bytes>>,
    server: &JudgeServer,
    prompt: &str,
) -> Result<Reply, hyper_util::client::legacy::Error> {
    send(
        client,
        Method::POST,
        &format!("{}/chat/completions", server.base_url()),
        &[("authorization", "Bearer test-key")],
        Some(chat_body("judge-test", prompt).to_string()),
    )
    .await
}

fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply.headers.get(name).map(|v| v.to_str().unwrap())
}

/// Waits until the log satisfies `done` (the server writes an entry when the request ends,
/// which for a vanished client is when it notices), up to 5 s.
async fn wait_for_log(server: &JudgeServer, done: impl Fn(&[LogEntry]) -> bool) -> Vec<LogEntry> {
    let start = Instant::now();
    loop {
        let log = server.log();
        if done(&log) {
            return log;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the log never got there: {log:#?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn server_with(faults: Faults) -> JudgeServer {
    JudgeServer::start(ServerConfig {
        seed: 11,
        faults,
        ..ServerConfig::default()
    })
    .await
}

/// The `(r, s, score)` lines of an answer's result block.
fn score_lines(answer: &str) -> Vec<(usize, usize, String)> {
    let start = answer.find("<RESULT_START>").expect("a result block");
    let end = answer.find("<RESULT_END>").expect("a result block end");
    answer[start..end]
        .lines()
        .filter_map(|line| line.strip_prefix("- R"))
        .map(|rest| {
            let (r, rest) = rest.split_once("@S").unwrap();
            let (s, score) = rest.split_once(": ").unwrap();
            (r.parse().unwrap(), s.parse().unwrap(), score.to_string())
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Scripted answers.

#[test]
fn scripted_answer_scores_each_human_item_in_order_and_is_deterministic() {
    let answer = scripted_answer(5, PROMPT);
    assert!(answer.starts_with(
        "(think) compared the lists\n<RESULT_START>\nScores corresponding to claims:\n"
    ));
    assert!(answer.ends_with("\n<RESULT_END>"));
    let lines = score_lines(&answer);
    assert_eq!(lines.iter().map(|l| l.0).collect::<Vec<_>>(), [1, 2, 3]);
    for (_, s, score) in &lines {
        assert!(*s <= 2, "{answer}");
        if *s == 0 {
            assert_eq!(score, "0");
        } else {
            assert!(["0.25", "0.50", "0.75", "1.00"].contains(&score.as_str()));
        }
    }
    assert_eq!(answer, scripted_answer(5, PROMPT), "same seed, same answer");
    let answers: std::collections::HashSet<String> =
        (0..20).map(|seed| scripted_answer(seed, PROMPT)).collect();
    assert!(answers.len() > 1, "the seed changes the answers");

    let empty = scripted_answer(5, "S1: only model items");
    assert_eq!(
        empty,
        "(think) compared the lists\n<RESULT_START>\nScores corresponding to claims:\n<RESULT_END>"
    );
    assert_eq!(fingerprint(PROMPT), fingerprint(PROMPT));
    assert_eq!(fingerprint(PROMPT).len(), 16);
    assert_ne!(fingerprint(PROMPT), fingerprint("other"));
    // FNV-1a 64 of the empty string is its offset basis.
    assert_eq!(fingerprint(""), "cbf29ce484222325");
}

// ---------------------------------------------------------------------------------------------
// Requests and errors.

#[tokio::test]
async fn checks_key_body_and_model_then_answers_like_openai() {
    let server = server_with(Faults::default()).await;
    let client = http_client();
    let url = format!("{}/chat/completions", server.base_url());
    let good_body = chat_body("judge-test", PROMPT).to_string();

    let wrong_key = send(
        &client,
        Method::POST,
        &url,
        &[("authorization", "Bearer nope")],
        Some(good_body.clone()),
    )
    .await
    .unwrap();
    assert_eq!(wrong_key.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_key.json["error"]["code"], "invalid_api_key");
    assert_eq!(wrong_key.json["error"]["type"], "invalid_request_error");
    assert_eq!(
        wrong_key.json["error"]["message"],
        "Incorrect API key provided"
    );
    let no_key = send(&client, Method::POST, &url, &[], Some(good_body.clone()))
        .await
        .unwrap();
    assert_eq!(no_key.status, StatusCode::UNAUTHORIZED);

    let wrong_model = send(
        &client,
        Method::POST,
        &url,
        &[("authorization", "Bearer test-key")],
        Some(chat_body("gpt-nope", PROMPT).to_string()),
    )
    .await
    .unwrap();
    assert_eq!(wrong_model.status, StatusCode::NOT_FOUND);
    assert_eq!(wrong_model.json["error"]["code"], "model_not_found");
    assert_eq!(
        wrong_model.json["error"]["message"],
        "The model `gpt-nope` does not exist or you do not have access to it."
    );

    for bad in [
        "not json",
        r#"{"model": "judge-test"}"#,
        r#"{"model": "judge-test", "messages": []}"#,
    ] {
        let reply = send(
            &client,
            Method::POST,
            &url,
            &[("authorization", "Bearer test-key")],
            Some(bad.into()),
        )
        .await
        .unwrap();
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(reply.json["error"]["type"], "invalid_request_error");
    }

    let good = ask(&client, &server, PROMPT).await.unwrap();
    assert_eq!(good.status, StatusCode::OK);
    assert_eq!(header(&good, "content-type"), Some("application/json"));
    let j = &good.json;
    assert!(j["id"].as_str().unwrap().starts_with("chatcmpl-"));
    assert_eq!(j["object"], "chat.completion");
    assert!(j["created"].as_u64().unwrap() > 1_600_000_000);
    assert_eq!(j["model"], "judge-test");
    assert_eq!(j["choices"][0]["index"], 0);
    assert_eq!(j["choices"][0]["message"]["role"], "assistant");
    assert_eq!(j["choices"][0]["finish_reason"], "stop");
    let content = j["choices"][0]["message"]["content"].as_str().unwrap();
    assert_eq!(content, scripted_answer(11, PROMPT));
    let prompt_tokens = PROMPT.chars().count().div_ceil(4) as u64;
    let completion_tokens = content.chars().count().div_ceil(4) as u64;
    assert_eq!(j["usage"]["prompt_tokens"], prompt_tokens);
    assert_eq!(j["usage"]["completion_tokens"], completion_tokens);
    assert_eq!(
        j["usage"]["total_tokens"],
        prompt_tokens + completion_tokens
    );

    // max_completion_tokens and content given as parts are accepted too.
    let parts = json!({
        "model": "judge-test",
        "messages": [
            {"role": "system", "content": "be strict"},
            {"role": "user", "content": [{"type": "text", "text": PROMPT}]}
        ],
        "max_completion_tokens": 100
    });
    let reply = send(
        &client,
        Method::POST,
        &url,
        &[("authorization", "Bearer test-key")],
        Some(parts.to_string()),
    )
    .await
    .unwrap();
    assert_eq!(reply.json["choices"][0]["message"]["content"], content);

    let models_url = format!("{}/models", server.base_url());
    let models = send(
        &client,
        Method::GET,
        &models_url,
        &[("authorization", "Bearer test-key")],
        None,
    )
    .await
    .unwrap();
    assert_eq!(models.status, StatusCode::OK);
    assert_eq!(
        models.json,
        json!({"object": "list", "data": [{"id": "judge-test", "object": "model", "owned_by": "test"}]})
    );
    let models = send(&client, Method::GET, &models_url, &[], None)
        .await
        .unwrap();
    assert_eq!(models.status, StatusCode::UNAUTHORIZED);

    let unknown = send(
        &client,
        Method::GET,
        &format!("{}/nothing", server.base_url()),
        &[],
        None,
    )
    .await
    .unwrap();
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let outcomes: Vec<String> = server.log().into_iter().map(|e| e.outcome).collect();
    assert_eq!(
        outcomes,
        [
            "unauthorized",
            "unauthorized",
            "model_not_found",
            "bad_request",
            "bad_request",
            "bad_request",
            "success",
            "success",
            "models",
            "unauthorized",
            "not_found"
        ]
    );
}

#[tokio::test]
async fn cors_headers_on_answers_and_preflights_unless_disabled() {
    let server = server_with(Faults::default()).await;
    let client = http_client();
    let url = format!("{}/chat/completions", server.base_url());
    let origin = ("origin", "http://127.0.0.1:9999");
    let auth = ("authorization", "Bearer test-key");
    let body = Some(chat_body("judge-test", PROMPT).to_string());

    let ok = send(&client, Method::POST, &url, &[origin, auth], body.clone())
        .await
        .unwrap();
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(
        header(&ok, "access-control-allow-origin"),
        Some("http://127.0.0.1:9999")
    );
    assert_eq!(header(&ok, "vary"), Some("Origin"));
    assert_eq!(
        header(&ok, "access-control-expose-headers"),
        Some("Retry-After")
    );
    // Errors carry them too, or the page could not read why it failed.
    let denied = send(&client, Method::POST, &url, &[origin], body.clone())
        .await
        .unwrap();
    assert_eq!(denied.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        header(&denied, "access-control-allow-origin"),
        Some("http://127.0.0.1:9999")
    );
    let no_origin = send(&client, Method::POST, &url, &[auth], body.clone())
        .await
        .unwrap();
    assert_eq!(header(&no_origin, "access-control-allow-origin"), Some("*"));

    let preflight = send(
        &client,
        Method::OPTIONS,
        &url,
        &[
            origin,
            ("access-control-request-method", "POST"),
            (
                "access-control-request-headers",
                "authorization,content-type",
            ),
        ],
        None,
    )
    .await
    .unwrap();
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    for (name, value) in [
        ("access-control-allow-origin", "http://127.0.0.1:9999"),
        ("access-control-allow-methods", "GET, POST, OPTIONS"),
        (
            "access-control-allow-headers",
            "authorization, content-type",
        ),
        ("access-control-max-age", "600"),
        ("access-control-allow-private-network", "true"),
        ("vary", "Origin"),
    ] {
        assert_eq!(header(&preflight, name), Some(value), "{name}");
    }
    assert_eq!(server.log().last().unwrap().outcome, "preflight");

    // Without exposing Retry-After.
    let quiet = JudgeServer::start(ServerConfig {
        expose_retry_after: false,
        ..ServerConfig::default()
    })
    .await;
    let reply = ask(&client, &quiet, PROMPT).await.unwrap();
    assert!(header(&reply, "access-control-allow-origin").is_some());
    assert_eq!(header(&reply, "access-control-expose-headers"), None);

    // A server that blocks browsers: answered and logged, but no CORS header at all.
    let closed = JudgeServer::start(ServerConfig {
        cors: false,
        ..ServerConfig::default()
    })
    .await;
    let closed_url = format!("{}/chat/completions", closed.base_url());
    let attempts: [(Method, Headers<'_>, Option<String>); 3] = [
        (Method::POST, &[origin, auth], body.clone()),
        (Method::POST, &[origin], body.clone()),
        (Method::OPTIONS, &[origin], None),
    ];
    for (method, headers, body) in attempts {
        let reply = send(&client, method, &closed_url, headers, body)
            .await
            .unwrap();
        let cors: Vec<_> = reply
            .headers
            .keys()
            .filter(|name| name.as_str().starts_with("access-control-") || *name == "vary")
            .collect();
        assert!(cors.is_empty(), "{} carried {cors:?}", reply.status);
    }
    let outcomes: Vec<String> = closed.log().into_iter().map(|e| e.outcome).collect();
    assert_eq!(outcomes, ["success", "unauthorized", "preflight"]);
}

// ---------------------------------------------------------------------------------------------
// Faults.

#[tokio::test]
async fn a_faulty_prompt_fails_at_most_max_faults_times() {
    let server = server_with(Faults {
        p_500: 1.0,
        max_faults_per_prompt: 2,
        ..Faults::default()
    })
    .await;
    let client = http_client();
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let reply = ask(&client, &server, PROMPT).await.unwrap();
        if reply.status == StatusCode::INTERNAL_SERVER_ERROR {
            assert_eq!(
                reply.json,
                json!({"error": {"message": "simulated server error", "type": "server_error"}})
            );
            // The page must be able to read errors, so they carry CORS headers as well.
            assert!(header(&reply, "access-control-allow-origin").is_some());
        }
        statuses.push(reply.status.as_u16());
    }
    assert_eq!(statuses, [500, 500, 200, 200]);
    let outcomes: Vec<String> = server.log().into_iter().map(|e| e.outcome).collect();
    assert_eq!(outcomes, ["http_500", "http_500", "success", "success"]);

    // New faults start a new history: the same prompt fails again.
    server.set_faults(Faults {
        p_429: 1.0,
        retry_after_s: 7,
        max_faults_per_prompt: 1,
        ..Faults::default()
    });
    let limited = ask(&client, &server, PROMPT).await.unwrap();
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&limited, "retry-after"), Some("7"));
    assert_eq!(limited.json["error"]["code"], "rate_limit_exceeded");
    assert_eq!(limited.json["error"]["type"], "requests");
    assert_eq!(
        ask(&client, &server, PROMPT).await.unwrap().status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_dead_endpoint_answers_every_call_500_with_one_message() {
    let message = "no upstream key configured for this proxy";
    let server = server_with(Faults {
        dead_message: Some(message.into()),
        max_faults_per_prompt: 1,
        ..Faults::default()
    })
    .await;
    let client = http_client();
    for prompt in [PROMPT, PROMPT, PROMPT, "S1: a\nR1: another"] {
        let reply = ask(&client, &server, prompt).await.unwrap();
        assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            reply.json,
            json!({"error": {"message": message, "type": "server_error"}}),
            "past the cap, and for every prompt"
        );
    }
    let outcomes: Vec<String> = server.log().into_iter().map(|e| e.outcome).collect();
    assert_eq!(outcomes, ["http_500"; 4]);
    // The key is still checked first, as a proxy checks its own key.
    let wrong_key = send(
        &client,
        Method::POST,
        &format!("{}/chat/completions", server.base_url()),
        &[("authorization", "Bearer wrong")],
        Some(chat_body("judge-test", PROMPT).to_string()),
    )
    .await
    .unwrap();
    assert_eq!(wrong_key.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn dropped_requests_are_network_errors_and_always_fail_keeps_failing() {
    let doomed = "S1: a\nR1: doomed";
    let server = server_with(Faults {
        p_drop: 1.0,
        max_faults_per_prompt: 1,
        ..Faults::default()
    })
    .await;
    let client = http_client();
    let error = match ask(&client, &server, PROMPT).await {
        Ok(reply) => panic!("a dropped request got an answer: {}", reply.status),
        Err(error) => error,
    };
    println!("client-side error of a drop: {error:?}");
    assert_eq!(
        ask(&client, &server, PROMPT).await.unwrap().status,
        StatusCode::OK
    );
    let log = server.log();
    assert_eq!((log[0].status, log[0].outcome.as_str()), (0, "dropped"));

    server.set_faults(Faults {
        always_fail: vec![fingerprint(doomed)],
        ..Faults::default()
    });
    for _ in 0..5 {
        let reply = ask(&client, &server, doomed).await.unwrap();
        assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    }
    assert_eq!(
        ask(&client, &server, PROMPT).await.unwrap().status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn malformed_and_slow_answers() {
    let server = server_with(Faults {
        p_no_result: 1.0,
        max_faults_per_prompt: 1,
        ..Faults::default()
    })
    .await;
    let client = http_client();
    let content = |reply: &Reply| {
        reply.json["choices"][0]["message"]["content"]
            .as_str()
            .unwrap()
            .to_string()
    };

    let no_result = ask(&client, &server, PROMPT).await.unwrap();
    assert_eq!(no_result.status, StatusCode::OK);
    assert!(!content(&no_result).contains("<RESULT_START>"));

    server.set_faults(Faults {
        p_out_of_range: 1.0,
        max_faults_per_prompt: 1,
        ..Faults::default()
    });
    let out_of_range = ask(&client, &server, PROMPT).await.unwrap();
    let lines = score_lines(&content(&out_of_range));
    assert_eq!(lines.len(), 3);
    assert_eq!(lines.iter().filter(|l| l.2 == "1.5").count(), 1);

    server.set_faults(Faults {
        p_slow: 1.0,
        slow_ms: 300,
        max_faults_per_prompt: 1,
        ..Faults::default()
    });
    let start = Instant::now();
    let slow = ask(&client, &server, PROMPT).await.unwrap();
    assert!(start.elapsed() >= Duration::from_millis(300));
    assert_eq!(content(&slow), scripted_answer(11, PROMPT));

    let outcomes: Vec<String> = server.log().into_iter().map(|e| e.outcome).collect();
    assert_eq!(outcomes, ["no_result", "out_of_range", "slow"]);
}

#[tokio::test]
async fn fault_draws_are_deterministic_per_seed() {
    let faults = Faults {
        p_500: 0.3,
        p_429: 0.3,
        max_faults_per_prompt: 100,
        ..Faults::default()
    };
    let mut runs = Vec::new();
    for _ in 0..2 {
        let server = server_with(faults.clone()).await;
        let client = http_client();
        let mut statuses = Vec::new();
        for i in 0..30 {
            let prompt = format!("R1: item {}", i % 5);
            statuses.push(
                ask(&client, &server, &prompt)
                    .await
                    .unwrap()
                    .status
                    .as_u16(),
            );
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1]);
    for status in [200, 429, 500] {
        assert!(runs[0].contains(&status), "{:?}", runs[0]);
    }
}

// ---------------------------------------------------------------------------------------------
// The log and the control endpoints.

#[tokio::test]
async fn log_records_outcomes_headers_and_fingerprints() {
    let server = server_with(Faults::default()).await;
    let client = http_client();
    send(
        &client,
        Method::POST,
        &format!("{}/chat/completions", server.base_url()),
        &[("authorization", "Bearer test-key"), ("X-Probe", "1")],
        Some(chat_body("judge-test", PROMPT).to_string()),
    )
    .await
    .unwrap();
    send(
        &client,
        Method::OPTIONS,
        &format!("{}/chat/completions", server.base_url()),
        &[],
        None,
    )
    .await
    .unwrap();

    let log = server.log();
    assert_eq!(log.len(), 2);
    let chat = &log[0];
    assert_eq!((chat.seq, chat.method.as_str()), (0, "POST"));
    assert_eq!(chat.path, "/v1/chat/completions");
    assert_eq!(
        chat.fingerprint.as_deref(),
        Some(fingerprint(PROMPT).as_str())
    );
    assert_eq!((chat.status, chat.outcome.as_str()), (200, "success"));
    for name in ["authorization", "x-probe", "content-type"] {
        assert!(
            chat.header_names.iter().any(|h| h == name),
            "{name}: {chat:?}"
        );
    }
    assert!(chat.finished_ms >= chat.started_ms);
    assert_eq!((log[1].seq, log[1].outcome.as_str()), (1, "preflight"));
    assert_eq!(log[1].fingerprint, None);

    // The same through the control endpoints, as a page or script would use them.
    let origin = server.origin();
    let faults = send(
        &client,
        Method::POST,
        &format!("{origin}/__control/faults"),
        &[],
        Some(r#"{"p_500": 1, "max_faults_per_prompt": 1}"#.into()),
    )
    .await
    .unwrap();
    assert_eq!(faults.status, StatusCode::OK);
    assert_eq!(faults.json["p_500"], 1.0);
    assert_eq!(
        faults.json["retry_after_s"], 1,
        "missing fields take the defaults"
    );
    assert!(header(&faults, "access-control-allow-origin").is_some());
    assert_eq!(server.faults().p_500, 1.0);
    assert_eq!(
        ask(&client, &server, PROMPT).await.unwrap().status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    let bad = send(
        &client,
        Method::POST,
        &format!("{origin}/__control/faults"),
        &[],
        Some(r#"{"p_500": "high"}"#.into()),
    )
    .await
    .unwrap();
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let remote_log = send(
        &client,
        Method::GET,
        &format!("{origin}/__control/log"),
        &[],
        None,
    )
    .await
    .unwrap();
    let entries = remote_log.json.as_array().unwrap();
    assert_eq!(entries.len(), 3, "control requests are not logged");
    assert_eq!(entries[2]["outcome"], "http_500");
    assert_eq!(entries[2]["fingerprint"], fingerprint(PROMPT));
    assert_eq!(
        entries[0]["header_names"].as_array().unwrap().len(),
        chat.header_names.len()
    );

    let cleared = send(
        &client,
        Method::POST,
        &format!("{origin}/__control/clear_log"),
        &[],
        None,
    )
    .await
    .unwrap();
    assert_eq!(cleared.json, json!({"cleared": 3}));
    assert!(server.log().is_empty());
    server.clear_log();
}

#[tokio::test]
async fn a_client_that_leaves_during_the_latency_is_logged_as_cancelled() {
    let server = server_with(Faults {
        latency_ms: 5000,
        ..Faults::default()
    })
    .await;
    let body = chat_body("judge-test", PROMPT).to_string();
    let raw = format!(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer test-key\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        server.addr,
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(raw.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        server.log().is_empty(),
        "still waiting, nothing written yet"
    );
    drop(stream);

    let log = wait_for_log(&server, |log| !log.is_empty()).await;
    let entry = &log[0];
    assert_eq!((entry.status, entry.outcome.as_str()), (0, "cancelled"));
    assert_eq!(
        entry.fingerprint.as_deref(),
        Some(fingerprint(PROMPT).as_str())
    );
    assert!(
        entry.finished_ms - entry.started_ms < 4000,
        "noticed as soon as the client left: {entry:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// HTTP/2 over TLS.

/// Test-only: accepts the server's self-signed certificate (signatures are still checked).
#[derive(Debug)]
struct AcceptAnyCert(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCert {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// One TLS connection to the server, negotiated to HTTP/2 by ALPN as a browser does, and an
/// HTTP/2 sender on it (cloned for concurrent requests, which become concurrent streams).
async fn h2_connection(addr: SocketAddr) -> hyper::client::conn::http2::SendRequest<Full<Bytes>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AcceptAnyCert(provider)))
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let stream = tokio_rustls::TlsConnector::from(Arc::new(tls))
        .connect(ServerName::try_from("127.0.0.1").unwrap(), tcp)
        .await
        .expect("a TLS handshake with the self-signed server");
    assert_eq!(stream.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
    let (sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(connection);
    sender
}

fn h2_chat(server: &JudgeServer, prompt: &str) -> Request<Full<Bytes>> {
    request(
        Method::POST,
        &format!("{}/chat/completions", server.base_url()),
        &[("authorization", "Bearer test-key")],
        Some(chat_body("judge-test", prompt).to_string()),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_requests_over_http2_and_tls() {
    const N: usize = 200;
    let server = JudgeServer::start(ServerConfig {
        tls: true,
        faults: Faults {
            latency_ms: 100,
            ..Faults::default()
        },
        ..ServerConfig::default()
    })
    .await;
    assert!(server.base_url().starts_with("https://127.0.0.1:"));
    let sender = h2_connection(server.addr).await;

    let start = Instant::now();
    let requests: Vec<_> = (0..N)
        .map(|i| {
            let mut sender = sender.clone();
            let req = h2_chat(&server, &format!("S1: a\nR1: item {i}\nR2: other"));
            tokio::spawn(async move {
                let response = sender.send_request(req).await.unwrap();
                assert_eq!(response.version(), Version::HTTP_2);
                read_reply(response).await
            })
        })
        .collect();
    for request in requests {
        let reply = request.await.unwrap();
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(
            score_lines(
                reply.json["choices"][0]["message"]["content"]
                    .as_str()
                    .unwrap()
            )
            .len(),
            2
        );
    }
    let elapsed = start.elapsed();
    println!(
        "{N} concurrent chat completions with 100 ms latency over one HTTP/2+TLS connection: {:.0} ms wall",
        elapsed.as_secs_f64() * 1000.0
    );
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
    let log = server.log();
    assert_eq!(log.len(), N);
    assert!(log.iter().all(|e| e.outcome == "success"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_http2_a_drop_resets_one_stream_and_a_reset_cancels() {
    let server = JudgeServer::start(ServerConfig {
        tls: true,
        faults: Faults {
            p_drop: 1.0,
            max_faults_per_prompt: 1,
            ..Faults::default()
        },
        ..ServerConfig::default()
    })
    .await;
    let mut sender = h2_connection(server.addr).await;
    let error = sender
        .send_request(h2_chat(&server, PROMPT))
        .await
        .expect_err("a dropped request is a stream error");
    println!("client-side error of an HTTP/2 drop: {error:?}");
    // The connection itself survives: the next request on it is answered.
    let response = sender.send_request(h2_chat(&server, PROMPT)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // A client that gives up (the browser's timeout or abort) resets its stream; the server
    // drops the handler and logs "cancelled".
    server.set_faults(Faults {
        latency_ms: 5000,
        ..Faults::default()
    });
    let given_up = tokio::time::timeout(
        Duration::from_millis(300),
        sender.send_request(h2_chat(&server, "R1: patience")),
    )
    .await;
    assert!(given_up.is_err(), "the answer takes 5 s");
    let log = wait_for_log(&server, |log| log.len() == 3).await;
    let outcomes: Vec<&str> = log.iter().map(|e| e.outcome.as_str()).collect();
    assert_eq!(outcomes, ["dropped", "success", "cancelled"]);
    assert_eq!(log[2].status, 0);
}
