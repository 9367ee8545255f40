//! The starter set shipped with the app (`public/starter.jsonl`, CC0, see its README): about
//! twelve hand-written rows in all four domains, so a newcomer with an endpoint sees a whole
//! evaluation without a file of their own. Embedded, so the flow offers it without a fetch.

use crate::engine::dataset::{load, LoadedFile};

/// The starter set's bytes, as shipped in `public/`.
pub const STARTER_JSONL: &str = include_str!("../../../public/starter.jsonl");
/// The name the starter set is listed under.
pub const STARTER_NAME: &str = "starter.jsonl";

/// The starter set, read like any loaded data set.
pub fn starter_file() -> LoadedFile {
    load(STARTER_NAME, STARTER_JSONL.as_bytes())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::engine::dataset::{Checklist, HUMAN_VERDICT};
    use crate::engine::pipeline::generate::{judge_request, Order};
    use crate::engine::prompt::GENRM_PROMPT;
    use crate::engine::verdict::read_verdict;

    #[track_caller]
    fn check(file: &LoadedFile, domains: &[(&str, usize)]) {
        assert!(file.bad_lines.is_empty(), "{:?}", file.bad_lines);
        assert!(
            (10..=15).contains(&file.records.len()),
            "{} rows",
            file.records.len()
        );
        let mut seen = BTreeMap::new();
        for record in &file.records {
            let line = record.line;
            let Some(Checklist::Items(items)) = &record.human else {
                panic!("line {line}: no human checklist");
            };
            assert!(
                (3..=7).contains(&items.len()),
                "line {line}: {} items",
                items.len()
            );
            assert!(
                items.iter().all(|i| i.split_whitespace().count() >= 4),
                "line {line}"
            );
            assert!(
                record.field(HUMAN_VERDICT).and_then(read_verdict).is_some(),
                "line {line}"
            );
            let row = file.raw_object(record).unwrap_or_default();
            assert!(
                judge_request(GENRM_PROMPT, &row, Order::AsGiven).is_ok(),
                "line {line}"
            );
            let domain = record.group("domain").unwrap_or_default();
            *seen.entry(domain).or_insert(0) += 1;
        }
        let seen: Vec<_> = seen.iter().map(|(d, n)| (d.as_str(), *n)).collect();
        assert_eq!(seen, domains);
    }

    #[test]
    fn the_starter_set_reads_cleanly_in_all_four_domains() {
        let file = starter_file();
        check(
            &file,
            &[
                ("code", 3),
                ("general", 3),
                ("multilingual", 3),
                ("stem", 3),
            ],
        );
        assert!(
            file.models.is_empty(),
            "no model columns: the candidate writes its own"
        );
    }
}
