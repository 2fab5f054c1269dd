//! Which questionnaire text each record was read with and each comparison used, in words
//! the review screen and every export share (issue 10.4: a local questionnaire must never
//! change a comparison silently). Pure: builds text from the records and the catalog.

use crate::compare::{Comparison, source_name};
use crate::questionnaire::{Catalog, TextRef};
use crate::session::{QuestionnaireRef, Sitting};

/// The text a sitting was recorded with, and the one it is read with here.
#[derive(Debug, Clone, PartialEq)]
pub struct SittingText {
    /// What the record says: id, version, SHA-256.
    pub recorded: QuestionnaireRef,
    /// The text it is read with; `None` when no questionnaire with its id is available.
    pub read_with: Option<TextRef>,
    /// Whether `read_with` is the very text it was recorded with.
    pub exact: bool,
    /// Whether the recorded text is one of the standard set as released (so, when it is not
    /// available, it was a local text or one from another version of the program).
    pub recorded_standard: bool,
}

fn digest(sha256: &str) -> String {
    let short: String = sha256.chars().take(16).collect();
    if short.is_empty() {
        "no digest".to_string()
    } else {
        format!("sha256 {short}…")
    }
}

impl SittingText {
    pub fn of(sitting: &Sitting, catalog: &Catalog) -> SittingText {
        let recorded = sitting.questionnaire.clone();
        let resolved = catalog.resolve(&recorded.id, &recorded.sha256);
        SittingText {
            read_with: resolved.map(|r| r.loaded.text_ref()),
            exact: resolved.is_some_and(|r| r.exact),
            recorded_standard: catalog.is_standard(&recorded.sha256),
            recorded,
        }
    }

    /// One sentence: what it was recorded with and what it is read with.
    pub fn sentence(&self) -> String {
        let r = &self.recorded;
        let recorded = format!(
            "Recorded with {} {} ({})",
            r.id,
            r.version,
            digest(&r.sha256)
        );
        match (&self.read_with, self.exact) {
            (Some(t), true) => format!("{recorded}; read with that text, {}.", place(t)),
            (Some(t), false) => format!(
                "{recorded}, {}; read with {} {} ({}), {}: questions are matched by id.",
                if self.recorded_standard {
                    "a text not available here"
                } else {
                    "not a standard text (a local one, or from another version of the program), not available here"
                },
                t.id,
                t.version,
                digest(&t.sha256),
                place(t)
            ),
            (None, _) => format!(
                "{recorded}; no questionnaire with this id is available here: answers are listed by question id."
            ),
        }
    }
}

/// `embedded (released/suspect-interview-1.0.0.toml)` or `LOCAL questionnaire /path/x.toml`.
fn place(t: &TextRef) -> String {
    match (&t.file, t.is_local()) {
        (Some(f), true) => format!("local questionnaire {f}"),
        (Some(f), false) => format!("{} ({f})", t.source),
        (None, _) => t.source.to_string(),
    }
}

/// One line naming the texts a comparison used: each source's and the rule's.
pub fn comparison_sentence(c: &Comparison) -> String {
    let mut parts = Vec::new();
    for (who, s) in &c.answers {
        parts.push(format!(
            "{} read with {}",
            source_name(*who),
            short(&s.asked.text)
        ));
    }
    let rule: Vec<String> = c.rule.from.iter().map(short).collect();
    if !rule.is_empty() {
        parts.push(format!("allowance from {}", rule.join(" and ")));
    }
    let mut line = parts.join("; ");
    if c.used_local() {
        line.insert_str(0, "LOCAL questionnaire used: ");
    }
    line
}

/// `suspect-interview 1.0.0 (embedded)`, or for a local text its path and digest too (an
/// embedded text is fixed by its id and version; a local one is not).
fn short(t: &TextRef) -> String {
    if t.is_local() {
        format!(
            "{} {} (local {}, {})",
            t.id,
            t.version,
            t.file.as_deref().unwrap_or(""),
            digest(&t.sha256)
        )
    } else {
        format!("{} {} ({})", t.id, t.version, t.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Respondent;
    use crate::session::{Clock, FixedClock};

    fn sitting(id: &str, version: &str, sha256: &str) -> Sitting {
        let clock = FixedClock::new(
            chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap_or_default(),
        );
        Sitting::new(
            "s".into(),
            "c".into(),
            Respondent::Suspect,
            QuestionnaireRef {
                id: id.into(),
                version: version.into(),
                sha256: sha256.into(),
            },
            vec![],
            clock.stamp(),
        )
    }

    #[test]
    fn a_released_text_is_read_exactly_and_named_as_embedded() {
        let catalog = Catalog::embedded();
        let old = catalog
            .kept()
            .into_iter()
            .find(|q| q.id() == "suspect-interview" && q.version() == "1.0.0")
            .cloned();
        let old = old.unwrap_or_else(|| panic!("suspect-interview 1.0.0 is kept"));
        let t = SittingText::of(&sitting("suspect-interview", "1.0.0", &old.hash), &catalog);
        assert!(t.exact);
        assert_eq!(
            t.read_with.as_ref().map(|r| r.version.as_str()),
            Some("1.0.0")
        );
        assert_eq!(
            t.sentence(),
            format!(
                "Recorded with suspect-interview 1.0.0 (sha256 {}…); read with that text, embedded (released/suspect-interview-1.0.0.toml).",
                &old.hash[..16]
            )
        );
    }

    #[test]
    fn a_text_no_longer_available_says_so_and_names_the_stand_in() {
        let catalog = Catalog::embedded();
        let gone = "ab".repeat(32);
        let t = SittingText::of(&sitting("suspect-interview", "1.0.2", &gone), &catalog);
        assert!(!t.exact);
        assert!(!t.recorded_standard);
        let newest = catalog
            .get("suspect-interview")
            .map(|q| q.version().to_string())
            .unwrap_or_default();
        let s = t.sentence();
        assert!(
            s.starts_with("Recorded with suspect-interview 1.0.2 (sha256 abababababababab…), not a standard text (a local one"),
            "{s}"
        );
        assert!(
            s.contains(&format!("; read with suspect-interview {newest} (")),
            "{s}"
        );
        let t = SittingText::of(&sitting("no-such-questionnaire", "1", &gone), &catalog);
        assert!(t.read_with.is_none());
        assert!(t.sentence().contains("no questionnaire with this id"));
    }
}
