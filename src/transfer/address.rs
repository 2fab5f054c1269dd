//! Who a case is sent to: `age1…` keys, or names given to keys in the recipients file.
//!
//! A name is a comment line `# name: Supervisor S` directly above a recipient's line. It
//! is only a comment, so the file still works as `age -R` reads it.

use age::x25519::Recipient;

use crate::store::recipients::parse_recipient;

/// A recipient with the name the person gave it, if any.
#[derive(Debug, Clone)]
pub struct Addressee {
    pub name: Option<String>,
    pub recipient: Recipient,
}

impl Addressee {
    /// The name, or the key when it has none: how custody records and screens show it.
    pub fn label(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| self.recipient.to_string())
    }
}

/// The recipients of a recipients file's text, each with its `# name:` if it has one.
pub fn named(text: &str) -> Vec<Addressee> {
    let mut out = Vec::new();
    let mut name: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some(n) = line.strip_prefix('#').map(str::trim) {
            name = n
                .strip_prefix("name:")
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty());
            continue;
        }
        if let Ok(recipient) = parse_recipient(line) {
            out.push(Addressee {
                name: name.take(),
                recipient,
            });
        }
        name = None;
    }
    out
}

/// Resolves what was typed after `--to`: a key, or a name from `known`.
pub fn resolve(typed: &str, known: &[Addressee]) -> Result<Addressee, String> {
    let typed = typed.trim();
    if typed.starts_with("age1") {
        let recipient = parse_recipient(typed)?;
        let name = known
            .iter()
            .find(|a| a.recipient.to_string() == recipient.to_string())
            .and_then(|a| a.name.clone());
        return Ok(Addressee { name, recipient });
    }
    known
        .iter()
        .find(|a| {
            a.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(typed))
        })
        .cloned()
        .ok_or_else(|| {
            format!(
                "no recipient is named {typed:?} in the recipients file; give their age1… key, or name a key there with a line `# name: {typed}` directly above it"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_comment_line_above() {
        let a = age::x25519::Identity::generate().to_public().to_string();
        let b = age::x25519::Identity::generate().to_public().to_string();
        let text = format!("# recipients\n{a}\n# name: Supervisor S\n{b}\n");
        let known = named(&text);
        assert_eq!(known.len(), 2);
        assert_eq!(known[0].name, None);
        assert_eq!(known[1].name.as_deref(), Some("Supervisor S"));
        let found = resolve("supervisor s", &known).map(|x| x.recipient.to_string());
        assert_eq!(found.as_deref(), Ok(b.as_str()));
        assert!(resolve("Nobody", &known).is_err_and(|e| e.contains("Nobody")));
        assert!(resolve(&a, &known).is_ok_and(|x| x.name.is_none()));
        assert!(resolve("age1nonsense", &known).is_err());
    }
}
