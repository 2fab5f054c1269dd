//! Two cases with one reference (made by an older version, which did not refuse them on the
//! screens, or received from elsewhere): `export REF` and `review REF` refuse to guess and
//! list both with their ids, created dates and sitting counts; the id works instead.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{PASSPHRASE, Tui};
use interview_companion::questionnaire::{Catalog, Respondent};
use interview_companion::records::{CaseBook, RecordsError};
use interview_companion::session::{AnswerValue, Clock, EventKind, FixedClock};

/// The older case holds a real interview; the newer one (same reference, other case) is
/// empty: the one a guess "newest first" would pick.
fn two_cases(home: &Path) -> (String, String) {
    common::init_home(home);
    std::fs::write(home.join("pp"), format!("{PASSPHRASE}\n")).unwrap();
    let book = common::book(home);
    let start = chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00+00:00").unwrap();
    let older = book.create_case("DEMO-0001", Vec::new(), start).unwrap();
    let catalog = Catalog::embedded();
    let clock = FixedClock::new(start);
    let mut open = book
        .start_sitting(
            &older,
            catalog.get("suspect-interview").unwrap(),
            Respondent::Suspect,
            vec!["Interviewer One".into()],
            &clock,
        )
        .unwrap();
    open.sitting.record(
        EventKind::Answer {
            question: "hours-online".into(),
            value: AnswerValue::Number { number: 25.0 },
        },
        clock.stamp(),
    );
    book.save_sitting(&open).unwrap();
    let newer = book
        .create_case("demo-0001 ", Vec::new(), start + chrono::Duration::days(30))
        .unwrap();
    (older.id, newer.id)
}

fn companion(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_companion"))
        .args(args)
        .env("COMPANION_HOME", home)
        .env("COMPANION_PASSPHRASE_FILE", home.join("pp"))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn find_refuses_to_guess_between_cases_sharing_a_reference() {
    let dir = tempfile::tempdir().unwrap();
    let (older, newer) = two_cases(dir.path());
    let book: CaseBook = common::book(dir.path());
    match book.find(" Demo-0001") {
        Err(RecordsError::Ambiguous { reference, cases }) => {
            assert_eq!(reference, "Demo-0001");
            let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
            assert_eq!(ids, [newer.as_str(), older.as_str()]);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(book.find(&older).unwrap().sittings, 1);
    assert_eq!(book.find(&newer).unwrap().sittings, 0);
}

#[test]
fn export_lists_the_duplicates_and_takes_the_id_instead() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let (older, newer) = two_cases(home);
    let before = common::snapshot(home);
    let out = companion(home, &["export", "DEMO-0001", "--plaintext", "-o", "-"]);
    let err = text(&out.stderr);
    assert!(
        !out.status.success(),
        "export guessed a case:\n{}",
        text(&out.stdout)
    );
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    for want in [
        "2 cases have the reference \"DEMO-0001\"",
        "give the id",
        &format!("{older} (created 2026-03-02 10:00, 1 sitting)"),
        &format!("{newer} (created 2026-04-01 10:00, 0 sittings)"),
    ] {
        assert!(err.contains(want), "{want:?} missing from: {err}");
    }
    assert_eq!(common::snapshot(home), before, "the refusal changed a file");
    // By id: the case with the interview, in full.
    let out = companion(home, &["export", &older, "--plaintext", "-o", "-"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("25 hours/week"));
}

#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn review_by_a_shared_reference_lists_the_cases_and_opens_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let (older, _newer) = two_cases(home);
    let launch = common::Launch {
        args: vec!["review".into(), "DEMO-0001".into()],
        ..common::Launch::home(home)
    };
    let mut tui = Tui::launch(&launch);
    tui.unlock(PASSPHRASE, "2 cases have the reference DEMO-0001");
    tui.settle();
    let screen = tui.screen();
    assert!(screen.contains("none was opened"), "{screen}");
    assert!(screen.contains(&older), "{screen}");
    tui.quit();

    let launch = common::Launch {
        args: vec!["review".into(), older.clone()],
        ..common::Launch::home(home)
    };
    let mut tui = Tui::launch(&launch);
    tui.unlock(PASSPHRASE, "Review cross-checks · case DEMO-0001");
    tui.quit();
}
