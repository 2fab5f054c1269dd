//! Divergence between the suspect's and the partner's answers to cross-checkable questions.
//! Pure: no I/O.
//!
//! For each `cross_check` key, the latest answer on each side (across all that side's
//! sittings) is classified by the rules in DESIGN §4 and the README, with a one-line reason a
//! person can check. The tool supports judgement; it never scores risk.

use std::collections::BTreeMap;
use std::fmt;

use crate::questionnaire::{AnswerSpec, Catalog, CrossCheck, Question, Respondent};
use crate::session::{AnswerValue, QuestionState, Sitting, Stamp};

#[cfg(test)]
mod tests;

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

/// The comparison parameters in force, with the defaults the README states.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub tolerance: f64,
    pub relative: f64,
    pub distance: u32,
    pub tolerance_days: u32,
}

impl Params {
    pub const DEFAULT: Params = Params {
        tolerance: 0.0,
        relative: 0.0,
        distance: 0,
        tolerance_days: 0,
    };

    /// The parameters of a cross-check (either side's; the linter makes them agree).
    pub fn from_cross_check(cc: Option<&CrossCheck>) -> Params {
        let d = Params::DEFAULT;
        match cc {
            None => d,
            Some(cc) => Params {
                tolerance: cc.tolerance.unwrap_or(d.tolerance),
                relative: cc.relative.unwrap_or(d.relative),
                distance: cc.distance.unwrap_or(d.distance),
                tolerance_days: cc.tolerance_days.unwrap_or(d.tolerance_days),
            },
        }
    }
}

/// Classifies two recorded answers to one cross-checked question, with a reason.
/// `suspect` and `partner` are `None` when that side has not answered.
pub fn classify(
    spec: &AnswerSpec,
    params: Params,
    suspect: Option<&AnswerValue>,
    partner: Option<&AnswerValue>,
) -> (Status, String) {
    let unit = match spec {
        AnswerSpec::Number { unit: Some(u), .. } => format!(" {u}"),
        _ => String::new(),
    };
    let show = |v: &AnswerValue| match v {
        AnswerValue::Number { number } => format!("{}{unit}", num(*number)),
        AnswerValue::Text { .. } => "(text)".to_string(),
        other => other.to_string(),
    };
    let (s, p) = match (suspect, partner) {
        (None, None) => return (Status::Gap, "asked of neither side yet".into()),
        (Some(s), None) => {
            return (
                Status::Gap,
                format!("suspect {}; partner not asked yet", show(s)),
            );
        }
        (None, Some(p)) => {
            return (
                Status::Gap,
                format!("partner {}; suspect not asked yet", show(p)),
            );
        }
        (Some(s), Some(p)) => (s, p),
    };
    let both = format!("suspect {}, partner {}", show(s), show(p));
    if s.is_uncertain() || p.is_uncertain() {
        return (Status::Uncertain, both);
    }
    match (s, p) {
        (AnswerValue::Text { .. }, AnswerValue::Text { .. }) => (
            Status::ByHand,
            "free text: read both answers side by side".into(),
        ),
        (AnswerValue::YesNo { yes: a }, AnswerValue::YesNo { yes: b }) => equal(a == b, both),
        (AnswerValue::Choice { option: a }, AnswerValue::Choice { option: b }) => {
            equal(a == b, both)
        }
        (AnswerValue::MultiChoice { options: a }, AnswerValue::MultiChoice { options: b }) => {
            let only_s: Vec<&str> = a
                .iter()
                .filter(|x| !b.contains(x))
                .map(String::as_str)
                .collect();
            let only_p: Vec<&str> = b
                .iter()
                .filter(|x| !a.contains(x))
                .map(String::as_str)
                .collect();
            if only_s.is_empty() && only_p.is_empty() {
                (Status::Agrees, both)
            } else {
                let mut parts = Vec::new();
                if !only_s.is_empty() {
                    parts.push(format!("only suspect: {}", only_s.join(", ")));
                }
                if !only_p.is_empty() {
                    parts.push(format!("only partner: {}", only_p.join(", ")));
                }
                (Status::Diverges, format!("{both}: {}", parts.join("; ")))
            }
        }
        (AnswerValue::Scale { step: a }, AnswerValue::Scale { step: b }) => {
            let steps = spec.options();
            let index = |x: &str| steps.iter().position(|s| s == x);
            match (index(a), index(b)) {
                (Some(i), Some(j)) => {
                    let apart = i.abs_diff(j);
                    let reason = format!(
                        "{both}: {apart} step{} apart, allowed {}",
                        if apart == 1 { "" } else { "s" },
                        params.distance
                    );
                    if apart == 0 {
                        (Status::Agrees, both)
                    } else if apart <= params.distance as usize {
                        (Status::Close, reason)
                    } else {
                        (Status::Diverges, reason)
                    }
                }
                _ => (
                    Status::ByHand,
                    format!("{both}: a step is not on the current scale; compare by hand"),
                ),
            }
        }
        (AnswerValue::Number { number: a }, AnswerValue::Number { number: b }) => {
            let apart = (a - b).abs();
            let allowed = params.tolerance.max(params.relative * a.abs().max(b.abs()));
            // Within a hair of the boundary counts as at it: 0.29 × 100 is 28.999… in binary.
            let within = apart <= allowed + 1e-9 * allowed.max(1.0);
            let reason = format!(
                "{both}: {}{unit} apart, tolerance {}{unit}",
                num(apart),
                num(allowed)
            );
            if apart == 0.0 {
                (Status::Agrees, both)
            } else if within {
                (Status::Agrees, reason)
            } else {
                (Status::Diverges, reason)
            }
        }
        (AnswerValue::Date { date: a }, AnswerValue::Date { date: b }) => {
            let days = (*a - *b).num_days().unsigned_abs();
            let reason = format!(
                "{both}: {days} day{} apart, tolerance {} day{}",
                if days == 1 { "" } else { "s" },
                params.tolerance_days,
                if params.tolerance_days == 1 { "" } else { "s" }
            );
            if days == 0 {
                (Status::Agrees, both)
            } else if days <= u64::from(params.tolerance_days) {
                (Status::Agrees, reason)
            } else {
                (Status::Diverges, reason)
            }
        }
        _ => (
            Status::ByHand,
            format!("{both}: answers of different kinds; compare by hand"),
        ),
    }
}

fn equal(same: bool, both: String) -> (Status, String) {
    if same {
        (Status::Agrees, both)
    } else {
        (Status::Diverges, both)
    }
}

/// A number as a person writes it: no trailing zeros, at most two decimals.
fn num(x: f64) -> String {
    let text = format!("{x:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// One side's latest answer to a key, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct SideAnswer {
    pub sitting_id: String,
    pub question_id: String,
    pub value: AnswerValue,
    pub at: Stamp,
    pub note: Option<String>,
}

/// One cross-check key, classified.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub key: String,
    /// The suspect-side prompt, or the partner's if only that side is known.
    pub prompt: String,
    pub suspect: Option<SideAnswer>,
    pub partner: Option<SideAnswer>,
    pub status: Status,
    pub reason: String,
}

/// Counts by status, for the review summary.
pub fn summary(comparisons: &[Comparison]) -> BTreeMap<Status, usize> {
    let mut counts: BTreeMap<Status, usize> = Status::ALL.iter().map(|s| (*s, 0)).collect();
    for c in comparisons {
        *counts.entry(c.status).or_default() += 1;
    }
    counts
}

struct KeyInfo<'a> {
    spec: &'a AnswerSpec,
    params: Params,
    prompt: &'a str,
}

/// One cross-checked question of one suspect or partner sitting, as the sitting holds it.
pub struct CrossChecked<'a, 'f> {
    pub side: Respondent,
    pub sitting: &'a Sitting,
    pub question: &'a Question,
    pub key: &'a str,
    pub cross_check: &'a CrossCheck,
    /// The question's folded state in that sitting; `None` if it has no events there.
    pub state: Option<&'f QuestionState>,
}

/// Calls `visit` for every cross-checked question of every suspect and partner sitting,
/// folding each sitting once. Sittings whose questionnaire is not in `catalog` cannot be
/// mapped to keys and are skipped. The one walk both the comparison and the review's
/// histories are built from, so the two cannot disagree on what belongs to a key.
pub fn for_each_cross_checked<'a>(
    sittings: &'a [Sitting],
    catalog: &'a Catalog,
    mut visit: impl FnMut(CrossChecked<'a, '_>),
) {
    for sitting in sittings {
        let side = sitting.respondent;
        if !matches!(side, Respondent::Suspect | Respondent::Partner) {
            continue;
        }
        let Some(loaded) = catalog.get(&sitting.questionnaire.id) else {
            continue;
        };
        let folded = sitting.fold();
        for (_, question) in loaded.questionnaire.questions() {
            let Some(cc) = &question.cross_check else {
                continue;
            };
            visit(CrossChecked {
                side,
                sitting,
                question,
                key: &cc.key,
                cross_check: cc,
                state: folded.get(&question.id),
            });
        }
    }
}

/// Compares a case: every cross-check key answered by at least one side, divergences first.
/// Sittings whose questionnaire is not in `catalog` cannot be mapped to keys and are skipped.
pub fn compare_case(sittings: &[Sitting], catalog: &Catalog) -> Vec<Comparison> {
    let mut info: BTreeMap<&str, KeyInfo<'_>> = BTreeMap::new();
    let mut latest: BTreeMap<(&str, Respondent), SideAnswer> = BTreeMap::new();
    for_each_cross_checked(sittings, catalog, |item| {
        let question = item.question;
        let entry = info.entry(item.key).or_insert(KeyInfo {
            spec: &question.answer,
            params: Params::from_cross_check(Some(item.cross_check)),
            prompt: &question.prompt,
        });
        if item.side == Respondent::Suspect {
            entry.prompt = &question.prompt;
        }
        let Some(state) = item.state else {
            return;
        };
        let (Some(value), Some(at)) = (&state.answer, &state.answered_at) else {
            return;
        };
        let candidate = SideAnswer {
            sitting_id: item.sitting.id.clone(),
            question_id: question.id.clone(),
            value: value.clone(),
            at: at.clone(),
            note: state.note.clone(),
        };
        match latest.entry((item.key, item.side)) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(candidate);
            }
            std::collections::btree_map::Entry::Occupied(mut o) => {
                if candidate.at.at >= o.get().at.at {
                    o.insert(candidate);
                }
            }
        }
    });
    let mut out: Vec<Comparison> = info
        .iter()
        .filter_map(|(key, ki)| {
            let suspect = latest.get(&(*key, Respondent::Suspect)).cloned();
            let partner = latest.get(&(*key, Respondent::Partner)).cloned();
            if suspect.is_none() && partner.is_none() {
                return None;
            }
            let (status, reason) = classify(
                ki.spec,
                ki.params,
                suspect.as_ref().map(|s| &s.value),
                partner.as_ref().map(|p| &p.value),
            );
            Some(Comparison {
                key: key.to_string(),
                prompt: ki.prompt.to_string(),
                suspect,
                partner,
                status,
                reason,
            })
        })
        .collect();
    out.sort_by(|a, b| a.status.cmp(&b.status).then_with(|| a.key.cmp(&b.key)));
    out
}
