//! `companion case new | list`.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::Local;

use interview_companion::questionnaire::Respondent;
use interview_companion::records::CaseBook;
use interview_companion::session::Subject;
use interview_companion::store::RealDisk;
use interview_companion::store::passphrase::unlock_interactive;

use super::AppContext;
use super::output::{errln, outln};

/// Unlocks once (one scrypt) and opens the case book.
pub fn case_book(ctx: &AppContext) -> Result<CaseBook> {
    let identity = unlock_interactive(&RealDisk, &ctx.paths)?;
    Ok(CaseBook::open(&ctx.paths, identity)?)
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

pub fn new(ctx: &AppContext, reference: &str, subjects: Vec<Subject>) -> Result<ExitCode> {
    let reference = reference.trim();
    if reference.is_empty() || reference.chars().any(char::is_control) {
        bail!("the case reference must be non-empty text without control characters");
    }
    let book = case_book(ctx)?;
    if let Ok(existing) = book.find(reference) {
        bail!(
            "a case with reference {reference:?} already exists (id {}); open it instead",
            existing.id
        );
    }
    let case = book
        .create_case(reference, subjects, Local::now().fixed_offset())
        .context("could not create the case")?;
    outln!("created case {} (id {})", case.reference, case.id)?;
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
        errln!("warning: {problem}");
    }
    Ok(ExitCode::SUCCESS)
}
