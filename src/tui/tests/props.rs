//! Random input on every screen and overlay: key presses, releases and repeats, pastes,
//! resizes, ticks, and a disk that fails and recovers, all through the same `accept` →
//! `update` → `render` path as the terminal. Nothing panics, at any size, and a sitting
//! that was shown as saved reads back from disk exactly as it was in memory.
//!
//! Cost: every screen runs `PROPTEST_CASES` cases (default 32 here), each up to 40
//! inputs, drawn after every one at a size chosen per case.

use std::collections::HashMap;

use proptest::prelude::*;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::*;
use crate::session::Folded;
use crate::store::Op;
use crate::tui::input::accept;
use crate::tui::screens::logging::SaveState;

/// Where a run starts.
#[derive(Debug, Clone, Copy)]
enum Place {
    Setup,
    Unlock,
    Cases,
    NewCase,
    Case,
    StartSitting,
    Logging,
    Help,
    Jump,
    Flagged,
    Note,
    Observation,
    Typing,
    Review,
    ReviewDetail,
}

/// One thing that happens to the program.
#[derive(Debug, Clone)]
enum Input {
    Event(Event),
    Tick,
    /// Every save fails (disk full) from now on…
    DiskFails,
    /// …until the disk recovers.
    DiskHeals,
}

fn press(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

fn any_code() -> impl Strategy<Value = KeyCode> {
    prop_oneof![
        12 => proptest::char::range(' ', '~').prop_map(KeyCode::Char),
        1 => proptest::char::any().prop_map(KeyCode::Char),
        2 => Just(KeyCode::Enter),
        2 => Just(KeyCode::Esc),
        1 => Just(KeyCode::Tab),
        1 => Just(KeyCode::BackTab),
        1 => Just(KeyCode::Backspace),
        1 => Just(KeyCode::Delete),
        1 => Just(KeyCode::Up),
        1 => Just(KeyCode::Down),
        1 => Just(KeyCode::Left),
        1 => Just(KeyCode::Right),
        1 => Just(KeyCode::PageUp),
        1 => Just(KeyCode::PageDown),
        1 => Just(KeyCode::Home),
        1 => Just(KeyCode::End),
        1 => (1u8..=12).prop_map(KeyCode::F),
    ]
}

fn any_input() -> impl Strategy<Value = Input> {
    prop_oneof![
        40 => any_code().prop_map(|c| Input::Event(press(c, KeyModifiers::NONE))),
        2 => any_code().prop_map(|c| Input::Event(press(c, KeyModifiers::SHIFT))),
        // Control keys: blank, lock, new case, note-less chords; quit is rare.
        3 => prop::sample::select(vec!['b', 'l', 'n', 'a', 'e', 'k', 'u', 'w'])
            .prop_map(|c| Input::Event(press(KeyCode::Char(c), KeyModifiers::CONTROL))),
        1 => prop::sample::select(vec!['q', 'c'])
            .prop_map(|c| Input::Event(press(KeyCode::Char(c), KeyModifiers::CONTROL))),
        1 => any_code().prop_map(|c| Input::Event(press(c, KeyModifiers::ALT))),
        // Releases and repeats (Windows sends them) must do nothing.
        2 => any_code().prop_map(|c| {
            let mut k = KeyEvent::new(c, KeyModifiers::NONE);
            k.kind = KeyEventKind::Release;
            Input::Event(Event::Key(k))
        }),
        1 => any_code().prop_map(|c| {
            let mut k = KeyEvent::new(c, KeyModifiers::NONE);
            k.kind = KeyEventKind::Repeat;
            Input::Event(Event::Key(k))
        }),
        2 => prop_oneof![
            "[a-z0-9 ]{0,12}",
            "[ -~\n\t]{0,24}",
            ".{0,16}",
        ].prop_map(|t| Input::Event(Event::Paste(t))),
        1 => (1u16..300, 1u16..100).prop_map(|(w, h)| Input::Event(Event::Resize(w, h))),
        1 => Just(Input::Event(Event::FocusGained)),
        3 => Just(Input::Tick),
        1 => Just(Input::DiskFails),
        1 => Just(Input::DiskHeals),
    ]
}

fn any_size() -> impl Strategy<Value = (u16, u16)> {
    prop_oneof![
        3 => prop::sample::select(vec![(80u16, 24u16), (40, 12), (120, 40), (20, 6), (1, 1)]),
        1 => (1u16..=160, 1u16..=50),
    ]
}

/// An app at `start`, and its records. Case DEMO-0001 holds one suspect sitting with an
/// answer, so every screen has something to show.
fn at(start: Place) -> (App, Fixture) {
    let (mut app, fx) = unlocked_app();
    match start {
        Place::Setup | Place::Unlock => {
            let dir = &fx.paths;
            let mut fresh = App::new(dir.clone(), catalog(), clock(), Theme { mono: false });
            // A key file that is not one: setup refuses to overwrite it and unlock fails
            // to read it, both at once (no second of key derivation per try).
            let file = dir.identity_file();
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, b"not an identity").unwrap();
            if matches!(start, Place::Unlock) {
                fresh = App::new(dir.clone(), catalog(), clock(), Theme { mono: false });
            }
            return (fresh, fx);
        }
        _ => {}
    }
    to_logging(&mut app);
    type_text(&mut app, "jjjy");
    super::press(&mut app, KeyCode::Esc);
    assert!(matches!(app.screen, Screen::Case(_)));
    let keys: &[Msg] = match start {
        Place::Cases => &[key(KeyCode::Esc)],
        Place::NewCase => &[key(KeyCode::Esc), ctrl('n')],
        Place::Case | Place::Setup | Place::Unlock => &[],
        Place::StartSitting => &[key(KeyCode::Char('s'))],
        Place::Logging => &[key(KeyCode::Enter)],
        Place::Help => &[key(KeyCode::Enter), key(KeyCode::Char('?'))],
        Place::Jump => &[key(KeyCode::Enter), key(KeyCode::Char('/'))],
        Place::Flagged => &[key(KeyCode::Enter), key(KeyCode::Char('F'))],
        Place::Note => &[key(KeyCode::Enter), key(KeyCode::Tab)],
        Place::Observation => &[key(KeyCode::Enter), key(KeyCode::Char('o'))],
        Place::Typing => &[key(KeyCode::Enter), key(KeyCode::Char('2'))],
        Place::Review => &[key(KeyCode::Char('r'))],
        Place::ReviewDetail => &[key(KeyCode::Char('r')), key(KeyCode::Enter)],
    };
    for k in keys {
        app.update(k.clone());
    }
    if matches!(start, Place::Review | Place::ReviewDetail) {
        let Screen::Review(r) = &app.screen else {
            panic!("not on the review screen")
        };
        assert!(!r.rows.is_empty(), "the answered cross-check is listed");
        assert_eq!(r.detail.is_some(), matches!(start, Place::ReviewDetail));
    }
    (app, fx)
}

/// What may be on disk for each sitting seen on the logging screen.
#[derive(Default)]
struct Watch {
    /// The fold as of the last time the screen said saved (or opened it from disk).
    saved: HashMap<String, Folded>,
    /// Left (or locked, or quit) while it held this: the leaving save may have stored it.
    left_with: HashMap<String, Folded>,
}

impl Watch {
    fn before(&mut self, app: &App) -> Option<(String, Folded)> {
        let Screen::Logging(s) = &app.screen else {
            return None;
        };
        if s.save == SaveState::ReadOnly {
            return None;
        }
        Some((s.open.sitting.id.clone(), s.folded.clone()))
    }

    fn after(&mut self, app: &App, before: Option<(String, Folded)>) {
        match &app.screen {
            Screen::Logging(s) if s.save != SaveState::ReadOnly => {
                let id = s.open.sitting.id.clone();
                if matches!(s.save, SaveState::Saved(_) | SaveState::Opened) {
                    self.saved.insert(id.clone(), s.folded.clone());
                }
                self.left_with.remove(&id);
            }
            // Locked: leaving recorded what was being typed (a note, an observation, a
            // valid answer) before the last save, so the fold kept under the lock is the
            // one that may be on disk.
            Screen::Unlock(u) if before.is_some() => {
                if let (Some(Screen::Logging(s)), Some((id, _))) = (u.resume.as_deref(), before) {
                    self.left_with.insert(id, s.folded.clone());
                }
            }
            _ => {
                if let Some((id, folded)) = before {
                    self.left_with.insert(id, folded);
                }
            }
        }
    }

    /// Reads every watched sitting back with another program's key and disk.
    fn check(&self, fx: &Fixture) -> Result<(), TestCaseError> {
        if self.saved.is_empty() {
            return Ok(());
        }
        let book = fx.other_book();
        let mut sittings = HashMap::new();
        for case in book.list().unwrap().cases {
            for s in book.open_case(&case.id).unwrap().sittings {
                sittings.insert(s.id.clone(), s);
            }
        }
        for (id, saved) in &self.saved {
            let Some(sitting) = sittings.get(id) else {
                return Err(TestCaseError::fail(format!(
                    "sitting {id} is gone from disk"
                )));
            };
            let on_disk = sitting.fold();
            let left = self.left_with.get(id);
            prop_assert!(
                on_disk == *saved || left == Some(&on_disk),
                "sitting {id}: what was shown as saved is not what is on disk"
            );
        }
        Ok(())
    }
}

fn run(start: Place, inputs: Vec<Input>, size: (u16, u16)) -> Result<(), TestCaseError> {
    let (mut app, fx) = at(start);
    let mut watch = Watch::default();
    watch.after(&app, None);
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    for input in inputs {
        let before = watch.before(&app);
        match input {
            Input::Event(event) => {
                if let Some(msg) = accept(event) {
                    app.update(msg);
                }
            }
            Input::Tick => app.update(Msg::Tick),
            Input::DiskFails => fx
                .disk
                .fail_every(Op::Rename, std::io::ErrorKind::StorageFull),
            Input::DiskHeals => fx.disk.clear(),
        }
        watch.after(&app, before);
        terminal.draw(|f| view::render(&app, f)).unwrap();
        if app.quit {
            break;
        }
    }
    watch.check(&fx)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(32),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_input_on_setup(inputs in prop::collection::vec(any_input(), 0..40), size in any_size()) {
        run(Place::Setup, inputs, size)?;
    }

    #[test]
    fn random_input_on_unlock(inputs in prop::collection::vec(any_input(), 0..40), size in any_size()) {
        run(Place::Unlock, inputs, size)?;
    }

    #[test]
    fn random_input_on_cases(inputs in prop::collection::vec(any_input(), 0..40), size in any_size()) {
        run(Place::Cases, inputs, size)?;
    }

    #[test]
    fn random_input_on_new_case(inputs in prop::collection::vec(any_input(), 0..40), size in any_size()) {
        run(Place::NewCase, inputs, size)?;
    }

    #[test]
    fn random_input_on_case(inputs in prop::collection::vec(any_input(), 0..40), size in any_size()) {
        run(Place::Case, inputs, size)?;
    }

    #[test]
    fn random_input_on_start_sitting(inputs in prop::collection::vec(any_input(), 0..40), size in any_size()) {
        run(Place::StartSitting, inputs, size)?;
    }

    #[test]
    fn random_input_on_logging(inputs in prop::collection::vec(any_input(), 0..40), size in any_size()) {
        run(Place::Logging, inputs, size)?;
    }

    #[test]
    fn random_input_on_help(inputs in prop::collection::vec(any_input(), 0..40), size in any_size()) {
        run(Place::Help, inputs, size)?;
    }

    #[test]
    fn random_input_on_jump(inputs in prop::collection::vec(any_input(), 0..40), size in any_size()) {
        run(Place::Jump, inputs, size)?;
    }

    #[test]
    fn random_input_on_flagged(inputs in prop::collection::vec(any_input(), 0..40), size in any_size()) {
        run(Place::Flagged, inputs, size)?;
    }

    #[test]
    fn random_input_on_note(inputs in prop::collection::vec(any_input(), 0..40), size in any_size()) {
        run(Place::Note, inputs, size)?;
    }

    #[test]
    fn random_input_on_observation(inputs in prop::collection::vec(any_input(), 0..40), size in any_size()) {
        run(Place::Observation, inputs, size)?;
    }

    #[test]
    fn random_input_on_typing(inputs in prop::collection::vec(any_input(), 0..40), size in any_size()) {
        run(Place::Typing, inputs, size)?;
    }

    #[test]
    fn random_input_on_review(inputs in prop::collection::vec(any_input(), 0..40), size in any_size()) {
        run(Place::Review, inputs, size)?;
    }

    #[test]
    fn random_input_on_review_detail(inputs in prop::collection::vec(any_input(), 0..40), size in any_size()) {
        run(Place::ReviewDetail, inputs, size)?;
    }
}
