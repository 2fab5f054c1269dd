//! Text that came from records or questionnaires is untrusted: it may hold control
//! characters (escape sequences that drive a terminal) and bidirectional-text controls
//! (U+202E RIGHT-TO-LEFT OVERRIDE and kin), which make text display in another order than
//! it is stored — a "Trojan Source" trick that can make a report or a message say something
//! other than what was recorded. Every place that shows such text uses these checks: the
//! screens (`tui::text::inert`), the Markdown and HTML reports, and command-line messages.
//! The JSON report is data and keeps every character exactly (see `docs/report-json.md`).

use std::borrow::Cow;

/// What is shown instead of a control or bidi character: visible, and never a control.
pub const MARK: char = '\u{FFFD}';

/// Whether `c` changes the direction or embedding of the text around it: the embeddings
/// and overrides U+202A–U+202E, the isolates U+2066–U+2069, and the direction marks
/// U+200E (LRM), U+200F (RLM) and U+061C (ARABIC LETTER MARK).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
    )
}

/// `text` for a command-line message: every control character except a line break, and
/// every bidi control, replaced by [`MARK`]. Borrowed when there is nothing to replace.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    let bad = |c: char| (c.is_control() && c != '\n') || is_bidi_control(c);
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if bad(c) { MARK } else { c })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bidi_control_is_one() {
        for c in [
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{061c}',
        ] {
            assert!(is_bidi_control(c), "U+{:04X}", c as u32);
        }
        for c in ['a', 'ש', 'ع', '\u{200b}', '\u{2070}', '\u{2029}'] {
            assert!(!is_bidi_control(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn terminal_text_keeps_line_breaks_and_marks_the_rest() {
        assert!(matches!(for_terminal("plain\ntext"), Cow::Borrowed(_)));
        assert_eq!(
            for_terminal("a\u{1b}[2Jb\u{202e}c\u{7}\nd"),
            "a\u{fffd}[2Jb\u{fffd}c\u{fffd}\nd"
        );
    }
}
