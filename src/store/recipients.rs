//! The recipients file: who every save is encrypted to.
//!
//! One `age1…` X25519 recipient per line, blank lines and `#` comments allowed — the same
//! format as `age -R`, so the file also works with the stock tool. `companion init` writes
//! the user's own recipient first; `companion keys add-recipient` appends team or
//! supervisor keys. Reading validates every line and names the first bad one as
//! `file:line`, so a typo is never silently dropped (which would quietly stop encrypting
//! to a supervisor).

use std::path::{Path, PathBuf};

use age::x25519::Recipient;

use super::disk::Disk;
use super::durable::{SaveError, save_durable};

/// Length of an `age1…` X25519 recipient in Bech32.
const X25519_RECIPIENT_LEN: usize = 62;

/// A non-empty list of X25519 recipients, in file order, without duplicates.
#[derive(Debug, Clone)]
pub struct Recipients(Vec<Recipient>);

impl Recipients {
    /// A list of one.
    pub fn single(r: Recipient) -> Self {
        Recipients(vec![r])
    }

    /// `None` if `list` is empty (age refuses to encrypt to nobody). Duplicates are dropped.
    pub fn from_list(list: Vec<Recipient>) -> Option<Self> {
        let mut out: Vec<Recipient> = Vec::with_capacity(list.len());
        for r in list {
            if !out.iter().any(|o| o.to_string() == r.to_string()) {
                out.push(r);
            }
        }
        (!out.is_empty()).then_some(Recipients(out))
    }

    /// The recipients, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Recipient> {
        self.0.iter()
    }

    /// How many recipients there are (at least one).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false; present for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first recipient: the user's own, as written by `companion init`.
    pub fn first(&self) -> &Recipient {
        // Non-empty by construction.
        &self.0[0]
    }

    /// Whether `r` is in the list.
    pub fn contains(&self, r: &Recipient) -> bool {
        let s = r.to_string();
        self.0.iter().any(|o| o.to_string() == s)
    }

    /// The list with `own` added at the front if missing, so a hand-edited file can never
    /// lock the user out of their own saves.
    pub fn with_own(mut self, own: &Recipient) -> Self {
        if !self.contains(own) {
            self.0.insert(0, own.clone());
        }
        self
    }
}

/// A problem with the recipients file or a recipient typed by a person.
#[derive(Debug, thiserror::Error)]
pub enum RecipientsError {
    /// The file could not be read.
    #[error("could not read the recipients file {}: {source}. Run `companion init` if you have no identity yet", .path.display())]
    Read {
        /// The recipients file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A line is not a valid recipient.
    #[error("{}:{line}: {problem}. Fix or remove that line (lines starting with # are comments)", .path.display())]
    BadLine {
        /// The recipients file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        problem: String,
    },
    /// The file holds no recipient at all.
    #[error("{} lists no recipients; run `companion init`, or add your own age1… key to it", .path.display())]
    Empty {
        /// The recipients file.
        path: PathBuf,
    },
    /// A recipient given on the command line is not valid.
    #[error("{0}")]
    BadInput(String),
    /// The updated file could not be saved.
    #[error(transparent)]
    Save(#[from] SaveError),
}

/// Parses one recipient, saying what is wrong in words a person can act on.
pub fn parse_recipient(text: &str) -> Result<Recipient, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty recipient".to_string());
    }
    if t.starts_with("AGE-SECRET-KEY-") {
        return Err("this is a SECRET key, not a public recipient: never share it; give the age1… public key instead".to_string());
    }
    if t.starts_with("ssh-") {
        return Err(
            "SSH keys are not supported as recipients; use an age1… X25519 recipient".to_string(),
        );
    }
    if !t.to_ascii_lowercase().starts_with("age1") {
        return Err(format!(
            "{t:?} is not an age recipient: it must start with age1"
        ));
    }
    t.parse::<Recipient>().map_err(|e| {
        if t.len() == X25519_RECIPIENT_LEN {
            format!("{t:?} is not a valid age recipient ({e}); copy it again, a character may be wrong")
        } else {
            format!(
                "{t:?} is not a valid age recipient: an age X25519 recipient is {X25519_RECIPIENT_LEN} characters, this is {} (plugin and post-quantum recipients are not supported)",
                t.chars().count()
            )
        }
    })
}

/// Parses a recipients file's text; `path` is used for messages only.
pub fn parse_recipients(path: &Path, text: &str) -> Result<Recipients, RecipientsError> {
    let mut list = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let r = parse_recipient(line).map_err(|problem| RecipientsError::BadLine {
            path: path.to_path_buf(),
            line: i + 1,
            problem,
        })?;
        list.push(r);
    }
    Recipients::from_list(list).ok_or_else(|| RecipientsError::Empty {
        path: path.to_path_buf(),
    })
}

/// Reads and validates the recipients file.
pub fn read_recipients<D: Disk + ?Sized>(
    disk: &D,
    path: &Path,
) -> Result<Recipients, RecipientsError> {
    let bytes = disk
        .read_limited(path, super::limits::RECIPIENTS_FILE_LIMIT)
        .map_err(|source| RecipientsError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    let text = String::from_utf8(bytes).map_err(|e| RecipientsError::BadLine {
        path: path.to_path_buf(),
        line: line_of_offset(e.as_bytes(), e.utf8_error().valid_up_to()),
        problem: "not valid UTF-8 text".to_string(),
    })?;
    parse_recipients(path, &text)
}

fn line_of_offset(bytes: &[u8], offset: usize) -> usize {
    bytes
        .get(..offset)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
        + 1
}

/// The text of a fresh recipients file holding only `own`.
pub(crate) fn initial_file(own: &Recipient) -> String {
    format!(
        "# age recipients: every save is encrypted to ALL of these, one per line.\n\
         # The first is your own key (from `companion init`). Add team or supervisor keys\n\
         # with `companion keys add-recipient age1…`. Works with `age -R` too.\n\
         {own}\n"
    )
}

/// Whether `add_recipient` changed the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// The recipient was appended.
    Added,
    /// It was already listed; the file was left as it was.
    AlreadyPresent,
}

/// Validates `input` and appends it to the recipients file (durably), unless present.
/// The whole existing file must be valid first: we never rewrite a file we cannot read.
pub fn add_recipient<D: Disk + ?Sized>(
    disk: &D,
    path: &Path,
    input: &str,
) -> Result<(Added, Recipients), RecipientsError> {
    let new = parse_recipient(input).map_err(RecipientsError::BadInput)?;
    let bytes = disk
        .read_limited(path, super::limits::RECIPIENTS_FILE_LIMIT)
        .map_err(|source| RecipientsError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    let mut text = String::from_utf8(bytes).map_err(|_| RecipientsError::BadLine {
        path: path.to_path_buf(),
        line: 1,
        problem: "not valid UTF-8 text".to_string(),
    })?;
    let current = parse_recipients(path, &text)?;
    if current.contains(&new) {
        return Ok((Added::AlreadyPresent, current));
    }
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!("{new}\n"));
    save_durable(disk, path, text.as_bytes())?;
    let updated = parse_recipients(path, &text)?;
    Ok((Added::Added, updated))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::disk::RealDisk;
    use crate::store::keys::UnlockedIdentity;

    fn key() -> String {
        UnlockedIdentity::generate().recipient().to_string()
    }

    #[test]
    fn comments_blank_lines_and_dupes() -> Result<(), RecipientsError> {
        let a = key();
        let b = key();
        let text = format!("# mine\n\n{a}\n  {b}  \n{a}\n");
        let r = parse_recipients(Path::new("r.txt"), &text)?;
        assert_eq!(r.len(), 2);
        assert_eq!(r.first().to_string(), a);
        Ok(())
    }

    #[test]
    fn bad_line_is_named_with_file_and_line() {
        let text = format!("# c\n{}\nage1notakey\n", key());
        let err = parse_recipients(Path::new("/c/recipients.txt"), &text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("/c/recipients.txt:3: "), "{err}");
        assert!(err.contains("not a valid age recipient"), "{err}");
    }

    #[test]
    fn inputs_get_specific_messages() {
        let msg = |s: &str| parse_recipient(s).err().unwrap_or_default();
        assert!(msg("AGE-SECRET-KEY-1ABC").contains("SECRET"));
        assert!(msg("ssh-ed25519 AAAA").contains("SSH"));
        assert!(msg("hello").contains("must start with age1"));
        assert!(msg("age1qqqq").contains("not a valid"));
        assert!(msg("").contains("empty"));
        assert!(parse_recipient(&key()).is_ok());
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(matches!(
            parse_recipients(Path::new("r"), "# only comments\n"),
            Err(RecipientsError::Empty { .. })
        ));
    }

    #[test]
    fn add_appends_once_and_refuses_bad_input() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let path = tmp.path().join("recipients.txt");
        let own = UnlockedIdentity::generate().recipient();
        std::fs::write(&path, initial_file(&own))?;
        let other = key();
        let (added, list) = add_recipient(&RealDisk, &path, &other)?;
        assert_eq!(added, Added::Added);
        assert_eq!(list.len(), 2);
        let (again, _) = add_recipient(&RealDisk, &path, &format!("  {other}\n"))?;
        assert_eq!(again, Added::AlreadyPresent);
        let before = std::fs::read(&path)?;
        assert!(add_recipient(&RealDisk, &path, "age1bad").is_err());
        assert_eq!(std::fs::read(&path)?, before);
        Ok(())
    }

    #[test]
    fn add_never_rewrites_a_file_with_a_bad_line() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let path = tmp.path().join("recipients.txt");
        std::fs::write(&path, "garbage\n")?;
        let err = add_recipient(&RealDisk, &path, &key()).err();
        assert!(matches!(
            err,
            Some(RecipientsError::BadLine { line: 1, .. })
        ));
        assert_eq!(std::fs::read(&path)?, b"garbage\n");
        Ok(())
    }

    #[test]
    fn with_own_puts_own_key_back() {
        let own = UnlockedIdentity::generate().recipient();
        let other = UnlockedIdentity::generate().recipient();
        let r = Recipients::single(other).with_own(&own);
        assert_eq!(r.len(), 2);
        assert_eq!(r.first().to_string(), own.to_string());
    }
}
