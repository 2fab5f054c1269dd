//! Divergence between the suspect's and the partner's answers to cross-checkable questions.
//! Pure: no I/O.
//!
//! For each `cross_check` key, the latest answer on each side (across all that side's
//! sittings) is classified by the rules in DESIGN §4 and the README, with a one-line reason a
//! person can check. The tool supports judgement; it never scores risk.
//!
//! Each side's answer carries how its question was put ([`Asked`]: the answer type and the
//! questionnaire text its sitting is read with), so answers recorded with different versions
//! of a questionnaire are compared only where they mean the same thing, and the comparison
//! never assumes the two sides share one question. How far apart two answers may be (the
//! [`Rule`]) comes from the texts in use now, stricter where they differ, and names them.

mod case;
mod classify;
mod derived;

use std::collections::BTreeMap;
use std::fmt;

use crate::questionnaire::{AnswerSpec, CrossCheck, Derived, TextRef};
use crate::session::{AnswerValue, Stamp};

pub use case::{CrossChecked, Rules, compare_case, for_each_cross_checked};
pub use classify::{Given, classify, classify_pair};

#[cfg(test)]
mod tests;
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

/// One side's latest answer to a key, and where it came from.
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

/// One cross-check key, classified.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub key: String,
    /// The prompt of the suspect questionnaire in use (else the partner's, else as asked).
    pub prompt: String,
    pub suspect: Option<SideAnswer>,
    pub partner: Option<SideAnswer>,
    pub status: Status,
    pub reason: String,
    pub rule: Rule,
    /// For a derived comparison, the two cross-check keys multiplied.
    pub derived_from: Option<Vec<String>>,
}

impl Comparison {
    /// Every questionnaire text this comparison used: each side's, then the rule's, once each.
    pub fn texts(&self) -> Vec<&TextRef> {
        let mut out: Vec<&TextRef> = Vec::new();
        let sides = self.suspect.iter().chain(self.partner.iter());
        let answered = sides.flat_map(|s| std::iter::once(s).chain(s.parts.iter()));
        for t in answered.map(|s| &s.asked.text).chain(self.rule.from.iter()) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    /// Whether a local questionnaire took part: how a side was asked, or the rule.
    pub fn used_local(&self) -> bool {
        self.texts().iter().any(|t| t.is_local())
    }
}

/// Counts by status, for the review summary.
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
