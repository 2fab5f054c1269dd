//! Cases, sittings and their events: the record of what was said. Pure: no I/O.
//!
//! A sitting's answers are an append-only list of events. Folding the events gives the
//! current state of each question and keeps its history; a correction is a new event and
//! never removes the earlier one.

mod answer;
mod clock;
mod date;
mod payload;
mod undo;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::questionnaire::{LoadedQuestionnaire, Respondent};

pub use answer::{AnswerValue, act_applies};
pub use clock::{Clock, FixedClock, SystemClock};
pub use date::{DATE_FORMS, DatePrecision, PartialDate};
pub use payload::{
    CASE_FORMAT, CASE_FORMAT_VERSION, PayloadError, SITTING_FORMAT, SITTING_FORMAT_VERSION,
};
pub use undo::{Reversal, redo_step, undo_step};

/// When something happened. `at` is the wall-clock time at the start of this run of the
/// program plus monotonic time elapsed since, so a clock change mid-sitting cannot reorder
/// events; `wall` is set only when the wall clock disagreed by more than a minute (a jump the
/// reader should know about).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stamp {
    pub at: DateTime<FixedOffset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wall: Option<DateTime<FixedOffset>>,
}

/// A person in a case, by role. The label is what the practitioners call them (it is
/// personal data, so it lives only inside the encrypted case file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub role: Respondent,
    pub label: String,
}

impl Subject {
    /// The people of one role typed as a list, `Adult A, Adult B`: one subject per
    /// comma-separated label, trimmed, empty ones left out. (The new-case form and
    /// `companion case new` both take labels this way.)
    pub fn list(role: Respondent, labels: &str) -> Vec<Subject> {
        labels
            .split(',')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|label| Subject {
                role,
                label: label.to_string(),
            })
            .collect()
    }
}

/// A case: one family's assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Random; also the name of the case's folder.
    pub id: String,
    /// The practitioners' reference, e.g. `DEMO-0001`.
    pub reference: String,
    pub created: DateTime<FixedOffset>,
    #[serde(default, rename = "subject")]
    pub subjects: Vec<Subject>,
}

/// Which questionnaire a sitting used, exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionnaireRef {
    pub id: String,
    pub version: String,
    /// SHA-256 of the questionnaire's text.
    pub sha256: String,
}

impl From<&LoadedQuestionnaire> for QuestionnaireRef {
    fn from(q: &LoadedQuestionnaire) -> Self {
        QuestionnaireRef {
            id: q.questionnaire.header.id.clone(),
            version: q.questionnaire.header.version.clone(),
            sha256: q.hash.clone(),
        }
    }
}

/// What happened, in one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum EventKind {
    /// An answer recorded (or changed: the latest wins, the earlier stays in the history).
    Answer {
        question: String,
        value: AnswerValue,
    },
    /// The answer withdrawn: the question counts as not asked again.
    Clear { question: String },
    /// The question's note, in full (it replaces the previous note).
    Note { question: String, text: String },
    /// Follow-up flag on or off.
    Flag { question: String, on: bool },
    /// Something noticed, not tied to a question.
    Observation { text: String },
}

impl EventKind {
    /// The question this event is about, if any.
    pub fn question(&self) -> Option<&str> {
        match self {
            EventKind::Answer { question, .. }
            | EventKind::Clear { question }
            | EventKind::Note { question, .. }
            | EventKind::Flag { question, .. } => Some(question),
            EventKind::Observation { .. } => None,
        }
    }
}

/// One timestamped event. `seq` counts from 1 and is the authoritative order.
// No `deny_unknown_fields` here: serde does not support it together with `flatten`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub seq: u64,
    /// Set on an undo or a redo: the `seq` of the event whose effect this one takes back
    /// (format version 2). The question is then as it was just before that event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverts: Option<u64>,
    #[serde(flatten)]
    pub stamp: Stamp,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// One interview (or form-filling) sitting with one respondent and one questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sitting {
    pub id: String,
    pub case_id: String,
    pub respondent: Respondent,
    pub questionnaire: QuestionnaireRef,
    #[serde(default)]
    pub interviewers: Vec<String>,
    /// The question on screen when the sitting was last saved, where resuming opens it
    /// (format version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_question: Option<String>,
    pub started: Stamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<Stamp>,
    #[serde(default, rename = "event")]
    pub events: Vec<Event>,
}

/// The current state of one question, folded from its events.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QuestionState {
    /// The latest answer; `None` if never answered or cleared.
    pub answer: Option<AnswerValue>,
    /// When the latest answer was recorded.
    pub answered_at: Option<Stamp>,
    pub note: Option<String>,
    pub flagged: bool,
    /// Every event about this question, oldest first.
    pub history: Vec<Event>,
}

/// A sitting folded: the state of every question it holds events for (including questions
/// the questionnaire no longer has: they are shown, never dropped) and its observations.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Folded {
    pub questions: BTreeMap<String, QuestionState>,
    pub observations: Vec<Event>,
}

impl Folded {
    pub fn get(&self, question: &str) -> Option<&QuestionState> {
        self.questions.get(question)
    }

    /// Questions with a current answer (including don't know / declined).
    pub fn answered(&self) -> usize {
        self.questions
            .values()
            .filter(|q| q.answer.is_some())
            .count()
    }

    pub fn flagged(&self) -> usize {
        self.questions.values().filter(|q| q.flagged).count()
    }
}

impl Sitting {
    /// A new, empty sitting.
    pub fn new(
        id: String,
        case_id: String,
        respondent: Respondent,
        questionnaire: QuestionnaireRef,
        interviewers: Vec<String>,
        started: Stamp,
    ) -> Sitting {
        Sitting {
            id,
            case_id,
            respondent,
            questionnaire,
            interviewers,
            current_question: None,
            started,
            ended: None,
            events: Vec::new(),
        }
    }

    /// Appends an event and returns it.
    pub fn record(&mut self, kind: EventKind, stamp: Stamp) -> &Event {
        self.record_reverting(kind, None, stamp)
    }

    /// Appends an event that takes back event `reverts` (an undo or redo), or a plain one.
    pub fn record_reverting(
        &mut self,
        kind: EventKind,
        reverts: Option<u64>,
        stamp: Stamp,
    ) -> &Event {
        let seq = self.events.last().map_or(1, |e| e.seq + 1);
        self.events.push(Event {
            seq,
            reverts,
            stamp,
            kind,
        });
        // Just pushed, so there is a last element.
        &self.events[self.events.len() - 1]
    }

    /// When the sitting was last used: the latest of its start, its last event and the last
    /// time it was left.
    pub fn last_activity(&self) -> DateTime<FixedOffset> {
        let last_event = self.events.iter().map(|e| e.stamp.at).max();
        let ended = self.ended.as_ref().map(|e| e.at);
        [Some(self.started.at), last_event, ended]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(self.started.at)
    }

    /// Folds the events, in `seq` order, into the current state.
    pub fn fold(&self) -> Folded {
        let mut folded = Folded::default();
        let mut events: Vec<&Event> = self.events.iter().collect();
        events.sort_by_key(|e| e.seq);
        for event in events {
            let Some(question) = event.kind.question() else {
                folded.observations.push(event.clone());
                continue;
            };
            let state = folded.questions.entry(question.to_string()).or_default();
            match &event.kind {
                // Empty means not answered (older records may hold an empty text).
                EventKind::Answer { value, .. } if value.is_empty() => {
                    state.answer = None;
                    state.answered_at = None;
                }
                EventKind::Answer { value, .. } => {
                    state.answer = Some(value.clone());
                    state.answered_at = Some(event.stamp.clone());
                }
                EventKind::Clear { .. } => {
                    state.answer = None;
                    state.answered_at = None;
                }
                EventKind::Note { text, .. } => {
                    state.note = (!text.is_empty()).then(|| text.clone());
                }
                EventKind::Flag { on, .. } => state.flagged = *on,
                EventKind::Observation { .. } => {}
            }
            state.history.push(event.clone());
        }
        folded
    }
}

#[cfg(test)]
mod tests;
