//! A run's settings and its plan: which (row, model) pairs to send with the request each
//! sends, and which not and why.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::policy::RetryPolicy;
use super::progress::Prices;
use crate::engine::dataset::{Checklist, LoadedFile};
use crate::engine::prompt::{record_prompt, METAJUDGE_TEMPLATE};

/// Which field carries the token limit: older and most compatible servers take `max_tokens`;
/// OpenAI's reasoning models only take `max_completion_tokens`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenField {
    #[default]
    MaxTokens,
    MaxCompletionTokens,
    /// Send no limit.
    None,
}

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
}

/// One (row, model) pair to send, with its filled prompt: the plan builds it once, so the
/// driver sends exactly what the plan decided could be sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Item {
    pub record_idx: usize,
    pub line: usize,
    pub model_idx: usize,
    pub model: String,
    pub prompt: String,
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
        dataset: &LoadedFile,
        models: &[usize],
        settings: &RunSettings,
        answered: &HashSet<(usize, String)>,
    ) -> Self {
        let mut plan = Plan::default();
        for (record_idx, record) in dataset.records.iter().enumerate() {
            for &model_idx in models {
                let Some(model) = dataset.models.get(model_idx) else {
                    continue;
                };
                if answered.contains(&(record.line, model.clone())) {
                    plan.n_answered += 1;
                    continue;
                }
                let checklist = record.column(model_idx).and_then(|c| c.checklist.as_ref());
                let reason = match (checklist, &record.human) {
                    (None, _) => Some("no checklist of this model".to_string()),
                    (_, None) => Some("no human-checklist".to_string()),
                    (Some(Checklist::NotAList(found)), _) => {
                        Some(format!("the model checklist is {found}"))
                    }
                    (_, Some(Checklist::NotAList(found))) => {
                        Some(format!("the human checklist is {found}"))
                    }
                    (Some(Checklist::Items(items)), _)
                        if settings.skip_unscorable && items.is_empty() =>
                    {
                        Some("empty model checklist: the figures would skip it".to_string())
                    }
                    (Some(Checklist::Items(items)), _)
                        if settings.skip_unscorable && items.len() > settings.max_len =>
                    {
                        Some(format!(
                            "{} model items, over the maximum of {}: the figures would skip it",
                            items.len(),
                            settings.max_len
                        ))
                    }
                    _ => None,
                };
                let prompt = match reason {
                    Some(reason) => Err(reason),
                    None => record_prompt(record, model_idx, &settings.template, settings.top_k)
                        .ok_or_else(|| "the prompt cannot be built from this row".to_string()),
                };
                match prompt {
                    Err(reason) => plan.left_out.push((record.line, model.clone(), reason)),
                    Ok(prompt) => plan.items.push(Item {
                        record_idx,
                        line: record.line,
                        model_idx,
                        model: model.clone(),
                        prompt,
                    }),
                }
            }
        }
        plan
    }
}

/// The storage key of a (run, model, line) answer; also used to order answers.
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
        let dataset = load("d", DATASET.as_bytes());
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

    #[test]
    fn keys_sort_by_line_within_a_model() {
        assert!(answer_key("r", "m", 9) < answer_key("r", "m", 10));
    }
}
