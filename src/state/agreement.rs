//! The Agreement tab's state: which judged file belongs to which matcher, the pair of matchers
//! compared, and their agreement, all derived by memos from the loaded files.
//!
//! A file's matcher is the judge model its rows record (`metajudge.judge_model`, written by the
//! app's runner and by the demo); a file that records none belongs to [`UNNAMED_MATCHER`] until
//! the user names its matcher in the tab. The demo's second matcher lives here, not among the
//! loaded files, so that the Overview shows the demo's first matcher only; it counts while the
//! demo is what the page shows.

use std::sync::Arc;

use leptos::prelude::*;

use crate::engine::agreement::{
    matcher_agreement, AgreementError, AgreementOptions, MatcherAgreement,
};
use crate::engine::dataset::{FileKind, LoadedFile};
use crate::engine::source::Source;
use crate::engine::summary::Options;

/// The matcher of a file whose rows record no judge model, until the user names one.
pub const UNNAMED_MATCHER: &str = "unnamed matcher";

/// How many of the rows that differ most the tab lists per model.
const MOST_DIFFERING: usize = 5;

/// A judged file and the matcher that scored it.
#[derive(Clone, Debug)]
pub struct MatcherFile {
    pub file: Arc<LoadedFile>,
    pub matcher: String,
    /// True when the file itself names its matcher (the user cannot rename it).
    pub recorded: bool,
    /// True when the file is among the loaded files (the Samples tab can open it).
    pub loaded: bool,
}

impl PartialEq for MatcherFile {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.file, &other.file)
            && self.matcher == other.matcher
            && self.loaded == other.loaded
    }
}

/// The tab's signals and memos.
#[derive(Clone, Copy)]
pub struct AgreementState {
    /// The demo's second matcher's files (see the module doc).
    pub demo_files: RwSignal<Vec<Arc<LoadedFile>>>,
    /// Matchers the user named: `(file name, matcher)`.
    pub named: RwSignal<Vec<(String, String)>>,
    pub picked_a: RwSignal<Option<String>>,
    pub picked_b: RwSignal<Option<String>>,
    /// Every judged file with its matcher.
    pub files: Memo<Vec<MatcherFile>>,
    /// The matchers, in order of first file.
    pub matchers: Memo<Vec<String>>,
    /// The pair compared: the user's picks, else the first two matchers.
    pub matcher_a: Memo<Option<String>>,
    pub matcher_b: Memo<Option<String>>,
    /// The agreement of the pair, `None` while there is no pair of two matchers.
    pub result: Memo<Option<Result<MatcherAgreement, AgreementError>>>,
}

impl AgreementState {
    pub(super) fn new(sources: RwSignal<Vec<Source>>, options: RwSignal<Options>) -> Self {
        let demo_files = RwSignal::new(Vec::new());
        let named = RwSignal::new(Vec::<(String, String)>::new());
        let files = Memo::new(move |_| -> Vec<MatcherFile> {
            let named = named.get();
            sources.with(|sources| {
                let showing_demo = sources.iter().any(|s| s.demo);
                let loaded = sources.iter().map(|s| (s.file.clone(), true));
                let demo = demo_files
                    .get()
                    .into_iter()
                    .filter(|_| showing_demo)
                    .map(|f| (f, false));
                loaded
                    .chain(demo)
                    .filter(|(f, _)| f.kind == Some(FileKind::Judged))
                    .map(|(file, loaded)| matcher_file(file, loaded, &named))
                    .collect()
            })
        });
        let matchers = Memo::new(move |_| {
            let mut out: Vec<String> = Vec::new();
            for f in files.get().into_iter() {
                if !out.contains(&f.matcher) {
                    out.push(f.matcher);
                }
            }
            out
        });
        let picked_a = RwSignal::new(None::<String>);
        let picked_b = RwSignal::new(None::<String>);
        let pick = move |picked: RwSignal<Option<String>>, default_idx: usize| {
            Memo::new(move |_| {
                let all = matchers.get();
                picked
                    .get()
                    .filter(|m| all.contains(m))
                    .or_else(|| all.get(default_idx).cloned())
            })
        };
        let matcher_a = pick(picked_a, 0);
        let matcher_b = pick(picked_b, 1);
        let result = Memo::new(move |_| {
            let (a, b) = (matcher_a.get()?, matcher_b.get()?);
            let files = files.get();
            let side = |m: &str| -> Vec<LoadedFile> {
                files
                    .iter()
                    .filter(|f| f.matcher == m)
                    .map(|f| (*f.file).clone())
                    .collect()
            };
            let options = AgreementOptions {
                scoring: Options {
                    resamples: 0,
                    ..options.get()
                },
                most_differing: MOST_DIFFERING,
            };
            Some(matcher_agreement(&side(&a), &side(&b), &options))
        });
        AgreementState {
            demo_files,
            named,
            picked_a,
            picked_b,
            files,
            matchers,
            matcher_a,
            matcher_b,
            result,
        }
    }

    /// Names the matcher of a file that records none; an empty name forgets it.
    pub fn name_matcher(self, file: &str, matcher: &str) {
        let matcher = matcher.trim().to_string();
        self.named.update(|named| {
            named.retain(|(f, _)| f != file);
            if !matcher.is_empty() {
                named.push((file.to_string(), matcher));
            }
        });
    }

    /// The loaded or demo file of that name.
    pub fn file(self, name: &str) -> Option<Arc<LoadedFile>> {
        self.files.with(|files| {
            files
                .iter()
                .find(|f| f.file.name == name)
                .map(|f| f.file.clone())
        })
    }
}

/// The judge model the file's first row records, when it records one.
pub fn recorded_matcher(file: &LoadedFile) -> Option<String> {
    let row = file.raw_object(file.records.first()?)?;
    let name = row.get("metajudge")?.get("judge_model")?.as_str()?.trim();
    (!name.is_empty()).then(|| name.to_string())
}

fn matcher_file(file: Arc<LoadedFile>, loaded: bool, named: &[(String, String)]) -> MatcherFile {
    let recorded = recorded_matcher(&file);
    let matcher = recorded.clone().unwrap_or_else(|| {
        named
            .iter()
            .find(|(f, _)| *f == file.name)
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| UNNAMED_MATCHER.to_string())
    });
    MatcherFile {
        file,
        matcher,
        recorded: recorded.is_some(),
        loaded,
    }
}
