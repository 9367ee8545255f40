//! `metajudge agree`: how far two matchers agree on the same models (SPEC section 10), as a
//! table or `--json`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use metajudge_studio::engine::agreement::{
    matcher_agreement, AgreementOptions, MatcherAgreement, ModelAgreement,
};
use metajudge_studio::engine::dataset::{load, LoadedFile};
use metajudge_studio::engine::summary::Options;
use metajudge_studio::engine::text::visible;
use serde::Serialize;

use crate::common::{print, say, say_bad_lines};

#[derive(clap::Args)]
pub struct AgreeArgs {
    /// Judged files of matcher A, one per model (joined to B's by model name).
    #[arg(long = "matcher-a", required = true, num_args = 1..)]
    matcher_a: Vec<PathBuf>,
    /// Judged files of matcher B, one per model.
    #[arg(long = "matcher-b", required = true, num_args = 1..)]
    matcher_b: Vec<PathBuf>,
    /// Print one JSON object: models, slope, intercept, r2, rmse, spearman, kendall_tau_b and
    /// per_model (undefined figures are null, with the reason on stderr).
    #[arg(long)]
    json: bool,
    /// Rows whose model checklist is longer are skipped.
    #[arg(long, default_value_t = 10)]
    max_len: usize,
}

/// The `--json` object: the figures of SPEC section 10, `null` where undefined.
#[derive(Serialize)]
struct AgreeJson {
    /// Models compared across (both matchers gave them an RC).
    models: usize,
    slope: Option<f64>,
    intercept: Option<f64>,
    r2: Option<f64>,
    rmse: Option<f64>,
    spearman: Option<f64>,
    kendall_tau_b: Option<f64>,
    per_model: Vec<ModelJson>,
}

#[derive(Serialize)]
struct ModelJson {
    model: String,
    rc_a: Option<f64>,
    rc_b: Option<f64>,
    rows: usize,
    items: usize,
    mean_abs_diff: Option<f64>,
    kappa_w: Option<f64>,
}

pub fn run(args: &AgreeArgs) -> Result<ExitCode, String> {
    let files_a = read_all(&args.matcher_a)?;
    let files_b = read_all(&args.matcher_b)?;
    let options = AgreementOptions {
        scoring: Options {
            max_len: args.max_len,
            resamples: 0,
            ..Options::default()
        },
        ..AgreementOptions::default()
    };
    let agreement = matcher_agreement(&files_a, &files_b, &options).map_err(|e| e.to_string())?;
    explain(&agreement);
    let output = if args.json {
        // Plain numbers and strings always serialise.
        serde_json::to_string_pretty(&to_json(&agreement)).unwrap_or_default() + "\n"
    } else {
        table(&agreement)
    };
    print(&output)?;
    Ok(ExitCode::SUCCESS)
}

/// Reads every file; one that cannot be read stops the command (a matcher's file missing
/// would change which models are compared).
fn read_all(paths: &[PathBuf]) -> Result<Vec<LoadedFile>, String> {
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let file = load(&path.display().to_string(), &bytes);
        say_bad_lines(&file);
        files.push(file);
    }
    Ok(files)
}

/// Says on stderr why a figure is missing and which models were left out.
fn explain(agreement: &MatcherAgreement) {
    let fit = &agreement.fit;
    let across = [
        ("slope", fit.slope),
        ("intercept", fit.intercept),
        ("r2", fit.r2),
        ("rmse", fit.rmse),
        ("spearman", agreement.spearman),
        ("kendall_tau_b", agreement.kendall_tau_b),
    ];
    for (name, measure) in across {
        if let Err(why) = measure {
            say(&format!("{name} is null: {why}"));
        }
    }
    for model in &agreement.per_model {
        for (name, measure) in [
            ("mean_abs_diff", model.mean_abs_diff),
            ("kappa_w", model.kappa_w),
        ] {
            if let Err(why) = measure {
                say(&format!("{}: {name} is null: {why}", model.model));
            }
        }
        if model.rc_a.is_none() || model.rc_b.is_none() {
            say(&format!(
                "{}: no RC from one matcher (no row scored), left out of the figures across models",
                model.model
            ));
        }
    }
    for (side, models) in [("A", &agreement.only_a), ("B", &agreement.only_b)] {
        if !models.is_empty() {
            say(&format!(
                "only matcher {side} judged {}: left out",
                models.join(", ")
            ));
        }
    }
}

fn to_json(agreement: &MatcherAgreement) -> AgreeJson {
    let fit = &agreement.fit;
    AgreeJson {
        models: agreement.models.len(),
        slope: fit.slope.ok(),
        intercept: fit.intercept.ok(),
        r2: fit.r2.ok(),
        rmse: fit.rmse.ok(),
        spearman: agreement.spearman.ok(),
        kendall_tau_b: agreement.kendall_tau_b.ok(),
        per_model: agreement.per_model.iter().map(model_json).collect(),
    }
}

fn model_json(model: &ModelAgreement) -> ModelJson {
    ModelJson {
        model: model.model.clone(),
        rc_a: model.rc_a,
        rc_b: model.rc_b,
        rows: model.rows,
        items: model.items,
        mean_abs_diff: model.mean_abs_diff.ok(),
        kappa_w: model.kappa_w.ok(),
    }
}

fn table(agreement: &MatcherAgreement) -> String {
    let fit = &agreement.fit;
    let rule = "=".repeat(86);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{rule}\nMatcher agreement over {} models (x: RC by matcher A, y: RC by matcher B)\n{rule}",
        agreement.models.len()
    );
    let line = match (fit.slope, fit.intercept) {
        (Ok(a), Ok(b)) => format!(
            "y = {a:.4} x {} {:.4}",
            if b < 0.0 { '-' } else { '+' },
            b.abs()
        ),
        _ => "undefined".to_string(),
    };
    let _ = writeln!(out, "{:<24} {line}", "Least-squares line");
    for (name, measure) in [
        ("R^2", fit.r2),
        ("RMSE of y - x", fit.rmse),
        ("Spearman's rho", agreement.spearman),
        ("Kendall's tau-b", agreement.kendall_tau_b),
    ] {
        let _ = writeln!(out, "{name:<24} {}", fixed(measure));
    }
    let _ = writeln!(
        out,
        "{}\n{:<35} {:>8} {:>8} {:>6} {:>6} {:>10} {:>8}\n{}",
        "-".repeat(86),
        "Model",
        "RC (A)",
        "RC (B)",
        "Rows",
        "Items",
        "mean |dRC|",
        "kappa_w",
        "-".repeat(86)
    );
    for m in &agreement.per_model {
        let _ = writeln!(
            out,
            "{:<35} {:>8} {:>8} {:>6} {:>6} {:>10} {:>8}",
            visible(&m.model),
            fixed(m.rc_a.ok_or(())),
            fixed(m.rc_b.ok_or(())),
            m.rows,
            m.items,
            fixed(m.mean_abs_diff),
            fixed(m.kappa_w)
        );
    }
    let _ = writeln!(
        out,
        "{rule}\nRows: rows both matchers scored; Items: their (row, human item) pairs, scored by the\n\
         best valid score and rounded to 0, .25, .5, .75, 1 for kappa_w (quadratic weights).\n\
         '-': undefined (the reason is on stderr).\n"
    );
    out
}

fn fixed<E>(x: Result<f64, E>) -> String {
    x.map_or_else(|_| "-".to_string(), |x| format!("{x:.4}"))
}
