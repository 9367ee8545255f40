//! One row of one model laid out for the sample view (conversation, both checklists, the
//! matching, both verdicts), and the filters that pick which rows the view steps through.

use serde_json::Value;

use super::dataset::{lookup, value_text, Answer, Checklist, LoadedFile, Record, TEXT_SUFFIX};
use super::metrics::{best_matching, RowOutcome, RowScores, MAX_ORIGINAL_ITEMS};
use super::pipeline::swap_name;
use super::reply::Triple;
use super::summary::{ModelReport, Options, RowResult, NO_GROUP};
use super::verdict::{read_verdict, ModelVerdict, OaOutcome, Verdict};

/// The role given to a context that is not a list of turns.
pub const CONTEXT_ROLE: &str = "context";

/// Everything the sample view shows of one row. All text is plain, as found in the file; the
/// page must render it as text, never as HTML.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleView {
    pub line: usize,
    /// The value of `Options::group_by` (e.g. the domain).
    pub group: Option<String>,
    /// `(role, content)` turns. A `context` array of `{role, content}` objects gives one turn
    /// each; a string gives one turn with role [`CONTEXT_ROLE`]; anything else is shown as its
    /// JSON text in one such turn.
    pub context: Vec<(String, String)>,
    pub response1: Option<String>,
    pub response2: Option<String>,
    pub human_items: Vec<String>,
    pub model_items: Vec<String>,
    /// Model items that take part in the matching: `min(model items, 5)`.
    pub n_orig: usize,
    /// The best one-to-one matching `(r, s, score)`, 1-based; empty unless the row is scored.
    pub matched: Vec<(usize, usize, f64)>,
    /// Every triple the judge wrote, matched or not.
    pub triples: Vec<Triple>,
    /// Human items (1-based) not in `matched`.
    pub unmatched_human: Vec<usize>,
    /// Model items among the first `n_orig` (1-based) not in `matched`.
    pub unmatched_model: Vec<usize>,
    /// Model items beyond `n_orig` (1-based): the method does not look at them.
    pub not_considered: Vec<usize>,
    pub model_verdict: ModelVerdict,
    /// The verdict of `<model>@swap` on the same row (the responses exchanged, read back in
    /// this order), when the file has that column (SPEC 8, swap): shown beside the model's.
    pub swap_verdict: Option<ModelVerdict>,
    /// The human verdict as read for OA.
    pub human_verdict: Option<Verdict>,
    /// The human verdict field as written: strings as they are, other JSON as its text.
    pub human_verdict_raw: Option<String>,
    /// The matcher's answer text (the MetaJudge matching of this row).
    pub answer: Option<String>,
    /// The model's own answer, when the row holds `<model>-generated_text` (a candidate put on
    /// the chart by the pipeline, SPEC 8: its answer to the judge prompt, from which its items
    /// and verdict were read).
    pub model_answer: Option<String>,
    pub outcome: RowOutcome,
    pub oa: OaOutcome,
    pub scores: Option<RowScores>,
}

/// Which rows by their outcome.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum OutcomeFilter {
    #[default]
    Any,
    Scored,
    Error,
    Skipped,
    NotJudged,
    /// Errors of one kind, named by [`super::metrics::RowError::kind`].
    ErrorKind(String),
}

/// Which rows the sample view steps through.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleFilter {
    /// A group name as the breakdown gives it ([`NO_GROUP`] for rows without the field).
    pub group: Option<String>,
    pub outcome: OutcomeFilter,
    /// Bounds on the row's one-to-one recall, both included. Rows without a score pass only
    /// when the range is the full `0..=1`, i.e. when no range is chosen.
    pub rc_min: f64,
    pub rc_max: f64,
}

impl Default for SampleFilter {
    /// Every row: any group, any outcome, RC from 0 to 1.
    fn default() -> Self {
        SampleFilter {
            group: None,
            outcome: OutcomeFilter::Any,
            rc_min: 0.0,
            rc_max: 1.0,
        }
    }
}

/// The row at `row_pos` of `report` (an index into `report.rows`), or `None` when there is no
/// such row. `answer_text` is the judge's text when the caller has it (a run's live view);
/// otherwise it is read from the file's line.
pub fn sample_view(
    file: &LoadedFile,
    report: &ModelReport,
    row_pos: usize,
    answer_text: Option<&str>,
    options: &Options,
) -> Option<SampleView> {
    let row = report.rows.get(row_pos)?;
    let record = file.records.get(row.record_idx)?;
    let data = file.data_row(record).unwrap_or_default();
    let column = file
        .model_idx(&report.model)
        .and_then(|idx| record.column(idx));

    let human_items = items(record.human.as_ref());
    let model_items = items(column.and_then(|c| c.checklist.as_ref()));
    let n_ref = human_items.len();
    let n_model = model_items.len();
    let n_orig = n_model.min(MAX_ORIGINAL_ITEMS);
    let triples = match &record.answer {
        Some(Answer::Given(reply)) => reply.triples.clone(),
        _ => Vec::new(),
    };
    let scores = match &row.outcome {
        RowOutcome::Scored(scores) => Some(*scores),
        _ => None,
    };
    // Only a scored row passed the checks that make its triples mean something.
    let matched = match scores {
        Some(_) => best_matching(&triples, n_ref, n_orig).pairs,
        None => Vec::new(),
    };
    let unmatched_human = (1..=n_ref)
        .filter(|&r| !matched.iter().any(|m| m.0 == r))
        .collect();
    let unmatched_model = (1..=n_orig)
        .filter(|&s| !matched.iter().any(|m| m.1 == s))
        .collect();

    Some(SampleView {
        line: record.line,
        group: record.group(&options.group_by),
        context: lookup(&data, "context").map_or_else(Vec::new, context_turns),
        response1: lookup(&data, "response1").map(value_text),
        response2: lookup(&data, "response2").map(value_text),
        human_items,
        model_items,
        n_orig,
        matched,
        triples,
        unmatched_human,
        unmatched_model,
        not_considered: (n_orig + 1..=n_model).collect(),
        model_verdict: column.map_or(ModelVerdict::Missing, |c| c.verdict.clone()),
        swap_verdict: file
            .model_idx(&swap_name(&report.model))
            .and_then(|idx| record.column(idx))
            .map(|c| c.verdict.clone()),
        // Read as the figures read it, so the verdict shown is the one OA counted.
        human_verdict: record.field(&options.human_verdict).and_then(read_verdict),
        human_verdict_raw: lookup(&data, &options.human_verdict).map(value_text),
        answer: answer_text
            .map(str::to_string)
            .or_else(|| file.answer_text(record)),
        model_answer: lookup(&data, &format!("{}{TEXT_SUFFIX}", report.model)).map(value_text),
        outcome: row.outcome.clone(),
        oa: row.oa,
        scores,
    })
}

/// The positions in `report.rows` (file order) of the rows that pass `filter`.
pub fn filter_rows(
    file: &LoadedFile,
    report: &ModelReport,
    filter: &SampleFilter,
    options: &Options,
) -> Vec<usize> {
    report
        .rows
        .iter()
        .enumerate()
        .filter(|(_, row)| {
            let record = file.records.get(row.record_idx);
            passes_group(record, filter, options)
                && passes_outcome(row, &filter.outcome)
                && passes_rc(row, filter)
        })
        .map(|(pos, _)| pos)
        .collect()
}

/// Which of the filtered `rows` (positions in `report.rows`, from [`filter_rows`]) the view
/// shows: the row of `wanted_line` when one was asked for and passes the filter, otherwise
/// `position`, held to the last row.
pub fn shown_position(
    rows: &[usize],
    report: &ModelReport,
    wanted_line: Option<usize>,
    position: usize,
) -> usize {
    wanted_line
        .and_then(|line| {
            rows.iter()
                .position(|&p| report.rows.get(p).is_some_and(|r| r.line == line))
        })
        .unwrap_or(position)
        .min(rows.len().saturating_sub(1))
}

/// The position `by` steps from `position` among `n_rows` filtered rows, held at both ends:
/// O(1), so that an arrow key never filters the rows again.
pub fn step_position(position: usize, by: isize, n_rows: usize) -> usize {
    let last = n_rows.saturating_sub(1) as isize;
    (position as isize + by).clamp(0, last) as usize
}

/// The distinct kinds of error among a report's rows, in order of first appearance, for the
/// filter's menu.
pub fn error_kinds(report: &ModelReport) -> Vec<String> {
    let mut kinds: Vec<String> = Vec::new();
    for row in &report.rows {
        if let RowOutcome::Error(e) = &row.outcome {
            if !kinds.iter().any(|k| k == e.kind()) {
                kinds.push(e.kind().to_string());
            }
        }
    }
    kinds
}

fn passes_group(record: Option<&Record>, filter: &SampleFilter, options: &Options) -> bool {
    let Some(wanted) = &filter.group else {
        return true;
    };
    // Named as the breakdown names it, so a group picked there finds its rows here.
    let group = record
        .and_then(|r| r.group(&options.group_by))
        .unwrap_or_else(|| NO_GROUP.to_string());
    group == *wanted
}

fn passes_outcome(row: &RowResult, wanted: &OutcomeFilter) -> bool {
    match (wanted, &row.outcome) {
        (OutcomeFilter::Any, _) => true,
        (OutcomeFilter::Scored, RowOutcome::Scored(_))
        | (OutcomeFilter::Error, RowOutcome::Error(_))
        | (OutcomeFilter::Skipped, RowOutcome::Skipped(_))
        | (OutcomeFilter::NotJudged, RowOutcome::NotJudged) => true,
        (OutcomeFilter::ErrorKind(kind), RowOutcome::Error(e)) => e.kind() == kind,
        _ => false,
    }
}

fn passes_rc(row: &RowResult, filter: &SampleFilter) -> bool {
    match &row.outcome {
        RowOutcome::Scored(scores) => filter.rc_min <= scores.rc && scores.rc <= filter.rc_max,
        // A row without a score has no RC to place in a chosen range.
        _ => filter.rc_min <= 0.0 && filter.rc_max >= 1.0,
    }
}

fn items(checklist: Option<&Checklist>) -> Vec<String> {
    match checklist {
        Some(Checklist::Items(items)) => items.clone(),
        _ => Vec::new(),
    }
}

fn context_turns(value: &Value) -> Vec<(String, String)> {
    match value {
        Value::Null => Vec::new(),
        Value::Array(turns) => turns.iter().map(turn).collect(),
        other => vec![(CONTEXT_ROLE.to_string(), value_text(other))],
    }
}

/// One element of a context array: a `{role, content}` object as its two texts; anything else
/// as one turn of its own text, so nothing in the row is hidden.
fn turn(value: &Value) -> (String, String) {
    match (value.get("role"), value.get("content")) {
        (Some(role), Some(content)) => (value_text(role), value_text(content)),
        _ => (CONTEXT_ROLE.to_string(), value_text(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::load;
    use crate::engine::metrics::{RowError, SkipReason};
    use crate::engine::summary::evaluate;
    use serde_json::json;

    const XSS: &str = "<img src=x onerror=alert(1)>";

    fn judged(answer: Option<&str>, metadata: Value) -> String {
        let samples = match answer {
            Some(text) => json!([{ "generated_text": text }]),
            None => json!([]),
        };
        json!({ "samples": samples, "metadata": metadata }).to_string()
    }

    /// Seven rows of model `m`: scored (HTML everywhere), scored with 7 items and a shared S,
    /// no answer, empty checklist (skipped), no RESULT block, context of another shape, and a
    /// checklist too long for `max_len`.
    fn file() -> LoadedFile {
        let seven: Vec<String> = (1..=7).map(|i| format!("s{i}")).collect();
        let eleven: Vec<String> = (1..=11).map(|i| format!("s{i}")).collect();
        let rows = [
            judged(
                Some("<RESULT_START>- R1@S1: 1<RESULT_END>"),
                json!({"domain": "code", "context": [{"role": "user", "content": "<b>hi</b>"}, {"role": "assistant", "content": "ok"}, "loose"],
                       "response1": "<script>x</script>", "response2": 2, "overall_preference": -1,
                       "human-checklist": ["h & <i>1</i>"], "m-checklist": [XSS], "m-label": "A>B"}),
            ),
            judged(
                Some("<RESULT_START>- R1@S3: 1\n- R2@S3: 0.5\n- R3@S6: 1<RESULT_END>"),
                json!({"domain": "chat", "context": "just text", "Overall_Preference": "B>>A",
                       "human-checklist": ["h1", "h2", "h3"], "m-checklist": seven, "m-label": "B>A"}),
            ),
            judged(
                None,
                json!({"domain": "chat", "human-checklist": ["h1"], "m-checklist": ["s1"]}),
            ),
            judged(
                Some("<RESULT_START>- R1@S0: 0<RESULT_END>"),
                json!({"domain": "code", "human-checklist": ["h1"], "m-checklist": []}),
            ),
            judged(
                Some("no block"),
                json!({"human-checklist": ["h1"], "m-checklist": ["s1"]}),
            ),
            judged(
                Some("<RESULT_START>- R1@S1: 0.25<RESULT_END>"),
                json!({"domain": "code", "context": {"turns": 1}, "human-checklist": ["h1"], "m-checklist": ["s1", "s2"]}),
            ),
            judged(
                Some("<RESULT_START>- R1@S1: 1<RESULT_END>"),
                json!({"domain": "code", "human-checklist": ["h1"], "m-checklist": eleven}),
            ),
        ];
        load("s.jsonl", rows.join("\n").as_bytes())
    }

    fn view(row_pos: usize, answer_text: Option<&str>) -> SampleView {
        let file = file();
        let options = Options::default();
        let report = evaluate(&file, 0, &options);
        sample_view(&file, &report, row_pos, answer_text, &options).unwrap()
    }

    /// Matched pairs, unmatched human items, unmatched model items, items not considered.
    type Layout = (Vec<(usize, usize, f64)>, Vec<usize>, Vec<usize>, Vec<usize>);

    #[track_caller]
    fn check(view: &SampleView, layout: Layout, scored: bool) {
        let got = (
            view.matched.clone(),
            view.unmatched_human.clone(),
            view.unmatched_model.clone(),
            view.not_considered.clone(),
        );
        assert_eq!(got, layout, "layout of line {}", view.line);
        assert_eq!(view.scores.is_some(), scored, "score of line {}", view.line);
        assert_eq!(view.n_orig, view.model_items.len().min(MAX_ORIGINAL_ITEMS));
    }

    #[test]
    fn markup_comes_through_as_plain_text() {
        let v = view(0, None);
        check(&v, (vec![(1, 1, 1.0)], vec![], vec![], vec![]), true);
        assert_eq!(v.model_items, vec![XSS.to_string()]);
        assert_eq!(v.human_items, vec!["h & <i>1</i>".to_string()]);
        assert_eq!(v.response1.as_deref(), Some("<script>x</script>"));
        assert_eq!(v.response2.as_deref(), Some("2"));
        assert_eq!(v.group.as_deref(), Some("code"));
        assert_eq!(
            v.answer.as_deref(),
            Some("<RESULT_START>- R1@S1: 1<RESULT_END>")
        );
        assert_eq!(v.human_verdict, Some(Verdict::A));
        assert_eq!(v.human_verdict_raw.as_deref(), Some("-1"));
        assert_eq!(v.oa, OaOutcome::Correct);
        // The caller's text wins (a run's live view).
        assert_eq!(view(0, Some("live")).answer.as_deref(), Some("live"));
    }

    #[test]
    fn context_is_turns_whatever_its_shape() {
        let turns = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(r, c)| (r.to_string(), c.to_string()))
                .collect()
        };
        let table = [
            (
                0,
                turns(&[
                    ("user", "<b>hi</b>"),
                    ("assistant", "ok"),
                    ("context", "loose"),
                ]),
            ),
            (1, turns(&[("context", "just text")])),
            (5, turns(&[("context", r#"{"turns":1}"#)])),
            (2, Vec::new()),
        ];
        for (pos, expected) in table {
            assert_eq!(view(pos, None).context, expected, "row {pos}");
        }
    }

    #[test]
    fn matching_leaves_out_a_shared_s_and_items_beyond_five() {
        let v = view(1, None);
        // R1 and R2 share S3; R3 names S6, which the method does not look at.
        check(
            &v,
            (vec![(1, 3, 1.0)], vec![2, 3], vec![1, 2, 4, 5], vec![6, 7]),
            true,
        );
        assert_eq!(v.triples.len(), 3);
        assert_eq!(v.n_orig, 5);
        assert_eq!(v.human_verdict_raw.as_deref(), Some("B>>A"));
        assert_eq!(v.oa, OaOutcome::Correct);
    }

    #[test]
    fn errors_and_skipped_rows_match_nothing() {
        let v = view(2, None);
        check(&v, (vec![], vec![1], vec![1], vec![]), false);
        assert_eq!(v.outcome, RowOutcome::Error(RowError::NoAnswer));
        assert_eq!(v.answer, None);
        let v = view(3, None);
        check(&v, (vec![], vec![1], vec![], vec![]), false);
        assert_eq!(v.outcome, RowOutcome::Skipped(SkipReason::Empty));
        let v = view(6, None);
        check(
            &v,
            (vec![], vec![1], vec![1, 2, 3, 4, 5], (6..=11).collect()),
            false,
        );
        assert!(matches!(
            v.outcome,
            RowOutcome::Skipped(SkipReason::TooLong { len: 11, max: 10 })
        ));
        assert_eq!(v.model_verdict, ModelVerdict::Missing);
        let file = file();
        let report = evaluate(&file, 0, &Options::default());
        assert_eq!(
            sample_view(&file, &report, 7, None, &Options::default()),
            None
        );
    }

    #[test]
    fn filters_pick_rows_by_group_outcome_and_rc() {
        let file = file();
        let options = Options::default();
        let report = evaluate(&file, 0, &options);
        let filter =
            |group: Option<&str>, outcome: OutcomeFilter, rc_min: f64, rc_max: f64| SampleFilter {
                group: group.map(str::to_string),
                outcome,
                rc_min,
                rc_max,
            };
        use OutcomeFilter::*;
        let table = [
            (SampleFilter::default(), vec![0, 1, 2, 3, 4, 5, 6]),
            (filter(Some("code"), Any, 0.0, 1.0), vec![0, 3, 5, 6]),
            (filter(Some(NO_GROUP), Any, 0.0, 1.0), vec![4]),
            (filter(None, Scored, 0.0, 1.0), vec![0, 1, 5]),
            (filter(None, Error, 0.0, 1.0), vec![2, 4]),
            (filter(None, Skipped, 0.0, 1.0), vec![3, 6]),
            (filter(None, NotJudged, 0.0, 1.0), vec![]),
            (
                filter(None, ErrorKind("no judge answer".into()), 0.0, 1.0),
                vec![2],
            ),
            // A chosen range keeps only scored rows inside it.
            (filter(None, Any, 0.3, 1.0), vec![0, 1]),
            (filter(None, Any, 0.0, 0.3), vec![5]),
            (filter(Some("chat"), Any, 0.0, 0.5), vec![1]),
        ];
        for (f, expected) in table {
            assert_eq!(filter_rows(&file, &report, &f, &options), expected, "{f:?}");
        }
    }

    #[test]
    fn steps_stop_at_both_ends() {
        let table = [
            ((0, 1, 3), 1),
            ((2, 1, 3), 2),
            ((0, -1, 3), 0),
            ((2, -1, 3), 1),
            ((0, 1, 1), 0),
            ((0, 1, 0), 0),
        ];
        for ((position, by, n_rows), expected) in table {
            assert_eq!(
                step_position(position, by, n_rows),
                expected,
                "{position} by {by} of {n_rows}"
            );
        }
    }

    /// The report of [`file`] and its rows that pass `filter`, filtered once.
    fn filtered(filter: &SampleFilter) -> (ModelReport, Vec<usize>) {
        let file = file();
        let options = Options::default();
        let report = evaluate(&file, 0, &options);
        let rows = filter_rows(&file, &report, filter, &options);
        (report, rows)
    }

    #[test]
    fn an_asked_for_line_wins_over_the_position() {
        let (report, rows) = filtered(&SampleFilter {
            group: Some("code".into()),
            ..SampleFilter::default()
        });
        let line_of = |pos: usize| report.rows[rows[pos]].line;
        let table = [
            ((Some(line_of(2)), 0), 2),
            // A line the filter leaves out falls back to the position, held to the last row.
            ((Some(report.rows[1].line), 1), 1),
            ((None, 9), rows.len() - 1),
        ];
        for ((wanted_line, position), expected) in table {
            assert_eq!(
                shown_position(&rows, &report, wanted_line, position),
                expected,
                "{wanted_line:?} at {position}"
            );
        }
    }

    /// The bug: every arrow key ran `filter_rows` again (and, during a run, rebuilt the live
    /// view). Stepping now needs only the list filtered once and its length.
    #[test]
    fn arrow_keys_step_through_rows_filtered_once() {
        let (_, rows) = filtered(&SampleFilter::default());
        let mut position = 0;
        let mut seen = vec![rows[position]];
        for _ in 0..rows.len() + 2 {
            position = step_position(position, 1, rows.len());
            if seen.last() != Some(&rows[position]) {
                seen.push(rows[position]);
            }
        }
        assert_eq!(seen, rows);
        assert_eq!(step_position(position, -100, rows.len()), 0);
    }

    #[test]
    fn error_kinds_are_listed_once_in_file_order() {
        let file = file();
        let report = evaluate(&file, 0, &Options::default());
        assert_eq!(
            error_kinds(&report),
            vec![
                "no judge answer".to_string(),
                "no RESULT block in the judge answer".to_string()
            ]
        );
    }

    #[test]
    fn the_swapped_verdict_comes_beside_the_model_verdict() {
        #[track_caller]
        fn check(text: &str, expected: Option<ModelVerdict>) {
            let file = load("w.jsonl", text.as_bytes());
            let options = Options::default();
            let report = evaluate(&file, 0, &options);
            let view = sample_view(&file, &report, 0, None, &options).unwrap();
            assert_eq!(view.swap_verdict, expected, "{text}");
        }
        let row = |swap: &str| {
            format!(
                r#"{{"human-checklist": ["h"], "overall_preference": 1, "j-checklist": ["s"], "j-label": "A>B"{swap}}}"#
            )
        };
        check(&row(""), None);
        check(
            &row(r#", "j@swap-checklist": ["s"], "j@swap-label": "B>A""#),
            Some(ModelVerdict::Read(Verdict::B)),
        );
        check(
            &row(r#", "j@swap-checklist": ["s"], "j@swap-label": "A>B""#),
            Some(ModelVerdict::Read(Verdict::A)),
        );
    }

    #[test]
    fn a_candidates_own_answer_is_shown_when_the_row_has_it() {
        #[track_caller]
        fn check(extra: &str, expected: Option<&str>) {
            let text = format!(
                r#"{{"human-checklist": ["h"], "overall_preference": 1, "Cand-checklist": ["s"], "Cand-label": "A>B"{extra}}}"#
            );
            let file = load("c.jsonl", text.as_bytes());
            let options = Options::default();
            let report = evaluate(&file, 0, &options);
            let view = sample_view(&file, &report, 0, None, &options).unwrap();
            assert_eq!(view.model_answer.as_deref(), expected, "{text}");
            // The matcher's answer is another text: this file has none.
            assert_eq!(view.answer, None);
        }
        check("", None);
        check(
            r#", "Cand-generated_text": "- s\\n\\boxed{A>B}""#,
            Some("- s\\n\\boxed{A>B}"),
        );
        // Keys match without case, as the figures read them.
        check(r#", "cand-GENERATED_TEXT": "<b>x</b>""#, Some("<b>x</b>"));
        check(r#", "Cand-generated_text": 3"#, Some("3"));
    }
}
