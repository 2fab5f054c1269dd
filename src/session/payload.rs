//! The decrypted payload of case and sitting files: versioned TOML a person can read.
//!
//! The format is documented in `docs/record-format.md`. Errors never quote the payload:
//! it holds answers, and error messages end up on screens and in terminals.

use serde::{Deserialize, Serialize};

use super::{AnswerValue, Case, EventKind, Sitting};

pub const CASE_FORMAT: &str = "interview-companion/case";
pub const SITTING_FORMAT: &str = "interview-companion/sitting";
/// The newest case format this program reads and the one it writes.
pub const CASE_FORMAT_VERSION: u32 = 1;
/// The newest sitting format this program reads and the one it writes. 2 added dates known
/// to the year or month, undo and redo (`reverts`) and the resume position
/// (`current_question`); every version 1 file reads unchanged.
pub const SITTING_FORMAT_VERSION: u32 = 2;

/// Why a decrypted payload could not be read. Never carries the payload's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("not UTF-8 text")]
    NotText,
    #[error("not a valid record: TOML problem at line {line}, column {column}")]
    Syntax { line: usize, column: usize },
    #[error("holds a {found:?} record where a {expected:?} record was expected")]
    WrongFormat { expected: String, found: String },
    #[error(
        "written in record format {found}, newer than this program reads ({newest}); update the program to open it"
    )]
    NewerVersion { found: u32, newest: u32 },
    #[error("not a valid {what} record: a field is missing or has the wrong type near line {line}")]
    Invalid { what: &'static str, line: usize },
    #[error("the record did not read back the same as it was written; nothing was saved")]
    RoundTrip,
    /// A number answer is NaN: it could be read but never written back (NaN is not equal
    /// to itself, so the write-back check would refuse every later save of the sitting).
    #[error("not a valid sitting record: an answer's number is not a number (NaN)")]
    NotANumber,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    format: String,
    format_version: u32,
    case: Case,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SittingFile {
    format: String,
    format_version: u32,
    sitting: Sitting,
}

impl Case {
    /// Serializes, and checks the result reads back identically before anyone writes it.
    pub fn to_payload(&self) -> Result<String, PayloadError> {
        let file = CaseFile {
            format: CASE_FORMAT.into(),
            format_version: CASE_FORMAT_VERSION,
            case: self.clone(),
        };
        let text = toml::to_string(&file).map_err(|_| PayloadError::RoundTrip)?;
        if Case::from_payload(text.as_bytes()).as_ref() != Ok(self) {
            return Err(PayloadError::RoundTrip);
        }
        Ok(text)
    }

    pub fn from_payload(bytes: &[u8]) -> Result<Case, PayloadError> {
        let text = std::str::from_utf8(bytes).map_err(|_| PayloadError::NotText)?;
        let file: CaseFile = parse(text, CASE_FORMAT, CASE_FORMAT_VERSION, "case")?;
        check_header_fields(
            &file.format,
            file.format_version,
            CASE_FORMAT,
            CASE_FORMAT_VERSION,
        )?;
        Ok(file.case)
    }
}

impl Sitting {
    /// Serializes, and checks the result reads back identically before anyone writes it.
    pub fn to_payload(&self) -> Result<String, PayloadError> {
        let file = SittingFile {
            format: SITTING_FORMAT.into(),
            format_version: SITTING_FORMAT_VERSION,
            sitting: self.clone(),
        };
        let text = toml::to_string(&file).map_err(|_| PayloadError::RoundTrip)?;
        if Sitting::from_payload(text.as_bytes()).as_ref() != Ok(self) {
            return Err(PayloadError::RoundTrip);
        }
        Ok(text)
    }

    pub fn from_payload(bytes: &[u8]) -> Result<Sitting, PayloadError> {
        let text = std::str::from_utf8(bytes).map_err(|_| PayloadError::NotText)?;
        let file: SittingFile = parse(text, SITTING_FORMAT, SITTING_FORMAT_VERSION, "sitting")?;
        check_header_fields(
            &file.format,
            file.format_version,
            SITTING_FORMAT,
            SITTING_FORMAT_VERSION,
        )?;
        let nan = file.sitting.events.iter().any(|e| {
            matches!(&e.kind, EventKind::Answer { value: AnswerValue::Number { number }, .. } if number.is_nan())
        });
        if nan {
            return Err(PayloadError::NotANumber);
        }
        Ok(file.sitting)
    }
}

/// Parses a record in one pass on the happy path (every save reads its payload back, and
/// review parses every sitting of a case). Only when that fails is the text read again as a
/// plain table, so a newer or different record gets a message that says so rather than a
/// field error.
fn parse<T: serde::de::DeserializeOwned>(
    text: &str,
    expected: &str,
    newest: u32,
    what: &'static str,
) -> Result<T, PayloadError> {
    toml::from_str(text).map_err(|e| match check_header(text, expected, newest) {
        Err(header) => header,
        Ok(()) => invalid(text, &e, what),
    })
}

/// The header checks for a record that parsed.
fn check_header_fields(
    found: &str,
    version: u32,
    expected: &str,
    newest: u32,
) -> Result<(), PayloadError> {
    if found != expected {
        return Err(PayloadError::WrongFormat {
            expected: expected.into(),
            found: found.into(),
        });
    }
    if version > newest {
        return Err(PayloadError::NewerVersion {
            found: version,
            newest,
        });
    }
    Ok(())
}

/// Checks `format` and `format_version` of a record that did not parse.
fn check_header(text: &str, expected: &str, newest: u32) -> Result<(), PayloadError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let (line, column) = position(text, &e);
        PayloadError::Syntax { line, column }
    })?;
    let found = table.get("format").and_then(|v| v.as_str()).unwrap_or("");
    if found != expected {
        return Err(PayloadError::WrongFormat {
            expected: expected.into(),
            found: found.into(),
        });
    }
    let version = table
        .get("format_version")
        .and_then(|v| v.as_integer())
        .unwrap_or(0);
    if version > i64::from(newest) {
        return Err(PayloadError::NewerVersion {
            found: u32::try_from(version).unwrap_or(u32::MAX),
            newest,
        });
    }
    Ok(())
}

fn invalid(text: &str, err: &toml::de::Error, what: &'static str) -> PayloadError {
    PayloadError::Invalid {
        what,
        line: position(text, err).0,
    }
}

fn position(text: &str, err: &toml::de::Error) -> (usize, usize) {
    let offset = err.span().map_or(0, |s| s.start).min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
