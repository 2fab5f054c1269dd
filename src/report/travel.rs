//! Where the case's sittings came from and its chain of custody, as a report shows them.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::custody::signing::SignerKey;
use crate::custody::verdict::Trusted;
use crate::records::CaseRecord;
use crate::session::CustodyKind;

use super::Report;

/// One send or receive of the case (report format 4).
#[derive(Debug, Clone, Serialize)]
pub struct TransferRow {
    /// `sent` or `received`.
    pub kind: &'static str,
    pub at: DateTime<FixedOffset>,
    /// The transfer's id (its list's `transfer` line).
    pub transfer: String,
    /// SHA-256 of the transfer file.
    pub file_sha256: String,
    /// To or from whom.
    pub peer: Vec<String>,
    /// The sitting ids sent, or received and kept.
    pub sittings: Vec<String>,
    /// Who recorded it: `you`, a trusted signer's name, or a key's fingerprint.
    pub recorded_by: String,
}

impl TransferRow {
    /// "2026-12-02 10:00 Received from", as the Markdown and HTML lists begin.
    pub fn heading(&self) -> String {
        format!(
            "{} {}",
            self.at.format("%Y-%m-%d %H:%M"),
            if self.kind == "sent" {
                "Sent to"
            } else {
                "Received from"
            }
        )
    }
}

impl Report {
    /// The report with each received sitting's origin and the case's custody events.
    pub fn with_travel(mut self, record: &CaseRecord, trusted: &Trusted) -> Report {
        // `build` keeps the order of the sittings it was given: `record.sittings`, whose
        // files are `record.files`.
        for (s, file) in self.sittings.iter_mut().zip(&record.files) {
            s.origin = record
                .origins
                .iter()
                .find(|o| o.file == *file && o.sitting == s.id)
                .map(ToString::to_string);
        }
        let Some(case) = &record.case else {
            return self;
        };
        self.transfers = case
            .travel
            .custody
            .iter()
            .map(|e| TransferRow {
                kind: match e.kind {
                    CustodyKind::Sent => "sent",
                    CustodyKind::Received => "received",
                },
                at: e.at,
                transfer: e.transfer.clone(),
                file_sha256: e.file_sha256.clone(),
                peer: e.peer.clone(),
                sittings: e.sittings.clone(),
                recorded_by: SignerKey::parse(&e.recorded_by).ok().map_or_else(
                    || "an unreadable key".to_string(),
                    |k| {
                        trusted
                            .name_of(&k)
                            .map_or_else(|| k.fingerprint(), |n| n.to_string())
                    },
                ),
            })
            .collect();
        self
    }
}
