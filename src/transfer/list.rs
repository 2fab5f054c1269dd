//! The transfer list, `transfer.txt`: what a transfer file holds, signed by its sender.
//!
//! ```text
//! interview-companion transfer 1
//! transfer 5b0c…32 hex…            random: tells one sending from another (replays)
//! case 0a1b…32 hex…                the sender's case id
//! sent 2026-12-02T10:00:00Z
//! sender ssh-ed25519 AAAA…         who signed this list
//! to age1…                         every recipient the records are encrypted to
//! 3f0c…64 hex…  case.age           SHA-256 of each file's ciphertext, as sha256sum prints
//! 9a41…64 hex…  9f2c…32 hex….age
//! -----BEGIN SSH SIGNATURE-----    namespace interview-companion-transfer@v1
//! ```
//!
//! Ids, public keys and digests of ciphertext only: never a name, a reference, or a digest
//! of plaintext (which would let anyone holding the file confirm a guessed record).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::custody::manifest::{Digest, is_record_name};
use crate::custody::signing::SignerKey;

/// The list's name inside the transfer file.
pub const LIST_FILE: &str = "transfer.txt";
/// The format version written (and the highest read).
pub const LIST_VERSION: u32 = 1;
const HEADER: &str = "interview-companion transfer";

/// A transfer list's content (the part before its signature).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferList {
    /// Random, 32 hex digits.
    pub transfer: String,
    /// The sender's case id.
    pub case: String,
    pub sent: DateTime<Utc>,
    pub sender: SignerKey,
    /// The age recipients every record is encrypted to, as given.
    pub to: Vec<String>,
    /// Each file's ciphertext digest, by name.
    pub files: BTreeMap<String, Digest>,
}

impl TransferList {
    /// The text that is signed. Ends with a newline.
    pub fn body(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = writeln!(out, "{HEADER} {LIST_VERSION}");
        let _ = writeln!(out, "transfer {}", self.transfer);
        let _ = writeln!(out, "case {}", self.case);
        let _ = writeln!(
            out,
            "sent {}",
            self.sent.to_rfc3339_opts(SecondsFormat::Secs, true)
        );
        let _ = writeln!(out, "sender {}", self.sender);
        for to in &self.to {
            let _ = writeln!(out, "to {to}");
        }
        for (name, d) in &self.files {
            let _ = writeln!(out, "{d}  {name}");
        }
        out
    }

    /// Parses a list's body; errors name the line.
    pub fn parse(body: &str) -> Result<TransferList, String> {
        let mut lines = body.lines().enumerate().map(|(i, l)| (i + 1, l));
        let first = lines.next().map(|(_, l)| l).unwrap_or_default();
        let version = first
            .strip_prefix(HEADER)
            .and_then(|v| v.strip_prefix(' '))
            .and_then(|v| v.parse::<u32>().ok())
            .ok_or("its first line is not the transfer list header")?;
        if version == 0 || version > LIST_VERSION {
            return Err(format!(
                "it is transfer format {version}; this program reads up to {LIST_VERSION}"
            ));
        }
        let (mut transfer, mut case, mut sent, mut sender) = (None, None, None, None);
        let mut to = Vec::new();
        let mut files = BTreeMap::new();
        for (n, line) in lines {
            let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
            let bad = |what: &str| format!("line {n}: {what}");
            match word {
                "transfer" if is_id(rest) => transfer = Some(rest.to_string()),
                "case" if is_id(rest) => case = Some(rest.to_string()),
                "sent" => {
                    sent = Some(
                        DateTime::parse_from_rfc3339(rest)
                            .map_err(|_| bad("sent is not an RFC 3339 time"))?
                            .with_timezone(&Utc),
                    )
                }
                "sender" => sender = Some(SignerKey::parse(rest).map_err(|e| bad(&e))?),
                "to" if rest.starts_with("age1") => to.push(rest.to_string()),
                _ => {
                    let (hex, name) = line
                        .split_once("  ")
                        .ok_or_else(|| bad("not a line of a transfer list"))?;
                    let d = Digest::parse(hex).ok_or_else(|| bad("not a SHA-256 checksum"))?;
                    if !is_record_name(name) {
                        return Err(bad("not a record's file name"));
                    }
                    if files.insert(name.to_string(), d).is_some() {
                        return Err(bad("the file is listed twice"));
                    }
                }
            }
        }
        let list = TransferList {
            transfer: transfer.ok_or("it has no transfer line")?,
            case: case.ok_or("it has no case line")?,
            sent: sent.ok_or("it has no sent line")?,
            sender: sender.ok_or("it has no sender line")?,
            to,
            files,
        };
        if list.to.is_empty() {
            return Err("it names no recipient".to_string());
        }
        if !list.files.contains_key(crate::store::CASE_FILE) {
            return Err("it lists no case.age".to_string());
        }
        Ok(list)
    }
}

/// 32 lowercase hex digits.
pub fn is_id(text: &str) -> bool {
    text.len() == 32
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custody::signing::SigningKey;

    fn sample() -> TransferList {
        let mut files = BTreeMap::new();
        files.insert("case.age".to_string(), Digest::of(b"c"));
        files.insert(
            "9f2c4e1a7b3d5f60a1b2c3d4e5f60718.age".to_string(),
            Digest::of(b"s"),
        );
        TransferList {
            transfer: "5b0c4e1a7b3d5f60a1b2c3d4e5f60718".into(),
            case: "0a1b2c3d4e5f60718293a4b5c6d7e8f9".into(),
            sent: DateTime::parse_from_rfc3339("2026-12-02T10:00:00Z")
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_default(),
            sender: SigningKey::derive("AGE-SECRET-KEY-1TEST").public().clone(),
            to: vec!["age1qqqq".into()],
            files,
        }
    }

    #[test]
    fn round_trips_and_names_bad_lines() {
        let list = sample();
        let body = list.body();
        assert_eq!(TransferList::parse(&body), Ok(list));
        let cases = [
            (body.replace("transfer 1", "transfer 2"), "format 2"),
            (format!("{body}nonsense\n"), "line 9"),
            (body.replace("case.age", "../x.age"), "file name"),
            (
                body.lines()
                    .filter(|l| !l.starts_with("to "))
                    .map(|l| format!("{l}\n"))
                    .collect(),
                "no recipient",
            ),
        ];
        for (text, want) in cases {
            let err = TransferList::parse(&text).err().unwrap_or_default();
            assert!(err.contains(want), "{want}: {err}");
        }
    }
}
