//! Small JSON helpers shared by the reader and the verdict rules: parsing a line as an object
//! with a plain-words error, case-blind key lookup, and values as they are shown.

use serde_json::{Map, Value};

/// Parses one line as a JSON object, or says in plain words why it is not one.
pub fn parse_object(text: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(other) => Err(format!(
            "expected a JSON object, found {}",
            type_name(&other)
        )),
        Err(e) => Err(format!(
            "not valid JSON: {} at column {}",
            json_reason(&e),
            e.column()
        )),
    }
}

/// A key looked up without case, the exact spelling first; otherwise the first match in the
/// object's order wins (as the reference script looks keys up).
pub fn lookup<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if let Some(value) = object.get(key) {
        return Some(value);
    }
    let lower = key.to_lowercase();
    object
        .iter()
        .find(|(k, _)| k.to_lowercase() == lower)
        .map(|(_, v)| v)
}

/// `key.to_lowercase() == lower`, without lowercasing (and allocating) ASCII keys: a row may
/// hold thousands of fields, asked for once per model. `lower` is already lowercase, so for an
/// ASCII key the two tests agree (and the length check rejects most keys at once).
pub fn same_without_case(key: &str, lower: &str) -> bool {
    if key.is_ascii() {
        key.eq_ignore_ascii_case(lower)
    } else {
        key.to_lowercase() == lower
    }
}

/// A value as it is shown: strings as they are, other JSON as its text.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The kind of a JSON value in words, for messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde_json's message without its own " at line 1 column N" tail.
fn json_reason(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_string(),
        None => message,
    }
}
