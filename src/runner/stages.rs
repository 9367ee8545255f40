//! The stages of one evaluation as runs (SPEC section 8): which stages run, what each sends
//! and to whom, and the data set each later stage reads, built from exactly the answers the
//! earlier ones stored. Each stage is a run of its own (its own run id, settings and answers,
//! stored like any run), so the journal, the retries and the reload of today's matching
//! serve every stage unchanged. What an evaluation is (its stages, its models) is
//! `runner::evaluation`.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::evaluation::Evaluation;
use super::plan::{Plan, RunSettings};
use super::progress::cost;
use crate::engine::dataset::LoadedFile;
use crate::engine::judged::JudgedAnswer;
use crate::engine::pipeline::{
    read_answer, read_claims, write_claims, write_judge_columns, Order, Stage,
};
use crate::engine::prompt::{DECOMPOSE_PROMPT, GENRM_PROMPT};

/// A stage's share of the plan, before anything is sent: calls, estimated tokens and cost.
#[derive(Clone, Debug, PartialEq)]
pub struct StageEstimate {
    pub stage: Stage,
    pub n_calls: usize,
    /// Rows the stage cannot ask (no response, say); for Decompose and Match, the rows
    /// Generate cannot ask.
    pub n_left_out: usize,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub cost: f64,
}

/// Answer lengths assumed before any answer exists, in tokens (capped by the max tokens):
/// the judge prompt asks for reasons and a verdict, the other two for short lists.
const JUDGE_ANSWER_TOKENS: u64 = 700;
const LIST_ANSWER_TOKENS: u64 = 250;
/// Characters per token of the estimate (the usual rule of thumb for English text).
const CHARS_PER_TOKEN: u64 = 4;

/// The answers one stage stored, for the stages after it.
#[derive(Clone, Copy, Debug)]
pub struct StageAnswers<'a> {
    pub stage: Stage,
    pub answers: &'a [JudgedAnswer],
}

/// The budget of a stage's run when the evaluation's budget is `total` and the stages before
/// it spent `spent_before` (each at its own endpoint's prices): what is left, never below 0
/// (a stage with nothing left stops before its first call).
pub fn remaining_budget(total: Option<f64>, spent_before: f64) -> Option<f64> {
    total.map(|budget| (budget - spent_before).max(0.0))
}

/// The settings of one stage's run: the endpoint's settings (the candidate's for Generate and
/// Swap, the matcher's for Decompose and Match) with the stage's prompt. The matching keeps
/// the endpoint's template (the user may have edited it).
pub fn stage_settings(endpoint: &RunSettings, stage: Stage) -> RunSettings {
    let template = match stage {
        Stage::Generate | Stage::Swap => GENRM_PROMPT.to_string(),
        Stage::Decompose => DECOMPOSE_PROMPT.to_string(),
        Stage::Match => endpoint.template.clone(),
    };
    RunSettings {
        template,
        stage,
        ..endpoint.clone()
    }
}

/// The plan of a whole evaluation over `input`, stage by stage. Generate and Swap are
/// counted from their real requests; Decompose and Match, whose requests hold answers that
/// do not exist yet, count one call per row Generate asks and per model, the prompt's length
/// plus half a judge answer each. Tokens are characters / 4; answers are assumed lengths.
pub fn estimate(
    input: &Arc<LoadedFile>,
    evaluation: &Evaluation,
    candidate: &RunSettings,
    matcher: &RunSettings,
) -> Vec<StageEstimate> {
    let names = [evaluation.candidate.clone()];
    let generate = Plan::for_stage(
        input,
        &names,
        &stage_settings(candidate, Stage::Generate),
        &HashSet::new(),
    );
    let n_asked = generate.items.len();
    evaluation
        .options
        .stages()
        .into_iter()
        .map(|stage| {
            let endpoint = match stage {
                Stage::Generate | Stage::Swap => candidate,
                Stage::Decompose | Stage::Match => matcher,
            };
            let settings = stage_settings(endpoint, stage);
            let answer = match stage {
                Stage::Generate | Stage::Swap => JUDGE_ANSWER_TOKENS,
                Stage::Decompose | Stage::Match => LIST_ANSWER_TOKENS,
            }
            .min(u64::from(settings.max_tokens));
            let (n_calls, n_chars) = match stage {
                Stage::Generate | Stage::Swap => {
                    let plan = Plan::for_stage(input, &names, &settings, &HashSet::new());
                    let chars = plan.items.iter().map(|i| i.request.text().len() as u64);
                    (plan.items.len(), chars.sum())
                }
                Stage::Decompose | Stage::Match => {
                    let n = n_asked
                        * evaluation
                            .options
                            .models(stage, &evaluation.candidate)
                            .len();
                    let per_call =
                        settings.template.len() as u64 + JUDGE_ANSWER_TOKENS * CHARS_PER_TOKEN / 2;
                    (n, n as u64 * per_call)
                }
            };
            let prompt_tokens = n_chars / CHARS_PER_TOKEN;
            let completion_tokens = n_calls as u64 * answer;
            StageEstimate {
                stage,
                n_calls,
                n_left_out: generate.left_out.len(),
                prompt_tokens,
                completion_tokens,
                cost: cost(prompt_tokens, completion_tokens, settings.prices),
            }
        })
        .collect()
}

/// The input rows with the candidate's columns written from the earlier stages' answers, as
/// JSONL in section 1's format: the data set the next stage reads, and the one the evaluation
/// exports. Each row stays on its line (a line the input could not read becomes a blank one),
/// so answers of every stage name the same lines. An answer without text (the stage failed
/// for that row) writes nothing: the later stage leaves that row out and says why.
pub fn stage_rows(input: &LoadedFile, candidate: &str, earlier: &[StageAnswers]) -> String {
    let mut by_line: HashMap<usize, Vec<(Stage, &JudgedAnswer)>> = HashMap::new();
    for stage in earlier {
        for answer in stage.answers {
            by_line
                .entry(answer.line)
                .or_default()
                .push((stage.stage, answer));
        }
    }
    let mut out = String::new();
    let mut n_lines = 0;
    for record in &input.records {
        let Some(mut row) = input.data_row(record) else {
            continue;
        };
        for (stage, answer) in by_line.get(&record.line).into_iter().flatten() {
            let Some(text) = &answer.text else {
                continue;
            };
            match stage {
                Stage::Generate => write_judge_columns(
                    &mut row,
                    candidate,
                    Order::AsGiven,
                    text,
                    &read_answer(text),
                ),
                Stage::Swap => write_judge_columns(
                    &mut row,
                    candidate,
                    Order::Swapped,
                    text,
                    &read_answer(text),
                ),
                Stage::Decompose => write_claims(&mut row, &answer.model, &read_claims(text)),
                Stage::Match => {}
            }
        }
        while n_lines + 1 < record.line {
            out.push('\n');
            n_lines += 1;
        }
        out.push_str(&serde_json::Value::Object(row).to_string());
        out.push('\n');
        n_lines += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::load;
    use crate::engine::judged::AnswerStatus;
    use crate::runner::evaluation::StageOptions;
    use crate::runner::progress::Prices;

    /// Row 1 is fine, line 2 is not JSON, row 3 has no second response, row 4 is fine.
    const INPUT: &str = concat!(
        r#"{"context": "q1", "response1": "a1", "response2": "b1", "human-checklist": ["h1"]}"#,
        "\nnot json\n",
        r#"{"context": "q3", "response1": "a3", "human-checklist": ["h3"]}"#,
        "\n",
        r#"{"context": "q4", "response1": "a4", "response2": "b4", "human-checklist": ["h4"]}"#,
        "\n",
    );

    const JUDGED: &str = "<RESULT_START>\n- first reason\n- second reason\n\
                          Final assessment: \\boxed{A>B}\n<RESULT_END>";
    const CLAIMS: &str = "<RESULT_START>\n- C1: one claim\nCLAIM_COUNT=1\n<RESULT_END>";

    fn input() -> Arc<LoadedFile> {
        Arc::new(load("in.jsonl", INPUT.as_bytes()))
    }

    /// A stored answer: with text a success, without one a failure.
    fn answer(line: usize, model: &str, text: Option<&str>) -> JudgedAnswer {
        let status = match text {
            Some(_) => AnswerStatus::Success,
            None => AnswerStatus::Error,
        };
        JudgedAnswer {
            line,
            model: model.into(),
            status,
            text: text.map(str::to_string),
            finish_reason: None,
            usage: None,
            billed: None,
            error: None,
            attempts: 1,
            elapsed_ms: 0.0,
        }
    }

    fn settings(stage: Stage) -> RunSettings {
        stage_settings(&RunSettings::default(), stage)
    }

    /// The `(line, model)` pairs a stage sends over `dataset`, with `answered` already stored,
    /// and the lines it leaves out.
    #[track_caller]
    fn check(
        dataset: &Arc<LoadedFile>,
        stage: Stage,
        models: &[String],
        answered: &[(usize, &str)],
        expected: (&[(usize, &str)], &[usize]),
    ) -> Plan {
        let answered: HashSet<(usize, String)> =
            answered.iter().map(|(l, m)| (*l, m.to_string())).collect();
        let settings = settings(stage);
        let plan = match stage {
            Stage::Match => {
                let idx: Vec<usize> = models.iter().filter_map(|m| dataset.model_idx(m)).collect();
                Plan::new(dataset, &idx, &settings, &answered)
            }
            _ => Plan::for_stage(dataset, models, &settings, &answered),
        };
        let sent: Vec<(usize, &str)> = plan
            .items
            .iter()
            .map(|i| (i.line, i.model.as_str()))
            .collect();
        let left: Vec<usize> = plan.left_out.iter().map(|(l, _, _)| *l).collect();
        assert_eq!((sent.as_slice(), left.as_slice()), expected, "{stage:?}");
        assert!(plan.items.iter().all(|i| i.request.stage() == stage));
        plan
    }

    #[test]
    fn stages_share_the_evaluations_budget() {
        assert_eq!(remaining_budget(None, 3.0), None);
        assert_eq!(remaining_budget(Some(1.0), 0.0), Some(1.0));
        assert_eq!(remaining_budget(Some(1.0), 0.25), Some(0.75));
        assert_eq!(remaining_budget(Some(1.0), 1.5), Some(0.0));
        // A budget of nothing left stops the stage before it sends anything.
        assert!(crate::runner::progress::budget_reached(
            0.0,
            0,
            0,
            remaining_budget(Some(1.0), 1.0)
        ));
    }

    #[test]
    fn the_stages_run_in_order_with_the_options_asked_for() {
        let all = StageOptions {
            swap: true,
            decompose: true,
            by_batch: false,
        };
        assert_eq!(
            StageOptions::default().stages(),
            [Stage::Generate, Stage::Match]
        );
        assert_eq!(all.stages(), Stage::ALL);
        assert_eq!(all.models(Stage::Swap, "c"), ["c"]);
        assert_eq!(all.models(Stage::Match, "c"), ["c", "c@swap"]);
        assert_eq!(StageOptions::default().models(Stage::Match, "c"), ["c"]);
        assert_eq!(settings(Stage::Generate).template, GENRM_PROMPT);
        assert_eq!(settings(Stage::Decompose).template, DECOMPOSE_PROMPT);
        assert_eq!(
            settings(Stage::Match).template,
            RunSettings::default().template
        );
    }

    #[test]
    fn the_plan_counts_calls_per_stage_and_prices_them_by_endpoint() {
        let evaluation = Evaluation {
            id: "eval-1".into(),
            candidate: "cand".into(),
            options: StageOptions {
                swap: true,
                decompose: false,
                by_batch: false,
            },
            structured: false,
        };
        let candidate = RunSettings {
            prices: Prices {
                input_per_million: 1e6,
                output_per_million: 0.0,
            },
            ..RunSettings::default()
        };
        let matcher = RunSettings {
            max_tokens: 100,
            ..RunSettings::default()
        };
        let plan = estimate(&input(), &evaluation, &candidate, &matcher);
        let calls: Vec<(Stage, usize, usize)> = plan
            .iter()
            .map(|e| (e.stage, e.n_calls, e.n_left_out))
            .collect();
        assert_eq!(
            calls,
            [
                (Stage::Generate, 2, 1),
                (Stage::Swap, 2, 1),
                (Stage::Match, 4, 1)
            ]
        );
        // A dollar per input token on the candidate: its cost is its prompt tokens.
        assert_eq!(plan[0].cost, plan[0].prompt_tokens as f64);
        assert!(plan[0].prompt_tokens > 2 * GENRM_PROMPT.len() as u64 / 4);
        assert_eq!(plan[0].completion_tokens, 2 * JUDGE_ANSWER_TOKENS);
        // The matcher answers at most its max tokens, and costs nothing here.
        assert_eq!((plan[2].completion_tokens, plan[2].cost), (400, 0.0));
        assert_eq!(evaluation.run_id(Stage::Swap), "eval-1-swap");
    }

    #[test]
    fn generate_sends_each_askable_row_once_and_never_a_stored_one() {
        let dataset = input();
        let candidate = ["cand".to_string()];
        let plan = check(
            &dataset,
            Stage::Generate,
            &candidate,
            &[],
            (&[(1, "cand"), (4, "cand")], &[3]),
        );
        assert_eq!(
            plan.left_out[0].2,
            "the row cannot be asked: no response2 field"
        );
        let text = plan.items[0].request.text();
        assert!(text.starts_with(GENRM_PROMPT.trim_end()) && text.ends_with("[Response B]\nb1"));
        let plan = check(
            &dataset,
            Stage::Swap,
            &candidate,
            &[(4, "cand")],
            (&[(1, "cand")], &[3]),
        );
        assert!(plan.items[0].request.text().ends_with("[Response B]\na1"));
        assert_eq!(plan.n_answered, 1);
    }

    #[test]
    fn match_reads_exactly_the_generated_checklists() {
        let dataset = input();
        let generated = [answer(1, "cand", Some(JUDGED)), answer(4, "cand", None)];
        let earlier = [StageAnswers {
            stage: Stage::Generate,
            answers: &generated,
        }];
        let rows = stage_rows(&dataset, "cand", &earlier);
        let next = Arc::new(load("next.jsonl", rows.as_bytes()));
        // Rows keep their lines; the failed row 4 has no checklist to match.
        let lines: Vec<usize> = next.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 3, 4]);
        let candidate = ["cand".to_string()];
        let plan = check(
            &next,
            Stage::Match,
            &candidate,
            &[],
            (&[(1, "cand")], &[3, 4]),
        );
        let text = plan.items[0].request.text();
        assert!(text.contains("first reason") && text.contains("second reason"));
        let row = next.data_row(&next.records[0]).unwrap_or_default();
        assert_eq!(row["cand-label"], "A>B");
        assert_eq!(row["cand-generated_text"], JUDGED);
        check(
            &next,
            Stage::Match,
            &candidate,
            &[(1, "cand")],
            (&[], &[3, 4]),
        );
    }

    #[test]
    fn decompose_feeds_its_claims_to_the_match_and_swap_is_a_model_of_its_own() {
        let dataset = input();
        let options = StageOptions {
            swap: true,
            decompose: true,
            by_batch: false,
        };
        let generated = [answer(1, "cand", Some(JUDGED))];
        let swapped = [answer(1, "cand", Some(JUDGED))];
        let mut earlier = vec![
            StageAnswers {
                stage: Stage::Generate,
                answers: &generated,
            },
            StageAnswers {
                stage: Stage::Swap,
                answers: &swapped,
            },
        ];
        let rows = stage_rows(&dataset, "cand", &earlier);
        let mid = Arc::new(load("mid.jsonl", rows.as_bytes()));
        let row = mid.data_row(&mid.records[0]).unwrap_or_default();
        assert_eq!(
            row["cand@swap-label"], "B>A",
            "the swapped verdict is mirrored back"
        );
        let models = options.models(Stage::Decompose, "cand");
        let plan = check(
            &mid,
            Stage::Decompose,
            &models,
            &[],
            (&[(1, "cand"), (1, "cand@swap")], &[3, 3, 4, 4]),
        );
        assert!(plan.items[0].request.text().contains("first reason"));
        let claims = [answer(1, "cand", Some(CLAIMS))];
        earlier.push(StageAnswers {
            stage: Stage::Decompose,
            answers: &claims,
        });
        let rows = stage_rows(&dataset, "cand", &earlier);
        let last = Arc::new(load("last.jsonl", rows.as_bytes()));
        let models = options.models(Stage::Match, "cand");
        let plan = check(
            &last,
            Stage::Match,
            &models,
            &[],
            (&[(1, "cand"), (1, "cand@swap")], &[3, 3, 4, 4]),
        );
        let text = plan.items[0].request.text();
        assert!(text.contains("one claim") && !text.contains("first reason"));
        assert!(plan.items[1].request.text().contains("first reason"));
    }
}
