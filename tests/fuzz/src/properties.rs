//! The properties that hostile input must not break, each with the inputs that try it: the
//! JSONL reader (arbitrary bytes, mutated fixtures), the answer readers (SPEC 3 and SPEC 8),
//! share-link decoding and the chart's axis ranges.
//!
//! One file for two runners: `tests/properties.rs` runs every property a bounded number of
//! times from a fixed seed in `cargo test`; the `fuzz` binary (`cargo run -p fuzz --profile fuzz`)
//! runs them from fresh seeds for as long as asked and counts the inputs tried.

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{TestCaseResult, TestRunner};
use serde_json::{json, Value};

use metajudge_studio::chart::scatter::{fit_axis, fit_ranges, ScatterPoint, AXIS_LIMIT, MIN_SPAN};
use metajudge_studio::engine::dataset::{load, LoadedFile, Loader};
use metajudge_studio::engine::export::FlatReport;
use metajudge_studio::engine::figure::{Figure, Kind};
use metajudge_studio::engine::pipeline::answer::{read_answer, AnswerProblem};
use metajudge_studio::engine::reply::{parse_reply, result_block, ReplyError};
use metajudge_studio::engine::share::{
    decode_share, encode_share, SharedView, MAX_FRAGMENT_CHARS, MAX_SHARED_MODELS,
};
use metajudge_studio::engine::stats::Stat;
use metajudge_studio::engine::summary::{evaluate_all, Options};
use metajudge_studio::engine::verdict::read_verdict_text;
use metajudge_studio::engine::view::{ChartSettings, PaperMark};

/// A property: its name and how to try it once per case of the runner's configuration.
pub struct Property {
    pub name: &'static str,
    /// Runs the runner's cases; the error is the failure with its shrunk input.
    pub run: fn(&mut TestRunner) -> Result<(), String>,
}

/// Every property, in the order the fuzz command tries them.
pub const PROPERTIES: &[Property] = &[
    Property {
        name: "jsonl_reader_arbitrary_bytes",
        run: |r| {
            run(r, jsonl_like_bytes(), |(bytes, cuts)| {
                check_reader(&bytes, &cuts)
            })
        },
    },
    Property {
        name: "jsonl_reader_mutated_fixtures",
        run: |r| {
            run(r, mutated_fixture(), |(bytes, cuts)| {
                check_reader(&bytes, &cuts)
            })
        },
    },
    Property {
        name: "jsonl_reader_json_objects",
        run: |r| {
            run(r, json_object_lines(), |(bytes, cuts)| {
                check_reader(&bytes, &cuts)
            })
        },
    },
    Property {
        name: "mutated_fixtures_score_and_share",
        run: |r| {
            run(r, mutated_fixture(), |(bytes, _)| {
                check_scores_share(&bytes)
            })
        },
    },
    Property {
        name: "reply_arbitrary_answers",
        run: |r| run(r, token_text(&REPLY_TOKENS, 60), |text| check_reply(&text)),
    },
    Property {
        name: "reply_reads_every_score_line",
        run: |r| {
            run(r, written_reply(), |(text, triples)| {
                check_written_reply(&text, &triples)
            })
        },
    },
    Property {
        name: "judge_answer_arbitrary_answers",
        run: |r| {
            run(r, token_text(&ANSWER_TOKENS, 60), |text| {
                check_answer(&text)
            })
        },
    },
    Property {
        name: "judge_answer_reads_reasons_and_verdict",
        run: |r| {
            run(r, written_answer(), |(text, reasons, label)| {
                check_written_answer(&text, &reasons, &label)
            })
        },
    },
    Property {
        name: "share_arbitrary_fragments",
        run: |r| run(r, arbitrary_fragment(), |fragment| check_share(&fragment)),
    },
    Property {
        name: "share_hostile_payloads",
        run: |r| run(r, hostile_payload(), |json| check_share(&pack(&json))),
    },
    Property {
        name: "share_links_we_make_open",
        run: |r| {
            run(r, valid_reports(), |(reports, y)| {
                check_own_link(&reports, y)
            })
        },
    },
    Property {
        name: "chart_axis_ranges",
        run: |r| {
            run(r, wild_stats(), |(x, y, marks)| {
                check_ranges(&x, &y, &marks)
            })
        },
    },
];

/// Inputs tried so far by every property in this process (shrinking steps included).
pub static INPUTS_TRIED: AtomicU64 = AtomicU64::new(0);

/// The property by name.
pub fn property(name: &str) -> Option<&'static Property> {
    PROPERTIES.iter().find(|p| p.name == name)
}

fn run<S>(
    runner: &mut TestRunner,
    strategy: S,
    test: impl Fn(S::Value) -> TestCaseResult,
) -> Result<(), String>
where
    S: Strategy,
    S::Value: Debug,
{
    runner
        .run(&strategy, |value| {
            INPUTS_TRIED.fetch_add(1, Ordering::Relaxed);
            test(value)
        })
        .map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------------------------
// The JSONL reader (engine::dataset, SPEC 1)

/// The fixtures mutated by [`mutated_fixture`]: a data set, a judged file and the edge cases.
const FIXTURES: [&[u8]; 3] = [
    include_bytes!("../../fixtures/data/dataset-n50.jsonl"),
    include_bytes!("../../fixtures/data/judged-judge-a-n60.jsonl"),
    include_bytes!("../../fixtures/edge/judged-edge-cases.jsonl"),
];

/// Byte strings a broken or hostile file is made of: JSON punctuation, keys the reader looks
/// for, line ends, a byte-order mark, bytes that are not UTF-8.
const BYTE_TOKENS: [&[u8]; 32] = [
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b",",
    b":",
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\\",
    b"null",
    b"true",
    b"1e999",
    b"-0",
    b"0.5",
    b"\"m-checklist\": ",
    b"\"M-LABEL\": \"A>B\"",
    b"\"human-checklist\": [\"a\"]",
    b"\"samples\": [{\"generated_text\": \"",
    b"\"metadata\": {",
    b"\"status\": \"error\"",
    b"\"metajudge\": {\"model\": \"m\"}",
    b"\\u0000",
    b"\\ud800",
    b"\xEF\xBB\xBF",
    b"\xff",
    b"\xc3",
    "\u{212A}".as_bytes(),
    b"<RESULT_START>- R1@S1: 1<RESULT_END>",
    b"\\boxed{A}",
];

/// Bytes built from [`BYTE_TOKENS`] and arbitrary bytes, with the chunk sizes to feed them in.
fn jsonl_like_bytes() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    let piece = prop_oneof![
        3 => select(&BYTE_TOKENS[..]).prop_map(<[u8]>::to_vec),
        1 => prop::collection::vec(any::<u8>(), 1..8),
    ];
    (prop::collection::vec(piece, 0..80), chunk_sizes())
        .prop_map(|(pieces, cuts)| (pieces.concat(), cuts))
}

fn chunk_sizes() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..200, 1..8)
}

/// One change to a file's bytes, at a place chosen by an [`Index`].
#[derive(Clone, Debug)]
enum Mutation {
    FlipBit(Index, u8),
    Insert(Index, &'static [u8]),
    Delete(Index, usize),
    Duplicate(Index, usize),
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit(at, bit)),
        3 => (any::<Index>(), select(&BYTE_TOKENS[..])).prop_map(|(at, b)| Mutation::Insert(at, b)),
        2 => (any::<Index>(), 1usize..64).prop_map(|(at, n)| Mutation::Delete(at, n)),
        2 => (any::<Index>(), 1usize..400).prop_map(|(at, n)| Mutation::Duplicate(at, n)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
    ]
}

/// A few lines of a fixture with a few mutations, and the chunk sizes to feed them in.
fn mutated_fixture() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    (
        0..FIXTURES.len(),
        any::<Index>(),
        1usize..8,
        prop::collection::vec(mutation(), 0..6),
        chunk_sizes(),
    )
        .prop_map(|(fixture, start, n_lines, mutations, cuts)| {
            let lines: Vec<&[u8]> = FIXTURES[fixture].split_inclusive(|&b| b == b'\n').collect();
            let start = start.index(lines.len());
            let mut bytes = lines[start..(start + n_lines).min(lines.len())].concat();
            for m in mutations {
                mutate(&mut bytes, &m);
            }
            (bytes, cuts)
        })
}

fn mutate(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let len = bytes.len();
    let at = |i: &Index| if len == 0 { 0 } else { i.index(len) };
    match mutation {
        Mutation::FlipBit(i, bit) if len > 0 => bytes[at(i)] ^= 1 << bit,
        Mutation::Insert(i, token) => {
            let at = at(i);
            bytes.splice(at..at, token.iter().copied());
        }
        Mutation::Delete(i, n) => {
            let at = at(i);
            bytes.drain(at..(at + n).min(len));
        }
        Mutation::Duplicate(i, n) => {
            let at = at(i);
            let copy = bytes[at..(at + n).min(len)].to_vec();
            bytes.splice(at..at, copy);
        }
        Mutation::Truncate(i) => bytes.truncate(at(i)),
        Mutation::FlipBit(..) => {}
    }
}

/// Reading never panics, chunks read as the whole file, and every line is a row, a blank
/// line or a numbered bad line: exactly one of them, blank exactly when it holds only white
/// space.
fn check_reader(bytes: &[u8], cuts: &[usize]) -> TestCaseResult {
    let file = load("fuzz.jsonl", bytes);
    let chunked = feed(Loader::new("fuzz.jsonl"), bytes, cuts);
    prop_assert!(same_file(&file, &chunked), "chunked reading differs");
    prop_assert_eq!(file.bytes(), bytes);
    check_fast_reader(bytes, cuts, &file)?;

    let lines = split_lines(bytes);
    prop_assert_eq!(file.n_lines, lines.len());
    let mut kinds = vec![0usize; lines.len() + 1];
    for line in file
        .records
        .iter()
        .map(|r| r.line)
        .chain(file.bad_lines.iter().map(|b| b.line))
    {
        prop_assert!(
            (1..=lines.len()).contains(&line),
            "line {} of {}",
            line,
            lines.len()
        );
        kinds[line] += 1;
    }
    for (idx, line) in lines.iter().enumerate() {
        let number = idx + 1;
        let blank = is_blank(line, number == 1);
        let expected = usize::from(!blank);
        prop_assert_eq!(kinds[number], expected, "line {} ({:?})", number, line);
    }
    prop_assert!(file.records.windows(2).all(|w| w[0].line < w[1].line));
    prop_assert!(file.bad_lines.iter().all(|b| !b.message.is_empty()));
    for record in &file.records {
        prop_assert!(record.columns().all(|(idx, _)| idx < file.models.len()));
    }
    prop_assert!(file.judged_model.is_none_or(|idx| idx < file.models.len()));
    Ok(())
}

fn same_file(a: &LoadedFile, b: &LoadedFile) -> bool {
    same_rows(a, b) && a.bytes() == b.bytes()
}

/// Everything read from a file but its bytes.
fn same_rows(a: &LoadedFile, b: &LoadedFile) -> bool {
    a.records == b.records
        && a.bad_lines == b.bad_lines
        && a.models == b.models
        && a.n_lines == b.n_lines
        && a.kind == b.kind
        && a.judged_model == b.judged_model
        && a.notes == b.notes
}

/// The reader builds only the values a record needs; it must read every line exactly as
/// parsing it whole into a `serde_json::Value` does (the same records, the same bad lines
/// with the same words), and reading as a stream must give the same rows as holding the file.
fn check_fast_reader(bytes: &[u8], cuts: &[usize], file: &LoadedFile) -> TestCaseResult {
    let by_value = feed(Loader::by_value("fuzz.jsonl"), bytes, cuts);
    prop_assert!(
        same_file(file, &by_value),
        "the fast reader differs from a whole-Value parse: {:?} vs {:?}",
        file.records,
        by_value.records
    );
    let streamed = feed(Loader::streaming("fuzz.jsonl"), bytes, cuts);
    prop_assert!(same_rows(file, &streamed), "streaming reading differs");
    prop_assert!(
        streamed.bytes().is_empty(),
        "a streamed file keeps no bytes"
    );
    Ok(())
}

fn feed(mut loader: Loader, bytes: &[u8], cuts: &[usize]) -> LoadedFile {
    let mut rest = bytes;
    for &cut in cuts.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (chunk, after) = rest.split_at(cut.min(rest.len()));
        loader.push(chunk);
        rest = after;
    }
    loader.finish()
}

/// Keys a row may have, in several spellings: the readers look some up without case, take
/// the first of equal ones, and keep some whole and others only when short.
const OBJECT_KEYS: [&str; 24] = [
    "human-checklist",
    "Human-Checklist",
    "m-checklist",
    "M-CHECKLIST",
    "m-chec\\u212Alist",
    "m-label",
    "M-Label",
    "m-generated_text",
    "M-GENERATED_TEXT",
    "x-checklist",
    "X-label",
    "samples",
    "metadata",
    "metajudge",
    "Samples",
    "domain",
    "overall_preference",
    "id",
    "status",
    "context",
    "k\\u00e9y",
    "",
    "\\ud83d\\ude00",
    "a\\\"b",
];

const SCALARS: [&str; 14] = [
    "null",
    "true",
    "false",
    "0",
    "-3",
    "2.5",
    "1e308",
    "18446744073709551616",
    "-0.0",
    "\"A>B\"",
    "\"Response 1\"",
    "\"\\\\boxed{A}\"",
    "\"<RESULT_START>- R1@S1: 1<RESULT_END>\"",
    "\"caf\\u00e9 \\n\"",
];

/// Values that make a whole line unreadable (a number out of range, a lone surrogate): rare,
/// or most lines would be bad lines.
const POISON: [&str; 2] = ["1e400", "\"\\ud800\""];

/// JSON text of values made of the keys and scalars above, nested a few levels, with strings
/// just under and just over the length breakdowns keep.
fn json_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        40 => select(&SCALARS[..]).prop_map(str::to_string),
        10 => (198usize..203).prop_map(|n| format!("\"{}\"", "x".repeat(n))),
        1 => select(&POISON[..]).prop_map(str::to_string),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((select(&OBJECT_KEYS[..]), inner), 0..6).prop_map(|fields| {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("\"{k}\": {v}"))
                    .collect();
                format!("{{{}}}", fields.join(", "))
            }),
        ]
    })
}

/// Lines of JSON objects (and sometimes other values) built from [`json_value`].
fn json_object_lines() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    let object =
        prop::collection::vec((select(&OBJECT_KEYS[..]), json_value()), 0..10).prop_map(|fields| {
            let fields: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("\"{k}\": {v}"))
                .collect();
            format!("{{{}}}", fields.join(", "))
        });
    let line = prop_oneof![8 => object, 1 => json_value()];
    (prop::collection::vec(line, 1..6), chunk_sizes())
        .prop_map(|(lines, cuts)| (lines.join("\n").into_bytes(), cuts))
}

/// The lines of a file as SPEC 1 counts them: cut on `\n`, the piece after a final `\n` not
/// a line.
fn split_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

fn is_blank(line: &[u8], first: bool) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = match line.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) if first => rest,
        _ => line,
    };
    std::str::from_utf8(line).is_ok_and(|text| text.trim().is_empty())
}

/// A damaged file still scores without a panic, and the share link of its leaderboard opens
/// with every model: whatever a file holds, its figures are within a link's bounds.
fn check_scores_share(bytes: &[u8]) -> TestCaseResult {
    let file = load("fuzz.jsonl", bytes);
    let options = Options {
        resamples: 200,
        ..Options::default()
    };
    let reports: Vec<FlatReport> = evaluate_all(std::slice::from_ref(&file), &options)
        .iter()
        .map(FlatReport::new)
        .collect();
    let link = encode_share(&reports, &ChartSettings::default(), MAX_FRAGMENT_CHARS);
    let view = decode_share(&link.fragment).map_err(|e| {
        TestCaseError::fail(format!(
            "a link of this file's leaderboard does not open: {e}"
        ))
    })?;
    prop_assert_eq!(view.reports.len(), link.n_shared);
    check_view(&view)
}

// ---------------------------------------------------------------------------------------------
// The matching answer reader (engine::reply, SPEC 3)

/// What a matcher's answer is made of, in pieces that make and break score lines.
const REPLY_TOKENS: [&str; 24] = [
    "<RESULT_START>",
    "<RESULT_END>",
    "<RESULT_",
    "- R",
    "R",
    "@S",
    "@",
    "S",
    ": ",
    ":",
    "0",
    "1",
    "7",
    "0.5",
    ".",
    "1.25",
    "99999999999999999999999",
    "1e5",
    "\n",
    " ",
    "-",
    "x",
    "é",
    "\u{0663}",
];

/// Text made of `tokens`, at most `max` of them.
fn token_text(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(select(tokens), 0..max).prop_map(|pieces| pieces.concat())
}

/// Never panics, and what it says holds together: no block is the only error, a score out of
/// 0..1 is an error, an answer without errors has triples, `ordered` means R runs 1, 2, 3.
fn check_reply(text: &str) -> TestCaseResult {
    let reply = parse_reply(text);
    if result_block(text).is_none() {
        prop_assert_eq!(&reply.errors, &vec![ReplyError::NoResultBlock]);
        prop_assert!(reply.triples.is_empty());
        return Ok(());
    }
    let out_of_range = reply
        .triples
        .iter()
        .filter(|t| !(0.0..=1.0).contains(&t.score))
        .count();
    let n_range_errors = reply
        .errors
        .iter()
        .filter(|e| matches!(e, ReplyError::OutOfRange { .. }))
        .count();
    prop_assert_eq!(out_of_range, n_range_errors);
    prop_assert_eq!(
        reply.triples.is_empty(),
        reply.errors == [ReplyError::NoScoreLines]
    );
    prop_assert!(reply
        .triples
        .iter()
        .all(|t| t.score.is_finite() && t.score >= 0.0));
    if reply.ordered && !reply.triples.is_empty() {
        let rs: Vec<usize> = reply.triples.iter().map(|t| t.r).collect();
        let expected: Vec<usize> = (1..=rs.len()).collect();
        prop_assert_eq!(rs, expected);
    }
    Ok(())
}

/// A score as a matcher writes it: digits with an optional `.digits` tail.
fn score_text() -> impl Strategy<Value = String> {
    (
        select(&["0", "1", "00", "2", "10", "0000001"][..]),
        prop::option::of("[0-9]{1,6}"),
    )
        .prop_map(|(whole, fraction)| match fraction {
            Some(f) => format!("{whole}.{f}"),
            None => whole.to_string(),
        })
}

/// An answer with score lines in its block (and look-alikes outside it), and the triples of
/// the block as (r, s, score text).
#[allow(clippy::type_complexity)]
fn written_reply() -> impl Strategy<Value = (String, Vec<(usize, usize, String)>)> {
    let noise = select(
        &[
            "",
            "Scores:\n",
            "note - R x\n",
            "R1@S1 is an example\n",
            "  \n",
        ][..],
    );
    (
        select(
            &[
                "",
                "thinking\n",
                "- R9@S9: 1 outside\n",
                "<RESULT_END> early\n",
            ][..],
        ),
        prop::collection::vec((1usize..12, 0usize..12, score_text(), noise), 1..10),
        select(&["", "\ndone", "\n- R1@S1: 0.3 after"][..]),
    )
        .prop_map(|(before, lines, after)| {
            let mut text = format!("{before}<RESULT_START>\n");
            for (r, s, score, noise) in &lines {
                text.push_str(&format!("{noise}- R{r}@S{s}: {score}\n"));
            }
            text.push_str("<RESULT_END>");
            text.push_str(after);
            let triples = lines
                .into_iter()
                .map(|(r, s, score, _)| (r, s, score))
                .collect();
            (text, triples)
        })
}

/// Every score line of the block is read, in order, with its exact number; nothing outside.
fn check_written_reply(text: &str, triples: &[(usize, usize, String)]) -> TestCaseResult {
    let reply = parse_reply(text);
    let got: Vec<(usize, usize, f64)> = reply.triples.iter().map(|t| (t.r, t.s, t.score)).collect();
    let expected: Vec<(usize, usize, f64)> = triples
        .iter()
        .map(|(r, s, score)| (*r, *s, score.parse::<f64>().unwrap_or(f64::NAN)))
        .collect();
    prop_assert_eq!(got, expected);
    let in_order = triples.iter().enumerate().all(|(i, (r, _, _))| *r == i + 1);
    prop_assert_eq!(reply.ordered, in_order);
    check_reply(text)
}

// ---------------------------------------------------------------------------------------------
// The judge-prompt answer reader (engine::pipeline::answer, SPEC 8)

const ANSWER_TOKENS: [&str; 30] = [
    "<RESULT_START>",
    "<RESULT_END>",
    "\n",
    "\r\n",
    "- ",
    "* ",
    "• ",
    "1. ",
    "12) ",
    "-",
    "*",
    "•",
    "3.",
    "Final assessment",
    "FINAL ASSESSMENT",
    "\\boxed{",
    "}",
    "{",
    "A>B",
    "B>A",
    "A=B",
    "tie",
    "Response1",
    " ",
    "\t",
    "accurate",
    "é",
    "**bold**",
    "---",
    "\u{2028}",
];

/// Never panics, and the problems name exactly what is missing.
fn check_answer(text: &str) -> TestCaseResult {
    let read = read_answer(text);
    let has = |p| read.problems.contains(&p);
    prop_assert_eq!(
        has(AnswerProblem::NoResultBlock),
        !text.contains("<RESULT_START>")
    );
    prop_assert_eq!(has(AnswerProblem::NoReasonList), read.reasons.is_empty());
    prop_assert_eq!(has(AnswerProblem::NoVerdict), read.verdict.is_none());
    prop_assert!(read.verdict.is_none() || read.label.is_some());
    prop_assert_eq!(
        read.is_format_error(),
        read.reasons.is_empty() || read.verdict.is_none()
    );
    for reason in &read.reasons {
        prop_assert!(
            !reason.is_empty() && reason.trim() == reason,
            "{:?}",
            reason
        );
        prop_assert!(!reason.contains('\n'), "{:?}", reason);
    }
    Ok(())
}

/// An answer listing reasons under assorted markers, then the verdict; the reasons and label.
fn written_answer() -> impl Strategy<Value = (String, Vec<String>, String)> {
    let marker = select(&["- ", "* ", "• ", "1. ", "12) ", "  -\t"][..]);
    let reason = ("[c-z]{1,8}", "[c-z ]{0,12}").prop_map(|(a, b)| format!("reason {a}{b}"));
    (
        select(
            &[
                "",
                "Let me think.\n- not yet a reason? no: before the block\n",
            ][..],
        ),
        prop::collection::vec((marker, reason), 1..8),
        select(&["A>B", "B>A", "A=B", "a>>b", "Response2", "tie", "B"][..]),
        select(&["\n<RESULT_END>", "", "\n<RESULT_END>\n\\boxed{nonsense}"][..]),
    )
        .prop_map(|(before, items, label, end)| {
            let mut text = format!("{before}<RESULT_START>\nList of reasons:\n");
            for (marker, reason) in &items {
                text.push_str(&format!("{marker}{reason}  \n"));
            }
            text.push_str(&format!("Final assessment result: \\boxed{{{label}}}{end}"));
            let reasons = items
                .into_iter()
                .map(|(_, r)| r.trim().to_string())
                .collect();
            (text, reasons, label.to_string())
        })
}

fn check_written_answer(text: &str, reasons: &[String], label: &str) -> TestCaseResult {
    let read = read_answer(text);
    prop_assert_eq!(&read.reasons, reasons);
    prop_assert_eq!(read.label.as_deref(), Some(label));
    prop_assert_eq!(read.verdict, read_verdict_text(label));
    prop_assert!(read.verdict.is_some());
    prop_assert!(read.problems.is_empty(), "{:?}", read.problems);
    check_answer(text)
}

// ---------------------------------------------------------------------------------------------
// Share links (engine::share)

/// Fragments of every shape: prefixes a link may have, then base64url and other characters.
fn arbitrary_fragment() -> impl Strategy<Value = String> {
    let prefix = select(
        &[
            "",
            "#",
            "share=",
            "share=v1.",
            "#share=v1.",
            "v1.",
            "https://app/x/#share=v1.",
            "share=v2.",
            "share=v.",
            "share=v1",
            "share=v١.",
        ][..],
    );
    let body = prop_oneof![4 => "[A-Za-z0-9_-]{0,120}", 1 => "[A-Za-z0-9_=.#-]{0,80}"];
    (prefix, body, prop::option::of(".{0,20}"))
        .prop_map(|(p, body, tail)| format!("{p}{body}{}", tail.unwrap_or_default()))
}

/// A number a hand-made link could hold.
fn wild_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (0u32..=10_000).prop_map(|n| json!(f64::from(n) / 1e4)),
        2 => select(&[-1.0, 1.5, 2.0, 1e308, -1e308, 1e-300, -0.0, 0.5, 1.00001, -1e-9][..])
            .prop_map(|x| json!(x)),
        1 => any::<f64>().prop_filter_map("finite", |x| x.is_finite().then(|| json!(x))),
        1 => any::<u64>().prop_map(|n| json!(n)),
        1 => any::<i64>().prop_map(|n| json!(n)),
    ]
}

/// A share as a link writes it.
fn share_value() -> impl Strategy<Value = Value> {
    (0u32..=10_000).prop_map(|n| json!(f64::from(n) / 1e4))
}

/// How far a model's array strays from what links hold.
#[derive(Clone, Copy, Debug)]
enum Stray {
    /// Figures as links hold them: within their bounds.
    None,
    /// Wild numbers: out of 0..1, reversed intervals, huge counts.
    Wild,
    /// Also values of the wrong type.
    Junk,
}

/// A figure's place in a model's array: nothing, a mean, or a mean with its interval, as far
/// astray as asked.
fn figure_value(stray: Stray) -> impl Strategy<Value = Value> {
    let (wild, junk) = match stray {
        Stray::None => (0, 0),
        Stray::Wild => (2, 0),
        Stray::Junk => (2, 1),
    };
    let sorted = (share_value(), share_value(), share_value()).prop_map(|(a, b, c)| {
        let mut v = [a, b, c].map(|x| x.as_f64().unwrap_or_default());
        v.sort_by(f64::total_cmp);
        json!([v[1], v[0], v[2]])
    });
    prop_oneof![
        3 => Just(Value::Null),
        3 => share_value(),
        4 => sorted,
        wild => wild_number(),
        wild => (share_value(), share_value(), share_value()).prop_map(|(m, lo, hi)| json!([m, lo, hi])),
        wild => (wild_number(), share_value(), wild_number()).prop_map(|(m, lo, hi)| json!([m, lo, hi])),
        junk => prop::collection::vec(wild_number(), 0..5).prop_map(Value::from),
        junk => select(&["x", ""][..]).prop_map(Value::from),
        junk => any::<bool>().prop_map(Value::from),
    ]
}

/// A count at most `most`, or astray: any whole number, or with junk any number.
fn count_value(most: u64, stray: Stray) -> impl Strategy<Value = Value> {
    let (wild, junk) = match stray {
        Stray::None => (0, 0),
        Stray::Wild => (1, 0),
        Stray::Junk => (1, 1),
    };
    prop_oneof![
        8 => (0..=most).prop_map(Value::from),
        wild => any::<u64>().prop_map(Value::from),
        junk => wild_number(),
    ]
}

/// A model's array: name, file, five counts, seven means, two deviations; three in five as
/// links hold them, the others astray; one in ten too short or too long.
fn model_row() -> impl Strategy<Value = Value> {
    let row = |stray: Stray| {
        let counts = (0u64..40).prop_flat_map(move |total| {
            (
                Just(Value::from(total)),
                prop::collection::vec(count_value(total / 3, stray), 4),
            )
        });
        let wild = if matches!(stray, Stray::None) { 0 } else { 1 };
        let spread = prop_oneof![1 => Just(Value::Null), 2 => share_value(), wild => wild_number()];
        (
            counts,
            prop::collection::vec(figure_value(stray), 7),
            prop::collection::vec(spread, 2),
        )
    };
    (
        select(&["atlas-large", "", "m\u{202e}gnp.exe", "=HYPERLINK(1)"][..]),
        prop_oneof![3 => row(Stray::None), 1 => row(Stray::Wild), 1 => row(Stray::Junk)],
        prop_oneof![18 => Just(0i8), 1 => Just(-1i8), 1 => Just(1i8)],
    )
        .prop_map(|(name, ((total, counts), means, spreads), change)| {
            let mut row = vec![Value::from(name), Value::from("a.jsonl"), total];
            row.extend(counts);
            row.extend(means);
            row.extend(spreads);
            match change {
                -1 => {
                    row.pop();
                }
                1 => row.push(Value::Null),
                _ => {}
            }
            Value::from(row)
        })
}

/// The JSON text of a link's payload, shaped like version 1 with wild figures, sometimes with
/// a token spliced into the text.
fn hostile_payload() -> impl Strategy<Value = String> {
    let keys: Vec<&str> = Figure::chart_choices().map(Figure::key).collect();
    let threshold = || prop_oneof![Just(Value::Null), share_value(), wild_number()];
    let models = prop::collection::vec(model_row(), 0..5).prop_flat_map(move |models| {
        let n = models.len();
        let rfwr_len = prop_oneof![4 => Just(n), 1 => 0..6usize];
        let rfwr =
            rfwr_len.prop_flat_map(|len| prop::collection::vec(figure_value(Stray::Wild), len));
        (Just(models), prop::option::of(rfwr))
    });
    (
        prop_oneof![8 => select(keys), 1 => select(&["oa", "total", "nope", ""][..])],
        any::<bool>(),
        prop_oneof![4 => (0u64..8).prop_map(Value::from), 1 => any::<u64>().prop_map(Value::from)],
        models,
        prop::option::of((any::<bool>(), threshold(), threshold())),
        prop_oneof![
            9 => Just(None),
            1 => (any::<Index>(), select(&["1e999", "-", "null", "\"", ",", "]", "}"][..])).prop_map(Some),
        ],
    )
        .prop_map(|(y, trimmed, total, (models, rfwr), zones, splice)| {
            let mut payload = json!({
                "y": y, "marks": true, "families": [["atlas-large", "atlas"]],
                "colours": [["atlas", "#112233"]], "total": total, "trimmed": trimmed,
                "models": models,
            });
            if let Some((show, oa, rc)) = zones {
                payload["zones"] = json!({"show": show, "oa": oa, "rc": rc});
            }
            if let Some(rfwr) = rfwr {
                payload["rfwr"] = Value::from(rfwr);
            }
            let mut text = payload.to_string();
            if let Some((at, token)) = splice {
                let mut at = at.index(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, token);
            }
            text
        })
}

/// A link holding `json`, packed the way the app packs links.
fn pack(json: &str) -> String {
    let deflated = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6);
    format!("share=v1.{}", URL_SAFE_NO_PAD.encode(deflated))
}

/// Decoding never panics, and what it lets through keeps every bound: shares are finite and in
/// 0..1, intervals hold their means, no count is more than the model's rows, and no more models
/// than the maximum or the leaderboard's total.
fn check_share(fragment: &str) -> TestCaseResult {
    let Ok(view) = decode_share(fragment) else {
        return Ok(());
    };
    check_view(&view)
}

fn check_view(view: &SharedView) -> TestCaseResult {
    prop_assert!(view.reports.len() <= MAX_SHARED_MODELS);
    prop_assert!(view.reports.len() <= view.n_total);
    prop_assert!(view.settings.y.on_chart());
    for report in &view.reports {
        for figure in Figure::ALL {
            let reading = report.get(figure);
            match figure.kind() {
                Kind::Mean | Kind::Spread => {
                    let mut values: Vec<f64> = reading.value.into_iter().collect();
                    values.extend(reading.interval.into_iter().flatten());
                    for v in values {
                        prop_assert!(v.is_finite() && (0.0..=1.0).contains(&v), "{figure:?} {v}");
                    }
                    if let (Some(v), Some([lo, hi])) = (reading.value, reading.interval) {
                        prop_assert!(lo <= v && v <= hi, "{:?} {} [{}, {}]", figure, v, lo, hi);
                    }
                }
                Kind::Count | Kind::Tally => {
                    prop_assert!(reading.as_count() <= report.total, "{:?}", figure);
                }
            }
        }
        let counted = report.valid as u128 + report.errors as u128 + report.skipped as u128;
        prop_assert!(counted <= report.total as u128);
    }
    Ok(())
}

/// Leaderboards as the engine makes them: shares in 0..1, intervals around their means,
/// counts that add up; and a figure for the chart.
fn valid_reports() -> impl Strategy<Value = (Vec<FlatReport>, Figure)> {
    let share = || (0u32..=10_000).prop_map(|n| f64::from(n) / 1e4);
    let stat = move || {
        prop::option::of((share(), share(), share(), any::<bool>())).prop_map(|s| {
            s.map(|(a, b, c, with_interval)| {
                let mut v = [a, b, c];
                v.sort_by(f64::total_cmp);
                (v[1], with_interval.then_some([v[0], v[2]]))
            })
        })
    };
    let report = (
        "[a-z]{1,12}(-[a-z0-9]{1,6}){0,3}",
        (0usize..1000, 0usize..1000, 0usize..1000, 0usize..1000),
        prop::collection::vec(stat(), 8),
        (prop::option::of(share()), prop::option::of(share())),
    )
        .prop_map(|(model, (a, b, c, d), stats, (p_std, r_std))| {
            let mut report = FlatReport {
                file: "dir/file.jsonl".into(),
                model,
                total: a + b + c + d,
                valid: a,
                errors: b,
                skipped: c,
                oa_rows: a + d,
                precision_std: p_std.map(|x| x / 2.0),
                recall_std: r_std.map(|x| x / 2.0),
                ..FlatReport::default()
            };
            let means = Figure::ALL.into_iter().filter(|f| f.kind() == Kind::Mean);
            for (figure, stat) in means.zip(stats) {
                let (value, interval) = stat.unzip();
                report.set(
                    figure,
                    metajudge_studio::engine::figure::Reading {
                        value,
                        interval: interval.flatten(),
                    },
                );
            }
            report
        });
    (
        prop::collection::vec(report, 0..30),
        select(Figure::chart_choices().collect::<Vec<_>>()),
    )
}

/// A link we make opens, with as many models as it says it holds, within its bounds.
fn check_own_link(reports: &[FlatReport], y: Figure) -> TestCaseResult {
    let settings = ChartSettings {
        y,
        ..ChartSettings::default()
    };
    let link = encode_share(reports, &settings, MAX_FRAGMENT_CHARS);
    let view = decode_share(&link.fragment)
        .map_err(|e| TestCaseError::fail(format!("our own link does not open: {e}")))?;
    prop_assert_eq!(view.reports.len(), link.n_shared);
    prop_assert_eq!(view.n_total, reports.len());
    check_view(&view)
}

// ---------------------------------------------------------------------------------------------
// Chart ranges (chart::scatter::range)

/// A value an axis could be asked to show: any double (NaN and infinities too), the edges, or
/// an ordinary share.
fn wild_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        2 => any::<f64>(),
        1 => select(&[f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MAX, f64::MIN, AXIS_LIMIT,
            -AXIS_LIMIT, AXIS_LIMIT - 0.01, 1e-300, 0.0, 1.0, 1e308][..]),
        3 => (0u32..=1000).prop_map(|n| f64::from(n) / 1000.0),
        1 => -2e6f64..2e6,
    ]
}

#[allow(clippy::type_complexity)]
fn wild_stats() -> impl Strategy<Value = (Vec<Stat>, Vec<Stat>, Vec<f64>)> {
    (
        wild_stat_list(),
        wild_stat_list(),
        prop::collection::vec(wild_value(), 0..3),
    )
}

fn wild_stat_list() -> impl Strategy<Value = Vec<Stat>> {
    let stat =
        (wild_value(), wild_value(), wild_value()).prop_map(|(mean, lo, hi)| Stat { mean, lo, hi });
    prop::collection::vec(stat, 0..6)
}

/// Both axes are finite, at least [`MIN_SPAN`] wide, and hold every value they can show (NaN
/// left out, the rest clamped to [`AXIS_LIMIT`]); a held point lies inside them.
fn check_ranges(x: &[Stat], y: &[Stat], marks: &[f64]) -> TestCaseResult {
    let points: Vec<ScatterPoint> = x
        .iter()
        .zip(y)
        .map(|(&x, &y)| ScatterPoint {
            label: "m".into(),
            x,
            y,
            colour: (0, 0, 0),
        })
        .collect();
    let marks: Vec<PaperMark> = marks
        .iter()
        .map(|&rc| PaperMark { rc, label: "mark" })
        .collect();
    let ranges = fit_ranges(&points, &marks);
    let mark_stats: Vec<Stat> = marks
        .iter()
        .map(|m| Stat {
            mean: m.rc,
            lo: m.rc,
            hi: m.rc,
        })
        .collect();
    let y_all: Vec<Stat> = points.iter().map(|p| p.y).chain(mark_stats).collect();
    let x_all: Vec<Stat> = points.iter().map(|p| p.x).collect();
    for (range, stats) in [(&ranges.x, &x_all), (&ranges.y, &y_all)] {
        prop_assert!(
            range.start.is_finite() && range.end.is_finite(),
            "{:?}",
            range
        );
        prop_assert!(range.end - range.start >= MIN_SPAN, "{:?}", range);
        for v in stats.iter().flat_map(|s| [s.lo, s.mean, s.hi]) {
            if !v.is_nan() {
                let v = v.clamp(-AXIS_LIMIT, AXIS_LIMIT);
                prop_assert!(range.contains(&v) || v == range.end, "{} in {:?}", v, range);
            }
        }
    }
    prop_assert_eq!(fit_axis(x_all.iter().copied()), ranges.x.clone());
    for point in &points {
        let held = ranges.hold(point);
        for (s, range) in [(held.x, &ranges.x), (held.y, &ranges.y)] {
            for v in [s.lo, s.mean, s.hi] {
                prop_assert!(v.is_nan() || (range.start <= v && v <= range.end));
            }
        }
    }
    Ok(())
}
