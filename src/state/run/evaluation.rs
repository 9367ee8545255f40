//! "Evaluate a judge" (SPEC section 8): the stages of one evaluation run one after the
//! other, each a stored run of its own with its own `RunState`, except the matching, which
//! is the app's run (so the candidate reaches the chart, the leaderboard, the sample view and
//! the judged-file exports exactly as a matching run does). When a stage finishes, the next
//! one is made from the data set the earlier stages' stored answers give (`runner::stages`).

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::actions::{load_stored, RunError};
use super::RunState;
use crate::clock::epoch_ms;
use crate::engine::dataset::{load, LoadedFile};
use crate::engine::judged::JudgedAnswer;
use crate::engine::pipeline::Stage;
use crate::runner::batch::check_for_batch;
use crate::runner::diagnosis::Diagnosis;
use crate::runner::evaluation::{Evaluation, StageOptions};
use crate::runner::form::{FormError, RunForm};
use crate::runner::plan::{RunInfo, RunSettings};
use crate::runner::progress::Progress;
use crate::runner::stages::{remaining_budget, stage_rows, stage_settings, StageAnswers};
use crate::runner::status::RunStatus;
use crate::store;

/// An evaluation's signals: the candidate's endpoint, the chosen stages, the evaluation under
/// way and one run state per stage.
#[derive(Clone, Copy)]
pub struct EvalState {
    /// The candidate's endpoint (the matcher's is the app run's form).
    pub candidate: RwSignal<RunForm>,
    pub options: RwSignal<StageOptions>,
    pub current: RwSignal<Option<Evaluation>>,
    /// Why the evaluation could not start or go on.
    pub problem: RwSignal<Option<String>>,
    /// The data set with the candidate's columns, once every stage before the matching ran.
    pub columns: RwSignal<Option<Arc<LoadedFile>>>,
    pub testing: Memo<bool>,
    pub diagnosis: Signal<Option<Diagnosis>>,
    matcher: RunState,
    generate: RunState,
    swap: RunState,
    decompose: RunState,
    input: StoredValue<Option<Arc<LoadedFile>>>,
    /// Given the data set with the candidate's columns when the last stage finished.
    on_done: StoredValue<Option<Callback<Arc<LoadedFile>>>>,
    /// Stages are started only while the user wants the evaluation to go on.
    active: StoredValue<bool>,
    test: Action<RunForm, Diagnosis>,
}

impl EvalState {
    /// The evaluation's state, its matching done by `matcher` (the app's run), owned by the
    /// calling view.
    pub fn new(matcher: RunState) -> Self {
        let test =
            Action::new_local(|form: &RunForm| super::connection::test_connection(form.clone()));
        let testing = test.pending();
        let last_test = test.value();
        let state = EvalState {
            candidate: RwSignal::new(RunForm {
                settings: matcher.form.get_untracked().settings,
                ..RunForm::default()
            }),
            options: RwSignal::new(StageOptions::default()),
            current: RwSignal::new(None),
            problem: RwSignal::new(None),
            columns: RwSignal::new(None),
            testing,
            diagnosis: Signal::derive(move || if testing.get() { None } else { last_test.get() }),
            matcher,
            generate: RunState::new(RunForm::default()),
            swap: RunState::new(RunForm::default()),
            decompose: RunState::new(RunForm::default()),
            input: StoredValue::new(None),
            on_done: StoredValue::new(None),
            active: StoredValue::new(false),
            test,
        };
        for stage in Stage::ALL {
            state
                .runner(stage)
                .on_finished(Callback::new(move |()| state.go_on()));
        }
        state
    }

    /// The run state of one stage.
    pub fn runner(self, stage: Stage) -> RunState {
        match stage {
            Stage::Generate => self.generate,
            Stage::Swap => self.swap,
            Stage::Decompose => self.decompose,
            Stage::Match => self.matcher,
        }
    }

    /// Calls `done` with the data set holding the candidate's columns when an evaluation
    /// finishes its last stage.
    pub fn on_done(self, done: Callback<Arc<LoadedFile>>) {
        self.on_done.set_value(Some(done));
    }

    /// Tests the candidate's endpoint (the matcher's is the runner's "Test connection").
    pub fn test_candidate(self) {
        if !self.testing.get_untracked() {
            self.test.dispatch_local(self.candidate.get_untracked());
        }
    }

    /// Starts a new evaluation of the candidate on `input`.
    pub fn start(self, input: Option<Arc<LoadedFile>>) {
        let Some(input) = input else {
            return self.refuse(FormError::NoSource.to_string());
        };
        let candidate = self.candidate.get_untracked();
        let name = candidate.settings.judge_model.clone();
        let candidate_structured = candidate.settings.structured.is_on();
        // Batch files never hold a key or reach the endpoint: only the rest must be filled.
        let by_batch = self.options.with_untracked(|o| o.by_batch);
        let ready = |form: RunForm| {
            let form = RunForm {
                models: vec![name.clone()],
                ..form
            };
            if by_batch {
                check_for_batch(&form)
            } else {
                form.check()
            }
        };
        if let Err(why) = ready(candidate).and(ready(self.matcher.form.get_untracked())) {
            return self.refuse(why.to_string());
        }
        // As a matching run does: after a reload the matcher's form has its settings back.
        store::save_preferences(&self.matcher.form.with_untracked(|f| f.settings.clone()));
        let evaluation = Evaluation {
            id: format!("eval-{}", epoch_ms() as u64),
            candidate: name,
            options: self.options.get_untracked(),
            structured: candidate_structured
                || self
                    .matcher
                    .form
                    .with_untracked(|f| f.settings.structured.is_on()),
        };
        for stage in [Stage::Generate, Stage::Swap, Stage::Decompose] {
            let run = self.runner(stage);
            run.current.set(None);
            run.answers.set(Vec::new());
            run.status.set(RunStatus::Idle);
        }
        self.input.set_value(Some(input));
        self.columns.set(None);
        self.problem.set(None);
        self.current.set(Some(evaluation));
        self.resume();
    }

    /// Goes on with the evaluation: the first stage not finished is started or resumed.
    pub fn resume(self) {
        self.active.set_value(true);
        self.go_on();
    }

    /// Reopens a stored evaluation (after a reload) without sending anything: every stage
    /// stored so far, with its answers; the keys are asked again unless remembered.
    pub fn reopen(self, evaluation: Evaluation) {
        self.active.set_value(false);
        spawn_local(async move {
            if let Err(why) = self.reopen_stored(evaluation).await {
                self.refuse(why.to_string());
            }
        });
    }

    /// The stored evaluations, newest first, from the runs stored in this browser.
    pub fn stored(self) -> Vec<Evaluation> {
        let mut seen: Vec<Evaluation> = Vec::new();
        self.matcher.saved.with(|runs| {
            for evaluation in runs.iter().filter_map(|r| r.evaluation.clone()) {
                if !seen.iter().any(|e| e.id == evaluation.id) {
                    seen.push(evaluation);
                }
            }
        });
        seen
    }

    fn refuse(self, why: String) {
        self.active.set_value(false);
        self.problem.set(Some(why));
    }

    fn go_on(self) {
        if self.active.get_value() {
            spawn_local(async move {
                if let Err(why) = self.next_stage().await {
                    self.refuse(why.to_string());
                }
            });
        }
    }

    /// Starts or resumes the first stage not finished; when all are, the evaluation is done.
    async fn next_stage(self) -> Result<(), RunError> {
        let (Some(evaluation), Some(input)) =
            (self.current.get_untracked(), self.input.get_value())
        else {
            return Ok(());
        };
        for stage in evaluation.options.stages() {
            let run = self.runner(stage);
            let id = evaluation.run_id(stage);
            let made = run
                .current
                .with_untracked(|c| c.as_ref().is_some_and(|c| c.info.id == id));
            if stage == Stage::Match {
                self.columns
                    .set(Some(Arc::new(self.rows_before(&evaluation, &input, stage))));
            }
            if !made {
                return self.make_stage(&evaluation, &input, stage).await;
            }
            match run.status.get_untracked() {
                RunStatus::Finished => continue,
                status if status.is_busy() => return Ok(()),
                // The stage waits for its batch results (imported under its progress).
                _ if evaluation.options.by_batch => return Ok(()),
                _ => {
                    self.hand_key(stage);
                    run.resume(false);
                    return Ok(());
                }
            }
        }
        self.active.set_value(false);
        if let (Some(done), Some(columns)) =
            (self.on_done.get_value(), self.columns.get_untracked())
        {
            done.run(columns);
        }
        Ok(())
    }

    /// Stores the run of `stage` over the data set the earlier stages made, and starts it.
    async fn make_stage(
        self,
        evaluation: &Evaluation,
        input: &Arc<LoadedFile>,
        stage: Stage,
    ) -> Result<(), RunError> {
        let dataset = match stage {
            Stage::Generate => input.clone(),
            _ => Arc::new(self.rows_before(evaluation, input, stage)),
        };
        let form = self.endpoint(stage).get_untracked();
        let mut settings = stage_settings(&form.settings, stage);
        // One budget for the whole evaluation: this stage gets what the earlier ones left.
        settings.budget = remaining_budget(
            self.candidate.with_untracked(|f| f.settings.budget),
            self.spent_before(evaluation, stage),
        );
        let info = RunInfo {
            id: evaluation.run_id(stage),
            created_ms: epoch_ms(),
            dataset_name: input.name.clone(),
            models: evaluation.options.models(stage, &evaluation.candidate),
            settings,
            api_key: form.remember_key.then(|| form.api_key.clone()),
            evaluation: Some(evaluation.clone()),
        };
        store::save_run(&info).await?;
        store::save_dataset(&info.id, dataset.bytes()).await?;
        let run = self.runner(stage);
        run.answers.set(Vec::new());
        run.open(info, dataset);
        if !evaluation.options.by_batch {
            self.hand_key(stage);
            run.resume(false);
        }
        self.matcher.refresh_saved().await;
        // A stage with nothing to ask is done at once: the next one is made.
        if evaluation.options.by_batch && run.status.get_untracked() == RunStatus::Finished {
            self.go_on();
        }
        Ok(())
    }

    /// The input with the candidate's columns written from every stage before `stage`.
    fn rows_before(self, evaluation: &Evaluation, input: &LoadedFile, stage: Stage) -> LoadedFile {
        let earlier: Vec<(Stage, Vec<JudgedAnswer>)> = evaluation
            .options
            .stages()
            .into_iter()
            .take_while(|s| *s != stage)
            .map(|s| (s, self.runner(s).answers.get_untracked()))
            .collect();
        let earlier: Vec<StageAnswers> = earlier
            .iter()
            .map(|(stage, answers)| StageAnswers {
                stage: *stage,
                answers,
            })
            .collect();
        let rows = stage_rows(input, &evaluation.candidate, &earlier);
        let stem = input.name.trim_end_matches(".jsonl");
        load(
            &format!("{stem}+{}.jsonl", evaluation.candidate),
            rows.as_bytes(),
        )
    }

    /// The endpoint a stage asks: the candidate answers the judge prompt, the matcher
    /// decomposes and matches.
    /// What the stages before `stage` spent, each at its own run's prices.
    fn spent_before(self, evaluation: &Evaluation, stage: Stage) -> f64 {
        evaluation
            .options
            .stages()
            .into_iter()
            .take_while(|s| *s != stage)
            .map(|s| {
                let run = self.runner(s);
                let prices = run
                    .current
                    .with_untracked(|c| c.as_ref().map(|c| c.info.settings.prices))
                    .unwrap_or_default();
                run.answers
                    .with_untracked(|answers| Progress::new(answers, 0, prices, 0, 0.0).cost)
            })
            .sum()
    }

    fn endpoint(self, stage: Stage) -> RwSignal<RunForm> {
        match stage {
            Stage::Generate | Stage::Swap => self.candidate,
            Stage::Decompose | Stage::Match => self.matcher.form,
        }
    }

    /// Gives a stage's run the key of its endpoint (kept in memory only, as every key).
    fn hand_key(self, stage: Stage) {
        if stage == Stage::Match {
            return;
        }
        let run = self.runner(stage);
        let key = self.endpoint(stage).with_untracked(|f| f.api_key.clone());
        run.form.update(|f| f.api_key = key);
    }

    async fn reopen_stored(self, evaluation: Evaluation) -> Result<(), RunError> {
        let mut input = None;
        for stage in evaluation.options.stages() {
            let id = evaluation.run_id(stage);
            let stored = self
                .matcher
                .saved
                .with_untracked(|runs| runs.iter().any(|r| r.id == id));
            if !stored {
                break;
            }
            let (info, mut dataset, answers) = load_stored(&id).await?;
            dataset.name = info.dataset_name.clone();
            if stage == Stage::Generate {
                self.candidate.update(|f| {
                    // The form's template is the matching's (the stage's own is fixed).
                    f.settings = RunSettings {
                        template: f.settings.template.clone(),
                        stage: Stage::Match,
                        ..info.settings.clone()
                    };
                    if let Some(key) = &info.api_key {
                        f.api_key = key.clone();
                    }
                });
                input = Some(Arc::new(dataset.clone()));
            } else if let Some(key) = &info.api_key {
                self.endpoint(stage).update(|f| f.api_key = key.clone());
            }
            let run = self.runner(stage);
            run.answers.set(answers);
            run.open(info, Arc::new(dataset));
        }
        self.input.set_value(input);
        self.options.set(evaluation.options);
        self.problem.set(None);
        self.current.set(Some(evaluation));
        Ok(())
    }
}
