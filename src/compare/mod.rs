//! Divergence between the accounts of a case and the record, key by key; and changes in one
//! person's account between sittings. Pure: no I/O.
//!
//! A **source** is a respondent role: the suspect, the partner, a carer, a child, and the
//! practitioners' record (respondent `none`: the core assessment, what the police found).
//! For each `cross_check` key, the latest answer of each source (across all its sittings)
//! is taken, and every two sources that have the key are compared ([`PairStatus`]) by the
//! rules in DESIGN §4 and the README, each with a one-line reason a person can check; the
//! key's own status is its most pressing pair's. Nothing is special about any pair: the
//! suspect against the partner is compared exactly as an account against the record, only
//! worded so the record reads as the evidence. The tool supports judgement; it never
//! scores risk.
//!
//! Each answer carries how its question was put ([`Asked`]: the answer type and the
//! questionnaire text its sitting is read with), so answers recorded with different versions
//! of a questionnaire are compared only where they mean the same thing, and the comparison
//! never assumes two sources share one question. How far apart two answers may be (the
//! [`Rule`]) comes from the texts in use now, stricter where they differ, and names them.
//!
//! [`changes`] finds where one person's answer in a later sitting differs from their answer
//! in an earlier one, for every question.

mod case;
mod changes;
mod classify;
mod derived;
mod pairs;

use std::collections::BTreeMap;
use std::fmt;

use crate::questionnaire::{AnswerSpec, CrossCheck, Derived, Respondent, TextRef};
use crate::session::{AnswerValue, Stamp};

pub use case::{
    Analysis, CrossChecked, Rules, analyse_case, compare_case, for_each_cross_checked,
    for_each_question,
};
pub use changes::{Change, ChangeKind};
pub use classify::{Given, classify, classify_pair, source_name};
pub use pairs::{PairCounts, PairStatus, pair_label, pair_summary};

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_changes;
#[cfg(test)]
mod tests_pairs;
#[cfg(test)]
mod tests_versions;

/// How two answers stand to each other. Ordered as the review lists them: divergences first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Diverges,
    Close,
    Uncertain,
    Gap,
    ByHand,
    Agrees,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Diverges,
        Status::Close,
        Status::Uncertain,
        Status::Gap,
        Status::ByHand,
        Status::Agrees,
    ];

    /// A word for the status (never shown by colour alone).
    pub fn label(self) -> &'static str {
        match self {
            Status::Diverges => "diverges",
            Status::Close => "close",
            Status::Agrees => "agrees",
            Status::Uncertain => "uncertain",
            Status::Gap => "gap",
            Status::ByHand => "compare by hand",
        }
    }

    /// A one-character mark for lists.
    pub fn glyph(self) -> char {
        match self {
            Status::Diverges => '≠',
            Status::Close => '≈',
            Status::Agrees => '=',
            Status::Uncertain => '?',
            Status::Gap => '…',
            Status::ByHand => '✎',
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The comparison parameters in force, with the defaults the format documents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub tolerance: f64,
    pub relative: f64,
    pub distance: u32,
    pub tolerance_days: u32,
    /// Numbers: none against any diverges, whatever the tolerance.
    pub zero_differs: bool,
}

/// The parameters one text gives a key (a cross-check or a derived comparison); unset ones
/// are left to the other texts, then to the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Allowance {
    pub tolerance: Option<f64>,
    pub relative: Option<f64>,
    pub distance: Option<u32>,
    pub tolerance_days: Option<u32>,
    pub zero_differs: Option<bool>,
}

impl From<&CrossCheck> for Allowance {
    fn from(cc: &CrossCheck) -> Allowance {
        Allowance {
            tolerance: cc.tolerance,
            relative: cc.relative,
            distance: cc.distance,
            tolerance_days: cc.tolerance_days,
            zero_differs: cc.zero_differs,
        }
    }
}

impl From<&Derived> for Allowance {
    fn from(d: &Derived) -> Allowance {
        Allowance {
            tolerance: d.tolerance,
            relative: d.relative,
            zero_differs: d.zero_differs,
            ..Allowance::default()
        }
    }
}

impl Params {
    pub const DEFAULT: Params = Params {
        tolerance: 0.0,
        relative: 0.0,
        distance: 0,
        tolerance_days: 0,
        zero_differs: false,
    };

    /// The parameters of one cross-check, defaults for what it leaves unset.
    pub fn from_cross_check(cc: Option<&CrossCheck>) -> Params {
        Params::strictest(cc.map(Allowance::from))
    }

    /// The parameters of several texts taken together: for each, the smallest allowance any
    /// of them gives (and none-against-any diverging if any says so). Where two texts
    /// disagree the stricter applies, so no text can turn a divergence the other would show
    /// into an agreement.
    pub fn strictest(given: impl IntoIterator<Item = Allowance>) -> Params {
        let mut all = Allowance::default();
        fn least<T: PartialOrd + Copy>(a: Option<T>, b: Option<T>) -> Option<T> {
            match (a, b) {
                (Some(x), Some(y)) => Some(if y < x { y } else { x }),
                (x, None) => x,
                (None, y) => y,
            }
        }
        for g in given {
            all.tolerance = least(all.tolerance, g.tolerance);
            all.relative = least(all.relative, g.relative);
            all.distance = least(all.distance, g.distance);
            all.tolerance_days = least(all.tolerance_days, g.tolerance_days);
            all.zero_differs = match (all.zero_differs, g.zero_differs) {
                (Some(a), Some(b)) => Some(a || b),
                (a, b) => a.or(b),
            };
        }
        let d = Params::DEFAULT;
        Params {
            tolerance: all.tolerance.unwrap_or(d.tolerance),
            relative: all.relative.unwrap_or(d.relative),
            distance: all.distance.unwrap_or(d.distance),
            tolerance_days: all.tolerance_days.unwrap_or(d.tolerance_days),
            zero_differs: all.zero_differs.unwrap_or(d.zero_differs),
        }
    }
}

/// How far apart two answers to a key may be, and the questionnaire texts that said so.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub params: Params,
    /// The texts whose parameters were weighed: those in use now that have the key, or, for a
    /// key no text in use has any more, the texts the answers were read with.
    pub from: Vec<TextRef>,
}

/// How a question was put to one side.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    pub prompt: String,
    pub spec: AnswerSpec,
    /// The text the sitting is read with.
    pub text: TextRef,
    /// Whether that is the very text the sitting was recorded with (else the text recorded
    /// with is not available here, and the newest with the same id stands in).
    pub exact: bool,
}

/// One source's latest answer to a key (or, in a change between sittings, one sitting's
/// answer to a question), and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct SideAnswer {
    pub sitting_id: String,
    pub question_id: String,
    pub value: AnswerValue,
    pub at: Stamp,
    pub note: Option<String>,
    pub asked: Asked,
    /// For a derived answer: the answers it was worked out from; empty otherwise.
    pub parts: Vec<SideAnswer>,
}

/// One cross-check key, classified: every source's latest answer and every pair of sources.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub key: String,
    /// The prompt of the first source's questionnaire in use that has the key (the
    /// suspect's, else the partner's, …, else the record's), else as asked.
    pub prompt: String,
    /// Every source that has the key (in a text in use, or in the text an answer was read
    /// with), in source order: suspect, partner, carer, child, record.
    pub sources: Vec<Respondent>,
    /// Each source's latest answer; a source that has not answered has none.
    pub answers: BTreeMap<Respondent, SideAnswer>,
    /// Every two sources of `sources` at least one of which has answered, in source order
    /// (suspect ↔ partner, suspect ↔ record, partner ↔ record).
    pub pairs: Vec<PairStatus>,
    /// The most pressing pair's status (divergences first), and its reason.
    pub status: Status,
    pub reason: String,
    pub rule: Rule,
    /// For a derived comparison, the two cross-check keys multiplied.
    pub derived_from: Option<Vec<String>>,
}

impl Comparison {
    /// A source's latest answer, if it has given one.
    pub fn answer(&self, source: Respondent) -> Option<&SideAnswer> {
        self.answers.get(&source)
    }

    /// Every questionnaire text this comparison used: each source's, then the rule's, once
    /// each.
    pub fn texts(&self) -> Vec<&TextRef> {
        let mut out: Vec<&TextRef> = Vec::new();
        let answered = self
            .answers
            .values()
            .flat_map(|s| std::iter::once(s).chain(s.parts.iter()));
        for t in answered.map(|s| &s.asked.text).chain(self.rule.from.iter()) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    /// Whether a local questionnaire took part: how a source was asked, or the rule.
    pub fn used_local(&self) -> bool {
        self.texts().iter().any(|t| t.is_local())
    }
}

/// Counts of keys by their status, for the review summary.
pub fn summary(comparisons: &[Comparison]) -> BTreeMap<Status, usize> {
    let mut counts: BTreeMap<Status, usize> = Status::ALL.iter().map(|s| (*s, 0)).collect();
    for c in comparisons {
        *counts.entry(c.status).or_default() += 1;
    }
    counts
}

/// A number as a person writes it: no trailing zeros, at most two decimals.
pub fn num(x: f64) -> String {
    let text = format!("{x:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}
