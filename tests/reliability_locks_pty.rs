//! Reliability item 9: two instances of the REAL binary on the same sitting. The second
//! opens it read-only and says so; what is typed there is not recorded; the first keeps
//! saving, unharmed; once the first has gone, the sitting is writable again.
//! (`tests/store_locks.rs` checks the same at the library level.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use interview_companion::session::{AnswerValue, EventKind};

const REFERENCE: &str = "LOCK-0001";

fn answered(tui: &mut Tui, n: usize) {
    let want = format!("{n}/35 answered");
    tui.wait_until(&want, |s| s.contains(&want) && s.contains("✓ saved"));
}

#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn a_second_instance_is_read_only_and_the_first_saves_unharmed() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    init_home(&home);
    let reader = book(&home);
    let case = create_case(&reader, REFERENCE);

    let mut first = Tui::start(&home);
    first.unlock(PASSPHRASE, REFERENCE);
    start_suspect_sitting(&mut first, REFERENCE);
    first.send("dj");
    answered(&mut first, 1);
    first.send("xj");
    answered(&mut first, 2);

    // The second instance resumes the same sitting.
    let mut second = Tui::start(&home);
    second.unlock(PASSPHRASE, REFERENCE);
    second.keys(ENTER, &format!("Case {REFERENCE}"));
    second.keys(ENTER, "2/35 answered");
    second.wait_for("READ-ONLY");
    let screen = second.screen();
    assert!(screen.contains("READ-ONLY"), "{screen}");
    // What is typed there is refused, never saved.
    second.send("d");
    second.send("jx");
    std::thread::sleep(Duration::from_millis(500));
    second.pump(Duration::from_millis(100));
    let screen = second.screen();
    assert!(screen.contains("2/35 answered"), "{screen}");
    assert!(
        !screen.contains("✓ saved"),
        "read-only claims a save:\n{screen}"
    );

    // The first keeps saving while the second is open, and after it has gone.
    first.send("dj");
    answered(&mut first, 3);
    second.quit();
    first.send("xj");
    answered(&mut first, 4);
    first.quit();

    let id = case.id.parse().unwrap();
    let record = reader.open_case(&id).unwrap();
    assert!(record.problems.is_empty(), "{:?}", record.problems);
    assert_eq!(record.sittings.len(), 1);
    let values: Vec<AnswerValue> = record.sittings[0]
        .events
        .iter()
        .map(|e| match &e.kind {
            EventKind::Answer { value, .. } => value.clone(),
            other => panic!("unexpected event {other:?}"),
        })
        .collect();
    assert_eq!(
        values,
        [
            AnswerValue::DontKnow,
            AnswerValue::Declined,
            AnswerValue::DontKnow,
            AnswerValue::Declined
        ],
        "the first instance's answers, and nothing from the second"
    );

    // With the first gone, the sitting opens writable again.
    let mut third = Tui::start(&home);
    third.unlock(PASSPHRASE, REFERENCE);
    third.keys(ENTER, &format!("Case {REFERENCE}"));
    third.keys(ENTER, "4/35 answered");
    assert!(!third.screen().contains("READ-ONLY"), "{}", third.screen());
    // Down past the four answered questions, then answer the fifth.
    third.send("jjjjd");
    answered(&mut third, 5);
    third.quit();
    let record = reader.open_case(&id).unwrap();
    assert_eq!(record.sittings[0].events.len(), 5);
}
