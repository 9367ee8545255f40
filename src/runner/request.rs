//! A planned request of any stage (SPEC section 8): checked once when the plan is made, filled
//! only when it is sent, so the driver cannot fail to build it and a plan holds no prompt text.
//! The matching fills the MetaJudge template with two checklists; Generate and Swap send the
//! judge prompt with the row's conversation; Decompose fills the decomposition prompt.

use std::fmt;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::engine::dataset::{Checklist, LoadedFile};
use crate::engine::pipeline::{
    decompose_request, judge_request, FieldMapping, Order, RequestError, Stage,
};
use crate::engine::prompt::build_prompt;

/// What every request of a plan is built from, shared by all of them (one copy of the
/// template, however many rows).
#[derive(Debug)]
pub struct PromptSource {
    file: Arc<LoadedFile>,
    template: String,
    top_k: Option<usize>,
    /// `Some(max_len)`: leave out the rows the figures skip (empty or over-long model list).
    skip_over: Option<usize>,
    stage: Stage,
    /// The models a request's `model_idx` names in the stages before the matching (whose
    /// models are not yet columns of the data set); empty for the matching.
    models: Vec<String>,
}

/// The request of one (row, model) pair, known to be buildable: made only by [`Request::new`],
/// which checked both checklists, so [`Request::text`] cannot fail.
#[derive(Clone)]
pub struct Request {
    source: Arc<PromptSource>,
    record_idx: usize,
    model_idx: usize,
}

/// Why a (row, model) pair is not sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LeftOut {
    #[error("no such row")]
    NoRow,
    #[error("no checklist of this model")]
    NoModelChecklist,
    #[error("no human-checklist")]
    NoHumanChecklist,
    #[error("the model checklist is {0}")]
    ModelNotAList(String),
    #[error("the human checklist is {0}")]
    HumanNotAList(String),
    #[error("empty model checklist: the figures would skip it")]
    Empty,
    #[error("{n_items} model items, over the maximum of {max_len}: the figures would skip it")]
    TooLong { n_items: usize, max_len: usize },
    #[error("the row cannot be asked: {0}")]
    NotAskable(RequestError),
}

impl PromptSource {
    /// The source of `file`'s requests, filled into `template` with the model's first `top_k`
    /// items; with `skip_over: Some(max_len)`, rows the figures would skip are left out.
    pub fn new(
        file: Arc<LoadedFile>,
        template: String,
        top_k: Option<usize>,
        skip_over: Option<usize>,
    ) -> Arc<Self> {
        Arc::new(PromptSource {
            file,
            template,
            top_k,
            skip_over,
            stage: Stage::Match,
            models: Vec::new(),
        })
    }

    /// The source of a stage before the matching: `template` is that stage's prompt (the judge
    /// prompt for Generate and Swap, the decomposition prompt for Decompose), `models` the
    /// names a request's model index picks (for Decompose, whose `-generated_text` is read).
    pub fn for_stage(
        file: Arc<LoadedFile>,
        template: String,
        stage: Stage,
        models: Vec<String>,
    ) -> Arc<Self> {
        Arc::new(PromptSource {
            file,
            template,
            top_k: None,
            skip_over: None,
            stage,
            models,
        })
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }
}

impl Request {
    /// The request of row `record_idx` for model `model_idx`, or why it is not sent.
    pub fn new(
        source: &Arc<PromptSource>,
        record_idx: usize,
        model_idx: usize,
    ) -> Result<Request, LeftOut> {
        if source.stage != Stage::Match {
            stage_text(source, record_idx, model_idx)?;
            return Ok(Request {
                source: source.clone(),
                record_idx,
                model_idx,
            });
        }
        let (model_items, _) = lists(&source.file, record_idx, model_idx)?;
        match source.skip_over {
            Some(_) if model_items.is_empty() => return Err(LeftOut::Empty),
            Some(max_len) if model_items.len() > max_len => {
                return Err(LeftOut::TooLong {
                    n_items: model_items.len(),
                    max_len,
                })
            }
            _ => {}
        }
        Ok(Request {
            source: source.clone(),
            record_idx,
            model_idx,
        })
    }

    /// The filled prompt, built now (right before sending) rather than held by the plan.
    pub fn text(&self) -> String {
        let source = &self.source;
        if source.stage != Stage::Match {
            // Checked by `new` on the same shared file, like the matching's lists below.
            return stage_text(source, self.record_idx, self.model_idx).unwrap_or_default();
        }
        // `new` checked these very lists, and the shared file cannot change since, so the
        // fallback is never taken; it only spares the driver an error it cannot get.
        let (model_items, human_items) =
            lists(&source.file, self.record_idx, self.model_idx).unwrap_or_default();
        build_prompt(&source.template, model_items, human_items, source.top_k)
    }

    pub fn record_idx(&self) -> usize {
        self.record_idx
    }

    pub fn model_idx(&self) -> usize {
        self.model_idx
    }

    /// The stage this request belongs to (which reader judges its answers).
    pub fn stage(&self) -> Stage {
        self.source.stage
    }
}

/// Two requests are equal when they fill the same source with the same row and model.
impl PartialEq for Request {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.source, &other.source)
            && (self.record_idx, self.model_idx) == (other.record_idx, other.model_idx)
    }
}

impl Eq for Request {}

/// Leaves the shared source out: printing it would print the whole data set.
impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("record_idx", &self.record_idx)
            .field("model_idx", &self.model_idx)
            .finish()
    }
}

/// The request of a stage before the matching, from the row as written in the file.
fn stage_text(
    source: &PromptSource,
    record_idx: usize,
    model_idx: usize,
) -> Result<String, LeftOut> {
    let row = row(&source.file, record_idx)?;
    let asked = match source.stage {
        Stage::Generate => judge_request(&source.template, &row, Order::AsGiven),
        Stage::Swap => judge_request(&source.template, &row, Order::Swapped),
        Stage::Decompose => {
            let model = source.models.get(model_idx).ok_or(LeftOut::NoRow)?;
            decompose_request(&source.template, &row, &FieldMapping::for_model(model))
        }
        Stage::Match => return Err(LeftOut::NoRow),
    };
    asked.map_err(LeftOut::NotAskable)
}

fn row(file: &LoadedFile, record_idx: usize) -> Result<Map<String, Value>, LeftOut> {
    let record = file.records.get(record_idx).ok_or(LeftOut::NoRow)?;
    file.data_row(record).ok_or(LeftOut::NoRow)
}

/// The model's and the human items of a row, the checks of `engine::prompt::record_prompt` in
/// the order the plan reports them.
fn lists(
    file: &LoadedFile,
    record_idx: usize,
    model_idx: usize,
) -> Result<(&[String], &[String]), LeftOut> {
    let record = file.records.get(record_idx).ok_or(LeftOut::NoRow)?;
    let checklist = record.column(model_idx).and_then(|c| c.checklist.as_ref());
    match (checklist, &record.human) {
        (None, _) => Err(LeftOut::NoModelChecklist),
        (_, None) => Err(LeftOut::NoHumanChecklist),
        (Some(Checklist::NotAList(found)), _) => Err(LeftOut::ModelNotAList(found.clone())),
        (_, Some(Checklist::NotAList(found))) => Err(LeftOut::HumanNotAList(found.clone())),
        (Some(Checklist::Items(model)), Some(Checklist::Items(human))) => Ok((model, human)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::load;
    use crate::engine::prompt::record_prompt;

    const DATASET: &str = concat!(
        r#"{"human-checklist": ["h"], "a-checklist": [" s ", "t"], "b-checklist": []}"#,
        "\n",
        r#"{"human-checklist": "x", "a-checklist": ["s"], "b-checklist": "y"}"#,
        "\n",
        r#"{"a-checklist": ["s"]}"#,
        "\n",
    );

    /// Checks the request of row `record_idx` for model `model_idx`, sending at most `skip_over`
    /// model items: its text is what `record_prompt` builds, or it is left out for `expected`.
    #[track_caller]
    fn check(
        record_idx: usize,
        model_idx: usize,
        skip_over: Option<usize>,
        expected: Result<(), LeftOut>,
    ) {
        let file = Arc::new(load("d", DATASET.as_bytes()));
        let template = "{source_list}|{target_list}".to_string();
        let source = PromptSource::new(file.clone(), template.clone(), Some(1), skip_over);
        let request = Request::new(&source, record_idx, model_idx);
        assert_eq!(request.clone().map(|_| ()), expected);
        if let Ok(request) = request {
            let record = &file.records[record_idx];
            let built = record_prompt(record, model_idx, &template, Some(1));
            assert_eq!(Some(request.text()), built);
        }
    }

    #[test]
    fn a_request_is_made_only_when_its_prompt_can_be_built() {
        check(0, 0, None, Ok(()));
        check(
            0,
            0,
            Some(1),
            Err(LeftOut::TooLong {
                n_items: 2,
                max_len: 1,
            }),
        );
        check(0, 1, None, Ok(()));
        check(0, 1, Some(10), Err(LeftOut::Empty));
        check(1, 0, None, Err(LeftOut::HumanNotAList("a string".into())));
        check(1, 1, None, Err(LeftOut::ModelNotAList("a string".into())));
        check(2, 0, None, Err(LeftOut::NoHumanChecklist));
        check(2, 1, None, Err(LeftOut::NoModelChecklist));
        check(3, 0, None, Err(LeftOut::NoRow));
    }
}
