//! What the run's setup form holds, and whether a run can start from it.

use thiserror::Error;

use crate::engine::prompt::missing_placeholders;
use crate::runner::plan::RunSettings;

/// What the setup form holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunForm {
    pub settings: RunSettings,
    /// Kept in memory only, unless `remember_key` is ticked when the run starts.
    pub api_key: String,
    pub remember_key: bool,
    /// The loaded file (a data set, or a judged file to continue) by source id.
    pub source_id: Option<u32>,
    pub models: Vec<String>,
}

/// Why a run cannot start (or go on) from the form as it is.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum FormError {
    #[error("choose a loaded file to judge")]
    NoSource,
    #[error("enter the API key")]
    NoKey,
    #[error("enter the API key to send the remaining rows")]
    NoKeyToResume,
    #[error("enter the judge model")]
    NoJudgeModel,
    #[error("choose at least one model to judge")]
    NoModels,
    #[error("the prompt template lacks {}", .0.join(" and "))]
    MissingPlaceholders(Vec<&'static str>),
    #[error("the base URL must start with http:// or https://")]
    BadBaseUrl,
}

impl RunForm {
    /// What must be filled in before a run can start, the first problem found.
    pub fn check(&self) -> Result<(), FormError> {
        let missing = missing_placeholders(&self.settings.template);
        if self.api_key.trim().is_empty() {
            Err(FormError::NoKey)
        } else if self.settings.judge_model.trim().is_empty() {
            Err(FormError::NoJudgeModel)
        } else if self.models.is_empty() {
            Err(FormError::NoModels)
        } else if !missing.is_empty() {
            Err(FormError::MissingPlaceholders(missing))
        } else if !self.settings.base_url.trim().starts_with("http") {
            Err(FormError::BadBaseUrl)
        } else {
            Ok(())
        }
    }

    /// Whether the form can send the rows of a run already made (only the key is not stored
    /// with the run, unless the user asked).
    pub fn check_resume(&self) -> Result<(), FormError> {
        if self.api_key.trim().is_empty() {
            return Err(FormError::NoKeyToResume);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::prompt::METAJUDGE_TEMPLATE;

    /// A form a run can start from.
    fn ready() -> RunForm {
        RunForm {
            settings: RunSettings {
                base_url: "http://127.0.0.1:8787/v1".into(),
                judge_model: "judge-test".into(),
                ..RunSettings::default()
            },
            api_key: "test-key".into(),
            remember_key: false,
            source_id: Some(1),
            models: vec!["model-a".into()],
        }
    }

    #[track_caller]
    fn check(change: fn(&mut RunForm), expected: Result<(), &str>) {
        let mut form = ready();
        change(&mut form);
        assert_eq!(
            form.check().map_err(|e| e.to_string()),
            expected.map_err(str::to_string)
        );
    }

    #[test]
    fn a_filled_form_starts() {
        check(|_| {}, Ok(()));
        check(
            |f| f.settings.base_url = " https://api.openai.com/v1".into(),
            Ok(()),
        );
    }

    #[test]
    fn each_missing_field_is_named() {
        check(|f| f.api_key = "  ".into(), Err("enter the API key"));
        check(
            |f| f.settings.judge_model = String::new(),
            Err("enter the judge model"),
        );
        check(
            |f| f.models.clear(),
            Err("choose at least one model to judge"),
        );
        check(
            |f| f.settings.base_url = "127.0.0.1:8787/v1".into(),
            Err("the base URL must start with http:// or https://"),
        );
    }

    #[test]
    fn a_template_without_its_placeholders_is_refused() {
        check(
            |f| f.settings.template = "judge this".into(),
            Err("the prompt template lacks {source_list} and {target_list}"),
        );
        check(
            |f| f.settings.template = METAJUDGE_TEMPLATE.replace("{target_list}", ""),
            Err("the prompt template lacks {target_list}"),
        );
    }

    #[test]
    fn the_first_problem_wins() {
        check(
            |f| {
                f.api_key.clear();
                f.models.clear();
            },
            Err("enter the API key"),
        );
    }

    #[test]
    fn resuming_needs_only_the_key() {
        let mut form = RunForm::default();
        assert_eq!(form.check_resume(), Err(FormError::NoKeyToResume));
        form.api_key = "test-key".into();
        assert_eq!(form.check_resume(), Ok(()));
    }
}
