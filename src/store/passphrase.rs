//! Getting the passphrase from a person (or, for automation and tests only, a file).
//!
//! The passphrase is read from the terminal without echo (`rpassword`, which talks to the
//! controlling TTY, not stdin), or from the file named by [`PASSPHRASE_FILE_ENV`] — never
//! from a command-line argument, which other users can see in the process list and which
//! lands in shell history. It lives in a [`SecretString`] (wiped on drop) from the moment
//! it is read, kept out of swap ([`RamSecret`]); intermediate buffers are wiped too.

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use age::secrecy::{ExposeSecret, SecretString};
use zeroize::{Zeroize, Zeroizing};

use super::disk::Disk;
use super::keys::{KeyError, UnlockedIdentity, unlock};
use super::limits::{PASSPHRASE_FILE_LIMIT, Refused};
use super::memlock::RamSecret;
use crate::paths::Paths;

/// For automation and tests only: the path of a file whose first line is the passphrase.
/// Anyone who can read that file can open every record; do not use it on a real laptop.
pub const PASSPHRASE_FILE_ENV: &str = "COMPANION_PASSPHRASE_FILE";

/// How many times a person may retype a wrong passphrase in one go.
pub const UNLOCK_TRIES: usize = 3;

/// Why no passphrase could be had.
#[derive(Debug, thiserror::Error)]
pub enum PassphraseError {
    /// The passphrase file could not be read.
    #[error("could not read the passphrase file {} (named by {PASSPHRASE_FILE_ENV}): {source}", .path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The passphrase file's first line is empty or not text.
    #[error("the passphrase file {} (named by {PASSPHRASE_FILE_ENV}) has no passphrase on its first line", .0.display())]
    EmptyFile(PathBuf),
    /// The terminal could not be used.
    #[error(
        "could not read a passphrase from the terminal: {0}. Run this in a terminal (for scripts, set {PASSPHRASE_FILE_ENV})"
    )]
    Tty(#[source] std::io::Error),
    /// The two entries differ.
    #[error("the two passphrases differ; nothing was created. Run the command again")]
    Mismatch,
    /// Nothing was typed.
    #[error("the passphrase is empty; choose a passphrase of several words")]
    Empty,
    /// A new passphrase is too easy to guess.
    #[error("{0} Nothing was created.")]
    Weak(#[from] super::strength::Weak),
    /// No passphrase could be made.
    #[error(transparent)]
    NoRandom(#[from] super::strength::NoRandom),
}

/// Copies `s` into a `SecretString` without leaving an unwiped spare copy, then wipes `s`.
fn into_secret(mut s: String) -> RamSecret {
    // Exact capacity, so turning it into a boxed str inside SecretString does not
    // reallocate (which would leave the old buffer unwiped).
    let mut exact = String::with_capacity(s.len());
    exact.push_str(&s);
    s.zeroize();
    RamSecret::new(SecretString::from(exact))
}

/// Reads the passphrase from the first line of `path` (trailing newline stripped). At most
/// [`PASSPHRASE_FILE_LIMIT`] bytes are read. Unlike records, the file may be a pipe
/// (`COMPANION_PASSPHRASE_FILE=<(pass show …)` keeps the passphrase off the disk), so it
/// is opened as named, waiting for the writer.
pub fn passphrase_from_file(path: &Path) -> Result<RamSecret, PassphraseError> {
    let failed = |source| PassphraseError::File {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(failed)?;
    // Room for the whole limit up front: growing the buffer would leave unwiped copies.
    let room = usize::try_from(PASSPHRASE_FILE_LIMIT).unwrap_or(usize::MAX);
    let mut bytes = Zeroizing::new(Vec::with_capacity(room.saturating_add(1)));
    (&mut file)
        .take(PASSPHRASE_FILE_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    if bytes.len() as u64 > PASSPHRASE_FILE_LIMIT {
        // A pipe has no size; a file says how large it really is.
        let size = file
            .metadata()
            .map_or(0, |m| m.len())
            .max(bytes.len() as u64);
        return Err(failed(
            Refused::TooLarge {
                size,
                limit: PASSPHRASE_FILE_LIMIT,
            }
            .into_io(),
        ));
    }
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let first = first.strip_suffix(b"\r").unwrap_or(first);
    let text = std::str::from_utf8(first).map_err(|_| PassphraseError::EmptyFile(path.into()))?;
    if text.is_empty() {
        return Err(PassphraseError::EmptyFile(path.to_path_buf()));
    }
    let mut exact = String::with_capacity(text.len());
    exact.push_str(text);
    Ok(RamSecret::new(SecretString::from(exact)))
}

/// A line for the person on standard error, best effort: `eprintln!` panics when standard
/// error is closed (`companion … 2>&-`, or `2>&1 | head` after the reader left), which
/// turned a warning into "internal error", exit 101. If it cannot be written, there is
/// nowhere left to say so.
fn tell(args: fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr().lock(), "{args}");
}

/// The passphrase from the file named by [`PASSPHRASE_FILE_ENV`], if that is set. Warns
/// (on standard error) when other users can read the file.
pub fn passphrase_from_env() -> Result<Option<RamSecret>, PassphraseError> {
    match std::env::var_os(PASSPHRASE_FILE_ENV) {
        Some(p) if !p.is_empty() => {
            let path = Path::new(&p);
            if let Some(warning) = readable_by_others(path) {
                tell(format_args!("warning: {warning}"));
            }
            passphrase_from_file(path).map(Some)
        }
        _ => Ok(None),
    }
}

/// Whether users other than the owner can read the passphrase file, in words: on Unix from
/// its mode (group or other read bit). On Windows nothing is said: a file's readers are set
/// by its ACL, which std does not expose; a file inside the user's own profile folder is
/// readable only by that user (and administrators) by default.
pub fn readable_by_others(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o044 != 0).then(|| {
            format!(
                "the passphrase file {} ({PASSPHRASE_FILE_ENV}) can be read by other users (mode {mode:03o}), and whoever reads it can open every record. Make it private (chmod 600 {}), or give the passphrase through a pipe",
                path.display(),
                path.display()
            )
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Asks once on the terminal, without echo.
pub fn prompt_passphrase(prompt: &str) -> Result<RamSecret, PassphraseError> {
    let p = rpassword::prompt_password(prompt).map_err(PassphraseError::Tty)?;
    if p.is_empty() {
        return Err(PassphraseError::Empty);
    }
    Ok(into_secret(p))
}

/// For `init`: a new passphrase, strong enough ([`super::strength::check`]). From the env
/// file if set (a weak one is an error); else asked on the terminal: typed twice (a weak
/// one is refused with the reason, and asked again, up to [`UNLOCK_TRIES`] times), or, if
/// nothing is typed, made for you ([`super::strength::generate`]) and shown once to be
/// written down, then typed back once to show it was.
pub fn new_passphrase() -> Result<RamSecret, PassphraseError> {
    if let Some(p) = passphrase_from_env()? {
        super::strength::check(&p)?;
        return Ok(p);
    }
    let mut tries = 0;
    loop {
        tries += 1;
        let first = match rpassword::prompt_password(
            "New passphrase (not shown; several unrelated words; or press Enter and one is made for you): ",
        ) {
            Ok(p) if p.is_empty() => return generated_passphrase(),
            Ok(p) => into_secret(p),
            Err(e) => return Err(PassphraseError::Tty(e)),
        };
        match super::strength::check(&first) {
            Ok(()) => {}
            Err(weak) if tries < UNLOCK_TRIES => {
                tell(format_args!("Not used: {weak} Try again."));
                continue;
            }
            Err(weak) => return Err(weak.into()),
        }
        let second = prompt_passphrase("Same passphrase again: ")?;
        if first.expose_secret() != second.expose_secret() {
            return Err(PassphraseError::Mismatch);
        }
        return Ok(first);
    }
}

/// Makes a passphrase, shows it once on the terminal and asks for it back, so it is known
/// to have been written down (or remembered) before anything is encrypted with it.
fn generated_passphrase() -> Result<RamSecret, PassphraseError> {
    let made = RamSecret::new(super::strength::generate()?);
    tell(format_args!(
        "Your new passphrase ({} random words). Write it down now and keep it somewhere safe; it is not shown again:\n\n    {}\n",
        super::strength::GENERATED_WORDS,
        made.expose_secret()
    ));
    let back = prompt_passphrase("Type it to confirm: ")?;
    if back.expose_secret() != made.expose_secret() {
        return Err(PassphraseError::Mismatch);
    }
    Ok(made)
}

/// Why an interactive unlock gave up.
#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    /// No passphrase could be read.
    #[error(transparent)]
    Passphrase(#[from] PassphraseError),
    /// The identity could not be unlocked (after the allowed tries, for a wrong passphrase).
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// Unlocks the identity for a command-line run: with the env file's passphrase (one try),
/// or by asking on the terminal, up to [`UNLOCK_TRIES`] times for a wrong passphrase.
/// Each try costs one scrypt (≈1 s); nothing is written.
pub fn unlock_interactive<D: Disk + ?Sized>(
    disk: &D,
    paths: &Paths,
) -> Result<UnlockedIdentity, UnlockError> {
    // Fail early, without asking, when there is nothing to unlock.
    let id_path = paths.identity_file();
    if !disk.exists(&id_path).unwrap_or(true) {
        return Err(KeyError::NoIdentity(id_path).into());
    }
    if let Some(p) = passphrase_from_env()? {
        return Ok(unlock(disk, paths, &p)?);
    }
    let mut tries = 0;
    loop {
        tries += 1;
        let p = prompt_passphrase("Passphrase: ")?;
        match unlock(disk, paths, &p) {
            Err(KeyError::WrongPassphrase(path)) if tries < UNLOCK_TRIES => {
                tell(format_args!(
                    "Wrong passphrase for {}; try again.",
                    path.display()
                ));
            }
            other => return Ok(other?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_first_line_without_newline() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let path = tmp.path().join("pp");
        std::fs::write(&path, "correct horse\r\nsecond line\n")?;
        assert_eq!(
            passphrase_from_file(&path)?.expose_secret(),
            "correct horse"
        );
        std::fs::write(&path, "no newline")?;
        assert_eq!(passphrase_from_file(&path)?.expose_secret(), "no newline");
        std::fs::write(&path, "\nlater")?;
        assert!(matches!(
            passphrase_from_file(&path),
            Err(PassphraseError::EmptyFile(_))
        ));
        assert!(matches!(
            passphrase_from_file(&tmp.path().join("missing")),
            Err(PassphraseError::File { .. })
        ));
        Ok(())
    }
}
