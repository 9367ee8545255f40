//! A stage's results written into a data-set row (SPEC section 8): the columns the export,
//! the reference scripts and `metajudge genrm` read. A key already in the row (found without
//! case) is replaced where it stands, so the row's own spelling and order are kept and no
//! older value can outlive the new answer.

use serde_json::{Map, Value};

use super::answer::JudgeAnswer;
use super::decompose::Claims;
use super::generate::Order;
use super::stage::Stage;
use super::swap::mirror_label;

/// Writes a judge-prompt answer as `<model>-generated_text`, `<model>-label` and
/// `<model>-checklist` (for the swapped order, the `<model>@swap-` ones, the label mirrored
/// back). The label is the verdict as written; an answer without one gets an empty label,
/// which reads as unreadable, so the row counts as wrong for OA.
pub fn write_judge_columns(
    row: &mut Map<String, Value>,
    model: &str,
    order: Order,
    text: &str,
    answer: &JudgeAnswer,
) {
    let fields = order.stage().fields(model);
    let label = answer.label.clone().unwrap_or_default();
    let label = match order {
        Order::AsGiven => label,
        Order::Swapped => mirror_label(&label).unwrap_or(label),
    };
    let reasons = answer.reasons.iter().cloned().map(Value::String).collect();
    for (field, value) in [
        (fields.generated_text, Value::String(text.to_string())),
        (fields.label, Value::String(label)),
        (fields.checklist, Value::Array(reasons)),
    ] {
        if let Some(field) = field {
            set_field(row, &field, value);
        }
    }
}

/// Writes a decomposition's items as `<target>-checklist` (`human` for `human-checklist`).
pub fn write_claims(row: &mut Map<String, Value>, target: &str, claims: &Claims) {
    if let Some(field) = Stage::Decompose.fields(target).checklist {
        let items = claims.items.iter().cloned().map(Value::String).collect();
        set_field(row, &field, Value::Array(items));
    }
}

/// Sets `key` to `value`: in place of the first key equal without case, else at the end.
pub fn set_field(row: &mut Map<String, Value>, key: &str, value: Value) {
    let lower = key.to_lowercase();
    let existing = row.keys().find(|k| k.to_lowercase() == lower).cloned();
    match existing.and_then(|k| row.get_mut(&k)) {
        Some(slot) => *slot = value,
        None => {
            row.insert(key.to_string(), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::pipeline::answer::read_answer;
    use crate::engine::pipeline::decompose::read_claims;
    use serde_json::json;

    #[track_caller]
    fn check(row: Value, order: Order, text: &str, expected: Value) {
        let Value::Object(mut row) = row else {
            panic!("a test row is an object");
        };
        write_judge_columns(&mut row, "j", order, text, &read_answer(text));
        assert_eq!(Value::Object(row).to_string(), expected.to_string());
    }

    const TEXT: &str =
        "<RESULT_START>\n- short\n- wrong\nFinal assessment result: \\boxed{A>>B}<RESULT_END>";

    #[test]
    fn columns_are_added_after_the_row_in_order() {
        check(
            json!({"id": 1, "response1": "x"}),
            Order::AsGiven,
            TEXT,
            json!({"id": 1, "response1": "x", "j-generated_text": TEXT, "j-label": "A>>B",
                   "j-checklist": ["short", "wrong"]}),
        );
    }

    #[test]
    fn the_swapped_order_writes_its_own_columns_mirrored() {
        check(
            json!({"id": 1}),
            Order::Swapped,
            TEXT,
            json!({"id": 1, "j@swap-generated_text": TEXT, "j@swap-label": "B>>A",
                   "j@swap-checklist": ["short", "wrong"]}),
        );
        let garbled = "<RESULT_START>\n- r\n\\boxed{C}";
        check(
            json!({}),
            Order::Swapped,
            garbled,
            json!({"j@swap-generated_text": garbled, "j@swap-label": "C", "j@swap-checklist": ["r"]}),
        );
    }

    #[test]
    fn existing_columns_are_replaced_where_they_stand() {
        check(
            json!({"J-Label": "B>A", "J-Generated_Text": "old", "z": 0}),
            Order::AsGiven,
            "no verdict",
            json!({"J-Label": "", "J-Generated_Text": "no verdict", "z": 0, "j-checklist": []}),
        );
    }

    #[test]
    fn claims_become_the_targets_checklist() {
        let mut row = Map::new();
        row.insert("human-checklist".into(), json!("prose"));
        let claims = read_claims("<RESULT_START> CLAIM_COUNT=1\n- C1: a<RESULT_END>");
        write_claims(&mut row, "human", &claims);
        write_claims(&mut row, "m", &read_claims(""));
        assert_eq!(
            Value::Object(row),
            json!({"human-checklist": ["a"], "m-checklist": []})
        );
    }
}
