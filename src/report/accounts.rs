//! The rows a report gives the accounts beyond each key's answers: every pair of sources
//! compared, the counts by pair, and the changes in a person's account between sittings.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{SideRow, Summary, side};
use crate::compare::{Change, Comparison, PairStatus, Status, pair_summary, summary};
use crate::questionnaire::Respondent;

/// How a source is named in the JSON: `suspect`, `partner`, `carer`, `child`, `record`.
pub fn source_key(source: Respondent) -> &'static str {
    match source {
        Respondent::None => "record",
        other => other.as_str(),
    }
}

/// Two sources compared on one key.
#[derive(Debug, Clone, Serialize)]
pub struct PairRow {
    /// The two sources, the record last: `["suspect", "record"]`.
    pub sources: [&'static str; 2],
    /// `suspect ↔ record`, as the Markdown and HTML show it.
    pub pair: String,
    pub status: &'static str,
    pub reason: String,
}

impl From<&PairStatus> for PairRow {
    fn from(p: &PairStatus) -> PairRow {
        PairRow {
            sources: [source_key(p.a), source_key(p.b)],
            pair: p.label(),
            status: p.status.label(),
            reason: p.reason.clone(),
        }
    }
}

/// One kind of pair in the summary.
#[derive(Debug, Clone, Serialize)]
pub struct PairSummaryRow {
    pub sources: [&'static str; 2],
    pub pair: String,
    /// Keys this pair was compared on, by status label.
    pub counts: BTreeMap<&'static str, usize>,
    /// agrees / (agrees + close + diverges) for this pair; `null` if none was judged.
    pub agreement_share: Option<f64>,
}

/// One person's answer that differs in a later sitting.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    /// `suspect`, `partner`, …
    pub person: &'static str,
    pub questionnaire_id: String,
    pub question_id: String,
    /// The question's cross-check key, if it has one.
    pub key: Option<String>,
    /// As the later sitting asked it.
    pub prompt: String,
    /// `changed`, `text differs` or `asked in different forms`.
    pub kind: &'static str,
    pub reason: String,
    /// The earlier sitting's final answer, and the later one's.
    pub before: SideRow,
    pub after: SideRow,
}

impl From<&Change> for ChangeRow {
    fn from(c: &Change) -> ChangeRow {
        ChangeRow {
            person: source_key(c.person),
            questionnaire_id: c.questionnaire_id.clone(),
            question_id: c.question_id.clone(),
            key: c.key.clone(),
            prompt: c.prompt.clone(),
            kind: c.kind.label(),
            reason: c.reason.clone(),
            before: side(&c.before),
            after: side(&c.after),
        }
    }
}

pub(super) fn summarize(comparisons: &[Comparison], changes: &[Change]) -> Summary {
    let mut by_person: BTreeMap<&'static str, usize> = BTreeMap::new();
    for c in changes {
        *by_person.entry(source_key(c.person)).or_default() += 1;
    }
    Summary {
        counts: summary(comparisons)
            .into_iter()
            .map(|(s, n)| (s.label(), n))
            .collect(),
        pairs: pair_summary(comparisons)
            .iter()
            .map(|p| PairSummaryRow {
                sources: [source_key(p.a), source_key(p.b)],
                pair: p.label(),
                counts: Status::ALL
                    .iter()
                    .map(|s| (s.label(), p.count(*s)))
                    .collect(),
                agreement_share: p
                    .agreement()
                    .map(|(agrees, judged)| agrees as f64 / judged as f64),
            })
            .collect(),
        changes: by_person,
    }
}
