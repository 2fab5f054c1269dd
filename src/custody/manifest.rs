//! The completeness statement of a case: `manifest.txt` in the case folder.
//!
//! It lists every file of the case with the SHA-256 of its current ciphertext, and is
//! signed (the signature follows the text in the same file, see [`super::signing::seal`]).
//! Deleting a sitting, adding one, replacing one or rolling one back to an older version
//! is then visible, by the program and by `sha256sum -c` / `ssh-keygen -Y verify`.
//!
//! The text is line-based so that stock tools read it: a file's checksum line is exactly
//! what `sha256sum` prints (`<64 hex>  <name>`), so `sha256sum -c manifest.txt` (or
//! `shasum -a 256 -c`) checks every listed file; every other line starts with a keyword
//! that those tools skip as "improperly formatted". Ids only: no name, reference or answer.
//!
//! ```text
//! interview-companion manifest 1
//! case 0a1b2c3d4e5f60718293a4b5c6d7e8f9
//! generation 7
//! written 2026-11-23T10:40:00Z
//! signer ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI…
//! 3f…64 hex…  case.age
//! 9a…64 hex…  9f2c4e1a7b3d5f60a1b2c3d4e5f60718.age
//! pending 5e…64 hex…  9f2c4e1a7b3d5f60a1b2c3d4e5f60718.age
//! older 9f2c4e1a7b3d5f60a1b2c3d4e5f60718.age 1a2b3c4d5e6f7081 …
//! ```
//!
//! The format is in `docs/record-format.md`, with what each line means to a reader.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use sha2::{Digest as _, Sha256};

use super::signing::SignerKey;

/// The manifest's file name in a case folder.
pub const MANIFEST_FILE: &str = "manifest.txt";
/// The format version this program writes (and the highest it reads).
pub const MANIFEST_VERSION: u32 = 1;
const HEADER: &str = "interview-companion manifest";
/// Earlier versions remembered per file (to say "older than its signed version" rather
/// than "altered"); past this the oldest are forgotten.
pub const HISTORY_LIMIT: usize = 128;
/// Hex digits kept of an earlier version's digest: 64 bits tell versions apart; they only
/// name what an unexpected file is, they never make one acceptable.
const SHORT_HEX: usize = 16;

/// The SHA-256 of a file's bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest([u8; 32]);

impl Digest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        Digest(Sha256::digest(bytes).into())
    }

    /// Parses 64 lowercase hex digits.
    pub fn parse(hex: &str) -> Option<Digest> {
        if hex.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        (hex.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then_some(Digest(out))
    }

    /// The first 16 hex digits, as earlier versions are remembered.
    pub fn short(&self) -> String {
        self.to_string()[..SHORT_HEX].to_string()
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({})", self.short())
    }
}

/// What the manifest says about one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// The version last confirmed on disk; `None` while the file is being created.
    pub current: Option<Digest>,
    /// A version signed just before it was written: a save in progress, or one that a
    /// crash interrupted. The file may hold it or `current`.
    pub pending: Option<Digest>,
    /// The file was there, unsigned, when this home began signing: its digest is pinned,
    /// but who made it is not vouched for.
    pub unsigned: bool,
    /// Earlier versions (first 16 hex digits of their digests), newest first.
    pub older: Vec<String>,
    /// Written by another signer, whose own signature is in `<name>.sig` (records
    /// received from a colleague). `None`: the manifest's signer wrote it.
    pub by: Option<SignerKey>,
}

impl Entry {
    /// Whether `d` is a version this entry accepts as the file's content now.
    pub fn accepts(&self, d: &Digest) -> bool {
        self.current.as_ref() == Some(d) || self.pending.as_ref() == Some(d)
    }

    /// Whether `d` is one of the remembered earlier versions.
    pub fn is_older(&self, d: &Digest) -> bool {
        let short = d.short();
        self.older.contains(&short)
    }

    /// Whether `staged` (a complete temp file a crash left beside the file) is the version
    /// that follows the one the file holds now (`now`, `None`: no file): `pending` over
    /// `current` (a save whose last rename a power cut undid), or `current` over the
    /// version just before it (the next save's statement persisted before that rename,
    /// on a file system that reorders renames). Such a temp file is the program's own
    /// interrupted save, signed before it was written; it is put in place at the next lock.
    pub fn follows(&self, now: Option<&Digest>, staged: &Digest) -> bool {
        (self.pending.as_ref() == Some(staged) && now == self.current.as_ref())
            || (self.current.as_ref() == Some(staged)
                && match now {
                    None => self.older.is_empty(),
                    Some(n) => self.older.first() == Some(&n.short()),
                })
    }

    /// Makes `d` the current version, remembering the one it replaces.
    pub fn confirm(&mut self, d: Digest) {
        if let Some(old) = self.current.take()
            && old != d
        {
            self.older.insert(0, old.short());
            self.older.truncate(HISTORY_LIMIT);
        }
        self.current = Some(d);
        self.pending = None;
    }
}

/// A case manifest's content (the part before the signature).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The case id (the folder's name).
    pub case: String,
    /// Raised by every write: a later manifest has a higher generation.
    pub generation: u64,
    /// When this generation was written (UTC).
    pub written: DateTime<Utc>,
    /// Who signed it.
    pub signer: SignerKey,
    /// Every file of the case, by name (`case.age`, `<sitting-id>.age`).
    pub entries: BTreeMap<String, Entry>,
}

/// What is wrong with a manifest's text. Never quotes more than a keyword.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// Not a manifest, or a version newer than this program.
    #[error("it is not an interview-companion manifest this program can read ({0})")]
    Header(String),
    /// A line is not as the format says.
    #[error("line {line}: {problem}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        problem: String,
    },
    /// A required line is absent.
    #[error("it has no {0} line")]
    Missing(&'static str),
}

/// Whether `name` can be a file of a case: `case.age` or `<32 hex>.age`.
pub fn is_record_name(name: &str) -> bool {
    name == "case.age"
        || name.strip_suffix(".age").is_some_and(|id| {
            id.len() == 32
                && id
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

impl Manifest {
    /// An empty manifest for a new case, generation 0 (the first write makes it 1).
    pub fn new(case: &str, signer: SignerKey) -> Manifest {
        Manifest {
            case: case.to_string(),
            generation: 0,
            written: Utc::now().trunc_subsecs(0),
            signer,
            entries: BTreeMap::new(),
        }
    }

    /// The text that is signed. Always ends with a newline.
    pub fn body(&self) -> String {
        let mut out = String::with_capacity(256 + self.entries.len() * 160);
        // Writing into a String cannot fail.
        let _ = writeln!(out, "{HEADER} {MANIFEST_VERSION}");
        let _ = writeln!(out, "case {}", self.case);
        let _ = writeln!(out, "generation {}", self.generation);
        let _ = writeln!(
            out,
            "written {}",
            self.written.to_rfc3339_opts(SecondsFormat::Secs, true)
        );
        let _ = writeln!(out, "signer {}", self.signer);
        for (name, e) in &self.entries {
            if let Some(d) = &e.current {
                let _ = writeln!(out, "{d}  {name}");
            }
            if let Some(d) = &e.pending {
                let _ = writeln!(out, "pending {d}  {name}");
            }
            if e.unsigned {
                let _ = writeln!(out, "unsigned {name}");
            }
            if !e.older.is_empty() {
                let _ = writeln!(out, "older {name} {}", e.older.join(" "));
            }
            if let Some(by) = &e.by {
                let _ = writeln!(out, "by {name} {by}");
            }
        }
        out
    }

    /// Parses a manifest's body (the text before its signature).
    pub fn parse(body: &str) -> Result<Manifest, ManifestError> {
        let mut lines = body.lines().enumerate().map(|(i, l)| (i + 1, l));
        let (_, first) = lines
            .next()
            .ok_or_else(|| ManifestError::Header("it is empty".to_string()))?;
        let version = first
            .strip_prefix(HEADER)
            .and_then(|v| v.strip_prefix(' '))
            .and_then(|v| v.parse::<u32>().ok())
            .ok_or_else(|| {
                ManifestError::Header("its first line is not the manifest header".to_string())
            })?;
        if version == 0 || version > MANIFEST_VERSION {
            return Err(ManifestError::Header(format!(
                "format version {version}; this program reads up to {MANIFEST_VERSION}"
            )));
        }
        let mut case = None;
        let mut generation = None;
        let mut written = None;
        let mut signer = None;
        let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
        for (n, line) in lines {
            let bad = |problem: String| ManifestError::Line { line: n, problem };
            let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
            match word {
                "case" => case = Some(rest.to_string()),
                "generation" => {
                    generation = Some(
                        rest.parse::<u64>()
                            .map_err(|_| bad("generation is not a number".into()))?,
                    )
                }
                "written" => {
                    written = Some(
                        DateTime::parse_from_rfc3339(rest)
                            .map_err(|_| bad("written is not an RFC 3339 time".into()))?
                            .with_timezone(&Utc),
                    )
                }
                "signer" => signer = Some(SignerKey::parse(rest).map_err(bad)?),
                "pending" => {
                    let (d, name) = checksum(rest).ok_or_else(|| {
                        bad("a pending line is `pending <sha256>  <file>`".into())
                    })?;
                    entry(&mut entries, name, &bad)?.pending = Some(d);
                }
                "unsigned" => entry(&mut entries, rest, &bad)?.unsigned = true,
                "older" => {
                    let mut parts = rest.split(' ');
                    let name = parts.next().unwrap_or_default();
                    let older: Vec<String> = parts.map(str::to_string).collect();
                    if older.is_empty()
                        || older.iter().any(|o| {
                            o.len() != SHORT_HEX || Digest::parse(&format!("{o:0<64}")).is_none()
                        })
                    {
                        return Err(bad("an older line is `older <file> <16 hex> …`".into()));
                    }
                    entry(&mut entries, name, &bad)?.older = older;
                }
                "by" => {
                    let (name, key) = rest
                        .split_once(' ')
                        .ok_or_else(|| bad("a by line is `by <file> ssh-ed25519 …`".into()))?;
                    let key = SignerKey::parse(key).map_err(bad)?;
                    entry(&mut entries, name, &bad)?.by = Some(key);
                }
                _ => {
                    let (d, name) = checksum(line).ok_or_else(|| {
                        bad(format!(
                            "unknown line starting {:?}",
                            word.chars().take(16).collect::<String>()
                        ))
                    })?;
                    entry(&mut entries, name, &bad)?.current = Some(d);
                }
            }
        }
        let manifest = Manifest {
            case: case.ok_or(ManifestError::Missing("case"))?,
            generation: generation.ok_or(ManifestError::Missing("generation"))?,
            written: written.ok_or(ManifestError::Missing("written"))?,
            signer: signer.ok_or(ManifestError::Missing("signer"))?,
            entries,
        };
        if let Some((name, _)) = manifest
            .entries
            .iter()
            .find(|(_, e)| e.current.is_none() && e.pending.is_none())
        {
            return Err(ManifestError::Line {
                line: 0,
                problem: format!("{name} has no checksum or pending line"),
            });
        }
        Ok(manifest)
    }
}

/// `<64 hex>  <name>`, as sha256sum prints it.
fn checksum(text: &str) -> Option<(Digest, &str)> {
    let (hex, name) = text.split_once("  ")?;
    Some((Digest::parse(hex)?, name))
}

fn entry<'a>(
    entries: &'a mut BTreeMap<String, Entry>,
    name: &str,
    bad: &dyn Fn(String) -> ManifestError,
) -> Result<&'a mut Entry, ManifestError> {
    if !is_record_name(name) {
        return Err(bad(format!(
            "{:?} is not a record's file name",
            name.chars().take(40).collect::<String>()
        )));
    }
    Ok(entries.entry(name.to_string()).or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custody::signing::SigningKey;

    fn signer() -> SignerKey {
        SigningKey::derive("AGE-SECRET-KEY-1TEST").public().clone()
    }

    fn sample() -> Manifest {
        let mut m = Manifest::new("0a1b2c3d4e5f60718293a4b5c6d7e8f9", signer());
        m.generation = 7;
        let a = Digest::of(b"a");
        let b = Digest::of(b"b");
        let mut case = Entry::default();
        case.confirm(a);
        case.confirm(b);
        m.entries.insert("case.age".into(), case);
        let mut s = Entry {
            pending: Some(Digest::of(b"c")),
            unsigned: true,
            ..Entry::default()
        };
        s.current = Some(a);
        m.entries
            .insert("9f2c4e1a7b3d5f60a1b2c3d4e5f60718.age".into(), s);
        m.entries.insert(
            "00000000000000000000000000000000.age".into(),
            Entry {
                pending: Some(b),
                by: Some(signer()),
                ..Entry::default()
            },
        );
        m
    }

    #[test]
    fn body_round_trips_and_checksum_lines_are_sha256sum_lines() -> Result<(), ManifestError> {
        let m = sample();
        let body = m.body();
        assert_eq!(Manifest::parse(&body)?, m);
        let sum_line = format!("{}  case.age", Digest::of(b"b"));
        assert!(body.lines().any(|l| l == sum_line), "{body}");
        assert!(body.ends_with('\n'));
        Ok(())
    }

    #[test]
    fn confirm_keeps_a_bounded_history() {
        let mut e = Entry::default();
        for i in 0..(HISTORY_LIMIT + 10) {
            e.confirm(Digest::of(&i.to_le_bytes()));
        }
        assert_eq!(e.older.len(), HISTORY_LIMIT);
        assert!(e.is_older(&Digest::of(&(HISTORY_LIMIT + 8).to_le_bytes())));
        assert!(e.accepts(&Digest::of(&(HISTORY_LIMIT + 9).to_le_bytes())));
    }

    #[test]
    fn bad_text_is_named_by_line() {
        let body = sample().body();
        let cases = [
            (body.replace("manifest 1", "manifest 2"), "version 2"),
            (body.replace("generation 7", "generation x"), "line 3"),
            (format!("{body}frobnicate 1\n"), "unknown line"),
            (
                format!("{body}{}  ../etc.age\n", Digest::of(b"x")),
                "not a record",
            ),
            (body.replace("case 0a1b", "cose 0a1b"), "unknown line"),
        ];
        for (text, want) in cases {
            let err = Manifest::parse(&text)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains(want), "{want}: {err}");
        }
        assert!(is_record_name("case.age"));
        assert!(!is_record_name("CASE.age"));
        assert!(!is_record_name("manifest.txt"));
    }
}
