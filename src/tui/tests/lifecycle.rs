//! A sitting's life around the keys: leaving records the close time, quitting with unsaved
//! changes says what would be lost, the idle lock drops the key, a second window is
//! read-only, and unlocking shows that it is working.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::session::{AnswerValue, EventKind, Sitting};
use crate::store::{Op, SecretString};
use crate::tui::screens::logging::{LoggingScreen, SaveState};
use crate::tui::terminal::{IdleLock, busy, step};

const PASSPHRASE: &str = "correct horse battery staple";

fn logging(app: &App) -> &LoggingScreen {
    match &app.screen {
        Screen::Logging(s) => s,
        _ => panic!("not on the logging screen"),
    }
}

/// Every sitting of DEMO-0001 as another program reads it from disk.
fn on_disk(fx: &Fixture) -> Vec<Sitting> {
    let book = fx.other_book();
    let case = book.find("DEMO-0001").unwrap();
    book.open_case(&case.id).unwrap().sittings
}

fn screen_text(app: &App, w: u16, h: u16) -> String {
    format!("{}", draw(app, w, h).backend())
}

#[test]
fn leaving_records_the_close_time_and_resuming_keeps_the_history() {
    let (mut app, fx) = unlocked_app();
    to_logging(&mut app);
    type_text(&mut app, "jjjy");
    assert_eq!(on_disk(&fx)[0].ended, None, "not closed while logging");
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.screen, Screen::Case(_)));
    let first = on_disk(&fx).remove(0);
    let first_end = first.ended.clone().expect("leaving saves the close time");
    assert!(first_end.at > first.started.at);
    // Resume (where it was left), change the answer, quit: the close time moves on, both
    // answers stay.
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        logging(&app).current().unwrap().id,
        "reduced-sexual-interest"
    );
    type_text(&mut app, "n");
    app.update(ctrl('q'));
    assert!(app.quit);
    let second = on_disk(&fx).remove(0);
    let second_end = second.ended.clone().unwrap();
    assert!(second_end.at > first_end.at, "ended is the last close time");
    let answers: Vec<&AnswerValue> = second
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Answer { value, .. } => Some(value),
            _ => None,
        })
        .collect();
    assert_eq!(
        answers,
        [
            &AnswerValue::YesNo { yes: true },
            &AnswerValue::YesNo { yes: false }
        ]
    );
    // The close time is after every event.
    assert!(second.events.iter().all(|e| e.stamp.at < second_end.at));
}

#[test]
fn quitting_with_unsaved_changes_says_what_is_lost_and_how_to_retry() {
    let (mut app, fx) = unlocked_app();
    to_logging(&mut app);
    type_text(&mut app, "jjjy");
    fx.disk
        .fail_every(Op::Rename, std::io::ErrorKind::StorageFull);
    type_text(&mut app, "jn");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Private words");
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "o");
    type_text(&mut app, "Door knock");
    press(&mut app, KeyCode::Esc);
    assert!(matches!(logging(&app).save, SaveState::NotSaved(_)));
    app.update(ctrl('q'));
    assert!(!app.quit, "the first quit is refused");
    let message = logging(&app).message.clone().unwrap();
    for want in [
        "NOT SAVED",
        "3 changes",
        "the answers to emotional-withdrawal",
        "1 note",
        "1 observation",
        "disk full",
        "free some disk space",
        "retried every second",
        "\"✓ saved\"",
        "Press the same key again",
    ] {
        assert!(message.contains(want), "{want:?} missing from {message:?}");
    }
    assert!(
        !message.contains("Private words") && !message.contains("Door knock"),
        "{message}"
    );
    let shown = screen_text(&app, 80, 24);
    assert!(shown.contains("leaving now loses"), "{shown}");
    // The disk recovers: the retry saves everything, and quitting just quits.
    fx.disk.clear();
    app.update(Msg::Tick);
    assert!(matches!(logging(&app).save, SaveState::Saved(_)));
    let saved = on_disk(&fx).remove(0);
    assert_eq!(saved.fold(), logging(&app).folded);
    app.update(ctrl('q'));
    assert!(app.quit);
}

#[test]
fn a_second_quit_leaves_and_loses_only_what_it_said() {
    let (mut app, fx) = unlocked_app();
    to_logging(&mut app);
    type_text(&mut app, "jjjy");
    let before = on_disk(&fx).remove(0);
    fx.disk
        .fail_every(Op::Rename, std::io::ErrorKind::StorageFull);
    type_text(&mut app, "jn");
    press(&mut app, KeyCode::Esc);
    assert!(
        matches!(app.screen, Screen::Logging(_)),
        "Esc is refused once too"
    );
    assert!(
        logging(&app)
            .message
            .as_deref()
            .unwrap()
            .contains("1 change")
    );
    app.update(ctrl('q'));
    assert!(app.quit);
    // What was on disk is untouched.
    assert_eq!(on_disk(&fx).remove(0).events, before.events);
}

#[test]
fn idle_lock_drops_the_records_and_needs_the_passphrase() {
    let (mut app, fx) = unlocked_app();
    to_logging(&mut app);
    type_text(&mut app, "jjjy");
    // The book holds the only other handle on the disk: dropping it shows in the count.
    assert_eq!(Arc::strong_count(&fx.disk), 2);
    let start = Instant::now();
    let mut idle = IdleLock::new(Duration::from_secs(600), start);
    step(
        &mut app,
        &mut idle,
        Some(key(KeyCode::Char('j'))),
        start + Duration::from_secs(60),
    );
    step(&mut app, &mut idle, None, start + Duration::from_secs(650));
    assert!(!app.is_locked(), "a key 9 minutes ago keeps it open");
    step(&mut app, &mut idle, None, start + Duration::from_secs(661));
    assert!(app.is_locked());
    assert_eq!(Arc::strong_count(&fx.disk), 1, "the case book was dropped");
    let shown = screen_text(&app, 80, 24);
    assert!(shown.contains("Locked"), "{shown}");
    assert!(!shown.contains("DEMO-0001"), "{shown}");
    // Keys under the lock type into the passphrase field and record nothing.
    type_text(&mut app, "ynd");
    let Screen::Unlock(u) = &app.screen else {
        panic!("not locked")
    };
    let Some(Screen::Logging(kept)) = u.resume.as_deref() else {
        panic!("the logging screen is kept under the lock")
    };
    assert_eq!(kept.open.sitting.events.len(), 1);
}

#[test]
fn setup_unlock_and_idle_lock_through_the_real_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    let mut app = App::new(
        paths.clone(),
        Catalog::embedded(),
        clock(),
        Theme { mono: true },
    );
    assert!(matches!(app.screen, Screen::Setup(_)));
    type_text(&mut app, PASSPHRASE);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, PASSPHRASE);
    press(&mut app, KeyCode::Enter);
    // One frame says so before the slow key derivation runs on the next tick.
    assert!(busy(&app));
    assert!(screen_text(&app, 80, 24).contains("Unlocking…"));
    type_text(&mut app, "ignored");
    app.update(Msg::Tick);
    assert!(!busy(&app));
    assert!(
        matches!(app.screen, Screen::Cases(_)),
        "set up and unlocked"
    );
    to_logging(&mut app);
    type_text(&mut app, "jjjy");

    let start = Instant::now();
    let mut idle = IdleLock::new(Duration::from_secs(60), start);
    step(&mut app, &mut idle, None, start + Duration::from_secs(61));
    assert!(app.is_locked());
    // A wrong passphrase: a clear message, still locked.
    type_text(&mut app, "wrong words");
    press(&mut app, KeyCode::Enter);
    assert!(screen_text(&app, 80, 24).contains("Unlocking…"));
    app.update(Msg::Tick);
    assert!(app.is_locked());
    assert!(screen_text(&app, 80, 24).contains("Wrong passphrase"));
    // The right one: back where it was, answers kept, saving again.
    type_text(&mut app, PASSPHRASE);
    press(&mut app, KeyCode::Enter);
    app.update(Msg::Tick);
    assert!(!app.is_locked());
    let s = logging(&app);
    assert_eq!(s.open.sitting.events.len(), 1);
    type_text(&mut app, "jn");
    assert!(matches!(logging(&app).save, SaveState::Saved(_)));
    // Read back with the key file and passphrase, as another program would.
    let identity = crate::store::unlock(
        &RealDisk,
        &paths,
        &SecretString::from(PASSPHRASE.to_string()),
    )
    .unwrap();
    let book = CaseBook::open(&paths, identity).unwrap();
    let case = book.find("DEMO-0001").unwrap();
    let sitting = book.open_case(&case.id).unwrap().sittings.remove(0);
    assert_eq!(sitting.fold(), logging(&app).folded);
}

#[test]
fn unlock_screen_says_unlocking_before_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    // No key file: unlocking fails at once, after the frame that says it is working.
    std::fs::create_dir_all(paths.identity_file().parent().unwrap()).unwrap();
    std::fs::write(paths.identity_file(), b"not an age file").unwrap();
    let mut app = App::new(paths, Catalog::embedded(), clock(), Theme { mono: true });
    type_text(&mut app, "abc");
    press(&mut app, KeyCode::Enter);
    assert!(busy(&app));
    let shown = screen_text(&app, 80, 24);
    assert!(shown.contains("Unlocking…"), "{shown}");
    assert!(!shown.contains("•••"), "the field is emptied: {shown}");
    app.update(Msg::Tick);
    assert!(!busy(&app));
    assert!(app.is_locked());
    assert!(screen_text(&app, 80, 24).contains('✗'));
}

#[test]
fn a_second_window_is_read_only_and_the_first_keeps_saving() {
    let (mut first, fx) = unlocked_app();
    to_logging(&mut first);
    type_text(&mut first, "jjjy");
    // Another window on the same records opens the same sitting.
    let mut second = fx.other_app();
    press(&mut second, KeyCode::Enter);
    assert!(matches!(second.screen, Screen::Case(_)));
    press(&mut second, KeyCode::Enter);
    let s = logging(&second);
    assert_eq!(s.save, SaveState::ReadOnly);
    assert_eq!(s.folded, logging(&first).folded, "it reads what is saved");
    let shown = screen_text(&second, 80, 24);
    assert!(shown.contains("READ-ONLY"), "{shown}");
    assert!(shown.contains("another companion window"), "{shown}");
    // Its keys record nothing, whatever they are, and open no editor that would offer to
    // record (the issue: its note and answer fields said "Enter record").
    type_text(&mut second, "jyfdx3");
    for open_editor in [
        KeyCode::Tab,
        KeyCode::Enter,
        KeyCode::Char('o'),
        KeyCode::Char('e'),
    ] {
        press(&mut second, open_editor);
        let s = logging(&second);
        assert!(
            matches!(s.mode, crate::tui::screens::logging::Mode::Browse),
            "{open_editor:?} opened an editor in a read-only window"
        );
        assert!(s.message.as_deref().unwrap_or("").contains("READ-ONLY"));
        let footer = screen_text(&second, 80, 24);
        assert!(!footer.contains("Enter record"), "{footer}");
    }
    assert_eq!(logging(&second).open.sitting.events.len(), 1);
    assert_eq!(logging(&second).save, SaveState::ReadOnly);
    let shown = screen_text(&second, 80, 24);
    assert!(
        shown.contains("READ-ONLY"),
        "still said after keys: {shown}"
    );
    // The first window saves as before; leaving the second changes nothing on disk.
    type_text(&mut first, "jn");
    assert!(matches!(logging(&first).save, SaveState::Saved(_)));
    press(&mut second, KeyCode::Esc);
    assert!(matches!(second.screen, Screen::Case(_)));
    let saved = on_disk(&fx).remove(0);
    assert_eq!(saved.fold(), logging(&first).folded);
    assert_eq!(saved.ended, None, "the read-only window did not close it");
}

#[test]
fn quitting_from_under_the_lock_warns_about_unsaved_changes_too() {
    let (mut app, fx) = unlocked_app();
    to_logging(&mut app);
    fx.disk
        .fail_every(Op::Rename, std::io::ErrorKind::StorageFull);
    type_text(&mut app, "jjjy");
    app.update(ctrl('l'));
    assert!(app.is_locked());
    app.update(ctrl('q'));
    assert!(!app.quit, "refused once");
    let shown = screen_text(&app, 80, 24);
    assert!(shown.contains("NOT SAVED"), "{shown}");
    assert!(shown.contains("reduced-sexual-interest"), "{shown}");
    app.update(ctrl('q'));
    assert!(app.quit);
}
