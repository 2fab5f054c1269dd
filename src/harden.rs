//! Process hardening: no core dumps.
//!
//! A core dump would write the unlocked key and answer text to disk in plaintext. So, as
//! KeePassXC does, we set `RLIMIT_CORE` to 0 (no core file) and, on Linux, mark the process
//! non-dumpable (`PR_SET_DUMPABLE` 0), which also stops other processes of the same user
//! from attaching a debugger or reading `/proc/<pid>/mem`. The few `unsafe` FFI calls of
//! the crate live here and nowhere else. Elsewhere (Windows) this is a no-op: Windows Error
//! Reporting dumps are a system policy the program cannot switch off without admin rights.

use std::io::{self, Write};

/// A hardening step that did not take effect.
#[derive(Debug, thiserror::Error)]
pub enum HardenError {
    /// `setrlimit(RLIMIT_CORE, 0)` failed.
    #[error("could not disable core dumps (setrlimit): {0}")]
    CoreLimit(#[source] io::Error),
    /// `prctl(PR_SET_DUMPABLE, 0)` failed.
    #[error("could not mark the process non-dumpable (prctl): {0}")]
    Dumpable(#[source] io::Error),
}

/// Disables core dumps for this process; warns on stderr if that fails, and carries on
/// (refusing to run would not protect anyone's records). Call first thing in `main`.
pub fn harden_process() {
    if let Err(e) = try_harden_process() {
        // Best effort, like every message here: a closed stderr must not panic.
        let _ = writeln!(
            io::stderr(),
            "warning: {e}; a crash could write memory (including answers) to disk"
        );
    }
}

/// Replaces the default panic message, which quotes the panic's payload (a bad slice of an
/// answer quotes the answer; an `expect` quotes its error), with one that says only where it
/// happened. Call first thing in `main`, for every command; the interview screens put their
/// own hook on top, which also restores the terminal.
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "unknown place".into());
        // Not eprintln!: with stderr closed it would panic inside the hook and abort.
        let _ = writeln!(
            io::stderr(),
            "companion stopped on an internal error at {place}. Please report this (the message holds no answers)."
        );
    }));
}

/// Like [`harden_process`], but returns what failed.
pub fn try_harden_process() -> Result<(), HardenError> {
    #[cfg(unix)]
    unix::no_core_dumps()?;
    #[cfg(target_os = "linux")]
    linux::not_dumpable()?;
    Ok(())
}

#[cfg(unix)]
mod unix {
    use super::HardenError;

    #[allow(unsafe_code)]
    pub(super) fn no_core_dumps() -> Result<(), HardenError> {
        let zero = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit reads a valid, initialised rlimit struct we own; no aliasing.
        let rc = unsafe { libc::setrlimit(libc::RLIMIT_CORE, &zero) };
        if rc == 0 {
            Ok(())
        } else {
            Err(HardenError::CoreLimit(std::io::Error::last_os_error()))
        }
    }

    /// The current (soft, hard) core-file size limits, for tests.
    #[allow(unsafe_code)]
    pub fn core_limit() -> std::io::Result<(u64, u64)> {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes into a valid rlimit struct we own.
        let rc = unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut lim) };
        if rc == 0 {
            #[allow(clippy::unnecessary_cast)]
            Ok((lim.rlim_cur as u64, lim.rlim_max as u64))
        } else {
            Err(std::io::Error::last_os_error())
        }
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use super::HardenError;

    #[allow(unsafe_code)]
    pub(super) fn not_dumpable() -> Result<(), HardenError> {
        // SAFETY: PR_SET_DUMPABLE takes plain integer arguments; no memory is passed.
        let rc = unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) };
        if rc == 0 {
            Ok(())
        } else {
            Err(HardenError::Dumpable(std::io::Error::last_os_error()))
        }
    }

    /// Whether the process is dumpable, for tests.
    #[allow(unsafe_code)]
    pub fn is_dumpable() -> std::io::Result<bool> {
        // SAFETY: PR_GET_DUMPABLE takes no pointers and returns 0 or 1.
        let rc = unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) };
        if rc < 0 {
            Err(std::io::Error::last_os_error())
        } else {
            Ok(rc == 1)
        }
    }
}

/// Read-back of the hardening state, for tests (run them in their own process: hardening
/// cannot be undone).
pub mod probe {
    /// (soft, hard) core-file size limits.
    #[cfg(unix)]
    pub fn core_limit() -> std::io::Result<(u64, u64)> {
        super::unix::core_limit()
    }

    /// Whether the process may be dumped or ptraced by its user.
    #[cfg(target_os = "linux")]
    pub fn is_dumpable() -> std::io::Result<bool> {
        super::linux::is_dumpable()
    }
}
