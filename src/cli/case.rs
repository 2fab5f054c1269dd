//! `companion case new | list`.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::Local;

use interview_companion::questionnaire::Respondent;
use interview_companion::records::CaseBook;
use interview_companion::session::Subject;
use interview_companion::store::RealDisk;
use interview_companion::store::passphrase::unlock_interactive;
use interview_companion::untrusted::for_terminal;

use super::AppContext;
use super::output::{errln, outln};

/// Unlocks once (one scrypt) and opens the case book, printing what the person must know
/// (the one-time upgrade message, a refusal to save, warnings) on standard error.
pub fn case_book(ctx: &AppContext) -> Result<CaseBook> {
    let identity = unlock_interactive(&RealDisk, &ctx.paths)?;
    let mut book = CaseBook::open(&ctx.paths, identity)?;
    for notice in book.take_notices() {
        errln!("note: {notice}");
    }
    Ok(book)
}

/// `ROLE=LABEL`, e.g. `suspect=Adult A`.
pub fn parse_subject(text: &str) -> Result<Subject, String> {
    let (role, label) = text.split_once('=').ok_or_else(|| {
        format!("{text:?}: write a subject as ROLE=LABEL, e.g. suspect=\"Adult A\"")
    })?;
    let role = match role.trim().to_ascii_lowercase().as_str() {
        "suspect" => Respondent::Suspect,
        "partner" => Respondent::Partner,
        "carer" => Respondent::Carer,
        "child" => Respondent::Child,
        other => {
            return Err(format!(
                "unknown role {other:?}: use suspect, partner, carer or child"
            ));
        }
    };
    let label = label.trim();
    if label.is_empty() {
        return Err(format!("{text:?}: the label after '=' is empty"));
    }
    Ok(Subject {
        role,
        label: label.to_string(),
    })
}

/// The roles asked for, in the new-case form's order, with how to ask.
const ASKED: [(Respondent, &str); 4] = [
    (Respondent::Suspect, "Suspect"),
    (Respondent::Partner, "Partner"),
    (Respondent::Carer, "Carer(s)"),
    (Respondent::Child, "Child(ren)"),
];

/// Asks for the people of each role, one line each, on standard error, and reads the
/// answers from standard input (the terminal, or whatever a script gives). A closed input
/// answers "none" for every role left.
fn ask_subjects() -> Result<Vec<Subject>> {
    let stdin = std::io::stdin();
    let asking = stdin.is_terminal();
    if asking {
        errln!(
            "The people in the case, by role (labels as used in the records, e.g. Adult A; several: separate with commas; Enter for none):"
        );
    }
    let mut subjects = Vec::new();
    let mut closed = false;
    for (role, name) in ASKED {
        if asking {
            super::output::stderr_prompt(format_args!("  {name}: "));
        }
        let mut line = String::new();
        if !closed
            && stdin
                .lock()
                .read_line(&mut line)
                .context("could not read the labels")?
                == 0
        {
            closed = true;
        }
        if line
            .trim_end_matches(['\r', '\n'])
            .chars()
            .any(char::is_control)
        {
            bail!("the {name} labels hold a control character; nothing was created");
        }
        subjects.extend(Subject::list(role, &line));
    }
    Ok(subjects)
}

pub fn new(ctx: &AppContext, reference: &str, subjects: Vec<Subject>) -> Result<ExitCode> {
    let reference = reference.trim();
    if reference.is_empty() || reference.chars().any(char::is_control) {
        bail!("the case reference must be non-empty text without control characters");
    }
    let given = !subjects.is_empty();
    if given {
        errln!(
            "warning: labels given with --subject can be seen by other users in the process list and stay in your shell history: use it only for fictional test data (without it, `case new` asks for them)"
        );
    }
    let book = case_book(ctx)?;
    if let Some(existing) = book.list()?.with_reference(reference).first() {
        bail!(
            "a case with reference {reference:?} already exists (id {}); open it instead",
            existing.id
        );
    }
    let subjects = if given { subjects } else { ask_subjects()? };
    let case = book
        .create_case(reference, subjects, Local::now().fixed_offset())
        .context("could not create the case")?;
    outln!(
        "created case {} (id {})",
        for_terminal(&case.reference),
        case.id
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn list(ctx: &AppContext) -> Result<ExitCode> {
    let book = case_book(ctx)?;
    let list = book.list()?;
    if list.cases.is_empty() && list.problems.is_empty() {
        outln!("no cases yet; create one with `companion case new REF`")?;
    } else {
        outln!(
            "{:<16}  {:<16}  {:>8}  ID",
            "REFERENCE",
            "CREATED",
            "SITTINGS"
        )?;
    }
    for c in &list.cases {
        outln!(
            "{:<16}  {:<16}  {:>8}  {}",
            c.reference.escape_debug().to_string(),
            c.created.format("%Y-%m-%d %H:%M"),
            c.sittings,
            c.id
        )?;
    }
    for problem in &list.problems {
        errln!("warning: {}", for_terminal(&problem.to_string()));
    }
    Ok(ExitCode::SUCCESS)
}
