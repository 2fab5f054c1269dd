//! Text from questionnaires and records is untrusted: shown inert, never sent raw to the
//! terminal. Also answers as a person reads them.

use crate::questionnaire::AnswerSpec;
use crate::session::{AnswerValue, Event, EventKind};

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

/// One event of a question's history in words, inert and on one line; an undo or redo says
/// so.
pub fn event_text(event: &Event, spec: Option<&AnswerSpec>) -> String {
    let text = match &event.kind {
        EventKind::Answer { value, .. } if value.is_empty() => "empty answer (not answered)".into(),
        EventKind::Answer { value, .. } => format!("answered {}", answer_text(value, spec, false)),
        EventKind::Clear { .. } => "answer cleared (not asked)".to_string(),
        EventKind::Note { text, .. } if text.is_empty() => "note removed".to_string(),
        EventKind::Note { text, .. } => format!("note: {}", inert(text, false)),
        EventKind::Flag { on: true, .. } => "flagged for follow-up".to_string(),
        EventKind::Flag { on: false, .. } => "flag removed".to_string(),
        EventKind::Observation { text } => format!("observation: {}", inert(text, false)),
    };
    match event.reverts {
        Some(n) => format!("{text} (takes back #{n})"),
        None => text,
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
