//! Command-line interface: clap definitions and dispatch to the library.

mod case;
mod export;
mod keys;
pub(crate) mod output;
mod questionnaires;
mod transfer;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use interview_companion::paths::Paths;

#[derive(Debug, Parser)]
#[command(
    name = "companion",
    version,
    about = "Keyboard-only interview companion for the second interviewer: questionnaires, encrypted session records, cross-check divergences."
)]
pub struct Cli {
    /// Keep everything (config, keys, data) under this folder instead of the platform's folders.
    #[arg(long, global = true, env = "COMPANION_HOME", value_name = "DIR")]
    pub home: Option<PathBuf>,

    /// Read local questionnaires from this folder instead of <config>/questionnaires.
    #[arg(long, global = true, value_name = "DIR")]
    pub questionnaires: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create your encryption identity (asks for a passphrase twice).
    Init,
    /// Show or add the public keys sessions are encrypted to.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Create and list cases.
    #[command(subcommand)]
    Case(CaseCommand),
    /// Export a case's report: divergences first, then every sitting (encrypted by default).
    Export {
        /// The case reference (or id).
        reference: String,
        #[arg(long, value_enum, default_value = "md")]
        format: export::Format,
        /// Output file, or `-` for standard output. Default: case-<id>-report.<format>.age here.
        /// An existing file is never replaced unless --force is given.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace the output file if it exists (without this, an existing file is refused
        /// and left as it is).
        #[arg(long)]
        force: bool,
        /// Write the report unencrypted (it holds answers: only when you must).
        #[arg(long)]
        plaintext: bool,
        /// The protective marking printed on every page, for this export. Default: the
        /// `protective_marking` of settings.toml, else OFFICIAL-SENSITIVE.
        #[arg(long, value_name = "TEXT")]
        marking: Option<String>,
    },
    /// Check, list and describe questionnaires.
    #[command(subcommand)]
    Questionnaires(QuestionnairesCommand),
    /// Check every signature of a case and its completeness statement, file by file, and
    /// each received sitting's author's seal. Exit status: 0 all signed by trusted signers
    /// and complete; 3 nothing altered, but some files are not signed (made before signing
    /// existed) or signed by a key you do not trust, or a received sitting's author is not
    /// among your trusted signers; 2 a file is altered, missing, rolled back, added or
    /// copied from another case, the statement is damaged or missing, or an author's seal
    /// does not hold; 1 the check could not be made.
    Verify {
        /// The case reference (or id).
        reference: String,
    },
    /// Open the review of a case's cross-checks (suspect and partner side by side) in the
    /// interview screens, after the passphrase.
    Review {
        /// The case reference (or id).
        reference: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Print your public recipient (age1…) on standard output, and your signer line
    /// (the allowed_signers line colleagues add with `keys add-signer`), the other
    /// recipients and the trusted signers on standard error (asks for your passphrase).
    Show {
        /// Print only your signer line, on standard output.
        #[arg(long)]
        signer: bool,
    },
    /// Encrypt every later save to this recipient too (a team or supervisor key).
    AddRecipient {
        /// An age X25519 recipient, starting with `age1`.
        recipient: String,
    },
    /// Trust a colleague's or supervisor's signatures: the line their `keys show` printed.
    AddSigner {
        /// Their signer line (`NAME namespaces="…" ssh-ed25519 AAAA…`), or their key
        /// (`ssh-ed25519 AAAA…`) with --name.
        line: String,
        /// The name to show for them (letters, digits and . _ @ + -).
        #[arg(long)]
        name: Option<String>,
    },
    /// Approve recipients.txt and allowed_signers as they are now, after a change made
    /// outside `companion keys` was reported (or the trust file was lost).
    Approve {
        /// Approve without asking again (the differences are printed either way).
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Create a case (asks for your passphrase, then for the people in it).
    ///
    /// The people's labels are asked for after the passphrase, one role at a time, and read
    /// from the terminal (or from standard input when it is not a terminal), so they never
    /// appear in the process list or your shell history.
    New {
        /// The case reference, e.g. DEMO-0001 (stored only inside the encrypted case file).
        reference: String,
        /// For fictional test data only: a person as ROLE=LABEL (suspect, partner, carer,
        /// child), repeatable, instead of being asked. Anything on the command line is
        /// visible to other users in the process list and stays in your shell history.
        #[arg(long = "subject", value_name = "ROLE=LABEL", value_parser = case::parse_subject)]
        subjects: Vec<interview_companion::session::Subject>,
    },
    /// List cases (asks for your passphrase).
    List,
    /// Write one file holding a case and its sittings, re-encrypted to the people given,
    /// to carry to another laptop (see docs/transfer-format.md). The file holds no names
    /// or answers in the clear.
    Send {
        /// The case reference (or id).
        reference: String,
        /// Who it is for: an age1… key, or a name given to a key in the recipients file
        /// (a line `# name: NAME` directly above it). Repeatable.
        #[arg(long = "to", value_name = "RECIPIENT", required = true)]
        to: Vec<String>,
        /// The file to write. An existing file is never replaced unless --force is given.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Check a transfer file (its signed list, every author's signature, that it is for
    /// you) and merge its sittings into your case: new sittings are added, a longer version
    /// of one held replaces it, diverging versions are both kept and named. A file that is
    /// refused writes nothing.
    Receive {
        /// The transfer file.
        file: PathBuf,
        /// The case to receive into, when the program cannot tell (reference or id).
        #[arg(long, value_name = "REF")]
        into: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum QuestionnairesCommand {
    /// Check questionnaire files; prints every problem as file:line:column and exits 1 if any.
    Lint {
        /// Files or folders (their *.toml files). Default: the local questionnaire folder.
        paths: Vec<PathBuf>,
    },
    /// List the questionnaires in use: embedded and local.
    List {
        /// Also list the earlier versions kept only to read sittings recorded with them.
        #[arg(long)]
        all: bool,
    },
    /// Print a JSON Schema of the questionnaire format, for editors.
    Schema,
}

/// Resolved global context shared by subcommands.
pub struct AppContext {
    pub paths: Paths,
    pub local_questionnaires: PathBuf,
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let paths = Paths::resolve(cli.home.as_deref()).context(
        "could not find a home folder for config and data; pass --home DIR or set COMPANION_HOME",
    )?;
    let local_questionnaires = cli
        .questionnaires
        .clone()
        .unwrap_or_else(|| paths.local_questionnaires());
    let ctx = AppContext {
        paths,
        local_questionnaires,
    };
    match cli.command {
        None => {
            let idle = interview_companion::tui::idle_from_env().map_err(anyhow::Error::msg)?;
            interview_companion::tui::run(ctx.paths, &ctx.local_questionnaires, idle, None)
                .context("the interview screens stopped on a terminal error")?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Init) => keys::init(&ctx),
        Some(Command::Keys(KeysCommand::Show { signer })) => keys::show(&ctx, signer),
        Some(Command::Keys(KeysCommand::AddRecipient { recipient })) => {
            keys::add_recipient(&ctx, &recipient)
        }
        Some(Command::Keys(KeysCommand::AddSigner { line, name })) => {
            keys::add_signer(&ctx, &line, name.as_deref())
        }
        Some(Command::Keys(KeysCommand::Approve { yes })) => keys::approve(&ctx, yes),
        Some(Command::Verify { reference }) => verify::run(&ctx, &reference),
        Some(Command::Case(CaseCommand::New {
            reference,
            subjects,
        })) => case::new(&ctx, &reference, subjects),
        Some(Command::Case(CaseCommand::List)) => case::list(&ctx),
        Some(Command::Case(CaseCommand::Send {
            reference,
            to,
            output,
            force,
        })) => {
            // Before the passphrase: nobody types it for a send that would be refused.
            export::refuse_existing(&output, force)?;
            transfer::send(&ctx, &reference, &to, &output, force)
        }
        Some(Command::Case(CaseCommand::Receive { file, into })) => {
            transfer::receive(&ctx, &file, into.as_deref())
        }
        Some(Command::Export {
            reference,
            format,
            output,
            force,
            plaintext,
            marking,
        }) => {
            // Before the passphrase: nobody types it for an export that would be refused.
            if let Some(path) = output.as_deref() {
                export::refuse_existing(path, force)?;
            }
            let marking = export::marking(&ctx, marking)?;
            let book = case::case_book(&ctx)?;
            let to = export::Output {
                path: output,
                force,
            };
            export::export(&ctx, &book, &reference, format, to, plaintext, &marking)
        }
        Some(Command::Questionnaires(cmd)) => questionnaires::run(&ctx, cmd),
        Some(Command::Review { reference }) => {
            let identity = ctx.paths.identity_file();
            if !identity.exists() {
                anyhow::bail!(
                    "no identity at {}: run `companion` (or `companion init`) to create one, then log sittings to review",
                    identity.display()
                );
            }
            let idle = interview_companion::tui::idle_from_env().map_err(anyhow::Error::msg)?;
            interview_companion::tui::run(
                ctx.paths,
                &ctx.local_questionnaires,
                idle,
                Some(reference),
            )
            .context("the review screen stopped on a terminal error")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
