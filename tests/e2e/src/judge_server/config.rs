//! How a server is started.

use super::faults::Faults;

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
