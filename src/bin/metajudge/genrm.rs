//! `metajudge genrm`: a data set whose rows hold a judge's raw answers to the paper's judge
//! prompt (made anywhere: vLLM, a batch API) -> the same rows with the judge's reasons and
//! verdict as columns (SPEC section 8), ready for matching and for `metajudge score`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::NonEmptyStringValueParser;
use metajudge_studio::engine::dataset::{load, LoadedFile};
use metajudge_studio::engine::json::{lookup, type_name};
use metajudge_studio::engine::pipeline::{read_answer, write_judge_columns, Order};
use serde_json::{Map, Value};

use crate::common::{print, say, EXIT_PARTIAL};

#[derive(clap::Args)]
pub struct GenrmArgs {
    /// A JSONL data set whose rows hold `<NAME>-generated_text`.
    file: PathBuf,
    /// The judge's name: the prefix of the columns read and written.
    #[arg(long, value_name = "NAME", value_parser = NonEmptyStringValueParser::new())]
    model: String,
    /// Also read `<NAME>@swap-generated_text` (answers with A and B exchanged) and write its
    /// columns, the verdict mirrored back to the original order.
    #[arg(long)]
    swap: bool,
}

pub fn run(args: &GenrmArgs) -> Result<ExitCode, String> {
    let name = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).map_err(|e| format!("cannot read {name}: {e}"))?;
    let file = load(&name, &bytes);
    for bad in &file.bad_lines {
        say(&format!("{name}:{}: {}", bad.line, bad.message));
    }
    if file.records.is_empty() {
        return Err(format!(
            "{name}: no JSON object in the file ({} lines, {} unreadable); is it JSONL?",
            file.n_lines,
            file.bad_lines.len()
        ));
    }
    let orders: &[Order] = if args.swap {
        &[Order::AsGiven, Order::Swapped]
    } else {
        &[Order::AsGiven]
    };
    let (output, n_problems) = rows_with_columns(&file, &args.model, orders);
    print(&output)?;
    Ok(if n_problems > 0 || !file.bad_lines.is_empty() {
        ExitCode::from(EXIT_PARTIAL)
    } else {
        ExitCode::SUCCESS
    })
}

/// Every row of the file as a JSONL line with the judge's columns written in, and the
/// number of problems said on stderr (one line each, with the row's 1-based line number).
fn rows_with_columns(file: &LoadedFile, model: &str, orders: &[Order]) -> (String, usize) {
    let mut output = String::new();
    let mut n_problems = 0;
    for record in &file.records {
        let mut tell = |problem: String| {
            say(&format!("{}:{}: {problem}", file.name, record.line));
            n_problems += 1;
        };
        let Some(mut row) = file.raw_object(record) else {
            tell("the line could not be read again".to_string());
            continue;
        };
        for &order in orders {
            if let Err(problem) = write_answer(&mut row, model, order) {
                tell(problem);
            }
        }
        output.push_str(&Value::Object(row).to_string());
        output.push('\n');
    }
    (output, n_problems)
}

/// Reads one order's answer of a row and writes its columns; the problems found, joined, as
/// the error (the columns are written anyway when there was an answer to read).
fn write_answer(row: &mut Map<String, Value>, model: &str, order: Order) -> Result<(), String> {
    let stage = order.stage();
    let column = stage.column_model(model);
    // Generate and Swap always name their answer's field.
    let field = stage.fields(model).generated_text.unwrap_or_default();
    let text = match lookup(row, &field) {
        Some(Value::String(text)) => text.clone(),
        Some(other) => return Err(format!("{field} is {}, not text", type_name(other))),
        None => return Err(format!("no {field} field")),
    };
    let answer = read_answer(&text);
    write_judge_columns(row, model, order, &text, &answer);
    if answer.problems.is_empty() {
        return Ok(());
    }
    let problems: Vec<String> = answer.problems.iter().map(ToString::to_string).collect();
    Err(format!("{column}: {}", problems.join(", ")))
}
