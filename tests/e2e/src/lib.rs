//! Shared harness of the end-to-end tests and benchmarks: serves the built `dist/` on
//! 127.0.0.1, starts chromedriver, and drives headless Chromium with fantoccini. Every process
//! it starts is stopped when the harness is dropped.

pub mod batch_engine;
pub mod judge_server;
pub mod model_server;

use std::net::{SocketAddr, TcpListener as StdListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Map, Value};

/// Sets a runner form field by its label's text and fires `change`.
const FILL: &str = r#"
    const [labelText, value] = arguments;
    const label = [...document.querySelectorAll('.runner label')].find(l => l.textContent.trim().startsWith(labelText));
    if (!label) throw new Error('no field labelled ' + labelText);
    const input = label.querySelector('input, select');
    input.value = value;
    input.dispatchEvent(new Event('change', { bubbles: true }));
"#;

/// Fills the field labelled `label` inside the one element `scope` selects.
const FILL_WITHIN: &str = r#"
    const [scope, labelText, value] = arguments;
    const root = document.querySelector(scope);
    if (!root) throw new Error('no ' + scope);
    const label = [...root.querySelectorAll('label')].find(l => l.textContent.trim().startsWith(labelText));
    if (!label) throw new Error('no field labelled ' + labelText + ' in ' + scope);
    const input = label.querySelector('input, select');
    input.value = value;
    input.dispatchEvent(new Event('change', { bubbles: true }));
"#;

/// Chooses the option of the select `css` whose text holds `arguments[1]`, and fires `change`.
const CHOOSE_IN: &str = r#"
    const select = document.querySelector(arguments[0]);
    const option = [...select.options].find(o => o.text.includes(arguments[1]));
    if (!option) throw new Error('no option like ' + arguments[1]);
    select.value = option.value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
"#;

/// Chooses the runner's file by part of its option text and fires `change`.
const CHOOSE_FILE: &str = r#"
    const select = document.querySelector('.run-source select');
    const option = [...select.options].find(o => o.text.includes(arguments[0]));
    if (!option) throw new Error('no loaded file like ' + arguments[0]);
    select.value = option.value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
"#;

/// The repository root (this crate lives in tests/e2e).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

/// Parts of selectors of what is drawn again when the intervals come (see
/// [`Harness::wait_for`]).
const REDRAWN_WITH_INTERVALS: &[&str] =
    &["leaderboard", "chart-point", "scatter-chart", "td[data-key"];

/// A running app: static server, chromedriver and a browser session.
pub struct Harness {
    pub client: Client,
    pub app_url: String,
    /// Where the browser saves downloads (empty at start).
    pub downloads: PathBuf,
    chromedriver: Child,
    server: tokio::task::JoinHandle<()>,
}

impl Harness {
    /// Serves `dist/` (built by `trunk build --release`) and opens a headless browser on it.
    pub async fn start() -> Harness {
        Harness::start_at("/", RequestLog::default()).await
    }

    /// Serves `dist/` under `prefix` (such as `/any/sub/path/`, as a static host serves a
    /// project site), logging every request and its status to `log`.
    pub async fn start_at(prefix: &str, log: RequestLog) -> Harness {
        Harness::start_serving(&repo_root().join("dist"), prefix, log).await
    }

    /// Serves `dist` (a release build, or a copy of one) under `prefix`, logging every
    /// request and its status to `log`, and opens a headless browser on it.
    pub async fn start_serving(dist: &Path, prefix: &str, log: RequestLog) -> Harness {
        assert!(
            dist.join("index.html").exists(),
            "{} has no index.html: run `trunk build --release` first (tests/run.sh does)",
            dist.display()
        );
        let (app_addr, server) = serve_dir_at(dist, prefix, log).await;
        let driver_port = free_port();
        let chromedriver =
            Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
                .arg(format!("--port={driver_port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect(
                    "chromedriver starts (apt-get install chromium-driver; tests/setup.sh does)",
                );
        wait_for_port(driver_port).await;
        let downloads = repo_root().join(format!("target/e2e-downloads/{driver_port}"));
        let _ = std::fs::remove_dir_all(&downloads);
        std::fs::create_dir_all(&downloads).unwrap();
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities(&downloads))
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
            .expect("a browser session");
        Harness {
            client,
            app_url: format!("http://{app_addr}{prefix}"),
            downloads,
            chromedriver,
            server,
        }
    }

    /// Waits for a CSS selector to match, up to `timeout`.
    /// The leaderboard and the chart are drawn again when the intervals come back from the
    /// engine worker, so an element of theirs is found once every report has its intervals
    /// (an element found before would be stale).
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> fantoccini::elements::Element {
        let found = self
            .client
            .wait()
            .at_most(timeout)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear within {timeout:?}: {e}"));
        if !REDRAWN_WITH_INTERVALS.iter().any(|part| css.contains(part)) {
            return found;
        }
        self.wait_intervals().await;
        self.client
            .wait()
            .at_most(timeout)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} went away once the intervals came: {e}"))
    }

    /// Opens the app and waits for its leaderboard (the demo on a first visit).
    pub async fn open_app(&self) {
        self.client
            .goto(&self.app_url)
            .await
            .expect("the app opens");
        self.wait_for(".leaderboard-row", Duration::from_secs(30))
            .await;
        self.wait_intervals().await;
    }

    /// Waits until no report on the page waits for its intervals from the engine worker (the
    /// figures show at once; their bootstrap intervals follow).
    pub async fn wait_intervals(&self) {
        let css = "main.studio[data-intervals='ready']";
        self.client
            .wait()
            .at_most(Duration::from_secs(120))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("the intervals did not come within 120 s: {e}"));
    }

    /// Chooses a file through the page's real file input and waits until it is loaded.
    pub async fn upload(&self, path: &Path) {
        let input = self
            .client
            .find(Locator::Css("#file-input"))
            .await
            .expect("a file input");
        input
            .send_keys(&path.to_string_lossy())
            .await
            .expect("the file is chosen");
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        self.wait_for(
            &format!(".source-item[data-file='{name}']"),
            Duration::from_secs(60),
        )
        .await;
        self.wait_intervals().await;
    }

    /// Clicks the first element matching `css`, once every report on the page has its
    /// intervals (a click may export or share them).
    pub async fn click(&self, css: &str) {
        self.wait_intervals().await;
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
    }

    /// Presses the runner's "Start run".
    pub async fn start_run(&self) {
        self.client
            .find(Locator::Css(".run-start"))
            .await
            .expect("a start button")
            .click()
            .await
            .expect("start");
    }

    /// Sets a field of the runner's form found by its label's text, as a user typing and
    /// leaving the field would.
    pub async fn fill(&self, label: &str, value: &str) {
        self.client
            .execute(FILL, vec![Value::from(label), Value::from(value)])
            .await
            .unwrap_or_else(|e| panic!("cannot fill {label}: {e}"));
    }

    /// Chooses, in the runner, the loaded file whose option text contains `name`.
    pub async fn choose_run_file(&self, name: &str) {
        self.client
            .execute(CHOOSE_FILE, vec![Value::from(name)])
            .await
            .unwrap_or_else(|e| panic!("cannot choose {name}: {e}"));
    }

    /// Opens the runner section.
    pub async fn open_runner(&self) {
        self.client
            .find(Locator::Css(".runner > summary"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    /// Waits (up to 60 s) until the files the browser downloaded satisfy `ready`; returns them.
    /// Chromium writes a download under another name and renames it when complete, so a file
    /// listed under its final name is whole.
    pub async fn wait_for_downloads(&self, ready: impl Fn(&[PathBuf]) -> bool) -> Vec<PathBuf> {
        let start = Instant::now();
        loop {
            let files: Vec<PathBuf> = std::fs::read_dir(&self.downloads)
                .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            if ready(&files) {
                return files;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "downloads so far: {files:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for the first downloaded file whose name ends with `end` (".jsonl", say).
    pub async fn wait_for_download(&self, end: &str) -> PathBuf {
        let named = |p: &PathBuf| p.to_string_lossy().ends_with(end);
        self.wait_for_downloads(|files| files.iter().any(named))
            .await
            .into_iter()
            .find(named)
            .unwrap_or_default()
    }

    /// Clicks every element matching `css` (the checkboxes of a fieldset, say).
    pub async fn click_all(&self, css: &str) {
        for element in self.client.find_all(Locator::Css(css)).await.unwrap() {
            element.click().await.unwrap();
        }
    }

    /// Loads the data set at `data_path`, opens the runner on it and fills the form's `fields`
    /// (label, value), ready for "Start run".
    pub async fn prepare_run(&self, data_path: &Path, fields: &[(&str, String)]) {
        self.upload(data_path).await;
        self.open_runner().await;
        let name = data_path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        self.choose_run_file(&name).await;
        for (label, value) in fields {
            self.fill(label, value).await;
        }
    }

    /// The text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
            .text()
            .await
            .unwrap_or_else(|e| panic!("no text in {css}: {e}"))
    }

    /// Waits until the progress panel's `data-status` is `status`, up to `timeout`.
    pub async fn wait_status(&self, status: &str, timeout: Duration) {
        self.wait_for(&format!(".run-status[data-status='{status}']"), timeout)
            .await;
    }

    /// Waits until the evaluation stage `stage`'s progress says `status`, up to `timeout`.
    pub async fn wait_stage(&self, stage: &str, status: &str, timeout: Duration) {
        self.wait_for(
            &format!(".stage-progress[data-stage='{stage}'] .run-status[data-status='{status}']"),
            timeout,
        )
        .await;
    }

    /// "N of M" of an evaluation stage's progress, as (N, M).
    pub async fn stage_done(&self, stage: &str) -> (usize, usize) {
        let done = self
            .text(&format!(
                ".stage-progress[data-stage='{stage}'] dd[data-key='done']"
            ))
            .await;
        let numbers = numbers(&done);
        (numbers[0], numbers[1])
    }

    /// Fills the field labelled `label` inside the element `scope` selects (a page with two
    /// endpoint forms, say).
    pub async fn fill_within(&self, scope: &str, label: &str, value: &str) {
        let args = vec![Value::from(scope), Value::from(label), Value::from(value)];
        self.client
            .execute(FILL_WITHIN, args)
            .await
            .unwrap_or_else(|e| panic!("cannot fill {label} in {scope}: {e}"));
    }

    /// Chooses the option of the select `css` by part of its text.
    pub async fn choose_in(&self, css: &str, text: &str) {
        self.client
            .execute(CHOOSE_IN, vec![Value::from(css), Value::from(text)])
            .await
            .unwrap_or_else(|e| panic!("cannot choose {text} in {css}: {e}"));
    }

    /// Asserts that every figure of the leaderboard row `row_css` equals the command line's
    /// (`metajudge score --json`, one model's object) to 1e-12, and is blank where it has none.
    pub async fn assert_figures(&self, row_css: &str, cli: &Value) {
        self.wait_intervals().await;
        let row = self
            .client
            .find(Locator::Css(row_css))
            .await
            .unwrap_or_else(|e| panic!("no leaderboard row {row_css}: {e}"));
        for cell in row.find_all(Locator::Css("td[data-key]")).await.unwrap() {
            let key = cell.attr("data-key").await.unwrap().unwrap_or_default();
            let page = cell.attr("data-value").await.unwrap().unwrap_or_default();
            match cli[&key].as_f64() {
                Some(want) => {
                    let page: f64 = page.parse().unwrap();
                    assert!(
                        (page - want).abs() <= 1e-12,
                        "{key}: page {page}, command line {want}"
                    );
                }
                None => assert_eq!(page, "", "{key}: the command line has no figure"),
            }
        }
    }

    /// Saves a screenshot under target/e2e-screens/ and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let dir = repo_root().join("target/e2e-screens");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Ends the browser session and stops every process.
    pub async fn stop(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
        self.server.abort();
    }
}

/// Runs `metajudge` (the command line of the same crate) and returns its stdout as JSON.
pub fn metajudge_json(args: &[&str]) -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(repo_root())
        .args(["run", "--quiet", "--bin", "metajudge", "--"])
        .args(args)
        .output()
        .expect("cargo runs metajudge");
    assert!(
        output.status.success(),
        "metajudge failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("metajudge --json prints JSON")
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Serves a directory over HTTP on 127.0.0.1 (a free port) until the task is aborted.
pub async fn serve_dir(dir: &Path) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    serve_dir_at(dir, "/", RequestLog::default()).await
}

/// Every request a static server answered: path and status, in order.
#[derive(Clone, Default)]
pub struct RequestLog(pub std::sync::Arc<std::sync::Mutex<Vec<(String, u16)>>>);

impl RequestLog {
    /// The requests answered with a status of 400 or more.
    pub fn failed(&self) -> Vec<(String, u16)> {
        let log = self.0.lock().unwrap();
        log.iter()
            .filter(|(_, status)| *status >= 400)
            .cloned()
            .collect()
    }
}

/// Serves `dir` under `prefix` (which starts and ends with `/`); anything outside it is 404.
pub async fn serve_dir_at(
    dir: &Path,
    prefix: &str,
    log: RequestLog,
) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let mut files = tower_http::services::ServeDir::new(dir);
    // A copy with a `.gz` beside each file (bench_first_view) is served gzipped, as hosts do.
    if dir.join("index.html.gz").exists() {
        files = files.precompressed_gzip();
    }
    let router = match prefix.trim_end_matches('/') {
        "" => axum::Router::new().fallback_service(files),
        nested => axum::Router::new().nest_service(nested, files),
    };
    let app = router.layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            let log = log.clone();
            async move {
                let path = request.uri().path().to_string();
                let response = next.run(request).await;
                log.0
                    .lock()
                    .unwrap()
                    .push((path, response.status().as_u16()));
                response
            }
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, task)
}

async fn wait_for_port(port: u16) {
    let start = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not listen on {port}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Headless Chromium as root, without the background traffic this closed network refuses,
/// trusting the test judge server's self-signed certificate, saving downloads to `downloads`.
fn capabilities(downloads: &Path) -> Map<String, Value> {
    let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": binary,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1600", "--ignore-certificate-errors"
            ],
            "prefs": {
                "download.default_directory": downloads.to_string_lossy(),
                "download.prompt_for_download": false
            }
        }
    });
    caps.as_object().cloned().unwrap_or_default()
}

/// The whole numbers in a text, in order ("3 errors, 1 format errors" gives [3, 1]).
pub fn numbers(text: &str) -> Vec<usize> {
    text.split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect()
}

/// The attribute `name` of `element`, parsed (a `data-value`, a `data-line`); panics naming it
/// when it is missing or does not parse.
pub async fn parsed_attr<T>(element: &fantoccini::elements::Element, name: &str) -> T
where
    T: std::str::FromStr,
    T::Err: std::fmt::Debug,
{
    let text = element
        .attr(name)
        .await
        .unwrap_or_else(|e| panic!("cannot read {name}: {e}"))
        .unwrap_or_else(|| panic!("no {name} attribute"));
    text.parse()
        .unwrap_or_else(|e| panic!("{name}={text:?} does not parse: {e:?}"))
}
