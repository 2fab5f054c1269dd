//! `companion init` and `companion keys …`.
//!
//! The passphrase is asked on the terminal without echo (twice for `init`), or, for
//! automation and tests only, read from the file named by `COMPANION_PASSPHRASE_FILE`.
//! It is never taken from a command-line argument.
//!
//! Every command that changes who records go to or whose signatures count unlocks the
//! identity: the approved list is signed with the user's key (see `store::guard`).

use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use interview_companion::records::CaseBook;
use interview_companion::store::guard::{self, SignerAdded, own_signer_line};
use interview_companion::store::passphrase::{new_passphrase, unlock_interactive};
use interview_companion::store::recipients::Added;
use interview_companion::store::{KeyError, RealDisk, SCRYPT_WORK_FACTOR, create_identity};

use super::AppContext;
use super::output::{errln, outln};

/// Creates the identity and the recipients file, then the signed trust file and the
/// signers file. Refuses to overwrite an identity, and checks that before asking for a
/// passphrase, so nobody types one for nothing.
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
    let signer = own_signer_line(&identity);
    let recipient = identity.recipient();
    // Writes the trust file and the signers file (the home's first "unlock").
    CaseBook::open(&ctx.paths, identity)?;
    errln!(
        "Created your identity at {}\n\
         Keep a backup of it and remember the passphrase: without both, records cannot be opened.\n\
         Recipients file: {} ({} recipient{})\n\
         Your signer line (colleagues add it with `companion keys add-signer`):\n  {signer}\n\
         Your public recipient (give this to a supervisor or team; it is not secret):",
        id_path.display(),
        ctx.paths.recipients_file().display(),
        recipients.len(),
        if recipients.len() == 1 { "" } else { "s" },
    );
    outln!("{recipient}")?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the user's own recipient on stdout (so `companion keys show` can be piped), and
/// the signer line, the other recipients and the trusted signers on stderr; with
/// `--signer`, only the signer line, on stdout.
pub fn show(ctx: &AppContext, signer_only: bool) -> Result<ExitCode> {
    let identity = unlock_interactive(&RealDisk, &ctx.paths)?;
    let line = own_signer_line(&identity);
    if signer_only {
        outln!("{line}")?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!("{}", identity.recipient())?;
    let checked = guard::open_guard(&RealDisk, &ctx.paths, &identity, false)?;
    errln!("Your signer line (give it to colleagues for `companion keys add-signer`):\n  {line}");
    let others: Vec<String> = checked
        .recipients
        .iter()
        .filter(|r| r.to_string() != identity.recipient().to_string())
        .map(|r| r.to_string())
        .collect();
    if !others.is_empty() {
        errln!(
            "Every save is also encrypted to ({}):\n  {}",
            ctx.paths.recipients_file().display(),
            others.join("\n  ")
        );
    }
    if !checked.trusted.others.is_empty() {
        let names: Vec<String> = checked
            .trusted
            .others
            .iter()
            .map(|(n, k)| format!("{n} {k}"))
            .collect();
        errln!(
            "Signatures you trust besides your own:\n  {}",
            names.join("\n  ")
        );
    }
    if let Some(why) = &checked.refusal {
        errln!("warning: {why}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Adds a team or supervisor recipient after validating it, and approves it.
pub fn add_recipient(ctx: &AppContext, recipient: &str) -> Result<ExitCode> {
    let path = ctx.paths.recipients_file();
    let identity = unlock_interactive(&RealDisk, &ctx.paths)?;
    let (added, list) = guard::add_recipient(&RealDisk, &ctx.paths, &identity, recipient)
        .with_context(|| format!("recipient not added to {}", path.display()))?;
    match added {
        Added::Added => errln!(
            "Added and approved. Every later save is encrypted to {} recipients (listed in {}).",
            list.len(),
            path.display()
        ),
        Added::AlreadyPresent => {
            errln!("Already listed in {}; nothing changed.", path.display())
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Trusts a colleague's signer line.
pub fn add_signer(ctx: &AppContext, line: &str, name: Option<&str>) -> Result<ExitCode> {
    let path = guard::signers_file(&ctx.paths);
    let identity = unlock_interactive(&RealDisk, &ctx.paths)?;
    match guard::add_signer(&RealDisk, &ctx.paths, &identity, line, name)
        .with_context(|| format!("signer not added to {}", path.display()))?
    {
        SignerAdded::Added(who) => errln!(
            "Added: records signed by {who} now show as \"signed by {who} (trusted)\" (listed in {}).",
            path.display()
        ),
        SignerAdded::AlreadyTrusted(who) => {
            errln!("That key is trusted already, as {who}; nothing changed.")
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Approves the recipients and signers files as they are.
pub fn approve(ctx: &AppContext, yes: bool) -> Result<ExitCode> {
    let identity = unlock_interactive(&RealDisk, &ctx.paths)?;
    let checked = guard::open_guard(&RealDisk, &ctx.paths, &identity, false)?;
    let listed: Vec<String> = checked.recipients.iter().map(|r| r.to_string()).collect();
    errln!(
        "Recipients file {}:\n  {}",
        ctx.paths.recipients_file().display(),
        listed.join("\n  ")
    );
    match &checked.refusal {
        Some(why) => errln!("Now: {why}"),
        None if checked.warnings.is_empty() => {
            errln!("Everything is as approved already; nothing to do.");
            return Ok(ExitCode::SUCCESS);
        }
        None => {
            for w in &checked.warnings {
                errln!("Now: {w}");
            }
        }
    }
    if !yes {
        bail!(
            "nothing approved yet: check every recipient above is someone who should read all later records, then run `companion keys approve --yes`"
        );
    }
    let (_, changes) = guard::approve(&RealDisk, &ctx.paths, &identity)?;
    for c in changes {
        errln!("Approved: {c}");
    }
    errln!(
        "Approved; the trust file {} is signed again.",
        guard::trust_file(&ctx.paths).display()
    );
    Ok(ExitCode::SUCCESS)
}
