//! Text from a file shown where it could act on the screen: control characters (terminal
//! escapes, newlines) and bidirectional overrides are written as visible escapes.

use std::borrow::Cow;

/// The text with every control character and bidirectional formatting character written as
/// `\u{..}`, so that a name can neither repaint a terminal nor reverse what follows it
/// (`safe\u{202e}gnp.exe` would read `safeexe.png`). Text without them is borrowed as it is.
/// Exports keep the exact text; this is only for showing it.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Most characters of a name the page shows in a table, a select or a label; the whole name
/// is on hover and in every export. A 10,000-character name made the leaderboard 90,000 px
/// wide (issue 12, row 8).
pub const NAME_CHARS: usize = 60;

/// A name as the page shows it: [`visible`], then cut to [`NAME_CHARS`] characters with an
/// ellipsis. `None` when it is shown exactly as it is (nothing escaped or cut), so that the
/// page adds a hover text only when it says more.
pub fn shown_name(name: &str) -> Option<String> {
    let escaped = visible(name);
    let n_chars = escaped.chars().count();
    if n_chars <= NAME_CHARS && matches!(escaped, Cow::Borrowed(_)) {
        return None;
    }
    if n_chars <= NAME_CHARS {
        return Some(escaped.into_owned());
    }
    let mut cut: String = escaped.chars().take(NAME_CHARS - 1).collect();
    cut.push('\u{2026}');
    Some(cut)
}

/// [`shown_name`], or the name itself when it shows as it is.
pub fn display_name(name: &str) -> String {
    shown_name(name).unwrap_or_else(|| name.to_string())
}

/// Control characters (C0, DEL, C1) and the bidirectional marks, embeddings, overrides and
/// isolates of Unicode's bidi algorithm.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expected: &str) {
        let got = visible(text);
        assert_eq!(got, expected, "{text:?}");
        assert_eq!(
            matches!(got, Cow::Borrowed(_)),
            text == expected,
            "borrowed exactly when nothing is escaped: {text:?}"
        );
    }

    #[test]
    fn row11_terminal_escapes_and_newlines_are_shown_escaped() {
        check("judge-a", "judge-a");
        check("数据 é", "数据 é");
        check("\u{1b}[2J\u{1b}[31mred", "\\u{1b}[2J\\u{1b}[31mred");
        check("a\nb\r\tc\0", "a\\u{a}b\\u{d}\\u{9}c\\u{0}");
        check("del\u{7f} c1\u{9b}", "del\\u{7f} c1\\u{9b}");
    }

    #[test]
    fn row14_bidi_overrides_are_shown_escaped() {
        check("safe\u{202e}gnp.exe", "safe\\u{202e}gnp.exe");
        for c in ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}') {
            check(&format!("a{c}b"), &format!("a\\u{{{:x}}}b", u32::from(c)));
        }
        check("\u{200f}\u{200e}\u{61c}", "\\u{200f}\\u{200e}\\u{61c}");
        // Joiners and other format characters that shape scripts stay.
        check("\u{200d}", "\u{200d}");
    }

    #[test]
    fn row8_long_names_are_cut_for_showing_and_kept_whole_on_hover() {
        let cases: &[(&str, Option<&str>)] = &[
            ("judge-a", None),
            ("数据", None),
            ("bad\u{202e}gnp", Some("bad\\u{202e}gnp")),
        ];
        for (name, expected) in cases {
            assert_eq!(shown_name(name).as_deref(), *expected, "{name:?}");
        }
        let long = "x".repeat(10_000);
        let shown = display_name(&long);
        assert_eq!(shown.chars().count(), NAME_CHARS);
        assert!(shown.ends_with('\u{2026}'));
        assert_eq!(
            display_name(&"y".repeat(NAME_CHARS)),
            "y".repeat(NAME_CHARS)
        );
        // Escapes count towards the limit: what is shown is at most NAME_CHARS wide.
        let escaped = display_name(&"\u{1b}".repeat(NAME_CHARS));
        assert_eq!(escaped.chars().count(), NAME_CHARS);
    }
}
