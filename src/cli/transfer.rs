//! `companion case send | receive`: the library's transfer, with its messages printed.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use chrono::Local;

use interview_companion::transfer::{self, TransferError};
use interview_companion::untrusted::for_terminal;

use super::AppContext;
use super::case::case_book;
use super::output::{errln, outln};

pub fn send(
    ctx: &AppContext,
    reference: &str,
    to: &[String],
    output: &Path,
    force: bool,
) -> Result<ExitCode> {
    let book = case_book(ctx)?;
    let summary = transfer::send_case(
        &book,
        &ctx.paths,
        reference,
        to,
        output,
        force,
        Local::now().fixed_offset(),
    )?;
    for line in summary.lines {
        errln!("{}", for_terminal(&line));
    }
    Ok(ExitCode::SUCCESS)
}

/// Exit status: 0 received (or nothing new), 2 refused, 4 in doubt (name the case with
/// --into), 1 another failure.
pub fn receive(ctx: &AppContext, file: &Path, into: Option<&str>) -> Result<ExitCode> {
    let book = case_book(ctx)?;
    match transfer::receive_file(&book, file, into, Local::now().fixed_offset()) {
        Ok(received) => {
            for line in received.lines {
                outln!("{}", for_terminal(&line))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ TransferError::Refused(_)) => {
            errln!("error: {}", for_terminal(&e.to_string()));
            Ok(ExitCode::from(2))
        }
        Err(e @ TransferError::InDoubt(_)) => {
            errln!("error: {}", for_terminal(&e.to_string()));
            Ok(ExitCode::from(4))
        }
        Err(e) => Err(e.into()),
    }
}
