//! The one door to the file system.
//!
//! Every file operation the store makes goes through [`Disk`], so that tests can make any
//! single step fail (disk full, read-only media, permission denied, an I/O error) and check
//! that nothing already on disk was harmed — the way SQLite tests itself. [`RealDisk`] is
//! the real thing; [`super::faulty::FaultyDisk`] wraps another disk and injects failures.
//!
//! The trait is deliberately small and path-based, and open files are plain
//! [`std::fs::File`]s, so the fault-injecting disk can wrap the real one and only has to
//! decide *whether* to fail before delegating.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::limits::{ANY_FILE_LIMIT, Refused};

/// One kind of file-system operation, as counted and targeted by fault injection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// Create a folder (and its missing parents), mode 0700 on Unix.
    CreateDir,
    /// Create a new file that must not exist yet, mode 0600 on Unix.
    CreateFile,
    /// Write all bytes to an open file.
    Write,
    /// Flush an open file's data to stable storage (`fsync`).
    SyncFile,
    /// Rename a file, replacing the target if it exists.
    Rename,
    /// Flush a folder's entries to stable storage, so a rename survives a power cut.
    SyncDir,
    /// Read a whole file (or check that one exists).
    Read,
    /// List a folder's entries.
    ListDir,
    /// Remove a file.
    Remove,
    /// Open (creating if needed) a lock file.
    OpenLock,
    /// Try to take an exclusive OS lock on an open lock file.
    Lock,
}

/// One entry of a folder listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The entry's file name (not the full path).
    pub name: String,
    /// Whether the entry is a folder.
    pub is_dir: bool,
}

/// The file operations the store needs, and nothing more.
///
/// Implemented for references and `Arc`s too, so a test can keep a handle on a
/// [`super::faulty::FaultyDisk`] it gave to a store and re-arm it between saves.
pub trait Disk {
    /// Creates `path` and any missing parents (0700 on Unix). Succeeds if it exists.
    fn create_dir_all(&self, path: &Path) -> io::Result<()>;
    /// Creates a new file that must not exist (0600 on Unix), open for writing.
    fn create_new(&self, path: &Path) -> io::Result<File>;
    /// Writes all of `bytes` to `file` (which lives at `path`, for error reports).
    fn write_all(&self, file: &mut File, path: &Path, bytes: &[u8]) -> io::Result<()>;
    /// `fsync`s `file`'s data and metadata.
    fn sync_file(&self, file: &File, path: &Path) -> io::Result<()>;
    /// Asks the device to start writing `file`'s data now, without waiting for it: a
    /// hint, so that the [`Self::sync_file`] calls of several files saved together overlap
    /// on the device instead of each waiting for its own flush. Never required for
    /// durability (only `sync_file` is), so errors are ignored and the default does
    /// nothing.
    fn start_sync(&self, _file: &File, _path: &Path) {}
    /// Renames `from` to `to`, atomically replacing `to` if it exists.
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// `fsync`s the folder `dir`, making renames and new entries in it durable.
    fn sync_dir(&self, dir: &Path) -> io::Result<()>;
    /// Reads a whole regular file of at most `limit` bytes. A symbolic link, FIFO, device,
    /// socket or folder is refused without reading (a FIFO would wait for ever), and so is
    /// a file over the limit (a huge or sparse file would exhaust memory): both as an error
    /// carrying a [`Refused`]. See [`super::limits`].
    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>>;
    /// [`Self::read_limited`] with the largest record limit, for callers without a more
    /// specific one.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.read_limited(path, ANY_FILE_LIMIT)
    }
    /// Whether something exists at `path` (counted as a [`Op::Read`]).
    fn exists(&self, path: &Path) -> io::Result<bool>;
    /// Lists the entries of a folder, in no particular order.
    fn list_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>>;
    /// Removes a file.
    fn remove_file(&self, path: &Path) -> io::Result<()>;
    /// Removes an empty folder (counted as a [`Op::Remove`]). The default is the real
    /// file system's, so test disks that predate it need not implement it.
    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        std::fs::remove_dir(path)
    }
    /// Opens `path` as a lock file, creating it (0600) if missing. Never truncates it, never
    /// follows a symbolic link (so it cannot create or open a file elsewhere), and refuses
    /// anything but a regular file (as an error carrying a [`Refused`]).
    fn open_lock_file(&self, path: &Path) -> io::Result<File>;
    /// Tries to take an exclusive lock on `file` without waiting: `Ok(false)` if another
    /// process (or another handle in this one) holds it.
    fn try_lock(&self, file: &File, path: &Path) -> io::Result<bool>;
}

/// The real file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealDisk;

impl Disk for RealDisk {
    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(path)
    }

    fn create_new(&self, path: &Path) -> io::Result<File> {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options.open(path)
    }

    fn write_all(&self, file: &mut File, _path: &Path, bytes: &[u8]) -> io::Result<()> {
        file.write_all(bytes)
    }

    fn sync_file(&self, file: &File, _path: &Path) -> io::Result<()> {
        file.sync_all()
    }

    /// Linux: `sync_file_range(SYNC_FILE_RANGE_WRITE)` starts writeback of the whole file
    /// and returns. Elsewhere there is no such call (Windows has only `FlushFileBuffers`,
    /// which waits; macOS only `F_FULLFSYNC`), so nothing is done and each `sync_file`
    /// flushes on its own, which is just as correct.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn start_sync(&self, file: &File, _path: &Path) {
        use std::os::fd::AsRawFd;
        // SAFETY: a valid open descriptor borrowed for the call; the call only reads it.
        #[allow(unsafe_code)]
        let _ =
            unsafe { libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE) };
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        #[cfg(windows)]
        return windows::rename_waiting_out_holds(from, to);
        #[cfg(not(windows))]
        std::fs::rename(from, to)
    }

    #[cfg(unix)]
    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        File::open(dir)?.sync_all()
    }

    /// A no-op on Windows, as in SQLite and the atomic-write-file crate: a folder cannot
    /// be opened as a `File` without extra flags, flushing one is not a documented way to
    /// make a rename durable, and NTFS journals renames itself (`MOVEFILE_WRITE_THROUGH`
    /// is not reachable from std, and only matters for moves across volumes). So a power
    /// cut just after a save can undo that rename on Windows: the previous version is
    /// then there, whole. FAT32 and exFAT sticks keep no journal: the README asks for
    /// Safely Remove.
    #[cfg(not(unix))]
    fn sync_dir(&self, _dir: &Path) -> io::Result<()> {
        Ok(())
    }

    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        read_checked(path, limit, false)
    }

    fn exists(&self, path: &Path) -> io::Result<bool> {
        path.try_exists()
    }

    fn list_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(path)? {
            let entry = entry?;
            // Names that are not UTF-8 cannot be ours (ours are hex); skip them.
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let is_dir = entry.file_type()?.is_dir();
            out.push(DirEntry { name, is_dir });
        }
        Ok(out)
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }

    fn open_lock_file(&self, path: &Path) -> io::Result<File> {
        match refuse_special(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            other => other?,
        }
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        no_wait(&mut options, false);
        let file = options.open(path).map_err(link_refused)?;
        check_regular(&file.metadata()?)?;
        Ok(file)
    }

    fn try_lock(&self, file: &File, _path: &Path) -> io::Result<bool> {
        match file.try_lock() {
            Ok(()) => Ok(true),
            Err(std::fs::TryLockError::WouldBlock) => Ok(false),
            Err(std::fs::TryLockError::Error(e)) => Err(e),
        }
    }
}

/// Windows may refuse to rename over (or from) a file that another handle holds open.
/// std renames with POSIX semantics where the file system has them (NTFS on Windows 10
/// 1607 and later): then only a handle without `FILE_SHARE_DELETE` blocks it. Elsewhere
/// (FAT32 and exFAT sticks, older Windows, Wine) any open handle does, even a reader's
/// in a second window of this program. And other programs hold files without sharing
/// delete: an editor, a backup or sync tool, above all a virus scanner opening the temp
/// file just written, or the search indexer. Those holds last milliseconds, so the rename
/// is tried again for about two seconds before the save is reported as failed (and then
/// retried by the screens). Git for Windows and npm's graceful-fs wait the same way.
#[cfg(windows)]
mod windows {
    use std::io;
    use std::path::Path;
    use std::time::Duration;

    /// `FILE_SHARE_READ`, for tests that hold a file open as another program might.
    #[cfg(test)]
    pub(super) const FILE_SHARE_READ: u32 = 0x1;

    /// ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: what a rename
    /// meets while another program holds one of the files.
    fn held_by_another(e: &io::Error) -> bool {
        matches!(e.raw_os_error(), Some(5 | 32 | 33))
    }

    pub(super) fn rename_waiting_out_holds(from: &Path, to: &Path) -> io::Result<()> {
        // 10, 20, 40, … 320 ms, then 320 ms steps: about 2 s in all.
        let mut wait = Duration::from_millis(10);
        let mut waited = Duration::ZERO;
        loop {
            match std::fs::rename(from, to) {
                Err(e) if held_by_another(&e) && waited < Duration::from_secs(2) => {
                    std::thread::sleep(wait);
                    waited += wait;
                    wait = (wait * 2).min(Duration::from_millis(320));
                }
                other => return other,
            }
        }
    }
}

/// Reads a regular file the user chose (a local questionnaire), following a symbolic link
/// to it but otherwise as [`Disk::read_limited`]: a FIFO, device or folder, or a file over
/// `limit`, is refused without reading.
pub fn read_chosen_file(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    read_checked(path, limit, true)
}

fn read_checked(path: &Path, limit: u64, follow_link: bool) -> io::Result<Vec<u8>> {
    let before = if follow_link {
        std::fs::metadata(path)?
    } else {
        std::fs::symlink_metadata(path)?
    };
    check_regular(&before)?;
    let mut options = OpenOptions::new();
    options.read(true);
    no_wait(&mut options, follow_link);
    let file = options.open(path).map_err(link_refused)?;
    let meta = file.metadata()?;
    check_regular(&meta)?;
    if meta.len() > limit {
        return Err(Refused::TooLarge {
            size: meta.len(),
            limit,
        }
        .into_io());
    }
    // The size is known and bounded; read at most one byte past the limit, in case the
    // file grows while it is read.
    let mut out = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut out)?;
    let read = out.len() as u64;
    if read > limit {
        return Err(Refused::TooLarge { size: read, limit }.into_io());
    }
    Ok(out)
}

/// What a file is, in words, if it is not a regular file.
fn special_kind(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_symlink() {
        return Some("a symbolic link");
    }
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

fn check_regular(meta: &Metadata) -> io::Result<()> {
    match special_kind(meta) {
        None => Ok(()),
        Some(kind) => Err(Refused::NotRegular(kind).into_io()),
    }
}

/// Before opening a lock file: what is at `path` itself (not following a link) must be a
/// regular file, so a FIFO or device is never even opened. Checked again on the open file
/// afterwards, in case it was swapped in between.
fn refuse_special(path: &Path) -> io::Result<()> {
    check_regular(&std::fs::symlink_metadata(path)?)
}

/// Opens a path without waiting and (unless `follow_link`) without following a symbolic
/// link at its end: on Unix `O_NONBLOCK` (a FIFO swapped in after the check opens at once
/// instead of waiting for a writer, and is then refused as not regular; on regular files
/// the flag changes nothing) and `O_NOFOLLOW` (a link fails with `ELOOP`). On Windows, where
/// a file cannot be a FIFO, `FILE_FLAG_OPEN_REPARSE_POINT` opens a link itself rather than
/// its target, which the check after opening then refuses.
fn no_wait(options: &mut OpenOptions, follow_link: bool) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let nofollow = if follow_link { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(nofollow | libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    #[cfg(windows)]
    if !follow_link {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;
        options.custom_flags(FILE_FLAG_OPEN_REPARSE_POINT);
    }
    #[cfg(not(any(unix, windows)))]
    let _ = (options, follow_link);
}

/// `ELOOP` from an `O_NOFOLLOW` open: a link put there after the check.
fn link_refused(e: io::Error) -> io::Error {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return Refused::NotRegular("a symbolic link").into_io();
    }
    e
}

macro_rules! forward_disk {
    ($($ty:ty),*) => {$(
        impl<D: Disk + ?Sized> Disk for $ty {
            fn create_dir_all(&self, path: &Path) -> io::Result<()> { (**self).create_dir_all(path) }
            fn create_new(&self, path: &Path) -> io::Result<File> { (**self).create_new(path) }
            fn write_all(&self, file: &mut File, path: &Path, bytes: &[u8]) -> io::Result<()> {
                (**self).write_all(file, path, bytes)
            }
            fn sync_file(&self, file: &File, path: &Path) -> io::Result<()> { (**self).sync_file(file, path) }
            fn start_sync(&self, file: &File, path: &Path) { (**self).start_sync(file, path) }
            fn rename(&self, from: &Path, to: &Path) -> io::Result<()> { (**self).rename(from, to) }
            fn sync_dir(&self, dir: &Path) -> io::Result<()> { (**self).sync_dir(dir) }
            fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
                (**self).read_limited(path, limit)
            }
            fn read(&self, path: &Path) -> io::Result<Vec<u8>> { (**self).read(path) }
            fn exists(&self, path: &Path) -> io::Result<bool> { (**self).exists(path) }
            fn list_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> { (**self).list_dir(path) }
            fn remove_file(&self, path: &Path) -> io::Result<()> { (**self).remove_file(path) }
            fn remove_dir(&self, path: &Path) -> io::Result<()> { (**self).remove_dir(path) }
            fn open_lock_file(&self, path: &Path) -> io::Result<File> { (**self).open_lock_file(path) }
            fn try_lock(&self, file: &File, path: &Path) -> io::Result<bool> { (**self).try_lock(file, path) }
        }
    )*};
}

forward_disk!(&D, std::sync::Arc<D>, Box<D>);

/// The folder a file lives in, for `fsync`ing after a rename. A bare file name lives in
/// the current folder.
pub(crate) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_disk_round_trip_and_modes() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let disk = RealDisk;
        let dir = tmp.path().join("a/b");
        disk.create_dir_all(&dir)?;
        let path = dir.join("f");
        let mut f = disk.create_new(&path)?;
        disk.write_all(&mut f, &path, b"hello")?;
        disk.sync_file(&f, &path)?;
        drop(f);
        assert!(
            disk.create_new(&path).is_err(),
            "create_new must not clobber"
        );
        assert_eq!(disk.read(&path)?, b"hello");
        disk.sync_dir(&dir)?;
        let names: Vec<_> = disk.list_dir(&dir)?.into_iter().map(|e| e.name).collect();
        assert_eq!(names, vec!["f".to_string()]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path)?.permissions().mode() & 0o777,
                0o600
            );
            assert_eq!(std::fs::metadata(&dir)?.permissions().mode() & 0o777, 0o700);
        }
        disk.remove_file(&path)?;
        assert!(!disk.exists(&path)?);
        Ok(())
    }

    #[test]
    fn second_lock_on_same_file_is_refused() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let disk = RealDisk;
        let path = tmp.path().join("x.lock");
        let a = disk.open_lock_file(&path)?;
        let b = disk.open_lock_file(&path)?;
        assert!(disk.try_lock(&a, &path)?);
        assert!(!disk.try_lock(&b, &path)?);
        drop(a);
        assert!(disk.try_lock(&b, &path)?);
        Ok(())
    }

    /// A second window reads the record (read-only) while the first saves it. Without
    /// POSIX rename semantics (FAT32 and exFAT sticks, older Windows, Wine) Windows
    /// refuses to replace a file that is open at all, even by a reader sharing delete as
    /// std's readers do: the save must wait out the read, not fail.
    #[test]
    fn rename_replaces_a_file_another_window_is_reading() -> io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let target = tmp.path().join("s.age");
        std::fs::write(&target, b"old")?;
        let reader = File::open(&target)?;
        let temp = tmp.path().join(".s.age.1.tmp");
        std::fs::write(&temp, b"new")?;
        let done_reading = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(reader);
        });
        RealDisk.rename(&temp, &target)?;
        done_reading
            .join()
            .map_err(|_| io::Error::other("reader thread"))?;
        assert_eq!(std::fs::read(&target)?, b"new");
        assert!(!temp.exists());
        Ok(())
    }

    /// Another program (an editor, a backup or sync tool, a virus scanner looking at the
    /// new file) may hold a record or the temp file open without FILE_SHARE_DELETE for a
    /// moment; Windows then refuses the rename. A short hold must not fail the save.
    #[test]
    #[cfg_attr(
        not(windows),
        ignore = "Windows share modes: elsewhere a rename never waits for other openers"
    )]
    fn rename_waits_out_a_brief_hold_by_another_program() -> io::Result<()> {
        #[cfg(windows)]
        for held_file in ["target", "temp"] {
            use std::os::windows::fs::OpenOptionsExt;
            let tmp = tempfile::tempdir()?;
            let target = tmp.path().join("s.age");
            std::fs::write(&target, b"old")?;
            let temp = tmp.path().join(".s.age.1.tmp");
            std::fs::write(&temp, b"new")?;
            let held = OpenOptions::new()
                .read(true)
                .share_mode(windows::FILE_SHARE_READ)
                .open(if held_file == "target" {
                    &target
                } else {
                    &temp
                })?;
            let release = std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(300));
                drop(held);
            });
            RealDisk.rename(&temp, &target)?;
            release
                .join()
                .map_err(|_| io::Error::other("release thread"))?;
            assert_eq!(std::fs::read(&target)?, b"new", "{held_file} held");
        }
        Ok(())
    }

    /// A hold that does not end is reported, and both files are left as they were.
    #[test]
    #[cfg_attr(
        not(windows),
        ignore = "Windows share modes: elsewhere a rename never waits for other openers"
    )]
    fn rename_held_off_for_good_fails_and_harms_nothing() -> io::Result<()> {
        #[cfg(windows)]
        {
            use std::os::windows::fs::OpenOptionsExt;
            let tmp = tempfile::tempdir()?;
            let target = tmp.path().join("s.age");
            std::fs::write(&target, b"old")?;
            let temp = tmp.path().join(".s.age.1.tmp");
            std::fs::write(&temp, b"new")?;
            let held = OpenOptions::new()
                .read(true)
                .share_mode(windows::FILE_SHARE_READ)
                .open(&target)?;
            let Err(e) = RealDisk.rename(&temp, &target) else {
                return Err(io::Error::other(
                    "renamed over a file held without share-delete",
                ));
            };
            assert_eq!(e.kind(), io::ErrorKind::PermissionDenied, "{e}");
            drop(held);
            assert_eq!(std::fs::read(&target)?, b"old");
            assert_eq!(std::fs::read(&temp)?, b"new");
        }
        Ok(())
    }

    #[test]
    fn parent_of_bare_name_is_current_dir() {
        assert_eq!(parent_dir(Path::new("x.age")), PathBuf::from("."));
        assert_eq!(parent_dir(Path::new("/a/x.age")), PathBuf::from("/a"));
    }
}
