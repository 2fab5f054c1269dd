//! Text being typed, and every way out of the field it is typed in: Ctrl+Q, Ctrl+C, Ctrl+L,
//! the idle lock, a resize. A note, an observation and a valid answer are recorded as their
//! event and saved before the screen goes (a failed save is NOT SAVED and refuses the
//! quit); an answer that is not valid, a jump search and the forms are kept and the first
//! quit asks. Nothing typed is ever dropped without a word. Also: Ctrl+N refuses a
//! reference that a case already has.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::session::{AnswerValue, EventKind, Sitting};
use crate::store::Op;
use crate::tui::screens::logging::{LoggingScreen, Mode, SaveState};
use crate::tui::terminal::{IdleLock, step};

fn logging(app: &App) -> &LoggingScreen {
    match &app.screen {
        Screen::Logging(s) => s,
        Screen::Unlock(u) => match u.resume.as_deref() {
            Some(Screen::Logging(s)) => s,
            _ => panic!("no logging screen under the lock"),
        },
        _ => panic!("not on the logging screen"),
    }
}

fn on_disk(fx: &Fixture) -> Sitting {
    let book = fx.other_book();
    let case = book.find("DEMO-0001").unwrap();
    book.open_case(&case.id).unwrap().sittings.remove(0)
}

fn notes(s: &Sitting) -> Vec<String> {
    s.events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Note { text, .. } | EventKind::Observation { text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn answers(s: &Sitting) -> Vec<AnswerValue> {
    s.events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Answer { value, .. } => Some(value.clone()),
            _ => None,
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
enum WayOut {
    CtrlQ,
    CtrlC,
    CtrlL,
    Idle,
    Resize,
}

const ALL: [WayOut; 5] = [
    WayOut::CtrlQ,
    WayOut::CtrlC,
    WayOut::CtrlL,
    WayOut::Idle,
    WayOut::Resize,
];

fn leave(app: &mut App, way: WayOut) {
    match way {
        WayOut::CtrlQ => app.update(ctrl('q')),
        WayOut::CtrlC => app.update(ctrl('c')),
        WayOut::CtrlL => app.update(ctrl('l')),
        WayOut::Idle => {
            let start = Instant::now();
            let mut idle = IdleLock::new(Duration::from_secs(600), start);
            step(app, &mut idle, None, start + Duration::from_secs(601));
        }
        WayOut::Resize => {
            app.update(Msg::Resize);
            // Drawn at the new sizes, small and large, with the editor open.
            for (w, h) in [(40, 12), (20, 6), (200, 60)] {
                draw(app, w, h);
            }
        }
    }
}

fn is_quit(way: WayOut) -> bool {
    matches!(way, WayOut::CtrlQ | WayOut::CtrlC)
}

fn is_lock(way: WayOut) -> bool {
    matches!(way, WayOut::CtrlL | WayOut::Idle)
}

/// The current question is hours-online (a number) after these keys from the start.
fn to_hours(app: &mut App) {
    to_logging(app);
}

/// Opens one of the logging screen's editors and types into it.
fn open_editor(app: &mut App, editor: &str) {
    match editor {
        "note" => press(app, KeyCode::Tab),
        "observation" => type_text(app, "o"),
        "answer" => press(app, KeyCode::Enter),
        "jump" => type_text(app, "/"),
        other => panic!("{other}"),
    }
}

#[test]
fn a_note_or_observation_being_typed_is_recorded_on_every_way_out() {
    for editor in ["note", "observation"] {
        for way in ALL {
            let (mut app, fx) = unlocked_app();
            to_hours(&mut app);
            open_editor(&mut app, editor);
            type_text(&mut app, "Typed words");
            app.update(Msg::Paste("\nand a pasted line".into()));
            let want = "Typed words\nand a pasted line";
            leave(&mut app, way);
            let what = format!("{editor} then {way:?}");
            if matches!(way, WayOut::Resize) {
                // Nothing goes away: the editor is still open with the text, and leaving
                // it records it.
                assert!(!app.quit && !app.is_locked(), "{what}");
                assert!(
                    matches!(logging(&app).mode, Mode::Note(_) | Mode::Observation { .. }),
                    "{what}: the editor closed"
                );
                assert!(notes(&on_disk(&fx)).is_empty(), "{what}: recorded early");
                press(&mut app, KeyCode::Esc);
            }
            assert_eq!(notes(&on_disk(&fx)), [want], "{what}: not on disk");
            if is_quit(way) {
                assert!(app.quit, "{what}: the quit was refused");
                assert!(on_disk(&fx).ended.is_some(), "{what}");
            }
            if is_lock(way) {
                assert!(app.is_locked(), "{what}");
                let kept = logging(&app);
                assert!(matches!(kept.mode, Mode::Browse), "{what}");
                assert_eq!(
                    kept.message.as_deref(),
                    Some(format!("Recorded before locking: the {editor} being typed.").as_str()),
                    "{what}"
                );
                // Quitting from under the lock now loses nothing: it just quits.
                app.update(ctrl('q'));
                assert!(app.quit, "{what}");
            }
        }
    }
}

#[test]
fn a_valid_answer_being_typed_is_recorded_and_an_invalid_one_kept_and_asked_about() {
    for way in ALL {
        let what = format!("valid answer then {way:?}");
        let (mut app, fx) = unlocked_app();
        to_hours(&mut app);
        open_editor(&mut app, "answer");
        type_text(&mut app, "25");
        leave(&mut app, way);
        if matches!(way, WayOut::Resize) {
            assert!(matches!(logging(&app).mode, Mode::Answer(_)), "{what}");
            assert!(answers(&on_disk(&fx)).is_empty(), "{what}");
            press(&mut app, KeyCode::Enter);
        }
        assert_eq!(
            answers(&on_disk(&fx)),
            [AnswerValue::Number { number: 25.0 }],
            "{what}"
        );
        assert_eq!(app.quit, is_quit(way), "{what}");
        assert_eq!(app.is_locked(), is_lock(way), "{what}");
    }
    for way in ALL {
        let what = format!("invalid answer then {way:?}");
        let (mut app, fx) = unlocked_app();
        to_hours(&mut app);
        open_editor(&mut app, "answer");
        type_text(&mut app, "2x5");
        leave(&mut app, way);
        assert!(!app.quit, "{what}: quit without a word");
        assert!(answers(&on_disk(&fx)).is_empty(), "{what}");
        let Mode::Answer(area) = &logging(&app).mode else {
            panic!("{what}: the answer being typed is gone");
        };
        assert_eq!(field_text(area), "2x5", "{what}");
        if is_quit(way) {
            let message = logging(&app).message.clone().unwrap_or_default();
            assert!(message.contains("not valid"), "{what}: {message}");
            assert!(message.contains("Press the same key again"), "{what}");
            // Asked once: the same key again quits, and nothing is recorded.
            leave(&mut app, way);
            assert!(app.quit, "{what}");
            assert!(answers(&on_disk(&fx)).is_empty(), "{what}");
        }
        if is_lock(way) {
            // Kept under the lock; quitting from there asks too.
            app.update(ctrl('q'));
            assert!(!app.quit, "{what}");
            let Screen::Unlock(u) = &app.screen else {
                panic!("{what}: not locked")
            };
            assert!(
                u.error.as_deref().unwrap_or("").contains("not valid"),
                "{what}"
            );
            app.update(ctrl('q'));
            assert!(app.quit, "{what}");
        }
    }
}

#[test]
fn a_jump_search_and_the_forms_are_kept_and_the_first_quit_asks() {
    type Open = fn(&mut App);
    let cases: [(&str, Open); 3] = [
        ("jump", |app| {
            to_logging(app);
            open_editor(app, "jump");
            type_text(app, "hours");
        }),
        ("new case form", |app| {
            app.update(ctrl('n'));
            type_text(app, "DEMO-0002");
            press(app, KeyCode::Tab);
            type_text(app, "Adult A");
        }),
        ("start form", |app| {
            to_logging(app);
            press(app, KeyCode::Esc);
            type_text(app, "s");
            press(app, KeyCode::Tab);
            press(app, KeyCode::Tab);
            type_text(app, "Interviewer Three");
        }),
    ];
    for (name, open) in cases {
        for way in ALL {
            let what = format!("{name} then {way:?}");
            let (mut app, fx) = unlocked_app();
            open(&mut app);
            let cases_before = fx.other_book().list().unwrap().cases.len();
            let shown_before = format!("{}", draw(&app, 120, 40).backend());
            leave(&mut app, way);
            assert!(!app.quit, "{what}: quit without a word");
            if is_quit(way) {
                let shown = format!("{}", draw(&app, 120, 40).backend());
                // The start form wraps its message ("Press" may end a line).
                assert!(shown.contains("the same key again"), "{what}: {shown}");
                leave(&mut app, way);
                assert!(app.quit, "{what}: the second quit");
            } else if is_lock(way) {
                app.update(ctrl('q'));
                assert!(!app.quit, "{what}: quit from under the lock without a word");
                app.update(ctrl('q'));
                assert!(app.quit, "{what}");
            } else {
                let shown = format!("{}", draw(&app, 120, 40).backend());
                assert_eq!(shown, shown_before, "{what}: a resize changed the form");
            }
            assert_eq!(
                fx.other_book().list().unwrap().cases.len(),
                cases_before,
                "{what}: a form was acted on"
            );
        }
    }
    // Another key between the two quits asks again.
    let (mut app, _fx) = unlocked_app();
    app.update(ctrl('n'));
    type_text(&mut app, "DEMO-0002");
    app.update(ctrl('q'));
    type_text(&mut app, "3");
    app.update(ctrl('q'));
    assert!(!app.quit, "the ask is for the very next key");
    app.update(ctrl('q'));
    assert!(app.quit);
}

#[test]
fn a_note_recorded_on_quit_that_cannot_be_saved_refuses_the_quit() {
    let (mut app, fx) = unlocked_app();
    to_hours(&mut app);
    fx.disk
        .fail_every(Op::Rename, std::io::ErrorKind::StorageFull);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Said at the door");
    app.update(ctrl('q'));
    assert!(!app.quit, "quit with the note not saved");
    let s = logging(&app);
    assert!(matches!(s.save, SaveState::NotSaved(_)));
    let message = s.message.clone().unwrap_or_default();
    assert!(message.contains("NOT SAVED"), "{message}");
    assert!(message.contains("1 note"), "{message}");
    assert!(!message.contains("Said at the door"), "{message}");
    // The disk recovers: the retry saves the note, and the quit goes through.
    fx.disk.clear();
    app.update(Msg::Tick);
    assert!(matches!(logging(&app).save, SaveState::Saved(_)));
    app.update(ctrl('q'));
    assert!(app.quit);
    assert_eq!(notes(&on_disk(&fx)), ["Said at the door"]);
}

#[test]
fn a_new_case_with_a_reference_in_use_is_refused_as_on_the_command_line() {
    let (mut app, fx) = unlocked_app();
    to_logging(&mut app);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.screen, Screen::Cases(_)));
    // Trimmed and ignoring case, as `companion case new` compares.
    app.update(ctrl('n'));
    type_text(&mut app, "  demo-0001 ");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Adult Z");
    press(&mut app, KeyCode::Enter);
    let Screen::Cases(cases) = &app.screen else {
        panic!("left the case list")
    };
    let form = cases.form.as_ref().expect("the form is kept");
    let error = form.error.clone().unwrap_or_default();
    assert!(error.contains("already exists"), "{error}");
    assert!(error.contains("DEMO-0001"), "{error}");
    assert_eq!(field_text(&form.fields[1]), "Adult Z", "typed text kept");
    assert_eq!(fx.other_book().list().unwrap().cases.len(), 1);
    // Another reference goes through (the refusal put the focus on the reference).
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "DEMO-0002");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Case(_)));
    assert_eq!(fx.other_book().list().unwrap().cases.len(), 2);
}

fn field_text(area: &ratatui_textarea::TextArea<'_>) -> String {
    crate::tui::screens::field::text(area)
}
