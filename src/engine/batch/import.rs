//! Batch output files -> a run's answers (SPEC section 9): lines in any order, files in any
//! order, each answer read like a page call's (by the stage's own reader, the [`Reader`] the
//! caller gives: `runner::attempt::format_problem`, which the page's calls go through), so the
//! figures after an import are those of an in-page run with the same answers.
//!
//! Per (row, model) at most one answer is taken: a readable one before an unreadable one, the
//! first read among equals; every other answer is a duplicate, ignored and counted, as is every
//! answer for a pair whose stored answer is as good (a stored successful one is never replaced). A failed call is kept only where
//! no answer is known. Lines that name another run, stage, row or model, malformed ids and
//! broken lines change nothing and are reported with their file and 1-based line.

use std::collections::HashMap;

use super::custom_id::{CustomId, Stage};
use super::output::{read_line, CallOutcome};
use super::summary::{Counts, ImportSummary, Problem, ProblemKind};
use crate::engine::dataset::LoadedFile;
use crate::engine::judged::{AnswerStatus, JudgedAnswer};
use crate::engine::pipeline::{read_owned, read_with, Structured};

/// A stage's reader of an answer: `None` when the stage accepts it, else why not (kept as the
/// format error). The page's own (`runner::attempt::format_problem`) is passed in, so that an
/// imported answer is judged by exactly the code that judges a page call.
pub type Reader = fn(Stage, &str) -> Option<String>;

/// The run an import fills: its id, the stage the files answer, its model list (the custom
/// ids' model indices) and the 1-based data-set line of each row index.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchRun {
    pub run_id: String,
    pub stage: Stage,
    pub models: Vec<String>,
    pub row_lines: Vec<usize>,
    /// The run asked for structured answers: each is turned into the reference text before
    /// the reader reads it, as a page call's is.
    pub structured: Structured,
}

/// The answers an import adds (to store; each replaces what is stored for its row and model)
/// and what it read.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// In model order, then data-set order.
    pub answers: Vec<JudgedAnswer>,
    pub summary: ImportSummary,
}

/// Reads output files one by one into a run.
#[derive(Clone, Debug)]
pub struct Importer {
    run: BatchRun,
    reader: Reader,
    /// Rank of the stored answer of each (row, model) pair.
    stored: HashMap<(usize, usize), Rank>,
    /// What this import read for each pair.
    read: HashMap<(usize, usize), Read>,
    problems: Vec<Problem>,
}

impl BatchRun {
    /// The run of `dataset` (each row's index is its position among the records).
    pub fn new(run_id: &str, stage: Stage, models: &[String], dataset: &LoadedFile) -> Self {
        BatchRun {
            run_id: run_id.to_string(),
            stage,
            models: models.to_vec(),
            row_lines: dataset.records.iter().map(|r| r.line).collect(),
            structured: Structured::Off,
        }
    }
}

/// Imports `files` (`(name, text)`) into `run`, which already holds `stored`, reading each
/// answer with `reader`.
pub fn import_results(
    run: BatchRun,
    stored: &[JudgedAnswer],
    reader: Reader,
    files: &[(String, String)],
) -> Imported {
    let mut importer = Importer::new(run, stored, reader);
    for (name, text) in files {
        importer.read_file(name, text);
    }
    importer.finish()
}

impl Importer {
    /// An importer into `run`, which already holds `stored` (the run's answers of this stage),
    /// reading answers with `reader`.
    pub fn new(run: BatchRun, stored: &[JudgedAnswer], reader: Reader) -> Self {
        let row_of: HashMap<usize, usize> = run
            .row_lines
            .iter()
            .enumerate()
            .map(|(row_idx, &line)| (line, row_idx))
            .collect();
        let mut known = HashMap::new();
        for answer in stored {
            let model_idx = run
                .models
                .iter()
                .position(|m| m.eq_ignore_ascii_case(&answer.model));
            if let (Some(&row_idx), Some(model_idx)) = (row_of.get(&answer.line), model_idx) {
                let rank = Rank::of(answer.status);
                let best = known.entry((row_idx, model_idx)).or_insert(rank);
                *best = (*best).max(rank);
            }
        }
        Importer {
            run,
            reader,
            stored: known,
            read: HashMap::new(),
            problems: Vec::new(),
        }
    }

    /// Reads one output file (blank lines skipped, CRLF and a BOM accepted).
    pub fn read_file(&mut self, name: &str, text: &str) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (idx, line) in text.split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if !line.trim().is_empty() {
                self.read_line(name, idx + 1, line);
            }
        }
    }

    /// The answers to store and the summary.
    pub fn finish(self) -> Imported {
        let n_models = self.run.models.len();
        let mut per_model = vec![Counts::default(); n_models];
        let mut answers = Vec::new();
        let mut pairs: Vec<((usize, usize), Read)> = self.read.into_iter().collect();
        pairs.sort_by_key(|&((row_idx, model_idx), _)| (model_idx, row_idx));
        for ((row_idx, model_idx), read) in pairs {
            let stored = self.stored.get(&(row_idx, model_idx)).copied();
            let counts = &mut per_model[model_idx];
            counts.failed += read.n_failed;
            let n_answers = read.n_answers;
            let taken = read
                .best
                .filter(|(rank, _)| stored.is_none_or(|s| *rank > s));
            let taken_is_answer = taken.as_ref().is_some_and(|(rank, _)| *rank > Rank::Failed);
            counts.duplicates += n_answers - usize::from(taken_is_answer);
            if let Some((rank, outcome)) = taken {
                if rank > Rank::Failed {
                    counts.answered += 1;
                    counts.unreadable += usize::from(rank == Rank::Unreadable);
                }
                let line = self.run.row_lines[row_idx];
                let model = &self.run.models[model_idx];
                answers.push(answer(line, model, outcome, self.reader, &self.run));
            }
        }
        let mut total = Counts::default();
        per_model.iter().for_each(|c| total.add(c));
        Imported {
            answers,
            summary: ImportSummary {
                total,
                per_model: self.run.models.into_iter().zip(per_model).collect(),
                problems: self.problems,
            },
        }
    }

    fn read_line(&mut self, file: &str, line: usize, text: &str) {
        let problem = |kind| Problem {
            file: file.to_string(),
            line,
            kind,
        };
        let result = match read_line(text) {
            Ok(result) => result,
            Err(e) => {
                return self
                    .problems
                    .push(problem(ProblemKind::Broken(e.to_string())))
            }
        };
        let custom_id = result.custom_id.unwrap_or_default();
        let key = match self.key(&custom_id) {
            Ok(key) => key,
            Err(reason) => {
                return self
                    .problems
                    .push(problem(ProblemKind::Foreign { custom_id, reason }))
            }
        };
        let rank = match &result.outcome {
            CallOutcome::Failed(_) => Rank::Failed,
            CallOutcome::Answered(reply)
                if read_with(
                    self.run.stage,
                    self.run.structured,
                    &reply.content,
                    self.reader,
                )
                .1
                .is_none() =>
            {
                Rank::Readable
            }
            CallOutcome::Answered(_) => Rank::Unreadable,
        };
        let read = self.read.entry(key).or_default();
        match rank {
            Rank::Failed => read.n_failed += 1,
            _ => read.n_answers += 1,
        }
        if read.best.as_ref().is_none_or(|(best, _)| rank > *best) {
            read.best = Some((rank, result.outcome));
        }
    }

    /// The (row, model) pair a `custom_id` names in this run, or why it names none.
    fn key(&self, custom_id: &str) -> Result<(usize, usize), String> {
        if custom_id.is_empty() {
            return Err("the line has no custom_id".into());
        }
        let id: CustomId = custom_id.parse().map_err(|e| format!("{e}"))?;
        let run = &self.run;
        if id.run_id != run.run_id {
            return Err(format!(
                "run `{}`, not this run `{}` (another data set, other request settings or another model list)",
                id.run_id, run.run_id
            ));
        }
        if id.stage != run.stage {
            return Err(format!(
                "stage {}, this import reads {}",
                id.stage, run.stage
            ));
        }
        if id.row_idx >= run.row_lines.len() {
            return Err(format!(
                "row {} is not in the data set ({} rows)",
                id.row_idx,
                run.row_lines.len()
            ));
        }
        if id.model_idx >= run.models.len() {
            return Err(format!(
                "model {} is not in the run ({} models)",
                id.model_idx,
                run.models.len()
            ));
        }
        Ok((id.row_idx, id.model_idx))
    }
}

/// How good what is known of a pair is: a readable answer beats an unreadable one, which
/// beats a failed call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Failed,
    Unreadable,
    Readable,
}

impl Rank {
    fn of(status: AnswerStatus) -> Rank {
        match status {
            AnswerStatus::Success => Rank::Readable,
            AnswerStatus::FormatError => Rank::Unreadable,
            AnswerStatus::Error => Rank::Failed,
        }
    }
}

/// What the lines of one pair said: the best outcome (first read among equals) and how many
/// answers and failed calls there were.
#[derive(Clone, Debug, Default)]
struct Read {
    best: Option<(Rank, CallOutcome)>,
    n_answers: usize,
    n_failed: usize,
}

/// The stored answer of one call: what the page stores after its last attempt.
fn answer(
    line: usize,
    model: &str,
    outcome: CallOutcome,
    reader: Reader,
    run: &BatchRun,
) -> JudgedAnswer {
    let (status, text, finish_reason, usage, error) = match outcome {
        CallOutcome::Failed(reason) => (AnswerStatus::Error, None, None, None, Some(reason)),
        CallOutcome::Answered(reply) => {
            let (text, error) = read_owned(run.stage, run.structured, reply.content, reader);
            let status = match error {
                None => AnswerStatus::Success,
                Some(_) => AnswerStatus::FormatError,
            };
            let usage = reply.usage;
            (status, Some(text), reply.finish_reason, usage, error)
        }
    };
    JudgedAnswer {
        line,
        model: model.to_string(),
        status,
        text,
        finish_reason,
        usage,
        billed: usage,
        error,
        attempts: 1,
        elapsed_ms: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::engine::dataset::load;
    use crate::engine::judged::live_view;
    use crate::engine::summary::{evaluate, Options};

    const DATASET: &str = concat!(
        r#"{"human-checklist": ["h1", "h2"], "a-checklist": ["s1", "s2"], "b-checklist": ["s1"], "overall_preference": -1, "a-label": "A>B", "b-label": "B>A"}"#,
        "\n\n",
        r#"{"human-checklist": ["h1"], "a-checklist": ["s1"], "b-checklist": ["s1", "s2"], "overall_preference": 2, "a-label": "B>A", "b-label": "B>A"}"#,
        "\n",
        r#"{"human-checklist": ["h1", "h2", "h3"], "a-checklist": ["s1"], "b-checklist": ["s1"], "overall_preference": 1}"#,
        "\n",
        r#"{"human-checklist": ["h1"], "a-checklist": ["s1", "s2", "s3"], "b-checklist": ["s1"]}"#,
        "\n"
    );
    const MODELS: [&str; 2] = ["a", "b"];

    /// A deterministic valid answer for row `row_idx` with `n_ref` human items.
    fn good(row_idx: usize, n_ref: usize) -> String {
        let lines: Vec<String> = (1..=n_ref)
            .map(|r| format!("- R{r}@S{}: {}", (r + row_idx) % 2, [0.5, 1.0][r % 2]))
            .collect();
        format!(
            "thinking\n<RESULT_START>\n{}\n<RESULT_END>",
            lines.join("\n")
        )
    }

    fn completion(content: &str) -> Value {
        json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
               "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}})
    }

    fn openai(id: &str, content: &str) -> String {
        json!({"id": "batch_req_x", "custom_id": id, "response": {"status_code": 200, "request_id": "r", "body": completion(content)}, "error": null}).to_string()
    }

    fn vllm(id: &str, content: &str) -> String {
        json!({"id": "vllm-x", "custom_id": id, "response": {"status_code": 200, "request_id": "vllm-batch-y", "body": completion(content)}, "error": null}).to_string()
    }

    fn failed(id: &str) -> String {
        json!({"id": "batch_req_y", "custom_id": id, "response": null, "error": {"code": "server_error", "message": "try again"}}).to_string()
    }

    fn id(row_idx: usize, model_idx: usize) -> String {
        format!("mj1:run-1:match:{row_idx}:{model_idx}")
    }

    /// A stand-in for the page's reader: the matching's reference test (the engine cannot use
    /// the runner's), and for the judge prompt a verdict in `\boxed{}`.
    fn reader(stage: Stage, content: &str) -> Option<String> {
        match stage {
            Stage::Match => {
                let reply = crate::engine::reply::parse_reply(content);
                if reply.is_acceptable_while_running() {
                    return None;
                }
                Some(reply.errors.first().map_or(
                    "R numbers not in sequence 1, 2, 3, ...".to_string(),
                    ToString::to_string,
                ))
            }
            _ => (!content.contains("\\boxed{")).then(|| "no verdict".to_string()),
        }
    }

    fn run(dataset: &LoadedFile) -> BatchRun {
        BatchRun::new("run-1", Stage::Match, &MODELS.map(String::from), dataset)
    }

    /// Two output files: OpenAI's (answers, an unreadable answer and a failure) and vLLM's
    /// (answers, a failure later answered, a duplicate), plus an error file with lines from
    /// elsewhere and a broken one.
    fn files() -> Vec<(String, Vec<String>)> {
        let openai_file = vec![
            openai(&id(0, 0), &good(0, 2)),
            openai(&id(1, 0), &good(1, 1)),
            openai(&id(3, 0), "no block at all"),
            failed(&id(1, 1)),
        ];
        let vllm_file = vec![
            vllm(&id(0, 1), &good(0, 2)),
            vllm(
                &id(0, 1),
                "<RESULT_START>\n- R1@S1: 0\n- R2@S1: 0\n<RESULT_END>",
            ),
            vllm(&id(1, 1), &good(1, 1)),
            vllm(&id(2, 1), &good(2, 3)),
        ];
        let errors = vec![
            failed(&id(2, 0)),
            openai("mj1:run-2:match:0:0", &good(0, 2)),
            openai("request-7", &good(0, 2)),
            openai("mj1:run-1:generate:0:0", &good(0, 2)),
            openai(&id(4, 0), &good(0, 1)),
            openai(&id(0, 2), &good(0, 2)),
            "{\"custom_id\": \"mj1:run-1:match:3:1\"".to_string(),
        ];
        vec![
            ("out.jsonl".into(), openai_file),
            ("vllm.jsonl".into(), vllm_file),
            ("errors.jsonl".into(), errors),
        ]
    }

    fn texts(files: &[(String, Vec<String>)]) -> Vec<(String, String)> {
        files
            .iter()
            .map(|(name, lines)| (name.clone(), lines.join("\r\n") + "\n\n"))
            .collect()
    }

    /// `files` in the order `file_order`, each file's lines rotated by `rotate`.
    fn shuffled(file_order: &[usize], rotate: usize) -> Vec<(String, String)> {
        let all = files();
        let picked: Vec<(String, Vec<String>)> = file_order
            .iter()
            .map(|&i| {
                let (name, mut lines) = all[i].clone();
                let n = lines.len();
                lines.rotate_left(rotate % n);
                (name, lines)
            })
            .collect();
        texts(&picked)
    }

    fn counts(answered: usize, unreadable: usize, failed: usize, duplicates: usize) -> Counts {
        Counts {
            answered,
            unreadable,
            failed,
            duplicates,
        }
    }

    #[track_caller]
    fn check(
        stored: &[JudgedAnswer],
        files: &[(String, String)],
        per_model: [Counts; 2],
        statuses: &[(usize, &str, AnswerStatus)],
    ) -> Imported {
        let dataset = load("d.jsonl", DATASET.as_bytes());
        let imported = import_results(run(&dataset), stored, reader, files);
        let got: Vec<(usize, &str, AnswerStatus)> = imported
            .answers
            .iter()
            .map(|a| (a.line, a.model.as_str(), a.status))
            .collect();
        assert_eq!(got, statuses);
        let want: Vec<(String, Counts)> = MODELS
            .map(String::from)
            .into_iter()
            .zip(per_model)
            .collect();
        assert_eq!(imported.summary.per_model, want);
        imported
    }

    use AnswerStatus::{Error, FormatError, Success};

    /// What [`files`] give into an empty run, in any order: (line, model, status).
    const TAKEN: [(usize, &str, AnswerStatus); 7] = [
        (1, "a", Success),
        (3, "a", Success),
        (4, "a", Error),
        (5, "a", FormatError),
        (1, "b", Success),
        (3, "b", Success),
        (4, "b", Success),
    ];

    #[test]
    fn both_shapes_in_any_order_give_the_same_answers_and_counts() {
        let per_model = [counts(3, 1, 1, 0), counts(3, 0, 1, 1)];
        for (order, rotate) in [
            ([0, 1, 2], 0),
            ([2, 1, 0], 1),
            ([1, 2, 0], 2),
            ([2, 0, 1], 3),
        ] {
            let imported = check(&[], &shuffled(&order, rotate), per_model.clone(), &TAKEN);
            let summary = &imported.summary;
            assert_eq!(summary.total, counts(6, 1, 2, 1));
            assert_eq!((summary.n_foreign(), summary.n_broken()), (5, 1));
        }
        // The first file order keeps the lines' places: each problem names its file and line.
        let imported = check(&[], &shuffled(&[0, 1, 2], 0), per_model, &TAKEN);
        let problems: Vec<String> = imported
            .summary
            .problems
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(problems[0], "errors.jsonl:2: not from this run: custom_id `mj1:run-2:match:0:0`: run `run-2`, not this run `run-1` (another data set, other request settings or another model list)");
        assert_eq!(problems[1], "errors.jsonl:3: not from this run: custom_id `request-7`: not a metajudge id (it does not start with `mj1:`)");
        assert_eq!(problems[2], "errors.jsonl:4: not from this run: custom_id `mj1:run-1:generate:0:0`: stage generate, this import reads match");
        assert_eq!(problems[3], "errors.jsonl:5: not from this run: custom_id `mj1:run-1:match:4:0`: row 4 is not in the data set (4 rows)");
        assert_eq!(problems[4], "errors.jsonl:6: not from this run: custom_id `mj1:run-1:match:0:2`: model 2 is not in the run (2 models)");
        assert!(problems[5].starts_with("errors.jsonl:7: broken line: not a JSON object"));
        // The kept answer of (row 0, b) is the one read first; the other is the duplicate.
        assert_eq!(
            imported.answers[4].text.as_deref(),
            Some(good(0, 2).as_str())
        );
        assert_eq!(
            imported.answers[2].error.as_deref(),
            Some("server_error: try again")
        );
        assert_eq!(
            imported.answers[3].error.as_deref(),
            Some("RESULT_START and RESULT_END tags not found")
        );
    }

    #[test]
    fn stored_successes_are_never_replaced_and_stored_failures_are() {
        let stored_answer = |line: usize, model: &str, status| JudgedAnswer {
            line,
            model: model.into(),
            status,
            text: None,
            finish_reason: None,
            usage: None,
            billed: None,
            error: None,
            attempts: 3,
            elapsed_ms: 1.0,
        };
        // (row 0, a) answered in the page; (row 1, b) and (row 2, a) failed there.
        let stored = [
            stored_answer(1, "A", Success),
            stored_answer(3, "b", Error),
            stored_answer(4, "a", Error),
        ];
        check(
            &stored,
            &shuffled(&[0, 1, 2], 0),
            [counts(2, 1, 1, 1), counts(3, 0, 1, 1)],
            &[
                (3, "a", Success),
                (5, "a", FormatError),
                (1, "b", Success),
                (3, "b", Success),
                (4, "b", Success),
            ],
        );
    }

    /// Every stage imports, each answer judged by the stage's reader: lines of another stage
    /// are not from this import.
    #[test]
    fn a_stage_before_the_matching_imports_with_its_own_reader() {
        let dataset = load("d.jsonl", DATASET.as_bytes());
        let generate = BatchRun {
            stage: Stage::Generate,
            ..run(&dataset)
        };
        let gen_id = |row_idx: usize| format!("mj1:run-1:generate:{row_idx}:0");
        let lines = [
            openai(&gen_id(0), "- a reason\n\\boxed{A>B}"),
            vllm(&gen_id(1), "no verdict here"),
            openai(&id(2, 0), &good(2, 3)),
        ];
        let files = [("gen.jsonl".to_string(), lines.join("\n"))];
        let imported = import_results(generate, &[], reader, &files);
        let got: Vec<(usize, AnswerStatus, Option<&str>)> = imported
            .answers
            .iter()
            .map(|a| (a.line, a.status, a.error.as_deref()))
            .collect();
        assert_eq!(
            got,
            [(1, Success, None), (3, FormatError, Some("no verdict"))]
        );
        assert_eq!(imported.summary.n_foreign(), 1);
    }

    /// SPEC 9: after an import the figures are those of an in-page run with the same answers.
    /// The in-page side is a judged file written by hand from the same answer texts.
    #[test]
    fn figures_after_import_equal_those_of_the_same_answers_given_directly() {
        let dataset = load("d.jsonl", DATASET.as_bytes());
        let imported = check(
            &[],
            // Lines in their order (the kept duplicate is the first read), files shuffled.
            &shuffled(&[2, 1, 0], 0),
            [counts(3, 1, 1, 0), counts(3, 0, 1, 1)],
            &TAKEN,
        );
        let rows: Vec<Value> = DATASET
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let direct = |model: &str, answers: &[(usize, Option<String>)]| {
            let text: String = answers
                .iter()
                .map(|(row_idx, answer)| {
                    let samples = match answer {
                        Some(text) => json!([{"generated_text": text}]),
                        None => json!([]),
                    };
                    json!({"samples": samples, "metadata": rows[*row_idx], "metajudge": {"model": model}}).to_string() + "\n"
                })
                .collect();
            load(model, text.as_bytes())
        };
        let a = direct(
            "a",
            &[
                (0, Some(good(0, 2))),
                (1, Some(good(1, 1))),
                (2, None),
                (3, Some("no block at all".into())),
            ],
        );
        let b = direct(
            "b",
            &[
                (0, Some(good(0, 2))),
                (1, Some(good(1, 1))),
                (2, Some(good(2, 3))),
            ],
        );
        for (model_idx, direct) in [(0, a), (1, b)] {
            let options = Options::default();
            let live = evaluate(
                &live_view(&dataset, model_idx, &imported.answers, "live"),
                model_idx,
                &options,
            );
            let given = evaluate(&direct, direct.judged_model.unwrap_or_default(), &options);
            assert_eq!(live.figures, given.figures, "model {model_idx}");
            assert!(live.figures.n_valid >= 2, "the test scores something");
        }
    }
}
