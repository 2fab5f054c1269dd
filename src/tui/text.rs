//! Text from questionnaires and records is untrusted: shown inert, never sent raw to the
//! terminal. Also answers as a person reads them.

use crate::questionnaire::AnswerSpec;
use crate::session::AnswerValue;

/// Replaces control characters (escape sequences, bells, carriage returns) and bidi
/// controls ([`crate::untrusted::is_bidi_control`]) with a visible placeholder; tabs become a space. Newlines are kept only when
/// `multiline`.
pub fn inert(text: &str, multiline: bool) -> String {
    text.chars()
        .map(|c| match c {
            '\n' if multiline => '\n',
            '\t' | '\n' => ' ',
            c if c.is_control() || crate::untrusted::is_bidi_control(c) => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// An answer as a person reads it, inert: a number with its unit from the question
/// (`25 hours/week`), anything else as the record's words. `multiline` keeps a text
/// answer's line breaks.
pub fn answer_text(value: &AnswerValue, spec: Option<&AnswerSpec>, multiline: bool) -> String {
    match (value, spec) {
        (AnswerValue::Number { number }, Some(AnswerSpec::Number { unit: Some(u), .. })) => {
            inert(&format!("{number} {u}"), false)
        }
        (v, _) => inert(&v.to_string(), multiline),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_inert() {
        let shown = inert("a\u{1b}[31mred\u{7}\r\nb\u{202e}c", false);
        assert!(!shown.chars().any(|c| c.is_control()));
        assert!(shown.contains("red"));
        assert!(!shown.contains('\u{202e}'));
        assert_eq!(inert("x\ny", true), "x\ny");
    }
}
