//! What a case file remembers of its travels (case file format 2): the cases joined into
//! it, the sittings that came from elsewhere with their authors' seals, and its chain of
//! custody (every send and receive). Pure data; the rules are in `crate::transfer`.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// The `[case.travel]` table. Empty (and then not written, so the file stays format 1)
/// for a case that never travelled.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Travel {
    /// Ids of other cases whose sittings were received into this one (the same family's
    /// case, made on another laptop): their sittings carry that id as `case_id`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joined: Vec<String>,
    /// Sitting files written by someone else, with their author's seal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub received: Vec<ReceivedFile>,
    /// Every send and receive, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custody: Vec<CustodyEvent>,
}

impl Travel {
    pub fn is_empty(&self) -> bool {
        self.joined.is_empty() && self.received.is_empty() && self.custody.is_empty()
    }

    /// The entry for sitting file `file` (`<id>` without `.age`), if it was received.
    pub fn received_file(&self, file: &str) -> Option<&ReceivedFile> {
        self.received.iter().find(|r| r.file == file)
    }

    /// Whether the transfer `id` was already received into this case.
    pub fn has_received(&self, transfer: &str) -> Option<&CustodyEvent> {
        self.custody
            .iter()
            .find(|e| e.kind == CustodyKind::Received && e.transfer == transfer)
    }
}

/// One sitting file whose author is not this home's user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceivedFile {
    /// The file's id (`<file>.age`): the sitting's own id, or a new one when the sitting
    /// conflicts with a version already held.
    pub file: String,
    /// The sitting id inside the file.
    pub sitting: String,
    /// The author's signing key (`ssh-ed25519 AAAA…`).
    pub author: String,
    /// The author's SSH signature (namespace `interview-companion-author@v1`) over the
    /// file's exact plaintext. Kept only inside this encrypted file: a signature over the
    /// plaintext lets anyone holding a guess check it, as a plaintext digest would.
    pub seal: String,
    /// Who sent it here (a name, or the sender's key when not trusted).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub from: String,
    /// When it was received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<FixedOffset>>,
    /// The held file it diverges from, when both were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflicts_with: Option<String>,
}

/// Sent or received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustodyKind {
    Sent,
    Received,
}

/// One send or receive of the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustodyEvent {
    pub kind: CustodyKind,
    pub at: DateTime<FixedOffset>,
    /// The transfer's random id (the `transfer` line of its list).
    pub transfer: String,
    /// SHA-256 of the transfer file, as `sha256sum` prints it.
    pub file_sha256: String,
    /// To whom (recipients, by name where known) or from whom (the sender).
    pub peer: Vec<String>,
    /// The sitting ids sent, or received and kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sittings: Vec<String>,
    /// Who recorded it (a signer key): events recorded in another home arrive with the
    /// case and say so.
    pub recorded_by: String,
}
