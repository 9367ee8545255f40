//! The `custom_id` of a batch line (SPEC section 9): `mj1:<run id>:<stage>:<row index>:<model
//! index>`, which names the (row, model, stage) an answer belongs to, whatever order it comes in.

use std::fmt;
use std::str::FromStr;

// One stage type for the pipeline and its batch files: its `key` is the name in a `custom_id`.
pub use crate::engine::pipeline::Stage;

/// The version prefix: a later format gets a new one, so old files are never misread.
pub const PREFIX: &str = "mj1";

/// One call of a run: row `row_idx` (0-based among the data set's rows) for the run's model
/// `model_idx` (0-based in the run's model list), in `stage`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CustomId {
    pub run_id: String,
    pub stage: Stage,
    pub row_idx: usize,
    pub model_idx: usize,
}

/// Why a `custom_id` cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CustomIdError {
    #[error("not a metajudge id (it does not start with `mj1:`)")]
    NotOurs,
    #[error("expected 5 parts `mj1:run:stage:row:model`, found {0}")]
    Parts(usize),
    #[error("empty run id")]
    NoRun,
    #[error("unknown stage `{0}` (generate, swap, decompose or match)")]
    Stage(String),
    #[error("the {what} index `{found}` is not a whole number")]
    Index { what: &'static str, found: String },
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl fmt::Display for CustomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{PREFIX}:{}:{}:{}:{}",
            self.run_id, self.stage, self.row_idx, self.model_idx
        )
    }
}

impl FromStr for CustomId {
    type Err = CustomIdError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let rest = text
            .strip_prefix(PREFIX)
            .and_then(|r| r.strip_prefix(':'))
            .ok_or(CustomIdError::NotOurs)?;
        let parts: Vec<&str> = rest.split(':').collect();
        let [run_id, stage, row, model] = parts[..] else {
            return Err(CustomIdError::Parts(parts.len() + 1));
        };
        if run_id.is_empty() {
            return Err(CustomIdError::NoRun);
        }
        let stage = Stage::from_key(stage).ok_or_else(|| CustomIdError::Stage(stage.into()))?;
        Ok(CustomId {
            run_id: run_id.to_string(),
            stage,
            row_idx: index("row", row)?,
            model_idx: index("model", model)?,
        })
    }
}

/// A plain decimal index: digits only, so `+1`, ` 1` or `1e3` are not the same call as `1`.
fn index(what: &'static str, text: &str) -> Result<usize, CustomIdError> {
    let bad = || CustomIdError::Index {
        what,
        found: text.to_string(),
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    text.parse().map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expected: Result<CustomId, CustomIdError>) {
        let parsed = text.parse::<CustomId>();
        assert_eq!(parsed, expected, "{text}");
        if let Ok(id) = parsed {
            assert_eq!(id.to_string(), text, "formats back to the same text");
        }
    }

    fn id(run_id: &str, stage: Stage, row_idx: usize, model_idx: usize) -> CustomId {
        CustomId {
            run_id: run_id.into(),
            stage,
            row_idx,
            model_idx,
        }
    }

    #[test]
    fn ids_round_trip_for_every_stage() {
        check("mj1:run-17:match:0:0", Ok(id("run-17", Stage::Match, 0, 0)));
        check(
            "mj1:r:generate:22115:18",
            Ok(id("r", Stage::Generate, 22115, 18)),
        );
        check("mj1:r:swap:3:1", Ok(id("r", Stage::Swap, 3, 1)));
        check("mj1:r:decompose:4:2", Ok(id("r", Stage::Decompose, 4, 2)));
        for stage in Stage::ALL {
            assert_eq!(Stage::from_key(&stage.to_string()), Some(stage));
        }
    }

    #[test]
    fn malformed_ids_say_what_is_wrong() {
        check("request-1", Err(CustomIdError::NotOurs));
        check("mj2:r:match:0:0", Err(CustomIdError::NotOurs));
        check("mj1:r:match:0", Err(CustomIdError::Parts(4)));
        check("mj1:a:b:match:0:0", Err(CustomIdError::Parts(6)));
        check("mj1::match:0:0", Err(CustomIdError::NoRun));
        check("mj1:r:Match:0:0", Err(CustomIdError::Stage("Match".into())));
        let index = |what, found: &str| {
            Err(CustomIdError::Index {
                what,
                found: found.into(),
            })
        };
        check("mj1:r:match:+1:0", index("row", "+1"));
        check("mj1:r:match:1: 0", index("model", " 0"));
        check("mj1:r:match::0", index("row", ""));
        check(
            "mj1:r:match:99999999999999999999999:0",
            index("row", "99999999999999999999999"),
        );
    }
}
