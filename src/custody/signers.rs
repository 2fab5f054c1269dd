//! The trusted-signers file, `allowed_signers` in the config folder, in the format
//! `ssh-keygen -Y verify -f allowed_signers` reads:
//!
//! ```text
//! <principal> namespaces="interview-companion-manifest@v1,interview-companion-record@v1" ssh-ed25519 AAAA… [comment]
//! ```
//!
//! The user's own line comes first. The program itself trusts the list kept in the signed
//! trust file (`super::trust`); this file is what stock tools read, and a change to it made
//! by hand is reported, never silently trusted.

use std::fmt;

use super::signing::{MANIFEST_NAMESPACE, RECORD_NAMESPACE, SignerKey};

/// The file's name in the config folder.
pub const SIGNERS_FILE: &str = "allowed_signers";

/// One trusted signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerLine {
    /// The name `ssh-keygen` reports (`-Y find-principals`) and the screens show.
    pub principal: String,
    /// The key.
    pub key: SignerKey,
}

impl fmt::Display for SignerLine {
    /// The line as it goes into `allowed_signers`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} namespaces=\"{MANIFEST_NAMESPACE},{RECORD_NAMESPACE}\" {}",
            self.principal, self.key
        )
    }
}

/// Checks a principal: letters, digits and `. _ @ + -`, up to 100 characters (no spaces,
/// commas or quotes, which `allowed_signers` would read differently).
pub fn check_principal(p: &str) -> Result<(), String> {
    if p.is_empty() || p.len() > 100 {
        return Err("a signer's name must be 1 to 100 characters".to_string());
    }
    if let Some(c) = p
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '+' | '-')))
    {
        return Err(format!(
            "a signer's name may hold letters, digits and . _ @ + - only, not {c:?} (e.g. J.Smith or j.smith@example.org)"
        ));
    }
    Ok(())
}

/// Parses one line: `<principal> [options] ssh-ed25519 AAAA… [comment]`, or, with
/// `name`, just `ssh-ed25519 AAAA… [comment]` (the name then becomes the principal and
/// overrides one given in the line).
pub fn parse_line(text: &str, name: Option<&str>) -> Result<SignerLine, String> {
    let t = text.trim();
    let tokens: Vec<&str> = t.split_whitespace().collect();
    let key_at = tokens
        .iter()
        .position(|w| w.starts_with("ssh-") || w.starts_with("ecdsa-") || w.starts_with("sk-"))
        .ok_or_else(|| {
            if t.starts_with("age1") && tokens.len() == 1 {
                "this is an age recipient (give it to `keys add-recipient`); a signer line holds an ssh-ed25519 key: ask the signer for the line `companion keys show` prints".to_string()
            } else {
                "no ssh-ed25519 key in it; paste the whole signer line `companion keys show` printed".to_string()
            }
        })?;
    let key_text = tokens[key_at..].join(" ");
    let key = SignerKey::parse(&key_text)?;
    let principal = match (name, tokens.first()) {
        (Some(n), _) => n.to_string(),
        (None, Some(p)) if key_at > 0 => p.trim_matches('"').to_string(),
        (None, _) => {
            return Err("the line names no signer: add --name NAME".to_string());
        }
    };
    check_principal(&principal)?;
    for opt in tokens.iter().take(key_at).skip(1) {
        if opt.starts_with("cert-authority") {
            return Err(
                "certificate-authority lines are not accepted; give the signer's own key"
                    .to_string(),
            );
        }
    }
    Ok(SignerLine { principal, key })
}

/// Parses a whole file (blank lines and `#` comments skipped); names the first bad line.
pub fn parse_file(text: &str) -> Result<Vec<SignerLine>, (usize, String)> {
    let mut out: Vec<SignerLine> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed = parse_line(line, None).map_err(|e| (i + 1, e))?;
        if !out.iter().any(|o| o.key == parsed.key) {
            out.push(parsed);
        }
    }
    Ok(out)
}

/// The file's text: a comment, then one line per signer (the user's own first).
pub fn file_text(signers: &[SignerLine]) -> String {
    let mut out = String::from(
        "# Trusted signers of interview-companion records, in the format `ssh-keygen -Y verify`\n\
         # reads. The first is you. Add a colleague with `companion keys add-signer \"LINE\"`;\n\
         # a change made here by hand is reported by the program, not trusted.\n",
    );
    for s in signers {
        out.push_str(&s.to_string());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custody::signing::SigningKey;

    #[test]
    fn lines_round_trip_and_bad_ones_say_why() {
        let key = SigningKey::derive("AGE-SECRET-KEY-1X").public().clone();
        let line = SignerLine {
            principal: "J.Smith".into(),
            key: key.clone(),
        };
        let text = line.to_string();
        assert_eq!(parse_line(&text, None), Ok(line.clone()));
        assert_eq!(
            parse_file(&file_text(std::slice::from_ref(&line))),
            Ok(vec![line])
        );
        let bare = format!("{key} laptop");
        assert!(parse_line(&bare, None).is_err_and(|e| e.contains("--name")));
        assert_eq!(
            parse_line(&bare, Some("sup")).map(|l| l.principal),
            Ok("sup".into())
        );
        assert!(parse_line(&bare, Some("two words")).is_err_and(|e| e.contains("letters")));
        assert!(parse_line("age1qqq", None).is_err_and(|e| e.contains("add-recipient")));
        assert!(parse_line("x ssh-rsa AAAAB3", None).is_err());
        assert_eq!(parse_file("# c\n\nnonsense\n").err().map(|e| e.0), Some(3));
    }
}
