//! Step 3 of a receipt: the sittings written, then the case file; everything taken back
//! if a step fails.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, SubsecRound};
use zeroize::Zeroizing;

use crate::records::CaseBook;
use crate::session::{Case, CustodyEvent, CustodyKind, ReceivedFile};
use crate::store::ids::{CaseId, SittingId};
use crate::store::{Access, Disk, SittingLock};

use super::plan::{Plan, Target, describe};
use super::refused;
use crate::transfer::TransferError;
use crate::transfer::merge::Outcome;
use crate::transfer::origin::Authorship;

/// What a receipt did, line by line, for the person to read.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub lines: Vec<String>,
    /// Whether anything was written.
    pub wrote: bool,
    pub case: Option<CaseId>,
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
