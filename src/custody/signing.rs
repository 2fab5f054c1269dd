//! Ed25519 signatures in OpenSSH's SSH signature format (PROTOCOL.sshsig), so that
//! `ssh-keygen -Y verify` — on every Windows 10/11, macOS and Linux machine — checks what
//! this program signs, without this program.
//!
//! The signing key is not stored anywhere: it is derived from the age identity's secret
//! with HKDF-SHA256 and a fixed label ([`SigningKey::derive`]). So it is exactly as
//! protected as the identity (the one passphrase, one scrypt), and nothing new had to be
//! written to `identity.age` for existing homes. The reasoning is in
//! `docs/record-format.md` ("The signing key").
//!
//! A signed text file here is the text followed by the armored signature of exactly the
//! bytes before it ([`seal`], [`unseal`]): one file, so a save replaces text and signature
//! in one atomic rename. The manual procedure splits it in two for `ssh-keygen`.

use std::fmt;

use hkdf::Hkdf;
use sha2::Sha256;
use ssh_key::private::{Ed25519Keypair, PrivateKey};
use ssh_key::public::PublicKey;
use ssh_key::{Algorithm, HashAlg, LineEnding, SshSig};
use zeroize::Zeroizing;

/// Namespace of a case manifest's signature (`ssh-keygen -Y verify -n …`).
pub const MANIFEST_NAMESPACE: &str = "interview-companion-manifest@v1";
/// Namespace of the signed trust file (who records go to, whose signatures count).
pub const TRUST_NAMESPACE: &str = "interview-companion-trust@v1";
/// Namespace of a detached signature over one record's ciphertext (`<id>.age.sig`), as a
/// record received from another person carries it.
pub const RECORD_NAMESPACE: &str = "interview-companion-record@v1";

/// HKDF salt and info: change either and every user gets a different signing key.
const DERIVE_SALT: &[u8] = b"interview-companion signing key";
const DERIVE_INFO: &[u8] = b"ed25519 seed v1";

/// The first line of an armored SSH signature.
pub const SIG_BEGIN: &str = "-----BEGIN SSH SIGNATURE-----";
const SIG_END: &str = "-----END SSH SIGNATURE-----";

/// The largest signature block accepted (an Ed25519 one is about 300 bytes of base64).
const MAX_SIG_LEN: usize = 4096;

/// The user's Ed25519 signing key. The secret is wiped when this is dropped (ssh-key's
/// Ed25519 private key zeroizes itself).
pub struct SigningKey {
    key: PrivateKey,
    public: SignerKey,
}

impl SigningKey {
    /// The signing key belonging to an age identity, from the text of its secret
    /// (`AGE-SECRET-KEY-1…`, exactly as `age-keygen` writes it): HKDF-SHA256 with a fixed
    /// salt and label. Deterministic: the same identity always gives the same key.
    pub fn derive(age_secret: &str) -> SigningKey {
        let hk = Hkdf::<Sha256>::new(Some(DERIVE_SALT), age_secret.as_bytes());
        let mut seed = Zeroizing::new([0u8; 32]);
        // 32 bytes is far below HKDF-SHA256's limit of 255 × 32, so this cannot fail.
        if hk.expand(DERIVE_INFO, seed.as_mut_slice()).is_err() {
            seed.fill(0);
        }
        let keypair = Ed25519Keypair::from_seed(&seed);
        let public = SignerKey(PublicKey::from(keypair.public));
        SigningKey {
            key: PrivateKey::from(keypair),
            public,
        }
    }

    /// The public half, as others list it in their trusted signers.
    pub fn public(&self) -> &SignerKey {
        &self.public
    }

    /// Signs `msg` under `namespace`; returns the armored signature (LF line ends, ending
    /// in a newline), as `ssh-keygen -Y sign` writes it.
    pub fn sign(&self, namespace: &str, msg: &[u8]) -> Result<String, SignError> {
        let sig = self
            .key
            .sign(namespace, HashAlg::Sha512, msg)
            .map_err(|e| SignError(e.to_string()))?;
        let mut pem = sig
            .to_pem(LineEnding::LF)
            .map_err(|e| SignError(e.to_string()))?;
        if !pem.ends_with('\n') {
            pem.push('\n');
        }
        Ok(pem)
    }
}

impl fmt::Debug for SigningKey {
    /// Never prints the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({})", self.public)
    }
}

/// Signing failed (only with a broken key, which derivation cannot make).
#[derive(Debug, Clone, thiserror::Error)]
#[error("could not sign: {0}")]
pub struct SignError(String);

/// An Ed25519 public key in OpenSSH form (`ssh-ed25519 AAAA…`), without a comment.
#[derive(Clone, PartialEq, Eq)]
pub struct SignerKey(PublicKey);

impl SignerKey {
    /// Parses `ssh-ed25519 AAAA… [comment]`; other key types are refused by name.
    pub fn parse(text: &str) -> Result<SignerKey, String> {
        let t = text.trim();
        if t.starts_with("age1") || t.starts_with("AGE-") {
            return Err(
                "this is an age key, not a signing key: a signer key starts with ssh-ed25519"
                    .to_string(),
            );
        }
        let key = PublicKey::from_openssh(t).map_err(|e| {
            format!("not an OpenSSH public key ({e}); a signer key looks like `ssh-ed25519 AAAA…`")
        })?;
        if key.algorithm() != Algorithm::Ed25519 {
            return Err(format!(
                "{} keys are not accepted as signers; only ssh-ed25519",
                key.algorithm()
            ));
        }
        Ok(SignerKey(PublicKey::new(key.key_data().clone(), "")))
    }

    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fn fingerprint(&self) -> String {
        self.0.fingerprint(HashAlg::Sha256).to_string()
    }
}

impl fmt::Display for SignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.to_openssh() {
            Ok(s) => f.write_str(s.trim()),
            Err(_) => f.write_str("ssh-ed25519 (unencodable)"),
        }
    }
}

impl fmt::Debug for SignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SignerKey({self})")
    }
}

/// Why a signature did not check out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigProblem {
    /// No signature block where one must be.
    #[error("it carries no signature")]
    Missing,
    /// The block is not a readable SSH signature.
    #[error("its signature is unreadable ({0})")]
    Malformed(String),
    /// A signature for another purpose (another namespace).
    #[error("its signature was made for {found:?}, not for {expected:?}")]
    WrongNamespace {
        /// Namespace expected.
        expected: String,
        /// Namespace found.
        found: String,
    },
    /// The signature does not match the signed bytes.
    #[error("its signature does not match its contents: it was changed after it was signed")]
    Mismatch,
}

/// Parses an armored signature and checks it over `msg` with the key it names.
/// Returns that key: whether it is trusted is the caller's question.
pub fn verify_detached(namespace: &str, msg: &[u8], pem: &str) -> Result<SignerKey, SigProblem> {
    if pem.len() > MAX_SIG_LEN {
        return Err(SigProblem::Malformed("too long".to_string()));
    }
    let sig = SshSig::from_pem(pem.trim_end()).map_err(|e| SigProblem::Malformed(e.to_string()))?;
    if sig.namespace() != namespace {
        return Err(SigProblem::WrongNamespace {
            expected: namespace.to_string(),
            found: sig.namespace().to_string(),
        });
    }
    if sig.algorithm() != Algorithm::Ed25519 {
        return Err(SigProblem::Malformed(format!(
            "{} signatures are not accepted",
            sig.algorithm()
        )));
    }
    let key = PublicKey::new(sig.public_key().clone(), "");
    key.verify(namespace, msg, &sig)
        .map_err(|_| SigProblem::Mismatch)?;
    Ok(SignerKey(key))
}

/// `body` followed by its signature: one text file. `body` must end with a newline (the
/// signature starts on a line of its own, so `sed` can split the file back).
pub fn seal(body: &str, key: &SigningKey, namespace: &str) -> Result<String, SignError> {
    debug_assert!(body.ends_with('\n'));
    let sig = key.sign(namespace, body.as_bytes())?;
    let mut out = String::with_capacity(body.len() + sig.len());
    out.push_str(body);
    out.push_str(&sig);
    Ok(out)
}

/// Splits a sealed text into its body (every byte before the signature's first line) and
/// its armored signature, and checks the signature. Returns the body and the signer.
pub fn unseal<'a>(text: &'a str, namespace: &str) -> Result<(&'a str, SignerKey), SigProblem> {
    let at = if text.starts_with(SIG_BEGIN) {
        Some(0)
    } else {
        text.find(&format!("\n{SIG_BEGIN}")).map(|i| i + 1)
    };
    let Some(at) = at else {
        return Err(SigProblem::Missing);
    };
    let (body, sig) = text.split_at(at);
    let end = sig
        .find(SIG_END)
        .ok_or_else(|| SigProblem::Malformed("the signature block has no end line".to_string()))?;
    if !sig[end + SIG_END.len()..].trim().is_empty() {
        return Err(SigProblem::Malformed(
            "there is text after the signature".to_string(),
        ));
    }
    let signer = verify_detached(namespace, body.as_bytes(), sig)?;
    Ok((body, signer))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::derive(
            "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ",
        )
    }

    #[test]
    fn derivation_is_deterministic_and_separates_identities() {
        let a = key();
        let b = key();
        assert_eq!(a.public(), b.public());
        let c = SigningKey::derive(
            "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQP",
        );
        assert_ne!(a.public(), c.public());
        assert!(a.public().to_string().starts_with("ssh-ed25519 AAAA"));
        assert!(!format!("{a:?}").contains("SECRET"));
    }

    #[test]
    fn seal_and_unseal_round_trip_and_detect_changes() -> Result<(), Box<dyn std::error::Error>> {
        let k = key();
        let sealed = seal("line one\nline two\n", &k, MANIFEST_NAMESPACE)?;
        let (body, signer) = unseal(&sealed, MANIFEST_NAMESPACE)?;
        assert_eq!(body, "line one\nline two\n");
        assert_eq!(&signer, k.public());
        let edited = sealed.replacen("one", "One", 1);
        assert_eq!(
            unseal(&edited, MANIFEST_NAMESPACE).err(),
            Some(SigProblem::Mismatch)
        );
        assert!(matches!(
            unseal(&sealed, TRUST_NAMESPACE),
            Err(SigProblem::WrongNamespace { .. })
        ));
        assert_eq!(
            unseal("no sig\n", MANIFEST_NAMESPACE).err(),
            Some(SigProblem::Missing)
        );
        let trailing = format!("{sealed}extra\n");
        assert!(matches!(
            unseal(&trailing, MANIFEST_NAMESPACE),
            Err(SigProblem::Malformed(_))
        ));
        Ok(())
    }

    #[test]
    fn signer_keys_parse_with_clear_errors() {
        let k = key();
        let text = format!("{} a comment", k.public());
        assert_eq!(SignerKey::parse(&text).ok().as_ref(), Some(k.public()));
        assert!(SignerKey::parse("age1xyz").is_err_and(|e| e.contains("age key")));
        assert!(SignerKey::parse("ssh-ed25519 AAAAnot").is_err_and(|e| e.contains("OpenSSH")));
        assert!(k.public().fingerprint().starts_with("SHA256:"));
    }
}
