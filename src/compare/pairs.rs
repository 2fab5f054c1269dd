//! Every two sources of a key, compared: suspect ↔ partner, suspect ↔ record, partner ↔
//! record, and any others a local questionnaire brings (a carer, a child). The same code for
//! every pair, so no pair is a special case; only the wording of an account against the
//! record differs (in [`super::classify`]).

use std::collections::BTreeMap;

use super::classify::show;
use super::{Comparison, SideAnswer, Status, source_name};
use crate::questionnaire::Respondent;

/// Two sources compared on one key; `a` comes before `b` in source order (the record last).
#[derive(Debug, Clone, PartialEq)]
pub struct PairStatus {
    pub a: Respondent,
    pub b: Respondent,
    pub status: Status,
    pub reason: String,
}

impl PairStatus {
    /// `suspect ↔ record`.
    pub fn label(&self) -> String {
        pair_label(self.a, self.b)
    }
}

/// How a pair of sources is named in lists: `suspect ↔ partner`, `partner ↔ record`.
pub fn pair_label(a: Respondent, b: Respondent) -> String {
    let short = |r: Respondent| match r {
        Respondent::None => "record",
        other => other.as_str(),
    };
    format!("{} ↔ {}", short(a), short(b))
}

/// The pairs of a key, and the key's own status and reason: its most pressing pair's (the
/// first in source order among equals). `judge` compares two sources, each with its answer
/// if it has given one. With a single source there is nothing to compare it with: a gap.
pub(super) fn compare_pairs(
    sources: &[Respondent],
    answers: &BTreeMap<Respondent, SideAnswer>,
    mut judge: impl FnMut(
        (Respondent, Option<&SideAnswer>),
        (Respondent, Option<&SideAnswer>),
    ) -> (Status, String),
) -> (Vec<PairStatus>, Status, String) {
    let mut pairs = Vec::new();
    for (i, &a) in sources.iter().enumerate() {
        for &b in &sources[i + 1..] {
            let (x, y) = (answers.get(&a), answers.get(&b));
            if x.is_none() && y.is_none() {
                continue; // nothing to say about two sources neither of which has answered
            }
            let (status, reason) = judge((a, x), (b, y));
            pairs.push(PairStatus {
                a,
                b,
                status,
                reason,
            });
        }
    }
    let worst = pairs
        .iter()
        .enumerate()
        .min_by_key(|(i, p)| (p.status, *i))
        .map(|(_, p)| (p.status, p.reason.clone()));
    let (status, reason) = worst.unwrap_or_else(|| {
        let alone = answers
            .iter()
            .next()
            .map_or_else(String::new, |(who, answer)| {
                let label = answer.asked.text.label();
                let given = super::case::given(answer, &label);
                format!("{} {}; ", source_name(*who), show(&given))
            });
        (
            Status::Gap,
            format!("{alone}no other questionnaire in use asks this: nothing to compare with"),
        )
    });
    (pairs, status, reason)
}

/// One kind of pair with its counts by status, for the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct PairCounts {
    pub a: Respondent,
    pub b: Respondent,
    /// Every status, with how many keys this pair has in it.
    pub counts: BTreeMap<Status, usize>,
}

impl PairCounts {
    pub fn label(&self) -> String {
        pair_label(self.a, self.b)
    }

    pub fn count(&self, status: Status) -> usize {
        self.counts.get(&status).copied().unwrap_or(0)
    }

    /// Agreeing among judged (agrees + close + diverges): `(agrees, judged)`, `None` if
    /// nothing was judged.
    pub fn agreement(&self) -> Option<(usize, usize)> {
        let agrees = self.count(Status::Agrees);
        let judged = agrees + self.count(Status::Close) + self.count(Status::Diverges);
        (judged > 0).then_some((agrees, judged))
    }

    /// Keys this pair was compared on.
    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }
}

/// Counts by status for every kind of pair the comparisons hold, in source order.
pub fn pair_summary(comparisons: &[Comparison]) -> Vec<PairCounts> {
    let mut by_pair: BTreeMap<(Respondent, Respondent), BTreeMap<Status, usize>> = BTreeMap::new();
    for c in comparisons {
        for p in &c.pairs {
            let counts = by_pair
                .entry((p.a, p.b))
                .or_insert_with(|| Status::ALL.iter().map(|s| (*s, 0)).collect());
            *counts.entry(p.status).or_default() += 1;
        }
    }
    by_pair
        .into_iter()
        .map(|((a, b), counts)| PairCounts { a, b, counts })
        .collect()
}
