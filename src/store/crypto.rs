//! age encryption in memory: plaintext never touches the disk.
//!
//! Files are binary age v1 (not armored): smaller, and `age -d` reads them as they are.
//! Armored files (`age -a`) are still read, so a file someone encrypted by hand opens too.
//! Decryption failures are sorted into what a person can act on: not an age file at all,
//! cut short, not encrypted to this key, or altered/damaged.

use std::io::{Read, Write};

use age::armor::ArmoredReader;
use zeroize::Zeroizing;

use super::keys::UnlockedIdentity;
use super::recipients::Recipients;

/// The first bytes of every binary age v1 file.
const AGE_MAGIC: &[u8] = b"age-encryption.org/";
/// The first bytes of an ASCII-armored age file.
const ARMOR_MAGIC: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

/// Encryption failed. Only possible with an empty recipient list (prevented by
/// [`Recipients`]) or a broken random source; kept typed so callers never panic.
#[derive(Debug, thiserror::Error)]
#[error("could not encrypt: {0}")]
pub struct EncryptError(String);

impl From<EncryptError> for std::io::Error {
    fn from(e: EncryptError) -> Self {
        std::io::Error::other(e.0)
    }
}

/// What is wrong with a file that did not decrypt. Never carries plaintext.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecryptProblem {
    /// The bytes are not an age file at all.
    #[error(
        "it is not an age-encrypted file (it does not start with the age header); it may have been replaced or overwritten"
    )]
    NotAgeFile,
    /// The file ends before the age format says it should.
    #[error("it is truncated (the file ends early); restore it from a backup")]
    Truncated,
    /// None of the file's recipients is this identity.
    #[error(
        "it was not encrypted to your key (or its header is damaged); open it with the key it was made for"
    )]
    NoMatchingKey,
    /// The header MAC or a payload chunk failed authentication.
    #[error(
        "it failed its integrity check: it was damaged, cut short or altered after it was saved; restore it from a backup"
    )]
    Tampered,
    /// A newer age format than this program knows.
    #[error("it uses an age format version this program does not know; try a newer version")]
    UnknownVersion,
    /// Anything else age reported.
    #[error("it could not be decrypted: {0}")]
    Other(String),
}

/// Encrypts `plaintext` to every recipient, in memory, as binary age.
pub fn encrypt(plaintext: &[u8], recipients: &Recipients) -> Result<Vec<u8>, EncryptError> {
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|e| EncryptError(e.to_string()))?;
    // Header ≈ 100 bytes per recipient; 16 bytes of tag per 64 KiB chunk.
    let overhead = 128 + 100 * recipients.len() + 16 * (plaintext.len() / 65536 + 1);
    let mut out = Vec::with_capacity(plaintext.len() + overhead);
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|e| EncryptError(e.to_string()))?;
    writer
        .write_all(plaintext)
        .map_err(|e| EncryptError(e.to_string()))?;
    writer.finish().map_err(|e| EncryptError(e.to_string()))?;
    Ok(out)
}

/// Decrypts an age file held in memory. The plaintext is wiped from memory when dropped.
pub fn decrypt(
    ciphertext: &[u8],
    identity: &UnlockedIdentity,
) -> Result<Zeroizing<Vec<u8>>, DecryptProblem> {
    decrypt_with(ciphertext, identity.as_age())
}

/// [`decrypt`] with any age identity (the passphrase identity for the key file uses it).
pub(crate) fn decrypt_with(
    ciphertext: &[u8],
    identity: &dyn age::Identity,
) -> Result<Zeroizing<Vec<u8>>, DecryptProblem> {
    precheck(ciphertext)?;
    let decryptor =
        age::Decryptor::new_buffered(ArmoredReader::new(ciphertext)).map_err(classify)?;
    let mut reader = decryptor
        .decrypt(std::iter::once(identity))
        .map_err(classify)?;
    // Plaintext is shorter than ciphertext, so this never reallocates (a reallocation
    // would leave an unwiped copy behind).
    let mut out = Zeroizing::new(Vec::with_capacity(ciphertext.len()));
    reader.read_to_end(&mut out).map_err(classify_io)?;
    Ok(out)
}

/// Sorts out files that are obviously not age (or cut inside the magic) before age's own
/// parser, whose errors for those cases are less specific.
fn precheck(bytes: &[u8]) -> Result<(), DecryptProblem> {
    let trimmed = bytes.trim_ascii_start();
    let is_prefix_of = |magic: &[u8]| magic.starts_with(bytes) || magic.starts_with(trimmed);
    if bytes.is_empty() || is_prefix_of(AGE_MAGIC) || is_prefix_of(ARMOR_MAGIC) {
        return Err(DecryptProblem::Truncated);
    }
    if bytes.starts_with(AGE_MAGIC) || trimmed.starts_with(ARMOR_MAGIC) {
        Ok(())
    } else {
        Err(DecryptProblem::NotAgeFile)
    }
}

pub(crate) fn classify(e: age::DecryptError) -> DecryptProblem {
    use age::DecryptError as E;
    match e {
        E::NoMatchingKeys => DecryptProblem::NoMatchingKey,
        E::InvalidMac | E::DecryptionFailed => DecryptProblem::Tampered,
        E::InvalidHeader => DecryptProblem::Tampered,
        E::UnknownFormat => DecryptProblem::UnknownVersion,
        E::Io(io) => classify_io(io),
        other => DecryptProblem::Other(other.to_string()),
    }
}

fn classify_io(e: std::io::Error) -> DecryptProblem {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => DecryptProblem::Truncated,
        std::io::ErrorKind::InvalidData => DecryptProblem::Tampered,
        _ => DecryptProblem::Other(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (UnlockedIdentity, Recipients) {
        let id = UnlockedIdentity::generate();
        let r = Recipients::single(id.recipient());
        (id, r)
    }

    #[test]
    fn round_trip_binary() -> Result<(), Box<dyn std::error::Error>> {
        let (id, r) = pair();
        let ct = encrypt(b"answers = 1\n", &r)?;
        assert!(ct.starts_with(AGE_MAGIC));
        assert_eq!(decrypt(&ct, &id)?.as_slice(), b"answers = 1\n");
        Ok(())
    }

    #[test]
    fn every_recipient_can_decrypt() -> Result<(), Box<dyn std::error::Error>> {
        let a = UnlockedIdentity::generate();
        let b = UnlockedIdentity::generate();
        let r = Recipients::from_list(vec![a.recipient(), b.recipient()])
            .ok_or("empty recipient list")?;
        let ct = encrypt(b"x", &r)?;
        assert_eq!(decrypt(&ct, &a)?.as_slice(), b"x");
        assert_eq!(decrypt(&ct, &b)?.as_slice(), b"x");
        Ok(())
    }

    #[test]
    fn problems_are_classified() -> Result<(), Box<dyn std::error::Error>> {
        let (id, r) = pair();
        let ct = encrypt(&[7u8; 5000], &r)?;
        assert_eq!(decrypt(b"", &id).err(), Some(DecryptProblem::Truncated));
        assert_eq!(
            decrypt(b"age-enc", &id).err(),
            Some(DecryptProblem::Truncated)
        );
        assert_eq!(
            decrypt(b"hello = 'plain toml'\n", &id).err(),
            Some(DecryptProblem::NotAgeFile)
        );
        let other = UnlockedIdentity::generate();
        assert_eq!(
            decrypt(&ct, &other).err(),
            Some(DecryptProblem::NoMatchingKey)
        );
        let mut flipped = ct.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(decrypt(&flipped, &id).err(), Some(DecryptProblem::Tampered));
        let cut = &ct[..ct.len() / 2];
        assert!(decrypt(cut, &id).is_err());
        Ok(())
    }
}
