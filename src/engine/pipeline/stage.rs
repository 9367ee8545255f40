//! The stages of one evaluation (SPEC section 8), their names in batch `custom_id`s (SPEC
//! section 9), and the data-set fields each one writes.

use serde::{Deserialize, Serialize};

/// One stage of the pipeline: each is a run of its own over (row, model).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// The candidate answers the paper's judge prompt.
    Generate,
    /// The same with Response A and B exchanged; the verdict is mirrored back.
    Swap,
    /// Prose rationales turned into atomic items by the decomposition prompt.
    Decompose,
    /// The MetaJudge matching of the checklists (SPEC sections 2-4).
    Match,
}

/// The fields of a data-set row that a stage writes for one model; `None` where it writes
/// nothing of that kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields {
    pub generated_text: Option<String>,
    pub label: Option<String>,
    pub checklist: Option<String>,
}

/// What the swapped order's model is called: `<candidate>@swap`, scored as a model of its own.
pub const SWAP_SUFFIX: &str = "@swap";

impl Stage {
    /// Every stage, in the order a pipeline runs them.
    pub const ALL: [Stage; 4] = [Stage::Generate, Stage::Swap, Stage::Decompose, Stage::Match];

    /// The stage's name in a batch `custom_id` and in test hooks (`data-stage`).
    pub fn key(self) -> &'static str {
        match self {
            Stage::Generate => "generate",
            Stage::Swap => "swap",
            Stage::Decompose => "decompose",
            Stage::Match => "match",
        }
    }

    /// The stage a `custom_id` name stands for (exact spelling, as [`Stage::key`] writes it).
    pub fn from_key(key: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.key() == key)
    }

    /// The name of the model whose columns the stage writes for `model`: the swapped order is
    /// a model of its own, every other stage writes the model's own columns.
    pub fn column_model(self, model: &str) -> String {
        match self {
            Stage::Swap => swap_name(model),
            _ => model.to_string(),
        }
    }

    /// The data-set fields the stage writes for `model`. Generate and Swap write the answer,
    /// the verdict and the reasons; Decompose writes only the checklist (the model may be
    /// `human`, which makes it `human-checklist`); Match writes no data-set field, its answers
    /// go into the judged file.
    pub fn fields(self, model: &str) -> Fields {
        let name = self.column_model(model);
        match self {
            Stage::Generate | Stage::Swap => Fields {
                generated_text: Some(format!("{name}-generated_text")),
                label: Some(format!("{name}-label")),
                checklist: Some(format!("{name}-checklist")),
            },
            Stage::Decompose => Fields {
                generated_text: None,
                label: None,
                checklist: Some(format!("{name}-checklist")),
            },
            Stage::Match => Fields {
                generated_text: None,
                label: None,
                checklist: None,
            },
        }
    }
}

/// The model name of a candidate's swapped order.
pub fn swap_name(candidate: &str) -> String {
    format!("{candidate}{SWAP_SUFFIX}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(stage: Stage, model: &str, expected: [Option<&str>; 3]) {
        let fields = stage.fields(model);
        let got = [fields.generated_text, fields.label, fields.checklist];
        assert_eq!(got, expected.map(|f| f.map(str::to_string)), "{stage:?}");
    }

    #[test]
    fn each_stage_writes_its_own_fields() {
        check(
            Stage::Generate,
            "judge-x",
            [
                Some("judge-x-generated_text"),
                Some("judge-x-label"),
                Some("judge-x-checklist"),
            ],
        );
        check(
            Stage::Swap,
            "judge-x",
            [
                Some("judge-x@swap-generated_text"),
                Some("judge-x@swap-label"),
                Some("judge-x@swap-checklist"),
            ],
        );
        check(
            Stage::Decompose,
            "human",
            [None, None, Some("human-checklist")],
        );
        check(Stage::Match, "judge-x", [None, None, None]);
    }

    #[test]
    fn keys_are_the_custom_id_names_and_read_back() {
        let keys = Stage::ALL.map(Stage::key);
        assert_eq!(keys, ["generate", "swap", "decompose", "match"]);
        for stage in Stage::ALL {
            assert_eq!(Stage::from_key(stage.key()), Some(stage));
        }
        assert_eq!(Stage::from_key("Generate"), None);
        assert_eq!(Stage::from_key(""), None);
    }
}
