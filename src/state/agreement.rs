//! The Agreement tab's state: which judged file belongs to which matcher and data set, the
//! pair of matchers compared, and their agreement, all derived by memos from the loaded files
//! and the runs.
//!
//! A file's matcher is the judge model its rows record (`metajudge.judge_model`, written by the
//! app's runner and by the demo); a file that records none belongs to [`UNNAMED_MATCHER`] until
//! the user names its matcher in the tab. Its data set is the one its rows record
//! (`metajudge.dataset`), else one the user names, else [`UNNAMED_DATASET`]. The demo's second
//! matcher lives here, not among the loaded files, so that the Overview shows the demo's first
//! matcher only; it counts while the demo is what the page shows.
//!
//! Runs are matchers too: the current matching run (its answers so far, as the leaderboard
//! shows them) and the stored runs the user added ([`KeptRuns`]), each judged by its judge
//! model. A run whose judge model already names another source's matcher goes by
//! `judge · run id`, so that two runs of one judge can be compared.

use std::sync::Arc;

use leptos::prelude::*;

use super::kept_runs::{run_files, KeptRuns};
use super::reports::run_file_name;
use super::run::RunState;
use crate::engine::agreement::{
    matcher_agreement, AgreementError, AgreementOptions, GroupBy, MatcherAgreement,
};
use crate::engine::dataset::{FileKind, LoadedFile};
use crate::engine::pipeline::Stage;
use crate::engine::source::Source;
use crate::engine::summary::Options;
use crate::runner::plan::RunInfo;

/// The matcher of a file whose rows record no judge model, until the user names one.
pub const UNNAMED_MATCHER: &str = "unnamed matcher";

/// The data set of a file whose rows record none, until the user names one.
pub const UNNAMED_DATASET: &str = "unnamed data set";

/// The data set of the demo's files.
const DEMO_DATASET: &str = "demo (synthetic)";

/// How many of the rows that differ most the tab lists per model.
const MOST_DIFFERING: usize = 5;

/// Where a judged file comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A file the user loaded (or the demo's first matcher).
    Loaded,
    /// The demo's second matcher.
    Demo,
    /// The current run.
    CurrentRun(String),
    /// A stored run the user added.
    StoredRun(String),
}

impl Origin {
    /// What the files table says in its "From" column.
    pub fn label(&self) -> String {
        match self {
            Origin::Loaded => "loaded file".into(),
            Origin::Demo => "synthetic demo".into(),
            Origin::CurrentRun(id) => format!("this run ({id})"),
            Origin::StoredRun(id) => format!("stored run {id}"),
        }
    }

    fn run_id(&self) -> Option<&str> {
        match self {
            Origin::CurrentRun(id) | Origin::StoredRun(id) => Some(id),
            _ => None,
        }
    }
}

/// A judged file, the matcher that scored it and the data set its rows come from.
#[derive(Clone, Debug)]
pub struct MatcherFile {
    pub file: Arc<LoadedFile>,
    pub matcher: String,
    /// True when the file itself (or its run) names its matcher (the user cannot rename it).
    pub recorded: bool,
    pub dataset: String,
    /// True when the file (or its run) names its data set.
    pub dataset_recorded: bool,
    /// True when the Samples tab can open the file (a loaded file or the current run).
    pub loaded: bool,
    pub origin: Origin,
}

impl PartialEq for MatcherFile {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.file, &other.file)
            && self.matcher == other.matcher
            && self.dataset == other.dataset
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
    /// Data sets the user named: `(file name, data set)`.
    pub named_datasets: RwSignal<Vec<(String, String)>>,
    /// Stored runs added as matchers.
    pub kept: KeptRuns,
    pub picked_a: RwSignal<Option<String>>,
    pub picked_b: RwSignal<Option<String>>,
    /// What rank agreement's leaderboards are made of.
    pub group_by: RwSignal<GroupBy>,
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
    pub(super) fn new(
        sources: RwSignal<Vec<Source>>,
        options: RwSignal<Options>,
        run: RunState,
    ) -> Self {
        let demo_files = RwSignal::new(Vec::new());
        let named = RwSignal::new(Vec::<(String, String)>::new());
        let named_datasets = RwSignal::new(Vec::<(String, String)>::new());
        let kept = KeptRuns::new();
        let files = Memo::new(move |_| -> Vec<MatcherFile> {
            let (named, named_datasets) = (named.get(), named_datasets.get());
            let mut out: Vec<MatcherFile> = sources.with(|sources| {
                let showing_demo = sources.iter().any(|s| s.demo);
                let loaded = sources
                    .iter()
                    .map(|s| (s.file.clone(), s.demo, Origin::Loaded));
                let demo = demo_files
                    .get()
                    .into_iter()
                    .filter(|_| showing_demo)
                    .map(|f| (f, true, Origin::Demo));
                loaded
                    .chain(demo)
                    .filter(|(f, _, _)| f.kind == Some(FileKind::Judged))
                    .map(|(file, demo, origin)| {
                        let dataset = (demo && recorded_dataset(&file).is_none())
                            .then(|| DEMO_DATASET.to_string());
                        matcher_file(file, origin, dataset, &named, &named_datasets)
                    })
                    .collect()
            });
            let answers = run.snapshot.get();
            run.current.with(|current| {
                let Some(current) = current.as_ref().filter(|c| is_matching(&c.info)) else {
                    return;
                };
                let name = run_file_name(
                    &current.info.dataset_name,
                    current.info.structured_answers(),
                );
                let files = run_files(&current.info, &current.dataset, &answers, &name);
                let origin = Origin::CurrentRun(current.info.id.clone());
                push_run(&mut out, &current.info, files, origin);
            });
            let current_id = run.current.with(|c| c.as_ref().map(|c| c.info.id.clone()));
            kept.runs.with(|runs| {
                for r in runs
                    .iter()
                    .filter(|r| Some(&r.info.id) != current_id.as_ref())
                {
                    let origin = Origin::StoredRun(r.info.id.clone());
                    push_run(&mut out, &r.info, r.files.clone(), origin);
                }
            });
            out
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
            named_datasets,
            kept,
            picked_a,
            picked_b,
            group_by: RwSignal::new(GroupBy::default()),
            files,
            matchers,
            matcher_a,
            matcher_b,
            result,
        }
    }

    /// Names the matcher of a file that records none; an empty name forgets it.
    pub fn name_matcher(self, file: &str, matcher: &str) {
        name_in(self.named, file, matcher);
    }

    /// Names the data set of a file that records none; an empty name forgets it.
    pub fn name_dataset(self, file: &str, dataset: &str) {
        name_in(self.named_datasets, file, dataset);
    }

    /// The file of that name judging that model (a run's files share one name).
    pub fn file(self, name: &str, model: &str) -> Option<Arc<LoadedFile>> {
        self.files.with(|files| {
            files
                .iter()
                .find(|f| {
                    f.file.name == name
                        && f.file
                            .judged_model
                            .and_then(|idx| f.file.models.get(idx))
                            .is_some_and(|m| m.eq_ignore_ascii_case(model))
                })
                .map(|f| f.file.clone())
        })
    }
}

fn name_in(names: RwSignal<Vec<(String, String)>>, file: &str, name: &str) {
    let name = name.trim().to_string();
    names.update(|names| {
        names.retain(|(f, _)| f != file);
        if !name.is_empty() {
            names.push((file.to_string(), name));
        }
    });
}

/// True for a run that matches (a matching run, or an evaluation's matching stage).
fn is_matching(info: &RunInfo) -> bool {
    info.settings.stage == Stage::Match
}

/// A run's files, judged by its judge model; by `judge · run id` when another source already
/// has a matcher of that name.
fn push_run(
    out: &mut Vec<MatcherFile>,
    info: &RunInfo,
    files: Vec<Arc<LoadedFile>>,
    origin: Origin,
) {
    let judge = info.settings.judge_model.trim().to_string();
    let taken = out
        .iter()
        .any(|f| f.matcher == judge && f.origin.run_id() != origin.run_id());
    let matcher = if taken {
        format!("{judge} \u{b7} {}", info.id)
    } else {
        judge
    };
    out.extend(files.into_iter().map(|file| MatcherFile {
        file,
        matcher: matcher.clone(),
        recorded: true,
        dataset: info.dataset_name.clone(),
        dataset_recorded: true,
        loaded: matches!(origin, Origin::CurrentRun(_)),
        origin: origin.clone(),
    }));
}

/// The judge model the file's first row records, when it records one.
pub fn recorded_matcher(file: &LoadedFile) -> Option<String> {
    recorded(file, "judge_model")
}

/// The data set the file's first row records, when it records one.
pub fn recorded_dataset(file: &LoadedFile) -> Option<String> {
    recorded(file, "dataset")
}

fn recorded(file: &LoadedFile, key: &str) -> Option<String> {
    let row = file.raw_object(file.records.first()?)?;
    let name = row.get("metajudge")?.get(key)?.as_str()?.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// A loaded or demo file with its matcher and data set: recorded, else named by the user, else
/// `dataset` (the demo's), else unnamed.
fn matcher_file(
    file: Arc<LoadedFile>,
    origin: Origin,
    dataset: Option<String>,
    named: &[(String, String)],
    named_datasets: &[(String, String)],
) -> MatcherFile {
    let named_for = |names: &[(String, String)]| {
        names
            .iter()
            .find(|(f, _)| *f == file.name)
            .map(|(_, n)| n.clone())
    };
    let recorded = recorded_matcher(&file);
    let matcher = recorded
        .clone()
        .or_else(|| named_for(named))
        .unwrap_or_else(|| UNNAMED_MATCHER.to_string());
    let recorded_set = recorded_dataset(&file).or(dataset);
    let dataset = recorded_set
        .clone()
        .or_else(|| named_for(named_datasets))
        .unwrap_or_else(|| UNNAMED_DATASET.to_string());
    MatcherFile {
        loaded: origin == Origin::Loaded,
        file,
        matcher,
        recorded: recorded.is_some(),
        dataset,
        dataset_recorded: recorded_set.is_some(),
        origin,
    }
}
