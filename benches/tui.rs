//! TUI benchmarks (run: `cargo bench --bench tui`): the time one key event costs, update
//! plus a full render to ratatui's `TestBackend` at 200×60, on the largest questionnaire
//! (capacity-to-protect, 98 questions). Reported against a 16.7 ms frame in BENCHMARKS.md.
//!
//! - `key_move`: `j`/`k` (move between questions): update + render, no disk.
//! - `key_answer`: `1`/`2` on a single-choice question: update, one durable save, render.
//! - `render_only`: the render alone, for the share of a key that is drawing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::OnceLock;

use divan::Bencher;
use interview_companion::paths::Paths;
use interview_companion::questionnaire::{AnswerSpec, Catalog, Respondent};
use interview_companion::records::CaseBook;
use interview_companion::session::{FixedClock, Subject};
use interview_companion::store::{CaseStore, RealDisk, Recipients, UnlockedIdentity};
use interview_companion::tui::app::{App, Screen};
use interview_companion::tui::input::Msg;
use interview_companion::tui::screens::logging::LoggingScreen;
use interview_companion::tui::theme::Theme;
use interview_companion::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const QUESTIONNAIRE: &str = "capacity-to-protect";

fn main() {
    divan::main();
}

fn tempdir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().unwrap())
}

/// An app on the logging screen of a new sitting of the largest questionnaire.
fn app() -> App {
    let paths = Paths::under(
        &tempdir()
            .path()
            .join(format!("{:?}", std::time::Instant::now())),
    );
    let identity = UnlockedIdentity::generate();
    let store = CaseStore::new(&paths, RealDisk, Recipients::single(identity.recipient()));
    let book = CaseBook::with_store(store, identity);
    let clock =
        FixedClock::new(chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00+00:00").unwrap());
    let catalog = Catalog::embedded();
    let q = catalog.get(QUESTIONNAIRE).unwrap().clone();
    assert_eq!(q.questionnaire.question_count(), 98);
    let subjects = vec![Subject {
        role: Respondent::Carer,
        label: "Adult B".into(),
    }];
    let case = book
        .create_case("DEMO-0001", subjects, clock_now())
        .unwrap();
    let open = book
        .start_sitting(&case, &q, Respondent::Carer, vec![], &clock)
        .unwrap();
    let mut app = App::unlocked(
        paths,
        catalog,
        Box::new(clock),
        Theme { mono: false },
        Box::new(book),
    );
    let mut screen = LoggingScreen::new(case, q, open);
    // Sit on a question near the middle, so the list scrolls. All 98 are single choice.
    screen.cursor = screen.rows.len() / 2;
    assert!(matches!(
        screen.current().map(|q| &q.answer),
        Some(AnswerSpec::Choice { .. })
    ));
    app.screen = Screen::Logging(Box::new(screen));
    app
}

fn clock_now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+00:00").unwrap()
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(200, 60)).unwrap()
}

#[divan::bench]
fn key_move(bencher: Bencher) {
    let mut app = app();
    let mut terminal = terminal();
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        app.update(key(if flip { 'j' } else { 'k' }));
        terminal.draw(|f| view::render(&app, f)).unwrap();
    });
}

#[divan::bench]
fn key_answer(bencher: Bencher) {
    let mut app = app();
    let mut terminal = terminal();
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        app.update(key(if flip { '1' } else { '2' }));
        terminal.draw(|f| view::render(&app, f)).unwrap();
    });
    match &app.screen {
        Screen::Logging(s) => assert!(!s.open.sitting.events.is_empty(), "answers were recorded"),
        _ => panic!("left the logging screen"),
    }
}

#[divan::bench]
fn render_only(bencher: Bencher) {
    let app = app();
    let mut terminal = terminal();
    bencher.bench_local(|| {
        terminal.draw(|f| view::render(&app, f)).unwrap();
    });
}
