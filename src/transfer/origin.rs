//! Where a received sitting came from and who wrote it, checked: its author's seal over
//! the exact plaintext held, against the receiver's trusted signers.

use std::fmt;

use crate::custody::signing::{SigProblem, SignerKey, verify_detached};
use crate::custody::verdict::{SignerName, Standing, Trusted};
use crate::session::ReceivedFile;

use super::AUTHOR_NAMESPACE;

/// A received sitting's provenance, as checked when its case was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file's id (`<file>.age`).
    pub file: String,
    /// The sitting id inside it.
    pub sitting: String,
    /// Who sent it here.
    pub from: String,
    pub at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// The held file it diverges from, if both were kept.
    pub conflicts_with: Option<String>,
    /// The author, as far as the seal proves it.
    pub author: Authorship,
}

/// What the author's seal says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorship {
    /// The seal holds, by a signer the receiver trusts.
    Trusted(SignerName),
    /// The seal holds, by a key the receiver does not trust (its fingerprint).
    Unknown(String),
    /// The seal does not hold over the file as it is now: why.
    Bad(String),
}

impl Origin {
    /// Whether the author's seal failed (the file changed after it was received).
    pub fn is_problem(&self) -> bool {
        matches!(self.author, Authorship::Bad(_))
    }
}

impl Authorship {
    /// How much the seal vouches for who wrote the sitting, on the same scale as a file's
    /// signature: a trusted author is vouched for, an unknown one is not (but nothing is
    /// altered), a seal that does not hold is a problem.
    pub fn standing(&self) -> Standing {
        match self {
            Authorship::Trusted(_) => Standing::Good,
            Authorship::Unknown(_) => Standing::Weak,
            Authorship::Bad(_) => Standing::Problem,
        }
    }
}

impl fmt::Display for Authorship {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Authorship::Trusted(name) => write!(f, "written and signed by {name} (trusted)"),
            Authorship::Unknown(fp) => write!(
                f,
                "written and signed by an UNKNOWN key {fp} (not among your trusted signers; `keys add-signer` if you trust them)"
            ),
            Authorship::Bad(why) => write!(f, "its author's signature does NOT hold: {why}"),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; received from {}", self.author, self.from)?;
        if let Some(at) = self.at {
            write!(f, " on {}", at.format("%Y-%m-%d %H:%M"))?;
        }
        if let Some(other) = &self.conflicts_with {
            write!(
                f,
                "; CONFLICT: diverges from the version in {other}.age, both kept"
            )?;
        }
        Ok(())
    }
}

/// Who the seal says wrote `plaintext`, or why it does not hold.
pub fn authorship(author: &str, seal: &str, plaintext: &[u8]) -> Result<SignerKey, SigProblem> {
    let claimed = SignerKey::parse(author).map_err(SigProblem::Malformed)?;
    let signer = verify_detached(AUTHOR_NAMESPACE, plaintext, seal)?;
    if signer != claimed {
        return Err(SigProblem::Malformed(
            "it was made by another key than the author named".to_string(),
        ));
    }
    Ok(signer)
}

/// Names a checked author for a person.
pub fn name_author(key: &SignerKey, trusted: &Trusted) -> Authorship {
    match trusted.name_of(key) {
        Some(name) => Authorship::Trusted(name),
        None => Authorship::Unknown(key.fingerprint()),
    }
}

/// Checks a received file's seal over the plaintext now held.
pub fn check(entry: &ReceivedFile, plaintext: &[u8], trusted: &Trusted) -> Origin {
    let author = match authorship(&entry.author, &entry.seal, plaintext) {
        Ok(key) => name_author(&key, trusted),
        Err(SigProblem::Mismatch) => Authorship::Bad(
            "the file no longer holds what its author signed: it was changed after it was received"
                .to_string(),
        ),
        Err(e) => Authorship::Bad(e.to_string()),
    };
    Origin {
        file: entry.file.clone(),
        sitting: entry.sitting.clone(),
        from: entry.from.clone(),
        at: entry.at,
        conflicts_with: entry.conflicts_with.clone(),
        author,
    }
}
