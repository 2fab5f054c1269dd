//! The user's age identity: created once, stored passphrase-encrypted, unlocked once per run.
//!
//! The identity file is a standard passphrase-encrypted (scrypt) age file whose plaintext
//! is exactly what `age-keygen` writes, so `age -d identity.age` — or `age -d -i
//! identity.age session.age` — works without this program, years from now.
//!
//! The scrypt work factor is pinned to 2^18 (≈1 s, 256 MiB) instead of age's "about one
//! second on this machine", so a file made on a fast desktop still opens on a slow laptop.
//! That second is paid once, at unlock; sessions are encrypted to the X25519 key, which
//! costs well under a millisecond per file.

use std::fmt;
use std::io::Read;
use std::path::PathBuf;

use age::armor::ArmoredReader;
use age::secrecy::{ExposeSecret, SecretString};
use age::x25519::{Identity, Recipient};
use zeroize::Zeroizing;

use super::crypto::{DecryptProblem, classify};
use super::disk::Disk;
use super::durable::{SaveError, save_durable, save_durable_new};
use super::memlock::InRam;
use super::recipients::{Recipients, RecipientsError, initial_file, parse_recipients};
use crate::custody::signing::SigningKey;
use crate::paths::Paths;

/// scrypt work factor (log2 N) for the identity file: 2^18 ≈ 1 s and 256 MiB.
pub const SCRYPT_WORK_FACTOR: u8 = 18;
/// The largest work factor accepted when unlocking: room for a file re-encrypted by the
/// stock `age` on a faster machine, but bounded (2^20 = 1 GiB) so a damaged or hostile
/// file cannot demand hours of work or all memory.
const MAX_SCRYPT_WORK_FACTOR: u8 = 20;

/// The unlocked X25519 identity. The secret is wiped from memory when this is dropped
/// (age's `Identity` zeroizes its key); drop it to lock. Everything in it lives in one box
/// whose pages are kept out of swap ([`super::memlock`]), so a key added here is covered.
pub struct UnlockedIdentity(InRam<Keys>);

/// What an unlocked identity holds, at one address for its life.
struct Keys {
    identity: Identity,
    recipient: Recipient,
    /// The Ed25519 signing key, derived from the identity (see `custody::signing`); wiped
    /// with it.
    signing: SigningKey,
}

impl UnlockedIdentity {
    /// A brand-new random identity.
    pub fn generate() -> Self {
        Self::from_age(Identity::generate())
    }

    /// Wraps an age identity (for tests and interop tools that made their own).
    pub fn from_age(identity: Identity) -> Self {
        let recipient = identity.to_public();
        let signing = SigningKey::derive(identity.to_string().expose_secret());
        UnlockedIdentity(InRam::new(Keys {
            identity,
            recipient,
            signing,
        }))
    }

    /// The public recipient (`age1…`) matching this identity.
    pub fn recipient(&self) -> Recipient {
        self.0.recipient.clone()
    }

    /// Whether the key's memory is locked out of swap (false where the OS refused).
    pub fn in_ram(&self) -> bool {
        self.0.is_locked()
    }

    pub(crate) fn as_age(&self) -> &Identity {
        &self.0.identity
    }

    /// The signing key every save is signed with.
    pub fn signing(&self) -> &SigningKey {
        &self.0.signing
    }
}

impl fmt::Debug for UnlockedIdentity {
    /// Never prints the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UnlockedIdentity({})", self.0.recipient)
    }
}

/// Why creating or unlocking the identity failed.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// `init` would overwrite an identity.
    #[error("an identity already exists at {}; refusing to overwrite it (files encrypted to it can only be opened with it). To start over, move it away by hand first", .0.display())]
    IdentityExists(PathBuf),
    /// There is no identity file yet.
    #[error("no identity at {}: run `companion init` first (or pass --home to use another folder)", .0.display())]
    NoIdentity(PathBuf),
    /// The passphrase does not open the identity file.
    #[error("wrong passphrase for {}; try again", .0.display())]
    WrongPassphrase(PathBuf),
    /// The identity file is damaged or not an identity file.
    #[error("the identity file {} is unusable: {problem}. It was not changed; restore it from a backup", .path.display())]
    CorruptIdentity {
        /// The identity file.
        path: PathBuf,
        /// What is wrong (never the secret).
        problem: String,
    },
    /// Reading the identity file failed.
    #[error("could not read the identity file {}: {source}", .path.display())]
    Read {
        /// The identity file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// An empty passphrase was given.
    #[error("the passphrase is empty; choose a passphrase of several words")]
    EmptyPassphrase,
    /// The existing recipients file is invalid, so `init` wrote nothing.
    #[error(transparent)]
    Recipients(#[from] RecipientsError),
    /// Writing a key file failed.
    #[error(transparent)]
    Save(#[from] SaveError),
    /// Encryption failed (broken random source).
    #[error("could not encrypt the identity: {0}")]
    Encrypt(String),
}

/// The plaintext of an identity file, as `age-keygen` writes it.
fn identity_plaintext(identity: &Identity) -> Zeroizing<String> {
    let secret = identity.to_string();
    let created = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
    let public = identity.to_public();
    // Reserve up front: growing a String copies it and leaves the old buffer unwiped.
    let mut text = Zeroizing::new(String::with_capacity(256));
    text.push_str(&format!("# created: {created}\n# public key: {public}\n"));
    text.push_str(secret.expose_secret());
    text.push('\n');
    text
}

/// Finds and parses the `AGE-SECRET-KEY-1…` line of an identity file's plaintext.
fn parse_identity(plaintext: &[u8]) -> Result<Identity, String> {
    let text = std::str::from_utf8(plaintext).map_err(|_| "its contents are not text")?;
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
        .ok_or("it holds no AGE-SECRET-KEY-1 line")?;
    line.parse::<Identity>()
        .map_err(|e| format!("its secret key line is invalid ({e})"))
}

/// Decrypts an identity file's bytes with `passphrase`.
fn open_identity_file(
    bytes: &[u8],
    passphrase: &SecretString,
    path: &std::path::Path,
) -> Result<Identity, KeyError> {
    let corrupt = |problem: String| KeyError::CorruptIdentity {
        path: path.to_path_buf(),
        problem,
    };
    let decryptor = age::Decryptor::new_buffered(ArmoredReader::new(bytes))
        .map_err(|e| corrupt(classify(e).to_string()))?;
    if !decryptor.is_scrypt() {
        return Err(corrupt(
            "it is an age file but not passphrase-encrypted".to_string(),
        ));
    }
    let mut scrypt = age::scrypt::Identity::new(passphrase.clone());
    scrypt.set_max_work_factor(MAX_SCRYPT_WORK_FACTOR);
    let mut reader = match decryptor.decrypt(std::iter::once(&scrypt as &dyn age::Identity)) {
        Ok(r) => r,
        // The passphrase-derived key did not open the file key: a wrong passphrase (age's
        // AEAD cannot tell that apart from a damaged key stanza).
        Err(age::DecryptError::DecryptionFailed) => {
            return Err(KeyError::WrongPassphrase(path.to_path_buf()));
        }
        Err(age::DecryptError::ExcessiveWork { required, .. }) => {
            return Err(corrupt(format!(
                "it asks for scrypt work factor 2^{required}, above the limit of 2^{MAX_SCRYPT_WORK_FACTOR}"
            )));
        }
        Err(e) => return Err(corrupt(classify(e).to_string())),
    };
    let mut plaintext = Zeroizing::new(Vec::with_capacity(bytes.len()));
    reader.read_to_end(&mut plaintext).map_err(|e| {
        corrupt(match e.kind() {
            std::io::ErrorKind::UnexpectedEof => DecryptProblem::Truncated.to_string(),
            _ => DecryptProblem::Tampered.to_string(),
        })
    })?;
    parse_identity(&plaintext).map_err(corrupt)
}

/// Creates a new identity, stores it passphrase-encrypted at `paths.identity_file()`, and
/// writes its recipient to `paths.recipients_file()` (first, keeping any valid recipients
/// already there). Refuses if an identity exists; writes nothing if anything is invalid.
pub fn create_identity<D: Disk + ?Sized>(
    disk: &D,
    paths: &Paths,
    passphrase: &SecretString,
) -> Result<(UnlockedIdentity, Recipients), KeyError> {
    if passphrase.expose_secret().is_empty() {
        return Err(KeyError::EmptyPassphrase);
    }
    let id_path = paths.identity_file();
    let rec_path = paths.recipients_file();
    match disk.exists(&id_path) {
        Ok(false) => {}
        Ok(true) => return Err(KeyError::IdentityExists(id_path)),
        Err(source) => {
            return Err(KeyError::Read {
                path: id_path,
                source,
            });
        }
    }
    // Validate an existing recipients file before writing anything.
    // A check that fails is not "no file": a recipients file we could not see may hold team
    // keys, and writing a fresh one over it would silently stop encrypting to them.
    let kept = match disk.exists(&rec_path) {
        Ok(false) => None,
        Ok(true) => {
            let bytes = disk
                .read_limited(&rec_path, super::limits::RECIPIENTS_FILE_LIMIT)
                .map_err(|source| RecipientsError::Read {
                    path: rec_path.clone(),
                    source,
                })?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            Some(parse_recipients(&rec_path, &text)?)
        }
        Err(source) => {
            return Err(RecipientsError::Read {
                path: rec_path,
                source,
            }
            .into());
        }
    };

    let identity = Identity::generate();
    let plaintext = identity_plaintext(&identity);
    let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
    recipient.set_work_factor(SCRYPT_WORK_FACTOR);
    let ciphertext = age::encrypt(&recipient, plaintext.as_bytes())
        .map_err(|e| KeyError::Encrypt(e.to_string()))?;
    drop(plaintext);
    // Parse what we serialized before writing it: the file must open with this passphrase
    // and give back this key (one extra scrypt, once in the life of the key).
    let check = open_identity_file(&ciphertext, passphrase, &id_path)?;
    if check.to_public().to_string() != identity.to_public().to_string() {
        return Err(KeyError::Encrypt(
            "the encrypted identity did not read back".to_string(),
        ));
    }

    disk.create_dir_all(&paths.config)
        .map_err(|e| SaveError::new(super::durable::SaveStep::CreateDir, &paths.config, e))?;
    if let Err(e) = save_durable_new(disk, &id_path, &ciphertext) {
        // Only a failed folder flush comes after the rename: the new key file is then in
        // place but unconfirmed, and the recipients file does not list it. Nothing was ever
        // encrypted to the key, so take it back and let `init` simply be run again.
        if e.step.target_may_be_new() {
            let _ = disk.remove_file(&id_path);
        }
        return Err(e.into());
    }

    let own = identity.to_public();
    let mut text = initial_file(&own);
    let mut list = vec![own.clone()];
    if let Some(kept) = kept {
        let others: Vec<_> = kept
            .iter()
            .filter(|r| r.to_string() != own.to_string())
            .collect();
        if !others.is_empty() {
            text.push_str("# Kept from the recipients file that was here before:\n");
            for r in others {
                text.push_str(&format!("{r}\n"));
                list.push(r.clone());
            }
        }
    }
    if let Err(e) = save_durable(disk, &rec_path, text.as_bytes()) {
        // The recipients file is as it was, without the new key. Kept, the identity would
        // lock the user out (every unlock needs the recipients file, and `init` refuses to
        // overwrite an identity). Nothing was ever encrypted to it: take it back, so `init`
        // can simply be run again. (After a failed folder flush the new recipients file is
        // in place, listing the key: the pair is whole, so keep it.)
        if !e.step.target_may_be_new() {
            let _ = disk.remove_file(&id_path);
        }
        return Err(e.into());
    }
    let recipients = Recipients::from_list(list).unwrap_or_else(|| Recipients::single(own));
    Ok((UnlockedIdentity::from_age(identity), recipients))
}

/// Unlocks the identity at `paths.identity_file()` with `passphrase`: one scrypt.
/// Never writes anything, whatever happens.
pub fn unlock<D: Disk + ?Sized>(
    disk: &D,
    paths: &Paths,
    passphrase: &SecretString,
) -> Result<UnlockedIdentity, KeyError> {
    let path = paths.identity_file();
    let bytes = match disk.read_limited(&path, super::limits::IDENTITY_FILE_LIMIT) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(KeyError::NoIdentity(path));
        }
        Err(source) => return Err(KeyError::Read { path, source }),
    };
    let identity = open_identity_file(&bytes, passphrase, &path)?;
    Ok(UnlockedIdentity::from_age(identity))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_plaintext_is_age_keygen_format() -> Result<(), String> {
        let id = Identity::generate();
        let text = identity_plaintext(&id);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("# created: "));
        assert_eq!(lines[1], format!("# public key: {}", id.to_public()));
        assert!(lines[2].starts_with("AGE-SECRET-KEY-1"));
        let back = parse_identity(text.as_bytes())?;
        assert_eq!(back.to_public().to_string(), id.to_public().to_string());
        Ok(())
    }

    #[test]
    fn parse_identity_names_problems() {
        assert!(parse_identity(b"# nothing\n").is_err_and(|e| e.contains("no AGE-SECRET-KEY")));
        assert!(parse_identity(b"AGE-SECRET-KEY-1XYZ\n").is_err_and(|e| e.contains("invalid")));
        assert!(parse_identity(&[0xff, 0xfe]).is_err());
    }

    #[test]
    fn debug_does_not_print_the_secret() {
        let id = UnlockedIdentity::generate();
        let shown = format!("{id:?}");
        assert!(shown.contains("age1"));
        assert!(!shown.contains("AGE-SECRET-KEY"));
    }
}
