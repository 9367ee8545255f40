//! The JSON object inside a share link (version 1), made from and read back into flat reports.
//! Which figures a model's array holds, and in which order, is [`V1_FIGURES`]; every figure's
//! kind decides how it is written.

use serde::de::Error as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::engine::export::FlatReport;
use crate::engine::figure::{Figure, Kind, Reading};
use crate::engine::view::{AlignmentZones, ChartSettings};

use super::bounds::check_bounds;
use super::error::{words, ShareError};
use super::MAX_SHARED_MODELS;

/// The figures of one model in a version 1 link, after its name and file. The list is part of
/// the version: a figure added here would break every link made before, so a new figure reaches
/// share links through a new version with a longer list, while this one keeps reading old links.
pub const V1_FIGURES: [Figure; 14] = [
    Figure::Total,
    Figure::Valid,
    Figure::Errors,
    Figure::Skipped,
    Figure::OaRows,
    Figure::Rc,
    Figure::Oa,
    Figure::ScriptRecall,
    Figure::Precision,
    Figure::F1,
    Figure::Ap,
    Figure::ApPaper,
    Figure::PrecisionStd,
    Figure::RecallStd,
];

/// What a trimmed link keeps of each model besides the counts and the chart's own figure: the
/// means the table's first columns show, and the intervals of the two headline figures.
const TRIMMED_KEEPS_MEAN: [Figure; 4] = [
    Figure::Rc,
    Figure::Oa,
    Figure::ScriptRecall,
    Figure::ApPaper,
];
const TRIMMED_KEEPS_INTERVAL: [Figure; 2] = [Figure::Rc, Figure::Oa];

/// The JSON object inside a link (see the documentation of the `share` module).
#[derive(Serialize, Deserialize)]
pub struct Payload {
    y: String,
    marks: bool,
    /// Only when the zones differ from the default (off, thresholds the medians): a link
    /// without them is byte for byte the version 1 link it was, and pages made before the
    /// zones ignore the field.
    #[serde(default, skip_serializing_if = "is_default")]
    zones: AlignmentZones,
    families: Vec<(String, String)>,
    colours: Vec<(String, String)>,
    total: usize,
    trimmed: bool,
    /// One JSON array per model: `model, file`, then [`V1_FIGURES`]. An array rather than an
    /// object keeps names of fields out of every model.
    models: Vec<Vec<Value>>,
    /// Right for the wrong reasons, one packed mean per model in the order of `models`; only
    /// when some model has it and the figures are not trimmed. [`V1_FIGURES`] is frozen, so the
    /// figure rides beside it: a link without the field opens exactly as before, and pages made
    /// before it ignore it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    rfwr: Vec<Value>,
}

/// A link's content, read back.
pub struct Read {
    /// The first [`MAX_SHARED_MODELS`] models of the link, checked against their bounds.
    pub reports: Vec<FlatReport>,
    /// How many models the link holds, those beyond the maximum included.
    pub n_in_link: usize,
    pub settings: ChartSettings,
    pub total: usize,
    pub trimmed: bool,
}

impl Payload {
    /// The payload of the reports; settings about models or families not in it are left out.
    pub fn new(
        reports: &[FlatReport],
        settings: &ChartSettings,
        n_total: usize,
        trimmed: bool,
    ) -> Self {
        let families: Vec<(String, String)> = settings
            .families
            .iter()
            .filter(|(model, _)| reports.iter().any(|r| &r.model == model))
            .cloned()
            .collect();
        let used: Vec<&str> = reports.iter().map(|r| settings.family(&r.model)).collect();
        let colours = settings
            .colours
            .iter()
            .filter(|(family, _)| used.contains(&family.as_str()))
            .cloned()
            .collect();
        Payload {
            y: settings.y.key().to_string(),
            marks: settings.paper_marks,
            zones: settings.zones,
            families,
            colours,
            total: n_total,
            trimmed,
            models: reports
                .iter()
                .map(|r| to_row(r, trimmed, settings.y))
                .collect(),
            rfwr: rfwr_of(reports, trimmed),
        }
    }

    /// The compact JSON.
    pub fn to_json(&self) -> Vec<u8> {
        // Strings, integers and finite numbers always serialise.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Reads the JSON of a link; the numbers of models are checked by the caller. Models past
    /// [`MAX_SHARED_MODELS`] are not read: the page could not show them in reasonable time.
    pub fn read(json: &[u8]) -> Result<Read, ShareError> {
        let payload: Payload =
            serde_json::from_slice(json).map_err(|e| ShareError::Json(words(e)))?;
        let n_in_link = payload.models.len();
        if !payload.rfwr.is_empty() && payload.rfwr.len() != n_in_link {
            let message = format!(
                "rfwr holds {} values for {n_in_link} models",
                payload.rfwr.len()
            );
            return Err(ShareError::Json(message));
        }
        let mut rfwr = payload.rfwr.into_iter();
        let mut reports = Vec::with_capacity(n_in_link.min(MAX_SHARED_MODELS));
        for (idx, row) in payload
            .models
            .into_iter()
            .take(MAX_SHARED_MODELS)
            .enumerate()
        {
            let mut report = from_row(row).map_err(|e| ShareError::Json(words(e)))?;
            if let Some(value) = rfwr.next() {
                let packed =
                    serde_json::from_value(value).map_err(|e| ShareError::Json(words(e)))?;
                report.set(Figure::RightForWrongReasons, unpack(packed));
            }
            check_bounds(&report, &V1_FIGURES)
                .and_then(|()| check_bounds(&report, &[Figure::RightForWrongReasons]))
                .map_err(|(figure, problem)| ShareError::Implausible {
                    model: idx + 1,
                    figure: figure.key(),
                    problem,
                })?;
            reports.push(report);
        }
        let y = Figure::from_key(&payload.y)
            .filter(|f| f.on_chart())
            .ok_or_else(|| ShareError::UnknownFigure(payload.y.clone()))?;
        Ok(Read {
            reports,
            n_in_link,
            settings: ChartSettings {
                y,
                paper_marks: payload.marks,
                families: payload.families,
                colours: payload.colours,
                zones: payload.zones,
            },
            total: payload.total,
            trimmed: payload.trimmed,
        })
    }
}

/// Each model's right for the wrong reasons, or nothing when no model has it or the link is
/// trimmed (it is a secondary figure, and long leaderboards need the room).
fn rfwr_of(reports: &[FlatReport], trimmed: bool) -> Vec<Value> {
    let readings: Vec<Reading> = reports
        .iter()
        .map(|r| r.get(Figure::RightForWrongReasons))
        .collect();
    if trimmed || readings.iter().all(|r| finite(r.value).is_none()) {
        return Vec::new();
    }
    readings
        .into_iter()
        .map(|r| packed(r, true, true))
        .collect()
}

fn is_default(zones: &AlignmentZones) -> bool {
    *zones == AlignmentZones::default()
}

/// A mean, alone or with its interval: `0.4153` or `[0.4153, 0.3861, 0.4462]`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Packed {
    Mean(f64),
    WithInterval(f64, f64, f64),
}

fn to_row(r: &FlatReport, trimmed: bool, y: Figure) -> Vec<Value> {
    // Trimming keeps what the chart and the table's first columns need, and the figure on the
    // chart's y axis whole.
    let whole = |figure: Figure| !trimmed || y == figure;
    let mut row = vec![
        Value::from(r.model.as_str()),
        Value::from(base_name(&r.file)),
    ];
    for figure in V1_FIGURES {
        let reading = r.get(figure);
        row.push(match figure.kind() {
            Kind::Count | Kind::Tally => Value::from(reading.as_count()),
            Kind::Spread => number(finite(reading.value.filter(|_| whole(figure)))),
            Kind::Mean => packed(
                reading,
                whole(figure) || TRIMMED_KEEPS_MEAN.contains(&figure),
                whole(figure) || TRIMMED_KEEPS_INTERVAL.contains(&figure),
            ),
        });
    }
    row
}

fn from_row(row: Vec<Value>) -> Result<FlatReport, serde_json::Error> {
    let expected = 2 + V1_FIGURES.len();
    if row.len() != expected {
        let message = format!("a model holds {} values, not {expected}", row.len());
        return Err(serde_json::Error::custom(message));
    }
    let mut values = row.into_iter();
    let mut next = || values.next().unwrap_or_default();
    let model: String = serde_json::from_value(next())?;
    let file: String = serde_json::from_value(next())?;
    let mut report = FlatReport {
        file,
        model,
        ..FlatReport::default()
    };
    for figure in V1_FIGURES {
        let value = next();
        let reading = match figure.kind() {
            Kind::Count | Kind::Tally => Reading::count(serde_json::from_value(value)?),
            Kind::Spread => {
                Reading::number(serde_json::from_value::<Option<f64>>(value)?.map(round4))
            }
            Kind::Mean => unpack(serde_json::from_value(value)?),
        };
        report.set(figure, reading);
    }
    Ok(report)
}

/// A mean as the link carries it. JSON has no NaN or infinity, so such a figure is left out.
fn packed(reading: Reading, keep_mean: bool, keep_interval: bool) -> Value {
    let Some(mean) = finite(reading.value.filter(|_| keep_mean)) else {
        return Value::Null;
    };
    let interval = reading
        .interval
        .filter(|[lo, hi]| keep_interval && lo.is_finite() && hi.is_finite());
    match interval {
        Some([lo, hi]) => Value::from(vec![mean, round4(lo), round4(hi)]),
        None => Value::from(mean),
    }
}

/// Rounding again on reading gives exactly the value written, whatever the last bit the JSON
/// reader chose.
fn unpack(figure: Option<Packed>) -> Reading {
    match figure {
        None => Reading::default(),
        Some(Packed::Mean(mean)) => Reading::number(Some(round4(mean))),
        Some(Packed::WithInterval(mean, lo, hi)) => Reading {
            value: Some(round4(mean)),
            interval: Some([round4(lo), round4(hi)]),
        },
    }
}

fn number(x: Option<f64>) -> Value {
    x.map_or(Value::Null, Value::from)
}

fn finite(x: Option<f64>) -> Option<f64> {
    x.filter(|x| x.is_finite()).map(round4)
}

/// `x` rounded to 4 decimals: the nearest double to a multiple of 0.0001, which JSON writes in
/// at most 4 decimals.
fn round4(x: f64) -> f64 {
    let scaled = x * 1e4;
    if scaled.is_finite() {
        scaled.round() / 1e4
    } else {
        x
    }
}

/// The file's name without its directories, whichever the separator.
fn base_name(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::export::Intervals;

    /// A report whose JSON in a version 1 link is written out by hand below.
    fn report() -> FlatReport {
        FlatReport {
            intervals_pending: false,
            file: "/home/someone/a.jsonl".into(),
            model: "atlas-large".into(),
            kind: Some("pairwise".into()),
            total: 12,
            valid: 10,
            errors: 1,
            skipped: 1,
            not_judged: 2,
            bad_lines: 3,
            precision: Some(0.512_34),
            recall: Some(0.6),
            f1: None,
            ap: Some(0.5),
            precision_std: Some(0.123_456),
            recall_std: None,
            rc: Some(0.415_49),
            ap_paper: Some(0.25),
            oa: Some(0.7),
            // Beside the rows, in `rfwr`: the rows below stay as they were.
            right_for_wrong_reasons: Some(0.125),
            position_consistency: None,
            oa_rows: 9,
            oa_correct: 6,
            oa_unreadable: 1,
            oa_ties_excluded: 1,
            intervals: Intervals {
                rc: Some([0.386_12, 0.445_98]),
                recall: Some([0.5, 0.7]),
                ..Intervals::default()
            },
        }
    }

    #[track_caller]
    fn check(trimmed: bool, y: Figure, expected_row: &str) {
        check_with_zones(trimmed, y, AlignmentZones::default(), "", expected_row);
    }

    /// As `check`, with the zones set and `expected_zones` their JSON (with its comma).
    #[track_caller]
    fn check_with_zones(
        trimmed: bool,
        y: Figure,
        zones: AlignmentZones,
        expected_zones: &str,
        expected_row: &str,
    ) {
        let settings = ChartSettings {
            y,
            zones,
            ..ChartSettings::default()
        };
        let json = Payload::new(&[report()], &settings, 1, trimmed).to_json();
        let rfwr = if trimmed { "" } else { r#","rfwr":[0.125]"# };
        let expected = format!(
            r#"{{"y":"{}","marks":false,{expected_zones}"families":[],"colours":[],"total":1,"trimmed":{trimmed},"models":[{expected_row}]{rfwr}}}"#,
            y.key()
        );
        assert_eq!(String::from_utf8_lossy(&json), expected);
        let read = Payload::read(&json).expect("our own payload");
        assert_eq!(
            (read.settings, read.total, read.trimmed),
            (settings.clone(), 1, trimmed)
        );
        // What a link holds comes back exactly: made again, it is the same link.
        assert_eq!(
            Payload::new(&read.reports, &settings, 1, trimmed).to_json(),
            json
        );
    }

    #[test]
    fn version_1_rows_keep_their_shape() {
        check(
            false,
            Figure::Rc,
            r#"["atlas-large","a.jsonl",12,10,1,1,9,[0.4155,0.3861,0.446],0.7,[0.6,0.5,0.7],0.5123,null,0.5,0.25,0.1235,null]"#,
        );
        check(
            true,
            Figure::ScriptRecall,
            r#"["atlas-large","a.jsonl",12,10,1,1,9,[0.4155,0.3861,0.446],0.7,[0.6,0.5,0.7],null,null,null,0.25,null,null]"#,
        );
        check(
            true,
            Figure::Ap,
            r#"["atlas-large","a.jsonl",12,10,1,1,9,[0.4155,0.3861,0.446],0.7,0.6,null,null,0.5,0.25,null,null]"#,
        );
    }

    #[test]
    fn zones_ride_along_only_when_set() {
        let row = r#"["atlas-large","a.jsonl",12,10,1,1,9,[0.4155,0.3861,0.446],0.7,[0.6,0.5,0.7],0.5123,null,0.5,0.25,0.1235,null]"#;
        let zones = AlignmentZones {
            show: true,
            oa: Some(0.75),
            rc: None,
        };
        check_with_zones(
            false,
            Figure::Rc,
            zones,
            r#""zones":{"show":true,"oa":0.75,"rc":null},"#,
            row,
        );
        // Thresholds typed but the zones off still travel, so the receiver can tick them on.
        let off = AlignmentZones {
            show: false,
            ..zones
        };
        check_with_zones(
            false,
            Figure::Rc,
            off,
            r#""zones":{"show":false,"oa":0.75,"rc":null},"#,
            row,
        );
    }

    #[track_caller]
    fn check_read(json: &str, expected_rfwr: Result<Reading, &str>) {
        let read = Payload::read(json.as_bytes());
        let got = read.map(|r| r.reports[0].get(Figure::RightForWrongReasons));
        assert_eq!(
            got.map_err(|e| e.to_string()),
            expected_rfwr.map_err(String::from)
        );
    }

    #[test]
    fn rfwr_is_optional_beside_the_version_1_rows() {
        let row = r#"["m","a.jsonl",12,10,1,1,9,0.4,0.7,0.6,0.5,null,0.5,0.25,0.1,null]"#;
        let link = |rfwr: &str| {
            format!(
                r#"{{"y":"rc","marks":false,"families":[],"colours":[],"total":1,"trimmed":false,"models":[{row}]{rfwr}}}"#
            )
        };
        // A link made before the figure opens as it always did.
        check_read(&link(""), Ok(Reading::default()));
        check_read(
            &link(r#","rfwr":[0.125]"#),
            Ok(Reading::number(Some(0.125))),
        );
        check_read(
            &link(r#","rfwr":[[0.125,0.1,0.2]]"#),
            Ok(Reading {
                value: Some(0.125),
                interval: Some([0.1, 0.2]),
            }),
        );
        check_read(&link(r#","rfwr":[null]"#), Ok(Reading::default()));
        let err = |json: &str| Payload::read(json.as_bytes()).err().map(|e| e.to_string());
        assert!(err(&link(r#","rfwr":[0.1,0.2]"#)).is_some_and(|e| e.contains("rfwr holds 2")));
        assert!(
            err(&link(r#","rfwr":[1.5]"#)).is_some_and(|e| e.contains("right_for_wrong_reasons"))
        );
    }
}
