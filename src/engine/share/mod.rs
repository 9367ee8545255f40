//! Share links: the leaderboard's figures and the chart settings compressed into a URL fragment,
//! so that opening `https://app/#share=...` shows the chart and the table with no file.
//!
//! A link carries what the leaderboard shows and nothing else: never rows, answers or any key.
//! Every figure in a link is rounded to 4 decimals. The fragment is `share=v1.` followed by the
//! base64url encoding (no padding) of the raw deflate of one compact JSON object:
//!
//! ```text
//! {"y": "rc", "marks": true,
//!  "families": [[model, family], ...], "colours": [[family, "#rrggbb"], ...],
//!  "total": 12, "trimmed": false,
//!  "models": [[model, file, total, valid, errors, skipped, oa_rows,
//!              rc, oa, recall, precision, f1, ap, ap_paper, precision_std, recall_std], ...]}
//! ```
//!
//! A model's array is its name, its file, then the figures of `payload::V1_FIGURES` in order.
//!
//! `zones` (`{"show": bool, "oa": number or null, "rc": number or null}`, the alignment zones)
//! is there only when set; links without it are as they always were. `rfwr` (right for the
//! wrong reasons, one `null`, mean or `[mean, lo, hi]` per model in the order of `models`) is
//! there only in untrimmed links where some model has the figure: `V1_FIGURES` is frozen, so the
//! figure rides beside it, and a link without it opens exactly as before.
//!
//! `y` is the key of the chart's figure (`Figure::key`). Each of the seven figures from `rc` to
//! `ap_paper` is `null`, a mean, or `[mean, lo, hi]` with its 95% interval; the two standard
//! deviations are numbers or `null`. `file` is the base name only, so no directory of the
//! user's machine leaks. `total` counts the models of the leaderboard, which may be more than
//! `models` holds; `trimmed` says the secondary figures were left out (see [`encode_share`]).

mod bounds;
mod codec;
mod error;
mod payload;

pub use codec::SHARE_PREFIX;
pub use error::{Implausible, ShareError};

use codec::{pack, unpack};
use payload::{Payload, Read};

use super::export::FlatReport;
use super::view::ChartSettings;

/// Most characters of a fragment we produce: long links break in chat tools and mail clients.
pub const MAX_FRAGMENT_CHARS: usize = 8_000;

/// How many models fit in [`MAX_FRAGMENT_CHARS`] at full detail, measured on typical names
/// (`vendor3-model-name12-70b-instruct` in `dataset1-judge.jsonl`, every figure and interval
/// present, right for the wrong reasons too). A model costs about 120 characters at full detail
/// and 53 with trimmed figures: 1 model makes a fragment of 324 characters, 10 models 1,496,
/// 50 models 6,231.
pub const MODELS_THAT_FIT: usize = 65;

/// Most models a link holds, made or read: the page draws every shared model at once, and tens
/// of thousands froze it for over a minute. Links we make hold fewer anyway (about 150 typical
/// models fit in [`MAX_FRAGMENT_CHARS`] with trimmed figures); a hand-made link with more
/// opens with its first `MAX_SHARED_MODELS`, as [`ShareDetail::ModelsDropped`] says.
pub const MAX_SHARED_MODELS: usize = 1_000;

/// How much of the leaderboard a link holds.
#[derive(Clone, Debug, PartialEq)]
pub enum ShareDetail {
    /// Every model, every figure.
    Full,
    /// Every model, but only RC and OA with their intervals, recall and paper AP as means, and
    /// the chart's own figure with its interval; precision, F1, script AP and the standard
    /// deviations are left out.
    FiguresTrimmed,
    /// Only the first `shared` of `total` models (the leaderboard's order), with trimmed figures.
    ModelsDropped { shared: usize, total: usize },
}

/// A share link made by [`encode_share`].
#[derive(Clone, Debug, PartialEq)]
pub struct ShareLink {
    /// `share=v1....`, without the `#`.
    pub fragment: String,
    pub n_shared: usize,
    pub n_total: usize,
    pub detail: ShareDetail,
}

/// What a share link shows, read by [`decode_share`].
#[derive(Clone, Debug, PartialEq)]
pub struct SharedView {
    /// One report per shared model; what a link does not carry is `None` or 0, `kind` is `None`.
    pub reports: Vec<FlatReport>,
    pub settings: ChartSettings,
    /// Models on the leaderboard the link was made from.
    pub n_total: usize,
    pub detail: ShareDetail,
}

/// Makes a share link of the reports (in the order given, best first) and the chart settings,
/// at most `max_chars` long.
///
/// When the whole leaderboard does not fit, the secondary figures are left out
/// ([`ShareDetail::FiguresTrimmed`]); when that is still too long, only the first models are
/// kept, as many as fit ([`ShareDetail::ModelsDropped`]). The link is valid in every case, even
/// with no model or a limit too small for one; only the settings alone can make it longer than
/// `max_chars`. Settings about models or families not in the link are left out.
pub fn encode_share(
    reports: &[FlatReport],
    settings: &ChartSettings,
    max_chars: usize,
) -> ShareLink {
    let n_total = reports.len();
    let link = |n_shared: usize, detail: ShareDetail| {
        let trimmed = detail != ShareDetail::Full;
        ShareLink {
            fragment: make_fragment(&reports[..n_shared], settings, n_total, trimmed),
            n_shared,
            n_total,
            detail,
        }
    };
    let most = n_total.min(MAX_SHARED_MODELS);
    if most == n_total {
        let full = link(n_total, ShareDetail::Full);
        if full.fragment.len() <= max_chars || n_total == 0 {
            return full;
        }
        let trimmed = link(n_total, ShareDetail::FiguresTrimmed);
        if trimmed.fragment.len() <= max_chars {
            return trimmed;
        }
    }
    // Compressed length grows with the number of models, so a binary search finds the N that
    // fits while N + 1 does not. `fits` stays true at `shared` and false at `too_many`: either
    // all models were tried above, or `most + 1` is past the maximum.
    let fits = |n: usize| {
        n <= most && make_fragment(&reports[..n], settings, n_total, true).len() <= max_chars
    };
    let (mut shared, mut too_many) = (0, (most + 1).min(n_total));
    while too_many - shared > 1 {
        let middle = shared + (too_many - shared) / 2;
        if fits(middle) {
            shared = middle;
        } else {
            too_many = middle;
        }
    }
    link(
        shared,
        ShareDetail::ModelsDropped {
            shared,
            total: n_total,
        },
    )
}

/// Reads a share link: `#share=v1....`, `share=v1....`, the bare `v1....`, or a whole URL
/// ending in one of those. Never panics: a damaged link is an error.
pub fn decode_share(fragment: &str) -> Result<SharedView, ShareError> {
    let json = unpack(fragment)?;
    let Read {
        reports,
        n_in_link,
        settings,
        total,
        trimmed,
    } = Payload::read(&json)?;
    if n_in_link > total {
        return Err(ShareError::ModelCount {
            shared: n_in_link,
            total,
        });
    }
    let shared = reports.len();
    let detail = if shared < total {
        ShareDetail::ModelsDropped { shared, total }
    } else if trimmed {
        ShareDetail::FiguresTrimmed
    } else {
        ShareDetail::Full
    };
    Ok(SharedView {
        reports,
        settings,
        n_total: total,
        detail,
    })
}

fn make_fragment(
    reports: &[FlatReport],
    settings: &ChartSettings,
    n_total: usize,
    trimmed: bool,
) -> String {
    pack(&Payload::new(reports, settings, n_total, trimmed).to_json())
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    use super::codec::MAX_UNPACKED_BYTES;
    use super::*;
    use crate::engine::export::Intervals;
    use crate::engine::view::YFigure;

    /// Encodes, checks the fragment's characters and length, decodes (in every accepted form)
    /// and checks that the view is the input as the link promises to carry it. Returns the link
    /// for the case's own assertions.
    #[track_caller]
    fn check(reports: &[FlatReport], settings: &ChartSettings, max_chars: usize) -> ShareLink {
        let link = encode_share(reports, settings, max_chars);
        let fragment = &link.fragment;
        assert!(fragment.starts_with("share=v1."), "{fragment}");
        let safe = |c: char| c.is_ascii_alphanumeric() || "._=-".contains(c);
        assert!(fragment.chars().all(safe), "{fragment}");
        if link.n_shared > 0 {
            assert!(
                fragment.len() <= max_chars,
                "{} > {max_chars}",
                fragment.len()
            );
        }
        assert_eq!(link.n_total, reports.len());

        let view = decode_share(fragment).expect("a link we made");
        let bare = fragment.trim_start_matches(SHARE_PREFIX);
        for form in [
            format!("#{fragment}"),
            bare.to_string(),
            format!("https://app/x/#{fragment}\n"),
        ] {
            assert_eq!(decode_share(&form).as_ref(), Ok(&view), "{form}");
        }
        assert_eq!((view.n_total, &view.detail), (link.n_total, &link.detail));
        let trimmed = link.detail != ShareDetail::Full;
        let expected: Vec<FlatReport> = reports[..link.n_shared]
            .iter()
            .map(|r| shared(r, trimmed, settings.y))
            .collect();
        assert_eq!(view.reports, expected);
        // The shared chart looks like the original: same figure, marks, families and colours.
        assert_eq!(
            (view.settings.y, view.settings.paper_marks),
            (settings.y, settings.paper_marks)
        );
        for r in &view.reports {
            let family = settings.family(&r.model);
            assert_eq!(view.settings.family(&r.model), family);
            assert_eq!(view.settings.colour(family), settings.colour(family));
        }
        link
    }

    /// The report as a link carries it: figures rounded to 4 decimals, the file's base name,
    /// nothing that is not shared, and the secondary figures left out when trimmed.
    fn shared(r: &FlatReport, trimmed: bool, y: YFigure) -> FlatReport {
        let round = |x: Option<f64>| x.map(|x| (x * 1e4).round() / 1e4);
        let round_interval = |i: Option<[f64; 2]>| {
            i.map(|[lo, hi]| [(lo * 1e4).round() / 1e4, (hi * 1e4).round() / 1e4])
        };
        let mut s = FlatReport {
            file: r
                .file
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or_default()
                .to_string(),
            kind: None,
            not_judged: 0,
            bad_lines: 0,
            oa_correct: 0,
            oa_unreadable: 0,
            oa_ties_excluded: 0,
            precision: round(r.precision),
            recall: round(r.recall),
            f1: round(r.f1),
            ap: round(r.ap),
            precision_std: round(r.precision_std),
            recall_std: round(r.recall_std),
            rc: round(r.rc),
            ap_paper: round(r.ap_paper),
            oa: round(r.oa),
            // Beside `payload::V1_FIGURES` (frozen), in full links only.
            right_for_wrong_reasons: round(r.right_for_wrong_reasons).filter(|_| !trimmed),
            // Not in links: it stays beside the leaderboard of the files themselves.
            position_consistency: None,
            intervals: Intervals {
                precision: round_interval(r.intervals.precision),
                recall: round_interval(r.intervals.recall),
                f1: round_interval(r.intervals.f1),
                ap: round_interval(r.intervals.ap),
                rc: round_interval(r.intervals.rc),
                ap_paper: round_interval(r.intervals.ap_paper),
                oa: round_interval(r.intervals.oa),
                right_for_wrong_reasons: round_interval(r.intervals.right_for_wrong_reasons)
                    .filter(|_| !trimmed && r.right_for_wrong_reasons.is_some()),
                position_consistency: None,
            },
            ..r.clone()
        };
        if trimmed {
            (s.precision, s.intervals.precision) = (None, None);
            (s.precision_std, s.recall_std) = (None, None);
            if y != YFigure::ScriptRecall {
                s.intervals.recall = None;
            }
            if y != YFigure::F1 {
                (s.f1, s.intervals.f1) = (None, None);
            }
            if y != YFigure::Ap {
                (s.ap, s.intervals.ap) = (None, None);
            }
            if y != YFigure::ApPaper {
                s.intervals.ap_paper = None;
            }
        }
        s
    }

    /// A leaderboard row with typical names and every figure at full precision, different for
    /// every `i` (a small generator, so the test needs no crate).
    fn typical(i: usize) -> FlatReport {
        let mut state = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let mut next = |low: f64, high: f64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            low + (high - low) * ((state >> 11) as f64 / (1u64 << 53) as f64)
        };
        let mut stat = |low: f64, high: f64| {
            let mean = next(low, high);
            let half = next(0.01, 0.04);
            (
                Some(mean),
                Some([mean - half * next(0.8, 1.2), mean + half * next(0.8, 1.2)]),
            )
        };
        let (rc, rc_interval) = stat(0.1, 0.45);
        let (oa, oa_interval) = stat(0.55, 0.85);
        // Derived rather than drawn, so that the generator's stream (and the lengths measured
        // below) stay as they were before the figure existed; links do not carry it anyway.
        let rfwr = rc.map(|x| x / 2.0);
        let rfwr_interval = rc_interval.map(|[lo, hi]| [lo / 2.0, hi / 2.0]);
        let (recall, recall_interval) = stat(0.3, 0.7);
        let (precision, precision_interval) = stat(0.3, 0.7);
        let (f1, f1_interval) = stat(0.3, 0.7);
        let (ap, ap_interval) = stat(0.3, 0.7);
        let (ap_paper, ap_paper_interval) = stat(0.2, 0.6);
        let total = 500 + (next(0.0, 1500.0) as usize);
        let errors = next(0.0, 20.0) as usize;
        let skipped = next(0.0, 10.0) as usize;
        FlatReport {
            intervals_pending: false,
            file: format!("/home/someone/data/dataset{}-judge.jsonl", i % 4),
            model: format!(
                "vendor{}-model-name{i}-{}b-instruct",
                i % 9,
                [7, 8, 32, 70, 405][i % 5]
            ),
            kind: Some("pairwise".into()),
            total,
            valid: total - errors - skipped,
            errors,
            skipped,
            not_judged: 3,
            bad_lines: 1,
            precision,
            recall,
            f1,
            ap,
            precision_std: Some(next(0.1, 0.3)),
            recall_std: Some(next(0.1, 0.3)),
            rc,
            ap_paper,
            oa,
            right_for_wrong_reasons: rfwr,
            position_consistency: Some(next(0.5, 1.0)),
            oa_rows: total - errors - 7,
            oa_correct: total / 2,
            oa_unreadable: 2,
            oa_ties_excluded: 5,
            intervals: Intervals {
                precision: precision_interval,
                recall: recall_interval,
                f1: f1_interval,
                ap: ap_interval,
                rc: rc_interval,
                ap_paper: ap_paper_interval,
                oa: oa_interval,
                right_for_wrong_reasons: rfwr_interval,
                position_consistency: None,
            },
        }
    }

    fn typical_models(n: usize) -> Vec<FlatReport> {
        (0..n).map(typical).collect()
    }

    fn settings() -> ChartSettings {
        ChartSettings {
            y: YFigure::F1,
            paper_marks: true,
            families: vec![("vendor1-model-name1-8b-instruct".into(), "small".into())],
            colours: vec![
                ("small".into(), "#0072b2".into()),
                ("vendor2".into(), "#d55e00".into()),
            ],
            ..ChartSettings::default()
        }
    }

    #[test]
    fn a_few_reports_round_trip_rounded_to_4_decimals() {
        let mut sparse = typical(2);
        sparse.intervals = Intervals::default();
        (sparse.ap, sparse.f1, sparse.oa, sparse.oa_rows) = (None, None, None, 0);
        let mut odd_numbers = typical(3);
        odd_numbers.rc = Some(f64::NAN);
        odd_numbers.recall_std = Some(f64::INFINITY);
        odd_numbers.intervals.oa = Some([f64::NEG_INFINITY, 0.9]);
        let mut expected_odd = odd_numbers.clone();
        (expected_odd.rc, expected_odd.intervals.rc) = (None, None);
        (expected_odd.recall_std, expected_odd.intervals.oa) = (None, None);
        for (reports, settings) in [
            (typical_models(3), settings()),
            (typical_models(3), ChartSettings::default()),
            (vec![sparse, typical(0)], settings()),
        ] {
            let link = check(&reports, &settings, MAX_FRAGMENT_CHARS);
            assert_eq!(link.detail, ShareDetail::Full);
        }
        // A figure JSON cannot hold (NaN, infinity) is left out rather than spoiling the link.
        let view =
            decode_share(&encode_share(&[odd_numbers], &settings(), MAX_FRAGMENT_CHARS).fragment);
        let expected = shared(&expected_odd, false, YFigure::F1);
        assert_eq!(view.map(|v| v.reports), Ok(vec![expected]));
    }

    #[test]
    fn odd_model_names_round_trip_exactly() {
        let names = [
            "say \"hi\"",
            "back\\slash",
            "数据-模型",
            "café é",
            "🚀 rocket",
            "a#b&c%d=e?f",
            "two  spaces ",
            "line\nbreak",
            "",
            &"x".repeat(300),
        ];
        let reports: Vec<FlatReport> = names
            .iter()
            .enumerate()
            .map(|(i, name)| FlatReport {
                model: name.to_string(),
                file: format!("C:\\data\\{name}.jsonl"),
                ..typical(i)
            })
            .collect();
        let settings = ChartSettings {
            families: vec![("数据-模型".into(), "数据 family".into())],
            colours: vec![("数据 family".into(), "#123456".into())],
            ..ChartSettings::default()
        };
        let link = check(&reports, &settings, MAX_FRAGMENT_CHARS);
        assert_eq!(link.detail, ShareDetail::Full);
    }

    #[test]
    fn long_leaderboards_trim_figures_then_drop_models() {
        let y_rc = ChartSettings::default();
        for (n_models, settings, max_chars, expected) in [
            (
                MODELS_THAT_FIT,
                y_rc.clone(),
                MAX_FRAGMENT_CHARS,
                ShareDetail::Full,
            ),
            (
                MODELS_THAT_FIT + 1,
                y_rc.clone(),
                MAX_FRAGMENT_CHARS,
                ShareDetail::FiguresTrimmed,
            ),
            (
                140,
                y_rc.clone(),
                MAX_FRAGMENT_CHARS,
                ShareDetail::FiguresTrimmed,
            ),
            (
                100,
                settings(),
                MAX_FRAGMENT_CHARS,
                ShareDetail::FiguresTrimmed,
            ),
            (10, settings(), 1_200, ShareDetail::FiguresTrimmed),
        ] {
            let link = check(&typical_models(n_models), &settings, max_chars);
            assert_eq!(link.detail, expected, "{n_models} models in {max_chars}");
        }
        let reports = typical_models(500);
        let link = check(&reports, &settings(), MAX_FRAGMENT_CHARS);
        let ShareDetail::ModelsDropped { shared, total } = link.detail else {
            panic!("{:?}", link.detail);
        };
        assert_eq!((total, link.n_shared), (500, shared));
        assert!(shared > 100 && shared < 500, "{shared}");
        // The largest number that fits: one more model would not.
        let one_more = make_fragment(&reports[..=shared], &settings(), 500, true);
        assert!(one_more.len() > MAX_FRAGMENT_CHARS, "{}", one_more.len());
    }

    #[test]
    fn no_models_or_a_tiny_limit_still_give_a_valid_link() {
        for (reports, max_chars, expected) in [
            (vec![], MAX_FRAGMENT_CHARS, ShareDetail::Full),
            (vec![], 5, ShareDetail::Full),
            (
                typical_models(3),
                20,
                ShareDetail::ModelsDropped {
                    shared: 0,
                    total: 3,
                },
            ),
        ] {
            let link = check(&reports, &settings(), max_chars);
            assert_eq!((link.n_shared, link.detail), (0, expected));
        }
    }

    #[test]
    fn fragments_use_only_url_fragment_safe_characters() {
        // `check` asserts the characters on every link it makes; these add the extremes.
        for reports in [vec![], typical_models(1), typical_models(40)] {
            check(&reports, &settings(), MAX_FRAGMENT_CHARS);
        }
    }

    #[test]
    fn models_that_fit_is_measured_on_typical_names() {
        let settings = ChartSettings::default();
        let length = |n: usize| {
            encode_share(&typical_models(n), &settings, usize::MAX)
                .fragment
                .len()
        };
        assert!(length(MODELS_THAT_FIT) <= MAX_FRAGMENT_CHARS);
        assert!(length(MODELS_THAT_FIT + 1) > MAX_FRAGMENT_CHARS);
        // The lengths stated in the documentation of `MODELS_THAT_FIT`; an upgrade of the
        // compressor may move them by a few characters, and then the documentation too.
        assert_eq!([length(1), length(10), length(50)], [324, 1_496, 6_231]);
    }

    /// A link holding `json` as it is, however wrong.
    fn packed(json: &str) -> String {
        let deflated = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6);
        format!("share=v1.{}", URL_SAFE_NO_PAD.encode(deflated))
    }

    /// A link's JSON with one model and no settings, before its models are put in.
    const GOOD: &str = concat!(
        r#"{"y":"rc","marks":false,"families":[],"colours":[],"#,
        r#""total":1,"trimmed":false,"models":[]}"#
    );

    /// A model of a link: 1 row, scored, RC 0.4, OA 0.7.
    const MODEL: &str = r#"["m","f",1,1,0,0,1,0.4,0.7,null,null,null,null,null,null,null]"#;

    /// The link with these models and this total.
    fn with_models(models: &[String], total: usize) -> String {
        let json = GOOD
            .replace("[]}", &format!("[{}]}}", models.join(",")))
            .replace(r#""total":1"#, &format!(r#""total":{total}"#));
        packed(&json)
    }

    /// Refused with `expected`, in a message of our style that keeps numbers short.
    #[track_caller]
    fn check_refused(fragment: &str, expected: ShareError) {
        let error = decode_share(fragment).expect_err(fragment);
        assert_eq!(error, expected);
        let message = error.to_string();
        assert!(
            !message.ends_with('.') && message.starts_with(char::is_lowercase),
            "{message}"
        );
        assert!(message.len() < 120, "{message}");
    }

    #[test]
    fn row1_share_link_with_huge_interval_is_refused() {
        let model = |figures: &str| vec![MODEL.replace("1,1,0,0,1,0.4,0.7,null", figures)];
        let refused =
            |model: usize, figure: &'static str, problem: Implausible| ShareError::Implausible {
                model,
                figure,
                problem,
            };
        // The link of the issue: one model whose RC interval is [-1e308, 1e308].
        check_refused(
            &with_models(&model("1,1,0,0,1,[0.4,-1e308,1e308],0.7,null"), 1),
            refused(1, "rc", Implausible::NotAShare(-1e308)),
        );
        let message = decode_share(&with_models(
            &model("1,1,0,0,1,[0.4,-1e308,1e308],0.7,null"),
            1,
        ))
        .map(|_| ())
        .map_err(|e| e.to_string());
        assert_eq!(
            message,
            Err("the share link's model 1 has an impossible rc: -1e308 is not a share between 0 and 1".into())
        );
        for (figures, figure, problem) in [
            ("1,1,0,0,1,1.5,0.7,null", "rc", Implausible::NotAShare(1.5)),
            (
                "1,1,0,0,1,0.4,-0.1,null",
                "oa",
                Implausible::NotAShare(-0.1),
            ),
            (
                "1,1,0,0,1,0.4,0.7,[0.5,0.6,0.4]",
                "recall",
                Implausible::OutsideInterval {
                    value: 0.5,
                    lo: 0.6,
                    hi: 0.4,
                },
            ),
            (
                "1,1,0,0,1,[0.4,0.5,0.6],0.7,null",
                "rc",
                Implausible::OutsideInterval {
                    value: 0.4,
                    lo: 0.5,
                    hi: 0.6,
                },
            ),
            (
                "1,1,0,0,1,[0.4,0.3,1e300],0.7,null",
                "rc",
                Implausible::NotAShare(1e300),
            ),
            (
                "1,2,0,0,1,0.4,0.7,null",
                "valid",
                Implausible::MoreThanRows { count: 2, total: 1 },
            ),
            (
                "1,1,0,0,5,0.4,0.7,null",
                "oa_rows",
                Implausible::MoreThanRows { count: 5, total: 1 },
            ),
            (
                "3,2,1,1,1,0.4,0.7,null",
                "valid",
                Implausible::MoreThanRows { count: 4, total: 3 },
            ),
        ] {
            check_refused(
                &with_models(&model(figures), 1),
                refused(1, figure, problem),
            );
        }
        // A standard deviation is a share's too; the second model is the one named.
        let spread = MODEL.replace("null]", "2.5]");
        check_refused(
            &with_models(&[MODEL.to_string(), spread], 2),
            refused(2, "recall_std", Implausible::NotAShare(2.5)),
        );
        // Counts past what a number can hold are refused by the JSON reader.
        let huge = MODEL.replace("[\"m\",\"f\",1,", "[\"m\",\"f\",1e400,");
        assert!(matches!(
            decode_share(&with_models(&[huge], 1)),
            Err(ShareError::Json(_))
        ));
        // The bounds themselves are allowed.
        let edges = MODEL.replace("0.4,0.7,null", "[0,0,0],[1,1,1],[0.5,0.5,0.5]");
        assert!(decode_share(&with_models(&[edges], 1)).is_ok());
    }

    #[test]
    fn row1_share_link_with_too_many_models_opens_the_first_ones() {
        let n = MAX_SHARED_MODELS + 5;
        let models: Vec<String> = (0..n)
            .map(|i| MODEL.replace("\"m\"", &format!("\"m{i}\"")))
            .collect();
        let view = decode_share(&with_models(&models, n)).expect("a link of many models");
        assert_eq!(view.reports.len(), MAX_SHARED_MODELS);
        assert_eq!(
            view.reports[MAX_SHARED_MODELS - 1].model,
            format!("m{}", MAX_SHARED_MODELS - 1)
        );
        assert_eq!(
            view.detail,
            ShareDetail::ModelsDropped {
                shared: MAX_SHARED_MODELS,
                total: n
            }
        );
        // Links we make never hold more, however long they may be.
        let reports: Vec<FlatReport> = (0..n)
            .map(|i| FlatReport {
                model: format!("m{i}"),
                ..FlatReport::default()
            })
            .collect();
        let link = check(&reports, &ChartSettings::default(), usize::MAX);
        assert_eq!((link.n_shared, link.n_total), (MAX_SHARED_MODELS, n));
    }

    #[test]
    fn links_of_every_fixture_and_demo_file_keep_their_bounds() {
        use crate::engine::summary::{evaluate_all, Options};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut n_files = 0;
        for dir in ["tests/fixtures/data", "tests/fixtures/edge", "public/demo"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for path in entries.flatten().map(|e| e.path()) {
                if path.extension().is_none_or(|e| e != "jsonl") {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap_or_default();
                let file = crate::engine::dataset::load("f", &bytes);
                let reports = evaluate_all(std::slice::from_ref(&file), &Options::default());
                let flat: Vec<FlatReport> = reports.iter().map(FlatReport::new).collect();
                let link = encode_share(&flat, &settings(), MAX_FRAGMENT_CHARS);
                let view = decode_share(&link.fragment);
                assert!(view.is_ok(), "{}: {view:?}", path.display());
                n_files += 1;
            }
        }
        assert!(n_files >= 3, "{n_files} files");
    }

    #[test]
    fn damaged_links_give_errors() {
        let (good, model) = (GOOD, MODEL);
        let two_models = good.replace("[]}", &format!("[{model},{model}]}}"));
        // The words of the base64, deflate and JSON readers are theirs: only the kind is checked.
        let any_words = String::new;
        let cases = [
            ("".to_string(), ShareError::NotAShareLink),
            ("#share=".into(), ShareError::NotAShareLink),
            ("#other=v1.AAAA".into(), ShareError::NotAShareLink),
            ("share=vx.AAAA".into(), ShareError::NotAShareLink),
            (
                "share=v2.AAAA".into(),
                ShareError::UnknownVersion("2".into()),
            ),
            ("share=v1.AA*A".into(), ShareError::Base64(any_words())),
            ("share=v1.A".into(), ShareError::Base64(any_words())),
            ("share=v1.____".into(), ShareError::Deflate(any_words())),
            (packed("not json"), ShareError::Json(any_words())),
            (
                packed(&good.replace(r#""rc""#, r#""zz""#)),
                ShareError::UnknownFigure("zz".into()),
            ),
            (
                packed(&two_models),
                ShareError::ModelCount {
                    shared: 2,
                    total: 1,
                },
            ),
            (
                packed(&format!("[{}]", "0,".repeat(3_000_000))),
                ShareError::TooLarge(MAX_UNPACKED_BYTES),
            ),
        ];
        for (text, expected) in cases {
            let error = decode_share(&text).expect_err(&text);
            match (&error, &expected) {
                (ShareError::Base64(_), ShareError::Base64(_))
                | (ShareError::Deflate(_), ShareError::Deflate(_))
                | (ShareError::Json(_), ShareError::Json(_)) => {}
                _ => assert_eq!(error, expected, "{text}"),
            }
            let message = error.to_string();
            assert!(
                !message.ends_with('.')
                    && !message.contains(".)")
                    && message.starts_with(char::is_lowercase),
                "{message}"
            );
        }
        let one_model = good.replace("[]}", &format!("[{model}]}}"));
        assert!(decode_share(&packed(&one_model)).is_ok());
    }

    #[test]
    fn damaged_links_never_panic() {
        let fragment = encode_share(&typical_models(5), &settings(), MAX_FRAGMENT_CHARS).fragment;
        for end in 0..fragment.len() {
            let _ = decode_share(&fragment[..end]);
        }
        // Random changes to the text, to the compressed bytes under it, and to the JSON under
        // those, so that every stage of reading sees damage.
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=#%";
        let deflated = URL_SAFE_NO_PAD
            .decode(&fragment["share=v1.".len()..])
            .expect("a link we made");
        let json = miniz_oxide::inflate::decompress_to_vec(&deflated).expect("a link we made");
        let json_alphabet = b"[]{},:\"0123456789.-enulltruefalse\\ ";
        let mut state = 7u64;
        let mut next = |below: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % below
        };
        for _ in 0..3_000 {
            let mut text = fragment.clone().into_bytes();
            let mut bytes = deflated.clone();
            let mut inner = json.clone();
            for _ in 0..1 + next(3) {
                let at = next(text.len());
                text[at] = alphabet[next(alphabet.len())];
                let at = next(bytes.len());
                bytes[at] = next(256) as u8;
                let at = next(inner.len());
                inner[at] = json_alphabet[next(json_alphabet.len())];
            }
            let _ = decode_share(&String::from_utf8_lossy(&text));
            let _ = decode_share(&format!("v1.{}", URL_SAFE_NO_PAD.encode(&bytes)));
            let deflated_inner = miniz_oxide::deflate::compress_to_vec(&inner, 1);
            let _ = decode_share(&format!("v1.{}", URL_SAFE_NO_PAD.encode(deflated_inner)));
        }
    }
}
