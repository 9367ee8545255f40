//! The long fuzz run: every property of `properties.rs` from fresh seeds, round after round,
//! until the time or the number of cases asked for is spent; prints the inputs tried and every
//! failure (shrunk to a small input), and exits 1 when there was one.
//!
//! `cargo run -p fuzz --profile fuzz -- [--seconds N | --cases N] [--seed N] [--only NAME]`
//! (the `fuzz` profile is the release one with unwinding, so that a panic is caught and
//! reported as a failure instead of aborting the run).

mod properties;

use std::collections::BTreeSet;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use properties::{Property, INPUTS_TRIED, PROPERTIES};

/// Cases per property per round: small enough that every property gets its turn often.
const CASES_PER_ROUND: u32 = 500;

struct Args {
    seconds: Option<u64>,
    cases: Option<u64>,
    seed: u64,
    only: Option<String>,
}

/// What one property did over the run.
#[derive(Default)]
struct Tally {
    cases: u64,
    failures: BTreeSet<String>,
    seconds: f64,
}

fn main() -> ExitCode {
    let args =
        match parse_args(std::env::args().skip(1)) {
            Ok(args) => args,
            Err(message) => {
                eprintln!("fuzz: {message}");
                eprintln!(
                "usage: fuzz [--seconds N | --cases N] [--seed N] [--only NAME]\nproperties: {}",
                PROPERTIES.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
            );
                return ExitCode::from(2);
            }
        };
    let chosen: Vec<&Property> = match args.only.as_deref() {
        Some(name) => properties::property(name).into_iter().collect(),
        None => PROPERTIES.iter().collect(),
    };
    if chosen.is_empty() {
        eprintln!(
            "fuzz: no property named {:?}",
            args.only.unwrap_or_default()
        );
        return ExitCode::from(2);
    }
    // Failures are reported with their panic message by proptest; the default hook would
    // print each one again, shrinking steps included.
    std::panic::set_hook(Box::new(|_| {}));
    let budget = Duration::from_secs(args.seconds.unwrap_or(0));
    println!(
        "fuzz: {} properties, seed {}, {}",
        chosen.len(),
        args.seed,
        match (args.seconds, args.cases) {
            (_, Some(cases)) => format!("{cases} cases each"),
            _ => format!("{} s", budget.as_secs()),
        }
    );
    let started = Instant::now();
    let mut tallies: Vec<Tally> = chosen.iter().map(|_| Tally::default()).collect();
    for round in 0u64.. {
        let time_up = args.cases.is_none() && started.elapsed() >= budget;
        let cases_done = args
            .cases
            .is_some_and(|n| tallies.iter().all(|t| t.cases >= n));
        if time_up || cases_done {
            break;
        }
        for (idx, (property, tally)) in chosen.iter().zip(&mut tallies).enumerate() {
            let cases = match args.cases {
                Some(n) => n
                    .saturating_sub(tally.cases)
                    .min(u64::from(CASES_PER_ROUND)),
                None => u64::from(CASES_PER_ROUND),
            };
            if cases == 0 {
                continue;
            }
            let seed = args.seed ^ round.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (idx as u64) << 56;
            let property_started = Instant::now();
            if let Err(failure) = run_round(property, cases as u32, seed) {
                if tally.failures.insert(failure.clone()) {
                    println!("FAILURE in {} (round {round}): {failure}", property.name);
                }
            }
            tally.cases += cases;
            tally.seconds += property_started.elapsed().as_secs_f64();
        }
    }
    report(&chosen, &tallies, started.elapsed())
}

/// Runs `cases` cases of a property from `seed`; a failure comes back shrunk.
fn run_round(property: &Property, cases: u32, seed: u64) -> Result<(), String> {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    (property.run)(&mut TestRunner::new_with_rng(config, rng))
}

fn report(chosen: &[&Property], tallies: &[Tally], elapsed: Duration) -> ExitCode {
    println!();
    println!(
        "{:<42} {:>12} {:>9} {:>9}",
        "property", "cases", "failures", "seconds"
    );
    for (property, tally) in chosen.iter().zip(tallies) {
        println!(
            "{:<42} {:>12} {:>9} {:>9.1}",
            property.name,
            tally.cases,
            tally.failures.len(),
            tally.seconds
        );
    }
    let n_cases: u64 = tallies.iter().map(|t| t.cases).sum();
    let n_failures: usize = tallies.iter().map(|t| t.failures.len()).sum();
    println!(
        "inputs tried: {} ({n_cases} cases, the rest shrinking steps); failures: {n_failures}; {:.0} s",
        INPUTS_TRIED.load(Ordering::Relaxed),
        elapsed.as_secs_f64()
    );
    if n_failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        seconds: None,
        cases: None,
        seed: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        only: None,
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let number = |text: String| {
            text.parse::<u64>()
                .map_err(|_| format!("{flag} takes a whole number, not {text:?}"))
        };
        match flag.as_str() {
            "--seconds" => parsed.seconds = Some(number(value()?)?),
            "--cases" => parsed.cases = Some(number(value()?)?),
            "--seed" => parsed.seed = number(value()?)?,
            "--only" => parsed.only = Some(value()?),
            _ => return Err(format!("unknown argument {flag:?}")),
        }
    }
    if parsed.seconds.is_some() && parsed.cases.is_some() {
        return Err("give --seconds or --cases, not both".into());
    }
    if parsed.seconds.is_none() && parsed.cases.is_none() {
        parsed.seconds = Some(60);
    }
    Ok(parsed)
}
