//! `metajudge batch export|import`: a run's calls as OpenAI Batch API input files, and the
//! engines' output files back into judged files (the matching) or into the data set with the
//! candidate's columns (generate, swap, decompose; SPEC sections 8 and 9), for servers without a
//! browser.
//!
//! Without a stored run, the run id is `engine::batch::run_id` of the data set's bytes and of
//! the request settings below ([`RunKey`]: the stage, the request model, temperature, token
//! limit and its field, the template, top K, which rows are sent, and the model list in order),
//! so an export and a later import with the same data set and flags agree, and an import with
//! other flags reports the lines as not from this run instead of misreading them.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use metajudge_studio::engine::batch::custom_id::Stage;
use metajudge_studio::engine::batch::input::{file_stem, Limits, MAX_BYTES, MAX_LINES};
use metajudge_studio::engine::batch::run_id::run_id;
use metajudge_studio::engine::batch::summary::{Counts, ImportSummary};
use metajudge_studio::engine::chat::TokenField;
use metajudge_studio::engine::dataset::{load, LoadedFile};
use metajudge_studio::engine::judged::{judged_jsonl, ExportContext};
use metajudge_studio::engine::pipeline::Structured;
use metajudge_studio::engine::prompt::{missing_placeholders, METAJUDGE_TEMPLATE};
use metajudge_studio::engine::text::visible;
use metajudge_studio::runner::batch::{export_files, run_importer};
use metajudge_studio::runner::plan::{Plan, RunInfo, RunSettings};
use metajudge_studio::runner::stages::{stage_rows, stage_settings, StageAnswers};
use serde::Serialize;
use serde_json::Value;

use crate::common::{print, say, EXIT_PARTIAL};

/// Exit status of bad arguments (clap's own), also for a stage that cannot be batched yet.
const EXIT_USAGE: u8 = 2;

#[derive(clap::Args)]
pub struct BatchArgs {
    #[command(subcommand)]
    command: BatchCommand,
}

#[derive(clap::Subcommand)]
enum BatchCommand {
    /// Write the input files of a stage: one line per call, one model per file, split at
    /// 50,000 lines or 200 MB (`-part2`, ...).
    Export(ExportArgs),
    /// Read the output files (OpenAI's or vLLM's, in any order) and write one judged file per
    /// model. Exit status: 0 all read; 3 judged files written, but some lines were broken or
    /// not from this run (listed).
    Import(ImportArgs),
}

#[derive(clap::Args)]
struct ExportArgs {
    #[command(flatten)]
    request: RequestArgs,
    /// Judged files an earlier import wrote: their successful rows are not sent again (the
    /// failed ones are; import the new results together with the old ones).
    #[arg(long, num_args = 1..)]
    skip_answered: Vec<PathBuf>,
    /// Most lines a file holds.
    #[arg(long, default_value_t = MAX_LINES, hide = true)]
    max_lines: usize,
    /// Most bytes a file holds.
    #[arg(long, default_value_t = MAX_BYTES, hide = true)]
    max_bytes: usize,
}

#[derive(clap::Args)]
struct ImportArgs {
    #[command(flatten)]
    request: RequestArgs,
    /// The output files (and error files) the batch engine wrote.
    #[arg(long, required = true, num_args = 1..)]
    results: Vec<PathBuf>,
}

/// What both subcommands share: the data set and the request settings of the run form.
#[derive(clap::Args)]
struct RequestArgs {
    /// The data set (JSONL with `<model>-checklist` and `human-checklist`).
    dataset: PathBuf,
    /// The stage: match, or generate, swap, decompose (SPEC section 8).
    #[arg(long)]
    stage: String,
    /// The model that answers the requests (the matcher; for generate and swap the candidate).
    #[arg(long)]
    request_model: String,
    /// A model to judge (repeat for several; default: every model of the data set). For
    /// generate and swap the candidate's column name (default: the request model); for
    /// decompose the models whose `-generated_text` is decomposed (required).
    #[arg(long = "model")]
    models: Vec<String>,
    /// Where the files go.
    #[arg(long, default_value = ".")]
    out: PathBuf,
    /// Sampling temperature.
    #[arg(long, default_value_t = 0.6, conflicts_with = "no_temperature")]
    temperature: f64,
    /// Send no temperature (some models accept only their default).
    #[arg(long)]
    no_temperature: bool,
    /// The token limit of each answer.
    #[arg(long, default_value_t = 8192)]
    max_tokens: u32,
    /// The field that carries the limit: max_tokens, max_completion_tokens (OpenAI's reasoning
    /// models) or none.
    #[arg(long, default_value = "max_tokens", value_parser = ["max_tokens", "max_completion_tokens", "none"])]
    token_field: String,
    /// The prompt (default: the reference template of the stage).
    #[arg(long)]
    template: Option<PathBuf>,
    /// Send only the model's first K items.
    #[arg(long)]
    top_k: Option<usize>,
    /// Also send the rows the figures skip (empty or over-long model checklist).
    #[arg(long)]
    send_all: bool,
    /// Rows whose model checklist is longer are skipped (and not sent, without --send-all).
    #[arg(long, default_value_t = 10)]
    max_len: usize,
    /// Ask for structured answers (JSON following the stage's schema, read as the reference
    /// text; a deviation from the paper's method, recorded in the judged files): json_schema
    /// (OpenAI, vLLM) or json_object (llama-cpp-python).
    #[arg(long, default_value = "off", value_parser = ["off", "json_schema", "json_object"])]
    structured: String,
}

/// The settings an export and an import must share, hashed into the run id.
#[derive(Serialize)]
struct RunKey<'a> {
    stage: &'static str,
    request_model: &'a str,
    temperature: Option<f64>,
    max_tokens: u32,
    token_field: TokenField,
    template: &'a str,
    top_k: Option<usize>,
    skip_unscorable: bool,
    max_len: usize,
    models: &'a [String],
    /// Left out when off, so that the ids of runs exported before the option stay the same.
    #[serde(skip_serializing_if = "str::is_empty")]
    structured: &'static str,
}

/// A checked run: the data set, the settings (the stage among them), the run's models and, for
/// the matching, where each is in the set.
struct Run {
    dataset: Arc<LoadedFile>,
    name: String,
    settings: RunSettings,
    models: Vec<String>,
    model_idx: Vec<usize>,
    id: String,
}

/// Why a subcommand stopped before its work: a bad argument (exit 2) or a file it cannot read
/// (exit 1).
enum Stop {
    Usage(String),
    Failed(String),
}

pub fn run(args: &BatchArgs) -> Result<ExitCode, String> {
    let checked = match &args.command {
        BatchCommand::Export(export_args) => Run::new(&export_args.request),
        BatchCommand::Import(import_args) => Run::new(&import_args.request),
    };
    match (checked, &args.command) {
        (Ok(run), BatchCommand::Export(export_args)) => export(&run, export_args),
        (Ok(run), BatchCommand::Import(import_args)) => import(&run, import_args),
        (Err(Stop::Failed(message)), _) => Err(message),
        (Err(Stop::Usage(message)), _) => {
            say(&message);
            Ok(ExitCode::from(EXIT_USAGE))
        }
    }
}

impl Run {
    /// The run of the arguments, checked.
    fn new(args: &RequestArgs) -> Result<Run, Stop> {
        let usage = Stop::Usage;
        let stage = Stage::from_key(&args.stage).ok_or_else(|| {
            usage(format!(
                "unknown stage `{}` (generate, swap, decompose or match)",
                args.stage
            ))
        })?;
        let request_model = args.request_model.trim();
        if request_model.is_empty() {
            return Err(usage("--request-model is empty".into()));
        }
        let template = match &args.template {
            None => None,
            Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
                Stop::Failed(format!("cannot read the template {}: {e}", path.display()))
            })?),
        };
        // Each stage's own prompt unless one is given; only the matching's has placeholders.
        let base = run_settings(args, request_model, METAJUDGE_TEMPLATE.to_string());
        let mut settings = stage_settings(&base, stage);
        if let Some(template) = template {
            settings.template = template;
        }
        let missing = missing_placeholders(&settings.template);
        if stage == Stage::Match && !missing.is_empty() {
            return Err(usage(format!(
                "the prompt template lacks {}",
                missing.join(" and ")
            )));
        }
        let bytes = std::fs::read(&args.dataset)
            .map_err(|e| Stop::Failed(format!("cannot read {}: {e}", args.dataset.display())))?;
        let name = file_name(&args.dataset);
        let dataset = load(&name, &bytes);
        let (models, model_idx) = match stage {
            Stage::Match => chosen_models(args, &dataset)?,
            _ => (stage_models(args, stage, request_model)?, Vec::new()),
        };
        let key = RunKey {
            stage: stage.key(),
            request_model,
            temperature: settings.temperature,
            max_tokens: settings.max_tokens,
            token_field: settings.token_field,
            template: &settings.template,
            top_k: settings.top_k,
            skip_unscorable: settings.skip_unscorable,
            max_len: settings.max_len,
            models: &models,
            structured: match settings.structured {
                Structured::Off => "",
                on => on.key(),
            },
        };
        let id = run_id(&bytes, &key);
        for bad in &dataset.bad_lines {
            say(&format!(
                "{name}:{}: skipped, not a JSON object: {}",
                bad.line, bad.message
            ));
        }
        Ok(Run {
            dataset: Arc::new(dataset),
            name,
            settings,
            models,
            model_idx,
            id,
        })
    }

    /// The run as the page stores one (no key): what `runner::batch` exports and imports.
    fn info(&self) -> RunInfo {
        RunInfo {
            id: self.id.clone(),
            created_ms: 0.0,
            dataset_name: self.name.clone(),
            models: self.models.clone(),
            settings: self.settings.clone(),
            api_key: None,
            evaluation: None,
        }
    }

    /// The plan of the run's model `run_idx` alone; `answered` as in `Plan`.
    fn plan(&self, run_idx: usize, answered: &HashSet<(usize, String)>) -> Plan {
        match self.settings.stage {
            Stage::Match => Plan::new(
                &self.dataset,
                &[self.model_idx[run_idx]],
                &self.settings,
                answered,
            ),
            _ => Plan::for_stage(
                &self.dataset,
                &self.models[run_idx..=run_idx],
                &self.settings,
                answered,
            ),
        }
    }
}

fn export(run: &Run, args: &ExportArgs) -> Result<ExitCode, String> {
    let out = &args.request.out;
    std::fs::create_dir_all(out).map_err(|e| format!("cannot make {}: {e}", out.display()))?;
    let limits = Limits {
        max_lines: args.max_lines.max(1),
        max_bytes: args.max_bytes.max(1),
    };
    let answered = answered(run, &args.skip_answered)?;
    let mut report = format!("run {}\n", run.id);
    let mut n_left_out = 0;
    let info = run.info();
    for run_idx in 0..run.models.len() {
        let plan = run.plan(run_idx, &answered);
        n_left_out += plan.left_out.len();
        let parts = export_files(&info, &plan, limits);
        for part in &parts {
            let path = out.join(&part.name);
            std::fs::write(&path, &part.text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            report.push_str(&format!(
                "{}\t{} lines\n",
                visible(&path.display().to_string()),
                part.n_lines
            ));
        }
        report.push_str(&format!(
            "{}: {} calls, {} already answered, {} rows not sent\n",
            visible(&run.models[run_idx]),
            plan.items.len(),
            plan.n_answered,
            plan.left_out.len()
        ));
    }
    if n_left_out > 0 && run.settings.stage == Stage::Match {
        report.push_str("rows not sent: empty or over-long model checklists (--send-all sends them), or missing checklists\n");
    } else if n_left_out > 0 {
        report.push_str("rows not sent: the stage's prompt cannot be filled from them (a missing response or field)\n");
    }
    print(&report)?;
    Ok(ExitCode::SUCCESS)
}

/// The (data-set line, model) pairs with a successful answer in judged files this run's import
/// wrote (each row's `"metajudge"` key names its run, model and line). A file of another run
/// is refused: its rows would be skipped for answers this run never got.
fn answered(run: &Run, paths: &[PathBuf]) -> Result<HashSet<(usize, String)>, String> {
    let mut answered = HashSet::new();
    if !paths.is_empty() && run.settings.stage != Stage::Match {
        return Err(
            "--skip-answered reads judged files, which only the match stage writes; import the old and the new results together instead".into(),
        );
    }
    for path in paths {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for (idx, line) in text.lines().enumerate() {
            let Ok(row) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            let ours = &row["metajudge"];
            let where_ = || format!("{}:{}", path.display(), idx + 1);
            if ours["run_id"].as_str() != Some(&run.id) {
                return Err(format!("{}: not a judged row of run {}", where_(), run.id));
            }
            if let (Some("success"), Some(model), Some(line)) = (
                row["status"].as_str(),
                ours["model"].as_str(),
                ours["line"].as_u64(),
            ) {
                answered.insert((line as usize, model.to_string()));
            }
        }
    }
    Ok(answered)
}

fn import(run: &Run, args: &ImportArgs) -> Result<ExitCode, String> {
    let out = &args.request.out;
    let mut importer = run_importer(&run.info(), &run.dataset, &[]);
    for path in &args.results {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        importer.read_file(
            &path.display().to_string(),
            &String::from_utf8_lossy(&bytes),
        );
    }
    let imported = importer.finish();
    std::fs::create_dir_all(out).map_err(|e| format!("cannot make {}: {e}", out.display()))?;
    let context = ExportContext {
        template: run.settings.template.clone(),
        top_k: run.settings.top_k,
        judge_model: run.settings.judge_model.clone(),
        endpoint: "batch".into(),
        run_id: run.id.clone(),
        dataset: run.name.clone(),
        structured: run
            .settings
            .structured
            .is_on()
            .then(|| run.settings.structured.key().to_string()),
    };
    let mut written = String::new();
    if run.settings.stage != Stage::Match {
        let path = out.join(format!(
            "{}.jsonl",
            file_stem(&run.name, run.settings.stage, &run.models.join("+"))
        ));
        let answers = StageAnswers {
            stage: run.settings.stage,
            answers: &imported.answers,
        };
        let text = stage_rows(&run.dataset, &run.models[0], &[answers]);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push_str(&format!("wrote {}\n", visible(&path.display().to_string())));
    }
    for (run_idx, &dataset_idx) in run.model_idx.iter().enumerate() {
        let model = &run.models[run_idx];
        if !imported.answers.iter().any(|a| a.model == *model) {
            continue;
        }
        let text = judged_jsonl(&run.dataset, dataset_idx, &imported.answers, &context);
        let stem = run.name.trim_end_matches(".jsonl");
        let name = format!(
            "{stem}-{model}-{}-metajudge.jsonl",
            run.settings.judge_model
        )
        .replace(['/', '\\', ':', ' '], "_");
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push_str(&format!("wrote {}\n", visible(&path.display().to_string())));
    }
    print(&format!(
        "run {}\n{}{written}",
        run.id,
        summary_text(&imported.summary)
    ))?;
    let partial = !imported.summary.problems.is_empty();
    Ok(if partial {
        ExitCode::from(EXIT_PARTIAL)
    } else {
        ExitCode::SUCCESS
    })
}

/// What the import read, one line a model, then the total and every line that changed nothing.
fn summary_text(summary: &ImportSummary) -> String {
    let counts = |c: &Counts| {
        format!(
            "{} answered ({} unreadable), {} failed, {} duplicates ignored",
            c.answered, c.unreadable, c.failed, c.duplicates
        )
    };
    let mut text = String::new();
    for (model, c) in &summary.per_model {
        text.push_str(&format!("{}: {}\n", visible(model), counts(c)));
    }
    text.push_str(&format!(
        "total: {}, {} lines not from this run, {} broken lines\n",
        counts(&summary.total),
        summary.n_foreign(),
        summary.n_broken()
    ));
    for problem in &summary.problems {
        text.push_str(&format!("{}\n", visible(&problem.to_string())));
    }
    text
}

/// The models of a stage before the matching: the candidate's name for generate and swap (the
/// request model unless `--model` names it), the models whose answers decompose reads.
fn stage_models(
    args: &RequestArgs,
    stage: Stage,
    request_model: &str,
) -> Result<Vec<String>, Stop> {
    match (stage, args.models.as_slice()) {
        (Stage::Decompose, []) => Err(Stop::Usage(
            "--stage decompose needs --model: the models whose -generated_text is decomposed"
                .into(),
        )),
        (Stage::Decompose, models) => Ok(models.to_vec()),
        (_, []) => Ok(vec![request_model.to_string()]),
        (_, [candidate]) => Ok(vec![candidate.clone()]),
        (_, _) => Err(Stop::Usage(format!(
            "--stage {stage} judges one candidate: give --model once"
        ))),
    }
}

/// The run's models, named as the data set spells them, and where each is in the data set:
/// those asked for, in that order, else all of the data set's.
fn chosen_models(
    args: &RequestArgs,
    dataset: &LoadedFile,
) -> Result<(Vec<String>, Vec<usize>), Stop> {
    if dataset.models.is_empty() {
        return Err(Stop::Failed(format!(
            "{} has no model checklist (`<model>-checklist`) to match",
            dataset.name
        )));
    }
    if args.models.is_empty() {
        return Ok((dataset.models.clone(), (0..dataset.models.len()).collect()));
    }
    let mut model_idx = Vec::new();
    for model in &args.models {
        let idx = dataset.model_idx(model).ok_or_else(|| {
            Stop::Usage(format!(
                "no model `{model}` in {} (it has: {})",
                dataset.name,
                dataset.models.join(", ")
            ))
        })?;
        if model_idx.contains(&idx) {
            return Err(Stop::Usage(format!("model `{model}` is given twice")));
        }
        model_idx.push(idx);
    }
    let models = model_idx
        .iter()
        .map(|&i| dataset.models[i].clone())
        .collect();
    Ok((models, model_idx))
}

/// The run form's settings from the flags (the rest, such as concurrency, a batch does not use).
fn run_settings(args: &RequestArgs, request_model: &str, template: String) -> RunSettings {
    RunSettings {
        judge_model: request_model.to_string(),
        temperature: (!args.no_temperature).then_some(args.temperature),
        max_tokens: args.max_tokens,
        token_field: match args.token_field.as_str() {
            "max_completion_tokens" => TokenField::MaxCompletionTokens,
            "none" => TokenField::None,
            _ => TokenField::MaxTokens,
        },
        template,
        top_k: args.top_k,
        skip_unscorable: !args.send_all,
        max_len: args.max_len,
        structured: Structured::from_key(&args.structured).unwrap_or_default(),
        ..RunSettings::default()
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
