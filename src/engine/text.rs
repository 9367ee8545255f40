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
}
