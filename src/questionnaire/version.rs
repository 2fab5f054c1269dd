//! Questionnaire versions: dot-separated whole numbers compared number by number.

use std::cmp::Ordering;
use std::fmt;

/// A parsed version such as `1.10.0`. Missing trailing parts count as zero, so `1.2` equals
/// `1.2.0`.
#[derive(Debug, Clone)]
pub struct Version(Vec<u64>);

impl Version {
    /// Parses `"1.0.0"`; `None` if any part is not a whole number.
    pub fn parse(text: &str) -> Option<Version> {
        if text.is_empty() {
            return None;
        }
        text.split('.')
            .map(|part| {
                if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                    None
                } else {
                    part.parse::<u64>().ok()
                }
            })
            .collect::<Option<Vec<_>>>()
            .map(Version)
    }

    fn part(&self, i: usize) -> u64 {
        self.0.get(i).copied().unwrap_or(0)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let n = self.0.len().max(other.0.len());
        (0..n)
            .map(|i| self.part(i).cmp(&other.part(i)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Version {}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(u64::to_string).collect();
        f.write_str(&parts.join("."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn compares_number_by_number_not_as_text() {
        assert!(v("1.10.0") > v("1.9.2"));
        assert!(v("2") > v("1.99"));
        assert_eq!(v("1.2"), v("1.2.0"));
        assert!(v("1.0.1") > v("1.0"));
    }

    #[test]
    fn rejects_what_is_not_a_version() {
        for bad in ["", "1.", ".1", "1.a", "v1", "1..2", "-1", "1.0-beta"] {
            assert!(Version::parse(bad).is_none(), "{bad:?} should be rejected");
        }
    }
}
