//! What the pickers show before anything is chosen: the reports with rows in the leaderboard's
//! first order (RC, highest first), so a tab never opens on an empty "choose".

use crate::engine::export::FlatReport;
use crate::engine::figure::Figure;

/// `choices` (file, model) ordered as the leaderboard first lists them: by RC, highest first,
/// those without RC last, ties in their loading order.
pub fn ranked_choices(
    choices: Vec<(String, String)>,
    rows: &[FlatReport],
) -> Vec<(String, String)> {
    let rc = |c: &(String, String)| {
        rows.iter()
            .find(|r| r.file == c.0 && r.model == c.1)
            .and_then(|r| r.value(Figure::Rc))
            .unwrap_or(f64::NEG_INFINITY)
    };
    let mut ranked = choices;
    ranked.sort_by(|a, b| rc(b).total_cmp(&rc(a)));
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(file: &str, model: &str, rc: Option<f64>) -> FlatReport {
        FlatReport {
            file: file.into(),
            model: model.into(),
            rc,
            ..FlatReport::default()
        }
    }

    fn check(rows: &[FlatReport], choices: &[(&str, &str)], want: &[&str]) {
        let choices = choices
            .iter()
            .map(|(f, m)| (f.to_string(), m.to_string()))
            .collect();
        let got: Vec<String> = ranked_choices(choices, rows)
            .into_iter()
            .map(|c| c.1)
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn ranks_by_rc_with_missing_last() {
        let rows = [
            row("f", "a", Some(0.2)),
            row("f", "b", Some(0.9)),
            row("f", "c", None),
        ];
        check(
            &rows,
            &[("f", "a"), ("f", "b"), ("f", "c")],
            &["b", "a", "c"],
        );
        check(&rows, &[("f", "c"), ("f", "a")], &["a", "c"]);
        check(&rows, &[("g", "x"), ("f", "a")], &["a", "x"]);
        check(&[], &[], &[]);
    }
}
