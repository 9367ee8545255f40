//! Template + checklists -> the matching prompt (SPEC section 2).

use super::dataset::{Checklist, Record};

/// The reference MetaJudge prompt, byte for byte (see README for its source).
pub const METAJUDGE_TEMPLATE: &str = include_str!("../../public/prompts/metajudge_prompt.txt");
/// The paper's judge prompt (its Figure 13).
pub const GENRM_PROMPT: &str = include_str!("../../public/prompts/genrm_prompt.txt");
/// The paper's decomposition prompt (its Figure 6).
pub const DECOMPOSE_PROMPT: &str = include_str!("../../public/prompts/decompose_prompt.txt");

const SOURCE: &str = "{source_list}";
const TARGET: &str = "{target_list}";

/// Fills the template: `{source_list}` gets the model's items as `S1: ...`, `{target_list}`
/// the human items as `R1: ...`, each item trimmed, lines joined by `\n`. With `top_k`, only the
/// model's first K items are sent.
pub fn build_prompt(
    template: &str,
    model_items: &[String],
    human_items: &[String],
    top_k: Option<usize>,
) -> String {
    let k = top_k.unwrap_or(model_items.len()).min(model_items.len());
    // Literal replacement (not a format string), so an edited template may hold other braces.
    template
        .replace(SOURCE, &numbered('S', &model_items[..k]))
        .replace(TARGET, &numbered('R', human_items))
}

/// The prompt of one data-set row for one model; `None` when either checklist is missing or
/// is not a list (such a row cannot be judged).
pub fn record_prompt(
    record: &Record,
    model_idx: usize,
    template: &str,
    top_k: Option<usize>,
) -> Option<String> {
    let Some(Checklist::Items(model)) = record.column(model_idx)?.checklist.as_ref() else {
        return None;
    };
    let Some(Checklist::Items(human)) = record.human.as_ref() else {
        return None;
    };
    Some(build_prompt(template, model, human, top_k))
}

/// The placeholders a template lacks; a template missing one cannot show the judge both lists.
pub fn missing_placeholders(template: &str) -> Vec<&'static str> {
    [SOURCE, TARGET]
        .into_iter()
        .filter(|p| !template.contains(p))
        .collect()
}

fn numbered(letter: char, items: &[String]) -> String {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| format!("{letter}{}: {}", i + 1, python_strip(item)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Python's `str.strip()`: Unicode white space plus the separators U+001C..U+001F.
fn python_strip(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[track_caller]
    fn check(template: &str, model: &[&str], human: &[&str], top_k: Option<usize>, expected: &str) {
        assert_eq!(
            build_prompt(template, &items(model), &items(human), top_k),
            expected
        );
    }

    #[test]
    fn fills_both_lists_trimmed_without_trailing_newline() {
        check(
            "[{source_list}]\n[{target_list}]",
            &["  a b  ", "c\n"],
            &["\u{3000}x", "y\u{1f}"],
            None,
            "[S1: a b\nS2: c]\n[R1: x\nR2: y]",
        );
    }

    #[test]
    fn top_k_sends_only_the_first_items() {
        check(
            "{source_list}|{target_list}",
            &["a", "b", "c"],
            &["x"],
            Some(2),
            "S1: a\nS2: b|R1: x",
        );
        check(
            "{source_list}|{target_list}",
            &["a"],
            &["x"],
            Some(5),
            "S1: a|R1: x",
        );
        check("{source_list}|{target_list}", &[], &[], None, "|");
    }

    #[test]
    fn reference_template_is_shipped_unchanged() {
        assert_eq!(METAJUDGE_TEMPLATE.len(), 3601);
        assert!(METAJUDGE_TEMPLATE.starts_with("You are a rigorous alignment achievement analyst."));
        assert!(missing_placeholders(METAJUDGE_TEMPLATE).is_empty());
        assert_eq!(missing_placeholders("{source_list}"), vec![TARGET]);
    }
}
