//! Warnings about folders and files others could change (Unix): the config folder, the
//! data folder, and the files in them.
//!
//! A recipients file or a record in a folder that others can write can be replaced by
//! them. Signatures detect changed records and the trust file detects changed recipients,
//! but the person should know, at start, that the folder is not private. On Windows (and
//! FAT, which has no modes) there is nothing to check here; README says what that means.

use crate::paths::Paths;

/// One sentence per folder or file writable by group or others, or owned by someone
/// else. Empty on platforms without Unix modes.
pub fn warnings(paths: &Paths) -> Vec<String> {
    #[cfg(unix)]
    {
        unix::warnings(paths)
    }
    #[cfg(not(unix))]
    {
        let _ = paths;
        Vec::new()
    }
}

#[cfg(unix)]
mod unix {
    use std::os::unix::fs::MetadataExt;
    use std::path::Path;

    use crate::paths::Paths;

    /// Files checked per folder at most (a case folder holds a few dozen).
    const MAX_PER_DIR: usize = 10_000;

    fn check(path: &Path, uid: u32, out: &mut Vec<String>) {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return;
        };
        let mode = meta.mode();
        if meta.uid() != uid {
            out.push(format!(
                "{} is owned by another user (uid {}): they can change it",
                path.display(),
                meta.uid()
            ));
        } else if mode & 0o022 != 0 && !meta.file_type().is_symlink() {
            out.push(format!(
                "{} can be changed by other users (mode {:o}); run `chmod go-w {}`",
                path.display(),
                mode & 0o777,
                path.display()
            ));
        }
    }

    fn walk(dir: &Path, depth: usize, uid: u32, out: &mut Vec<String>) {
        check(dir, uid, out);
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten().take(MAX_PER_DIR) {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() && depth > 0 => walk(&path, depth - 1, uid, out),
                Ok(t) if t.is_dir() => check(&path, uid, out),
                Ok(_) => check(&path, uid, out),
                Err(_) => {}
            }
        }
    }

    pub(super) fn warnings(paths: &Paths) -> Vec<String> {
        // The user to expect. std has no getuid (and libc's is unsafe FFI): /proc/self
        // belongs to this process's user on Linux; elsewhere the home folder's owner.
        let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
        let uid = std::fs::metadata("/proc/self")
            .ok()
            .or_else(|| home.and_then(|h| std::fs::metadata(h).ok()))
            .map(|m| m.uid());
        let Some(uid) = uid else {
            return Vec::new();
        };
        let mut out = Vec::new();
        walk(&paths.config, 0, uid, &mut out);
        walk(&paths.data, 2, uid, &mut out);
        out.truncate(20);
        out
    }
}
