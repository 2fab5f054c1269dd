//! `case send`: one file holding a case and its sittings, each re-encrypted to the given
//! recipients, each sitting with its author's seal, and the list of it all signed by the
//! sender. Writes nothing in the case until the file is written; then records the send.

use chrono::{DateTime, FixedOffset, SubsecRound, Utc};

use crate::custody::manifest::Digest;
use crate::records::CaseBook;
use crate::session::{Case, CustodyEvent, CustodyKind, ReceivedFile};
use crate::store::ids::{CaseId, SittingId};
use crate::store::recipients::Recipients;
use crate::store::{Disk, encrypt};

use super::address::Addressee;
use super::container::{self, README_FILE};
use super::list::{LIST_FILE, TransferList};
use super::{AUTHOR_NAMESPACE, TRANSFER_NAMESPACE, TransferError};

/// A transfer file made, not yet written anywhere.
pub struct Prepared {
    /// The file's bytes (a tar archive).
    pub bytes: Vec<u8>,
    pub list: TransferList,
    /// The case id sent.
    pub case: CaseId,
    /// The sitting ids in it.
    pub sittings: Vec<String>,
    /// To whom, as the person named them.
    pub to: Vec<String>,
}

impl Prepared {
    /// SHA-256 of the file.
    pub fn digest(&self) -> Digest {
        Digest::of(&self.bytes)
    }
}

/// The guide inside every transfer file (no case details: the same text in every file).
pub const README_TEXT: &str = "\
This is an interview-companion transfer file: one case and its sittings, each an age file\n\
encrypted to the people it was sent to. It holds no names or answers in the clear.\n\
\n\
To receive it into interview-companion: companion case receive THIS-FILE\n\
\n\
To check it without the program (OpenSSH's ssh-keygen and sha256sum):\n\
  sed '/^-----BEGIN SSH SIGNATURE-----$/,$d' transfer.txt > list.body\n\
  sed -n '/^-----BEGIN SSH SIGNATURE-----$/,$p' transfer.txt > list.sig\n\
  ssh-keygen -Y check-novalidate -n interview-companion-transfer@v1 -s list.sig < list.body\n\
  grep -E '^[0-9a-f]{64}  ' list.body | sha256sum -c\n\
To read a record: age -d -i YOUR-IDENTITY.txt case.age (or <id>.age)\n\
Each sitting's author seal is inside the decrypted case.age, [[case.travel.received]];\n\
check it with ssh-keygen -Y verify -n interview-companion-author@v1 over the decrypted sitting.\n\
The format is described in the program's docs/transfer-format.md.\n";

/// Builds the transfer file of `case` for `to`. Refuses a case with any file whose
/// signature or seal does not hold: a problem is never passed on silently.
pub fn prepare<D: Disk>(
    book: &CaseBook<D>,
    case: &CaseId,
    to: &[Addressee],
    now: DateTime<FixedOffset>,
) -> Result<Prepared, TransferError> {
    let not_sent = |why: String| TransferError::NotSent(why);
    let recipients = Recipients::from_list(to.iter().map(|a| a.recipient.clone()).collect())
        .ok_or_else(|| not_sent("give at least one recipient with --to".to_string()))?;
    let record = book.open_case(case)?;
    let Some(held_case) = record.case.clone() else {
        return Err(not_sent(format!(
            "the case file of {case} could not be read: {}",
            record
                .problems
                .first()
                .map_or_else(String::new, ToString::to_string)
        )));
    };
    if let Some(p) = record.problems.first() {
        return Err(not_sent(format!(
            "{p}; check the case with `companion verify`"
        )));
    }
    if let Some(p) = record.custody.problems().next() {
        return Err(not_sent(format!(
            "{p}; check the case with `companion verify`"
        )));
    }
    if let Some(o) = record.origins.iter().find(|o| o.is_problem()) {
        return Err(not_sent(format!("{}.age: {}", o.file, o.author)));
    }
    let identity = book.identity();
    let own = identity.signing().public().to_string();
    let mut sent_case: Case = held_case.clone();
    sent_case.travel.received.clear();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut sittings = Vec::new();
    for (file, held_sitting) in record.files.iter().zip(&record.sittings) {
        let file_id: SittingId = file.parse().map_err(crate::records::RecordsError::from)?;
        let plaintext = book
            .store()
            .read_sitting(case, &file_id, identity)
            .map_err(|p| not_sent(p.to_string()))?;
        let entry = match held_case.travel.received_file(file) {
            // Received: forward its author's seal as it came (checked above on opening).
            Some(r) => r.clone(),
            // Our own: seal its exact plaintext now.
            None => {
                let seal = identity
                    .signing()
                    .sign(AUTHOR_NAMESPACE, &plaintext)
                    .map_err(|e| not_sent(e.to_string()))?;
                ReceivedFile {
                    file: file.clone(),
                    sitting: held_sitting.id.clone(),
                    author: own.clone(),
                    seal,
                    from: String::new(),
                    at: None,
                    conflicts_with: None,
                }
            }
        };
        sittings.push(entry.sitting.clone());
        sent_case.travel.received.push(entry);
        let ciphertext = encrypt(&plaintext, &recipients)
            .map_err(|e| not_sent(format!("{file}.age could not be encrypted ({e})")))?;
        files.push((format!("{file}.age"), ciphertext));
    }
    let case_text = sent_case
        .to_payload()
        .map_err(|e| not_sent(e.to_string()))?;
    let case_cipher = encrypt(case_text.as_bytes(), &recipients)
        .map_err(|e| not_sent(format!("case.age could not be encrypted ({e})")))?;
    files.insert(0, (crate::store::CASE_FILE.to_string(), case_cipher));
    let sent: DateTime<Utc> = now.with_timezone(&Utc).trunc_subsecs(0);
    let list = TransferList {
        transfer: SittingId::random().to_string(),
        case: case.to_string(),
        sent,
        sender: identity.signing().public().clone(),
        to: recipients.iter().map(ToString::to_string).collect(),
        files: files
            .iter()
            .map(|(n, b)| (n.clone(), Digest::of(b)))
            .collect(),
    };
    let signed =
        crate::custody::signing::seal(&list.body(), identity.signing(), TRANSFER_NAMESPACE)
            .map_err(|e| not_sent(e.to_string()))?;
    files.insert(
        0,
        (README_FILE.to_string(), README_TEXT.as_bytes().to_vec()),
    );
    files.insert(0, (LIST_FILE.to_string(), signed.into_bytes()));
    let mtime = u64::try_from(sent.timestamp()).unwrap_or(0);
    let bytes = container::write(&files, mtime).map_err(|e| not_sent(e.to_string()))?;
    Ok(Prepared {
        bytes,
        list,
        case: case.clone(),
        sittings,
        to: to.iter().map(Addressee::label).collect(),
    })
}

/// Records in the case file that `sent` was written and handed on.
pub fn record<D: Disk>(
    book: &CaseBook<D>,
    sent: &Prepared,
    now: DateTime<FixedOffset>,
) -> Result<(), TransferError> {
    let record = book.open_case(&sent.case)?;
    let Some(mut case) = record.case else {
        return Err(TransferError::NotSent(
            "the case file could not be read again to record the send".to_string(),
        ));
    };
    case.travel.custody.push(CustodyEvent {
        kind: CustodyKind::Sent,
        at: now.trunc_subsecs(0),
        transfer: sent.list.transfer.clone(),
        file_sha256: sent.digest().to_string(),
        peer: sent.to.clone(),
        sittings: sent.sittings.clone(),
        recorded_by: book.identity().signing().public().to_string(),
    });
    book.save_case(&case)?;
    Ok(())
}
