//! `companion verify REF`: every file of a case with its verdict, and an exit status for
//! scripts. Checking never writes anything (not even the confirmation of an interrupted
//! save, which the next normal open does).

use std::process::ExitCode;

use anyhow::Result;

use interview_companion::custody::verdict::Standing;
use interview_companion::records::CaseBook;
use interview_companion::store::passphrase::unlock_interactive;
use interview_companion::store::{CaseId, RealDisk};

use super::AppContext;
use super::output::{errln, outln};

/// Exit status: a file is altered, missing, rolled back, added or copied, or the
/// statement is damaged or missing.
pub const EXIT_PROBLEM: u8 = 2;
/// Exit status: nothing is altered, but not everything is vouched for by a trusted
/// signer (made before signing existed, or signed by a key not trusted here).
pub const EXIT_WEAK: u8 = 3;

pub fn run(ctx: &AppContext, reference: &str) -> Result<ExitCode> {
    let identity = unlock_interactive(&RealDisk, &ctx.paths)?;
    let book = CaseBook::open_for_checking(&ctx.paths, identity)?;
    for w in &book.guard().warnings {
        errln!("warning: {w}");
    }
    // By id, a case folder is checked even if its case file cannot be decrypted here (a
    // colleague's case: custody is checked over the ciphertext).
    let id = match reference.trim().parse::<CaseId>() {
        Ok(id) if book.store().case_dir(&id).is_dir() => id,
        _ => book.find(reference)?.id,
    };
    let record = book.open_case(&id)?;
    let dir = book.store().case_dir(&id);
    outln!("case {id} ({})", dir.display())?;
    outln!("statement: {}", record.custody.statement)?;
    for (name, verdict) in &record.custody.files {
        outln!("{} {name}: {verdict}", verdict.glyph())?;
    }
    // A received sitting is stored and signed here; who wrote it is its author's seal.
    for origin in &record.origins {
        outln!(
            "{} {}.age: {origin}",
            origin.author.standing().glyph(),
            origin.file
        )?;
    }
    for name in &record.custody.interrupted {
        outln!(
            "  note: the last save of {name} was interrupted (signed as pending); the next open of the case in the program confirms it"
        )?;
    }
    for problem in &record.problems {
        outln!("  could not open: {problem}")?;
    }
    let standing = record.standing();
    outln!(
        "result: {}",
        match standing {
            Standing::Good => "every file is signed by a trusted signer and the case is complete",
            Standing::Weak =>
                "nothing was altered, but not every file (or received sitting's author) is vouched for by a trusted signer",
            Standing::Problem => "PROBLEMS found: see the files marked ✗",
        }
    )?;
    Ok(match standing {
        Standing::Good => ExitCode::SUCCESS,
        Standing::Weak => ExitCode::from(EXIT_WEAK),
        Standing::Problem => ExitCode::from(EXIT_PROBLEM),
    })
}
