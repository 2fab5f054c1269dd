//! Step 1 of a receipt: the transfer file checked completely. Writes nothing.

use zeroize::Zeroizing;

use crate::custody::manifest::Digest;
use crate::custody::signing::unseal;
use crate::records::CaseBook;
use crate::session::{Case, ReceivedFile, Sitting};
use crate::store::limits::{CASE_FILE_LIMIT, SITTING_FILE_LIMIT};
use crate::store::{CASE_FILE, Disk, decrypt};

use super::refused;
use crate::transfer::container::{self, README_FILE};
use crate::transfer::list::{LIST_FILE, TransferList};
use crate::transfer::origin::{Authorship, authorship, name_author};
use crate::transfer::{TRANSFER_NAMESPACE, TransferError};

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
