//! The questionnaires in use: the embedded standard set, extended or overridden by a local
//! folder. A local file that fails the linter is reported and left out; it never stops the
//! program.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::lint::{MAX_FILE_BYTES, lint_set, parse};
use super::{Questionnaire, Version};

/// The standard set, `(file name, text)`, embedded by `build.rs` from `questionnaires/`.
pub const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

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

    pub fn text(&self) -> &str {
        &self.text
    }
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

/// The questionnaires in use, by id, and the problems met while loading them.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    by_id: BTreeMap<String, LoadedQuestionnaire>,
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
        for (name, text) in EMBEDDED {
            match parse(name, text) {
                Ok(q) => catalog.insert(LoadedQuestionnaire {
                    questionnaire: q,
                    origin: Origin::Embedded(name),
                    hash: text_hash(text),
                    text: (*text).to_string(),
                }),
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
        let Some(existing) = self.by_id.get(candidate.id()) else {
            self.insert(candidate);
            return;
        };
        // Both versions passed the linter, so they parse.
        let old = Version::parse(&existing.questionnaire.header.version);
        let new = Version::parse(&candidate.questionnaire.header.version);
        let refuse = |why: String| LoadProblem {
            file: name.clone(),
            message: why,
            left_out: true,
        };
        match new.cmp(&old) {
            std::cmp::Ordering::Greater => self.insert(candidate),
            std::cmp::Ordering::Less => {
                let why = format!(
                    "version {} of `{}` is older than the one in use ({}, from {}); raise its version to use it",
                    candidate.questionnaire.header.version,
                    candidate.id(),
                    existing.questionnaire.header.version,
                    existing.origin
                );
                self.problems.push(refuse(why));
            }
            std::cmp::Ordering::Equal if existing.hash == candidate.hash => {}
            std::cmp::Ordering::Equal => {
                let why = format!(
                    "`{}` version {} is already in use from {} with different content; give the changed file a higher version",
                    candidate.id(),
                    candidate.questionnaire.header.version,
                    existing.origin
                );
                self.problems.push(refuse(why));
            }
        }
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

    pub fn get(&self, id: &str) -> Option<&LoadedQuestionnaire> {
        self.by_id.get(id)
    }

    /// In id order.
    pub fn iter(&self) -> impl Iterator<Item = &LoadedQuestionnaire> {
        self.by_id.values()
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

/// Reads a local file, refusing one too large to be a questionnaire before reading it all.
pub fn read_limited(path: &Path) -> Result<String, String> {
    let len = std::fs::metadata(path)
        .map_err(|e| format!("cannot read: {e}"))?
        .len();
    if len > MAX_FILE_BYTES as u64 {
        return Err(format!(
            "file is {len} bytes; questionnaires are limited to {MAX_FILE_BYTES} bytes"
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (first bad byte at offset {}); save the file as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}
