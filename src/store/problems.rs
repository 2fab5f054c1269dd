//! What can go wrong opening files, and what a case looks like once opened.
//!
//! A problem names the file at fault and what is wrong in words a person can act on; it
//! never quotes plaintext. One bad file never stops the rest of a case from opening.

use std::fmt;
use std::io;
use std::path::PathBuf;

use zeroize::Zeroizing;

use super::crypto::DecryptProblem;
use super::ids::{CaseId, SittingId};
use super::limits::Refused;
use super::sealed::ManifestRead;
use crate::custody::verdict::{FileFacts, StatementFacts};

/// What is wrong with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The file is not there.
    Missing,
    /// It could not be read (permissions, I/O error).
    Unreadable(String),
    /// It was not read at all: not a regular file (a link, FIFO, device, folder), or over
    /// the size limit for its kind.
    Refused(Refused),
    /// It did not decrypt.
    Decrypt(DecryptProblem),
    /// It decrypted, but the payload is unusable (set by the session layer; must not
    /// quote the payload).
    Payload(String),
    /// It decrypted and parsed, but it is another folder's or file's record: copied or moved
    /// here from another case, or renamed. Says whose it is (ids only, never the payload).
    Misplaced(String),
}

/// A file that could not be opened: which one and why. The file was not modified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} could not be opened: {kind}. The file was left untouched", .path.display())]
pub struct FileProblem {
    /// The file at fault.
    pub path: PathBuf,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProblemKind::Missing => f.write_str("it is missing"),
            ProblemKind::Unreadable(why) => write!(f, "it could not be read ({why})"),
            ProblemKind::Refused(why) => why.fmt(f),
            ProblemKind::Decrypt(p) => p.fmt(f),
            ProblemKind::Payload(why) => write!(f, "its contents are unusable ({why})"),
            ProblemKind::Misplaced(why) => write!(
                f,
                "it is not this file's record ({why}); it was copied, moved or renamed here from elsewhere, so it is left out"
            ),
        }
    }
}

/// A folder that could not be listed.
#[derive(Debug, thiserror::Error)]
#[error("could not list {}: {source}. Check the data folder exists and is readable", .path.display())]
pub struct ListError {
    /// The folder.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: io::Error,
}

/// Plaintext of one file, or what is wrong with it.
pub type Opened = Result<Zeroizing<Vec<u8>>, FileProblem>;

/// Everything in a case folder, decrypted as far as possible.
#[derive(Debug)]
pub struct OpenedCase {
    /// The case.
    pub id: CaseId,
    /// The case file's plaintext, or its problem.
    pub case: Opened,
    /// Each sitting's plaintext or problem, sorted by sitting id.
    pub sittings: Vec<(SittingId, Opened)>,
    /// Every record file that could be read (`case.age`, `<id>.age`): its digest, and
    /// its detached signature where the manifest says another signer wrote it.
    pub files: Vec<FileFacts>,
    /// The case's signed statement, as found.
    pub manifest: ManifestRead,
}

impl OpenedCase {
    /// The statement as the verdict rules take it; `legacy`: a missing one is expected
    /// (the home has not finished upgrading to signatures).
    pub fn statement(&self, legacy: bool) -> StatementFacts {
        match &self.manifest {
            ManifestRead::Absent => StatementFacts::Absent { legacy },
            ManifestRead::Damaged(why) => StatementFacts::Damaged(why.clone()),
            ManifestRead::Valid(m) => StatementFacts::Valid(m.clone()),
        }
    }

    /// Every file that did not open.
    pub fn problems(&self) -> impl Iterator<Item = &FileProblem> {
        self.case
            .as_ref()
            .err()
            .into_iter()
            .chain(self.sittings.iter().filter_map(|(_, s)| s.as_ref().err()))
    }
}
