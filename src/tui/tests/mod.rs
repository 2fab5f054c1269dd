//! Tests of the screens: key sequences through `update`, the keymap, snapshots of every
//! screen, renders at every size, and random keys.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod acts;
mod answering;
mod flow;
mod layout;
mod lifecycle;
mod marks;
mod own_keys;
mod passphrase;
mod props;
mod render;
mod review;
mod review_accounts;
mod slips;
mod starting;
mod transfer;
mod typing;

use std::fs::File;
use std::io;
use std::path::Path;
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
use crate::store::{CaseStore, DirEntry, Disk, FaultyDisk, RealDisk, Recipients, UnlockedIdentity};

/// The real file system without `fsync`: the screens' tests save thousands of times, and
/// durability is the store's tests' concern (`tests/store_*`), not theirs.
#[derive(Debug, Clone, Copy, Default)]
pub struct QuickDisk;

impl Disk for QuickDisk {
    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        RealDisk.create_dir_all(path)
    }
    fn create_new(&self, path: &Path) -> io::Result<File> {
        RealDisk.create_new(path)
    }
    fn write_all(&self, file: &mut File, path: &Path, bytes: &[u8]) -> io::Result<()> {
        RealDisk.write_all(file, path, bytes)
    }
    fn sync_file(&self, _file: &File, _path: &Path) -> io::Result<()> {
        Ok(())
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        RealDisk.rename(from, to)
    }
    fn sync_dir(&self, _dir: &Path) -> io::Result<()> {
        Ok(())
    }
    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        RealDisk.read_limited(path, limit)
    }
    fn exists(&self, path: &Path) -> io::Result<bool> {
        RealDisk.exists(path)
    }
    fn list_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        RealDisk.list_dir(path)
    }
    fn remove_file(&self, path: &Path) -> io::Result<()> {
        RealDisk.remove_file(path)
    }
    fn open_lock_file(&self, path: &Path) -> io::Result<File> {
        RealDisk.open_lock_file(path)
    }
    fn try_lock(&self, file: &File, path: &Path) -> io::Result<bool> {
        RealDisk.try_lock(file, path)
    }
}

pub struct Fixture {
    pub _dir: TempDir,
    pub disk: Arc<FaultyDisk<QuickDisk>>,
    pub paths: Paths,
    /// The key the records are encrypted to, for a second program or a reader.
    pub identity: age::x25519::Identity,
}

impl Fixture {
    /// A case book of its own on the same folder, with the same key, on the real disk:
    /// another program instance, or a reader that injected faults do not touch.
    pub fn other_book(&self) -> CaseBook<QuickDisk> {
        let identity = UnlockedIdentity::from_age(self.identity.clone());
        let store = CaseStore::new(
            &self.paths,
            QuickDisk,
            Recipients::single(identity.recipient()),
        );
        CaseBook::with_store(store, identity)
    }

    /// A second app on the same records (another window).
    pub fn other_app(&self) -> App {
        App::unlocked(
            self.paths.clone(),
            catalog(),
            clock(),
            Theme { mono: false },
            Box::new(self.other_book()),
        )
    }
}

/// The embedded questionnaires, parsed once per test run (parsing takes tens of
/// milliseconds unoptimised, and the random tests build hundreds of apps).
pub fn catalog() -> Catalog {
    static CATALOG: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
    CATALOG.get_or_init(Catalog::embedded).clone()
}

/// A clock shared with the test, so it can set how fast keys come (`set_pace`).
pub fn shared_clock(app: &mut App) -> std::rc::Rc<FixedClock> {
    let start = DateTime::parse_from_rfc3339("2026-03-02T10:30:00+00:00").unwrap();
    let clock = std::rc::Rc::new(FixedClock::new(start));
    app.ctx.clock = Box::new(clock.clone());
    clock
}

pub fn clock() -> Box<FixedClock> {
    let start = DateTime::parse_from_rfc3339("2026-03-02T10:00:00+00:00").unwrap();
    Box::new(FixedClock::new(start))
}

/// An unlocked app at the case list, on a disk that can be made to fail.
pub fn unlocked_app() -> (App, Fixture) {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    let age_identity = age::x25519::Identity::generate();
    let identity = UnlockedIdentity::from_age(age_identity.clone());
    let disk = Arc::new(FaultyDisk::new(QuickDisk));
    let store = CaseStore::new(
        &paths,
        disk.clone(),
        Recipients::single(identity.recipient()),
    );
    let book = CaseBook::with_store(store, identity);
    let app = App::unlocked(
        paths.clone(),
        catalog(),
        clock(),
        Theme { mono: false },
        Box::new(book),
    );
    let fixture = Fixture {
        _dir: dir,
        disk,
        paths,
        identity: age_identity,
    };
    (app, fixture)
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
    c.form.as_mut().unwrap().choose("suspect-interview");
    press(app, KeyCode::Tab);
    press(app, KeyCode::Tab);
    type_text(app, "Interviewer One, Interviewer Two");
    press(app, KeyCode::Enter);
    assert!(
        matches!(app.screen, Screen::Logging(_)),
        "logging screen after start"
    );
}

/// The stride of a size sweep that draws a screen at many terminal sizes: `stride` on
/// Linux, three times that on Windows. Drawing into a test buffer runs no platform code,
/// and the full sweep runs on Linux in the same CI; the Windows half (under Wine) keeps
/// every edge size a sweep lists and fewer of the sizes between, for CI time.
pub fn sweep_stride(stride: usize) -> usize {
    if cfg!(windows) { stride * 3 } else { stride }
}

pub fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view::render(app, f)).unwrap();
    terminal
}

/// The screen as text with what differs from run to run masked: the random age recipient
/// (shown shortened, `age1xxxxxx…xxxx`) and signature times (`2026-12-01T21:36:02Z`).
pub(super) fn scrubbed(terminal: &Terminal<TestBackend>) -> String {
    let text = format!("{}", terminal.backend());
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let is = |c: Option<&char>, f: fn(&char) -> bool| c.is_some_and(f);
    while i < chars.len() {
        let at = |k: usize| chars.get(i + k);
        // age1 + 6 + … + 4
        if chars[i..].starts_with(&['a', 'g', 'e', '1'])
            && (4..10).all(|k| is(at(k), |c| c.is_ascii_alphanumeric()))
            && at(10) == Some(&'…')
            && (11..15).all(|k| is(at(k), |c| c.is_ascii_alphanumeric()))
        {
            out.push_str("age1~~~~~~…~~~~");
            i += 15;
            continue;
        }
        // YYYY-MM-DDTHH:MM:SSZ
        let digit = |k: usize| is(at(k), char::is_ascii_digit);
        if (0..4).all(digit)
            && at(4) == Some(&'-')
            && at(10) == Some(&'T')
            && at(19) == Some(&'Z')
            && [5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
                .iter()
                .all(|&k| digit(k))
        {
            out.push_str("YYYY-MM-DDTHH:MM:SSZ");
            i += 20;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}
