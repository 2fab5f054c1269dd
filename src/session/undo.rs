//! Undo and redo as new events: nothing is ever taken out of a sitting. Undoing a change
//! records the question's state from just before it (an answer, a clear, a note or a flag)
//! with `reverts` naming the change; redoing records the state the undo took back, with
//! `reverts` naming the undo.
//!
//! The undo and redo stacks are not stored: they are worked out from the events, so they
//! survive a restart and read the same in every program. Observations are not undone (they
//! are not about an answer, and a sitting never drops one).

use super::{AnswerValue, Event, EventKind, Sitting};

/// What an undo or redo records: the event kind, and the `seq` it reverts.
#[derive(Debug, Clone, PartialEq)]
pub struct Reversal {
    pub kind: EventKind,
    pub reverts: u64,
    /// The change being undone or redone, as it was recorded.
    pub change: EventKind,
}

/// The two stacks of `seq`s, replayed from the events in order.
fn stacks(sitting: &Sitting) -> (Vec<u64>, Vec<u64>) {
    let mut events: Vec<&Event> = sitting
        .events
        .iter()
        .filter(|e| e.kind.question().is_some())
        .collect();
    events.sort_by_key(|e| e.seq);
    let (mut undo, mut redo) = (Vec::new(), Vec::new());
    for e in events {
        match e.reverts {
            Some(n) if undo.last() == Some(&n) => {
                undo.pop();
                redo.push(e.seq);
            }
            Some(n) if redo.last() == Some(&n) => {
                redo.pop();
                undo.push(e.seq);
            }
            // A plain change (or a `reverts` that fits neither stack, which a reader treats
            // as a plain change): a new branch, nothing left to redo.
            _ => {
                undo.push(e.seq);
                redo.clear();
            }
        }
    }
    (undo, redo)
}

/// The question's state just before event `seq`, as the event that restores it.
fn state_before(sitting: &Sitting, seq: u64) -> Option<Reversal> {
    let target = sitting.events.iter().find(|e| e.seq == seq)?;
    let question = target.kind.question()?.to_string();
    let mut answer: Option<AnswerValue> = None;
    let mut note = String::new();
    let mut flagged = false;
    let mut earlier: Vec<&Event> = sitting
        .events
        .iter()
        .filter(|e| e.seq < seq && e.kind.question() == Some(question.as_str()))
        .collect();
    earlier.sort_by_key(|e| e.seq);
    for e in earlier {
        match &e.kind {
            EventKind::Answer { value, .. } if value.is_empty() => answer = None,
            EventKind::Answer { value, .. } => answer = Some(value.clone()),
            EventKind::Clear { .. } => answer = None,
            EventKind::Note { text, .. } => note = text.clone(),
            EventKind::Flag { on, .. } => flagged = *on,
            EventKind::Observation { .. } => {}
        }
    }
    let kind = match &target.kind {
        EventKind::Answer { .. } | EventKind::Clear { .. } => match answer {
            Some(value) => EventKind::Answer { question, value },
            None => EventKind::Clear { question },
        },
        EventKind::Note { .. } => EventKind::Note {
            question,
            text: note,
        },
        EventKind::Flag { .. } => EventKind::Flag {
            question,
            on: flagged,
        },
        EventKind::Observation { .. } => return None,
    };
    Some(Reversal {
        kind,
        reverts: seq,
        change: target.kind.clone(),
    })
}

/// What undoing the latest change not yet undone would record; `None` if there is none.
pub fn undo_step(sitting: &Sitting) -> Option<Reversal> {
    let (undo, _) = stacks(sitting);
    state_before(sitting, *undo.last()?)
}

/// What redoing the latest undo would record; `None` if nothing was undone since the last
/// change.
pub fn redo_step(sitting: &Sitting) -> Option<Reversal> {
    let (_, redo) = stacks(sitting);
    state_before(sitting, *redo.last()?)
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::questionnaire::Respondent;
    use crate::session::{Clock, FixedClock, QuestionnaireRef};

    fn sitting() -> (Sitting, FixedClock) {
        let clock = FixedClock::new(
            DateTime::parse_from_rfc3339("2026-11-23T10:00:00+00:00").expect("time"),
        );
        let s = Sitting::new(
            "s".into(),
            "c".into(),
            Respondent::Suspect,
            QuestionnaireRef {
                id: "q".into(),
                version: "1".into(),
                sha256: String::new(),
            },
            vec![],
            clock.stamp(),
        );
        (s, clock)
    }

    fn yes(q: &str, yes: bool) -> EventKind {
        EventKind::Answer {
            question: q.into(),
            value: AnswerValue::YesNo { yes },
        }
    }

    fn apply(s: &mut Sitting, c: &FixedClock, r: Reversal) {
        s.record_reverting(r.kind, Some(r.reverts), c.stamp());
    }

    fn undo(s: &mut Sitting, c: &FixedClock) {
        let r = undo_step(s).expect("something to undo");
        apply(s, c, r);
    }

    fn redo(s: &mut Sitting, c: &FixedClock) {
        let r = redo_step(s).expect("something to redo");
        apply(s, c, r);
    }

    fn answer(s: &Sitting, q: &str) -> Option<AnswerValue> {
        s.fold().get(q).and_then(|st| st.answer.clone())
    }

    #[test]
    fn undo_walks_back_and_redo_forward_and_the_history_keeps_everything() {
        let (mut s, c) = sitting();
        s.record(yes("a", true), c.stamp());
        s.record(yes("a", false), c.stamp());
        s.record(
            EventKind::Flag {
                question: "b".into(),
                on: true,
            },
            c.stamp(),
        );
        s.record(
            EventKind::Observation {
                text: "not undone".into(),
            },
            c.stamp(),
        );
        // Undo the flag (the observation is skipped), then the second answer.
        let r = undo_step(&s).expect("something to undo");
        assert_eq!(r.reverts, 3);
        apply(&mut s, &c, r);
        assert!(!s.fold().get("b").is_some_and(|q| q.flagged));
        undo(&mut s, &c);
        assert_eq!(answer(&s, "a"), Some(AnswerValue::YesNo { yes: true }));
        undo(&mut s, &c);
        assert_eq!(answer(&s, "a"), None, "back to not asked: a clear");
        assert!(undo_step(&s).is_none(), "nothing left to undo");
        // Redo in the opposite order.
        redo(&mut s, &c);
        assert_eq!(answer(&s, "a"), Some(AnswerValue::YesNo { yes: true }));
        redo(&mut s, &c);
        assert_eq!(answer(&s, "a"), Some(AnswerValue::YesNo { yes: false }));
        // A new change: nothing to redo any more; undo takes it back first.
        s.record(yes("c", true), c.stamp());
        assert!(redo_step(&s).is_none());
        assert_eq!(
            undo_step(&s).map(|r| r.kind),
            Some(EventKind::Clear {
                question: "c".into()
            })
        );
        // Every event is still there, the reverting ones marked.
        assert_eq!(s.events.len(), 10);
        assert_eq!(s.events.iter().filter(|e| e.reverts.is_some()).count(), 5);
    }

    #[test]
    fn a_note_undone_comes_back_as_it_was() {
        let (mut s, c) = sitting();
        let note = |t: &str| EventKind::Note {
            question: "a".into(),
            text: t.into(),
        };
        s.record(note("first"), c.stamp());
        s.record(note("second"), c.stamp());
        undo(&mut s, &c);
        assert_eq!(
            s.fold().get("a").and_then(|q| q.note.clone()).as_deref(),
            Some("first")
        );
        undo(&mut s, &c);
        assert_eq!(s.fold().get("a").and_then(|q| q.note.clone()), None);
    }
}
