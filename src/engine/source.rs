//! A file on the page as plain data: the loaded file, whether it is the built-in demo, how long
//! it took to read, and the one line the file list says about it. Pure, so that the state that
//! keeps the files and the list that shows them share it without either using the other.

use std::sync::Arc;

use super::dataset::{FileKind, LoadedFile};
use super::summary::{evaluate_models_deferred, Deferred, Options, Scoring};

/// A loaded file.
#[derive(Clone, Debug)]
pub struct Source {
    pub id: u32,
    pub file: Arc<LoadedFile>,
    /// Built-in synthetic demo data, replaced by the user's first own file.
    pub demo: bool,
    /// Milliseconds from choosing the file to having it read, when the user chose it.
    pub load_ms: Option<f64>,
    /// Its reports, scored once when it was read (in the order of `file.scored_models()`):
    /// the page takes them, or their rows, while its options allow (see [`Source::reports`]).
    pub scored: Option<Arc<Scored>>,
}

/// A file's reports without intervals (and the jobs that give them), scored under `options`.
#[derive(Clone, Debug)]
pub struct Scored {
    pub options: Options,
    pub reports: Vec<Deferred>,
}

impl Source {
    /// The reports of every model the file scores under `options`: those scored when it was
    /// read when the options are the same; made from their rows when the options give the
    /// same rows (a new grouping, seed or threshold: no row scored again); else scored now.
    pub fn reports(&self, options: &Options) -> Vec<Deferred> {
        let models = self.file.scored_models();
        match &self.scored {
            Some(scored) if scored.options == *options => scored.reports.clone(),
            Some(scored)
                if scored.options.same_rows(options) && scored.reports.len() == models.len() =>
            {
                let scoring = Scoring::new(&self.file, options);
                models
                    .iter()
                    .zip(&scored.reports)
                    .map(|(&idx, before)| scoring.deferred_of_rows(idx, before.report.rows.clone()))
                    .collect()
            }
            _ => evaluate_models_deferred(&self.file, &models, options),
        }
    }
}

impl Source {
    /// Kind, rows, models, unreadable lines, reading time: e.g. `judged file, 60 rows, 1
    /// model(s), read in 12 ms`.
    pub fn facts(&self) -> String {
        let file = &self.file;
        let kind = match file.kind {
            Some(FileKind::Judged) => "judged file",
            Some(FileKind::Dataset) => "data set",
            None => "no rows",
        };
        let mut facts = format!(
            "{kind}, {} rows, {} model(s)",
            file.records.len(),
            file.models.len()
        );
        if !file.bad_lines.is_empty() {
            facts += &format!(", {} unreadable line(s)", file.bad_lines.len());
        }
        if let Some(ms) = self.load_ms {
            facts += &format!(", read in {ms:.0} ms");
        }
        if self.demo {
            facts += " (synthetic demo)";
        }
        facts
    }
}

/// `name`, or `name (2)`, `name (3)`, ... when `taken` says a file of that name is on the page.
pub fn unique_name(name: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut candidate = name.to_string();
    let mut n = 2;
    while taken(&candidate) {
        candidate = format!("{name} ({n})");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::load;

    #[track_caller]
    fn check(text: &str, demo: bool, load_ms: Option<f64>, expected: &str) {
        let source = Source {
            id: 0,
            file: Arc::new(load("f.jsonl", text.as_bytes())),
            demo,
            load_ms,
            scored: None,
        };
        assert_eq!(source.facts(), expected);
    }

    #[test]
    fn facts_name_kind_rows_models_and_problems() {
        let row =
            r#"{"samples": [], "metadata": {"human-checklist": ["h"], "m-checklist": ["s"]}}"#;
        check("", false, None, "no rows, 0 rows, 0 model(s)");
        check(
            &format!("{row}\n[1]"),
            false,
            Some(12.4),
            "judged file, 1 rows, 1 model(s), 1 unreadable line(s), read in 12 ms",
        );
        check(
            row,
            true,
            None,
            "judged file, 1 rows, 1 model(s) (synthetic demo)",
        );
    }

    #[test]
    fn names_on_the_page_get_a_number() {
        let taken = ["a.jsonl", "a.jsonl (2)"];
        let is_taken = |name: &str| taken.contains(&name);
        assert_eq!(unique_name("b.jsonl", is_taken), "b.jsonl");
        assert_eq!(unique_name("a.jsonl", is_taken), "a.jsonl (3)");
    }

    /// The reports a page takes from a file scored when it was read equal the reports scored
    /// afresh, whether the options are the same, change only what the figures make of the
    /// rows, or change the rows.
    #[test]
    fn reports_kept_from_reading_equal_reports_scored_afresh() {
        let bytes = include_bytes!("../../tests/fixtures/data/dataset-n50.jsonl");
        let file = Arc::new(load("d.jsonl", bytes));
        let read_with = Options::default();
        let source = Source {
            id: 0,
            file: file.clone(),
            demo: false,
            load_ms: None,
            scored: Some(Arc::new(Scored {
                options: read_with.clone(),
                reports: evaluate_models_deferred(&file, &file.scored_models(), &read_with),
            })),
        };
        let changes = [
            read_with.clone(),
            Options {
                group_by: "language".into(),
                seed: 7,
                resamples: 200,
                rfwr_threshold: 0.5,
                ..read_with.clone()
            },
            Options {
                breakdowns: false,
                ..read_with.clone()
            },
            Options {
                include_ties: true,
                ..read_with.clone()
            },
            Options {
                max_len: 2,
                ..read_with.clone()
            },
        ];
        for options in changes {
            let kept = source.reports(&options);
            let fresh = evaluate_models_deferred(&file, &file.scored_models(), &options);
            assert_eq!(kept.len(), fresh.len());
            for (kept, fresh) in kept.iter().zip(&fresh) {
                assert_eq!(kept.report, fresh.report, "{options:?}");
                assert_eq!(kept.job, fresh.job, "{options:?}");
            }
        }
    }
}
