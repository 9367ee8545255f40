//! Serving: accepting connections, HTTP/1.1 or HTTP/2 on each, and routing every request
//! while logging it.

use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::header::ORIGIN;
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use super::pending::PendingEntry;
use super::reply::{not_found, Answer};
use super::response::{into_response, Body, Cors};
use super::routes::{chat, control, models};
use super::state::Shared;

/// Returned by the service to make hyper abort the connection (HTTP/1) or reset the stream
/// (HTTP/2) without any response: the browser sees a network error.
#[derive(Debug)]
pub(super) struct DroppedOnPurpose;

impl std::fmt::Display for DroppedOnPurpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose (simulated fault)")
    }
}

impl std::error::Error for DroppedOnPurpose {}

pub(super) async fn accept_loop(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
) {
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
pub(super) async fn serve_connection<I>(io: I, shared: Arc<Shared>)
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

pub(super) async fn handle(
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
