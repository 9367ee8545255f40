//! What every subcommand shares: reading files, messages on stderr, exit codes, writing to
//! stdout.

use std::io::Write as _;
use std::process::ExitCode;

use metajudge_studio::engine::dataset::{LoadedFile, Loader};
use metajudge_studio::engine::text::visible;

/// Exit status when the figures were printed but some lines or files could not be read.
pub const EXIT_PARTIAL: u8 = 3;

/// The exit status of a subcommand: its own, or 1 after its message when it failed.
pub fn finish(result: Result<ExitCode, String>) -> ExitCode {
    result.unwrap_or_else(|message| {
        say(&message);
        ExitCode::FAILURE
    })
}

/// One message on stderr, with its control and bidi characters (newlines included) shown
/// escaped: names come from files, and must not repaint the terminal.
pub fn say(message: &str) {
    eprintln!("metajudge: {}", visible(message));
}

/// The first unreadable lines of a file on stderr, with their 1-based numbers, then how many
/// more there are.
pub fn say_bad_lines(file: &LoadedFile) {
    const SHOWN: usize = 10;
    for bad in file.bad_lines.iter().take(SHOWN) {
        say(&format!("{}:{}: {}", file.name, bad.line, bad.message));
    }
    if file.bad_lines.len() > SHOWN {
        say(&format!(
            "{}: {} more unreadable lines",
            file.name,
            file.bad_lines.len() - SHOWN
        ));
    }
}

/// Writes `output` to stdout. A closed pipe (`metajudge ... | head`) is the reader's choice,
/// not an error to report.
pub fn print(output: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the output: {e}"))
        }
        _ => Ok(()),
    }
}

/// Bytes read from a file at a time.
const CHUNK_BYTES: usize = 1 << 20;

/// Reads and loads the JSONL file at `path` as a stream: each line is read into its row as the
/// chunks arrive and its bytes let go of, so memory follows the rows, not the file (a 1.1 GB
/// file held whole peaked at 2.2 times its size). The rows cannot give their lines again, which
/// the figures never need.
pub fn read_jsonl(path: &std::path::Path) -> Result<LoadedFile, String> {
    use std::io::Read as _;
    let name = path.display().to_string();
    let cannot = |e: &dyn std::fmt::Display| format!("cannot read {name}: {e}");
    let mut file = std::fs::File::open(path).map_err(|e| cannot(&e))?;
    let mut loader = Loader::streaming(&name);
    let mut chunk = vec![0; CHUNK_BYTES];
    loop {
        match file.read(&mut chunk) {
            Ok(0) => return Ok(loader.finish()),
            Ok(n) => loader.push(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(cannot(&e)),
        }
    }
}
