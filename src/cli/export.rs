//! `companion export REF --format md|html|json [-o FILE] [--plaintext]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::Local;
use clap::ValueEnum;

use interview_companion::questionnaire::Catalog;
use interview_companion::records::CaseBook;
use interview_companion::report;
use interview_companion::settings::Settings;
use interview_companion::store::{RealDisk, encrypt, save_durable, save_durable_new};

use super::AppContext;
use super::output::{errln, stdout_bytes};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Md,
    Html,
    Json,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
}

/// Where the report goes: a file (the default name if none), or `-` for standard output;
/// an existing file is replaced only with `force`.
pub struct Output {
    pub path: Option<PathBuf>,
    pub force: bool,
}

/// Refuses an output file that exists, unless `force`: an earlier report (or anything else
/// of that name) is never replaced by accident. `-` is standard output.
pub fn refuse_existing(path: &Path, force: bool) -> Result<()> {
    if force || path == Path::new("-") {
        return Ok(());
    }
    // `symlink_metadata`: a link there (even a broken one) is something that exists.
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => bail!(
            "could not check whether {} exists ({e}); nothing was written",
            path.display()
        ),
        Ok(_) => bail!(
            "{} already exists; nothing was written and it was left as it is. Choose another name with -o FILE, or add --force to replace it",
            path.display()
        ),
    }
}

/// The protective marking for this export: `--marking`, else the settings file's, else
/// the default. A settings file that cannot be used stops the export (the TUI starts with
/// the defaults, but a report printed with the default marking where the user set a
/// stricter one would be under-marked), unless `--marking` says which to print.
pub fn marking(ctx: &AppContext, given: Option<String>) -> Result<String> {
    if let Some(m) = given {
        report::check_marking(&m).map_err(|e| anyhow::anyhow!("--marking: {e}"))?;
        return Ok(m);
    }
    match Settings::load(&ctx.paths.settings_file()) {
        (settings, None) => Ok(settings.protective_marking),
        (_, Some(e)) => bail!(
            "{}:{}: {}; nothing was exported (fix the file, or give the marking with --marking)",
            e.file,
            e.line,
            e.message
        ),
    }
}

pub fn export(
    ctx: &AppContext,
    book: &CaseBook,
    reference: &str,
    format: Format,
    output: Output,
    plaintext: bool,
    marking: &str,
) -> Result<ExitCode> {
    let summary = book.find(reference)?;
    let record = book.open_case(&summary.id)?;
    let Some(case) = record.case.clone() else {
        bail!(
            "the case file of {} could not be read: {}",
            summary.id,
            record
                .problems
                .first()
                .map_or_else(String::new, ToString::to_string)
        );
    };
    let catalog = Catalog::load(Some(&ctx.local_questionnaires));
    let problems = record.problems.iter().map(ToString::to_string).collect();
    let mut built = report::build(
        &case,
        &record.sittings,
        &catalog,
        problems,
        Local::now().fixed_offset(),
    )
    .with_custody(&record.custody, &record.files)
    .with_travel(&record, &book.guard().trusted);
    built.marking = marking.to_string();
    let text = match format {
        Format::Md => report::to_markdown(&built),
        Format::Html => report::to_html(&built),
        Format::Json => report::to_json(&built),
    };
    let bytes = if plaintext {
        errln!(
            "warning: writing the report UNENCRYPTED, as asked (--plaintext). It holds interview answers: keep it off shared and removable drives, and delete it when done."
        );
        text.into_bytes()
    } else {
        encrypt(text.as_bytes(), book.store().recipients())
            .context("could not encrypt the report; nothing was written")?
    };
    let to_stdout = output.path.as_deref() == Some(Path::new("-"));
    if to_stdout {
        stdout_bytes(&bytes)?;
        return Ok(ExitCode::SUCCESS);
    }
    let path = output.path.unwrap_or_else(|| {
        // The case id, not the reference: file names carry no case details.
        let short: String = case.id.chars().take(8).collect();
        let ext = format.extension();
        PathBuf::from(if plaintext {
            format!("case-{short}-report.{ext}")
        } else {
            format!("case-{short}-report.{ext}.age")
        })
    });
    refuse_existing(&path, output.force)?;
    if output.force {
        save_durable(&RealDisk, &path, &bytes)?;
    } else {
        // Checked again as it is saved, in case it appeared while the report was built.
        save_durable_new(&RealDisk, &path, &bytes)?;
    }
    errln!(
        "wrote {}{}",
        path.display(),
        if plaintext {
            ""
        } else {
            " (age-encrypted; open with `age -d -i <your identity>`)"
        }
    );
    Ok(ExitCode::SUCCESS)
}
