//! `case receive`: check a transfer file completely before writing anything, then merge
//! it by sittings into the receiver's case (re-encrypted to the receiver's recipients, as
//! every save is), and record the receipt in the case's custody.
//!
//! Three steps, each its own function (and module) so the screens and the CLI say the same:
//! 1. [`check()`] (writes nothing): the container, the list's signature, that the file is
//!    addressed to this user, every file's digest, every record decrypted and read, every
//!    author's seal over its plaintext. Anything wrong refuses the whole file with the
//!    reason.
//! 2. [`plan()`] (writes nothing): which case receives it and what happens to each sitting
//!    ([`super::merge`]); a file already received, or one that brings nothing new, writes
//!    nothing and says so.
//! 3. [`apply()`]: the sittings first, each a normal signed save, then the case file (joined
//!    ids, authors' seals, the custody event) as the step that completes the receipt. If
//!    any step fails, what was written is taken back (a new file is removed the way an
//!    interrupted first save is; a replaced one gets its earlier content back; a new case
//!    folder is removed), so the case is as it was. A crash (not a failed write) can leave
//!    some sittings written without the receipt: receiving the same file again completes
//!    it, as the merge rules make receiving idempotent.
//!
//! The seam between the modules is the one between reading and writing: `check` and
//! `plan` only read (a refusal there cannot have harmed anything), `apply` is the only
//! one that writes, and the only one that has to take anything back.

mod apply;
mod check;
mod plan;

pub use apply::{Received, apply};
pub use check::{Incoming, IncomingSitting, check};
pub use plan::{Plan, Target, plan};

use super::TransferError;

fn refused(why: impl Into<String>) -> TransferError {
    TransferError::Refused(why.into())
}
