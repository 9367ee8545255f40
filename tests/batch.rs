#![cfg(not(target_arch = "wasm32"))]
//! `metajudge batch` end to end through the built binary: export a data set's matching as batch
//! files, answer every line with a small deterministic answerer (OpenAI's shape for one model,
//! vLLM's for another, some failures, a duplicate, lines from elsewhere, a broken line), import
//! the files shuffled, and check that `metajudge score --json` on the judged files gives the
//! figures of the same answers put into judged files directly.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use metajudge_studio::engine::batch::custom_id::CustomId;
use metajudge_studio::engine::dataset::{load, Checklist, LoadedFile};
use metajudge_studio::engine::export::FlatReport;
use metajudge_studio::engine::prompt::{record_prompt, METAJUDGE_TEMPLATE};
use metajudge_studio::engine::summary::{evaluate, Options};
use metajudge_studio::llm::wire::request_body;
use metajudge_studio::runner::plan::RunSettings;
use serde_json::{json, Value};

const MATCHER: &str = "matcher-1";

fn dataset_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data/dataset-n50.jsonl")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("metajudge-batch-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn metajudge(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_metajudge"))
        .args(args)
        .output()
        .unwrap()
}

fn batch(verb: &str, out: &Path, extra: &[&str]) -> Output {
    let dataset = dataset_path();
    let mut args = vec!["batch", verb, dataset.to_str().unwrap(), "--stage", "match"];
    args.extend(["--request-model", MATCHER, "--out", out.to_str().unwrap()]);
    args.extend(extra);
    metajudge(&args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The input files written, sorted by name: (name, lines parsed).
fn input_files(dir: &Path) -> Vec<(String, Vec<Value>)> {
    let mut files: Vec<(String, Vec<Value>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let lines = text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                lines,
            )
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// A valid MetaJudge answer (SPEC 3) for one call, fixed by its row and model: one score line
/// per human item, S numbers among the model's first five (0 = no match).
fn answer(dataset: &LoadedFile, id: &CustomId, dataset_model: usize) -> String {
    let record = &dataset.records[id.row_idx];
    let n_items = |list: &Option<Checklist>| match list {
        Some(Checklist::Items(items)) => items.len(),
        _ => 0,
    };
    let n_ref = n_items(&record.human);
    let n_orig = n_items(&record.column(dataset_model).unwrap().checklist).min(5);
    let lines: Vec<String> = (1..=n_ref)
        .map(|r| {
            let s = (r + id.row_idx) % (n_orig + 1);
            let score = [0.0, 0.25, 0.5, 0.75, 1.0][(r * 7 + id.row_idx + id.model_idx) % 5];
            format!("- R{r}@S{s}: {score}")
        })
        .collect();
    format!(
        "Reasoning.\n<RESULT_START>\n{}\n<RESULT_END>",
        lines.join("\n")
    )
}

fn completion(content: &str) -> Value {
    json!({"id": "chatcmpl-x", "object": "chat.completion", "model": MATCHER,
           "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
           "usage": {"prompt_tokens": 900, "completion_tokens": 40, "total_tokens": 940}})
}

/// An output line in OpenAI's shape (`vllm == false`) or vLLM's.
fn output_line(custom_id: &str, content: Option<&str>, vllm: bool) -> String {
    let (id, request_id) = if vllm {
        ("vllm-1", "vllm-batch-1")
    } else {
        ("batch_req_1", "req_1")
    };
    let line = match (content, vllm) {
        (Some(content), _) => json!({"id": id, "custom_id": custom_id,
            "response": {"status_code": 200, "request_id": request_id, "body": completion(content)}, "error": null}),
        (None, false) => json!({"id": id, "custom_id": custom_id, "response": null,
            "error": {"code": "batch_expired", "message": "not run in the window"}}),
        (None, true) => json!({"id": id, "custom_id": custom_id,
            "response": {"status_code": 400, "request_id": request_id}, "error": "prompt too long"}),
    };
    line.to_string()
}

/// A judged file made directly from `answers` ((row index, answer text or `None` = failed)),
/// in data-set order, without the batch code.
fn direct_judged(model: &str, answers: &[(usize, Option<String>)]) -> LoadedFile {
    let rows: Vec<Value> = std::fs::read_to_string(dataset_path())
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut sorted = answers.to_vec();
    sorted.sort_by_key(|(row_idx, _)| *row_idx);
    let text: String = sorted
        .iter()
        .map(|(row_idx, answer)| {
            let samples = match answer {
                Some(text) => json!([{"generated_text": text}]),
                None => json!([]),
            };
            json!({"samples": samples, "metadata": rows[*row_idx], "metajudge": {"model": model}})
                .to_string()
                + "\n"
        })
        .collect();
    load(model, text.as_bytes())
}

/// A figure row without the file name (which differs by construction).
fn figures(mut row: Value) -> Value {
    row.as_object_mut().unwrap().remove("file");
    row
}

#[test]
fn export_answer_import_gives_the_figures_of_the_same_answers() {
    let dir = scratch("round-trip");
    let (inputs, outputs, judged) = (dir.join("in"), dir.join("out"), dir.join("judged"));
    let exported = batch(
        "export",
        &inputs,
        &["--model", "model-b", "--model", "model-a"],
    );
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let files = input_files(&inputs);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "dataset-n50-match-model-a.jsonl",
            "dataset-n50-match-model-b.jsonl"
        ]
    );

    let dataset = load("d", &std::fs::read(dataset_path()).unwrap());
    let settings = RunSettings {
        judge_model: MATCHER.into(),
        ..RunSettings::default()
    };
    // The run's models are in the order asked: model-b is 0, model-a is 1.
    let run_models = ["model-b", "model-a"];
    let mut given: HashMap<&str, Vec<(usize, Option<String>)>> = HashMap::new();
    let mut out_lines: Vec<Vec<String>> = vec![Vec::new(), Vec::new()];
    for (file_idx, (_, lines)) in files.iter().enumerate() {
        for (line_idx, line) in lines.iter().enumerate() {
            let custom_id = line["custom_id"].as_str().unwrap();
            let id: CustomId = custom_id.parse().unwrap();
            let model = run_models[id.model_idx];
            let dataset_model = dataset.model_idx(model).unwrap();
            // Every line is the page's request of its row and model.
            assert_eq!(
                (line["method"].as_str(), line["url"].as_str()),
                (Some("POST"), Some("/v1/chat/completions"))
            );
            let prompt = record_prompt(
                &dataset.records[id.row_idx],
                dataset_model,
                METAJUDGE_TEMPLATE,
                None,
            )
            .unwrap();
            let page: Value = serde_json::from_str(&request_body(&settings, &prompt)).unwrap();
            assert_eq!(line["body"], page, "{custom_id}");
            // Every 9th call fails; the rest are answered.
            let text = (line_idx % 9 != 4).then(|| answer(&dataset, &id, dataset_model));
            given
                .entry(model)
                .or_default()
                .push((id.row_idx, text.clone()));
            out_lines[file_idx].push(output_line(custom_id, text.as_deref(), file_idx == 1));
        }
    }
    // A duplicate (another answer to a call already answered), lines from elsewhere, a broken
    // line; then every file shuffled and written in another order.
    // The duplicates: the first call answered again alike (a batch sent twice), and the second
    // call's answer followed by an unreadable one, which a readable answer beats in any order.
    let first = files[0].1[0]["custom_id"].as_str().unwrap();
    let again = given["model-a"][0].1.clone().unwrap();
    out_lines[1].push(output_line(first, Some(&again), true));
    let second = files[0].1[1]["custom_id"].as_str().unwrap();
    out_lines[1].push(output_line(second, Some("no result block"), true));
    let foreign = first.replace("cli-", "cli-0");
    out_lines[1].push(output_line(&foreign, Some("x"), false));
    out_lines[1].push("{\"custom_id\": ".into());
    std::fs::create_dir_all(&outputs).unwrap();
    let mut result_paths = Vec::new();
    for (file_idx, lines) in out_lines.iter_mut().enumerate().rev() {
        let n = lines.len();
        lines.rotate_left(n / 3);
        lines.reverse();
        let path = outputs.join(format!("results-{file_idx}.jsonl"));
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        result_paths.push(path.to_string_lossy().into_owned());
    }
    let mut args = vec!["--results"];
    args.extend(result_paths.iter().map(String::as_str));
    let imported = batch(
        "import",
        &judged,
        &[&["--model", "model-b", "--model", "model-a"], &args[..]].concat(),
    );
    let printed = stdout(&imported);
    assert_eq!(
        imported.status.code(),
        Some(3),
        "lines from elsewhere: partial\n{printed}"
    );
    let n_failed = |model: &str| given[model].iter().filter(|(_, t)| t.is_none()).count();
    let n_answered = |model: &str| given[model].len() - n_failed(model);
    for (model, n_duplicates) in [("model-a", 2), ("model-b", 0)] {
        let want = format!(
            "{model}: {} answered (0 unreadable), {} failed, {n_duplicates} duplicates ignored",
            n_answered(model),
            n_failed(model)
        );
        assert!(printed.contains(&want), "{want}\n{printed}");
    }
    assert!(
        printed.contains("1 lines not from this run, 1 broken lines"),
        "{printed}"
    );
    let results_1 = &result_paths[0];
    assert!(
        printed.contains(&format!("{results_1}:"))
            && printed.contains(": not from this run: custom_id `mj1:cli-0"),
        "{printed}"
    );
    assert!(
        printed.contains(": broken line: not a JSON object"),
        "{printed}"
    );

    // The judged files score like the same answers given directly.
    let mut judged_files: Vec<String> = std::fs::read_dir(&judged)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    judged_files.sort();
    assert_eq!(judged_files.len(), 2);
    assert!(judged_files[0].ends_with("dataset-n50-model-a-matcher-1-metajudge.jsonl"));
    let mut score_args = vec!["score", "--json"];
    score_args.extend(judged_files.iter().map(String::as_str));
    let scored = metajudge(&score_args);
    assert!(
        scored.status.success(),
        "{}",
        String::from_utf8_lossy(&scored.stderr)
    );
    let cli: Vec<Value> = serde_json::from_slice(&scored.stdout).unwrap();
    for (idx, model) in ["model-a", "model-b"].into_iter().enumerate() {
        let direct = direct_judged(model, &given[model]);
        let report = evaluate(&direct, direct.judged_model.unwrap(), &Options::default());
        assert!(
            report.figures.n_valid > 30 && report.figures.n_errors >= 4,
            "{model}: the test scores something"
        );
        let want = figures(serde_json::to_value(FlatReport::new(&report)).unwrap());
        assert_eq!(figures(cli[idx].clone()), want, "{model}");
    }

    // Exported again past the judged files, only the failed calls are sent, with their ids.
    let again = dir.join("again");
    let mut skip = vec![
        "--model",
        "model-b",
        "--model",
        "model-a",
        "--skip-answered",
    ];
    skip.extend(judged_files.iter().map(String::as_str));
    let exported = batch("export", &again, &skip);
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let resent: Vec<String> = input_files(&again)
        .iter()
        .flat_map(|(_, lines)| {
            lines
                .iter()
                .map(|l| l["custom_id"].as_str().unwrap().to_string())
        })
        .collect();
    let failed: Vec<String> = out_lines
        .iter()
        .flatten()
        .filter(|l| l.contains("batch_expired") || l.contains("prompt too long"))
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["custom_id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let (mut resent_sorted, mut failed_sorted) = (resent.clone(), failed.clone());
    resent_sorted.sort();
    failed_sorted.sort();
    assert_eq!(resent_sorted, failed_sorted);
    assert_eq!(resent.len(), n_failed("model-a") + n_failed("model-b"));
    let wrong_run = batch(
        "export",
        &again,
        &[&["--temperature", "0.7"], &skip[..]].concat(),
    );
    assert!(String::from_utf8_lossy(&wrong_run.stderr).contains("not a judged row of run"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn files_split_at_the_limits_and_bad_arguments_are_refused() {
    let dir = scratch("split");
    let exported = batch("export", &dir, &["--model", "model-c", "--max-lines", "20"]);
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let files = input_files(&dir);
    let parts: Vec<(&str, usize)> = files.iter().map(|(n, l)| (n.as_str(), l.len())).collect();
    assert_eq!(
        parts,
        [
            ("dataset-n50-match-model-c-part2.jsonl", 20),
            ("dataset-n50-match-model-c-part3.jsonl", 5),
            ("dataset-n50-match-model-c.jsonl", 20),
        ]
    );
    // Bad arguments: exit 2 with the reason.
    let dataset = dataset_path();
    let dataset = dataset.to_str().unwrap();
    let matching = ["--stage", "match"];
    for (args, message) in [
        (
            [&matching[..], &["--model", "model-a", "--model", "MODEL-A"]].concat(),
            "model `MODEL-A` is given twice",
        ),
        (
            [&matching[..], &["--model", "model-z"]].concat(),
            "no model `model-z`",
        ),
        (
            [&matching[..], &["--template", "/dev/null"]].concat(),
            "the prompt template lacks {source_list} and {target_list}",
        ),
        (
            vec!["--stage", "generate", "--model", "a", "--model", "b"],
            "--stage generate judges one candidate: give --model once",
        ),
        (
            vec!["--stage", "decompose"],
            "--stage decompose needs --model",
        ),
        (vec!["--stage", "judge"], "unknown stage `judge`"),
    ] {
        let mut all = vec!["batch", "export", dataset, "--request-model", "m"];
        all.extend(args);
        let refused = metajudge(&all);
        assert_eq!(refused.status.code(), Some(2), "{message}");
        let said = String::from_utf8_lossy(&refused.stderr).into_owned();
        assert!(said.contains(message), "{said}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A judge-prompt answer (SPEC 8): two reasons and a verdict fixed by the row.
fn judge_answer(row_idx: usize) -> String {
    let verdict = ["A>B", "B>A", "A=B"][row_idx % 3];
    format!("<RESULT_START>\n- reason one of row {row_idx}\n- reason two\nFinal assessment: \\boxed{{{verdict}}}\n<RESULT_END>")
}

/// The generate stage through batch files: exported with the judge prompt under the
/// candidate's name, answered (one failure, one answer without a verdict), imported into the
/// data set with the candidate's columns, which the matching then exports for that candidate.
#[test]
fn the_generate_stage_exports_imports_and_feeds_the_matching() {
    let dir = scratch("generate");
    let (inputs, outputs, columns) = (dir.join("in"), dir.join("out"), dir.join("columns"));
    let dataset = dataset_path();
    let stage = |verb: &str, out: &Path, extra: &[&str]| {
        let mut args = vec![
            "batch",
            verb,
            dataset.to_str().unwrap(),
            "--stage",
            "generate",
        ];
        args.extend([
            "--request-model",
            "judge-x",
            "--model",
            "cand",
            "--out",
            out.to_str().unwrap(),
        ]);
        args.extend(extra);
        metajudge(&args)
    };
    let exported = stage("export", &inputs, &[]);
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let files = input_files(&inputs);
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].0, "dataset-n50-generate-cand.jsonl");
    let lines = &files[0].1;
    assert_eq!(lines.len(), 50, "every row asked once");
    let prompt = lines[0]["body"]["messages"][0]["content"].as_str().unwrap();
    assert!(
        prompt.contains("[Response A]") && prompt.contains("[Response B]"),
        "{prompt}"
    );
    assert_eq!(lines[0]["body"]["model"], "judge-x");
    let out: Vec<String> = lines
        .iter()
        .map(|line| {
            let custom_id = line["custom_id"].as_str().unwrap();
            let id: CustomId = custom_id.parse().unwrap();
            assert_eq!(
                (id.stage.to_string().as_str(), id.model_idx),
                ("generate", 0)
            );
            match id.row_idx {
                3 => output_line(custom_id, None, true),
                7 => output_line(custom_id, Some("no verdict, no list"), false),
                row_idx => output_line(custom_id, Some(&judge_answer(row_idx)), false),
            }
        })
        .rev()
        .collect();
    std::fs::create_dir_all(&outputs).unwrap();
    let results = outputs.join("gen-out.jsonl");
    std::fs::write(&results, out.join("\n")).unwrap();
    let imported = stage(
        "import",
        &columns,
        &["--results", results.to_str().unwrap()],
    );
    let printed = stdout(&imported);
    assert!(
        imported.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert!(
        printed.contains("cand: 49 answered (1 unreadable), 1 failed, 0 duplicates ignored"),
        "{printed}"
    );
    let written = columns.join("dataset-n50-generate-cand.jsonl");
    let rows: Vec<Value> = std::fs::read_to_string(&written)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 50);
    assert_eq!(rows[0]["cand-label"], "A>B");
    assert_eq!(
        rows[0]["cand-checklist"],
        json!(["reason one of row 0", "reason two"])
    );
    assert_eq!(
        rows[3].get("cand-label"),
        None,
        "a failed call writes nothing"
    );
    // The data set with the candidate's reasons is ready for the matching of `cand`.
    let matching = metajudge(&[
        "batch",
        "export",
        written.to_str().unwrap(),
        "--stage",
        "match",
        "--request-model",
        MATCHER,
        "--model",
        "cand",
        "--out",
        dir.join("match").to_str().unwrap(),
    ]);
    let said = stdout(&matching);
    assert!(
        matching.status.success(),
        "{}",
        String::from_utf8_lossy(&matching.stderr)
    );
    assert!(
        said.contains("dataset-n50-generate-cand-match-cand.jsonl"),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Structured answers on the command line: `--structured json_schema` puts the matching's
/// schema into every body and makes another run (another id, so that files of the two never
/// mix); JSON results import as the reference text, recorded in the judged file, with the
/// figures the same answers give as text.
#[test]
fn structured_answers_export_and_import_as_the_reference_text() {
    let dir = scratch("structured");
    let json_flag = ["--model", "model-a", "--structured", "json_schema"];
    let text_flag = ["--model", "model-a"];
    let dataset = load("d", &std::fs::read(dataset_path()).unwrap());
    let model = dataset.model_idx("model-a").unwrap();
    let mut judged = Vec::new();
    for (name, flags) in [("text", &text_flag[..]), ("json", &json_flag[..])] {
        let (inputs, outputs) = (
            dir.join(format!("{name}-in")),
            dir.join(format!("{name}-out")),
        );
        let exported = batch("export", &inputs, flags);
        assert!(
            exported.status.success(),
            "{}",
            String::from_utf8_lossy(&exported.stderr)
        );
        let files = input_files(&inputs);
        let lines = &files[0].1;
        let mut answered = Vec::new();
        for line in lines {
            let format = &line["body"]["response_format"];
            let custom_id = line["custom_id"].as_str().unwrap();
            let id: CustomId = custom_id.parse().unwrap();
            let text = answer(&dataset, &id, model);
            let content = if name == "json" {
                assert_eq!(format["type"], "json_schema", "{custom_id}");
                assert_eq!(format["json_schema"]["name"], "matching_scores");
                let scores: Vec<Value> = metajudge_studio::engine::reply::parse_reply(&text)
                    .triples
                    .iter()
                    .map(|t| json!({"r": t.r, "s": t.s, "score": t.score}))
                    .collect();
                json!({ "scores": scores }).to_string()
            } else {
                assert!(
                    format.is_null(),
                    "free text asks for no format: {custom_id}"
                );
                text
            };
            answered.push(output_line(custom_id, Some(&content), false));
        }
        let results = dir.join(format!("{name}-results.jsonl"));
        std::fs::write(&results, answered.join("\n")).unwrap();
        let mut import_flags = flags.to_vec();
        import_flags.extend(["--results", results.to_str().unwrap()]);
        let imported = batch("import", &outputs, &import_flags);
        assert!(
            imported.status.success(),
            "{}",
            String::from_utf8_lossy(&imported.stderr)
        );
        let file = std::fs::read_dir(&outputs)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let id_of = |l: &Value| {
            l["custom_id"]
                .as_str()
                .unwrap()
                .split(':')
                .nth(1)
                .unwrap()
                .to_string()
        };
        judged.push((file, id_of(&lines[0])));
    }
    assert_ne!(
        judged[0].1, judged[1].1,
        "structured answers are another run"
    );
    let rows: Vec<Value> = std::fs::read_to_string(&judged[1].0)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for row in &rows {
        assert_eq!(row["metajudge"]["structured"], "json_schema");
        let kept = row["samples"][0]["generated_text"].as_str().unwrap();
        assert!(
            kept.starts_with("<RESULT_START>\nScores corresponding to claims:\n"),
            "{kept}"
        );
    }
    let score = |path: &Path| {
        let out = metajudge(&["score", "--json", path.to_str().unwrap()]);
        let mut all: Value = serde_json::from_slice(&out.stdout).unwrap();
        figures(all[0].take())
    };
    assert_eq!(score(&judged[0].0), score(&judged[1].0));
    let _ = std::fs::remove_dir_all(&dir);
}
