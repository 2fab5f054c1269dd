//! The signed trust file, `trust.txt` in the config folder: the recipients and the
//! trusted signers the user approved, signed with the user's own key.
//!
//! `recipients.txt` and `allowed_signers` stay the files people and stock tools read; the
//! program compares them with this approved list before it saves anything, so a key added
//! to either by hand (anyone who can write the folder could) is named and refused instead
//! of silently receiving every later record. Approving goes through `companion keys`.
//!
//! ```text
//! interview-companion trust 1
//! signer ssh-ed25519 AAAA…           the user's own signing key
//! since 2026-12-01T20:00:00Z         when this home began signing (the one-time message)
//! state ready                        or `upgrading` while records made before are sealed
//! generation 3
//! written 2026-12-01T21:00:00Z
//! recipient age1…                    approved recipients, in file order
//! pending-recipient age1…            approved, being added (a crash may leave it)
//! trusted J.Smith ssh-ed25519 AAAA…  approved signers besides the user
//! pending-trusted …                  approved, being added
//! ```

use std::fmt::Write as _;

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};

use super::signers::{SignerLine, check_principal};
use super::signing::SignerKey;

/// The file's name in the config folder.
pub const TRUST_FILE: &str = "trust.txt";
/// The format version written (and the highest read).
pub const TRUST_VERSION: u32 = 1;
const HEADER: &str = "interview-companion trust";

/// The approved state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustFile {
    /// The user's own signing key (who signs this file).
    pub signer: SignerKey,
    /// When this home began signing.
    pub since: DateTime<Utc>,
    /// False while the upgrade of a home made before signing is still sealing its cases.
    pub ready: bool,
    /// Raised by every write.
    pub generation: u64,
    /// When this generation was written.
    pub written: DateTime<Utc>,
    /// Approved recipients (`age1…`), in order.
    pub recipients: Vec<String>,
    /// Approved recipients still being added to `recipients.txt`.
    pub pending_recipients: Vec<String>,
    /// Approved signers besides the user.
    pub trusted: Vec<SignerLine>,
    /// Approved signers still being added to `allowed_signers`.
    pub pending_trusted: Vec<SignerLine>,
}

/// How the recipients file differs from what was approved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Listed in the file, never approved.
    pub added: Vec<String>,
    /// Approved, no longer in the file.
    pub removed: Vec<String>,
}

impl Change {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// A problem with the trust file's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct TrustError {
    /// 1-based line (0: the file as a whole).
    pub line: usize,
    /// What is wrong.
    pub problem: String,
}

impl TrustFile {
    /// A fresh trust file approving `recipients` and `trusted`.
    pub fn new(
        signer: SignerKey,
        recipients: Vec<String>,
        trusted: Vec<SignerLine>,
        ready: bool,
    ) -> TrustFile {
        let now = Utc::now().trunc_subsecs(0);
        TrustFile {
            signer,
            since: now,
            ready,
            generation: 1,
            written: now,
            recipients,
            pending_recipients: Vec::new(),
            trusted,
            pending_trusted: Vec::new(),
        }
    }

    /// Every signer the program trusts: the approved ones and those being added.
    pub fn all_trusted(&self) -> Vec<SignerLine> {
        self.trusted
            .iter()
            .chain(&self.pending_trusted)
            .cloned()
            .collect()
    }

    /// How `found` (the recipients file's list) differs from the approved list. A file
    /// that lists exactly the approved recipients, with or without those being added, is
    /// as approved.
    pub fn recipients_change(&self, found: &[String]) -> Change {
        let approved =
            |r: &String| self.recipients.contains(r) || self.pending_recipients.contains(r);
        Change {
            added: found.iter().filter(|r| !approved(r)).cloned().collect(),
            removed: self
                .recipients
                .iter()
                .filter(|r| !found.contains(r))
                .cloned()
                .collect(),
        }
    }

    /// How `found` (the signers file's list, own line included) differs from the approved
    /// signers.
    pub fn signers_change(&self, found: &[SignerLine]) -> Change {
        let approved = |l: &SignerLine| {
            l.key == self.signer || self.all_trusted().iter().any(|t| t.key == l.key)
        };
        let show = |l: &SignerLine| format!("{} {}", l.principal, l.key);
        Change {
            added: found.iter().filter(|l| !approved(l)).map(show).collect(),
            removed: std::iter::once(&self.signer)
                .filter(|own| !found.iter().any(|l| &l.key == *own))
                .map(|k| format!("your own key {k}"))
                .chain(
                    self.trusted
                        .iter()
                        .filter(|t| !found.iter().any(|l| l.key == t.key))
                        .map(show),
                )
                .collect(),
        }
    }

    /// The signed text.
    pub fn body(&self) -> String {
        let t = |d: &DateTime<Utc>| d.to_rfc3339_opts(SecondsFormat::Secs, true);
        let mut out = String::new();
        let _ = writeln!(out, "{HEADER} {TRUST_VERSION}");
        let _ = writeln!(out, "signer {}", self.signer);
        let _ = writeln!(out, "since {}", t(&self.since));
        let _ = writeln!(
            out,
            "state {}",
            if self.ready { "ready" } else { "upgrading" }
        );
        let _ = writeln!(out, "generation {}", self.generation);
        let _ = writeln!(out, "written {}", t(&self.written));
        for r in &self.recipients {
            let _ = writeln!(out, "recipient {r}");
        }
        for r in &self.pending_recipients {
            let _ = writeln!(out, "pending-recipient {r}");
        }
        for s in &self.trusted {
            let _ = writeln!(out, "trusted {} {}", s.principal, s.key);
        }
        for s in &self.pending_trusted {
            let _ = writeln!(out, "pending-trusted {} {}", s.principal, s.key);
        }
        out
    }

    /// Parses the signed text.
    pub fn parse(body: &str) -> Result<TrustFile, TrustError> {
        let err = |line, problem: &str| TrustError {
            line,
            problem: problem.to_string(),
        };
        let mut lines = body.lines().enumerate().map(|(i, l)| (i + 1, l));
        let version = lines
            .next()
            .and_then(|(_, l)| {
                l.strip_prefix(HEADER)?
                    .strip_prefix(' ')?
                    .parse::<u32>()
                    .ok()
            })
            .ok_or_else(|| err(1, "not an interview-companion trust file"))?;
        if version == 0 || version > TRUST_VERSION {
            return Err(err(1, "a trust file version this program does not know"));
        }
        let (mut signer, mut since, mut ready, mut generation, mut written) =
            (None, None, None, None, None);
        let f = |n: usize| move |p: &str| err(n, p);
        let time = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|d| d.with_timezone(&Utc))
        };
        let mut recipients = Vec::new();
        let mut pending_recipients = Vec::new();
        let mut trusted = Vec::new();
        let mut pending_trusted = Vec::new();
        for (n, line) in lines {
            let bad = f(n);
            let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
            let signer_line = |rest: &str| -> Result<SignerLine, TrustError> {
                let (p, k) = rest
                    .split_once(' ')
                    .ok_or_else(|| err(n, "a signer line is `<name> ssh-ed25519 …`"))?;
                check_principal(p).map_err(|e| err(n, &e))?;
                Ok(SignerLine {
                    principal: p.to_string(),
                    key: SignerKey::parse(k).map_err(|e| err(n, &e))?,
                })
            };
            let recipient = |rest: &str| -> Result<String, TrustError> {
                if rest.starts_with("age1") && !rest.contains(' ') {
                    Ok(rest.to_string())
                } else {
                    Err(err(n, "a recipient line is `recipient age1…`"))
                }
            };
            match word {
                "signer" => signer = Some(SignerKey::parse(rest).map_err(|e| bad(&e))?),
                "since" => {
                    since = Some(time(rest).ok_or_else(|| bad("since is not an RFC 3339 time"))?)
                }
                "state" => {
                    ready = Some(match rest {
                        "ready" => true,
                        "upgrading" => false,
                        _ => return Err(bad("state is `ready` or `upgrading`")),
                    })
                }
                "generation" => {
                    generation = Some(
                        rest.parse::<u64>()
                            .map_err(|_| bad("generation is not a number"))?,
                    )
                }
                "written" => {
                    written =
                        Some(time(rest).ok_or_else(|| bad("written is not an RFC 3339 time"))?)
                }
                "recipient" => recipients.push(recipient(rest)?),
                "pending-recipient" => pending_recipients.push(recipient(rest)?),
                "trusted" => trusted.push(signer_line(rest)?),
                "pending-trusted" => pending_trusted.push(signer_line(rest)?),
                _ => return Err(bad("unknown line")),
            }
        }
        let missing = |what: &str| err(0, &format!("it has no {what} line"));
        Ok(TrustFile {
            signer: signer.ok_or_else(|| missing("signer"))?,
            since: since.ok_or_else(|| missing("since"))?,
            ready: ready.ok_or_else(|| missing("state"))?,
            generation: generation.ok_or_else(|| missing("generation"))?,
            written: written.ok_or_else(|| missing("written"))?,
            recipients,
            pending_recipients,
            trusted,
            pending_trusted,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custody::signing::SigningKey;

    #[test]
    fn round_trip_and_changes_are_named() -> Result<(), TrustError> {
        let own = SigningKey::derive("AGE-SECRET-KEY-1A").public().clone();
        let other = SignerLine {
            principal: "sup".into(),
            key: SigningKey::derive("AGE-SECRET-KEY-1B").public().clone(),
        };
        let mut t = TrustFile::new(
            own.clone(),
            vec!["age1aaa".into(), "age1bbb".into()],
            vec![],
            true,
        );
        t.pending_recipients.push("age1ccc".into());
        t.pending_trusted.push(other.clone());
        assert_eq!(TrustFile::parse(&t.body())?, t);
        assert!(
            t.recipients_change(&["age1aaa".into(), "age1bbb".into()])
                .is_empty()
        );
        assert!(
            t.recipients_change(&["age1aaa".into(), "age1bbb".into(), "age1ccc".into()])
                .is_empty()
        );
        let c = t.recipients_change(&["age1aaa".into(), "age1evil".into()]);
        assert_eq!(c.added, vec!["age1evil".to_string()]);
        assert_eq!(c.removed, vec!["age1bbb".to_string()]);
        let own_line = SignerLine {
            principal: "me".into(),
            key: own,
        };
        assert!(t.signers_change(&[own_line.clone(), other]).is_empty());
        assert!(!t.signers_change(&[]).is_empty());
        assert!(TrustFile::parse(&t.body().replace("state ready", "state odd")).is_err());
        Ok(())
    }
}
