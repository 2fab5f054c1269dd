//! Undo and redo on the logging screen: each is one new event (the sitting's history keeps
//! the change and its undoing), worked out by [`crate::session::undo_step`]. The cursor goes
//! to the question that changed, and the footer says what was undone.

use crate::session::{AnswerValue, EventKind, Reversal, redo_step, undo_step};
use crate::tui::app::Ctx;
use crate::tui::text::inert;

use super::LoggingScreen;

impl LoggingScreen {
    pub(super) fn undo(&mut self, ctx: &Ctx) {
        match undo_step(&self.open.sitting) {
            Some(r) => self.apply_reversal(r, "Undone", ctx),
            None => self.flash = Some("Nothing to undo.".into()),
        }
    }

    pub(super) fn redo(&mut self, ctx: &Ctx) {
        match redo_step(&self.open.sitting) {
            Some(r) => self.apply_reversal(r, "Redone", ctx),
            None => self.flash = Some("Nothing to redo.".into()),
        }
    }

    fn apply_reversal(&mut self, r: Reversal, done: &str, ctx: &Ctx) {
        let Some(question) = r.kind.question().map(str::to_string) else {
            return;
        };
        let Some(row) = self.row_of(&question) else {
            self.message = Some(format!(
                "The last change is to {}, which this questionnaire no longer has: nothing {}.",
                inert(&question, false),
                done.to_lowercase()
            ));
            return;
        };
        self.cursor = row;
        let what = describe(&r.kind);
        self.record_at(r.kind, Some(r.reverts), ctx.clock.stamp(), ctx);
        self.flash = Some(format!("{done}: {} now {what}.", inert(&question, false)));
    }

    /// The row of a question of this questionnaire.
    pub(super) fn row_of(&self, id: &str) -> Option<usize> {
        (0..self.rows.len()).find(|&row| self.question_at(row).is_some_and(|q| q.id == id))
    }

    /// Puts every question the events since `mark` changed back as it was at `mark`, one
    /// event per question, each marked as reverting the first of them (typing taken for
    /// commands). Returns how many questions were put back.
    pub(super) fn revert_since(&mut self, mark: usize, ctx: &Ctx) -> usize {
        let events = self.open.sitting.events.get(mark..).unwrap_or_default();
        let mut firsts: Vec<(String, u64)> = Vec::new();
        for e in events {
            if let Some(q) = e.kind.question()
                && !firsts.iter().any(|(id, _)| id == q)
            {
                firsts.push((q.to_string(), e.seq));
            }
        }
        let before = {
            let mut earlier = self.open.sitting.clone();
            earlier.events.truncate(mark);
            earlier.fold()
        };
        let mut put_back = 0;
        for (question, first) in firsts {
            let was = before.get(&question).cloned().unwrap_or_default();
            let now = self.folded.get(&question).cloned().unwrap_or_default();
            let mut kinds = Vec::new();
            if was.answer != now.answer {
                kinds.push(match was.answer {
                    Some(value) => EventKind::Answer {
                        question: question.clone(),
                        value,
                    },
                    None => EventKind::Clear {
                        question: question.clone(),
                    },
                });
            }
            if was.flagged != now.flagged {
                kinds.push(EventKind::Flag {
                    question: question.clone(),
                    on: was.flagged,
                });
            }
            if was.note != now.note {
                kinds.push(EventKind::Note {
                    question: question.clone(),
                    text: was.note.unwrap_or_default(),
                });
            }
            if !kinds.is_empty() {
                put_back += 1;
            }
            for kind in kinds {
                self.record_at(kind, Some(first), ctx.clock.stamp(), ctx);
            }
        }
        put_back
    }
}

/// What a question is after an undo or redo, in a few words.
fn describe(kind: &EventKind) -> String {
    match kind {
        EventKind::Answer { value, .. } => match value {
            AnswerValue::Text { .. } => "answered (text)".into(),
            v => format!("answered {}", inert(&v.to_string(), false)),
        },
        EventKind::Clear { .. } => "not asked".into(),
        EventKind::Note { text, .. } if text.is_empty() => "without a note".into(),
        EventKind::Note { .. } => "with its earlier note".into(),
        EventKind::Flag { on: true, .. } => "flagged".into(),
        EventKind::Flag { on: false, .. } => "not flagged".into(),
        EventKind::Observation { .. } => String::new(),
    }
}
