//! Durable, atomic replacement of a file.
//!
//! bytes → a temp file in the same folder (random name) → write all → fsync → rename over
//! the target → fsync the folder. A reader, or a crash at any instant, sees either the
//! whole old file or the whole new one, never a mix and never an empty file (the lessons of
//! KeePassXC's truncate-in-place and jrnl's write-without-fsync).
//!
//! Why our own ~100 lines rather than the `atomic-write-file` crate: every step must go
//! through [`Disk`] so that tests can fail each one in turn, and errors must name the step
//! that failed ("NOT saved: disk full writing …"). The crate does the same dance but hides
//! the steps behind one `commit()`.
//!
//! On any failure the temp file is removed (best effort; if even that fails, listings skip
//! temp names) and the target is never touched — except a failure of the final folder
//! fsync, after the rename: the target then already holds the complete new version, but
//! we cannot promise it survives a power cut, so the save is still reported as failed.

use std::io;
use std::path::{Path, PathBuf};

use super::disk::{Disk, parent_dir};
use super::ids::random_hex;

/// Suffix of temp files; listings ignore any name ending in it.
pub const TEMP_SUFFIX: &str = ".tmp";

/// Whether a file name is one of our temp files (`.<target-name>.<hex>.tmp`).
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(TEMP_SUFFIX)
}

/// The start of every temp file name made while saving `target`: `.<target-name>.`.
/// Target names are random ids, so temp names carry no personal data either; and whoever
/// holds the target's lock knows that every temp file with this prefix is a leftover
/// from a crash and may delete it.
pub fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.")
}

/// The step of a save that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveStep {
    /// Encrypting in memory (before anything touched the disk).
    Encrypt,
    /// Creating the case folder.
    CreateDir,
    /// Creating the temp file next to the target.
    CreateTemp,
    /// Writing the bytes to the temp file.
    Write,
    /// Flushing the temp file to stable storage.
    SyncFile,
    /// Renaming the temp file over the target.
    Rename,
    /// Flushing the folder, so the rename survives a power cut.
    SyncDir,
    /// Checking whether the target exists (for files that must not be overwritten).
    Check,
    /// Checking or writing the case's signed statement (`manifest.txt`), before the
    /// record itself is touched: the record on disk is then always the previous version.
    Statement,
}

impl SaveStep {
    fn doing(self) -> &'static str {
        match self {
            SaveStep::Encrypt => "encrypting",
            SaveStep::CreateDir => "creating the folder",
            SaveStep::CreateTemp => "creating a temporary file next to",
            SaveStep::Write => "writing",
            SaveStep::SyncFile => "flushing to disk",
            SaveStep::Rename => "replacing",
            SaveStep::SyncDir => "flushing the folder of",
            SaveStep::Check => "checking",
            SaveStep::Statement => "recording the new version in the signed statement",
        }
    }

    /// Whether the target may already hold the new version after a failure at this step.
    /// Only the folder fsync comes after the rename.
    pub fn target_may_be_new(self) -> bool {
        self == SaveStep::SyncDir
    }
}

/// A save that did not happen. The message names the step, the file and what to do.
#[derive(Debug, thiserror::Error)]
#[error("NOT saved: {} while {} {}. {}", cause(.source), .step.doing(), .path.display(), next_step(*.step, .source))]
pub struct SaveError {
    /// Which step failed.
    pub step: SaveStep,
    /// The file or folder the step was working on.
    pub path: PathBuf,
    /// The underlying error.
    #[source]
    pub source: io::Error,
}

impl SaveError {
    pub(crate) fn new(step: SaveStep, path: &Path, source: io::Error) -> Self {
        SaveError {
            step,
            path: path.to_path_buf(),
            source,
        }
    }

    /// The kind of the underlying I/O error (disk full, read-only, …).
    pub fn kind(&self) -> io::ErrorKind {
        self.source.kind()
    }
}

fn cause(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::StorageFull => "disk full".to_string(),
        io::ErrorKind::ReadOnlyFilesystem => "the disk is read-only".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::AlreadyExists => "the file already exists".to_string(),
        _ => e.to_string(),
    }
}

fn next_step(step: SaveStep, e: &io::Error) -> &'static str {
    if step == SaveStep::SyncDir {
        return "The file was replaced but the disk did not confirm it is stored; save again.";
    }
    if step == SaveStep::Statement && e.kind() == io::ErrorKind::InvalidData {
        return "Nothing on disk was changed; run `companion verify` on the case to see what is wrong.";
    }
    match e.kind() {
        io::ErrorKind::StorageFull => {
            "Nothing on disk was changed; free some disk space and save again."
        }
        io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied => {
            "Nothing on disk was changed; check the data folder is writable (or use --home on a writable disk) and save again."
        }
        io::ErrorKind::AlreadyExists => "Nothing was overwritten.",
        io::ErrorKind::FileTooLarge => {
            "Nothing on disk was changed; shorten what was just added (a very long note or paste) and save again."
        }
        _ => "Nothing on disk was changed; save again, and check the disk if it keeps failing.",
    }
}

/// Removes the temp file on drop unless disarmed: every early return cleans up.
struct TempGuard<'a, D: Disk + ?Sized> {
    disk: &'a D,
    path: Option<PathBuf>,
}

impl<D: Disk + ?Sized> Drop for TempGuard<'_, D> {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            // Best effort: a leftover temp file holds only ciphertext, and listings skip it.
            let _ = self.disk.remove_file(&path);
        }
    }
}

/// A new version of a file, written to a temp file beside it and not yet renamed into
/// place: the first half of [`save_durable`], for saves that must order several files'
/// steps themselves (see `super::sealed`). Dropped before [`Staged::rename`], its temp file
/// is removed (best effort).
pub(crate) struct Staged<'a, D: Disk + ?Sized> {
    disk: &'a D,
    target: PathBuf,
    file: Option<std::fs::File>,
    guard: TempGuard<'a, D>,
}

impl<'a, D: Disk + ?Sized> Staged<'a, D> {
    /// Creates the temp file next to `target` and writes all of `bytes` to it.
    pub(crate) fn write(disk: &'a D, target: &Path, bytes: &[u8]) -> Result<Self, SaveError> {
        let temp = parent_dir(target).join(format!(
            "{}{}{TEMP_SUFFIX}",
            temp_prefix(target),
            random_hex(8)
        ));
        let mut file = disk
            .create_new(&temp)
            .map_err(|e| SaveError::new(SaveStep::CreateTemp, target, e))?;
        let guard = TempGuard {
            disk,
            path: Some(temp.clone()),
        };
        disk.write_all(&mut file, &temp, bytes)
            .map_err(|e| SaveError::new(SaveStep::Write, target, e))?;
        Ok(Staged {
            disk,
            target: target.to_path_buf(),
            file: Some(file),
            guard,
        })
    }

    /// The temp file's path.
    pub(crate) fn temp(&self) -> &Path {
        self.guard.path.as_deref().unwrap_or(&self.target)
    }

    /// Asks the device to start writing the temp file's data now, without waiting, so that
    /// the [`Self::sync`] of several staged files overlap (see [`Disk::start_sync`]).
    pub(crate) fn start_sync(&self) {
        if let Some(file) = &self.file {
            self.disk.start_sync(file, self.temp());
        }
    }

    /// `fsync`s the temp file.
    pub(crate) fn sync(&self) -> Result<(), SaveError> {
        match &self.file {
            Some(file) => self
                .disk
                .sync_file(file, self.temp())
                .map_err(|e| SaveError::new(SaveStep::SyncFile, &self.target, e)),
            None => Ok(()),
        }
    }

    /// Renames the temp file over the target (closing it first: Windows refuses to
    /// rename some open files). Does not flush the folder.
    pub(crate) fn rename(mut self) -> Result<(), SaveError> {
        drop(self.file.take());
        let temp = self.temp().to_path_buf();
        self.disk
            .rename(&temp, &self.target)
            .map_err(|e| SaveError::new(SaveStep::Rename, &self.target, e))?;
        self.guard.path = None;
        Ok(())
    }
}

/// Atomically and durably replaces `target` with `bytes`. See the module docs.
pub fn save_durable<D: Disk + ?Sized>(
    disk: &D,
    target: &Path,
    bytes: &[u8],
) -> Result<(), SaveError> {
    let staged = Staged::write(disk, target, bytes)?;
    staged.sync()?;
    staged.rename()?;
    disk.sync_dir(&parent_dir(target))
        .map_err(|e| SaveError::new(SaveStep::SyncDir, target, e))?;
    Ok(())
}

/// Like [`save_durable`], but refuses if `target` already exists (for the identity file:
/// a wrong step must never clobber a key). The check and the rename are two steps, so two
/// simultaneous `init`s could race; one person runs `init` once, so that is accepted.
pub fn save_durable_new<D: Disk + ?Sized>(
    disk: &D,
    target: &Path,
    bytes: &[u8],
) -> Result<(), SaveError> {
    match disk.exists(target) {
        Ok(false) => {}
        Ok(true) => {
            return Err(SaveError::new(
                SaveStep::Check,
                target,
                io::Error::from(io::ErrorKind::AlreadyExists),
            ));
        }
        Err(e) => return Err(SaveError::new(SaveStep::Check, target, e)),
    }
    save_durable(disk, target, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::disk::{Op, RealDisk};
    use crate::store::faulty::FaultyDisk;

    #[test]
    fn replaces_and_leaves_no_temp() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let target = tmp.path().join("x.age");
        save_durable(&RealDisk, &target, b"one").map_err(io::Error::other)?;
        save_durable(&RealDisk, &target, b"two").map_err(io::Error::other)?;
        assert_eq!(std::fs::read(&target)?, b"two");
        assert_eq!(std::fs::read_dir(tmp.path())?.count(), 1);
        Ok(())
    }

    #[test]
    fn every_step_failure_names_step_and_keeps_old() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let target = tmp.path().join("x.age");
        std::fs::write(&target, b"old")?;
        let disk = FaultyDisk::new(RealDisk);
        let mut steps = Vec::new();
        for n in 1.. {
            disk.fail_nth(n, io::ErrorKind::StorageFull);
            match save_durable(&disk, &target, b"new") {
                Ok(()) => break,
                Err(e) => {
                    steps.push(e.step);
                    let now = std::fs::read(&target)?;
                    if e.step.target_may_be_new() {
                        assert_eq!(now, b"new");
                        std::fs::write(&target, b"old")?;
                    } else {
                        assert_eq!(now, b"old", "step {:?}", e.step);
                    }
                    assert!(e.to_string().starts_with("NOT saved: disk full while"));
                }
            }
            let names: Vec<_> = std::fs::read_dir(tmp.path())?.collect();
            assert_eq!(names.len(), 1, "temp left after failing op {n}");
        }
        use SaveStep::*;
        assert_eq!(steps, vec![CreateTemp, Write, SyncFile, Rename, SyncDir]);
        Ok(())
    }

    #[test]
    fn new_refuses_existing_target() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let target = tmp.path().join("id.age");
        std::fs::write(&target, b"key")?;
        let err = save_durable_new(&RealDisk, &target, b"other").err();
        assert_eq!(err.map(|e| e.kind()), Some(io::ErrorKind::AlreadyExists));
        assert_eq!(std::fs::read(&target)?, b"key");
        Ok(())
    }

    #[test]
    fn temp_left_when_remove_fails_is_recognisable() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let target = tmp.path().join("x.age");
        let disk = FaultyDisk::new(RealDisk);
        disk.fail_every(Op::Write, io::ErrorKind::Other);
        disk.fail_every(Op::Remove, io::ErrorKind::Other);
        assert!(save_durable(&disk, &target, b"abc").is_err());
        let names: Vec<String> = std::fs::read_dir(tmp.path())?
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        assert_eq!(names.len(), 1);
        assert!(names.iter().all(|n| is_temp_name(n)));
        Ok(())
    }
}
