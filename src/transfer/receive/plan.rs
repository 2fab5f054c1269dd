//! Step 2 of a receipt: which case receives the file and what happens to each sitting
//! (the merge rules of [`crate::transfer::merge`]), and how to say so. Writes nothing.

use chrono::{DateTime, FixedOffset};

use crate::records::{CaseBook, same_reference};
use crate::session::Case;
use crate::store::Disk;
use crate::store::ids::{CaseId, SittingId};

use super::check::Incoming;
use super::refused;
use crate::transfer::TransferError;
use crate::transfer::merge::{Outcome, outcome};
use crate::transfer::origin::Authorship;

/// Which case receives, and how it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A held case: its id, and how it was matched (for the person to read).
    Existing { id: CaseId, matched: String },
    /// A new case, under the sender's case id.
    New { id: CaseId },
}

/// What receiving will do. Nothing is written until [`apply`].
pub struct Plan {
    pub incoming: Incoming,
    pub target: Target,
    /// The held case (`None` for a new one).
    pub held: Option<Case>,
    /// Per incoming sitting (same order): what it does, and the file id it is written to.
    pub outcomes: Vec<(Outcome, String)>,
    /// Set when this very transfer was received before: when.
    pub already: Option<DateTime<FixedOffset>>,
}

impl Plan {
    /// Whether applying writes anything.
    pub fn writes(&self) -> bool {
        self.already.is_none()
            && (matches!(self.target, Target::New { .. })
                || self.outcomes.iter().any(|(o, _)| o.writes()))
    }
}

fn same_subjects(a: &Case, b: &Case) -> bool {
    let key = |c: &Case| {
        let mut v: Vec<(String, String)> = c
            .subjects
            .iter()
            .map(|s| (s.role.as_str().to_string(), s.label.trim().to_lowercase()))
            .collect();
        v.sort();
        v
    };
    key(a) == key(b)
}

/// Chooses the receiving case and the outcome of each sitting. Writes nothing.
pub fn plan<D: Disk>(
    book: &CaseBook<D>,
    incoming: Incoming,
    into: Option<&str>,
) -> Result<Plan, TransferError> {
    let sent = &incoming.case;
    let list = book.list()?;
    let target = if let Some(wanted) = into {
        let found = book.find(wanted)?;
        Target::Existing {
            matched: format!("into {} as asked", found.reference),
            id: found.id,
        }
    } else if let Some(c) = list.cases.iter().find(|c| c.id.as_str() == sent.id) {
        Target::Existing {
            id: c.id.clone(),
            matched: format!("{}: the same case (same case id)", c.reference),
        }
    } else {
        let mut joined = Vec::new();
        for c in &list.cases {
            let record = book.open_case(&c.id)?;
            if let Some(held) = record.case
                && held.travel.joined.contains(&sent.id)
            {
                joined.push(c.clone());
            }
        }
        let same_ref: Vec<_> = list
            .cases
            .iter()
            .filter(|c| same_reference(&c.reference, &sent.reference))
            .collect();
        if let Some(c) = joined.first() {
            Target::Existing {
                id: c.id.clone(),
                matched: format!("{}: joined with it on an earlier receipt", c.reference),
            }
        } else if same_ref.is_empty() {
            let id: CaseId = sent
                .id
                .parse()
                .map_err(crate::records::RecordsError::from)?;
            if book
                .store()
                .disk()
                .exists(&book.store().case_dir(&id))
                .unwrap_or(true)
            {
                return Err(refused(format!(
                    "a folder for case {id} is already here but its case file cannot be read; check it with `companion verify {id}`"
                )));
            }
            Target::New { id }
        } else {
            let matching: Vec<_> = same_ref
                .iter()
                .filter(|c| {
                    c.subjects.len() == sent.subjects.len()
                        && same_subjects(
                            &Case {
                                subjects: c.subjects.clone(),
                                ..sent.clone()
                            },
                            sent,
                        )
                })
                .collect();
            match matching.as_slice() {
                [one] => Target::Existing {
                    id: one.id.clone(),
                    matched: format!(
                        "{}: joined, as it has the same reference and the same people",
                        one.reference
                    ),
                },
                _ => {
                    return Err(TransferError::InDoubt(format!(
                        "IN DOUBT, nothing was written: {} case{} here ha{} the reference {:?} but {}; say which case receives it with --into REF (or the id)",
                        same_ref.len(),
                        if same_ref.len() == 1 { "" } else { "s" },
                        if same_ref.len() == 1 { "s" } else { "ve" },
                        sent.reference,
                        if matching.is_empty() {
                            "not the same people"
                        } else {
                            "more than one has the same people"
                        }
                    )));
                }
            }
        }
    };
    let (held_case, mut held) = match &target {
        Target::New { .. } => (None, Vec::new()),
        Target::Existing { id, .. } => {
            let record = book.open_case(id)?;
            let Some(case) = record.case else {
                return Err(refused(format!(
                    "the case file of {id} cannot be read: {}",
                    record
                        .problems
                        .first()
                        .map_or_else(String::new, ToString::to_string)
                )));
            };
            (
                Some(case),
                record
                    .files
                    .into_iter()
                    .zip(record.sittings)
                    .collect::<Vec<_>>(),
            )
        }
    };
    let already = held_case
        .as_ref()
        .and_then(|c| c.travel.has_received(&incoming.list.transfer))
        .map(|e| e.at);
    let mut outcomes = Vec::new();
    for s in &incoming.sittings {
        let o = outcome(&held, &s.sitting);
        let file = match &o {
            Outcome::Same { file } | Outcome::HeldLonger { file } | Outcome::Longer { file } => {
                file.clone()
            }
            Outcome::Added if !held.iter().any(|(f, _)| *f == s.sitting.id) => s.sitting.id.clone(),
            Outcome::Added | Outcome::Conflict { .. } => SittingId::random().to_string(),
        };
        if o.writes() {
            held.retain(|(f, _)| *f != file);
            held.push((file.clone(), s.sitting.clone()));
        }
        outcomes.push((o, file));
    }
    Ok(Plan {
        incoming,
        target,
        held: held_case,
        outcomes,
        already,
    })
}

/// What receiving `plan` does, line by line (said whether or not it writes anything).
pub(super) fn describe(plan: &Plan) -> Vec<String> {
    let inc = &plan.incoming;
    let mut lines = vec![format!(
        "from: transfer {} sent {} by {}",
        &inc.list.transfer[..8],
        inc.list.sent.format("%Y-%m-%d %H:%M UTC"),
        match &inc.sender {
            Authorship::Trusted(n) => format!("{n} (trusted; list signature checked)"),
            other => other.to_string(),
        }
    )];
    lines.push(match &plan.target {
        Target::New { id } => format!("into: a new case {} (id {id})", inc.case.reference),
        Target::Existing { matched, .. } => format!("into: {matched}"),
    });
    for (s, (o, file)) in inc.sittings.iter().zip(&plan.outcomes) {
        let what = match o {
            Outcome::Added => "added".to_string(),
            Outcome::Same { .. } => "already held, unchanged".to_string(),
            Outcome::HeldLonger { .. } => {
                "the version held is longer (it extends this one): kept as it is".to_string()
            }
            Outcome::Longer { file } => {
                format!(
                    "replaces the shorter version held in {file}.age (its events are a prefix of this one's)"
                )
            }
            Outcome::Conflict { with } => format!(
                "CONFLICT: it and the version held in {} each have events the other lacks; both are kept, this one as {file}.age",
                with.iter()
                    .map(|w| format!("{w}.age"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        lines.push(format!(
            "  {} sitting {}: {what}; {}; re-encrypted and sent by {}",
            s.sitting.respondent.as_str(),
            &s.sitting.id[..8],
            s.author,
            match &inc.sender {
                Authorship::Trusted(n) => n.to_string(),
                other => other.to_string(),
            }
        ));
    }
    lines
}
