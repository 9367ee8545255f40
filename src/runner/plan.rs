//! A run's settings and its plan: which (row, model) pairs to send with the request each
//! sends, and which not and why.

use std::collections::HashSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::evaluation::Evaluation;
use super::policy::RetryPolicy;
use super::progress::Prices;
use super::request::{PromptSource, Request};
use crate::engine::chat::ChatOptions;
use crate::engine::dataset::LoadedFile;
use crate::engine::pipeline::{Stage, Structured};
use crate::engine::prompt::METAJUDGE_TEMPLATE;

// The token field is part of the request body, which `engine::chat` builds.
pub use crate::engine::chat::TokenField;

/// Everything a run is made with except the key, which is kept apart (see `RunInfo`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSettings {
    pub base_url: String,
    pub judge_model: String,
    /// `None`: leave the temperature to the server (some models accept only their default).
    pub temperature: Option<f64>,
    pub max_tokens: u32,
    pub token_field: TokenField,
    pub concurrency: usize,
    pub retry: RetryPolicy,
    pub timeout_s: f64,
    pub prices: Prices,
    pub budget: Option<f64>,
    pub template: String,
    /// Send only the model's first K items (the paper asks for a Top-5 list).
    pub top_k: Option<usize>,
    /// Do not pay for rows the figures leave out anyway (empty or over-long model checklist).
    pub skip_unscorable: bool,
    pub max_len: usize,
    /// The stage this run is (SPEC section 8); `template` is that stage's prompt. A run stored
    /// before stages existed has none, and is the matching.
    #[serde(default = "matching")]
    pub stage: Stage,
    /// JSON answers instead of free text (an option for weak models, off by default): a
    /// deviation from the reference method, recorded with the run and marked on the chart.
    #[serde(default)]
    pub structured: Structured,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            base_url: "https://api.openai.com/v1".into(),
            judge_model: String::new(),
            temperature: Some(0.6),
            max_tokens: 8192,
            token_field: TokenField::MaxTokens,
            concurrency: 8,
            retry: RetryPolicy::default(),
            timeout_s: 120.0,
            prices: Prices::default(),
            budget: None,
            template: METAJUDGE_TEMPLATE.to_string(),
            top_k: None,
            skip_unscorable: true,
            max_len: 10,
            stage: Stage::Match,
            structured: Structured::Off,
        }
    }
}

impl RunSettings {
    /// The request settings of every body this run sends, from the page or in a batch file.
    pub fn chat_options(&self) -> ChatOptions {
        ChatOptions {
            model: self.judge_model.clone(),
            temperature: self.temperature,
            max_tokens: self.max_tokens,
            token_field: self.token_field,
            response_format: self.structured.response_format(self.stage),
        }
    }
}

/// A run as stored: what it judges, with what, and (only if the user asked) the key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    pub id: String,
    pub created_ms: f64,
    pub dataset_name: String,
    pub models: Vec<String>,
    pub settings: RunSettings,
    /// Present only when the user ticked "remember key".
    pub api_key: Option<String>,
    /// The evaluation this run is a stage of; none for a matching run of its own (and for
    /// every run stored before evaluations existed).
    #[serde(default)]
    pub evaluation: Option<Evaluation>,
}

impl RunInfo {
    /// This run, or a stage of its evaluation, asked for structured answers instead of the
    /// reference method's free text.
    pub fn structured_answers(&self) -> bool {
        self.settings.structured.is_on() || self.evaluation.as_ref().is_some_and(|e| e.structured)
    }
}

/// One (row, model) pair to send. Its request was checked when the plan was made and is filled
/// only when sent, so the driver cannot fail to build it and the plan holds no prompt text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub line: usize,
    pub model: String,
    pub request: Request,
}

/// The pairs to send, in row order (all models of a row together, so partial results cover
/// every model evenly), and the pairs left out with the reason.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub items: Vec<Item>,
    /// Pairs that already have a stored answer (never sent again).
    pub n_answered: usize,
    /// `(line, model, reason)` of pairs that are not sent.
    pub left_out: Vec<(usize, String, String)>,
}

impl Plan {
    /// The plan for `models` of `dataset`; `answered` holds `(line, model)` pairs already stored.
    pub fn new(
        dataset: &Arc<LoadedFile>,
        models: &[usize],
        settings: &RunSettings,
        answered: &HashSet<(usize, String)>,
    ) -> Self {
        let source = PromptSource::new(
            dataset.clone(),
            settings.template.clone(),
            settings.top_k,
            settings.skip_unscorable.then_some(settings.max_len),
        );
        let named: Vec<(usize, String)> = models
            .iter()
            .filter_map(|&idx| Some((idx, dataset.models.get(idx)?.clone())))
            .collect();
        Plan::collect(dataset, &source, &named, answered)
    }

    /// The plan of a stage before the matching (Generate, Swap, Decompose) over `models` by
    /// name: the candidate for Generate and Swap, the models whose answers Decompose reads.
    /// `answered` holds the `(line, model)` pairs this stage already stored.
    pub fn for_stage(
        dataset: &Arc<LoadedFile>,
        models: &[String],
        settings: &RunSettings,
        answered: &HashSet<(usize, String)>,
    ) -> Self {
        let source = PromptSource::for_stage(
            dataset.clone(),
            settings.template.clone(),
            settings.stage,
            models.to_vec(),
        );
        let named: Vec<(usize, String)> = models.iter().cloned().enumerate().collect();
        Plan::collect(dataset, &source, &named, answered)
    }

    /// Every (row, model) of `source` in row order: stored ones counted, the rest sent or
    /// left out with the reason. `models` pairs each model's index in `source` with its name.
    fn collect(
        dataset: &LoadedFile,
        source: &Arc<PromptSource>,
        models: &[(usize, String)],
        answered: &HashSet<(usize, String)>,
    ) -> Self {
        let mut plan = Plan::default();
        for (record_idx, record) in dataset.records.iter().enumerate() {
            for (model_idx, model) in models {
                if answered.contains(&(record.line, model.clone())) {
                    plan.n_answered += 1;
                    continue;
                }
                match Request::new(source, record_idx, *model_idx) {
                    Err(reason) => {
                        plan.left_out
                            .push((record.line, model.clone(), reason.to_string()))
                    }
                    Ok(request) => plan.items.push(Item {
                        line: record.line,
                        model: model.clone(),
                        request,
                    }),
                }
            }
        }
        plan
    }
}

/// The stage of a stored run without one: the matching, the only stage there was.
fn matching() -> Stage {
    Stage::Match
}

/// The storage key of a (run, model, line) answer; also used to order answers. Each stage of
/// an evaluation is a run of its own (see `runner::stages`), so the key needs no stage.
pub fn answer_key(run_id: &str, model: &str, line: usize) -> String {
    format!("{run_id}|{model}|{line:09}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::load;

    const DATASET: &str = concat!(
        r#"{"human-checklist": ["h"], "a-checklist": ["s"], "b-checklist": []}"#,
        "\n",
        r#"{"human-checklist": ["h"], "a-checklist": ["s","s","s","s","s","s","s","s","s","s","s"]}"#,
        "\n",
        r#"{"a-checklist": ["s"], "b-checklist": ["s"]}"#,
        "\n",
        r#"{"human-checklist": ["h"], "a-checklist": ["s"], "b-checklist": "x"}"#,
        "\n"
    );

    #[test]
    fn sends_what_can_count_and_says_why_the_rest_is_not_sent() {
        let dataset = Arc::new(load("d", DATASET.as_bytes()));
        let answered: HashSet<(usize, String)> = [(4, "a".to_string())].into_iter().collect();
        let plan = Plan::new(&dataset, &[0, 1], &RunSettings::default(), &answered);
        let items: Vec<(usize, &str)> = plan
            .items
            .iter()
            .map(|i| (i.line, i.model.as_str()))
            .collect();
        assert_eq!(items, [(1, "a")]);
        assert_eq!(plan.n_answered, 1);
        let left: Vec<(usize, &str)> = plan
            .left_out
            .iter()
            .map(|(l, m, _)| (*l, m.as_str()))
            .collect();
        assert_eq!(
            left,
            [(1, "b"), (2, "a"), (2, "b"), (3, "a"), (3, "b"), (4, "b")]
        );
        assert!(plan.left_out[1].2.contains("11 model items"));
        assert_eq!(plan.left_out[5].2, "the model checklist is a string");

        let all = RunSettings {
            skip_unscorable: false,
            ..RunSettings::default()
        };
        let plan = Plan::new(&dataset, &[0, 1], &all, &HashSet::new());
        assert_eq!(
            plan.items.len(),
            4,
            "rows 1a, 1b, 2a and 4a are sent when asked to send everything"
        );
    }

    /// Issue 7: every item carried its filled prompt (~3.6 KB with the reference template, so
    /// ~1.5 GB for 22,116 rows x 19 models before the first call). An item now holds its line,
    /// its model's name and a request of one shared pointer and two indices.
    #[test]
    fn an_item_holds_no_prompt_text() {
        assert!(std::mem::size_of::<Item>() <= 7 * std::mem::size_of::<usize>());
        let dataset = Arc::new(load("d", DATASET.as_bytes()));
        let all = RunSettings {
            skip_unscorable: false,
            ..RunSettings::default()
        };
        let plan = Plan::new(&dataset, &[0, 1], &all, &HashSet::new());
        assert_eq!(plan.items.len(), 4);
        let item = &plan.items[0];
        // The prompt is still there to send, built on demand: thousands of bytes, not held.
        assert!(item.request.text().len() > 3_500);
        // One source (with the one template) for all four items, sharing the data set.
        assert_eq!(Arc::strong_count(&dataset), 2);
        assert_eq!(item.model, "a");
    }

    /// Runs stored before stages existed have no `stage`: they read back as the matching.
    #[test]
    fn settings_stored_without_a_stage_are_the_matching() {
        let mut json = serde_json::to_value(RunSettings {
            stage: Stage::Generate,
            ..RunSettings::default()
        })
        .unwrap_or_default();
        let read = |json: &serde_json::Value| {
            serde_json::from_value::<RunSettings>(json.clone())
                .map(|s| s.stage)
                .ok()
        };
        assert_eq!(read(&json), Some(Stage::Generate));
        if let Some(object) = json.as_object_mut() {
            object.remove("stage");
        }
        assert_eq!(read(&json), Some(Stage::Match));
    }

    #[test]
    fn keys_sort_by_line_within_a_model() {
        assert!(answer_key("r", "m", 9) < answer_key("r", "m", 10));
    }
}
