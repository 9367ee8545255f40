//! Verdict labels -> which response is better -> outcome accuracy (SPEC section 6).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::json::value_text;

/// Which response a verdict names as better. Strength (A>>B vs A>B) is not kept: the paper
/// scores a verdict as right or wrong only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    A,
    B,
    Tie,
}

/// The model's verdict on one row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ModelVerdict {
    /// Neither `<model>-label` nor `<model>-generated_text` is there: the row is not counted.
    Missing,
    /// A field is there but says nothing readable; counts as wrong. Holds the raw value shown.
    Unreadable(String),
    Read(Verdict),
}

/// How one row counts for outcome accuracy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OaOutcome {
    Correct,
    Wrong,
    /// Counted and wrong because the model's verdict could not be read.
    Unreadable,
    /// The human verdict is a tie and ties are left out (the default).
    TieExcluded,
    NoModelVerdict,
    NoHumanVerdict,
}

impl OaOutcome {
    /// Whether the row is in OA's denominator, and if so whether it is correct.
    pub fn counted(self) -> Option<bool> {
        match self {
            OaOutcome::Correct => Some(true),
            OaOutcome::Wrong | OaOutcome::Unreadable => Some(false),
            _ => None,
        }
    }
}

/// Reads a verdict from a JSON value: a string in any accepted form, or an integer -3..3 read
/// like `overall_preference` (negative = A better, positive = B better, 0 = tie).
pub fn read_verdict(value: &Value) -> Option<Verdict> {
    match value {
        Value::String(text) => read_verdict_text(text),
        Value::Number(number) => {
            let x = number.as_f64()?;
            if x.fract() != 0.0 || !(-3.0..=3.0).contains(&x) {
                return None;
            }
            Some(if x < 0.0 {
                Verdict::A
            } else if x > 0.0 {
                Verdict::B
            } else {
                Verdict::Tie
            })
        }
        _ => None,
    }
}

/// Reads a verdict written as text: `A>>B`, `A>B`, `A=B`, `B>A`, `B>>A`, their `<` mirrors,
/// `\boxed{...}` around any of them, `Response 1`/`Response 2`, `A`/`B`, `1`/`2` and `tie`;
/// without case and ignoring white space.
pub fn read_verdict_text(text: &str) -> Option<Verdict> {
    let squeezed: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let inner = squeezed
        .strip_prefix("\\boxed{")
        .and_then(|rest| rest.strip_suffix('}'))
        .unwrap_or(&squeezed);
    match inner {
        "a>>b" | "a>b" | "b<a" | "b<<a" | "response1" | "a" | "1" => Some(Verdict::A),
        "b>>a" | "b>a" | "a<b" | "a<<b" | "response2" | "b" | "2" => Some(Verdict::B),
        "a=b" | "b=a" | "tie" => Some(Verdict::Tie),
        _ => None,
    }
}

/// The content of the last `\boxed{...}` in a text, braces inside it balanced.
pub fn last_boxed(text: &str) -> Option<&str> {
    const OPEN: &str = "\\boxed{";
    let start = text.rfind(OPEN)? + OPEN.len();
    let mut depth = 1usize;
    for (offset, c) in text[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&text[start..start + offset]);
                }
            }
            _ => {}
        }
    }
    None
}

/// The model's verdict from its label, falling back to the last `\boxed{}` of its text.
pub fn model_verdict(label: Option<&Value>, generated_text: Option<&str>) -> ModelVerdict {
    if let Some(verdict) = label.and_then(read_verdict) {
        return ModelVerdict::Read(verdict);
    }
    let boxed = generated_text.and_then(last_boxed);
    if let Some(verdict) = boxed.and_then(read_verdict_text) {
        return ModelVerdict::Read(verdict);
    }
    match (label, boxed, generated_text) {
        (Some(value), _, _) => ModelVerdict::Unreadable(value_text(value)),
        (None, Some(inner), _) => ModelVerdict::Unreadable(format!("\\boxed{{{inner}}}")),
        (None, None, Some(_)) => {
            ModelVerdict::Unreadable("no \\boxed{} in the generated text".into())
        }
        (None, None, None) => ModelVerdict::Missing,
    }
}

/// How one row counts, given both verdicts and whether human ties are counted.
pub fn oa_outcome(model: &ModelVerdict, human: Option<Verdict>, include_ties: bool) -> OaOutcome {
    // A row the model gave no verdict on is not a problem of the human side, so it is named
    // for the missing model verdict first.
    let model = match model {
        ModelVerdict::Missing => return OaOutcome::NoModelVerdict,
        ModelVerdict::Unreadable(_) => None,
        ModelVerdict::Read(v) => Some(*v),
    };
    let Some(human) = human else {
        return OaOutcome::NoHumanVerdict;
    };
    if human == Verdict::Tie && !include_ties {
        return OaOutcome::TieExcluded;
    }
    match model {
        None => OaOutcome::Unreadable,
        Some(v) if v == human => OaOutcome::Correct,
        Some(_) => OaOutcome::Wrong,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[track_caller]
    fn check(value: Value, expected: Option<Verdict>) {
        assert_eq!(read_verdict(&value), expected, "{value}");
    }

    #[test]
    fn reads_every_accepted_form() {
        use Verdict::*;
        let table = [
            ("A>>B", Some(A)),
            ("a > b", Some(A)),
            ("B<A", Some(A)),
            ("B << A", Some(A)),
            ("\\boxed{A>>B}", Some(A)),
            ("\\boxed{ a>b }", Some(A)),
            ("Response 1", Some(A)),
            ("response1", Some(A)),
            ("A", Some(A)),
            ("1", Some(A)),
            ("\\boxed{Response 1}", Some(A)),
            ("B>>A", Some(B)),
            ("B>A", Some(B)),
            ("A<B", Some(B)),
            ("a<<b", Some(B)),
            ("Response 2", Some(B)),
            ("b", Some(B)),
            ("2", Some(B)),
            ("\\boxed{B>>A}", Some(B)),
            ("A=B", Some(Tie)),
            ("B = A", Some(Tie)),
            ("TIE", Some(Tie)),
            ("\\boxed{A=B}", Some(Tie)),
            ("", None),
            ("garbled", None),
            ("Response A", None),
            ("3", None),
            ("A>B>C", None),
            ("\\boxed{A>B", None),
            ("-1", None),
        ];
        for (text, expected) in table {
            check(json!(text), expected);
        }
    }

    #[test]
    fn integers_read_like_overall_preference() {
        check(json!(-3), Some(Verdict::A));
        check(json!(-1), Some(Verdict::A));
        check(json!(0), Some(Verdict::Tie));
        check(json!(2), Some(Verdict::B));
        check(json!(4), None);
        check(json!(1.5), None);
        check(json!(null), None);
        check(json!(true), None);
    }

    #[test]
    fn last_boxed_is_the_last_one_with_nested_braces() {
        assert_eq!(last_boxed("\\boxed{A>B} then \\boxed{B>A}"), Some("B>A"));
        assert_eq!(last_boxed("x \\boxed{\\text{A}>B} y"), Some("\\text{A}>B"));
        assert_eq!(last_boxed("\\boxed{A>B"), None);
        assert_eq!(last_boxed("nothing"), None);
    }

    #[test]
    fn label_first_then_generated_text() {
        let text = Some("reasons\nFinal assessment result: \\boxed{B>A}");
        assert_eq!(
            model_verdict(Some(&json!("A>B")), text),
            ModelVerdict::Read(Verdict::A)
        );
        assert_eq!(
            model_verdict(Some(&json!("garbled")), text),
            ModelVerdict::Read(Verdict::B)
        );
        assert_eq!(model_verdict(None, text), ModelVerdict::Read(Verdict::B));
        assert_eq!(
            model_verdict(Some(&json!("")), None),
            ModelVerdict::Unreadable(String::new())
        );
        assert_eq!(
            model_verdict(None, Some("\\boxed{C}")),
            ModelVerdict::Unreadable("\\boxed{C}".into())
        );
        assert_eq!(model_verdict(None, None), ModelVerdict::Missing);
    }

    #[test]
    fn outcomes_follow_the_tie_policy() {
        use OaOutcome::*;
        let a = ModelVerdict::Read(Verdict::A);
        let tie = ModelVerdict::Read(Verdict::Tie);
        let bad = ModelVerdict::Unreadable("x".into());
        assert_eq!(oa_outcome(&a, Some(Verdict::A), false), Correct);
        assert_eq!(oa_outcome(&a, Some(Verdict::B), false), Wrong);
        assert_eq!(oa_outcome(&a, Some(Verdict::Tie), false), TieExcluded);
        assert_eq!(oa_outcome(&a, Some(Verdict::Tie), true), Wrong);
        assert_eq!(oa_outcome(&tie, Some(Verdict::Tie), true), Correct);
        assert_eq!(oa_outcome(&bad, Some(Verdict::A), false), Unreadable);
        assert_eq!(oa_outcome(&bad, Some(Verdict::Tie), false), TieExcluded);
        assert_eq!(
            oa_outcome(&ModelVerdict::Missing, Some(Verdict::A), false),
            NoModelVerdict
        );
        assert_eq!(oa_outcome(&a, None, false), NoHumanVerdict);
        assert_eq!(
            oa_outcome(&ModelVerdict::Missing, None, false),
            NoModelVerdict
        );
    }
}
