//! Stored runs the user added as matchers in the Agreement tab. Each one's data set and answers
//! are read back from storage once, when it is added, and kept in memory: a reload forgets
//! the choice (the run itself stays stored, and can be added again).

use std::sync::Arc;

use leptos::prelude::*;

use super::run::{load_stored, RunError};
use crate::engine::dataset::LoadedFile;
use crate::engine::judged::{live_view, JudgedAnswer};
use crate::runner::plan::RunInfo;
use crate::split::{later, Later};

/// A stored run read back, with one judged view per model it answered.
#[derive(Clone, Debug)]
pub struct KeptRun {
    pub info: RunInfo,
    pub files: Vec<Arc<LoadedFile>>,
}

/// The runs added, and what went wrong adding one.
#[derive(Clone, Copy)]
pub struct KeptRuns {
    pub runs: RwSignal<Vec<KeptRun>>,
    pub problem: RwSignal<Option<String>>,
    add: Action<String, ()>,
    /// A run is being read back.
    pub adding: Memo<bool>,
}

impl KeptRuns {
    pub(super) fn new() -> Self {
        let runs = RwSignal::new(Vec::<KeptRun>::new());
        let problem = RwSignal::new(None::<String>);
        let add = Action::new_local(move |run_id: &String| {
            let run_id = run_id.clone();
            async move {
                // Its code did not come, or the run could not be read: said the same way.
                let read = match read_back(run_id.clone()).await {
                    Ok(reading) => reading.await.map_err(|why| why.to_string()),
                    Err(failed) => Err(failed.to_string()),
                };
                match read {
                    Ok(kept) => {
                        problem.set(None);
                        runs.update(|runs| {
                            runs.retain(|r| r.info.id != run_id);
                            runs.push(kept);
                        });
                    }
                    Err(why) => problem.set(Some(format!("cannot add run {run_id}: {why}"))),
                }
            }
        });
        KeptRuns {
            runs,
            problem,
            add,
            adding: add.pending(),
        }
    }

    /// Reads the stored run back and adds it as a matcher.
    pub fn add(self, run_id: String) {
        self.add.dispatch_local(run_id);
    }

    /// Takes the run out of the matchers (it stays stored).
    pub fn remove(self, run_id: &str) {
        self.runs
            .update(|runs| runs.retain(|r| r.info.id != run_id));
    }

    /// True when the run is among the matchers.
    pub fn holds(self, run_id: &str) -> bool {
        self.runs
            .with(|runs| runs.iter().any(|r| r.info.id == run_id))
    }
}

later! {
    /// The stored run read back (its code loads after the first view).
    fn read_back(run_id: String) -> Later<Result<KeptRun, RunError>> {
        Box::pin(async move {
            let (info, dataset, answers) = load_stored(&run_id).await?;
            let name = format!("{} \u{b7} {}", info.dataset_name, info.id);
            let files = run_files(&info, &dataset, &answers, &name);
            Ok(KeptRun { info, files })
        })
    }
}

/// One judged view per model of the run that has answers, each named `name` (the model tells
/// them apart, as in the leaderboard).
pub fn run_files(
    info: &RunInfo,
    dataset: &LoadedFile,
    answers: &[JudgedAnswer],
    name: &str,
) -> Vec<Arc<LoadedFile>> {
    info.models
        .iter()
        .filter_map(|model| dataset.model_idx(model))
        .map(|idx| live_view(dataset, idx, answers, name))
        .filter(|view| !view.records.is_empty())
        .map(Arc::new)
        .collect()
}
