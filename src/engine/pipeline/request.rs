//! What a stage's request reads from a data-set row: the conversation as `role: content`
//! turns, text fields, and why a request cannot be built. Shared by Generate, Swap and
//! Decompose (SPEC section 8).

use serde_json::{Map, Value};

use crate::engine::json::{lookup, type_name, value_text};

/// Why the request of a row cannot be built: the row is left out of the stage, with this reason.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("no {0} field")]
    Missing(String),
    #[error("{field} is {found}, not text")]
    NotText { field: String, found: &'static str },
}

/// One turn of the conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Turn {
    pub role: String,
    pub content: String,
}

/// The role of a turn that does not name one, and of a `context` given as a plain string.
pub const DEFAULT_ROLE: &str = "user";

/// The turns of a row's `context`: a string is one `user` turn; a list gives one turn per
/// item (an object's `role` and `content`, a bare string as a `user` turn); a missing, null
/// or blank context has no turns. Content that is not a string is shown as its JSON text.
pub fn turns(row: &Map<String, Value>) -> Vec<Turn> {
    match lookup(row, "context") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().map(turn).collect(),
        Some(Value::String(text)) if text.trim().is_empty() => Vec::new(),
        Some(other) => vec![user_turn(value_text(other))],
    }
}

/// Turns as lines of `role: content`, joined by `\n`, without a trailing newline.
pub fn turn_lines(turns: &[Turn]) -> String {
    turns
        .iter()
        .map(|t| format!("{}: {}", t.role, t.content))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A text field of the row, found without case: a string as written, a list of strings one
/// item a line (a rationale given as a list), a number as its JSON text.
pub fn text_field(row: &Map<String, Value>, field: &str) -> Result<String, RequestError> {
    match lookup(row, field) {
        None | Some(Value::Null) => Err(RequestError::Missing(field.to_string())),
        Some(Value::String(text)) => Ok(text.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
            Ok(items.iter().map(value_text).collect::<Vec<_>>().join("\n"))
        }
        Some(other) => Err(RequestError::NotText {
            field: field.to_string(),
            found: type_name(other),
        }),
    }
}

/// Fills `{name}` placeholders in one pass over the template, so a value that itself holds
/// `{query}` (a response quoting a template, say) is sent as written and never filled again.
/// Braces that are not a known placeholder stay as they are.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        let known = values.iter().find(|(name, _)| {
            tail.strip_prefix('{')
                .and_then(|t| t.strip_prefix(name))
                .is_some_and(|t| t.starts_with('}'))
        });
        match known {
            Some((name, value)) => {
                out.push_str(value);
                rest = &tail[name.len() + 2..];
            }
            None => {
                out.push('{');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn turn(item: &Value) -> Turn {
    let Value::Object(object) = item else {
        return user_turn(value_text(item));
    };
    let role = match lookup(object, "role") {
        Some(Value::String(role)) if !role.trim().is_empty() => role.clone(),
        _ => DEFAULT_ROLE.to_string(),
    };
    let content = lookup(object, "content").map_or_else(String::new, value_text);
    Turn { role, content }
}

fn user_turn(content: String) -> Turn {
    Turn {
        role: DEFAULT_ROLE.to_string(),
        content,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(object) => object,
            _ => Map::new(),
        }
    }

    #[track_caller]
    fn check(context: Value, expected: &str) {
        let turns = turns(&row(json!({ "context": context })));
        assert_eq!(turn_lines(&turns), expected);
    }

    #[test]
    fn context_shapes_give_role_content_lines() {
        check(json!("hello"), "user: hello");
        check(
            json!([{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]),
            "user: a\nassistant: b",
        );
        check(json!(["bare", {"content": 3}]), "user: bare\nuser: 3");
        check(json!([{"role": "", "content": "x"}]), "user: x");
        check(json!([]), "");
        check(json!(""), "");
        check(json!("  \n"), "");
        check(Value::Null, "");
        assert!(turns(&Map::new()).is_empty());
    }

    #[test]
    fn text_fields_and_their_errors() {
        let r = row(json!({"A": "x", "n": 2, "l": ["p", "q"], "o": {}, "z": null, "m": [1]}));
        for (field, expected) in [
            ("a", Ok("x")),
            ("n", Ok("2")),
            ("l", Ok("p\nq")),
            ("gone", Err("no gone field")),
            ("z", Err("no z field")),
            ("o", Err("o is an object, not text")),
            ("m", Err("m is an array, not text")),
        ] {
            let got = text_field(&r, field).map_err(|e| e.to_string());
            let expected = expected.map(str::to_string).map_err(str::to_string);
            assert_eq!(got, expected, "{field}");
        }
    }

    #[test]
    fn fill_replaces_each_placeholder_once() {
        let values = [("query", "q {history}"), ("history", "h")];
        assert_eq!(fill("<{history}|{query}>", &values), "<h|q {history}>");
        assert_eq!(fill("{x} {query", &values), "{x} {query");
        assert_eq!(fill("{{query}}", &values), "{q {history}}");
        assert_eq!(fill("数据{query}é", &values), "数据q {history}é");
        assert_eq!(fill("", &values), "");
    }
}
