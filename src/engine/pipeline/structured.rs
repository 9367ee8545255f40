//! Structured answers (an option, off by default): for weak local models, a stage may ask the
//! endpoint for JSON that follows a schema (reasons + verdict; claims; score lines), and the
//! JSON is turned into the reference text before the stage's own reader reads it. The reader,
//! the stored answer and the exports stay those of the reference method; the run records the
//! option as a deviation from it (SPEC section 8 asks for free text).
//!
//! Servers name the option two ways: OpenAI, vLLM and llama.cpp's `llama-server` take
//! `{"type": "json_schema", "json_schema": {name, schema, strict}}`; llama-cpp-python's server
//! (and Anyscale-style endpoints) take `{"type": "json_object", "schema": ...}`. Each endpoint
//! chooses its own.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::stage::Stage;

/// Whether, and in which shape, a run asks for JSON answers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Structured {
    /// Free text, as the reference method asks (the default).
    #[default]
    Off,
    /// `response_format: {"type": "json_schema", ...}` (OpenAI, vLLM, llama-server).
    JsonSchema,
    /// `response_format: {"type": "json_object", "schema": ...}` (llama-cpp-python).
    JsonObject,
}

impl Structured {
    /// Every choice, in the order a menu shows them.
    pub const ALL: [Structured; 3] = [
        Structured::Off,
        Structured::JsonSchema,
        Structured::JsonObject,
    ];

    pub fn is_on(self) -> bool {
        self != Structured::Off
    }

    /// The menu's words for the choice.
    pub fn label(self) -> &'static str {
        match self {
            Structured::Off => "off: free text, as the paper (reference)",
            Structured::JsonSchema => "JSON schema (OpenAI, vLLM, llama-server)",
            Structured::JsonObject => "JSON object + schema (llama-cpp-python)",
        }
    }

    /// A short name for keys, exports and the chart's mark.
    pub fn key(self) -> &'static str {
        match self {
            Structured::Off => "off",
            Structured::JsonSchema => "json_schema",
            Structured::JsonObject => "json_object",
        }
    }

    pub fn from_key(key: &str) -> Option<Structured> {
        Structured::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The `response_format` a request of `stage` sends, `None` when off.
    pub fn response_format(self, stage: Stage) -> Option<Value> {
        match self {
            // Every request body asks: the free-text default builds no schema.
            Structured::Off => None,
            Structured::JsonSchema => Some(json!({
                "type": "json_schema",
                "json_schema": {"name": schema_name(stage), "strict": true, "schema": schema(stage)},
            })),
            Structured::JsonObject => Some(json!({"type": "json_object", "schema": schema(stage)})),
        }
    }
}

/// What a run's views are named with when some stage asked for structured answers, so that the
/// leaderboard and the chart say the figures did not come from the reference method.
pub const MARK_SUFFIX: &str = " \u{b7} JSON answers";

/// The five verdicts of the judge prompt, as its `\boxed{}` holds them.
pub const VERDICTS: [&str; 5] = ["A>>B", "A>B", "A=B", "B>A", "B>>A"];

fn schema_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Generate | Stage::Swap => "judge_answer",
        Stage::Decompose => "claims",
        Stage::Match => "matching_scores",
    }
}

/// The JSON schema of a stage's answer.
pub fn schema(stage: Stage) -> Value {
    let strings = json!({"type": "array", "items": {"type": "string"}});
    match stage {
        Stage::Generate | Stage::Swap => object(&[
            ("reasons", strings),
            ("verdict", json!({"type": "string", "enum": VERDICTS})),
        ]),
        Stage::Decompose => object(&[("claims", strings)]),
        Stage::Match => {
            let score = object(&[
                ("r", json!({"type": "integer"})),
                ("s", json!({"type": "integer"})),
                ("score", json!({"type": "number"})),
            ]);
            object(&[("scores", json!({"type": "array", "items": score}))])
        }
    }
}

/// A closed object schema (every property required, nothing else), as strict mode wants.
fn object(properties: &[(&str, Value)]) -> Value {
    let names: Vec<&str> = properties.iter().map(|(name, _)| *name).collect();
    let properties: Map<String, Value> = properties
        .iter()
        .map(|(name, schema)| (name.to_string(), schema.clone()))
        .collect();
    json!({"type": "object", "properties": properties, "required": names, "additionalProperties": false})
}

/// The reference text a structured answer of `stage` stands for, which the stage's reader then
/// reads; `Err` says why the answer is not the JSON asked for (a format error: asked again).
pub fn reference_text(stage: Stage, content: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(unfenced(content))
        .map_err(|e| format!("the structured answer is not JSON ({e})"))?;
    let object = value
        .as_object()
        .ok_or("the structured answer is not a JSON object")?;
    match stage {
        Stage::Generate | Stage::Swap => {
            let reasons = strings(object, "reasons")?;
            let verdict = object
                .get("verdict")
                .and_then(Value::as_str)
                .ok_or("the structured answer has no verdict string")?;
            let lines: String = reasons.iter().map(|r| format!("- {r}\n")).collect();
            Ok(format!(
                "<RESULT_START>\nList of reasons:\n{lines}Final assessment result: \\boxed{{{}}}\n<RESULT_END>",
                one_line(verdict)
            ))
        }
        Stage::Decompose => {
            let claims = strings(object, "claims")?;
            let lines: String = claims
                .iter()
                .enumerate()
                .map(|(i, c)| format!("- C{}: {c}\n", i + 1))
                .collect();
            Ok(format!(
                "<RESULT_START>\nCLAIM_COUNT={}\nCLAIMS:\n{lines}IGNORED_SUMMARY:\n<RESULT_END>",
                claims.len()
            ))
        }
        Stage::Match => {
            let scores = object
                .get("scores")
                .and_then(Value::as_array)
                .ok_or("the structured answer has no list of scores")?;
            let mut lines = String::new();
            for (i, entry) in scores.iter().enumerate() {
                let number = |key: &str| entry.get(key).and_then(Value::as_f64);
                let index = |key: &str| entry.get(key).and_then(Value::as_u64);
                let (Some(r), Some(s), Some(score)) = (index("r"), index("s"), number("score"))
                else {
                    return Err(format!(
                        "score {} of the structured answer is not {{r, s, score}} with whole r and s",
                        i + 1
                    ));
                };
                // The reference line holds digits only: a negative score would not be read.
                if !(0.0..=f64::MAX).contains(&score) {
                    return Err(format!(
                        "the score of R{r} in the structured answer is {score}, not from 0 to 1"
                    ));
                }
                lines.push_str(&format!("- R{r}@S{s}: {score}\n"));
            }
            Ok(format!(
                "<RESULT_START>\nScores corresponding to claims:\n{lines}<RESULT_END>"
            ))
        }
    }
}

/// The text a stage keeps of an answer and why its reader does not accept it (`None`: it
/// does). Free text goes to `reader` as it is (borrowed, not copied); a structured answer is
/// turned into the reference text first, and one that is not the JSON asked for keeps its own
/// text and says why.
pub fn read_with<'a>(
    stage: Stage,
    structured: Structured,
    content: &'a str,
    reader: fn(Stage, &str) -> Option<String>,
) -> (Cow<'a, str>, Option<String>) {
    if !structured.is_on() {
        return (Cow::Borrowed(content), reader(stage, content));
    }
    match reference_text(stage, content) {
        Ok(text) => {
            let problem = reader(stage, &text);
            (Cow::Owned(text), problem)
        }
        Err(why) => (Cow::Borrowed(content), Some(why)),
    }
}

/// [`read_with`] for an answer held as a `String`: the text kept is that same string unless a
/// structured answer was turned into the reference text.
pub fn read_owned(
    stage: Stage,
    structured: Structured,
    content: String,
    reader: fn(Stage, &str) -> Option<String>,
) -> (String, Option<String>) {
    let (text, problem) = read_with(stage, structured, &content, reader);
    let converted = match text {
        Cow::Owned(text) => Some(text),
        Cow::Borrowed(_) => None,
    };
    (converted.unwrap_or(content), problem)
}

/// The strings of `key`, each on one line and trimmed, empty ones left out (they are no item).
fn strings(object: &Map<String, Value>, key: &str) -> Result<Vec<String>, String> {
    let list = object
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("the structured answer has no list `{key}`"))?;
    list.iter()
        .map(|item| {
            item.as_str().map(one_line).ok_or_else(|| {
                format!("an item of `{key}` in the structured answer is not a string")
            })
        })
        .filter(|item| !matches!(item, Ok(text) if text.is_empty()))
        .collect()
}

/// A text on one line: the reference readers read items line by line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The JSON inside a Markdown code fence, which some models add even when asked for JSON.
fn unfenced(content: &str) -> &str {
    let trimmed = content.trim();
    let Some(inner) = trimmed.strip_prefix("```") else {
        return trimmed;
    };
    let inner = inner.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    inner.strip_suffix("```").unwrap_or(inner).trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::pipeline::{read_answer, read_claims};
    use crate::engine::reply::parse_reply;
    use crate::engine::verdict::Verdict;

    #[test]
    fn judge_answers_read_as_the_reference_text_would() {
        for (content, reasons, verdict) in [
            (
                r#"{"reasons": ["B cites the law", "A misreads\nthe date"], "verdict": "B>A"}"#,
                vec!["B cites the law", "A misreads the date"],
                Some(Verdict::B),
            ),
            (
                "```json\n{\"reasons\": [\"  \", \"only one\"], \"verdict\": \"A>>B\"}\n```",
                vec!["only one"],
                Some(Verdict::A),
            ),
            (
                r#"{"reasons": ["x"], "verdict": "A=B"}"#,
                vec!["x"],
                Some(Verdict::Tie),
            ),
            // Not one of the five: the reader says "no verdict", as for free text.
            (r#"{"reasons": ["x"], "verdict": "maybe"}"#, vec!["x"], None),
        ] {
            let text = reference_text(Stage::Generate, content).unwrap();
            let answer = read_answer(&text);
            assert_eq!(answer.reasons, reasons, "{content}");
            assert_eq!(answer.verdict, verdict, "{content}");
            assert!(answer
                .problems
                .iter()
                .all(|p| p.to_string() != "no RESULT block"));
        }
    }

    #[test]
    fn claims_and_scores_read_as_the_reference_text_would() {
        let text =
            reference_text(Stage::Decompose, r#"{"claims": ["c one", "", "c two"]}"#).unwrap();
        let claims = read_claims(&text);
        assert_eq!(claims.items, vec!["c one", "c two"]);
        assert!(!claims.is_format_error(), "{text}");
        let empty = read_claims(&reference_text(Stage::Decompose, r#"{"claims": []}"#).unwrap());
        assert!(empty.items.is_empty() && !empty.is_format_error());

        let content = r#"{"scores": [{"r": 1, "s": 2, "score": 0.75}, {"r": 2, "s": 0, "score": 0}, {"r": 3, "s": 1, "score": 1.5}]}"#;
        let reply = parse_reply(&reference_text(Stage::Match, content).unwrap());
        let triples: Vec<(usize, usize, f64)> =
            reply.triples.iter().map(|t| (t.r, t.s, t.score)).collect();
        assert_eq!(triples, vec![(1, 2, 0.75), (2, 0, 0.0), (3, 1, 1.5)]);
        // Out of range is the reference reader's error, as for a free-text answer.
        assert!(!reply.errors.is_empty());
    }

    #[test]
    fn what_is_not_the_json_asked_for_says_why() {
        for (stage, content, wanted) in [
            (Stage::Generate, "<RESULT_START>- x", "not JSON"),
            (Stage::Generate, "[1, 2]", "not a JSON object"),
            (
                Stage::Generate,
                r#"{"verdict": "A>B"}"#,
                "no list `reasons`",
            ),
            (
                Stage::Swap,
                r#"{"reasons": [1], "verdict": "A>B"}"#,
                "not a string",
            ),
            (Stage::Swap, r#"{"reasons": ["x"]}"#, "no verdict"),
            (Stage::Decompose, r#"{"claim": []}"#, "no list `claims`"),
            (
                Stage::Match,
                r#"{"scores": [{"r": 1, "score": 1}]}"#,
                "score 1 of",
            ),
            (
                Stage::Match,
                r#"{"scores": [{"r": 1, "s": 1, "score": -0.5}]}"#,
                "R1",
            ),
            (
                Stage::Match,
                r#"{"scores": [{"r": -1, "s": 1, "score": 1}]}"#,
                "whole r and s",
            ),
        ] {
            let error = reference_text(stage, content).unwrap_err();
            assert!(error.contains(wanted), "{stage:?} {content}: {error}");
        }
    }

    #[test]
    fn each_shape_names_the_schema_of_its_stage() {
        assert_eq!(Structured::Off.response_format(Stage::Match), None);
        let openai = Structured::JsonSchema
            .response_format(Stage::Generate)
            .unwrap();
        assert_eq!(openai["type"], "json_schema");
        assert_eq!(openai["json_schema"]["name"], "judge_answer");
        assert_eq!(openai["json_schema"]["strict"], true);
        let judge = &openai["json_schema"]["schema"];
        assert_eq!(judge["required"], json!(["reasons", "verdict"]));
        assert_eq!(judge["properties"]["verdict"]["enum"], json!(VERDICTS));
        let llama = Structured::JsonObject
            .response_format(Stage::Decompose)
            .unwrap();
        assert_eq!(
            llama,
            json!({"type": "json_object", "schema": schema(Stage::Decompose)})
        );
        for s in Structured::ALL {
            assert_eq!(Structured::from_key(s.key()), Some(s));
        }
    }
}
