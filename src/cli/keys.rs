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

/// Creates the identity and the recipients file, then the signed trust file and the
/// signers file. Refuses to overwrite an identity, and checks that before asking for a
/// passphrase, so nobody types one for nothing.
pub fn init(ctx: &AppContext) -> Result<ExitCode> {
    let id_path = ctx.paths.identity_file();
    if id_path.try_exists().unwrap_or(true) {
        return Err(KeyError::IdentityExists(id_path).into());
    }
    let passphrase = new_passphrase()?;
    eprintln!(
        "Encrypting your new key with the passphrase (scrypt 2^{SCRYPT_WORK_FACTOR}, about a second)…"
    );
    let (identity, recipients) = create_identity(&RealDisk, &ctx.paths, &passphrase)?;
    drop(passphrase);
    let signer = own_signer_line(&identity);
    let recipient = identity.recipient();
    // Writes the trust file and the signers file (the home's first "unlock").
    CaseBook::open(&ctx.paths, identity)?;
    eprintln!(
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
    println!("{recipient}");
    Ok(ExitCode::SUCCESS)
}

/// Prints the user's own recipient on stdout (so `companion keys show` can be piped), and
/// the signer line, the other recipients and the trusted signers on stderr; with
/// `--signer`, only the signer line, on stdout.
pub fn show(ctx: &AppContext, signer_only: bool) -> Result<ExitCode> {
    let identity = unlock_interactive(&RealDisk, &ctx.paths)?;
    let line = own_signer_line(&identity);
    if signer_only {
        println!("{line}");
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", identity.recipient());
    let checked = guard::open_guard(&RealDisk, &ctx.paths, &identity, false)?;
    eprintln!(
        "Your signer line (give it to colleagues for `companion keys add-signer`):\n  {line}"
    );
    let others: Vec<String> = checked
        .recipients
        .iter()
        .filter(|r| r.to_string() != identity.recipient().to_string())
        .map(|r| r.to_string())
        .collect();
    if !others.is_empty() {
        eprintln!(
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
        eprintln!(
            "Signatures you trust besides your own:\n  {}",
            names.join("\n  ")
        );
    }
    if let Some(why) = &checked.refusal {
        eprintln!("warning: {why}");
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
        Added::Added => eprintln!(
            "Added and approved. Every later save is encrypted to {} recipients (listed in {}).",
            list.len(),
            path.display()
        ),
        Added::AlreadyPresent => {
            eprintln!("Already listed in {}; nothing changed.", path.display())
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
        SignerAdded::Added(who) => eprintln!(
            "Added: records signed by {who} now show as \"signed by {who} (trusted)\" (listed in {}).",
            path.display()
        ),
        SignerAdded::AlreadyTrusted(who) => {
            eprintln!("That key is trusted already, as {who}; nothing changed.")
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Approves the recipients and signers files as they are.
pub fn approve(ctx: &AppContext, yes: bool) -> Result<ExitCode> {
    let identity = unlock_interactive(&RealDisk, &ctx.paths)?;
    let checked = guard::open_guard(&RealDisk, &ctx.paths, &identity, false)?;
    let listed: Vec<String> = checked.recipients.iter().map(|r| r.to_string()).collect();
    eprintln!(
        "Recipients file {}:\n  {}",
        ctx.paths.recipients_file().display(),
        listed.join("\n  ")
    );
    match &checked.refusal {
        Some(why) => eprintln!("Now: {why}"),
        None if checked.warnings.is_empty() => {
            eprintln!("Everything is as approved already; nothing to do.");
            return Ok(ExitCode::SUCCESS);
        }
        None => {
            for w in &checked.warnings {
                eprintln!("Now: {w}");
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
        eprintln!("Approved: {c}");
    }
    eprintln!(
        "Approved; the trust file {} is signed again.",
        guard::trust_file(&ctx.paths).display()
    );
    Ok(ExitCode::SUCCESS)
}
