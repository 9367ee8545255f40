//! A stand-in batch engine for the tests: reads a batch input file (OpenAI Batch API lines,
//! SPEC section 9) and writes the output file an engine would, in OpenAI's shape or in vLLM
//! `run-batch`'s, each answer the test server's seeded answer to the same prompt
//! (`judge_server::scripted_answer`), so a batch run and an in-page run against the server get
//! the same answers. Chosen `custom_id`s fail instead, as the server's `always_fail` prompts do.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::judge_server::scripted_answer;

/// Which engine's output to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `{"id": "batch_req_…", "custom_id", "response": {"status_code", "request_id", "body"},
    /// "error": null}`; a failed request has status 500 and the error in its body.
    OpenAi,
    /// `{"id": "vllm-…", …, "request_id": "vllm-batch-…"}`; a failed request has status 400,
    /// no body and the error as a string.
    Vllm,
}

/// The output lines of `input` (one per non-blank input line, in order), answered with the
/// server's seeded answers for `seed`; the lines whose `custom_id` is in `fail` fail.
pub fn answer_file(input: &str, seed: u64, shape: Shape, fail: &HashSet<String>) -> Vec<String> {
    input
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, line)| {
            let request: Value = serde_json::from_str(line).expect("an input line is JSON");
            let custom_id = request["custom_id"].as_str().expect("a custom_id");
            let body = &request["body"];
            assert_eq!(request["url"], "/v1/chat/completions", "{line}");
            let prompt = body["messages"][0]["content"].as_str().expect("a prompt");
            let model = body["model"].as_str().unwrap_or_default();
            let result = if fail.contains(custom_id) {
                Err("the engine could not answer this request".to_string())
            } else {
                Ok(completion(model, prompt, &scripted_answer(seed, prompt)))
            };
            output_line(n, custom_id, shape, result)
        })
        .collect()
}

/// One output line: `result` is the completion body, or the failure's message.
pub fn output_line(
    n: usize,
    custom_id: &str,
    shape: Shape,
    result: Result<Value, String>,
) -> String {
    let line = match (shape, result) {
        (Shape::OpenAi, Ok(body)) => json!({"id": format!("batch_req_{n}"), "custom_id": custom_id,
            "response": {"status_code": 200, "request_id": format!("req_{n}"), "body": body}, "error": null}),
        (Shape::OpenAi, Err(message)) => {
            json!({"id": format!("batch_req_{n}"), "custom_id": custom_id,
            "response": {"status_code": 500, "request_id": format!("req_{n}"),
                "body": {"error": {"message": message, "type": "server_error", "code": null}}}, "error": null})
        }
        (Shape::Vllm, Ok(body)) => json!({"id": format!("vllm-{n:032x}"), "custom_id": custom_id,
            "response": {"status_code": 200, "request_id": format!("vllm-batch-{n:032x}"), "body": body}, "error": null}),
        (Shape::Vllm, Err(message)) => {
            json!({"id": format!("vllm-{n:032x}"), "custom_id": custom_id,
            "response": {"status_code": 400, "request_id": format!("vllm-batch-{n:032x}")}, "error": message})
        }
    };
    line.to_string()
}

/// A chat completion holding `content`, usage estimated as the test server does (a token per
/// four characters).
pub fn completion(model: &str, prompt: &str, content: &str) -> Value {
    let prompt_tokens = prompt.chars().count().div_ceil(4);
    let completion_tokens = content.chars().count().div_ceil(4);
    json!({"id": "chatcmpl-batch", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens}})
}
