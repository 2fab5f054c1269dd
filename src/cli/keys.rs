//! `companion init` and `companion keys …`.
//!
//! The passphrase is asked on the terminal without echo (twice for `init`), or, for
//! automation and tests only, read from the file named by `COMPANION_PASSPHRASE_FILE`.
//! It is never taken from a command-line argument.

use std::process::ExitCode;

use anyhow::{Context, Result};

use interview_companion::store::passphrase::new_passphrase;
use interview_companion::store::recipients::{Added, add_recipient as add, read_recipients};
use interview_companion::store::{KeyError, RealDisk, SCRYPT_WORK_FACTOR, create_identity};

use super::AppContext;
use super::output::{errln, outln};

/// Creates the identity and the recipients file. Refuses to overwrite an identity, and
/// checks that before asking for a passphrase, so nobody types one for nothing.
pub fn init(ctx: &AppContext) -> Result<ExitCode> {
    let id_path = ctx.paths.identity_file();
    if id_path.try_exists().unwrap_or(true) {
        return Err(KeyError::IdentityExists(id_path).into());
    }
    let passphrase = new_passphrase()?;
    errln!(
        "Encrypting your new key with the passphrase (scrypt 2^{SCRYPT_WORK_FACTOR}, about a second)…"
    );
    let (identity, recipients) = create_identity(&RealDisk, &ctx.paths, &passphrase)?;
    drop(passphrase);
    errln!(
        "Created your identity at {}\n\
         Keep a backup of it and remember the passphrase: without both, records cannot be opened.\n\
         Recipients file: {} ({} recipient{})\n\
         Your public recipient (give this to a supervisor or team; it is not secret):",
        id_path.display(),
        ctx.paths.recipients_file().display(),
        recipients.len(),
        if recipients.len() == 1 { "" } else { "s" },
    );
    outln!("{}", identity.recipient())?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the user's own recipient (the first in the recipients file) on stdout, and the
/// others on stderr, so `companion keys show` can be piped.
pub fn show(ctx: &AppContext) -> Result<ExitCode> {
    let path = ctx.paths.recipients_file();
    let recipients = read_recipients(&RealDisk, &path)?;
    outln!("{}", recipients.first())?;
    let others: Vec<String> = recipients.iter().skip(1).map(|r| r.to_string()).collect();
    if !others.is_empty() {
        errln!(
            "Every save is also encrypted to ({}):\n  {}",
            path.display(),
            others.join("\n  ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Adds a team or supervisor recipient after validating it.
pub fn add_recipient(ctx: &AppContext, recipient: &str) -> Result<ExitCode> {
    let path = ctx.paths.recipients_file();
    let (added, list) = add(&RealDisk, &path, recipient)
        .with_context(|| format!("recipient not added to {}", path.display()))?;
    match added {
        Added::Added => errln!(
            "Added. Every later save is encrypted to {} recipients (listed in {}).",
            list.len(),
            path.display()
        ),
        Added::AlreadyPresent => {
            errln!("Already listed in {}; nothing changed.", path.display())
        }
    }
    Ok(ExitCode::SUCCESS)
}
