//! How large each kind of file may be before it is read, and what is refused instead.
//!
//! Every file the program reads is opened as a regular file only (never through a symbolic
//! link, never a FIFO, device or folder) and its size is checked against the limit for its
//! kind *before* a byte is read, so a hostile or broken data folder can neither hang the
//! program (a FIFO waits for a writer for ever) nor exhaust memory (a 3 GiB sparse file, a
//! link to `/dev/zero`). The limits are far above what the program ever writes, and saves
//! refuse to write past them, so a record that was saved can always be read back. They are
//! documented in `docs/record-format.md`.

use std::fmt;
use std::io;

const MIB: u64 = 1024 * 1024;

/// A sitting file (ciphertext). A sitting of the largest standard questionnaire with every
/// answer changed a few times is tens of KiB; the 1 MiB note pasted in the reliability tests
/// makes one of about 1 MiB. 64 MiB leaves room for sixty such pastes and keeps the worst
/// case (file, plaintext, parsed events) to a few hundred MB of memory.
pub const SITTING_FILE_LIMIT: u64 = 64 * MIB;
/// A case file (ciphertext): a reference and a few labels, well under 1 KiB.
pub const CASE_FILE_LIMIT: u64 = MIB;
/// The identity file: one age-keygen key under scrypt, about 400 bytes (armored: 600).
pub const IDENTITY_FILE_LIMIT: u64 = 64 * 1024;
/// The recipients file: 63 bytes per recipient and comments; 1 MiB is over 15,000 lines.
pub const RECIPIENTS_FILE_LIMIT: u64 = MIB;
/// The passphrase file (`COMPANION_PASSPHRASE_FILE`): only its first line is used.
pub const PASSPHRASE_FILE_LIMIT: u64 = 64 * 1024;
/// A file read without a more specific limit: the largest of the record limits.
pub const ANY_FILE_LIMIT: u64 = SITTING_FILE_LIMIT;

/// Why a file was refused without being read. Carried inside an [`io::Error`] (so the
/// [`super::Disk`] trait keeps one error type) and found again with [`Refused::of`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Not a regular file: a symbolic link, a FIFO, a device, a socket or a folder.
    NotRegular(&'static str),
    /// Larger than the limit for its kind.
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
}

impl Refused {
    /// The refusal inside an error made by [`Refused::into_io`], if it is one.
    pub fn of(e: &io::Error) -> Option<&Refused> {
        e.get_ref()?.downcast_ref::<Refused>()
    }

    /// As an I/O error of a fitting kind.
    pub fn into_io(self) -> io::Error {
        let kind = match self {
            Refused::NotRegular(_) => io::ErrorKind::InvalidInput,
            Refused::TooLarge { .. } => io::ErrorKind::FileTooLarge,
        };
        io::Error::new(kind, self)
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::NotRegular(what) => write!(
                f,
                "it is not a regular file but {what}; only regular files are read"
            ),
            Refused::TooLarge { size, limit } => write!(
                f,
                "it is too large: {size} bytes, limit {limit}; it was not read"
            ),
        }
    }
}

impl std::error::Error for Refused {}
