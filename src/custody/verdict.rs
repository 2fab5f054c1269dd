//! What the signatures and the completeness statement say about each file of a case.
//! Pure: the store gathers the facts (which files exist, their digests, the manifest and
//! whether its signature holds); [`judge`] turns them into one verdict per file.
//!
//! The rules, and what they cannot tell, are in `docs/record-format.md` ("Verdicts").

use std::fmt;

use super::manifest::{Digest, Manifest};
use super::signing::{SigProblem, SignerKey};

/// The signers whose signatures count: the user's own key first, then colleagues'.
#[derive(Debug, Clone)]
pub struct Trusted {
    /// The user's own signing key.
    pub own: SignerKey,
    /// Colleagues and supervisors: (name as in `allowed_signers`, key).
    pub others: Vec<(String, SignerKey)>,
}

impl Trusted {
    /// Only the user's own key.
    pub fn own(own: SignerKey) -> Trusted {
        Trusted {
            own,
            others: Vec::new(),
        }
    }

    /// Who `key` is, if trusted.
    pub fn name_of(&self, key: &SignerKey) -> Option<SignerName> {
        if *key == self.own {
            return Some(SignerName::You);
        }
        self.others
            .iter()
            .find(|(_, k)| k == key)
            .map(|(n, _)| SignerName::Named(n.clone()))
    }
}

/// A trusted signer as shown to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignerName {
    /// The user.
    You,
    /// A colleague or supervisor, by the name in the signers file.
    Named(String),
}

impl fmt::Display for SignerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignerName::You => f.write_str("you"),
            SignerName::Named(n) => f.write_str(n),
        }
    }
}

/// One file of a case, as found on disk.
#[derive(Debug, Clone)]
pub struct FileFacts {
    /// `case.age` or `<sitting-id>.age`.
    pub name: String,
    /// SHA-256 of its bytes.
    pub digest: Digest,
    /// Set when its decrypted contents say it belongs to another case: that case's id.
    pub other_case: Option<String>,
    /// Its detached signature (`<name>.sig`), if it has one: the key that made it, or why
    /// it does not hold.
    pub detached: Option<Result<SignerKey, SigProblem>>,
    /// Digests of the temp files a crash left beside it (`.<name>.<hex>.tmp`), gathered
    /// only when its own digest is not a signed version: one of them may be the program's
    /// own interrupted save ([`super::manifest::Entry::follows`]).
    pub staged: Vec<Digest>,
}

/// The case's signed statement, as found on disk.
#[derive(Debug, Clone)]
pub enum StatementFacts {
    /// There is no `manifest.txt`. `legacy`: this home has not finished upgrading to
    /// signatures yet, so a case without one was simply made before signing existed.
    Absent {
        /// Whether a missing statement is expected (made before signing existed).
        legacy: bool,
    },
    /// It is there but unreadable, unparsable, or its signature does not hold.
    Damaged(String),
    /// Its signature holds and it is this case's.
    Valid(Manifest),
}

/// What the statement as a whole says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statement {
    /// Signed by a trusted signer.
    Signed {
        /// Who.
        by: SignerName,
        /// Its generation.
        generation: u64,
        /// When it was written (UTC, RFC 3339).
        written: String,
    },
    /// Signed, but by a key not among the trusted signers.
    UnknownSigner(String),
    /// None, as expected for a case made before signing existed.
    Legacy,
    /// None, although this home signs: deleted, or copied in from an older version.
    Missing,
    /// Unusable: what is wrong.
    Damaged(String),
    /// It is another case's statement.
    OtherCase(String),
}

impl Statement {
    /// Whether this is a problem a person must look into.
    pub fn is_problem(&self) -> bool {
        matches!(
            self,
            Statement::Missing | Statement::Damaged(_) | Statement::OtherCase(_)
        )
    }
}

impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Statement::Signed {
                by,
                generation,
                written,
            } => write!(
                f,
                "complete: signed by {by} (trusted), generation {generation}, {written}"
            ),
            Statement::UnknownSigner(fp) => write!(
                f,
                "signed by an unknown key ({fp}): add the signer with `companion keys add-signer` if you trust them"
            ),
            Statement::Legacy => {
                f.write_str("no signed statement: the case was made before signing existed")
            }
            Statement::Missing => f.write_str(
                "the signed statement (manifest.txt) is MISSING: it was deleted, or the case was copied in from a version before signing",
            ),
            Statement::Damaged(why) => write!(
                f,
                "the signed statement (manifest.txt) is damaged or was altered: {why}"
            ),
            Statement::OtherCase(id) => write!(
                f,
                "the signed statement (manifest.txt) is case {id}'s, copied from another case"
            ),
        }
    }
}

/// One file's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Its current version is signed by a trusted signer.
    Signed(SignerName),
    /// Signed, by a key not among the trusted signers (its fingerprint).
    UnknownSigner(String),
    /// Made before signing existed; unchanged since (or unknowable, with no statement).
    Unsigned,
    /// Listed, but its bytes are not any version the signer signed.
    Altered,
    /// Listed, but not there.
    Missing,
    /// An earlier version of itself: rolled back.
    Older,
    /// There, but not in the statement: added after the last signed save.
    NotListed,
    /// There, not listed here, and its contents say it is another case's (that case).
    CopiedFrom(String),
    /// The statement is unusable, so nothing about the file can be checked.
    Unchecked,
    /// Only ever signed as about to be written, and not there: the save creating it was
    /// interrupted before it stored anything. Not a problem.
    NeverStored,
}

/// How much a verdict vouches for a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    /// Signed by a trusted signer (or nothing to vouch for).
    Good,
    /// Not evidence of tampering, but not vouched for either.
    Weak,
    /// Altered, missing, rolled back, added or copied: a person must look into it.
    Problem,
}

impl Verdict {
    /// How much it vouches.
    pub fn standing(&self) -> Standing {
        match self {
            Verdict::Signed(_) | Verdict::NeverStored => Standing::Good,
            Verdict::UnknownSigner(_) | Verdict::Unsigned => Standing::Weak,
            _ => Standing::Problem,
        }
    }

    /// A short word for JSON and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Verdict::Signed(_) => "signed",
            Verdict::UnknownSigner(_) => "unknown-signer",
            Verdict::Unsigned => "not-signed",
            Verdict::Altered => "altered",
            Verdict::Missing => "missing",
            Verdict::Older => "older",
            Verdict::NotListed => "not-listed",
            Verdict::CopiedFrom(_) => "copied",
            Verdict::Unchecked => "unchecked",
            Verdict::NeverStored => "never-stored",
        }
    }

    /// A glyph, so a monochrome screen shows it too.
    pub fn glyph(&self) -> &'static str {
        match self.standing() {
            Standing::Good => "✓",
            Standing::Weak => "○",
            Standing::Problem => "✗",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Signed(by) => write!(f, "signed by {by} (trusted)"),
            Verdict::UnknownSigner(fp) => write!(f, "signed by an unknown key ({fp})"),
            Verdict::Unsigned => f.write_str("not signed (made before signing existed)"),
            Verdict::Altered => f.write_str("ALTERED after signing"),
            Verdict::Missing => f.write_str("MISSING"),
            Verdict::Older => f.write_str("OLDER than its signed version (rolled back)"),
            Verdict::NotListed => {
                f.write_str("NOT LISTED in the signed statement (added after signing)")
            }
            Verdict::CopiedFrom(id) => write!(f, "COPIED from another case (case {id})"),
            Verdict::Unchecked => f.write_str("cannot be checked (the statement is unusable)"),
            Verdict::NeverStored => {
                f.write_str("never stored (the save creating it was interrupted; nothing lost)")
            }
        }
    }
}

/// The verdicts of a whole case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseCustody {
    /// The statement as a whole.
    pub statement: Statement,
    /// Every file found or listed, by name, with its verdict (sorted, `case.age` first).
    pub files: Vec<(String, Verdict)>,
    /// Files whose last save was interrupted (signed as pending); the program confirms
    /// them at the next open that holds the lock.
    pub interrupted: Vec<String>,
}

impl CaseCustody {
    /// The worst standing of the statement and every file.
    pub fn standing(&self) -> Standing {
        let statement = match &self.statement {
            s if s.is_problem() => Standing::Problem,
            Statement::UnknownSigner(_) | Statement::Legacy => Standing::Weak,
            _ => Standing::Good,
        };
        self.files
            .iter()
            .map(|(_, v)| v.standing())
            .chain(std::iter::once(statement))
            .max()
            .unwrap_or(Standing::Good)
    }

    /// The verdict of one file (`case.age`, `<sitting-id>.age`).
    pub fn verdict(&self, name: &str) -> Option<&Verdict> {
        self.files.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Files with a problem, as "name: verdict" lines.
    pub fn problems(&self) -> impl Iterator<Item = String> + '_ {
        self.files
            .iter()
            .filter(|(_, v)| v.standing() == Standing::Problem)
            .map(|(n, v)| format!("{n}: {v}"))
    }
}

/// Judges every file against the statement. `case` is the folder's id.
pub fn judge(
    case: &str,
    statement: &StatementFacts,
    files: &[FileFacts],
    trusted: &Trusted,
) -> CaseCustody {
    let mut out = Vec::new();
    let mut interrupted = Vec::new();
    let statement = match statement {
        StatementFacts::Absent { legacy } => {
            for f in files {
                out.push((f.name.clone(), copied_or(f, Verdict::Unsigned)));
            }
            if *legacy {
                Statement::Legacy
            } else {
                Statement::Missing
            }
        }
        StatementFacts::Damaged(why) => {
            for f in files {
                out.push((f.name.clone(), copied_or(f, Verdict::Unchecked)));
            }
            Statement::Damaged(why.clone())
        }
        StatementFacts::Valid(m) if m.case != case => {
            for f in files {
                out.push((f.name.clone(), copied_or(f, Verdict::Unchecked)));
            }
            Statement::OtherCase(m.case.clone())
        }
        StatementFacts::Valid(m) => {
            let signer = trusted.name_of(&m.signer);
            let vouched = |by: &Option<SignerKey>, f: &FileFacts| -> Verdict {
                match by {
                    // Another's record: its own signature must hold, by that key.
                    Some(author) => match &f.detached {
                        Some(Ok(k)) if k == author => trusted.name_of(author).map_or_else(
                            || Verdict::UnknownSigner(author.fingerprint()),
                            Verdict::Signed,
                        ),
                        _ => Verdict::Altered,
                    },
                    None => signer.clone().map_or_else(
                        || Verdict::UnknownSigner(m.signer.fingerprint()),
                        Verdict::Signed,
                    ),
                }
            };
            for f in files {
                let verdict = match m.entries.get(&f.name) {
                    None => copied_or(f, Verdict::NotListed),
                    Some(e) if e.accepts(&f.digest) => {
                        if e.pending.is_some() {
                            interrupted.push(f.name.clone());
                        }
                        if e.unsigned && e.current.as_ref() == Some(&f.digest) {
                            Verdict::Unsigned
                        } else {
                            vouched(&e.by, f)
                        }
                    }
                    // A power cut undid the rename of a save whose statement it kept: the
                    // signed new version waits beside it, and is put in place at the next
                    // lock. The program's own interrupted save, not a rollback.
                    Some(e) if f.staged.iter().any(|t| e.follows(Some(&f.digest), t)) => {
                        interrupted.push(f.name.clone());
                        vouched(&e.by, f)
                    }
                    Some(e) if e.is_older(&f.digest) => Verdict::Older,
                    Some(_) => Verdict::Altered,
                };
                out.push((f.name.clone(), verdict));
            }
            for (name, e) in &m.entries {
                if files.iter().any(|f| &f.name == name) {
                    continue;
                }
                let verdict = if e.current.is_none() {
                    Verdict::NeverStored
                } else {
                    Verdict::Missing
                };
                out.push((name.clone(), verdict));
            }
            match signer {
                Some(by) => Statement::Signed {
                    by,
                    generation: m.generation,
                    written: m.written.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                },
                None => Statement::UnknownSigner(m.signer.fingerprint()),
            }
        }
    };
    out.sort_by(|(a, _), (b, _)| (a != "case.age", a).cmp(&(b != "case.age", b)));
    interrupted.sort();
    CaseCustody {
        statement,
        files: out,
        interrupted,
    }
}

fn copied_or(f: &FileFacts, otherwise: Verdict) -> Verdict {
    match &f.other_case {
        Some(id) => Verdict::CopiedFrom(id.clone()),
        None => otherwise,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custody::manifest::Entry;
    use crate::custody::signing::SigningKey;

    const CASE: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    const S1: &str = "11111111111111111111111111111111.age";
    const S2: &str = "22222222222222222222222222222222.age";

    fn facts(name: &str, bytes: &[u8]) -> FileFacts {
        FileFacts {
            name: name.to_string(),
            digest: Digest::of(bytes),
            other_case: None,
            detached: None,
            staged: Vec::new(),
        }
    }

    fn setup() -> (Trusted, Manifest) {
        let own = SigningKey::derive("AGE-SECRET-KEY-1OWN").public().clone();
        let mut m = Manifest::new(CASE, own.clone());
        let mut e = Entry::default();
        e.confirm(Digest::of(b"case v1"));
        m.entries.insert("case.age".into(), e);
        let mut s = Entry::default();
        s.confirm(Digest::of(b"s1 v1"));
        s.confirm(Digest::of(b"s1 v2"));
        m.entries.insert(S1.into(), s);
        (Trusted::own(own), m)
    }

    #[test]
    fn each_change_gets_its_own_verdict() {
        let (trusted, m) = setup();
        let statement = StatementFacts::Valid(m.clone());
        let all_good = judge(
            CASE,
            &statement,
            &[facts("case.age", b"case v1"), facts(S1, b"s1 v2")],
            &trusted,
        );
        assert_eq!(all_good.standing(), Standing::Good, "{all_good:?}");
        assert_eq!(
            all_good.verdict(S1),
            Some(&Verdict::Signed(SignerName::You))
        );
        let check = |files: &[FileFacts], name: &str| {
            judge(CASE, &statement, files, &trusted)
                .verdict(name)
                .cloned()
        };
        assert_eq!(check(&[facts(S1, b"s1 v1")], S1), Some(Verdict::Older));
        assert_eq!(check(&[facts(S1, b"forged")], S1), Some(Verdict::Altered));
        assert_eq!(
            check(&[facts(S1, b"s1 v2")], "case.age"),
            Some(Verdict::Missing)
        );
        assert_eq!(check(&[facts(S2, b"new")], S2), Some(Verdict::NotListed));
        let mut copied = facts(S2, b"new");
        copied.other_case = Some("ffff".into());
        assert_eq!(
            check(&[copied], S2),
            Some(Verdict::CopiedFrom("ffff".into()))
        );
    }

    #[test]
    fn pending_versions_are_accepted_and_reported_as_interrupted() {
        let (trusted, mut m) = setup();
        if let Some(e) = m.entries.get_mut(S1) {
            e.pending = Some(Digest::of(b"s1 v3"));
        }
        m.entries.insert(
            S2.into(),
            Entry {
                pending: Some(Digest::of(b"x")),
                ..Entry::default()
            },
        );
        let st = StatementFacts::Valid(m);
        for bytes in [&b"s1 v2"[..], b"s1 v3"] {
            let c = judge(
                CASE,
                &st,
                &[facts("case.age", b"case v1"), facts(S1, bytes)],
                &trusted,
            );
            assert_eq!(c.standing(), Standing::Good, "{c:?}");
            assert_eq!(c.interrupted, vec![S1.to_string()]);
            assert_eq!(c.verdict(S2), Some(&Verdict::NeverStored));
        }
    }

    #[test]
    fn a_staged_next_version_makes_the_one_before_it_an_interrupted_save_not_a_rollback() {
        let (trusted, m) = setup();
        let st = StatementFacts::Valid(m);
        let judged = |staged: &[&[u8]], on_disk: &[u8]| {
            let mut f = facts(S1, on_disk);
            f.staged = staged.iter().map(|b| Digest::of(b)).collect();
            judge(CASE, &st, &[facts("case.age", b"case v1"), f], &trusted)
        };
        // One version behind, the signed current one waiting beside it: interrupted.
        let c = judged(&[b"s1 v2"], b"s1 v1");
        assert_eq!(
            c.verdict(S1),
            Some(&Verdict::Signed(SignerName::You)),
            "{c:?}"
        );
        assert_eq!(c.interrupted, vec![S1.to_string()]);
        // Anything else beside a rolled-back or altered file changes nothing.
        assert_eq!(
            judged(&[b"s1 v1"], b"s1 v1").verdict(S1),
            Some(&Verdict::Older)
        );
        assert_eq!(
            judged(&[b"junk"], b"s1 v1").verdict(S1),
            Some(&Verdict::Older)
        );
        assert_eq!(
            judged(&[b"s1 v2"], b"forged").verdict(S1),
            Some(&Verdict::Altered)
        );
    }

    #[test]
    fn unknown_signers_legacy_and_damage() {
        let (_, m) = setup();
        let stranger = Trusted::own(SigningKey::derive("AGE-SECRET-KEY-1OTHER").public().clone());
        let c = judge(
            CASE,
            &StatementFacts::Valid(m.clone()),
            &[facts(S1, b"s1 v2")],
            &stranger,
        );
        assert!(matches!(c.verdict(S1), Some(Verdict::UnknownSigner(_))));
        assert!(matches!(c.statement, Statement::UnknownSigner(_)));
        assert_eq!(c.standing(), Standing::Problem, "the case file is missing");
        let legacy = judge(
            CASE,
            &StatementFacts::Absent { legacy: true },
            &[facts(S1, b"x")],
            &stranger,
        );
        assert_eq!(legacy.standing(), Standing::Weak);
        let stripped = judge(
            CASE,
            &StatementFacts::Absent { legacy: false },
            &[facts(S1, b"x")],
            &stranger,
        );
        assert_eq!(stripped.standing(), Standing::Problem);
        assert_eq!(stripped.statement, Statement::Missing);
        let other = judge("ffff", &StatementFacts::Valid(m), &[], &stranger);
        assert_eq!(other.statement, Statement::OtherCase(CASE.into()));
    }
}
