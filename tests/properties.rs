//! Property tests over hostile input (issue 12, "fuzzing as a habit"): the JSONL reader, the
//! answer readers (SPEC 3 and 8), share-link decoding and the chart's axis ranges. Each runs
//! [`CASES`] cases from a fixed seed, so CI sees the same inputs every time; the properties
//! live in `fuzz/src/properties.rs`, which the long fuzz command runs from fresh seeds.
#![cfg(not(target_arch = "wasm32"))]

#[path = "fuzz/src/properties.rs"]
mod properties;

use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Cases per property: together they take a few seconds in the test profile.
const CASES: u32 = 256;

#[track_caller]
fn check(name: &str) {
    let property = properties::property(name).expect("a property of that name");
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    if let Err(failure) = (property.run)(&mut TestRunner::new_with_rng(config, rng)) {
        panic!("{name}: {failure}");
    }
}

#[test]
fn every_property_has_a_test() {
    let tested = [
        "jsonl_reader_arbitrary_bytes",
        "jsonl_reader_mutated_fixtures",
        "jsonl_reader_json_objects",
        "mutated_fixtures_score_and_share",
        "reply_arbitrary_answers",
        "reply_reads_every_score_line",
        "judge_answer_arbitrary_answers",
        "judge_answer_reads_reasons_and_verdict",
        "share_arbitrary_fragments",
        "share_hostile_payloads",
        "share_links_we_make_open",
        "chart_axis_ranges",
    ];
    let all: Vec<&str> = properties::PROPERTIES.iter().map(|p| p.name).collect();
    assert_eq!(all, tested);
}

#[test]
fn jsonl_reader_arbitrary_bytes() {
    check("jsonl_reader_arbitrary_bytes");
}

#[test]
fn jsonl_reader_mutated_fixtures() {
    check("jsonl_reader_mutated_fixtures");
}

#[test]
fn jsonl_reader_json_objects() {
    check("jsonl_reader_json_objects");
}

#[test]
fn mutated_fixtures_score_and_share() {
    check("mutated_fixtures_score_and_share");
}

#[test]
fn reply_arbitrary_answers() {
    check("reply_arbitrary_answers");
}

#[test]
fn reply_reads_every_score_line() {
    check("reply_reads_every_score_line");
}

#[test]
fn judge_answer_arbitrary_answers() {
    check("judge_answer_arbitrary_answers");
}

#[test]
fn judge_answer_reads_reasons_and_verdict() {
    check("judge_answer_reads_reasons_and_verdict");
}

#[test]
fn share_arbitrary_fragments() {
    check("share_arbitrary_fragments");
}

#[test]
fn share_hostile_payloads() {
    check("share_hostile_payloads");
}

#[test]
fn share_links_we_make_open() {
    check("share_links_we_make_open");
}

#[test]
fn chart_axis_ranges() {
    check("chart_axis_ranges");
}
