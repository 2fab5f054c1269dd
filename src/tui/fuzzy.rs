//! Fuzzy matching for jump, the case filter and the questionnaire picker: helix's matcher
//! (`nucleo-matcher`), with a floor on the score so that a word no text contains finds
//! nothing rather than letters scattered over a long prompt.
//!
//! The typed text is split into words; every word must match (in any order), each on its
//! own. A word's characters may have gaps between them, but the match must score at least
//! [`MIN_SCORE_PER_CHAR`] for each of its characters: a run of consecutive characters scores
//! about 28 a character, a word's letters strewn across a sentence under 19 ("chess" in
//! "Has your sexual activity increased…" scores 18.2).

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// The least score per character of a word that still counts as a match.
pub const MIN_SCORE_PER_CHAR: u32 = 19;

/// A search: the typed words, and the matcher (it holds ~135 KB of scratch space, so one is
/// made per search, not per text).
pub struct Fuzzy {
    words: Vec<(Atom, u32)>,
    matcher: Matcher,
    buf: Vec<char>,
}

impl Fuzzy {
    pub fn new(needle: &str) -> Fuzzy {
        let words = needle
            .split_whitespace()
            .map(|w| {
                let atom = Atom::new(
                    w,
                    CaseMatching::Ignore,
                    Normalization::Smart,
                    AtomKind::Fuzzy,
                    false,
                );
                let floor = MIN_SCORE_PER_CHAR * u32::try_from(w.chars().count()).unwrap_or(0);
                (atom, floor)
            })
            .collect();
        Fuzzy {
            words,
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
        }
    }

    /// Whether nothing was typed (everything matches).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The score of `haystack` (higher is better), `None` if a word does not match well
    /// enough. Nothing typed matches everything with 0.
    pub fn score(&mut self, haystack: &str) -> Option<u32> {
        // The matcher counts in u32 code points and panics past that; no prompt comes close.
        if haystack.len() > u32::MAX as usize {
            return None;
        }
        let hay = Utf32Str::new(haystack, &mut self.buf);
        let mut total = 0;
        for (atom, floor) in &self.words {
            let score = u32::from(atom.score(hay, &mut self.matcher)?);
            if score < *floor {
                return None;
            }
            total += score;
        }
        Some(total)
    }

    /// The best score of several texts (a prompt and an id, say).
    pub fn best<'a>(&mut self, texts: impl IntoIterator<Item = &'a str>) -> Option<u32> {
        texts.into_iter().filter_map(|t| self.score(t)).max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Catalog;

    fn prompts() -> Vec<String> {
        let catalog = Catalog::embedded();
        let q = catalog.get("suspect-interview").expect("embedded");
        q.questionnaire
            .questions()
            .flat_map(|(_, q)| [q.prompt.clone(), q.id.clone()])
            .collect()
    }

    fn matches(needle: &str) -> Vec<String> {
        let mut fuzzy = Fuzzy::new(needle);
        prompts()
            .into_iter()
            .filter(|p| fuzzy.score(p).is_some())
            .collect()
    }

    #[test]
    fn a_word_no_prompt_contains_finds_nothing() {
        // The hand-written matcher found eight prompts for this.
        assert_eq!(matches("chess"), Vec::<String>::new());
        assert!(matches("porn").is_empty(), "{:?}", matches("porn"));
        assert!(matches("zzz").is_empty());
    }

    #[test]
    fn words_match_in_any_order_and_abbreviations_still_match() {
        let forward = matches("virtual relation");
        assert!(
            forward
                .iter()
                .any(|p| p.starts_with("Do you have virtual sexual")),
            "{forward:?}"
        );
        assert_eq!(forward, matches("relation virtual"));
        assert!(
            matches("hrs onl")
                .iter()
                .any(|p| p.contains("hours in total"))
        );
        assert_eq!(matches("images-created"), ["images-created"]);
        let mut fuzzy = Fuzzy::new("online");
        assert!(fuzzy.score("hours online") > Fuzzy::new("onle").score("hours online"));
    }

    #[test]
    fn nothing_typed_matches_everything() {
        let mut fuzzy = Fuzzy::new("  ");
        assert!(fuzzy.is_empty());
        assert_eq!(fuzzy.score("anything"), Some(0));
    }
}
