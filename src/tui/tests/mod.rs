//! Tests of the screens: key sequences through `update`, the keymap, snapshots of every
//! screen, renders at every size, and random keys.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod flow;
mod render;

use std::sync::Arc;

use chrono::DateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;

use super::app::{App, Screen};
use super::input::Msg;
use super::theme::Theme;
use super::view;
use crate::paths::Paths;
use crate::questionnaire::Catalog;
use crate::records::CaseBook;
use crate::session::FixedClock;
use crate::store::{CaseStore, FaultyDisk, RealDisk, Recipients, UnlockedIdentity};

pub struct Fixture {
    pub _dir: TempDir,
    pub disk: Arc<FaultyDisk<RealDisk>>,
}

pub fn clock() -> Box<FixedClock> {
    let start = DateTime::parse_from_rfc3339("2026-03-02T10:00:00+00:00").unwrap();
    Box::new(FixedClock::new(start))
}

/// An unlocked app at the case list, on a disk that can be made to fail.
pub fn unlocked_app() -> (App, Fixture) {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    let identity = UnlockedIdentity::generate();
    let disk = Arc::new(FaultyDisk::new(RealDisk));
    let store = CaseStore::new(
        &paths,
        disk.clone(),
        Recipients::single(identity.recipient()),
    );
    let book = CaseBook::with_store(store, identity);
    let app = App::unlocked(
        paths.clone(),
        Catalog::embedded(),
        clock(),
        Theme { mono: false },
        Box::new(book),
    );
    (app, Fixture { _dir: dir, disk })
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Types each character as a key press.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(KeyCode::Char(c)));
    }
}

pub fn press(app: &mut App, code: KeyCode) {
    app.update(key(code));
}

/// Creates case DEMO-0001 (suspect "Adult A", partner "Adult B") and starts a suspect
/// sitting with the suspect interview: ends on the logging screen.
pub fn to_logging(app: &mut App) {
    app.update(ctrl('n'));
    type_text(app, "DEMO-0001");
    press(app, KeyCode::Tab);
    type_text(app, "Adult A");
    press(app, KeyCode::Tab);
    type_text(app, "Adult B");
    press(app, KeyCode::Tab);
    press(app, KeyCode::Tab);
    type_text(app, "Child C");
    press(app, KeyCode::Enter);
    assert!(
        matches!(app.screen, Screen::Case(_)),
        "case screen after create"
    );
    type_text(app, "s");
    // Choose the suspect interview.
    let Screen::Case(c) = &mut app.screen else {
        unreachable!()
    };
    let form = c.form.as_mut().unwrap();
    form.questionnaire = form
        .questionnaires
        .iter()
        .position(|q| q == "suspect-interview")
        .unwrap();
    // Re-derive the respondent the way Left/Right would.
    press(app, KeyCode::Right);
    press(app, KeyCode::Left);
    press(app, KeyCode::Tab);
    press(app, KeyCode::Tab);
    type_text(app, "Interviewer One, Interviewer Two");
    press(app, KeyCode::Enter);
    assert!(
        matches!(app.screen, Screen::Logging(_)),
        "logging screen after start"
    );
}

pub fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view::render(app, f)).unwrap();
    terminal
}
