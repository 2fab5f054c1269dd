//! Cases that travel: `case send` writes one file holding a case and its sittings,
//! re-encrypted to the people it is for; `case receive` checks it, re-encrypts it to the
//! receiver's own recipients and merges it by sittings. The transport is that file, carried
//! however the organisation allows: never a server, never the network.
//!
//! # Whose signature covers what (the design point)
//!
//! A home's signatures are over **ciphertext** (DESIGN §10: custody checkable by someone
//! who cannot decrypt). Sending re-encrypts every record to the receiver, so the author's
//! signature over the original ciphertext no longer covers the file that travels, nor the
//! receiver's re-encrypted copy. Three answers were weighed:
//!
//! - (a) carry the author's signed statement for the original digests plus a sender-signed
//!   map "original digest → re-encrypted digest": the receiver checks the author signed
//!   the original and must *trust the sender* for the equivalence. At the second hop
//!   (A → B → C) B must keep and forward A's evidence about ciphertext B no longer has,
//!   and C trusts B for the equivalence: every hop adds a link nobody can check.
//! - (b) an inner author signature over the plaintext at every save: authorship survives
//!   any re-encryption, but it changes the sitting format and adds a second signature to
//!   every save (one per answer), for records that mostly never travel.
//! - (c), chosen: **the author's seal over the plaintext, made when the record first
//!   leaves its author's home and kept inside the encryption from then on.** Sending
//!   signs each own sitting's exact plaintext (namespace `interview-companion-author@v1`);
//!   a received sitting keeps its author's seal in the receiver's case file (itself
//!   encrypted and covered by the receiver's signed statement), and is forwarded as it came.
//!   So C checks that A wrote exactly this sitting without trusting B at all; B's signature
//!   over the transfer list (over the *ciphertext* digests, checkable without decrypting)
//!   says which files B sent and that nothing was changed or cut on the way. The home's
//!   own records and their format are untouched. The cost: the seal is made at sending,
//!   not at writing, so it says "A's key vouched for this content when A sent it"; A's own
//!   signed statement had vouched for its ciphertext at every save until then.
//!
//! Neither a plaintext digest nor a plaintext signature is ever in the clear: a signature
//! over the plaintext lets anyone with a guess check it, exactly as a digest would. Seals
//! travel inside the encrypted `case.age`, never in the list.
//!
//! The screens and reports say what was checked: "written and signed by A (trusted);
//! re-encrypted and sent by B".
//!
//! The file format and the merge rules are in `docs/transfer-format.md`.

pub mod address;
pub mod container;
pub mod list;
pub mod merge;
pub mod origin;
pub mod receive;
pub mod send;

pub use origin::Origin;

/// The namespaces of a transfer list's signature (by the sender) and of an author's seal
/// over a sitting's plaintext; kept with the other namespaces, as `allowed_signers` lists
/// them all.
pub use crate::custody::signing::{AUTHOR_NAMESPACE, TRANSFER_NAMESPACE};

/// Why a transfer could not be made or was refused. Each names the file or record at fault
/// and says that nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// The transfer file is refused: why. Nothing was written.
    #[error("REFUSED, nothing was written: {0}")]
    Refused(String),
    /// The case cannot be sent as it is.
    #[error("NOT sent, nothing was written: {0}")]
    NotSent(String),
    /// The receiving case is in doubt: the person must name it.
    #[error("{0}")]
    InDoubt(String),
    /// Reading or saving failed.
    #[error(transparent)]
    Records(#[from] crate::records::RecordsError),
}

use std::path::Path;

use chrono::{DateTime, FixedOffset};

use crate::paths::Paths;
use crate::records::CaseBook;
use crate::store::{Disk, save_durable, save_durable_new};

/// What a send did, for the person to read (the CLI and the screens print the same).
#[derive(Debug, Clone)]
pub struct SendSummary {
    pub lines: Vec<String>,
}

/// `case send`: builds the transfer file of case `reference` for `to` (keys or names from
/// the recipients file), writes it at `out` (an existing file only with `force`), then
/// records the send in the case's custody. If recording fails, the file is removed again:
/// a send is either written and recorded, or neither.
pub fn send_case<D: Disk>(
    book: &CaseBook<D>,
    paths: &Paths,
    reference: &str,
    to: &[String],
    out: &Path,
    force: bool,
    now: DateTime<FixedOffset>,
) -> Result<SendSummary, TransferError> {
    let not_sent = |why: String| TransferError::NotSent(why);
    if to.is_empty() {
        return Err(not_sent(
            "say who it is for with --to (an age1… key, or a name from the recipients file)"
                .to_string(),
        ));
    }
    let disk = book.store().disk();
    let text = disk
        .read(&paths.recipients_file())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let known = address::named(&text);
    let addressees = to
        .iter()
        .map(|t| address::resolve(t, &known))
        .collect::<Result<Vec<_>, _>>()
        .map_err(not_sent)?;
    if let Some(why) = book.save_refusal() {
        return Err(not_sent(format!(
            "saving is refused, so the send could not be recorded: {why}"
        )));
    }
    let summary = book.find(reference)?;
    let prepared = send::prepare(book, &summary.id, &addressees, now)?;
    let written = if force {
        save_durable(disk, out, &prepared.bytes)
    } else {
        save_durable_new(disk, out, &prepared.bytes)
    };
    written.map_err(|e| {
        not_sent(if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!(
                "{} already exists and was left as it is; choose another name, or add --force to replace it",
                out.display()
            )
        } else {
            e.to_string()
        })
    })?;
    if let Err(e) = send::record(book, &prepared, now) {
        let _ = disk.remove_file(out);
        return Err(not_sent(format!(
            "the send could not be recorded in the case ({e}), so the file was removed again"
        )));
    }
    let mut lines = vec![format!(
        "wrote {} ({} bytes, sha256 {}): case {}, {} sitting{}, each encrypted to {}",
        out.display(),
        prepared.bytes.len(),
        prepared.digest(),
        summary.reference,
        prepared.sittings.len(),
        if prepared.sittings.len() == 1 {
            ""
        } else {
            "s"
        },
        prepared.to.join(", ")
    )];
    lines.push(
        "the list of its files is signed by you; each sitting carries its author's seal"
            .to_string(),
    );
    lines.push("the send is recorded in the case's custody".to_string());
    Ok(SendSummary { lines })
}

/// `case receive`: checks the file completely, then merges it (see [`receive`]).
pub fn receive_file<D: Disk>(
    book: &CaseBook<D>,
    file: &Path,
    into: Option<&str>,
    now: DateTime<FixedOffset>,
) -> Result<receive::Received, TransferError> {
    let bytes = book
        .store()
        .disk()
        .read_limited(file, container::MAX_TRANSFER)
        .map_err(|e| {
            TransferError::Refused(format!("{} could not be read ({e})", file.display()))
        })?;
    let incoming = receive::check(book, &bytes).map_err(|e| match e {
        TransferError::Refused(why) => TransferError::Refused(format!("{}: {why}", file.display())),
        other => other,
    })?;
    let plan = receive::plan(book, incoming, into)?;
    receive::apply(book, plan, now)
}
