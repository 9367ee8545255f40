//! A run's judged file of one model, in the reference format (what "Export" downloads).

use leptos::prelude::*;

use super::RunState;
use crate::engine::judged::{judged_jsonl, public_endpoint, ExportContext};
use crate::engine::pipeline::Structured;

impl RunState {
    /// The judged file of one model of the current run: (file name, JSONL text).
    pub fn judged_export(self, model: &str) -> (String, String) {
        let answers = self.answers.get_untracked();
        self.current.with_untracked(|current| {
            let Some(current) = current else {
                return (String::new(), String::new());
            };
            let settings = &current.info.settings;
            let context = ExportContext {
                template: settings.template.clone(),
                top_k: settings.top_k,
                judge_model: settings.judge_model.clone(),
                endpoint: public_endpoint(&settings.base_url),
                run_id: current.info.id.clone(),
                dataset: current.info.dataset_name.clone(),
                // This stage's shape, or that an earlier stage of the evaluation asked for JSON.
                structured: current
                    .info
                    .structured_answers()
                    .then(|| match settings.structured {
                        Structured::Off => "earlier stages".to_string(),
                        on => on.key().to_string(),
                    }),
            };
            let idx = current.dataset.model_idx(model).unwrap_or_default();
            let stem = current.dataset.name.trim_end_matches(".jsonl");
            let name = format!("{stem}-{model}-{}-metajudge.jsonl", settings.judge_model)
                .replace(['/', '\\', ':', ' '], "_");
            (
                name,
                judged_jsonl(&current.dataset, idx, &answers, &context),
            )
        })
    }
}
