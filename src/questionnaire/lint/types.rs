//! Pass 2: the types serde checks (strings, numbers, arrays, required keys), every part of
//! the file on its own so one wrong value does not hide the next, and on a copy without the
//! unknown keys pass 1 already reported, so those do not hide the type checks either.

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::keys::{SECTION_KEYS, allowed_answer_keys, keep, strip_unknown};
use super::{Checker, syntax_message};
use crate::questionnaire::{Header, Question, Questionnaire, Section};

impl Checker<'_, '_> {
    /// Checks every part's types; the whole questionnaire if they all read.
    pub(super) fn check_types(&mut self) -> Option<Questionnaire> {
        let mut doc = self.doc.clone();
        strip_unknown(doc.get_mut());
        let before = self.diags.len();
        let root = doc.get_ref();
        if let Some((_, header)) = super::entry(root, "questionnaire") {
            self.read::<Header>(header.clone());
        }
        if let Some((_, sections)) = super::entry(root, "section")
            && let DeValue::Array(sections) = sections.get_ref()
        {
            for section in sections {
                let DeValue::Table(table) = section.get_ref() else {
                    continue;
                };
                // The section's own keys, then each question on its own.
                let mut own: DeTable<'_> = table.clone();
                let own_keys: Vec<&str> = SECTION_KEYS
                    .iter()
                    .copied()
                    .filter(|k| *k != "question")
                    .collect();
                keep(&mut own, &own_keys);
                self.read::<Section>(Spanned::new(section.span(), DeValue::Table(own)));
                if let Some((_, questions)) = super::entry(table, "question")
                    && let DeValue::Array(questions) = questions.get_ref()
                {
                    for question in questions {
                        if answer_type_known(question) {
                            self.read::<Question>(question.clone());
                        }
                    }
                }
            }
        }
        if self.diags.len() > before {
            return None;
        }
        // Every part reads: the whole (missing tables, a section that is not an array).
        match Questionnaire::deserialize(doc.into_deserializer()) {
            Ok(q) => Some(q),
            Err(e) => {
                self.serde_problem(&e);
                None
            }
        }
    }

    fn read<'de, T: Deserialize<'de>>(&mut self, value: Spanned<DeValue<'de>>) {
        let span = value.span();
        if let Err(e) = T::deserialize(value.into_deserializer()) {
            let at = e.span().map_or(span.start, |s| s.start);
            self.problem_at(at, syntax_message(&e));
        }
    }

    fn serde_problem(&mut self, e: &toml::de::Error) {
        let at = e.span().map_or(0, |s| s.start);
        self.problem_at(at, syntax_message(e));
    }

    /// A problem at a byte offset, unless pass 1 already reported one on that line (an
    /// unknown answer type, say, which serde would report again in its own words).
    fn problem_at(&mut self, offset: usize, message: String) {
        let d = super::diag_at(self.file, self.text, offset, message);
        if !self.diags.iter().any(|x| x.line == d.line) {
            self.diags.push(d);
        }
    }
}

/// Whether a question's answer type is one the format knows (pass 1 reports one it does
/// not; reading the question would only say so again).
fn answer_type_known(question: &Spanned<DeValue<'_>>) -> bool {
    let DeValue::Table(q) = question.get_ref() else {
        return true;
    };
    let Some((_, answer)) = super::entry(q, "answer") else {
        return true;
    };
    let DeValue::Table(a) = answer.get_ref() else {
        return true;
    };
    match super::entry(a, "type").map(|(_, t)| t.get_ref()) {
        Some(DeValue::String(name)) => allowed_answer_keys(name).is_some(),
        _ => true,
    }
}
