//! Reliability item 2: a failure injected at every step of every save path, SQLite-style
//! (fail the 1st, 2nd, 3rd… file operation until the save goes through). Each time:
//! nothing already on disk is harmed, the failure says NOT saved and why, what was being
//! saved is still in memory, and it is saved once the fault clears.
//!
//! `tests/store_faults.rs` covers the sitting and case files byte by byte at the store
//! level. This adds: creating the identity, adding a recipient, writing an export, creating
//! a case from the screens, and the logging screen itself through a failing disk (what the
//! person sees, what stays in memory, what is on disk, and the retry).
//!
//! Long version (every error kind on every path): COMPANION_LONG=1 cargo test --test reliability_faults
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::ErrorKind;
use std::path::Path;
use std::sync::Arc;

use age::secrecy::SecretString;
use chrono::DateTime;
use common::{long_run, snapshot};
use interview_companion::paths::Paths;
use interview_companion::questionnaire::Catalog;
use interview_companion::records::CaseBook;
use interview_companion::report;
use interview_companion::session::{AnswerValue, EventKind, FixedClock, Sitting};
use interview_companion::store::recipients::{Added, add_recipient, read_recipients};
use interview_companion::store::{
    CaseStore, FaultyDisk, RealDisk, Recipients, UnlockedIdentity, create_identity, decrypt,
    encrypt, is_temp_name, keys::unlock, save_durable,
};
use interview_companion::tui::app::{App, Screen};
use interview_companion::tui::input::Msg;
use interview_companion::tui::theme::Theme;
use interview_companion::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const KINDS: [(ErrorKind, &str); 4] = [
    (ErrorKind::StorageFull, "disk full"),
    (ErrorKind::ReadOnlyFilesystem, "read-only"),
    (ErrorKind::PermissionDenied, "permission denied"),
    (ErrorKind::Other, "injected"),
];

fn kinds() -> &'static [(ErrorKind, &'static str)] {
    if long_run() { &KINDS } else { &KINDS[..1] }
}

fn no_temp_files(dir: &Path) {
    for path in common::walk(dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!is_temp_name(&name), "temp file left: {}", path.display());
    }
}

#[test]
fn creating_the_identity_fails_cleanly_at_every_step() {
    let pass = SecretString::from("correct horse battery staple".to_string());
    let team = UnlockedIdentity::generate().recipient();
    let mut steps = 0;
    for &(kind, _) in kinds() {
        // With no config yet, and (long run) with a recipients file holding a team key.
        for existing in [false, true]
            .into_iter()
            .take(if long_run() { 2 } else { 1 })
        {
            for n in 1u64.. {
                assert!(n < 40, "never succeeded");
                let tmp = tempfile::tempdir().unwrap();
                let paths = Paths::under(tmp.path());
                if existing {
                    std::fs::create_dir_all(&paths.config).unwrap();
                    std::fs::write(paths.recipients_file(), format!("{team}\n")).unwrap();
                }
                let before = snapshot(tmp.path());
                let disk = FaultyDisk::new(RealDisk);
                disk.fail_nth(n, kind);
                let result = create_identity(&disk, &paths, &pass);
                let failed = !disk.failed().is_empty();
                disk.clear();
                match result {
                    Ok(_) => {
                        assert!(!failed, "op {n}: failed yet reported created");
                        break;
                    }
                    Err(e) => {
                        steps += 1;
                        let msg = e.to_string();
                        assert!(
                            msg.contains("NOT saved") || msg.contains("could not read"),
                            "op {n}: {msg}"
                        );
                        no_temp_files(tmp.path());
                        if paths.identity_file().exists() {
                            // Only when the last flush failed after the rename: then the pair
                            // is whole and usable as it is.
                            let id = unlock(&RealDisk, &paths, &pass).unwrap();
                            let r = read_recipients(&RealDisk, &paths.recipients_file()).unwrap();
                            assert!(r.contains(&id.recipient()), "op {n}: {msg}");
                            CaseBook::open(&paths, id).unwrap();
                        } else {
                            // Otherwise nothing changed at all, and init can run again.
                            assert_eq!(snapshot(tmp.path()), before, "op {n}: {msg}");
                            let (id, r) = create_identity(&RealDisk, &paths, &pass).unwrap();
                            assert!(r.contains(&id.recipient()));
                            assert_eq!(r.contains(&team), existing, "team key");
                            CaseBook::open(&paths, id).unwrap();
                        }
                    }
                }
            }
        }
    }
    eprintln!("faults: identity creation failed at {steps} steps, each cleanly");
}

#[test]
fn adding_a_recipient_fails_cleanly_at_every_step() {
    let mut steps = 0;
    for &(kind, why) in kinds() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("recipients.txt");
        let own = UnlockedIdentity::generate().recipient();
        let original = format!("# mine\n{own}\n");
        std::fs::write(&path, &original).unwrap();
        let team = UnlockedIdentity::generate().recipient().to_string();
        let disk = FaultyDisk::new(RealDisk);
        for n in 1u64.. {
            assert!(n < 20, "never succeeded");
            std::fs::write(&path, &original).unwrap();
            disk.fail_nth(n, kind);
            let result = add_recipient(&disk, &path, &team);
            disk.clear();
            no_temp_files(tmp.path());
            match result {
                Ok((Added::Added, list)) => {
                    assert_eq!(list.len(), 2);
                    break;
                }
                Ok((Added::AlreadyPresent, _)) => panic!("op {n}: the file was not restored"),
                Err(e) => {
                    steps += 1;
                    let msg = e.to_string();
                    let now = std::fs::read_to_string(&path).unwrap();
                    if now != original {
                        // After the rename, only the folder flush failed: the new file is
                        // whole.
                        assert_eq!(now, format!("{original}{team}\n"), "op {n}");
                        assert!(msg.contains("did not confirm"), "op {n}: {msg}");
                    } else {
                        assert!(
                            msg.contains(why) || msg.contains("could not read"),
                            "op {n}: {msg}"
                        );
                    }
                    // Once the fault clears, adding works (or finds it already there).
                    let (added, _) = add_recipient(&RealDisk, &path, &team).unwrap();
                    assert_eq!(added == Added::Added, now == original);
                }
            }
        }
    }
    eprintln!("faults: adding a recipient failed at {steps} steps, each cleanly");
}

fn fixed_clock() -> FixedClock {
    FixedClock::new(DateTime::parse_from_rfc3339("2026-03-02T10:00:00+00:00").unwrap())
}

#[test]
fn writing_an_export_fails_cleanly_at_every_step() {
    // The export path: report built in memory, encrypted, then a durable save over any
    // earlier export (src/cli/export.rs does exactly this with the real disk).
    let tmp = tempfile::tempdir().unwrap();
    let paths = Paths::under(tmp.path());
    let identity = UnlockedIdentity::generate();
    let recipients = Recipients::single(identity.recipient());
    let book = CaseBook::with_store(
        CaseStore::new(&paths, RealDisk, recipients.clone()),
        UnlockedIdentity::generate(),
    );
    let clock = fixed_clock();
    let case = book
        .create_case(
            "EXPORT-1",
            Vec::new(),
            DateTime::parse_from_rfc3339("2026-03-02T10:00:00+00:00").unwrap(),
        )
        .unwrap();
    let catalog = Catalog::embedded();
    let q = catalog.get("suspect-interview").unwrap();
    let open = book
        .start_sitting(
            &case,
            q,
            interview_companion::questionnaire::Respondent::Suspect,
            vec![],
            &clock,
        )
        .unwrap();
    let now = DateTime::parse_from_rfc3339("2026-03-02T11:00:00+00:00").unwrap();
    let built = report::build(
        &case,
        std::slice::from_ref(&open.sitting),
        &catalog,
        Vec::new(),
        now,
    );
    let new_text = report::to_markdown(&built);
    let old_text = "# the previous export\n";
    let target = tmp.path().join("exports").join("case-report.md.age");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let mut steps = 0;
    for &(kind, why) in kinds() {
        let disk = FaultyDisk::new(RealDisk);
        for n in 1u64.. {
            assert!(n < 20, "never succeeded");
            std::fs::write(&target, encrypt(old_text.as_bytes(), &recipients).unwrap()).unwrap();
            let bytes = encrypt(new_text.as_bytes(), &recipients).unwrap();
            disk.fail_nth(n, kind);
            let result = save_durable(&disk, &target, &bytes);
            disk.clear();
            no_temp_files(tmp.path());
            let on_disk = decrypt(&std::fs::read(&target).unwrap(), &identity).unwrap();
            match result {
                Ok(()) => {
                    assert_eq!(on_disk.as_slice(), new_text.as_bytes());
                    break;
                }
                Err(e) => {
                    steps += 1;
                    let msg = e.to_string();
                    assert!(msg.starts_with("NOT saved:"), "{msg}");
                    if e.step.target_may_be_new() {
                        assert_eq!(on_disk.as_slice(), new_text.as_bytes());
                    } else {
                        assert!(msg.contains(why), "op {n}: {msg}");
                        assert_eq!(on_disk.as_slice(), old_text.as_bytes(), "op {n}: {msg}");
                    }
                    // Still in memory: the same bytes save once the fault clears.
                    save_durable(&RealDisk, &target, &bytes).unwrap();
                }
            }
        }
    }
    eprintln!("faults: writing an export failed at {steps} steps, each cleanly");
}

#[test]
fn the_real_export_command_says_not_saved_and_harms_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    common::init_home(&home);
    common::create_case(&common::book(&home), "EXPORT-2");
    let pass = dir.path().join("pass.txt");
    std::fs::write(&pass, format!("{}\n", common::PASSPHRASE)).unwrap();
    let existing_dir = dir.path().join("a-folder.md.age");
    std::fs::create_dir_all(existing_dir.join("inside")).unwrap();
    for (target, force, expect) in [
        (
            dir.path().join("missing").join("r.md.age"),
            false,
            "NOT saved",
        ),
        (existing_dir.clone(), false, "already exists"),
        (existing_dir.clone(), true, "NOT saved"),
    ] {
        let before = snapshot(dir.path());
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_companion"))
            .args(["export", "EXPORT-2", "-o"])
            .arg(&target)
            .args(force.then_some("--force"))
            .env("COMPANION_HOME", &home)
            .env("COMPANION_PASSPHRASE_FILE", &pass)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{err}");
        assert!(err.contains(expect), "{err}");
        assert!(
            err.contains(&*target.file_name().unwrap().to_string_lossy()),
            "{err}"
        );
        assert_eq!(snapshot(dir.path()), before, "{err}");
        no_temp_files(dir.path());
    }
    assert!(existing_dir.join("inside").is_dir());
}

fn key(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn drawn(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| view::render(app, f)).unwrap();
    format!("{}", terminal.backend())
}

struct Screens {
    _tmp: tempfile::TempDir,
    disk: Arc<FaultyDisk<RealDisk>>,
    app: App,
    /// A second view of the same records on the real disk, to read what is stored.
    reader: CaseBook,
}

fn screens() -> Screens {
    let tmp = tempfile::tempdir().unwrap();
    let paths = Paths::under(tmp.path());
    let key = age::x25519::Identity::generate();
    let identity = UnlockedIdentity::from_age(key.clone());
    let recipients = Recipients::single(identity.recipient());
    let disk = Arc::new(FaultyDisk::new(RealDisk));
    let book = CaseBook::with_store(
        CaseStore::new(&paths, disk.clone(), recipients.clone()),
        identity,
    );
    let reader = CaseBook::with_store(
        CaseStore::new(&paths, RealDisk, recipients),
        UnlockedIdentity::from_age(key),
    );
    let app = App::unlocked(
        paths,
        Catalog::embedded(),
        Box::new(fixed_clock()),
        Theme { mono: false },
        Box::new(book),
    );
    Screens {
        _tmp: tmp,
        disk,
        app,
        reader,
    }
}

impl Screens {
    /// From the case list: a new case and a suspect sitting, on the logging screen.
    fn open_logging(&mut self) {
        let app = &mut self.app;
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char('n'),
            KeyModifiers::CONTROL,
        )));
        type_text(app, "FAULT-1");
        key(app, KeyCode::Enter);
        assert!(matches!(app.screen, Screen::Case(_)), "{}", drawn(app));
        type_text(app, "s");
        // The list of questionnaires, narrowed to the suspect interview.
        type_text(app, "images user");
        key(app, KeyCode::Tab);
        key(app, KeyCode::Tab);
        type_text(app, "Interviewer One");
        key(app, KeyCode::Enter);
        assert!(matches!(app.screen, Screen::Logging(_)), "{}", drawn(app));
    }

    fn in_memory(&self) -> Sitting {
        let Screen::Logging(s) = &self.app.screen else {
            panic!("not logging")
        };
        s.open.sitting.clone()
    }

    fn on_disk(&self) -> Sitting {
        let list = self.reader.list().unwrap();
        let record = self.reader.open_case(&list.cases[0].id).unwrap();
        assert!(record.problems.is_empty(), "{:?}", record.problems);
        // No fault may leave a state whose signatures read as tampered.
        let bad: Vec<String> = record.custody.problems().collect();
        assert!(
            bad.is_empty() && !record.custody.statement.is_problem(),
            "{bad:?}"
        );
        record.sittings.into_iter().next().unwrap()
    }
}

#[test]
fn the_logging_screen_says_not_saved_keeps_answers_and_saves_when_the_fault_clears() {
    let mut s = screens();
    s.open_logging();
    let questions: Vec<String> = Catalog::embedded()
        .get("suspect-interview")
        .unwrap()
        .questionnaire
        .questions()
        .map(|(_, q)| q.id.clone())
        .collect();
    let mut answered = 0usize;
    let mut steps = 0;
    for &(kind, why) in kinds() {
        for n in 1u64.. {
            assert!(n < 40, "never saved");
            let before = s.on_disk();
            assert_eq!(before, s.in_memory());
            s.disk.fail_nth(n, kind);
            key(&mut s.app, KeyCode::Char('d'));
            let failed = s.disk.failed();
            // In memory whatever happened.
            let mem = s.in_memory();
            assert_eq!(mem.events.len(), answered + 1);
            assert_eq!(
                mem.events[answered].kind,
                EventKind::Answer {
                    question: questions[answered].clone(),
                    value: AnswerValue::DontKnow
                }
            );
            let screen = drawn(&s.app);
            if failed.is_empty() {
                // The fault came after this save: saved, and said so.
                assert!(screen.contains("✓ saved"), "{screen}");
                assert_eq!(s.on_disk(), mem);
                s.disk.clear();
                key(&mut s.app, KeyCode::Char('j'));
                answered += 1;
                break;
            }
            steps += 1;
            assert!(screen.contains("NOT SAVED"), "op {n}: {screen}");
            assert!(screen.contains(why), "op {n}: no reason given: {screen}");
            let stored = s.on_disk();
            if stored == mem {
                // Only the record's own folder flush comes after its rename.
                assert_eq!(failed, [interview_companion::store::Op::SyncDir], "op {n}");
            } else {
                assert_eq!(stored, before, "op {n}: the failed save harmed the file");
            }
            no_temp_files(&s.reader.store().case_dir(&stored.case_id.parse().unwrap()));
            // The fault clears; the timer's retry saves it.
            s.disk.clear();
            s.app.update(Msg::Tick);
            let screen = drawn(&s.app);
            assert!(screen.contains("✓ saved"), "op {n}: {screen}");
            assert!(!screen.contains("NOT SAVED"), "op {n}: {screen}");
            assert_eq!(
                s.on_disk(),
                mem,
                "op {n}: not saved after the fault cleared"
            );
            key(&mut s.app, KeyCode::Char('j'));
            answered += 1;
        }
    }
    // A longer outage: every write fails for three answers, a note and an observation;
    // all of it stays in memory, the file keeps its last good version, then all is saved.
    let before = s.on_disk();
    s.disk.fail_every(
        interview_companion::store::Op::Write,
        ErrorKind::StorageFull,
    );
    type_text(&mut s.app, "xjxjxj");
    key(&mut s.app, KeyCode::Tab);
    type_text(&mut s.app, "kept in memory");
    key(&mut s.app, KeyCode::Esc);
    type_text(&mut s.app, "o");
    type_text(&mut s.app, "still here");
    key(&mut s.app, KeyCode::Esc);
    s.app.update(Msg::Tick);
    assert!(drawn(&s.app).contains("NOT SAVED"));
    assert_eq!(s.on_disk(), before);
    assert_eq!(s.in_memory().events.len(), before.events.len() + 5);
    s.disk.clear();
    s.app.update(Msg::Tick);
    assert_eq!(s.on_disk(), s.in_memory());
    assert!(drawn(&s.app).contains("✓ saved"));
    eprintln!("faults: the logging screen's save failed at {steps} steps, each shown and retried");
}

#[test]
fn a_case_that_fails_to_save_from_the_screens_leaves_nothing_behind() {
    let mut steps = 0;
    for n in 1u64.. {
        assert!(n < 60, "never created");
        let mut s = screens();
        s.app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char('n'),
            KeyModifiers::CONTROL,
        )));
        type_text(&mut s.app, "CASE-FAULT");
        s.disk.fail_nth(n, ErrorKind::StorageFull);
        key(&mut s.app, KeyCode::Enter);
        let failed = s.disk.failed();
        s.disk.clear();
        let list = s.reader.list().unwrap();
        assert!(list.problems.is_empty(), "op {n}: {:?}", list.problems);
        let cases_dir = Paths::under(s._tmp.path()).cases_dir();
        let folders = std::fs::read_dir(&cases_dir)
            .map(|d| d.count())
            .unwrap_or(0);
        // A fault in a best-effort step after the case file was saved (confirming it in
        // the signed statement) leaves the case whole and the screens on it.
        let case_saved = failed.is_empty()
            || matches!(s.app.screen, Screen::Case(_))
            || (!list.cases.is_empty() && failed != [interview_companion::store::Op::SyncDir]);
        if case_saved {
            // Created, whole (the fault, if any, hit a step after the case file was stored:
            // opening the new case, whose listing may fail and says so).
            assert_eq!(list.cases.len(), 1, "op {n} ({failed:?})");
            assert_eq!(folders, 1, "op {n}");
            if failed.is_empty() {
                assert!(matches!(s.app.screen, Screen::Case(_)), "{}", drawn(&s.app));
                break;
            }
            continue;
        }
        steps += 1;
        let screen = drawn(&s.app);
        assert!(
            screen.contains("NOT saved")
                || screen.contains("READ-ONLY")
                || screen.contains("disk full"),
            "op {n} ({failed:?}): no reason shown: {screen}"
        );
        // The reference typed is still in the form, and nothing half-made is on disk.
        assert!(
            screen.contains("CASE-FAULT"),
            "op {n}: the form lost the text: {screen}"
        );
        if list.cases.is_empty() {
            assert_eq!(
                folders, 0,
                "op {n} ({failed:?}): an empty case folder was left"
            );
        } else {
            // Only a failed flush after the rename leaves the case: whole, and listed.
            assert_eq!(failed, [interview_companion::store::Op::SyncDir], "op {n}");
        }
        // Once the fault clears, the same form creates it.
        if list.cases.is_empty() {
            key(&mut s.app, KeyCode::Enter);
            assert!(
                matches!(s.app.screen, Screen::Case(_)),
                "op {n}: {}",
                drawn(&s.app)
            );
            assert_eq!(s.reader.list().unwrap().cases.len(), 1);
        }
    }
    eprintln!("faults: creating a case from the screens failed at {steps} steps, each cleanly");
}

#[test]
fn approving_a_recipient_fails_cleanly_at_every_step_and_never_reads_as_changed_by_hand() {
    use interview_companion::store::guard::{add_recipient as approve_and_add, open_guard};
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let identity = common::init_home(&home);
    let paths = Paths::under(&home);
    drop(common::book(&home));
    let original = snapshot(&paths.config);
    let mut steps = 0;
    for &(kind, _) in kinds() {
        for n in 1u64.. {
            assert!(n < 60, "never succeeded");
            // A new key each round: the one of the last round was added once the fault
            // cleared.
            let team = UnlockedIdentity::generate().recipient().to_string();
            let disk = FaultyDisk::new(RealDisk);
            disk.fail_nth(n, kind);
            let result = approve_and_add(&disk, &paths, &identity, &team);
            let failed = disk.failed();
            disk.clear();
            no_temp_files(&home);
            // Whatever step failed: the keys are as approved, never "changed by hand".
            let guard = open_guard(&RealDisk, &paths, &identity, true).unwrap();
            assert!(
                guard.refusal.is_none(),
                "op {n} ({failed:?}): {:?}",
                guard.refusal
            );
            match result {
                Ok(_) => {
                    assert!(failed.is_empty(), "op {n}: a fault was swallowed");
                    break;
                }
                Err(e) => {
                    steps += 1;
                    assert!(
                        e.to_string().contains("NOT saved")
                            || e.to_string().contains("could not read"),
                        "op {n}: {e}"
                    );
                    // Once the fault clears, the same command goes through.
                    approve_and_add(&RealDisk, &paths, &identity, &team).unwrap();
                }
            }
            for (path, bytes) in &original {
                if path.ends_with("identity.age") {
                    assert_eq!(
                        &std::fs::read(path).unwrap(),
                        bytes,
                        "the identity was touched"
                    );
                }
            }
        }
    }
    eprintln!("faults: approving a recipient failed at {steps} steps; 0 read as changed by hand");
}

#[test]
fn upgrading_a_home_made_before_signing_fails_cleanly_at_every_step() {
    use interview_companion::records::CaseBook;
    use interview_companion::store::guard::open_guard;
    // No scrypt per round: the book is opened with the age key itself (the identity file
    // plays no part in the upgrade).
    let key = age::x25519::Identity::generate();
    let unlocked = || UnlockedIdentity::from_age(key.clone());
    let mut steps = 0;
    for n in 1u64.. {
        assert!(n < 80, "never upgraded");
        let tmp = tempfile::tempdir().unwrap();
        let paths = Paths::under(&tmp.path().join("home"));
        std::fs::create_dir_all(&paths.config).unwrap();
        std::fs::write(paths.recipients_file(), format!("{}\n", key.to_public())).unwrap();
        // A home of the previous version: two cases, no trust file, no manifests.
        {
            let b = CaseBook::open(&paths, unlocked()).unwrap();
            common::create_case(&b, "OLD-1");
            common::create_case(&b, "OLD-2");
        }
        std::fs::remove_file(paths.config.join("trust.txt")).unwrap();
        std::fs::remove_file(paths.config.join("allowed_signers")).unwrap();
        for case in std::fs::read_dir(paths.cases_dir()).unwrap().flatten() {
            std::fs::remove_file(case.path().join("manifest.txt")).unwrap();
        }
        let records = |p: &Paths| {
            snapshot(&p.data)
                .into_iter()
                .filter(|(k, _)| k.extension().is_some_and(|e| e == "age"))
                .collect::<Vec<_>>()
        };
        let before = records(&paths);
        let disk = FaultyDisk::new(RealDisk);
        disk.fail_nth(n, ErrorKind::StorageFull);
        let result = open_guard(&disk, &paths, &unlocked(), true);
        let failed = disk.failed();
        disk.clear();
        assert_eq!(records(&paths), before, "op {n}: a record was touched");
        no_temp_files(tmp.path());
        // The next unlock finishes the upgrade; nothing reads as tampered.
        let b = CaseBook::open(&paths, unlocked()).unwrap();
        assert!(
            b.guard().refusal.is_none(),
            "op {n} ({failed:?}): {:?}",
            b.guard().refusal
        );
        let list = b.list().unwrap();
        assert_eq!(list.cases.len(), 2);
        for c in &list.cases {
            let record = b.open_case(&c.id).unwrap();
            let bad: Vec<String> = record.custody.problems().collect();
            assert!(
                bad.is_empty() && !record.custody.statement.is_problem(),
                "op {n}: {bad:?} {}",
                record.custody.statement
            );
            assert_eq!(
                record.custody.verdict("case.age"),
                Some(&interview_companion::custody::verdict::Verdict::Unsigned),
                "op {n}"
            );
        }
        match result {
            Ok(g) if failed.is_empty() => {
                assert!(g.notice.is_some());
                break;
            }
            Ok(_) => panic!("op {n}: a fault was swallowed ({failed:?})"),
            Err(_) => steps += 1,
        }
    }
    eprintln!(
        "faults: the upgrade of an older home failed at {steps} steps, each finished at the next unlock; 0 records touched, 0 read as tampered"
    );
}
