//! Power cuts at every step of every save, on a model of what a file system may keep.
//!
//! A SIGKILL (tests/store_crash.rs) keeps everything the process did, since the kernel's
//! cache survives it; a power cut keeps only what was flushed. This test runs each save
//! on [`PowerCutDisk`], which records which changes are not yet durable — a file's data
//! until it is `fsync`ed, a new name or a rename until its folder is `fsync`ed — and
//! stops the machine at the n-th step of the save, for every n. It then undoes every
//! subset of the changes not yet durable (POSIX promises no order among them, so any
//! subset may be lost) and tears the data of every file not flushed, and checks, after
//! the "reboot":
//!
//! - what a checker sees before the program opens anything (`companion verify`, which
//!   never writes) is never a problem verdict: never "tampered";
//! - once the program takes the file's lock (rolling an interrupted save forward and
//!   confirming it), the file holds a complete version, no older than the last save that
//!   returned `Ok`, and its verdicts are still clean;
//! - the next save goes through and verifies.
//!
//! Not modelled: a removal undone by the cut (it would only bring back a temp file, which
//! the next lock holder handles as any leftover), and reordering across folders (every
//! save stays in its case's folder).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use interview_companion::custody::verdict::{CaseCustody, Standing, Trusted, judge};
use interview_companion::paths::Paths;
use interview_companion::store::{
    Access, CaseId, CaseStore, DirEntry, Disk, RealDisk, Recipients, SittingLock, UnlockedIdentity,
    decrypt,
};

/// A change to a folder that no folder flush has made durable yet.
#[derive(Debug)]
enum Change {
    Created(PathBuf),
    Renamed {
        from: PathBuf,
        to: PathBuf,
        replaced: Option<Vec<u8>>,
    },
}

impl Change {
    fn dir(&self) -> Option<&Path> {
        match self {
            Change::Created(p) => p.parent(),
            Change::Renamed { to, .. } => to.parent(),
        }
    }
}

#[derive(Default)]
struct Model {
    /// Steps taken (every call that changes or flushes something).
    steps: u64,
    /// The machine stops at this step: it and every later call fail, doing nothing.
    stop_at: Option<u64>,
    stopped: bool,
    volatile: Vec<Change>,
    unsynced: HashSet<PathBuf>,
}

/// The real disk, with a record of what a power cut could still take back.
#[derive(Default)]
struct PowerCutDisk {
    model: Mutex<Model>,
}

fn dead() -> io::Error {
    io::Error::other("the machine lost power")
}

impl PowerCutDisk {
    fn model(&self) -> std::sync::MutexGuard<'_, Model> {
        self.model.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A step that changes or flushes something: may be where the power goes.
    fn step(&self) -> io::Result<()> {
        let mut m = self.model();
        if m.stopped {
            return Err(dead());
        }
        m.steps += 1;
        if m.stop_at == Some(m.steps) {
            m.stopped = true;
            return Err(dead());
        }
        Ok(())
    }

    fn alive(&self) -> io::Result<()> {
        if self.model().stopped {
            Err(dead())
        } else {
            Ok(())
        }
    }

    /// Everything so far reached the disk (time passed; the kernel wrote it back).
    fn all_durable(&self) {
        let mut m = self.model();
        m.volatile.clear();
        m.unsynced.clear();
    }

    /// Stops the machine at the `n`-th step from now.
    fn stop_after(&self, n: u64) {
        let mut m = self.model();
        m.stop_at = Some(m.steps + n);
    }

    fn stopped(&self) -> bool {
        self.model().stopped
    }

    fn volatile_count(&self) -> usize {
        self.model().volatile.len()
    }

    /// The power goes: the changes picked by `lost` (bit i: the i-th change not yet
    /// durable) are undone, newest first, and every file whose data was not flushed is
    /// torn to half its length.
    fn cut(&self, lost: u32) {
        let m = self.model();
        for p in &m.unsynced {
            if let Ok(bytes) = std::fs::read(p) {
                std::fs::write(p, &bytes[..bytes.len() / 2]).expect("tear");
            }
        }
        for (i, change) in m.volatile.iter().enumerate().rev() {
            if lost & (1 << i) == 0 {
                continue;
            }
            match change {
                Change::Created(p) => {
                    let _ = std::fs::remove_file(p);
                }
                Change::Renamed { from, to, replaced } => {
                    if let Ok(bytes) = std::fs::read(to) {
                        std::fs::write(from, bytes).expect("undo rename");
                        match replaced {
                            Some(old) => std::fs::write(to, old).expect("restore"),
                            None => std::fs::remove_file(to).expect("unname"),
                        }
                    }
                }
            }
        }
    }
}

impl Disk for PowerCutDisk {
    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        self.step()?;
        RealDisk.create_dir_all(path)
    }
    fn create_new(&self, path: &Path) -> io::Result<File> {
        self.step()?;
        let f = RealDisk.create_new(path)?;
        self.model()
            .volatile
            .push(Change::Created(path.to_path_buf()));
        Ok(f)
    }
    fn write_all(&self, file: &mut File, path: &Path, bytes: &[u8]) -> io::Result<()> {
        self.step()?;
        RealDisk.write_all(file, path, bytes)?;
        self.model().unsynced.insert(path.to_path_buf());
        Ok(())
    }
    /// A model: the real flush is not needed to know what it would make durable.
    fn sync_file(&self, _file: &File, path: &Path) -> io::Result<()> {
        self.step()?;
        self.model().unsynced.remove(path);
        Ok(())
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.step()?;
        let replaced = std::fs::read(to).ok();
        RealDisk.rename(from, to)?;
        let mut m = self.model();
        if m.unsynced.remove(from) {
            m.unsynced.insert(to.to_path_buf());
        }
        m.volatile.push(Change::Renamed {
            from: from.to_path_buf(),
            to: to.to_path_buf(),
            replaced,
        });
        Ok(())
    }
    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        self.step()?;
        self.model().volatile.retain(|c| c.dir() != Some(dir));
        Ok(())
    }
    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        self.alive()?;
        RealDisk.read_limited(path, limit)
    }
    fn exists(&self, path: &Path) -> io::Result<bool> {
        self.alive()?;
        RealDisk.exists(path)
    }
    fn list_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        self.alive()?;
        RealDisk.list_dir(path)
    }
    fn remove_file(&self, path: &Path) -> io::Result<()> {
        self.step()?;
        RealDisk.remove_file(path)
    }
    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        self.step()?;
        RealDisk.remove_dir(path)
    }
    fn open_lock_file(&self, path: &Path) -> io::Result<File> {
        self.alive()?;
        RealDisk.open_lock_file(path)
    }
    fn try_lock(&self, file: &File, path: &Path) -> io::Result<bool> {
        self.alive()?;
        RealDisk.try_lock(file, path)
    }
}

/// Version `n` of a record (~2 KB: the steps, not the size, are under test): the first
/// line says which.
fn payload(n: u32) -> Vec<u8> {
    let mut s = format!("version = {n}\n");
    while s.len() < 2_000 {
        s.push_str(&format!("[[event]]\nvalue = \"answer {n} {}\"\n", s.len()));
    }
    s.into_bytes()
}

fn version_of(plain: &[u8]) -> u32 {
    let text = std::str::from_utf8(plain).expect("utf8");
    let n = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("version = "))
        .and_then(|v| v.parse().ok())
        .expect("version line");
    assert_eq!(plain, payload(n).as_slice(), "version {n} is not complete");
    n
}

fn custody<D: Disk>(store: &CaseStore<D>, case: &CaseId, id: &UnlockedIdentity) -> CaseCustody {
    let opened = store.open_case(case, id).expect("open");
    judge(
        case.as_str(),
        &opened.statement(false),
        &opened.files,
        &Trusted::own(id.signing().public().clone()),
    )
}

/// Which save the power cut interrupts.
#[derive(Debug, Clone, Copy)]
enum Save {
    /// The first save of a new sitting (creating its file).
    First,
    /// A save following one that returned `Ok` a moment ago (its rename maybe not durable).
    Next,
    /// The second save of a new sitting, a moment after the first returned `Ok`.
    SecondOfNew,
    /// A save of the case file (which confirms itself at once).
    CaseFile,
}

/// One run: returns `None` once `lost` names more changes than were volatile, else
/// whether the power stayed on to the end of the save (the stop came after it).
fn run(save: Save, stop: u64, lost: u32) -> Option<bool> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let paths = Paths::under(tmp.path());
    let id = UnlockedIdentity::generate();
    let recipients = Recipients::single(id.recipient());
    let disk = PowerCutDisk::default();
    let store = CaseStore::new(&paths, &disk, recipients.clone());
    let case = store.create_case().expect("case");
    let Access::Write(case_lock) = store.lock_case(&case) else {
        panic!("case lock")
    };
    store
        .save_case(&case_lock, &payload(100), &id)
        .expect("case");
    let sitting = store.new_sitting_id();
    let writer = |s: &CaseStore<&PowerCutDisk>| -> SittingLock {
        match s.lock_sitting(&case, &sitting) {
            Access::Write(l) => l,
            Access::ReadOnly(ro) => panic!("{ro}"),
        }
    };
    let lock = writer(&store);
    // Another sitting, so a cut never harms the rest of the case.
    let other = store.new_sitting_id();
    let Access::Write(other_lock) = store.lock_sitting(&case, &other) else {
        panic!("other lock")
    };
    store
        .save_sitting(&other_lock, &payload(900), &id)
        .expect("other");
    let (mut acked, mut next) = (None, 0);
    match save {
        Save::First => disk.all_durable(),
        Save::SecondOfNew => {
            disk.all_durable();
            store.save_sitting(&lock, &payload(0), &id).expect("v0");
            acked = Some(0);
            next = 1;
        }
        Save::Next | Save::CaseFile => {
            store.save_sitting(&lock, &payload(0), &id).expect("v0");
            store.save_sitting(&lock, &payload(1), &id).expect("v1");
            disk.all_durable();
            store.save_sitting(&lock, &payload(2), &id).expect("v2");
            acked = Some(2);
            next = 3;
        }
    }
    disk.stop_after(stop);
    let ok = match save {
        Save::CaseFile => store.save_case(&case_lock, &payload(101), &id).is_ok(),
        _ => store.save_sitting(&lock, &payload(next), &id).is_ok(),
    };
    let finished = !disk.stopped();
    if u64::from(lost) >> disk.volatile_count() != 0 {
        return None;
    }
    drop((lock, other_lock, case_lock, store));
    disk.cut(lost);
    let when = format!("{save:?} save, power cut at step {stop}, lost changes {lost:#b}");

    // After the reboot: a checker, before the program opens anything.
    let rebooted = PowerCutDisk::default();
    let store = CaseStore::new(&paths, &rebooted, recipients);
    let before = custody(&store, &case, &id);
    assert_ne!(
        before.standing(),
        Standing::Problem,
        "{when}, before opening: {before:?}"
    );
    // The program takes the locks: rolls forward and confirms.
    let sitting_file = store.sitting_file(&case, &sitting);
    if let Access::Write(l) = store.lock_case(&case) {
        store.settle_case(&l, &id);
        let case_version = version_of(&store.read_case(&case, &id).expect("case file"));
        let want: &[u32] = if matches!(save, Save::CaseFile) && ok {
            &[101]
        } else if matches!(save, Save::CaseFile) {
            &[100, 101]
        } else {
            &[100]
        };
        assert!(
            want.contains(&case_version),
            "{when}: case file {case_version}"
        );
    }
    let l = match store.lock_sitting(&case, &sitting) {
        Access::Write(l) => l,
        Access::ReadOnly(ro) => panic!("{when}: {ro}"),
    };
    store.settle_sitting(&l, &id);
    let after = custody(&store, &case, &id);
    assert_ne!(
        after.standing(),
        Standing::Problem,
        "{when}, after opening: {after:?}"
    );
    match std::fs::read(&sitting_file) {
        Ok(bytes) => {
            let n = version_of(&decrypt(&bytes, &id).expect("decrypts"));
            let interrupted = !matches!(save, Save::CaseFile);
            if let Some(a) = acked {
                assert!(n >= a, "{when}: on disk {n}, acknowledged {a}");
            }
            if ok && interrupted {
                assert_eq!(
                    n, next,
                    "{when}: the save returned Ok, its version was lost"
                );
            }
            assert!(n <= next, "{when}: version {n} from nowhere");
        }
        Err(_) => assert!(
            matches!(save, Save::First) && !ok,
            "{when}: the sitting file is gone"
        ),
    }
    assert_eq!(
        version_of(
            &store
                .read_sitting(&case, &other, &id)
                .expect("other sitting")
        ),
        900,
        "{when}"
    );
    // And saving goes on, signed.
    store
        .save_sitting(&l, &payload(50), &id)
        .expect("the next save");
    let last = custody(&store, &case, &id);
    assert_eq!(
        last.standing(),
        Standing::Good,
        "{when}, next save: {last:?}"
    );
    Some(finished)
}

#[test]
fn power_cut_at_every_step_of_every_save_never_reads_as_tampered_or_loses_an_ack() {
    let mut runs = 0;
    for save in [Save::First, Save::SecondOfNew, Save::Next, Save::CaseFile] {
        let mut completed = false;
        for stop in 1u64.. {
            assert!(stop < 80, "{save:?}: the save never completed");
            let mut finished = false;
            for lost in 0u32.. {
                match run(save, stop, lost) {
                    Some(f) => {
                        finished = f;
                        runs += 1;
                    }
                    None => break,
                }
            }
            if finished {
                completed = true;
                break;
            }
        }
        assert!(completed);
    }
    eprintln!("power cuts: {runs} runs, every step of four kinds of save, 0 read as tampered");
    assert!(runs > 100, "only {runs} runs");
}
