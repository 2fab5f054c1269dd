//! One writer per file: OS locks on separate, stable lock files.
//!
//! A save renames a new file over the data file, which gives it a new inode; a lock held on
//! the old data file would no longer exclude anyone. So each data file `X.age` has a
//! companion `X.lock` that is never renamed or deleted (deleting a lock file while another
//! process holds it would let a third one lock a fresh file). The OS drops the lock when
//! the holder exits or crashes, so a killed program never leaves a stale lock behind.
//!
//! Locks on network shares (NFS, SMB) are unreliable; [`looks_like_network_share`] lets the
//! caller warn the user.

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};

use super::disk::Disk;
use super::ids::{CaseId, SittingId};

/// An exclusive lock on a lock file, held until dropped.
#[derive(Debug)]
pub struct FileLock {
    /// Closing the file releases the OS lock.
    _file: File,
    path: PathBuf,
}

impl FileLock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Either the right to write, or a read-only view and the reason.
#[derive(Debug)]
pub enum Access<L> {
    /// This program holds the lock and may save.
    Write(L),
    /// Another holds it (or it could not be taken): read, but do not save.
    ReadOnly(ReadOnly),
}

/// The right to save one sitting; the lock is released when this is dropped.
#[derive(Debug)]
pub struct SittingLock {
    pub(crate) case: CaseId,
    pub(crate) sitting: SittingId,
    pub(crate) lock: FileLock,
    pub(crate) network_share: bool,
}

impl SittingLock {
    /// The case this sitting belongs to.
    pub fn case(&self) -> &CaseId {
        &self.case
    }
    /// The sitting.
    pub fn sitting(&self) -> &SittingId {
        &self.sitting
    }
    /// The lock file held.
    pub fn lock_file(&self) -> &Path {
        self.lock.path()
    }
    /// Whether the data folder looks like a network share (locks unreliable: warn).
    pub fn network_share(&self) -> bool {
        self.network_share
    }
}

/// The right to save one case file; the lock is released when this is dropped.
#[derive(Debug)]
pub struct CaseLock {
    pub(crate) case: CaseId,
    pub(crate) lock: FileLock,
    pub(crate) network_share: bool,
}

impl CaseLock {
    /// The case.
    pub fn case(&self) -> &CaseId {
        &self.case
    }
    /// The lock file held.
    pub fn lock_file(&self) -> &Path {
        self.lock.path()
    }
    /// Whether the data folder looks like a network share (locks unreliable: warn).
    pub fn network_share(&self) -> bool {
        self.network_share
    }
}

/// Why a file was opened read-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadOnlyReason {
    /// Another program (or window) holds the lock.
    HeldElsewhere,
    /// The lock file could not be opened or locked (read-only media, permissions, …).
    Unavailable(String),
    /// The file does not match what was last signed (or changed since it was read), so
    /// saving over it would sign what this program did not write.
    Unverified(String),
    /// Received from another home (who sent it): it stays as its author wrote and sealed
    /// it, so a change here could never be passed off as theirs.
    Received(String),
}

/// The outcome for a second opener: it may read, but must not save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOnly {
    /// The lock file that could not be taken.
    pub lock_file: PathBuf,
    /// Why.
    pub reason: ReadOnlyReason,
    /// Whether the data folder looks like a network share, where locks are unreliable.
    pub network_share: bool,
}

impl fmt::Display for ReadOnly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            ReadOnlyReason::HeldElsewhere => write!(
                f,
                "opened READ-ONLY: another companion window or program is writing this (lock {}). Close it there to edit here",
                self.lock_file.display()
            )?,
            ReadOnlyReason::Unavailable(why) => write!(
                f,
                "opened READ-ONLY: could not take the write lock {} ({why}). Check the data folder is writable",
                self.lock_file.display()
            )?,
            ReadOnlyReason::Unverified(why) => write!(
                f,
                "opened READ-ONLY: {why}. It is not saved over, so nothing in it gets signed as yours; run `companion verify` on the case"
            )?,
            ReadOnlyReason::Received(from) => write!(
                f,
                "opened READ-ONLY: it was received from {from} and stays as its author wrote and signed it"
            )?,
        }
        if self.network_share {
            write!(f, ". {NETWORK_SHARE_WARNING}")?;
        }
        Ok(())
    }
}

/// What to tell a person whose data folder is on a network share.
pub const NETWORK_SHARE_WARNING: &str = "The data folder looks like a network share: file locks there are unreliable, so make sure no one else opens the same case at the same time";

/// Tries to take the lock at `path` without waiting.
pub(crate) fn try_lock<D: Disk + ?Sized>(
    disk: &D,
    path: &Path,
    network_share: bool,
) -> Result<FileLock, ReadOnly> {
    let read_only = |reason| ReadOnly {
        lock_file: path.to_path_buf(),
        reason,
        network_share,
    };
    let file = disk
        .open_lock_file(path)
        .map_err(|e| read_only(ReadOnlyReason::Unavailable(e.to_string())))?;
    match disk.try_lock(&file, path) {
        Ok(true) => Ok(FileLock {
            _file: file,
            path: path.to_path_buf(),
        }),
        Ok(false) => Err(read_only(ReadOnlyReason::HeldElsewhere)),
        Err(e) => Err(read_only(ReadOnlyReason::Unavailable(e.to_string()))),
    }
}

/// Like [`try_lock`], keeping the I/O error as it is (for saves, whose errors say "disk
/// full" or "read-only"): `Ok(None)` if another holds the lock.
pub(crate) fn try_lock_io<D: Disk + ?Sized>(
    disk: &D,
    path: &Path,
) -> std::io::Result<Option<FileLock>> {
    let file = disk.open_lock_file(path)?;
    Ok(disk.try_lock(&file, path)?.then(|| FileLock {
        _file: file,
        path: path.to_path_buf(),
    }))
}

/// Whether `path` (which need not exist yet) looks like it lives on a network share.
///
/// - Windows: a UNC path (`\\server\share\…` or `\\?\UNC\…`). Mapped drive letters
///   (`Z:`) would need `GetDriveTypeW`, which needs unsafe FFI; not checked.
/// - Linux: the file-system type of the mount holding it, from `/proc/self/mountinfo`
///   (no unsafe `statfs` needed): nfs, cifs, smb, 9p, sshfs, ….
/// - Elsewhere: not checked (false).
pub fn looks_like_network_share(path: &Path) -> bool {
    let text = path.to_string_lossy();
    if is_unc(&text) {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        if let Some(fs) = linux::fs_type_of(path) {
            return is_network_fs_type(&fs);
        }
    }
    false
}

fn is_unc(text: &str) -> bool {
    let t = text.replace('/', "\\");
    if let Some(rest) = t.strip_prefix(r"\\?\") {
        return rest.len() >= 4 && rest[..4].eq_ignore_ascii_case(r"UNC\");
    }
    t.starts_with(r"\\") && !t.starts_with(r"\\.\")
}

/// File-system types whose locks cannot be trusted across machines.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub(crate) fn is_network_fs_type(fs: &str) -> bool {
    let base = fs.split('.').next().unwrap_or(fs);
    matches!(
        base,
        "nfs"
            | "nfs4"
            | "cifs"
            | "smb"
            | "smb2"
            | "smb3"
            | "smbfs"
            | "9p"
            | "afs"
            | "ceph"
            | "glusterfs"
            | "davfs"
            | "ncpfs"
    ) || fs == "fuse.sshfs"
        || fs == "fuse.rclone"
}

#[cfg(target_os = "linux")]
mod linux {
    use std::path::{Path, PathBuf};

    /// Undoes mountinfo's octal escapes (`\040` for a space).
    fn unescape(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'\\' && i + 4 <= b.len() {
                let digits = std::str::from_utf8(&b[i + 1..i + 4]).ok();
                if let Some(v) = digits.and_then(|d| u8::from_str_radix(d, 8).ok()) {
                    out.push(v);
                    i += 4;
                    continue;
                }
            }
            out.push(b[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// (mount point, fs type) pairs from mountinfo text.
    pub(super) fn parse_mountinfo(text: &str) -> Vec<(PathBuf, String)> {
        text.lines()
            .filter_map(|line| {
                let (left, right) = line.split_once(" - ")?;
                let mount_point = left.split(' ').nth(4)?;
                let fs = right.split(' ').next()?;
                Some((PathBuf::from(unescape(mount_point)), fs.to_string()))
            })
            .collect()
    }

    /// The nearest existing ancestor of `path`, made absolute with symlinks resolved.
    fn existing_ancestor(path: &Path) -> Option<PathBuf> {
        let mut p = std::path::absolute(path).ok()?;
        loop {
            if let Ok(c) = p.canonicalize() {
                return Some(c);
            }
            if !p.pop() {
                return None;
            }
        }
    }

    pub(super) fn fs_type_of(path: &Path) -> Option<String> {
        let target = existing_ancestor(path)?;
        let text = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
        // The longest mount point that is a prefix wins; later lines shadow earlier ones.
        parse_mountinfo(&text)
            .into_iter()
            .filter(|(mp, _)| target.starts_with(mp))
            .fold(None::<(PathBuf, String)>, |best, cur| match best {
                Some(b) if b.0.as_os_str().len() > cur.0.as_os_str().len() => Some(b),
                _ => Some(cur),
            })
            .map(|(_, fs)| fs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unc_paths_are_network() {
        assert!(is_unc(r"\\server\share\data"));
        assert!(is_unc(r"\\?\UNC\server\share"));
        assert!(!is_unc(r"\\?\C:\Users\x"));
        assert!(!is_unc(r"C:\Users\x"));
        assert!(!is_unc("/home/x"));
    }

    #[test]
    fn fs_types() {
        for fs in ["nfs", "nfs4", "cifs", "smb3", "fuse.sshfs", "9p"] {
            assert!(is_network_fs_type(fs), "{fs}");
        }
        for fs in ["ext4", "btrfs", "tmpfs", "vfat", "ntfs3", "fuse.portal"] {
            assert!(!is_network_fs_type(fs), "{fs}");
        }
    }

    #[test]
    #[cfg_attr(
        not(target_os = "linux"),
        ignore = "/proc/self/mountinfo is Linux's; elsewhere only UNC paths are checked"
    )]
    fn mountinfo_parsing_and_local_tmp() {
        #[cfg(target_os = "linux")]
        mountinfo_parsing_and_local_tmp_on_linux();
    }

    #[cfg(target_os = "linux")]
    fn mountinfo_parsing_and_local_tmp_on_linux() {
        let text = "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n\
                    40 22 0:50 / /mnt/my\\040share rw,relatime - cifs //srv/s rw\n";
        let m = linux::parse_mountinfo(text);
        assert_eq!(m[1].0, PathBuf::from("/mnt/my share"));
        assert_eq!(m[1].1, "cifs");
        // The temp folder of a build machine is local.
        assert!(!looks_like_network_share(
            &std::env::temp_dir().join("not-yet")
        ));
    }

    #[test]
    fn lock_is_exclusive_until_dropped() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let path = tmp.path().join("s.lock");
        let disk = super::super::disk::RealDisk;
        let first = try_lock(&disk, &path, false);
        assert!(first.is_ok());
        let second = try_lock(&disk, &path, false);
        let Err(ro) = second else {
            panic!("second lock was granted");
        };
        assert_eq!(ro.reason, ReadOnlyReason::HeldElsewhere);
        assert!(ro.to_string().contains("READ-ONLY"));
        drop(first);
        assert!(try_lock(&disk, &path, false).is_ok());
        Ok(())
    }
}
