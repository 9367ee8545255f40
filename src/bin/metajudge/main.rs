//! `metajudge`: the command line over the same engine as the app, for pipelines and checking.
//! One file per subcommand; `common` holds what they share (messages, exit codes, output).

/// mimalloc: reading a file makes millions of small allocations (checklist items, fields),
/// and the system allocator's bookkeeping was a fifth of the load time.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(target_arch = "wasm32"))]
mod agree;
#[cfg(not(target_arch = "wasm32"))]
mod batch;
#[cfg(not(target_arch = "wasm32"))]
mod common;
#[cfg(not(target_arch = "wasm32"))]
mod genrm;
#[cfg(not(target_arch = "wasm32"))]
mod score;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser as _;
    match Cli::parse().command {
        Command::Score(args) => common::finish(score::run(&args)),
        Command::Genrm(args) => common::finish(genrm::run(&args)),
        Command::Agree(args) => common::finish(agree::run(&args)),
        Command::Batch(args) => common::finish(batch::run(&args)),
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
#[derive(clap::Parser)]
#[command(
    name = "metajudge",
    version,
    about = "Rationale consistency and outcome accuracy of LLM judges (MetaJudge)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[cfg(not(target_arch = "wasm32"))]
#[derive(clap::Subcommand)]
enum Command {
    /// Score judged files (and data sets, for outcome accuracy) like metajudge_analysis.py.
    ///
    /// Exit status: 0 all read; 1 nothing could be scored (unreadable file, unknown model);
    /// 2 bad arguments; 3 figures printed, but some lines are not JSON objects or some
    /// files could not be read (listed on stderr).
    Score(score::ScoreArgs),
    /// Read a judge's raw answers to the paper's judge prompt into its reasons and verdict.
    ///
    /// Writes each row of FILE to stdout with `<NAME>-checklist` and `<NAME>-label` (with
    /// --swap also the `<NAME>@swap-` ones, the verdict mirrored back). Exit status: 0 every
    /// answer read; 1 the file cannot be read; 2 bad arguments; 3 rows written, but some
    /// answers had problems or some lines are not JSON objects (listed on stderr).
    Genrm(genrm::GenrmArgs),
    /// Compare two matchers on the same models: line, R^2, RMSE, rank correlations of RC, and
    /// per model mean |dRC| and weighted kappa (files joined by model, rows by id or checklist).
    ///
    /// Exit status: 0 figures printed; 1 fewer than 3 common models, a file unreadable or not
    /// judged; 2 bad arguments.
    Agree(agree::AgreeArgs),
    /// Write a run's calls as batch input files (OpenAI Batch API, vLLM run-batch), and read
    /// the output files back into judged files.
    ///
    /// Exit status: 0 done; 1 a file could not be read or written; 2 bad arguments (or a
    /// stage that cannot be batched yet); 3 (import) judged files written, but some lines were
    /// broken or not from this run.
    Batch(batch::BatchArgs),
}
