//! The review's second view: changes in one person's answers between sittings, as the
//! engine finds them ([`crate::compare::Change`]), made ready to show (inert).

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use super::review::SittingHistory;
use crate::compare::{Change, ChangeKind, SideAnswer};
use crate::questionnaire::{Respondent, TextRef};
use crate::tui::text::{answer_text, inert};

/// One sitting's answer in a change, inert.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeSide {
    /// On one line (a number with its unit).
    pub answer: String,
    /// In full (a text answer keeps its lines).
    pub full: String,
    pub at: DateTime<FixedOffset>,
    pub note: Option<String>,
    /// The questionnaire text the sitting is read with.
    pub read_with: String,
}

impl ChangeSide {
    /// `read_with` is the text's description, made inert (worded once per text by the
    /// caller).
    fn of(a: &SideAnswer, read_with: String) -> ChangeSide {
        let spec = Some(&a.asked.spec);
        ChangeSide {
            answer: answer_text(&a.value, spec, false),
            full: answer_text(&a.value, spec, true),
            at: a.at.at,
            note: a.note.as_deref().map(|n| inert(n, true)),
            read_with,
        }
    }
}

/// One change, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    pub person: Respondent,
    /// As the later sitting asked it, inert.
    pub prompt: String,
    /// `suspect-interview · hours-online`, inert.
    pub question: String,
    pub kind: ChangeKind,
    /// The engine's reason, inert.
    pub reason: String,
    pub before: ChangeSide,
    pub after: ChangeSide,
    /// The question's history in every sitting of this person, oldest first; shared by
    /// every change of the same question (a case of many sittings has many).
    pub history: Arc<Vec<SittingHistory>>,
}

impl ChangeRow {
    /// `describe` gives a questionnaire text's description, inert.
    pub fn of(
        c: &Change,
        history: Arc<Vec<SittingHistory>>,
        describe: impl Fn(&TextRef) -> String,
    ) -> ChangeRow {
        ChangeRow {
            person: c.person,
            prompt: inert(&c.prompt, false),
            question: inert(
                &format!("{} · {}", c.questionnaire_id, c.question_id),
                false,
            ),
            kind: c.kind,
            reason: inert(&c.reason, false),
            before: ChangeSide::of(&c.before, describe(&c.before.asked.text)),
            after: ChangeSide::of(&c.after, describe(&c.after.asked.text)),
            history,
        }
    }
}
