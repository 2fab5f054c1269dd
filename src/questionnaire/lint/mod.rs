//! The linter: every problem in a questionnaire file, each with `file:line:column`.
//!
//! The passes over one file: TOML syntax, then the keys (every unknown key, not just the
//! first, which is all serde would give; `keys.rs`), then the types and required keys, part
//! by part (`types.rs`), then the rules serde cannot express (`rules.rs`). Every pass that
//! can run does, so one run reports everything it can find; a pass that cannot (no rules
//! without readable types, nothing without valid TOML) says so in a note. [`lint_set`] adds
//! the checks across files: cross-check keys must pair up between the suspect and partner
//! questionnaires with matching answer types.

use std::fmt;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

mod derived;
mod keys;
mod rules;
mod types;

use super::position::{Seg, entry, line_col, locate};
use super::{Questionnaire, Version};

/// The start of a note saying a pass could not run (not a problem of its own).
pub const NOT_CHECKED: &str = "not checked yet: ";

/// Files larger than this are refused before parsing: no real questionnaire comes close,
/// and a huge hostile file should not stall the program at start-up.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// One problem, pointing into a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Diagnostic {
    /// Whether this says a pass could not run, rather than naming a problem.
    pub fn is_note(&self) -> bool {
        self.message.starts_with(NOT_CHECKED)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Parses one file and checks everything that can be checked in it alone.
pub fn parse(file: &str, text: &str) -> Result<Questionnaire, Vec<Diagnostic>> {
    if text.len() > MAX_FILE_BYTES {
        return Err(vec![Diagnostic {
            file: file.to_string(),
            line: 1,
            column: 1,
            message: format!(
                "file is {} bytes; questionnaires are limited to {} bytes",
                text.len(),
                MAX_FILE_BYTES
            ),
        }]);
    }
    let (questionnaire, diags) = check(file, text);
    match questionnaire {
        Some(q) if diags.is_empty() => Ok(q),
        _ => Err(diags),
    }
}

/// Every pass that can run over one file: the problems found, and the questionnaire when
/// its types read (even if other problems were found, so the checks across files can run).
fn check(file: &str, text: &str) -> (Option<Questionnaire>, Vec<Diagnostic>) {
    let doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(err) => {
            let offset = err.span().map_or(0, |s| s.start);
            let note = Diagnostic {
                file: file.to_string(),
                line: 1,
                column: 1,
                message: format!(
                    "{NOT_CHECKED}keys, types and rules need the file to be valid TOML; run the linter again once the line above is fixed"
                ),
            };
            return (
                None,
                vec![diag_at(file, text, offset, syntax_message(&err)), note],
            );
        }
    };
    let mut checker = Checker {
        file,
        text,
        doc: &doc,
        diags: Vec::new(),
    };
    checker.check_keys();
    checker.check_text(&[], doc.get_ref());
    let questionnaire = checker.check_types();
    match &questionnaire {
        Some(q) => checker.check_rules(q),
        None => checker.diags.push(Diagnostic {
            file: file.to_string(),
            line: 1,
            column: 1,
            message: format!(
                "{NOT_CHECKED}the rules (ids, options, ranges, cross-checks) need every value to have the right type; run the linter again once those are fixed"
            ),
        }),
    }
    (questionnaire, checker.diags)
}

/// Every problem in one file, checked alone.
pub fn lint_text(file: &str, text: &str) -> Vec<Diagnostic> {
    parse(file, text).err().unwrap_or_default()
}

/// Checks several files together: each alone, then the cross-check pairing between the
/// suspect and partner questionnaires among them and `context` (questionnaires in use that
/// are not being linted, such as the embedded set). Problems are reported only in `files`.
///
/// Several versions of one questionnaire (a folder of released versions beside the current
/// one) are not duplicates: only the newest of each id takes part in the pairing, as only it
/// is in use; the older ones are checked alone. Two files with the same id and version but
/// different text are an error: a sitting could not tell them apart by version.
pub fn lint_set(files: &[(String, String)], context: &[Questionnaire]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut parsed = Vec::new();
    for (name, text) in files {
        if text.len() > MAX_FILE_BYTES {
            diags.extend(parse(name, text).err().unwrap_or_default());
            continue;
        }
        // A file with other problems is still paired if its types read.
        let (q, mut d) = check(name, text);
        diags.append(&mut d);
        if let Some(q) = q {
            parsed.push((name.as_str(), text.as_str(), q));
        }
    }
    let newest = |q: &Questionnaire| {
        let v = Version::parse(&q.header.version);
        parsed
            .iter()
            .filter(|(_, _, o)| o.header.id == q.header.id)
            .all(|(_, _, o)| Version::parse(&o.header.version) <= v)
    };
    for (i, (name, text, q)) in parsed.iter().enumerate() {
        let twin = parsed[..i].iter().find(|(_, other_text, o)| {
            o.header.id == q.header.id
                && Version::parse(&o.header.version) == Version::parse(&q.header.version)
                && other_text != text
        });
        if let Some((other, _, _)) = twin {
            let offset = text.find("version").unwrap_or(0);
            diags.push(diag_at(
                name,
                text,
                offset,
                format!(
                    "`{}` version {} is also in {other} with different text; give the changed one a higher version",
                    inert(&q.header.id),
                    inert(&q.header.version)
                ),
            ));
        }
    }
    let in_use: Vec<(&str, &str, Questionnaire)> = parsed
        .iter()
        .filter(|(_, _, q)| newest(q))
        .map(|(n, t, q)| (*n, *t, q.clone()))
        .collect();
    diags.extend(super::pairing::check_pairing(&in_use, context));
    diags
}

fn syntax_message(err: &toml::de::Error) -> String {
    // toml's message can span lines; keep the first, which says what is wrong.
    err.message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .to_string()
}

pub(super) fn diag_at(file: &str, text: &str, offset: usize, message: String) -> Diagnostic {
    let (line, column) = line_col(text, offset);
    Diagnostic {
        file: file.to_string(),
        line,
        column,
        message,
    }
}

struct Checker<'a, 'i> {
    file: &'a str,
    text: &'a str,
    doc: &'a Spanned<DeTable<'i>>,
    diags: Vec<Diagnostic>,
}

impl Checker<'_, '_> {
    fn at(&mut self, path: &[Seg<'_>], message: String) {
        let span = locate(self.doc, path);
        self.diags
            .push(diag_at(self.file, self.text, span.start, message));
    }
}

/// The tables of an array of tables (`[[name]]`) with their indexes; `None` if absent or not
/// an array (serde reports the wrong type).
fn array_of_tables<'t, 'i>(
    table: &'t DeTable<'i>,
    name: &str,
) -> Option<impl Iterator<Item = (usize, &'t DeTable<'i>)>> {
    let (_, v) = entry(table, name)?;
    let DeValue::Array(items) = v.get_ref() else {
        return None;
    };
    Some(
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match item.get_ref() {
                DeValue::Table(t) => Some((i, t)),
                _ => None,
            }),
    )
}

fn bad_control_char(s: &str) -> Option<char> {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let ok = match c {
            '\n' | '\t' => true,
            '\r' => chars.peek() == Some(&'\n'),
            _ => !c.is_control(),
        };
        if !ok {
            return Some(c);
        }
    }
    None
}

/// Text from the file, made safe to print in a message: control characters escaped.
pub(super) fn inert(s: &str) -> String {
    s.chars().flat_map(char::escape_debug).collect::<String>()
}

fn quoted(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("\"{}\"", inert(v)))
        .collect::<Vec<_>>()
        .join(", ")
}
