//! The merge rules, pure: what receiving a sitting does to the sittings a case holds.
//!
//! Sittings are matched by their id (inside the file, not the file's name). For each
//! received sitting:
//!
//! | held                                            | outcome                           |
//! |-------------------------------------------------|-----------------------------------|
//! | none with its id                                | added                             |
//! | a version with the same events                  | nothing changes                   |
//! | a version whose events are a prefix of its own  | replaced by the longer (received) |
//! | a version whose events extend its own           | nothing changes (held is longer)  |
//! | only versions that each have events it lacks    | both kept; the conflict is named  |
//!
//! "Prefix" compares whole events (time, kind, value) and the sitting's header (who, which
//! questionnaire, when started) must be the same; any other difference is a conflict. Never
//! an overwrite of something the received version lacks, never a silent drop.

use crate::session::Sitting;

/// What one received sitting does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not held: added under its own id.
    Added,
    /// Held with the same events, in file `file`.
    Same { file: String },
    /// The held version (file `file`) is longer; it is kept.
    HeldLonger { file: String },
    /// The held version (file `file`) is a prefix: replaced by the received one.
    Longer { file: String },
    /// Diverges from every held version (files `with`): kept beside them.
    Conflict { with: Vec<String> },
}

impl Outcome {
    /// Whether it writes anything.
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Outcome::Added | Outcome::Longer { .. } | Outcome::Conflict { .. }
        )
    }
}

/// Whether `a` and `b` are the same sitting apart from its events and when it was left.
fn same_header(a: &Sitting, b: &Sitting) -> bool {
    a.id == b.id
        && a.case_id == b.case_id
        && a.respondent == b.respondent
        && a.questionnaire == b.questionnaire
        && a.interviewers == b.interviewers
        && a.started == b.started
}

fn is_prefix(short: &Sitting, long: &Sitting) -> bool {
    short.events.len() <= long.events.len() && long.events[..short.events.len()] == short.events
}

/// What receiving `received` does, given the held sittings as (file id, sitting).
pub fn outcome(held: &[(String, Sitting)], received: &Sitting) -> Outcome {
    let same_id: Vec<&(String, Sitting)> =
        held.iter().filter(|(_, s)| s.id == received.id).collect();
    if same_id.is_empty() {
        return Outcome::Added;
    }
    let comparable = |s: &Sitting| same_header(s, received);
    if let Some((file, _)) = same_id
        .iter()
        .find(|(_, s)| comparable(s) && s.events == received.events)
    {
        return Outcome::Same { file: file.clone() };
    }
    if let Some((file, _)) = same_id
        .iter()
        .find(|(_, s)| comparable(s) && is_prefix(received, s))
    {
        return Outcome::HeldLonger { file: file.clone() };
    }
    if let Some((file, _)) = same_id
        .iter()
        .find(|(_, s)| comparable(s) && is_prefix(s, received))
    {
        return Outcome::Longer { file: file.clone() };
    }
    Outcome::Conflict {
        with: same_id.iter().map(|(f, _)| f.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Respondent;
    use crate::session::{AnswerValue, Clock, EventKind, FixedClock, QuestionnaireRef};

    fn sitting(answers: &[&str]) -> Sitting {
        let clock = FixedClock::new(
            chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00+00:00").unwrap_or_default(),
        );
        let mut s = Sitting::new(
            "9f2c4e1a7b3d5f60a1b2c3d4e5f60718".into(),
            "0a1b2c3d4e5f60718293a4b5c6d7e8f9".into(),
            Respondent::Suspect,
            QuestionnaireRef {
                id: "suspect-interview".into(),
                version: "1.0.0".into(),
                sha256: "0".repeat(64),
            },
            vec!["Interviewer A".into()],
            clock.stamp(),
        );
        for a in answers {
            s.record(
                EventKind::Answer {
                    question: (*a).into(),
                    value: AnswerValue::DontKnow,
                },
                clock.stamp(),
            );
        }
        s
    }

    #[test]
    fn each_rule() {
        let held = vec![("f1".to_string(), sitting(&["a", "b"]))];
        assert_eq!(outcome(&[], &sitting(&["a"])), Outcome::Added);
        assert_eq!(
            outcome(&held, &sitting(&["a", "b"])),
            Outcome::Same { file: "f1".into() }
        );
        assert_eq!(
            outcome(&held, &sitting(&["a"])),
            Outcome::HeldLonger { file: "f1".into() }
        );
        assert_eq!(
            outcome(&held, &sitting(&["a", "b", "c"])),
            Outcome::Longer { file: "f1".into() }
        );
        assert_eq!(
            outcome(&held, &sitting(&["a", "x"])),
            Outcome::Conflict {
                with: vec!["f1".into()]
            }
        );
        // A different header with the same events is a conflict, not the same sitting.
        let mut other = sitting(&["a", "b"]);
        other.interviewers = vec!["Interviewer C".into()];
        assert!(matches!(outcome(&held, &other), Outcome::Conflict { .. }));
        // A conflict already kept beside the held one is recognised the second time.
        let both = vec![held[0].clone(), ("f2".to_string(), sitting(&["a", "x"]))];
        assert_eq!(
            outcome(&both, &sitting(&["a", "x"])),
            Outcome::Same { file: "f2".into() }
        );
    }
}
