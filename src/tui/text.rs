//! Text from questionnaires and records is untrusted: shown inert, never sent raw to the
//! terminal. Also answers as a person reads them, and the fuzzy matcher used by jump and the
//! case filter.

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

/// A fuzzy score of `needle` in `haystack` (case-insensitive): higher is better, `None` if
/// the needle's characters do not all appear in order. A plain substring scores best.
pub fn fuzzy_score(needle: &str, haystack: &str) -> Option<i64> {
    let needle = needle.trim().to_lowercase();
    if needle.is_empty() {
        return Some(0);
    }
    let hay = haystack.to_lowercase();
    if let Some(pos) = hay.find(&needle) {
        return Some(10_000 - pos.min(9_000) as i64);
    }
    // Every word of the needle as a substring, in any order.
    let words: Vec<&str> = needle.split_whitespace().collect();
    if words.len() > 1 && words.iter().all(|w| hay.contains(w)) {
        return Some(5_000);
    }
    // Characters in order; fewer gaps is better.
    let mut score = 1_000i64;
    let mut hay_chars = hay.chars().enumerate();
    let mut last: Option<usize> = None;
    for n in needle.chars().filter(|c| !c.is_whitespace()) {
        let found = hay_chars.by_ref().find(|(_, h)| *h == n)?;
        if let Some(l) = last {
            score -= (found.0 - l - 1).min(50) as i64;
        }
        last = Some(found.0);
    }
    Some(score)
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

    #[test]
    fn fuzzy_prefers_substrings_then_order() {
        assert!(fuzzy_score("hours", "How many hours online").is_some());
        assert!(fuzzy_score("hrs onl", "hours online").is_some());
        assert!(fuzzy_score("zzz", "hours online").is_none());
        let exact = fuzzy_score("online", "hours online");
        let spread = fuzzy_score("onle", "hours online");
        assert!(exact > spread);
    }
}
