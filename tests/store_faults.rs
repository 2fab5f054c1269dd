//! Fault injection at every step of a save, SQLite-style: fail the 1st, 2nd, 3rd…
//! file operation until the save goes through, and check each time that the previous
//! version is intact, the error is typed and names the file, and no temp file is left
//! (or, if one is, that listings ignore it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::ErrorKind;
use std::path::Path;

use interview_companion::custody::verdict::{Standing, Trusted, judge};
use interview_companion::paths::Paths;
use interview_companion::store::{
    Access, CaseId, CaseStore, FaultyDisk, Op, ProblemKind, RealDisk, Recipients, SaveStep,
    SittingLock, UnlockedIdentity, decrypt, is_temp_name,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn payload(version: u32) -> Vec<u8> {
    let mut s = format!("version = {version}\n");
    while s.len() < 20_000 {
        s.push_str(&format!(
            "[[event]]\nquestion = \"q{}\"\nvalue = \"answer text {version}\"\n",
            s.len()
        ));
    }
    s.into_bytes()
}

fn version_of(plain: &[u8]) -> u32 {
    let text = std::str::from_utf8(plain).expect("utf8");
    assert_eq!(
        plain,
        payload(text_version(text)).as_slice(),
        "not a complete version"
    );
    text_version(text)
}

fn text_version(text: &str) -> u32 {
    text.lines()
        .next()
        .and_then(|l| l.strip_prefix("version = "))
        .and_then(|v| v.parse().ok())
        .expect("version line")
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read_dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| is_temp_name(n))
        .collect()
}

struct Fixture {
    _tmp: tempfile::TempDir,
    disk: FaultyDisk<RealDisk>,
    paths: Paths,
    id: UnlockedIdentity,
}

impl Fixture {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let paths = Paths::under(tmp.path());
        Fixture {
            _tmp: tmp,
            disk: FaultyDisk::new(RealDisk),
            paths,
            id: UnlockedIdentity::generate(),
        }
    }

    fn store(&self) -> CaseStore<&FaultyDisk<RealDisk>> {
        CaseStore::new(
            &self.paths,
            &self.disk,
            Recipients::single(self.id.recipient()),
        )
    }
}

fn writer(store: &CaseStore<&FaultyDisk<RealDisk>>, case: &CaseId) -> SittingLock {
    let sid = store.new_sitting_id();
    match store.lock_sitting(case, &sid) {
        Access::Write(l) => l,
        Access::ReadOnly(ro) => panic!("{ro}"),
    }
}

/// What the signatures say about the case now: never a problem after a fault (a crash
/// or failed write must not read as tampering). Returns the verdict count checked.
fn no_false_tamper(
    store: &CaseStore<&FaultyDisk<RealDisk>>,
    case: &CaseId,
    id: &UnlockedIdentity,
    when: &str,
) -> usize {
    let opened = store.open_case(case, id).expect("open");
    let custody = judge(
        case.as_str(),
        &opened.statement(false),
        &opened.files,
        &Trusted::own(id.signing().public().clone()),
    );
    assert_ne!(custody.standing(), Standing::Problem, "{when}: {custody:?}");
    custody.files.len()
}

#[test]
fn failure_at_every_step_of_a_sitting_save_keeps_the_previous_version() -> TestResult {
    let mut verdicts = 0;
    for kind in [
        ErrorKind::StorageFull,
        ErrorKind::PermissionDenied,
        ErrorKind::ReadOnlyFilesystem,
        ErrorKind::Other,
    ] {
        let f = Fixture::new();
        let store = f.store();
        let case = store.create_case()?;
        let lock = writer(&store, &case);
        let other = writer(&store, &case);
        store.save_sitting(&other, &payload(999), &f.id)?;
        store.save_sitting(&lock, &payload(0), &f.id)?;
        let path = store.sitting_file(&case, lock.sitting());
        let manifest = store.manifest_file(&case);
        let dir = store.case_dir(&case);
        let mut current = 0;
        let mut steps_failed = Vec::new();
        let mut next = 1;
        for n in 1u64.. {
            assert!(n < 60, "save never succeeded");
            f.disk.fail_nth(n, kind);
            let result = store.save_sitting(&lock, &payload(next), &f.id);
            let failed = f.disk.failed();
            f.disk.clear();
            let on_disk = version_of(&decrypt(&std::fs::read(&path)?, &f.id)?);
            match result {
                Ok(()) => {
                    assert!(
                        failed.is_empty(),
                        "an injected fault was swallowed: {failed:?}"
                    );
                    assert_eq!(on_disk, next);
                    break;
                }
                Err(e) => {
                    assert_eq!(failed.len(), 1);
                    assert_eq!(e.kind(), kind, "{e}");
                    let msg = e.to_string();
                    assert!(msg.starts_with("NOT saved: "), "{msg}");
                    if e.step == SaveStep::Statement {
                        // Before the record is touched: the signed statement (or its lock).
                        assert!(e.path.starts_with(&dir), "{msg}");
                        assert_ne!(e.path, path, "{msg}");
                    } else {
                        assert_eq!(e.path, path, "error must name the sitting file");
                    }
                    assert!(msg.contains(&e.path.display().to_string()), "{msg}");
                    if e.step.target_may_be_new() {
                        // Renamed already; only the folder fsync failed.
                        assert_eq!(on_disk, next, "after {:?}", e.step);
                        current = next;
                    } else {
                        assert_eq!(on_disk, current, "previous version harmed at {:?}", e.step);
                    }
                    steps_failed.push(e.step);
                    next += 1;
                }
            }
            assert!(
                temp_files(&dir).is_empty(),
                "temp left after fault at op {n}"
            );
            // The rest of the case is unharmed and still opens, and nothing reads as
            // tampered.
            let opened = store.open_case(&case, &f.id)?;
            assert_eq!(opened.sittings.len(), 2);
            assert!(opened.sittings.iter().all(|(_, s)| s.is_ok()));
            verdicts += no_false_tamper(&store, &case, &f.id, &format!("{kind} at op {n}"));
        }
        assert!(manifest.exists());
        // The save sequence (src/store/sealed.rs): checks under the statement's lock, then
        // both temp files written, both flushed, the statement renamed and the folder
        // flushed, and the record renamed last (its rename needs no folder flush of its
        // own: a power cut that undoes it is rolled forward, see store_powercut.rs).
        use SaveStep::{Check, CreateTemp, Rename, Statement, SyncFile, Write};
        let sequence = [
            CreateTemp, Write, // the record's temp file
            Statement, Statement, // the statement's temp file: create, write
            SyncFile, Statement, // both flushed
            Statement, Statement, // the statement renamed, the folder flushed
            Rename,    // the record renamed
        ];
        let (checks, writes) = steps_failed.split_at(steps_failed.len() - sequence.len());
        assert_eq!(writes, sequence, "{kind}: {steps_failed:?}");
        // Lock, read the statement, the target's digest.
        assert!(checks.len() >= 4, "{kind}: {steps_failed:?}");
        assert!(
            checks.iter().all(|s| matches!(s, Statement | Check)),
            "{kind}: {steps_failed:?}"
        );
    }
    eprintln!(
        "faults: {verdicts} file verdicts checked after faults in sitting saves, 0 read as tampered"
    );
    Ok(())
}

#[test]
fn failure_at_every_step_of_a_case_save_keeps_the_previous_version() -> TestResult {
    let f = Fixture::new();
    let store = f.store();
    let case = store.create_case()?;
    let Access::Write(lock) = store.lock_case(&case) else {
        panic!("case lock refused");
    };
    store.save_case(&lock, b"reference = \"v0\"\n", &f.id)?;
    let mut current = "v0".to_string();
    let mut verdicts = 0;
    for n in 1u64.. {
        assert!(n < 60);
        f.disk.fail_nth(n, ErrorKind::StorageFull);
        let next = format!("v{n}");
        let result = store.save_case(&lock, format!("reference = \"{next}\"\n").as_bytes(), &f.id);
        f.disk.clear();
        let got = decrypt(&std::fs::read(store.case_file(&case))?, &f.id)?;
        let got = String::from_utf8(got.to_vec())?;
        match result {
            Ok(()) => {
                assert_eq!(got, format!("reference = \"{next}\"\n"));
                break;
            }
            Err(e) => {
                assert!(e.to_string().contains("disk full"), "{e}");
                if e.step.target_may_be_new() {
                    current = next;
                }
                assert_eq!(got, format!("reference = \"{current}\"\n"), "{:?}", e.step);
            }
        }
        assert!(temp_files(&store.case_dir(&case)).is_empty());
        verdicts += no_false_tamper(&store, &case, &f.id, &format!("case save, op {n}"));
    }
    eprintln!("faults: {verdicts} verdicts after faults in case saves, 0 read as tampered");
    Ok(())
}

#[test]
fn failing_case_creation_is_typed() -> TestResult {
    let f = Fixture::new();
    let store = f.store();
    for (n, step) in [(1, SaveStep::CreateDir), (2, SaveStep::SyncDir)] {
        f.disk.fail_nth(n, ErrorKind::PermissionDenied);
        let err = store.create_case().expect_err("creation must fail");
        assert_eq!(err.step, step);
        assert!(err.to_string().contains("permission denied"), "{err}");
    }
    f.disk.clear();
    store.create_case()?;
    Ok(())
}

#[test]
fn leftover_temp_files_are_ignored_and_harmless() -> TestResult {
    let f = Fixture::new();
    let store = f.store();
    let case = store.create_case()?;
    let lock = writer(&store, &case);
    store.save_sitting(&lock, &payload(1), &f.id)?;
    // Disk full mid-write AND the clean-up fails: a partial temp file stays behind.
    f.disk.fail_every(Op::Write, ErrorKind::StorageFull);
    f.disk.fail_every(Op::Remove, ErrorKind::Other);
    assert!(store.save_sitting(&lock, &payload(2), &f.id).is_err());
    f.disk.clear();
    let dir = store.case_dir(&case);
    assert_eq!(
        temp_files(&dir).len(),
        1,
        "the test needs a leftover temp file"
    );
    assert_eq!(store.list_sittings(&case)?, vec![lock.sitting().clone()]);
    let opened = store.open_case(&case, &f.id)?;
    assert_eq!(opened.sittings.len(), 1);
    assert_eq!(version_of(opened.sittings[0].1.as_ref().expect("opens")), 1);
    store.save_sitting(&lock, &payload(3), &f.id)?;
    assert_eq!(
        version_of(&store.read_sitting(&case, lock.sitting(), &f.id)?),
        3
    );
    Ok(())
}

#[test]
fn unreadable_file_is_named_and_the_rest_opens() -> TestResult {
    let f = Fixture::new();
    let store = f.store();
    let case = store.create_case()?;
    let a = writer(&store, &case);
    let b = writer(&store, &case);
    store.save_sitting(&a, &payload(1), &f.id)?;
    store.save_sitting(&b, &payload(2), &f.id)?;
    // open_case: ListDir, then Read per sitting, then Read of the case file.
    f.disk.fail_nth(2, ErrorKind::PermissionDenied);
    let opened = store.open_case(&case, &f.id)?;
    f.disk.clear();
    let bad: Vec<_> = opened.sittings.iter().filter(|(_, s)| s.is_err()).collect();
    assert_eq!(bad.len(), 1);
    let problem = bad[0].1.as_ref().expect_err("error");
    assert!(matches!(problem.kind, ProblemKind::Unreadable(_)));
    assert!(problem.to_string().contains(&format!("{}.age", bad[0].0)));
    assert_eq!(opened.sittings.iter().filter(|(_, s)| s.is_ok()).count(), 1);
    Ok(())
}

#[test]
fn failing_listing_is_a_typed_error_naming_the_folder() -> TestResult {
    let f = Fixture::new();
    let store = f.store();
    let case = store.create_case()?;
    f.disk.fail_every(Op::ListDir, ErrorKind::PermissionDenied);
    let err = store.open_case(&case, &f.id).expect_err("must fail");
    assert!(err.to_string().contains(case.as_str()), "{err}");
    assert!(store.list_cases().is_err());
    Ok(())
}
