//! Call failures and what they mean, in plain words with a fix, for "Test connection" and for
//! a run that had to stop. Pure, tested natively.

use super::wire::{chat_url, ChatReply};
use crate::runner::diagnosis::Diagnosis;
use crate::runner::plan::RunSettings;
use crate::runner::policy::CallOutcome;

/// Why a call failed.
#[derive(Clone, Debug, PartialEq)]
pub enum CallError {
    /// No HTTP answer could be read: unreachable, connection dropped, or blocked by CORS (the
    /// browser does not say which).
    Network,
    Timeout,
    Http {
        status: u16,
        message: Option<String>,
        retry_after_s: Option<f64>,
    },
    /// A 2xx answer that is not chat-completions JSON.
    BadAnswer(String),
    /// Stopped by the user.
    Aborted,
}

impl CallError {
    /// The outcome the retry policy decides on.
    pub fn outcome(&self) -> CallOutcome {
        match self {
            CallError::Network | CallError::BadAnswer(_) => CallOutcome::Network,
            CallError::Timeout => CallOutcome::Timeout,
            CallError::Http {
                status,
                retry_after_s,
                ..
            } => CallOutcome::Http {
                status: *status,
                retry_after_s: *retry_after_s,
            },
            CallError::Aborted => CallOutcome::Aborted,
        }
    }

    /// One line for logs and exports.
    pub fn summary(&self) -> String {
        match self {
            CallError::Network => {
                "network error: no answer could be read (unreachable, dropped, or blocked by CORS)"
                    .into()
            }
            CallError::Timeout => "timed out".into(),
            CallError::Http {
                status, message, ..
            } => match message {
                Some(m) => format!("HTTP {status}: {m}"),
                None => format!("HTTP {status}"),
            },
            CallError::BadAnswer(why) => format!("unexpected answer: {why}"),
            CallError::Aborted => "stopped".into(),
        }
    }
}

/// Explains a test call's result. `reachable` is whether a plain (no-CORS) request reached the
/// server, which tells a CORS block from a wrong address; `origin` is this page's origin.
pub fn diagnose(
    result: &Result<ChatReply, CallError>,
    reachable: Option<bool>,
    settings: &RunSettings,
    origin: &str,
) -> Diagnosis {
    let url = chat_url(&settings.base_url);
    let model = settings.judge_model.trim();
    let (ok, title, detail, fixes) = match result {
        Ok(reply) => (
            true,
            format!("Connected: {model} answered"),
            format!("Answer: \u{201c}{}\u{201d}", reply.content.chars().take(80).collect::<String>()),
            Vec::new(),
        ),
        Err(CallError::Network) if reachable == Some(true) => (
            false,
            "The browser blocked the answer (CORS)".to_string(),
            format!(
                "The server at {url} answered, but does not allow this page ({origin}) to read its answers. \
                 Browsers hide the details of such a block; allow this page's origin on the server:"
            ),
            cors_fixes(origin),
        ),
        Err(CallError::Network) => (
            false,
            "Cannot reach the server".to_string(),
            format!("Nothing answered at {url}."),
            vec![
                "Check the base URL: OpenAI-compatible servers usually end in /v1 (e.g. http://127.0.0.1:11434/v1 for Ollama).".into(),
                "Check that the server runs and listens on that port.".into(),
                "A page served over https cannot call a plain-http server on another machine (mixed content).".into(),
            ],
        ),
        Err(CallError::Timeout) => (
            false,
            format!("No answer within {} s", settings.timeout_s),
            format!("{url} did not answer in time."),
            vec!["The server may be busy or loading the model: try again, or raise the timeout.".into()],
        ),
        Err(CallError::Http { status, message, retry_after_s }) => http_diagnosis(*status, message.as_deref(), *retry_after_s, &url, model),
        Err(CallError::BadAnswer(why)) => (
            false,
            "The answer is not chat-completions JSON".to_string(),
            format!("{url} answered, but {why}."),
            vec!["Check that the base URL points at an OpenAI-compatible API (…/v1).".into()],
        ),
        Err(CallError::Aborted) => (false, "Stopped".to_string(), String::new(), Vec::new()),
    };
    Diagnosis {
        ok,
        title,
        detail,
        fixes,
    }
}

type Parts = (bool, String, String, Vec<String>);

fn http_diagnosis(
    status: u16,
    message: Option<&str>,
    retry_after_s: Option<f64>,
    url: &str,
    model: &str,
) -> Parts {
    let said = message
        .map(|m| format!(" The server said: \u{201c}{m}\u{201d}"))
        .unwrap_or_default();
    let lower = message.unwrap_or_default().to_lowercase();
    let (title, fixes): (String, Vec<String>) = match status {
        401 | 403 => (
            format!("The key was refused (HTTP {status})"),
            vec!["Check the API key (and that it may use this model).".into()],
        ),
        404 if lower.contains("model") => (
            format!("Unknown model \u{201c}{model}\u{201d} (HTTP 404)"),
            vec!["Check the judge model's name as the server lists it (GET /v1/models).".into()],
        ),
        404 => (
            "Nothing at that address (HTTP 404)".into(),
            vec!["The base URL is probably wrong: OpenAI-compatible servers serve /v1/chat/completions.".into()],
        ),
        429 => (
            "Rate limited (HTTP 429)".into(),
            vec![match retry_after_s {
                Some(s) => format!("The server asks to wait {s} s. Lower the concurrency; runs retry 429s on their own."),
                None => "Lower the concurrency; runs retry 429s on their own, with backoff.".into(),
            }],
        ),
        400 | 422 => {
            let mut fixes = Vec::new();
            if lower.contains("max_tokens") || lower.contains("max_completion_tokens") {
                fixes.push("Switch the token limit field (max_tokens / max_completion_tokens / none).".into());
            }
            if lower.contains("temperature") {
                fixes.push("Untick \u{201c}send temperature\u{201d}: some models accept only their default.".into());
            }
            if fixes.is_empty() {
                fixes.push("Check the judge model and the settings the server accepts.".into());
            }
            (format!("The server refused the request (HTTP {status})"), fixes)
        }
        500..=599 => (
            format!("The server failed (HTTP {status})"),
            vec!["A server-side problem: runs retry these on their own; if it persists, check the server's log.".into()],
        ),
        _ => (format!("Unexpected answer (HTTP {status})"), Vec::new()),
    };
    (false, title, format!("{url}.{said}"), fixes)
}

fn cors_fixes(origin: &str) -> Vec<String> {
    vec![
        format!("Ollama: start it with OLLAMA_ORIGINS=\"{origin}\" ollama serve (or set OLLAMA_ORIGINS in its service environment)."),
        format!("vLLM: vllm serve MODEL --allowed-origins '[\"{origin}\"]' (with --allowed-headers '[\"authorization\", \"content-type\"]' if you narrowed them)."),
        "LM Studio: Developer tab, server settings, switch on \u{201c}Enable CORS\u{201d}.".into(),
        "llama.cpp (llama-server): it answers any origin unless a proxy in front strips the CORS headers; check the proxy.".into(),
        format!("Behind nginx or another proxy: answer OPTIONS and add Access-Control-Allow-Origin: {origin} and Access-Control-Allow-Headers: authorization, content-type."),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(
        result: Result<ChatReply, CallError>,
        reachable: Option<bool>,
        title: &str,
        fix_mentions: &str,
    ) {
        let settings = RunSettings {
            base_url: "http://127.0.0.1:9/v1".into(),
            judge_model: "judge-x".into(),
            ..RunSettings::default()
        };
        let d = diagnose(&result, reachable, &settings, "http://127.0.0.1:8080");
        assert_eq!(d.title, title);
        assert!(
            d.fixes.iter().any(|f| f.contains(fix_mentions)) || fix_mentions.is_empty(),
            "{:?}",
            d.fixes
        );
    }

    fn http(status: u16, message: &str) -> Result<ChatReply, CallError> {
        Err(CallError::Http {
            status,
            message: Some(message.into()),
            retry_after_s: Some(2.0),
        })
    }

    #[test]
    fn each_failure_gets_its_own_words_and_fix() {
        let ok = Ok(ChatReply {
            content: "OK".into(),
            finish_reason: None,
            usage: None,
        });
        check(ok, None, "Connected: judge-x answered", "");
        check(
            Err(CallError::Network),
            Some(true),
            "The browser blocked the answer (CORS)",
            "OLLAMA_ORIGINS=\"http://127.0.0.1:8080\"",
        );
        check(
            Err(CallError::Network),
            Some(true),
            "The browser blocked the answer (CORS)",
            "--allowed-origins",
        );
        check(
            Err(CallError::Network),
            Some(false),
            "Cannot reach the server",
            "/v1",
        );
        check(
            http(401, "Incorrect API key provided"),
            None,
            "The key was refused (HTTP 401)",
            "API key",
        );
        check(
            http(404, "The model `judge-x` does not exist"),
            None,
            "Unknown model \u{201c}judge-x\u{201d} (HTTP 404)",
            "/v1/models",
        );
        check(
            http(404, "Not Found"),
            None,
            "Nothing at that address (HTTP 404)",
            "base URL",
        );
        check(
            http(429, "slow down"),
            None,
            "Rate limited (HTTP 429)",
            "wait 2 s",
        );
        check(
            http(400, "Unsupported parameter: 'max_tokens'"),
            None,
            "The server refused the request (HTTP 400)",
            "token limit field",
        );
        check(
            http(503, "overloaded"),
            None,
            "The server failed (HTTP 503)",
            "retry",
        );
        check(
            Err(CallError::Timeout),
            None,
            "No answer within 120 s",
            "timeout",
        );
    }

    #[test]
    fn outcomes_feed_the_retry_policy() {
        assert_eq!(CallError::Network.outcome(), CallOutcome::Network);
        assert_eq!(
            CallError::Http {
                status: 429,
                message: None,
                retry_after_s: Some(1.0)
            }
            .outcome(),
            CallOutcome::Http {
                status: 429,
                retry_after_s: Some(1.0)
            }
        );
        assert_eq!(CallError::Aborted.outcome(), CallOutcome::Aborted);
    }
}
