//! A disk that fails on purpose, for tests.
//!
//! Public (not `cfg(test)`) so integration tests in `tests/` and benchmarks can use it; it
//! is a thin wrapper and costs nothing unless constructed.
//!
//! Two ways to fail:
//! - [`FaultyDisk::fail_nth`]: the Nth operation from now (1-based, any kind) fails once.
//!   Looping N = 1, 2, 3… over a save hits every step of it, as SQLite's tests do.
//! - [`FaultyDisk::fail_every`]: every operation of one kind fails until cleared.
//!
//! A failing [`Op::Write`] first writes half of the bytes, as a disk that fills up
//! mid-write does, so a failed save leaves a real partial temp file to clean up.

use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::Mutex;

use super::disk::{DirEntry, Disk, Op};

#[derive(Debug, Default)]
struct State {
    /// Operations seen since the last arm.
    count: u64,
    /// Fail the operation whose 1-based count equals this.
    nth: Option<(u64, io::ErrorKind)>,
    /// Fail every operation of these kinds.
    every: Vec<(Op, io::ErrorKind)>,
    /// Every operation seen, in order (for tests that want to know the steps).
    log: Vec<Op>,
    /// Operations that were made to fail.
    failed: Vec<Op>,
}

/// Wraps another [`Disk`] and makes chosen operations fail.
#[derive(Debug, Default)]
pub struct FaultyDisk<D> {
    inner: D,
    state: Mutex<State>,
}

impl<D: Disk> FaultyDisk<D> {
    /// A faulty disk that, until armed, behaves exactly like `inner`.
    pub fn new(inner: D) -> Self {
        FaultyDisk {
            inner,
            state: Mutex::new(State::default()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock can only come from a test; keep going.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Makes the `n`th operation from now (1-based) fail with `kind`, once. Resets the
    /// operation count and log.
    pub fn fail_nth(&self, n: u64, kind: io::ErrorKind) {
        let mut s = self.state();
        s.count = 0;
        s.log.clear();
        s.failed.clear();
        s.nth = Some((n, kind));
    }

    /// Makes every operation of kind `op` fail with `kind` until [`Self::clear`].
    pub fn fail_every(&self, op: Op, kind: io::ErrorKind) {
        self.state().every.push((op, kind));
    }

    /// Stops injecting failures and resets the count and log.
    pub fn clear(&self) {
        let mut s = self.state();
        *s = State::default();
    }

    /// Operations seen since the last arm or clear.
    pub fn op_count(&self) -> u64 {
        self.state().count
    }

    /// The operations seen since the last arm or clear, in order.
    pub fn log(&self) -> Vec<Op> {
        self.state().log.clone()
    }

    /// The operations that were made to fail since the last arm or clear.
    pub fn failed(&self) -> Vec<Op> {
        self.state().failed.clone()
    }

    /// Counts `op` and says whether (and how) it must fail.
    fn check(&self, op: Op) -> Option<io::ErrorKind> {
        let mut s = self.state();
        s.count += 1;
        s.log.push(op);
        let count = s.count;
        let kind = match s.nth {
            Some((n, kind)) if n == count => Some(kind),
            _ => s.every.iter().find(|(o, _)| *o == op).map(|(_, k)| *k),
        };
        if kind.is_some() {
            s.failed.push(op);
        }
        kind
    }

    fn gate(&self, op: Op, path: &Path) -> io::Result<()> {
        match self.check(op) {
            Some(kind) => Err(injected(kind, op, path)),
            None => Ok(()),
        }
    }
}

fn injected(kind: io::ErrorKind, op: Op, path: &Path) -> io::Error {
    io::Error::new(
        kind,
        format!("injected {kind} fault on {op:?} of {}", path.display()),
    )
}

impl<D: Disk> Disk for FaultyDisk<D> {
    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        self.gate(Op::CreateDir, path)?;
        self.inner.create_dir_all(path)
    }

    fn create_new(&self, path: &Path) -> io::Result<File> {
        self.gate(Op::CreateFile, path)?;
        self.inner.create_new(path)
    }

    fn write_all(&self, file: &mut File, path: &Path, bytes: &[u8]) -> io::Result<()> {
        if let Some(kind) = self.check(Op::Write) {
            // Like a disk filling up mid-write: part of the data lands, then an error.
            let half = bytes.len() / 2;
            let bytes_prefix = bytes.get(..half).unwrap_or_default();
            self.inner.write_all(file, path, bytes_prefix)?;
            return Err(injected(kind, Op::Write, path));
        }
        self.inner.write_all(file, path, bytes)
    }

    fn sync_file(&self, file: &File, path: &Path) -> io::Result<()> {
        self.gate(Op::SyncFile, path)?;
        self.inner.sync_file(file, path)
    }

    /// A hint that cannot fail: passed through, not counted.
    fn start_sync(&self, file: &File, path: &Path) {
        self.inner.start_sync(file, path)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.gate(Op::Rename, to)?;
        self.inner.rename(from, to)
    }

    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        self.gate(Op::SyncDir, dir)?;
        self.inner.sync_dir(dir)
    }

    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        self.gate(Op::Read, path)?;
        self.inner.read_limited(path, limit)
    }

    fn exists(&self, path: &Path) -> io::Result<bool> {
        self.gate(Op::Read, path)?;
        self.inner.exists(path)
    }

    fn list_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        self.gate(Op::ListDir, path)?;
        self.inner.list_dir(path)
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        self.gate(Op::Remove, path)?;
        self.inner.remove_file(path)
    }

    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        self.gate(Op::Remove, path)?;
        self.inner.remove_dir(path)
    }

    fn open_lock_file(&self, path: &Path) -> io::Result<File> {
        self.gate(Op::OpenLock, path)?;
        self.inner.open_lock_file(path)
    }

    fn try_lock(&self, file: &File, path: &Path) -> io::Result<bool> {
        self.gate(Op::Lock, path)?;
        self.inner.try_lock(file, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::disk::RealDisk;

    #[test]
    fn nth_fails_once_then_passes() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let disk = FaultyDisk::new(RealDisk);
        disk.fail_nth(2, io::ErrorKind::StorageFull);
        let dir = tmp.path().join("d");
        disk.create_dir_all(&dir)?;
        let err = disk.list_dir(&dir).err().map(|e| e.kind());
        assert_eq!(err, Some(io::ErrorKind::StorageFull));
        assert!(disk.list_dir(&dir).is_ok());
        assert_eq!(disk.log(), vec![Op::CreateDir, Op::ListDir, Op::ListDir]);
        assert_eq!(disk.failed(), vec![Op::ListDir]);
        Ok(())
    }

    #[test]
    fn every_fails_until_cleared_and_write_is_partial() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let disk = FaultyDisk::new(RealDisk);
        disk.fail_every(Op::Write, io::ErrorKind::ReadOnlyFilesystem);
        let path = tmp.path().join("f");
        let mut f = disk.create_new(&path)?;
        let err = disk.write_all(&mut f, &path, b"abcdefgh").err();
        assert_eq!(
            err.map(|e| e.kind()),
            Some(io::ErrorKind::ReadOnlyFilesystem)
        );
        assert_eq!(std::fs::read(&path)?, b"abcd");
        disk.clear();
        disk.write_all(&mut f, &path, b"ij")?;
        assert_eq!(std::fs::read(&path)?, b"abcdij");
        Ok(())
    }
}
