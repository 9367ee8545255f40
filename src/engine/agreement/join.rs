//! Rows of two files of the same model joined: by `id` when every row of both has one, else by
//! the human checklist.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::engine::dataset::{Checklist, LoadedFile, Record};
use crate::engine::json::value_text;

/// What two files' rows were joined by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JoinKey {
    /// The `id` field, which every row of both files has.
    Id,
    /// The human checklist, item by item.
    HumanChecklist,
}

/// Two files' rows joined.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Joined {
    pub key: JoinKey,
    /// `(row of a, row of b)` as indices into each file's records, in `a`'s order.
    pub pairs: Vec<(usize, usize)>,
    /// Rows of `a` with no row of `b` (or a second row with a key already seen).
    pub n_only_a: usize,
    /// Rows of `b` that no row of `a` joined.
    pub n_only_b: usize,
}

/// Joins the rows of `a` and `b`; a key seen twice in one file joins only its first row.
pub fn join_rows(a: &LoadedFile, b: &LoadedFile) -> Joined {
    let has_id = |file: &LoadedFile| file.records.iter().all(|r| r.field("id").is_some());
    let key = if has_id(a) && has_id(b) && !a.records.is_empty() {
        JoinKey::Id
    } else {
        JoinKey::HumanChecklist
    };
    let mut in_b: HashMap<String, usize> = HashMap::new();
    for (idx, record) in b.records.iter().enumerate() {
        if let Some(k) = row_key(record, key) {
            in_b.entry(k).or_insert(idx);
        }
    }
    let mut pairs = Vec::new();
    let mut used = vec![false; b.records.len()];
    for (idx, record) in a.records.iter().enumerate() {
        let found = row_key(record, key).and_then(|k| in_b.get(&k).copied());
        if let Some(b_idx) = found.filter(|&b_idx| !used[b_idx]) {
            used[b_idx] = true;
            pairs.push((idx, b_idx));
        }
    }
    Joined {
        key,
        n_only_a: a.records.len() - pairs.len(),
        n_only_b: b.records.len() - pairs.len(),
        pairs,
    }
}

/// The row's join key: its `id` as text, or its human items joined by a separator no item
/// holds (unit separator); `None` without one.
fn row_key(record: &Record, key: JoinKey) -> Option<String> {
    match key {
        JoinKey::Id => record.field("id").map(value_text),
        JoinKey::HumanChecklist => match &record.human {
            Some(Checklist::Items(items)) => Some(items.join("\u{1f}")),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::load;

    #[track_caller]
    fn check(a: &str, b: &str, key: JoinKey, pairs: &[(usize, usize)], only: (usize, usize)) {
        let joined = join_rows(&load("a", a.as_bytes()), &load("b", b.as_bytes()));
        assert_eq!(joined.key, key);
        assert_eq!(joined.pairs, pairs);
        assert_eq!((joined.n_only_a, joined.n_only_b), only);
    }

    #[test]
    fn ids_join_in_any_order() {
        check(
            "{\"id\": 1}\n{\"id\": 2}\n{\"id\": 3}\n",
            "{\"id\": 3}\n{\"id\": 1}\n{\"id\": 9}\n",
            JoinKey::Id,
            &[(0, 1), (2, 0)],
            (1, 1),
        );
    }

    #[test]
    fn without_ids_the_human_checklist_joins() {
        check(
            "{\"id\": 1, \"human-checklist\": [\"x\", \"y\"]}\n{\"human-checklist\": [\"z\"]}\n",
            concat!(
                "{\"human-checklist\": [\"z\"]}\n",
                "{\"human-checklist\": [\"x\", \"y\"]}\n",
                "{\"human-checklist\": [\"z\"]}\n",
            ),
            JoinKey::HumanChecklist,
            &[(0, 1), (1, 0)],
            (0, 1),
        );
        // A key seen twice joins once: the second row of `a` finds its partner taken.
        check(
            "{\"id\": 1}\n{\"id\": 1}\n",
            "{\"id\": 1}\n",
            JoinKey::Id,
            &[(0, 0)],
            (1, 0),
        );
    }
}
