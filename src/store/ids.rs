//! Random identifiers for cases, sittings and temp files.
//!
//! Names on disk carry no personal data: a case folder and a sitting file are named by 16
//! random bytes in lowercase hex (the case reference lives inside the encrypted case
//! file). 128 bits make collisions a non-issue without any coordination.

use std::fmt;
use std::str::FromStr;

/// Length of an id in hex digits (16 random bytes).
pub const ID_HEX_LEN: usize = 32;

/// `n` random bytes from the OS, as lowercase hex.
///
/// # Panics
/// Only if the OS has no random source at all, in which case no key or id can be made
/// safely and stopping is right.
pub(crate) fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    let mut out = String::with_capacity(n * 2);
    for b in bytes {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

fn is_id(s: &str) -> bool {
    s.len() == ID_HEX_LEN && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A problem with an id typed by a person or found on disk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{what} id {given:?} is not valid: it must be {ID_HEX_LEN} lowercase hex digits (see `companion case list`)"
)]
pub struct BadId {
    /// "case" or "sitting".
    pub what: &'static str,
    /// What was given.
    pub given: String,
}

macro_rules! id_type {
    ($name:ident, $what:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// A fresh random id.
            pub fn random() -> Self {
                $name(random_hex(ID_HEX_LEN / 2))
            }

            /// The id as its 32 hex digits.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = BadId;
            fn from_str(s: &str) -> Result<Self, BadId> {
                if is_id(s) {
                    Ok($name(s.to_string()))
                } else {
                    Err(BadId {
                        what: $what,
                        given: s.to_string(),
                    })
                }
            }
        }
    };
}

id_type!(
    CaseId,
    "case",
    "A case's id: the name of its folder under `data/cases/`."
);
id_type!(
    SittingId,
    "sitting",
    "A sitting's id: its file is `<sitting-id>.age` in the case folder."
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_are_valid_and_distinct() {
        let a = CaseId::random();
        let b = CaseId::random();
        assert_ne!(a, b);
        assert_eq!(a.as_str().parse::<CaseId>().ok(), Some(a.clone()));
        assert_eq!(a.as_str().len(), ID_HEX_LEN);
    }

    #[test]
    fn bad_ids_are_refused() {
        for bad in ["", "abc", "../etc/passwd", &"A".repeat(32), &"0".repeat(33)] {
            assert!(bad.parse::<SittingId>().is_err(), "{bad:?} accepted");
        }
        let err = "nope".parse::<CaseId>().err().map(|e| e.to_string());
        assert!(err.is_some_and(|m| m.contains("case id") && m.contains("32")));
    }
}
