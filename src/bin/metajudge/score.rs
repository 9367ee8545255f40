//! `metajudge score`: the figures of judged files and data sets, as a table or `--json`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
use metajudge_studio::engine::dataset::{FileKind, LoadedFile};
use metajudge_studio::engine::export::{to_json, FlatReport};
use metajudge_studio::engine::figure::Figure;
use metajudge_studio::engine::summary::{evaluate_models, ModelReport, Options, RFWR_THRESHOLD};
use metajudge_studio::engine::text::visible;

use crate::common::{print, read_jsonl, say, say_bad_lines, EXIT_PARTIAL};

/// Most bootstrap resamples `--resamples` takes: 100 times the default, a few seconds on a
/// large file. Beyond it the intervals would not change visibly and the run could take
/// hours (or fail to allocate), so a larger number is refused as a bad argument (exit 2).
pub const MAX_RESAMPLES: u64 = 100_000;

#[derive(clap::Args)]
pub struct ScoreArgs {
    /// JSONL files: judged files (reference format) or data sets.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The model whose checklist was judged (default: the file's own, else its first).
    #[arg(long)]
    model: Option<String>,
    /// Rows whose model checklist is longer are skipped.
    #[arg(long, default_value_t = 10)]
    max_len: usize,
    /// Print a JSON array, one object per (file, model).
    #[arg(long)]
    json: bool,
    /// Count rows with a human tie for outcome accuracy.
    #[arg(long)]
    include_ties: bool,
    /// Bootstrap resamples for the 95% intervals (0 = none, at most 100000).
    #[arg(long, default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(0..=MAX_RESAMPLES))]
    resamples: u64,
    /// Bootstrap seed.
    #[arg(long, default_value_t = Options::default().seed)]
    seed: u64,
    /// Right for the wrong reasons: a correct-verdict row counts when its RC is below this
    /// (0 to 1).
    #[arg(long, default_value_t = RFWR_THRESHOLD, value_parser = share_of_one)]
    rfwr_threshold: f64,
    /// Figure the table is sorted by, best first (any figure of `--json`).
    #[arg(long, default_value = "recall", value_parser = sort_names())]
    sort_by: SortBy,
}

/// The figure the table is sorted by, with the name it goes by.
#[derive(Clone)]
struct SortBy {
    figure: Figure,
    name: &'static str,
}

/// Every figure by its `--json` key, except script AP, which keeps the name it had before
/// every figure could sort (`ap` is an alias).
fn sort_names() -> impl clap::builder::TypedValueParser<Value = SortBy> {
    let name = |figure: Figure| match figure {
        Figure::Ap => "average-precision",
        _ => figure.key(),
    };
    let values = Figure::ALL.map(|figure| {
        let value = PossibleValue::new(name(figure)).help(figure.help());
        if name(figure) == figure.key() {
            value
        } else {
            value.alias(figure.key())
        }
    });
    PossibleValuesParser::new(values).map(move |asked: String| {
        // The parser accepts only the names and aliases above, so a figure is always found.
        let figure = Figure::ALL
            .into_iter()
            .find(|&f| name(f) == asked || f.key() == asked)
            .unwrap_or_default();
        SortBy {
            figure,
            name: name(figure),
        }
    })
}

/// A number from 0 to 1 (a bad one is a bad argument, exit 2).
fn share_of_one(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        Ok(x) => Err(format!("{x} is not between 0 and 1")),
        Err(e) => Err(format!("not a number: {e}")),
    }
}

pub fn run(args: &ScoreArgs) -> Result<ExitCode, String> {
    let options = Options {
        max_len: args.max_len,
        include_ties: args.include_ties,
        // Within MAX_RESAMPLES, which every `usize` holds.
        resamples: usize::try_from(args.resamples).unwrap_or(usize::MAX),
        seed: args.seed,
        rfwr_threshold: args.rfwr_threshold,
        // Nothing here prints per-group figures.
        breakdowns: false,
        ..Options::default()
    };
    let mut reports = Vec::new();
    let mut n_bad_lines = 0;
    let mut unread = Vec::new();
    for path in &args.files {
        // An unreadable file does not hide the figures of the others: it is reported, the
        // rest are scored, and the exit status says that something is missing.
        let file = match read_jsonl(path) {
            Ok(file) => file,
            Err(message) => {
                unread.push(message);
                continue;
            }
        };
        warn_about(&file);
        n_bad_lines += file.bad_lines.len();
        if file.records.is_empty() {
            unread.push(no_object(&file));
            continue;
        }
        let model_idxs = models_to_score(&file, args.model.as_deref())?;
        reports.extend(evaluate_models(&file, &model_idxs, &options));
    }
    for message in &unread {
        say(message);
    }
    if reports.is_empty() && !unread.is_empty() {
        return Ok(ExitCode::FAILURE);
    }
    let output = if args.json {
        to_json(&reports) + "\n"
    } else {
        table(&reports, &args.sort_by)
    };
    print(&output)?;
    Ok(if n_bad_lines > 0 || !unread.is_empty() {
        ExitCode::from(EXIT_PARTIAL)
    } else {
        ExitCode::SUCCESS
    })
}

fn models_to_score(file: &LoadedFile, wanted: Option<&str>) -> Result<Vec<usize>, String> {
    let Some(name) = wanted else {
        return Ok(file.scored_models());
    };
    match file.model_idx(name) {
        Some(idx) => Ok(vec![idx]),
        None if file.models.is_empty() => Err(format!(
            "{}: no `<model>-checklist` field in any row, so no model {name:?} to score",
            file.name
        )),
        None => Err(format!(
            "{}: no model named {name:?}; the models here are: {}",
            file.name,
            file.models.join(", ")
        )),
    }
}

fn no_object(file: &LoadedFile) -> String {
    format!(
        "{}: no JSON object in the file ({} lines, {} unreadable); is it JSONL?",
        file.name,
        file.n_lines,
        file.bad_lines.len()
    )
}

fn warn_about(file: &LoadedFile) {
    for note in &file.notes {
        say(&format!("{}: {note}", file.name));
    }
    say_bad_lines(file);
    if file.kind == Some(FileKind::Dataset) {
        say(&format!(
            "{}: a data set (no judge answers): only outcome accuracy can be given",
            file.name
        ));
    }
}

/// One message on stderr, with its control and bidi characters (newlines included) shown
fn table(reports: &[ModelReport], sort_by: &SortBy) -> String {
    let mut rows: Vec<FlatReport> = reports.iter().map(FlatReport::new).collect();
    let figure = sort_by.figure;
    rows.sort_by(|a, b| figure.best_first(a.value(figure), b.value(figure)));
    let sort_name = sort_by.name.to_uppercase();
    let rule = "=".repeat(118);
    let mut out = String::new();
    let _ = writeln!(out, "\n{rule}\nResults sorted by {sort_name}\n{rule}");
    let _ = writeln!(
        out,
        "{:<35} {:<10} {:<10} {:<10} {:<10} {:<10} {:<10} {:<10} {:>6} {:>6} {:>7}\n{}",
        "Model",
        "Precision",
        "Recall",
        "F1",
        "AP",
        "RC",
        "AP-paper",
        "OA",
        "Valid",
        "Errors",
        "Skipped",
        "-".repeat(118)
    );
    for r in &rows {
        let _ = writeln!(
            out,
            "{:<35} {:<10} {:<10} {:<10} {:<10} {:<10} {:<10} {:<10} {:>6} {:>6} {:>7}",
            visible(&r.model),
            fixed(r.precision),
            fixed(r.recall),
            fixed(r.f1),
            fixed(r.ap),
            fixed(r.rc),
            fixed(r.ap_paper),
            fixed(r.oa),
            r.valid,
            r.errors,
            r.skipped
        );
    }
    let _ = writeln!(
        out,
        "{rule}\nPrecision, Recall, F1, AP: as metajudge_analysis.py computes them. RC: one-to-one recall\n\
         (the paper's rationale consistency); AP-paper: the paper's AP; OA: outcome accuracy over\n\
         rows with both verdicts, human ties left out. '-': cannot be computed from these rows.\n"
    );
    out
}

fn fixed(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{x:.4}"))
}
