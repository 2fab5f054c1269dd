//! `case receive`: check a transfer file completely before writing anything, then merge
//! it by sittings into the receiver's case (re-encrypted to the receiver's recipients, as
//! every save is), and record the receipt in the case's custody.
//!
//! Three steps, each its own function so the screens and the CLI say the same:
//! 1. [`check`] (writes nothing): the container, the list's signature, that the file is
//!    addressed to this user, every file's digest, every record decrypted and read, every
//!    author's seal over its plaintext. Anything wrong refuses the whole file with the
//!    reason.
//! 2. [`plan`] (writes nothing): which case receives it and what happens to each sitting
//!    ([`super::merge`]); a file already received, or one that brings nothing new, writes
//!    nothing and says so.
//! 3. [`apply`]: the sittings first, each a normal signed save, then the case file (joined
//!    ids, authors' seals, the custody event) as the step that completes the receipt. If
//!    any step fails, what was written is taken back (a new file is removed the way an
//!    interrupted first save is; a replaced one gets its earlier content back; a new case
//!    folder is removed), so the case is as it was. A crash (not a failed write) can leave
//!    some sittings written without the receipt: receiving the same file again completes
//!    it, as the merge rules make receiving idempotent.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, SubsecRound};
use zeroize::Zeroizing;

use crate::custody::manifest::Digest;
use crate::custody::signing::unseal;
use crate::records::{CaseBook, same_reference};
use crate::session::{Case, CustodyEvent, CustodyKind, ReceivedFile, Sitting};
use crate::store::ids::{CaseId, SittingId};
use crate::store::limits::{CASE_FILE_LIMIT, SITTING_FILE_LIMIT};
use crate::store::{Access, CASE_FILE, Disk, SittingLock, decrypt};

use super::container::{self, README_FILE};
use super::list::{LIST_FILE, TransferList};
use super::merge::{Outcome, outcome};
use super::origin::{Authorship, authorship, name_author};
use super::{TRANSFER_NAMESPACE, TransferError};

/// A sitting in a checked transfer file.
pub struct IncomingSitting {
    /// Its file id in the transfer file.
    pub file: String,
    pub plaintext: Zeroizing<Vec<u8>>,
    pub sitting: Sitting,
    /// Its author's key and seal (checked).
    pub entry: ReceivedFile,
    pub author: Authorship,
}

/// A transfer file whose every signature and digest checked out.
pub struct Incoming {
    pub list: TransferList,
    /// SHA-256 of the whole file.
    pub digest: Digest,
    /// The sender's case (its reference, subjects, travels).
    pub case: Case,
    pub sittings: Vec<IncomingSitting>,
    pub sender: Authorship,
}

fn refused(why: impl Into<String>) -> TransferError {
    TransferError::Refused(why.into())
}

/// Checks a transfer file completely. Writes nothing.
pub fn check<D: Disk>(book: &CaseBook<D>, bytes: &[u8]) -> Result<Incoming, TransferError> {
    let identity = book.identity();
    let trusted = &book.guard().trusted;
    let mut files = container::read(bytes)
        .map_err(|e| refused(format!("it is not a whole transfer file: {e}")))?;
    let list_bytes = files.remove(LIST_FILE).ok_or_else(|| {
        refused("it has no transfer.txt: it is not a transfer file, or it was cut short")
    })?;
    files.remove(README_FILE);
    let list_text =
        std::str::from_utf8(&list_bytes).map_err(|_| refused("its transfer.txt is not text"))?;
    let (body, signer) = unseal(list_text, TRANSFER_NAMESPACE).map_err(|e| {
        refused(format!(
            "the signature of its list does not hold ({e}): it was altered or damaged on the way"
        ))
    })?;
    let list = TransferList::parse(body).map_err(|e| refused(format!("its list: {e}")))?;
    if list.sender != signer {
        return Err(refused(
            "its list names another sender than the key that signed it",
        ));
    }
    let own = identity.recipient().to_string();
    if !list.to.contains(&own) {
        return Err(refused(format!(
            "it is not for you: it was sent to {}, and your key is {own}; ask the sender to send it to your key (`companion keys show` prints it)",
            list.to.join(", ")
        )));
    }
    for (name, want) in &list.files {
        match files.get(name) {
            None => {
                return Err(refused(format!(
                    "{name} is listed but not in the file: it was cut short or taken apart"
                )));
            }
            Some(b) if Digest::of(b) != *want => {
                return Err(refused(format!(
                    "{name} is not the file its sender signed: it was altered or damaged on the way"
                )));
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = files.keys().find(|n| !list.files.contains_key(*n)) {
        return Err(refused(format!(
            "{extra} is in the file but not in its signed list: it was added after sending"
        )));
    }
    let open = |name: &str| -> Result<Zeroizing<Vec<u8>>, TransferError> {
        let bytes = files.get(name).map(Vec::as_slice).unwrap_or_default();
        // Over the limit for its kind it could be received but never opened again here.
        let limit = if name == CASE_FILE {
            CASE_FILE_LIMIT
        } else {
            SITTING_FILE_LIMIT
        };
        if bytes.len() as u64 > limit {
            return Err(refused(format!(
                "{name} is too large: {} bytes, limit {limit}",
                bytes.len()
            )));
        }
        decrypt(bytes, identity).map_err(|p| {
            refused(format!(
                "{name} does not decrypt with your key ({p}): it was not encrypted to you"
            ))
        })
    };
    let case_plain = open(CASE_FILE)?;
    let case = Case::from_payload(&case_plain).map_err(|e| refused(format!("case.age {e}")))?;
    if case.id != list.case {
        return Err(refused("case.age is not the case its list names"));
    }
    let mut sittings = Vec::new();
    for name in list.files.keys().filter(|n| *n != CASE_FILE) {
        let file = name.trim_end_matches(".age").to_string();
        let plaintext = open(name)?;
        let sitting =
            Sitting::from_payload(&plaintext).map_err(|e| refused(format!("{name} {e}")))?;
        let entry = case
            .travel
            .received_file(&file)
            .filter(|e| e.sitting == sitting.id)
            .cloned()
            .ok_or_else(|| refused(format!("{name} carries no author's seal")))?;
        let key = authorship(&entry.author, &entry.seal, &plaintext).map_err(|e| {
            refused(format!(
                "{name}: its author's signature does not hold ({e}); it was altered"
            ))
        })?;
        if sitting.case_id != case.id && !case.travel.joined.contains(&sitting.case_id) {
            return Err(refused(format!(
                "{name} is a sitting of another case than the one sent"
            )));
        }
        sittings.push(IncomingSitting {
            file,
            plaintext,
            sitting,
            author: name_author(&key, trusted),
            entry,
        });
    }
    Ok(Incoming {
        digest: Digest::of(bytes),
        sender: name_author(&list.sender, trusted),
        list,
        case,
        sittings,
    })
}

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

/// What a receipt did, line by line, for the person to read.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub lines: Vec<String>,
    /// Whether anything was written.
    pub wrote: bool,
    pub case: Option<CaseId>,
}

fn describe(plan: &Plan) -> Vec<String> {
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

/// A sitting file written during [`apply`], to take back if a later step fails.
struct Written {
    lock: SittingLock,
    /// The plaintext it held before (`None`: the file is new).
    before: Option<Zeroizing<Vec<u8>>>,
}

/// Receives: writes the sittings, then the case file. See the module docs for what a
/// failure leaves (the case as it was).
pub fn apply<D: Disk>(
    book: &CaseBook<D>,
    plan: Plan,
    now: DateTime<FixedOffset>,
) -> Result<Received, TransferError> {
    let mut lines = describe(&plan);
    if let Some(at) = plan.already {
        lines.push(format!(
            "this transfer was already received on {}; nothing was written",
            at.format("%Y-%m-%d %H:%M")
        ));
        return Ok(Received {
            lines,
            wrote: false,
            case: None,
        });
    }
    if !plan.writes() {
        lines.push("nothing new in it; nothing was written".to_string());
        return Ok(Received {
            lines,
            wrote: false,
            case: None,
        });
    }
    if let Some(why) = book.save_refusal() {
        return Err(refused(format!("saving is refused: {why}")));
    }
    let (id, new_case) = match &plan.target {
        Target::New { id } => (id.clone(), true),
        Target::Existing { id, .. } => (id.clone(), false),
    };
    let store = book.store();
    let identity = book.identity();
    if new_case {
        store
            .create_case_folder(&id)
            .map_err(crate::records::RecordsError::from)?;
    }
    let mut written: Vec<Written> = Vec::new();
    let result = write_all(book, &plan, &id, now, &mut written);
    match result {
        Ok(case) => {
            for w in &written {
                store.finish_sitting(&w.lock, identity);
            }
            lines.push(format!(
                "received into {} (id {id}); recorded in its custody",
                case.reference
            ));
            Ok(Received {
                lines,
                wrote: true,
                case: Some(id),
            })
        }
        Err(e) => {
            undo(book, &id, plan.held.as_ref(), written);
            Err(match e {
                TransferError::Records(r) => refused(format!(
                    "receiving failed and was taken back, the case is as it was: {r}"
                )),
                other => other,
            })
        }
    }
}

fn write_all<D: Disk>(
    book: &CaseBook<D>,
    plan: &Plan,
    id: &CaseId,
    now: DateTime<FixedOffset>,
    written: &mut Vec<Written>,
) -> Result<Case, TransferError> {
    let store = book.store();
    let identity = book.identity();
    let own = identity.signing().public().to_string();
    let inc = &plan.incoming;
    let now = now.trunc_subsecs(0);
    let from = match &inc.sender {
        Authorship::Trusted(n) => n.to_string(),
        _ => inc.list.sender.to_string(),
    };
    let mut case = plan.held.clone().unwrap_or_else(|| Case {
        id: id.to_string(),
        reference: inc.case.reference.clone(),
        created: inc.case.created,
        subjects: inc.case.subjects.clone(),
        travel: Default::default(),
    });
    let mut kept = Vec::new();
    for (s, (o, file)) in inc.sittings.iter().zip(&plan.outcomes) {
        if !o.writes() {
            continue;
        }
        let file_id: SittingId = file.parse().map_err(crate::records::RecordsError::from)?;
        let lock = match store.lock_sitting(id, &file_id) {
            Access::Write(lock) => lock,
            Access::ReadOnly(r) => {
                return Err(crate::records::RecordsError::ReadOnly(r).into());
            }
        };
        store.settle_sitting(&lock, identity);
        let before = match o {
            Outcome::Longer { .. } => Some(
                store
                    .read_sitting(id, &file_id, identity)
                    .map_err(crate::records::RecordsError::from)?,
            ),
            _ => None,
        };
        let saved = store.save_sitting(&lock, &s.plaintext, identity);
        written.push(Written { lock, before });
        saved.map_err(crate::records::RecordsError::from)?;
        case.travel.received.retain(|r| r.file != *file);
        if s.entry.author != own {
            case.travel.received.push(ReceivedFile {
                file: file.clone(),
                sitting: s.sitting.id.clone(),
                author: s.entry.author.clone(),
                seal: s.entry.seal.clone(),
                from: from.clone(),
                at: Some(now),
                conflicts_with: match o {
                    Outcome::Conflict { with } => with.first().cloned(),
                    _ => None,
                },
            });
        }
        kept.push(s.sitting.id.clone());
    }
    let mut joins: Vec<String> = std::iter::once(inc.case.id.clone())
        .chain(inc.case.travel.joined.iter().cloned())
        .collect();
    joins.retain(|j| j != id.as_str());
    for j in joins {
        if !case.travel.joined.contains(&j) {
            case.travel.joined.push(j);
        }
    }
    let mut known: BTreeMap<(String, String, String), ()> = case
        .travel
        .custody
        .iter()
        .map(|e| {
            (
                (
                    e.transfer.clone(),
                    format!("{:?}", e.kind),
                    e.recorded_by.clone(),
                ),
                (),
            )
        })
        .collect();
    for e in &inc.case.travel.custody {
        let key = (
            e.transfer.clone(),
            format!("{:?}", e.kind),
            e.recorded_by.clone(),
        );
        if known.insert(key, ()).is_none() {
            case.travel.custody.push(e.clone());
        }
    }
    case.travel.custody.push(CustodyEvent {
        kind: CustodyKind::Received,
        at: now,
        transfer: inc.list.transfer.clone(),
        file_sha256: inc.digest.to_string(),
        peer: vec![from],
        sittings: kept,
        recorded_by: own,
    });
    book.save_case(&case)?;
    Ok(case)
}

/// Takes back what [`write_all`] wrote, newest first (best effort: it runs after a
/// failure, and says nothing more if it fails too).
fn undo<D: Disk>(book: &CaseBook<D>, id: &CaseId, held: Option<&Case>, written: Vec<Written>) {
    let store = book.store();
    let identity = book.identity();
    // The case file's save may have failed after its new version was in place (a folder
    // sync that did not confirm): put the held one back first, so it never names seals
    // of sittings that are taken back below.
    if let Some(held) = held
        && let Ok(record) = book.open_case(id)
        && record.case.as_ref() != Some(held)
    {
        let _ = book.save_case(held);
    }
    for w in written.into_iter().rev() {
        match &w.before {
            Some(before) => {
                let _ = store.save_sitting(&w.lock, before, identity);
                store.finish_sitting(&w.lock, identity);
            }
            None => {
                // A new file: remove it, which leaves exactly what an interrupted first
                // save leaves (a pending entry, no file), and let the lock holder's
                // settling drop that entry.
                let path = store.sitting_file(id, w.lock.sitting());
                let _ = store.disk().remove_file(&path);
                store.settle_sitting(&w.lock, identity);
            }
        }
    }
    let _ = store.take_notes();
    if held.is_none() {
        let dir = store.case_dir(id);
        if let Ok(entries) = store.disk().list_dir(&dir) {
            for e in entries.iter().filter(|e| !e.is_dir) {
                let _ = store.disk().remove_file(&dir.join(&e.name));
            }
        }
        let _ = store.disk().remove_dir(&dir);
    }
}
