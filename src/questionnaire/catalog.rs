//! The questionnaires in use: the embedded standard set, extended or overridden by a local
//! folder. A local file that fails the linter is reported and left out; it never stops the
//! program.
//!
//! Beside the texts in use (the newest of each id, for new sittings) the catalog keeps every
//! other text it knows: the earlier released versions of the standard set, embedded from
//! `questionnaires/released/`, and local files a higher version has superseded. A sitting is
//! read with the exact text it was recorded with, found by its SHA-256 ([`Catalog::resolve`]);
//! only when that text is nowhere to be found is the newest text of the same id used, and
//! the caller is told so.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::lint::{MAX_FILE_BYTES, lint_set, parse};
use super::{Questionnaire, Version};

/// The standard set, `(file name, text)`, embedded by `build.rs` from `questionnaires/`.
pub const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// Every earlier released version of the standard set, byte for byte as it shipped (its
/// SHA-256 is what sittings recorded with it hold), from `questionnaires/released/`.
pub const RELEASED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/released.rs"));

/// Where a questionnaire came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Embedded(&'static str),
    Local(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Embedded(name) => write!(f, "embedded ({name})"),
            Origin::Local(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A questionnaire ready to use, with where it came from and the hash of its text (which a
/// sitting records, so old records stay tied to the exact text they were asked from).
#[derive(Debug, Clone)]
pub struct LoadedQuestionnaire {
    pub questionnaire: Questionnaire,
    pub origin: Origin,
    /// SHA-256 of the file's text, lowercase hex.
    pub hash: String,
    text: String,
}

impl LoadedQuestionnaire {
    pub fn id(&self) -> &str {
        &self.questionnaire.header.id
    }

    pub fn version(&self) -> &str {
        &self.questionnaire.header.version
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_local(&self) -> bool {
        matches!(self.origin, Origin::Local(_))
    }

    /// `suspect-interview 1.1.0`: how a person names this text.
    pub fn label(&self) -> String {
        format!("{} {}", self.id(), self.version())
    }
}

/// A questionnaire text as records and reports name it: enough to find the very same text
/// again, and to see at a glance whether it was the standard one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct TextRef {
    pub id: String,
    pub version: String,
    pub sha256: String,
    /// `embedded` (part of this program), `local` (a file of the local folder), or
    /// `not available` (only the record's id, version and hash are known).
    pub source: &'static str,
    /// The embedded file's name or the local file's path; `None` when not available.
    pub file: Option<String>,
}

impl TextRef {
    pub fn is_local(&self) -> bool {
        self.source == "local"
    }

    /// `suspect-interview 1.0.0`.
    pub fn label(&self) -> String {
        format!("{} {}", self.id, self.version)
    }

    /// `suspect-interview 1.0.0, embedded (released/suspect-interview-1.0.0.toml), sha256 9a1f6869d05b59da…`
    pub fn describe(&self) -> String {
        let digest: String = self.sha256.chars().take(16).collect();
        let place = match &self.file {
            Some(file) => format!("{} ({file})", self.source),
            None => self.source.to_string(),
        };
        format!("{}, {place}, sha256 {digest}…", self.label())
    }
}

impl LoadedQuestionnaire {
    pub fn text_ref(&self) -> TextRef {
        let (source, file) = match &self.origin {
            Origin::Embedded(name) => ("embedded", (*name).to_string()),
            Origin::Local(path) => ("local", path.display().to_string()),
        };
        TextRef {
            id: self.id().to_string(),
            version: self.version().to_string(),
            sha256: self.hash.clone(),
            source,
            file: Some(file),
        }
    }
}

/// The text a sitting is read with: the one it was recorded with (`exact`), or, when that
/// text is nowhere to be found, the newest text with the same id.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'a> {
    pub loaded: &'a LoadedQuestionnaire,
    pub exact: bool,
}

/// Something wrong with a local questionnaire. `left_out` says whether it is in use anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    pub file: String,
    pub message: String,
    pub left_out: bool,
}

impl fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.left_out {
            write!(f, "{} (left out): {}", self.file, self.message)
        } else {
            write!(
                f,
                "{} (in use, with a warning): {}",
                self.file, self.message
            )
        }
    }
}

/// The questionnaires in use, by id; every other text known (to read older sittings); and
/// the problems met while loading them.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    by_id: BTreeMap<String, LoadedQuestionnaire>,
    /// Texts not in use for new sittings, kept to read the sittings recorded with them.
    kept: Vec<LoadedQuestionnaire>,
    problems: Vec<LoadProblem>,
}

/// SHA-256 of a text, lowercase hex.
pub fn text_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Catalog {
    /// The embedded set only.
    pub fn embedded() -> Catalog {
        Self::load(None)
    }

    /// The embedded set, then every `*.toml` in `local` (if the folder exists) on top.
    pub fn load(local: Option<&Path>) -> Catalog {
        let mut catalog = Catalog::default();
        for (name, text, in_use) in EMBEDDED
            .iter()
            .map(|(n, t)| (n, t, true))
            .chain(RELEASED.iter().map(|(n, t)| (n, t, false)))
        {
            match parse(name, text) {
                Ok(q) => {
                    let loaded = LoadedQuestionnaire {
                        questionnaire: q,
                        origin: Origin::Embedded(name),
                        hash: text_hash(text),
                        text: (*text).to_string(),
                    };
                    if in_use {
                        catalog.insert(loaded);
                    } else {
                        catalog.kept.push(loaded);
                    }
                }
                // Tests keep this from happening; if it does, say so rather than panic.
                Err(diags) => catalog.problems.push(LoadProblem {
                    file: format!("embedded {name}"),
                    message: join(&diags),
                    left_out: true,
                }),
            }
        }
        if let Some(dir) = local {
            catalog.load_folder(dir);
        }
        catalog.check_pairing();
        catalog
    }

    fn load_folder(&mut self, dir: &Path) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(e) => {
                self.problems.push(LoadProblem {
                    file: dir.display().to_string(),
                    message: format!("cannot read the folder: {e}"),
                    left_out: true,
                });
                return;
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            match read_limited(&path) {
                Ok(text) => self.add_local(&path, text),
                Err(message) => self.problems.push(LoadProblem {
                    file: path.display().to_string(),
                    message,
                    left_out: true,
                }),
            }
        }
    }

    fn add_local(&mut self, path: &Path, text: String) {
        let name = path.display().to_string();
        let q = match parse(&name, &text) {
            Ok(q) => q,
            Err(diags) => {
                self.problems.push(LoadProblem {
                    file: name,
                    message: join(&diags),
                    left_out: true,
                });
                return;
            }
        };
        let candidate = LoadedQuestionnaire {
            questionnaire: q,
            origin: Origin::Local(path.to_path_buf()),
            hash: text_hash(&text),
            text,
        };
        if self.knows(candidate.id(), &candidate.hash) {
            return; // the very same text (a copy of an embedded one, say) is already known
        }
        let Some(existing) = self.by_id.get(candidate.id()) else {
            self.insert(candidate);
            return;
        };
        // Both versions passed the linter, so they parse.
        let old = Version::parse(existing.version());
        let new = Version::parse(candidate.version());
        let refuse = |why: String| LoadProblem {
            file: name.clone(),
            message: why,
            left_out: true,
        };
        let why = match new.cmp(&old) {
            std::cmp::Ordering::Greater => {
                if let Some(superseded) = self.by_id.insert(candidate.id().to_string(), candidate) {
                    self.kept.push(superseded);
                }
                return;
            }
            std::cmp::Ordering::Less => format!(
                "version {} of `{}` is older than the one in use ({}, from {}): kept only to read sittings recorded with it; raise its version to use it for new sittings",
                candidate.version(),
                candidate.id(),
                existing.version(),
                existing.origin
            ),
            std::cmp::Ordering::Equal => format!(
                "`{}` version {} is already in use from {} with different content: kept only to read sittings recorded with it; give the changed file a higher version to use it",
                candidate.id(),
                candidate.version(),
                existing.origin
            ),
        };
        self.problems.push(refuse(why));
        // Sittings are matched to texts by hash, so keeping it cannot be confused with the
        // text in use.
        self.kept.push(candidate);
    }

    /// Whether this exact text (by id and hash) is known, in use or kept.
    fn knows(&self, id: &str, hash: &str) -> bool {
        self.find_text(id, hash).is_some()
    }

    fn insert(&mut self, q: LoadedQuestionnaire) {
        self.by_id.insert(q.id().to_string(), q);
    }

    /// Cross-check keys that don't pair up make comparisons show as gaps; the questionnaires
    /// stay in use, with a warning naming the local file at fault.
    fn check_pairing(&mut self) {
        let (local, context): (Vec<_>, Vec<_>) = self
            .by_id
            .values()
            .partition(|q| matches!(q.origin, Origin::Local(_)));
        if local.is_empty() {
            return;
        }
        let files: Vec<(String, String)> = local
            .iter()
            .map(|q| (q.origin.to_string(), q.text.clone()))
            .collect();
        let context: Vec<Questionnaire> = context.iter().map(|q| q.questionnaire.clone()).collect();
        for d in lint_set(&files, &context) {
            self.problems.push(LoadProblem {
                file: d.file.clone(),
                message: format!("line {}, column {}: {}", d.line, d.column, d.message),
                left_out: false,
            });
        }
    }

    /// The text in use for `id`: the one new sittings are recorded with.
    pub fn get(&self, id: &str) -> Option<&LoadedQuestionnaire> {
        self.by_id.get(id)
    }

    /// The exact text with this id and SHA-256, in use or kept.
    pub fn find_text(&self, id: &str, sha256: &str) -> Option<&LoadedQuestionnaire> {
        self.by_id
            .get(id)
            .into_iter()
            .chain(self.kept.iter())
            .find(|q| q.id() == id && q.hash == sha256)
    }

    /// The text a sitting recorded with (`id`, `sha256`) is read with: that exact text if
    /// known, else the one in use for the id (`exact` false); `None` if the id is unknown.
    pub fn resolve(&self, id: &str, sha256: &str) -> Option<Resolved<'_>> {
        if let Some(loaded) = self.find_text(id, sha256) {
            return Some(Resolved {
                loaded,
                exact: true,
            });
        }
        self.get(id).map(|loaded| Resolved {
            loaded,
            exact: false,
        })
    }

    /// Whether a text with this SHA-256 is one of the standard set as released (embedded in
    /// this program, in use or not): a recorded hash that is not was a local text.
    pub fn is_standard(&self, sha256: &str) -> bool {
        self.by_id
            .values()
            .chain(self.kept.iter())
            .any(|q| !q.is_local() && q.hash == sha256)
    }

    /// The texts in use, in id order.
    pub fn iter(&self) -> impl Iterator<Item = &LoadedQuestionnaire> {
        self.by_id.values()
    }

    /// The texts kept only to read older sittings, in id then version order.
    pub fn kept(&self) -> Vec<&LoadedQuestionnaire> {
        let mut kept: Vec<&LoadedQuestionnaire> = self.kept.iter().collect();
        kept.sort_by(|a, b| {
            a.id()
                .cmp(b.id())
                .then_with(|| Version::parse(a.version()).cmp(&Version::parse(b.version())))
        });
        kept
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    pub fn problems(&self) -> &[LoadProblem] {
        &self.problems
    }
}

fn join(diags: &[super::Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| format!("line {}, column {}: {}", d.line, d.column, d.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Reads a local file, refusing one too large to be a questionnaire before reading it all,
/// and anything but a regular file or a link to one (a FIFO would hang the program at
/// start). Through the store's disk code, which checks both before reading.
pub fn read_limited(path: &Path) -> Result<String, String> {
    use crate::store::{Refused, disk::read_chosen_file};
    let bytes =
        read_chosen_file(path, MAX_FILE_BYTES as u64).map_err(|e| match Refused::of(&e) {
            Some(Refused::TooLarge { size, limit }) => {
                format!("file is {size} bytes; questionnaires are limited to {limit} bytes")
            }
            Some(refused) => refused.to_string(),
            None => format!("cannot read: {e}"),
        })?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (first bad byte at offset {}); save the file as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}
