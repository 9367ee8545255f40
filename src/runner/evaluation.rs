//! What one evaluation is (SPEC section 8): its optional stages, the models each stage asks
//! about, and what its stage runs share. Plain vocabulary, stored with each stage's run.

use serde::{Deserialize, Serialize};

use crate::engine::pipeline::{swap_name, Stage};

/// The optional stages of an evaluation (Generate and Match always run), and how the stages
/// are sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageOptions {
    pub swap: bool,
    pub decompose: bool,
    /// Each stage is made without sending anything and handed to a batch engine (SPEC 9): its
    /// files are exported, the engine's results imported, and the next stage is made when the
    /// stage has every answer.
    #[serde(default)]
    pub by_batch: bool,
}

/// What the stage runs of one evaluation share, stored with each of them (`RunInfo`): a run id
/// of each stage is `<id>-<stage key>`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub id: String,
    /// The candidate's name, as its columns are named (its model at the endpoint).
    pub candidate: String,
    pub options: StageOptions,
    /// Some stage asks for structured answers (`pipeline::Structured`): a deviation from the
    /// reference method, which the evaluation's views say.
    #[serde(default)]
    pub structured: bool,
}

impl Evaluation {
    /// The run id of one stage.
    pub fn run_id(&self, stage: Stage) -> String {
        format!("{}-{}", self.id, stage.key())
    }
}

impl StageOptions {
    /// The stages to run, in order.
    pub fn stages(self) -> Vec<Stage> {
        Stage::ALL
            .into_iter()
            .filter(|stage| match stage {
                Stage::Swap => self.swap,
                Stage::Decompose => self.decompose,
                Stage::Generate | Stage::Match => true,
            })
            .collect()
    }

    /// The models a stage asks about: the candidate for Generate and Swap (the swapped order's
    /// answers are the candidate's, written as `<candidate>@swap`); the candidate and its
    /// swapped order for Decompose and Match.
    pub fn models(self, stage: Stage, candidate: &str) -> Vec<String> {
        let mut models = vec![candidate.to_string()];
        if self.swap && matches!(stage, Stage::Decompose | Stage::Match) {
            models.push(swap_name(candidate));
        }
        models
    }
}
