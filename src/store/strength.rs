//! How hard a new passphrase is to guess, and a strong one made on request.
//!
//! Strength is estimated with zxcvbn (Dropbox's estimator, which knows common passwords,
//! names, dictionary words, keyboard walks, dates and l33t substitutions). Its score counts
//! the guesses an attacker needs: 0 ≤ 10³, 1 ≤ 10⁶, 2 ≤ 10⁸, 3 ≤ 10¹⁰, 4 more.
//!
//! The line is score 3 ([`MIN_SCORE`]). Someone who takes the laptop (or a backup) has the
//! identity file and can guess offline; each guess costs one scrypt at 2^18 (256 MiB, about
//! a second on a laptop core). A rig of GPUs is bound by that memory: a few hundred to a few
//! thousand guesses a second. Score 2 (at most 10⁸ guesses) then falls in hours to days;
//! score 3 takes that rig from a year to centuries, and score 4 longer still. Demanding 4
//! would refuse many passphrases of three or four ordinary words that are in fact fine.
//!
//! Only a new passphrase is checked (`companion init`, the setup screen): an existing
//! identity opens with whatever passphrase it has.
//!
//! The generated passphrase is six words from the BIP-39 English list (2048 words, the list
//! `age -p` draws its ten words from), so 66 bits: about 7·10¹⁹ guesses, far beyond any
//! rig at one scrypt a guess. Six, not age's ten, because it is typed at every unlock,
//! several times a day, and the scrypt already makes each guess expensive.

use age::secrecy::{ExposeSecret, SecretString};

/// The lowest zxcvbn score a new passphrase may have.
pub const MIN_SCORE: u8 = 3;
/// How many words a generated passphrase has.
pub const GENERATED_WORDS: usize = 6;

/// Words a passphrase should not be built from: the program's own name and subject.
const OWN_WORDS: &[&str] = &[
    "companion",
    "interview",
    "safeguarding",
    "identity",
    "passphrase",
];

/// Why a new passphrase was refused, with what to do instead. Never holds the passphrase.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct Weak {
    /// zxcvbn's score, 0–4.
    pub score: u8,
    /// What makes it guessable, if zxcvbn says.
    pub warning: Option<String>,
    /// zxcvbn's advice.
    pub suggestions: Vec<String>,
}

impl Weak {
    fn describe(&self) -> String {
        let mut text = format!(
            "this passphrase is too easy to guess (strength {} of 4; at least {MIN_SCORE} is needed)",
            self.score
        );
        if let Some(w) = &self.warning {
            text.push_str(&format!(": {}", w.trim_end_matches('.')));
        }
        text.push('.');
        for s in &self.suggestions {
            text.push(' ');
            text.push_str(s);
        }
        text.push_str(
            " Use four or more unrelated words, or let the program make one (six random words).",
        );
        text
    }
}

/// Refuses a new passphrase that zxcvbn scores below [`MIN_SCORE`].
pub fn check(passphrase: &SecretString) -> Result<(), Weak> {
    let estimate = zxcvbn::zxcvbn(passphrase.expose_secret(), OWN_WORDS);
    let score = estimate.score() as u8;
    if score >= MIN_SCORE {
        return Ok(());
    }
    let feedback = estimate.feedback();
    Err(Weak {
        score,
        warning: feedback.and_then(|f| f.warning()).map(|w| w.to_string()),
        suggestions: feedback
            .map(|f| f.suggestions().iter().map(ToString::to_string).collect())
            .unwrap_or_default(),
    })
}

/// Could not make a passphrase: the system's random source failed.
#[derive(Debug, thiserror::Error)]
#[error("could not make a passphrase: the system's random source failed ({0})")]
pub struct NoRandom(String);

/// A new passphrase of [`GENERATED_WORDS`] random BIP-39 words joined by `-`, from the
/// system's random source (2048 words = 11 bits each: every index is uniform).
pub fn generate() -> Result<SecretString, NoRandom> {
    let words = bip39::Language::English.word_list();
    let mut random = zeroize::Zeroizing::new([0u8; 2 * GENERATED_WORDS]);
    getrandom::fill(random.as_mut()).map_err(|e| NoRandom(e.to_string()))?;
    // Room for the longest words up front: growing would leave unwiped copies.
    let mut phrase = String::with_capacity(GENERATED_WORDS * 9);
    for pair in random.chunks_exact(2) {
        let index = usize::from(u16::from_le_bytes([pair[0], pair[1]]) & 0x07ff);
        if !phrase.is_empty() {
            phrase.push('-');
        }
        // The list has exactly 2048 words and the index is masked to 11 bits.
        phrase.push_str(words[index]);
    }
    Ok(SecretString::from(phrase))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.to_string())
    }

    #[test]
    fn the_weakest_are_refused_with_a_reason_and_advice() {
        for weak in [
            "a",
            "password",
            "123456",
            "qwertyuiop",
            "Summer2024!",
            "companion1",
        ] {
            let refused = check(&secret(weak)).expect_err(weak);
            assert!(refused.score < MIN_SCORE, "{weak}");
            let said = refused.to_string();
            assert!(said.contains("too easy to guess"), "{said}");
            assert!(said.contains("unrelated words"), "{said}");
            // zxcvbn's own words ("a common password") aside, it is never quoted.
            assert!(
                weak.len() < 9 || !said.contains(weak),
                "the message quotes the passphrase: {said}"
            );
        }
    }

    #[test]
    fn several_unrelated_words_and_the_test_passphrases_pass() {
        for strong in [
            "correct horse battery staple",
            "fictional test passphrase",
            "a long pass phrase",
            "granite lantern orbit velvet",
        ] {
            assert_eq!(check(&secret(strong)), Ok(()), "{strong}");
        }
    }

    #[test]
    fn generated_passphrases_are_six_list_words_and_strong() -> Result<(), NoRandom> {
        let list = bip39::Language::English.word_list();
        let a = generate()?;
        let b = generate()?;
        assert_ne!(a.expose_secret(), b.expose_secret());
        for p in [&a, &b] {
            let words: Vec<&str> = p.expose_secret().split('-').collect();
            assert_eq!(words.len(), GENERATED_WORDS);
            assert!(words.iter().all(|w| list.contains(w)), "{words:?}");
            assert_eq!(check(p), Ok(()));
        }
        Ok(())
    }
}
