//! `metajudge`: the command line over the same engine as the app, for pipelines and checking.
//! One file per subcommand; `common` holds what they share (messages, exit codes, output).

#[cfg(not(target_arch = "wasm32"))]
mod agree;
#[cfg(not(target_arch = "wasm32"))]
mod common;
#[cfg(not(target_arch = "wasm32"))]
mod score;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser as _;
    match Cli::parse().command {
        Command::Score(args) => common::finish(score::run(&args)),
        Command::Agree(args) => common::finish(agree::run(&args)),
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
    /// Compare two matchers on the same models: line, R^2, RMSE, rank correlations of RC, and
    /// per model mean |dRC| and weighted kappa (files joined by model, rows by id or checklist).
    ///
    /// Exit status: 0 figures printed; 1 fewer than 3 common models, a file unreadable or not
    /// judged; 2 bad arguments.
    Agree(agree::AgreeArgs),
}
