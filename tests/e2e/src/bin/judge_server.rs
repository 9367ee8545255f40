//! The OpenAI-compatible test judge server (src/judge_server/) on its own, for trying the app
//! by hand or driving it from a script; serves on 127.0.0.1 until killed.
//!
//!   cargo run -p e2e --bin judge_server -- [--port 8787] [--tls] [--seed N] [--latency-ms N]
//!       [--p-500 X] [--p-429 X] [--p-drop X] [--p-slow X] [--p-no-result X]
//!       [--p-out-of-range X] [--no-cors]
//!       [--retry-after-s N] [--slow-ms N] [--max-faults N] [--always-fail FINGERPRINT]...
//!       [--dead MESSAGE] [--api-key KEY] [--model NAME]

use e2e::judge_server::{JudgeServer, ServerConfig};

const USAGE: &str = "usage: judge_server [--port 8787] [--tls] [--seed N] [--latency-ms N] \
[--p-500 X] [--p-429 X] [--p-drop X] [--p-slow X] [--p-no-result X] [--p-out-of-range X] \
[--no-cors] [--retry-after-s N] [--slow-ms N] [--max-faults N] [--always-fail FINGERPRINT]... \
[--dead MESSAGE] [--api-key KEY] [--model NAME]";

fn main() {
    let (port, config) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(async {
        let tls = config.tls;
        let server = JudgeServer::start_on(port, config).await;
        println!("base URL: {}", server.base_url());
        println!("API key:  {}", server.api_key());
        println!("model:    {}", server.model());
        println!(
            "control:  {0}/__control/faults (GET, POST), {0}/__control/log, {0}/__control/clear_log",
            server.origin()
        );
        if tls {
            println!("the certificate is self-signed: start the browser with --ignore-certificate-errors or accept it once at {}/v1/models", server.origin());
        }
        // Serve until the process is killed.
        std::future::pending::<()>().await;
    });
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<(u16, ServerConfig), String> {
    let mut port = 8787;
    let mut config = ServerConfig::default();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let f = &mut config.faults;
        match flag.as_str() {
            "--port" => port = number(&flag, &value()?)?,
            "--tls" => config.tls = true,
            "--no-cors" => config.cors = false,
            "--seed" => config.seed = number(&flag, &value()?)?,
            "--api-key" => config.api_key = value()?,
            "--model" => config.model = value()?,
            "--latency-ms" => f.latency_ms = number(&flag, &value()?)?,
            "--p-500" => f.p_500 = number(&flag, &value()?)?,
            "--p-429" => f.p_429 = number(&flag, &value()?)?,
            "--p-slow" => f.p_slow = number(&flag, &value()?)?,
            "--p-drop" => f.p_drop = number(&flag, &value()?)?,
            "--p-no-result" => f.p_no_result = number(&flag, &value()?)?,
            "--p-out-of-range" => f.p_out_of_range = number(&flag, &value()?)?,
            "--retry-after-s" => f.retry_after_s = number(&flag, &value()?)?,
            "--slow-ms" => f.slow_ms = number(&flag, &value()?)?,
            "--max-faults" => f.max_faults_per_prompt = number(&flag, &value()?)?,
            "--always-fail" => f.always_fail.push(value()?),
            "--dead" => f.dead_message = Some(value()?),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok((port, config))
}

fn number<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{flag}: {text:?} is not a valid number"))
}
