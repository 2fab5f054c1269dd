use chrono::DateTime;

use super::*;

fn clock() -> FixedClock {
    FixedClock::new(
        DateTime::parse_from_rfc3339("2026-11-23T10:00:00+00:00").expect("valid test time"),
    )
}

fn sitting(clock: &FixedClock) -> Sitting {
    Sitting::new(
        "s1".into(),
        "c1".into(),
        Respondent::Suspect,
        QuestionnaireRef {
            id: "suspect-interview".into(),
            version: "1.0.0".into(),
            sha256: "0".repeat(64),
        },
        vec!["Interviewer A".into(), "Interviewer B".into()],
        clock.stamp(),
    )
}

fn answer(q: &str, value: AnswerValue) -> EventKind {
    EventKind::Answer {
        question: q.into(),
        value,
    }
}

#[test]
fn the_latest_answer_wins_and_the_earlier_stays_in_the_history() {
    let c = clock();
    let mut s = sitting(&c);
    s.record(
        answer("hours", AnswerValue::Number { number: 5.0 }),
        c.stamp(),
    );
    s.record(
        answer("hours", AnswerValue::Number { number: 25.0 }),
        c.stamp(),
    );
    let folded = s.fold();
    let state = folded.get("hours").expect("folded");
    assert_eq!(state.answer, Some(AnswerValue::Number { number: 25.0 }));
    assert_eq!(state.history.len(), 2);
    assert_eq!(
        state.history[0].kind,
        answer("hours", AnswerValue::Number { number: 5.0 })
    );
    assert_eq!(s.events.len(), 2, "a correction never deletes");
}

#[test]
fn clear_note_flag_and_observations_fold() {
    let c = clock();
    let mut s = sitting(&c);
    s.record(answer("a", AnswerValue::YesNo { yes: true }), c.stamp());
    s.record(
        EventKind::Clear {
            question: "a".into(),
        },
        c.stamp(),
    );
    s.record(
        EventKind::Note {
            question: "b".into(),
            text: "first".into(),
        },
        c.stamp(),
    );
    s.record(
        EventKind::Note {
            question: "b".into(),
            text: "second".into(),
        },
        c.stamp(),
    );
    s.record(
        EventKind::Flag {
            question: "b".into(),
            on: true,
        },
        c.stamp(),
    );
    s.record(answer("c", AnswerValue::DontKnow), c.stamp());
    s.record(
        EventKind::Observation {
            text: "Break requested".into(),
        },
        c.stamp(),
    );
    let f = s.fold();
    assert_eq!(f.get("a").and_then(|q| q.answer.clone()), None);
    assert_eq!(f.get("a").map(|q| q.history.len()), Some(2));
    assert_eq!(
        f.get("b").and_then(|q| q.note.clone()).as_deref(),
        Some("second")
    );
    assert!(f.get("b").is_some_and(|q| q.flagged));
    assert_eq!(f.answered(), 1, "don't know counts as asked");
    assert_eq!(f.flagged(), 1);
    assert_eq!(f.observations.len(), 1);
}

#[test]
fn events_fold_in_seq_order_whatever_their_times() {
    let c = clock();
    let mut s = sitting(&c);
    let later = c.stamp();
    let earlier = Stamp {
        at: later.at - chrono::TimeDelta::hours(1),
        wall: None,
    };
    s.record(answer("a", AnswerValue::YesNo { yes: true }), later);
    // A wall clock set back an hour must not make this answer lose to the first.
    s.record(answer("a", AnswerValue::YesNo { yes: false }), earlier);
    let f = s.fold();
    assert_eq!(
        f.get("a").and_then(|q| q.answer.clone()),
        Some(AnswerValue::YesNo { yes: false })
    );
    assert_eq!(s.events[1].seq, 2);
}

#[test]
fn answers_to_unknown_questions_are_kept() {
    let c = clock();
    let mut s = sitting(&c);
    s.record(
        answer("removed-in-v2", AnswerValue::Text { text: "x".into() }),
        c.stamp(),
    );
    assert!(s.fold().get("removed-in-v2").is_some());
}

#[test]
fn sitting_payload_round_trips_every_kind_of_answer() {
    let c = clock();
    let mut s = sitting(&c);
    let values = [
        AnswerValue::YesNo { yes: true },
        AnswerValue::Choice {
            option: "Likely".into(),
        },
        AnswerValue::MultiChoice {
            options: vec!["Web".into(), "Chat".into()],
        },
        AnswerValue::Scale {
            step: "High".into(),
        },
        AnswerValue::Number { number: 12.5 },
        AnswerValue::Text {
            text: "Line one\nline \"two\" — ünïcode".into(),
        },
        AnswerValue::Date {
            date: chrono::NaiveDate::from_ymd_opt(2026, 1, 31)
                .expect("valid date")
                .into(),
        },
        AnswerValue::Date {
            date: PartialDate::year(2019).expect("a year"),
        },
        AnswerValue::Date {
            date: PartialDate::month(2019, 3).expect("a month"),
        },
        AnswerValue::DontKnow,
        AnswerValue::Declined,
    ];
    for (i, v) in values.into_iter().enumerate() {
        s.record(answer(&format!("q{i}"), v), c.stamp());
    }
    s.record(
        EventKind::Observation {
            text: "Noted".into(),
        },
        c.stamp(),
    );
    s.ended = Some(c.stamp());
    let text = s.to_payload().expect("serializes");
    assert!(text.starts_with("format = \"interview-companion/sitting\"\nformat_version = 2\n"));
    assert_eq!(Sitting::from_payload(text.as_bytes()), Ok(s));
}

#[test]
fn case_payload_round_trips() {
    let case = Case {
        id: "c1".into(),
        reference: "DEMO-0001".into(),
        created: DateTime::parse_from_rfc3339("2026-11-23T10:00:00+01:00").expect("time"),
        subjects: vec![Subject {
            role: Respondent::Suspect,
            label: "Adult A".into(),
        }],
    };
    let text = case.to_payload().expect("serializes");
    assert_eq!(Case::from_payload(text.as_bytes()), Ok(case));
}

#[test]
fn unreadable_payloads_say_why_without_quoting_them() {
    let c = clock();
    let mut s = sitting(&c);
    s.record(
        answer(
            "a",
            AnswerValue::Text {
                text: "SECRET-ANSWER".into(),
            },
        ),
        c.stamp(),
    );
    let text = s.to_payload().expect("serializes");

    let newer = text.replace("format_version = 2", "format_version = 3");
    let too_new = Err(PayloadError::NewerVersion {
        found: 3,
        newest: SITTING_FORMAT_VERSION,
    });
    assert_eq!(Sitting::from_payload(newer.as_bytes()), too_new);
    // A newer version with fields this one doesn't know still says it is newer.
    let newer_with_more = format!("{newer}\n[extra]\nfield = 1\n");
    assert_eq!(Sitting::from_payload(newer_with_more.as_bytes()), too_new);

    let case = Case::from_payload(text.as_bytes());
    assert!(
        matches!(case, Err(PayloadError::WrongFormat { .. })),
        "{case:?}"
    );

    let bad = text.replace("kind = \"text\"", "kind = \"texts\"");
    let err = Sitting::from_payload(bad.as_bytes()).expect_err("invalid");
    assert!(!err.to_string().contains("SECRET"), "{err}");

    let broken = text.replace("SECRET-ANSWER\"", "SECRET-ANSWER");
    let err = Sitting::from_payload(broken.as_bytes()).expect_err("invalid");
    assert!(matches!(err, PayloadError::Syntax { .. }), "{err:?}");
    assert!(!err.to_string().contains("SECRET"), "{err}");

    assert_eq!(
        Sitting::from_payload(&[0xff, 0xfe]),
        Err(PayloadError::NotText)
    );
}

/// A sitting written by format version 1 (before dates with a precision, undo and the
/// resume position), exactly as that version wrote it.
const VERSION_1_SITTING: &str = r#"format = "interview-companion/sitting"
format_version = 1

[sitting]
id = "s1"
case_id = "c1"
respondent = "suspect"
interviewers = ["Interviewer A"]

[sitting.questionnaire]
id = "dated"
version = "1.0.0"
sha256 = "00"

[sitting.started]
at = "2026-11-23T10:00:00Z"

[[sitting.event]]
seq = 1
at = "2026-11-23T10:00:01Z"
kind = "answer"
question = "first-seen"

[sitting.event.value]
kind = "date"
date = "2026-01-31"

[[sitting.event]]
seq = 2
at = "2026-11-23T10:00:02Z"
kind = "answer"
question = "what"

[sitting.event.value]
kind = "text"
text = ""
"#;

#[test]
fn a_version_1_sitting_reads_unchanged_and_is_written_back_as_version_2() {
    let s = Sitting::from_payload(VERSION_1_SITTING.as_bytes()).expect("v1 reads");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 31).expect("date");
    let folded = s.fold();
    assert_eq!(
        folded.get("first-seen").and_then(|q| q.answer.clone()),
        Some(AnswerValue::Date { date: date.into() })
    );
    assert_eq!(s.current_question, None);
    assert!(s.events.iter().all(|e| e.reverts.is_none()));
    // Empty means not answered, also in an older record; the event stays in the history.
    let what = folded.get("what").expect("history kept");
    assert_eq!(what.answer, None);
    assert_eq!(what.history.len(), 1);
    assert_eq!(folded.answered(), 1);
    let text = s.to_payload().expect("writes");
    assert!(text.contains("format_version = 2"), "{text}");
    assert!(text.contains("date = \"2026-01-31\""), "{text}");
}

#[test]
fn undo_marks_and_the_resume_position_round_trip() {
    let c = clock();
    let mut s = sitting(&c);
    s.record(answer("a", AnswerValue::YesNo { yes: true }), c.stamp());
    s.record_reverting(
        EventKind::Clear {
            question: "a".into(),
        },
        Some(1),
        c.stamp(),
    );
    s.current_question = Some("a".into());
    let text = s.to_payload().expect("writes");
    assert!(text.contains("reverts = 1"), "{text}");
    assert!(text.contains("current_question = \"a\""), "{text}");
    assert_eq!(Sitting::from_payload(text.as_bytes()), Ok(s));
}
