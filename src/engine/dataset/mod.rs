//! JSONL text -> rows + bad lines (SPEC section 1).
//!
//! One reader takes both kinds of file: data sets (one data-set row a line) and judged files
//! (the reference runner's output: `samples`, `status`, `metadata`). It reads in chunks, so a
//! page can show progress on a large file, and keeps the bytes so that a row can be parsed again
//! in full when someone opens it. Rows are reduced at load time to what scoring needs.
//!
//! Where things live: `lines` splits the bytes into numbered lines, `line` reads one into the
//! fields a record needs (no `Value` tree of the row; `skip` checks and drops the rest), `row` reduces a data-set
//! row, `reference` reads the judged format, `raw` parses a kept line again, and `file` and
//! `record` hold what the reader returns.

mod file;
mod line;
mod lines;
mod raw;
mod record;
mod reference;
mod row;
mod skip;

pub use file::{BadLine, FileKind, LoadedFile};
pub use line::TEXT_SUFFIX;
pub use lines::{load, Loader, TooBig};
pub use record::{Answer, Checklist, ModelColumn, Record};
pub use row::{HUMAN_CHECKLIST, HUMAN_VERDICT};
// Kept here for the readers of rows that took them from this module first.
pub use crate::engine::json::{lookup, value_text};

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, n_records: usize, bad: &[(usize, &str)], models: &[&str]) -> LoadedFile {
        let file = load("t.jsonl", text.as_bytes());
        assert_eq!(file.records.len(), n_records, "records of {text:?}");
        let got: Vec<_> = file
            .bad_lines
            .iter()
            .map(|b| (b.line, b.message.as_str()))
            .collect();
        assert_eq!(got, bad, "bad lines of {text:?}");
        assert_eq!(file.models, models, "models of {text:?}");
        file
    }

    #[test]
    fn blank_lines_crlf_and_bom_are_accepted() {
        let text = "\u{feff}{\"human-checklist\": [\"a\"], \"m-checklist\": []}\r\n\r\n   \n{\"x\": 1}\r\n";
        let file = check(text, 2, &[], &["m"]);
        assert_eq!(file.records[1].line, 4);
        assert_eq!(file.n_lines, 4);
        assert_eq!(file.kind, Some(FileKind::Dataset));
    }

    #[test]
    fn bad_lines_are_reported_with_their_numbers() {
        let text = "{\"a\": 1}\n[1, 2]\n{\"a\": \n\n\"text\"\n{\"b\": 2}";
        check(
            text,
            2,
            &[
                (2, "expected a JSON object, found an array"),
                (3, "not valid JSON: EOF while parsing a value at column 6"),
                (5, "expected a JSON object, found a string"),
            ],
            &[],
        );
        let bytes = b"{\"a\": \"\xff\"}\n";
        let file = load("t", bytes);
        assert_eq!(
            file.bad_lines[0].message,
            "not UTF-8 text (bad byte at column 8)"
        );
    }

    #[test]
    fn models_are_found_without_case() {
        let text = r#"{"Model-X-Checklist": ["a"], "human-checklist": ["h"], "Human-Checklist": []}
{"model-x-checklist": ["b", "c"], "model-x-label": "A>B", "other-checklist": "oops"}"#;
        let file = check(text, 2, &[], &["Model-X", "other"]);
        let second = &file.records[1];
        assert_eq!(
            second.column(0).unwrap().checklist,
            Some(Checklist::Items(vec!["b".into(), "c".into()]))
        );
        assert_eq!(
            second.column(1).unwrap().checklist,
            Some(Checklist::NotAList("a string".into()))
        );
        assert_eq!(file.records[0].column(1), None);
        assert_eq!(
            file.records[0].human,
            Some(Checklist::Items(vec!["h".into()]))
        );
    }

    #[test]
    fn judged_rows_read_the_answer_and_the_metadata() {
        let text = r#"{"prompt": "p", "samples": [{"generated_text": "<RESULT_START>- R1@S1: 1<RESULT_END>"}], "metadata": {"human-checklist": ["h"], "j-checklist": ["s"], "domain": "code"}}
{"prompt": "p", "samples": [], "status": "error", "metadata": {"human-checklist": ["h"], "j-checklist": ["s"]}}"#;
        let file = check(text, 2, &[], &["j"]);
        assert_eq!(file.kind, Some(FileKind::Judged));
        assert_eq!(file.scored_models(), vec![0]);
        assert!(
            matches!(&file.records[0].answer, Some(Answer::Given(reply)) if reply.triples.len() == 1)
        );
        assert_eq!(file.records[1].answer, Some(Answer::Missing));
        assert_eq!(file.records[0].group("domain").as_deref(), Some("code"));
        assert_eq!(
            file.raw_object(&file.records[1]).unwrap()["status"],
            "error"
        );
    }

    #[test]
    fn judged_file_with_several_models_names_its_choice() {
        let text = r#"{"samples": [], "metadata": {"a-checklist": [], "b-checklist": []}}"#;
        let file = check(text, 1, &[], &["a", "b"]);
        assert_eq!(file.judged_model, Some(0));
        assert_eq!(file.notes.len(), 1);
        let text = r#"{"samples": [], "metadata": {"a-checklist": [], "b-checklist": []}, "metajudge": {"model": "B"}}"#;
        let file = check(text, 1, &[], &["a", "b"]);
        assert_eq!(file.judged_model, Some(1));
        assert!(file.notes.is_empty());
    }

    #[test]
    fn row12_kelvin_sign_key_keeps_the_model_name() {
        // U+212A KELVIN SIGN lowercases to an ASCII `k`: 3 bytes become 1.
        let text = "{\"m-chec\u{212A}list\": [\"a\"], \"M-CHECKLIST\": [\"b\"]}";
        let file = check(text, 1, &[], &["m"]);
        assert_eq!(
            file.records[0].column(0).unwrap().checklist,
            Some(Checklist::Items(vec!["a".into()]))
        );
        check(
            "{\"Jud\u{212A}e-checklist\": []}",
            1,
            &[],
            &["Jud\u{212A}e"],
        );
        check(
            "{\"\u{212A}-CHEC\u{212A}LIST\": [], \"k-checklist\": []}",
            1,
            &[],
            &["\u{212A}"],
        );
    }

    #[test]
    fn row4_a_row_with_thousands_of_models_reads_every_one() {
        // Each model's label is found without case among thousands of keys (a map per row,
        // not a pass over the row per model); the timing is in tests/bench_hostile.sh.
        let n = 4_000;
        let mut row = serde_json::Map::new();
        for i in 0..n {
            row.insert(format!("m{i}-checklist"), serde_json::json!(["a"]));
            row.insert(format!("M{i}-LABEL"), serde_json::json!("A>B"));
        }
        let text = serde_json::Value::Object(row).to_string();
        let file = load("t", text.as_bytes());
        assert_eq!(file.models.len(), n);
        assert_eq!(file.models[n - 1], format!("m{}", n - 1));
        let with_label = file.records[0]
            .columns()
            .filter(|(_, c)| matches!(c.verdict, crate::engine::verdict::ModelVerdict::Read(_)))
            .count();
        assert_eq!(with_label, n, "every model's label is found");
    }
}
