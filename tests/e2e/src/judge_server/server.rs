//! The running server as a test holds it: start, addresses, faults and log.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::config::ServerConfig;
use super::faults::Faults;
use super::log::LogEntry;
use super::serve::accept_loop;
use super::state::{lock, Shared};
use super::tls::tls_acceptor;

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
