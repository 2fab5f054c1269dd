//! `companion questionnaires lint | list | schema`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use interview_companion::questionnaire::{
    Catalog, LoadedQuestionnaire, Questionnaire, lint_set, parse, read_limited,
};
use interview_companion::untrusted::for_terminal;

use super::output::{errln, outln};
use super::{AppContext, QuestionnairesCommand};

pub fn run(ctx: &AppContext, cmd: QuestionnairesCommand) -> Result<ExitCode> {
    match cmd {
        QuestionnairesCommand::Lint { paths } => lint(ctx, paths),
        QuestionnairesCommand::List { all } => list(ctx, all),
        QuestionnairesCommand::Schema => {
            let schema = interview_companion::questionnaire::json_schema();
            outln!("{}", serde_json::to_string_pretty(&schema)?)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn lint(ctx: &AppContext, paths: Vec<PathBuf>) -> Result<ExitCode> {
    let paths = if paths.is_empty() {
        vec![ctx.local_questionnaires.clone()]
    } else {
        paths
    };
    let mut files = Vec::new();
    for path in &paths {
        files.extend(expand(path)?);
    }
    if files.is_empty() {
        errln!(
            "no questionnaire files (*.toml) found in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return Ok(ExitCode::FAILURE);
    }
    let mut problems = 0usize;
    let mut texts = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        match read_limited(file) {
            Ok(text) => texts.push((name, text)),
            Err(message) => {
                outln!("{}", for_terminal(&format!("{name}:1:1: {message}")))?;
                problems += 1;
            }
        }
    }
    // Pair cross-checks against the embedded questionnaires not being linted, so a local
    // partner variant is checked against the standard suspect questionnaire.
    let linted_ids: HashSet<String> = texts
        .iter()
        .filter_map(|(name, text)| parse(name, text).ok())
        .map(|q| q.header.id)
        .collect();
    let context: Vec<Questionnaire> = Catalog::embedded()
        .iter()
        .filter(|q| !linted_ids.contains(q.id()))
        .map(|q| q.questionnaire.clone())
        .collect();
    for diag in lint_set(&texts, &context) {
        outln!("{}", for_terminal(&diag.to_string()))?;
        // A note that a check could not run yet is not a problem of its own.
        problems += usize::from(!diag.is_note());
    }
    if problems == 0 {
        errln!("{} file(s) checked: no problems", files.len());
        Ok(ExitCode::SUCCESS)
    } else {
        errln!("{} file(s) checked: {problems} problem(s)", files.len());
        Ok(ExitCode::FAILURE)
    }
}

/// A file as itself; a folder as its `*.toml` files, sorted.
fn expand(path: &Path) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        if !path.exists() {
            anyhow::bail!("{} does not exist", path.display());
        }
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("cannot read the folder {}", path.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// The questionnaires in use, one row each; with `all`, then the earlier versions kept only
/// to read the sittings recorded with them (marked so: they are not duplicates, and never
/// offered for a new sitting).
fn list(ctx: &AppContext, all: bool) -> Result<ExitCode> {
    let catalog = Catalog::load(Some(&ctx.local_questionnaires));
    let row = |q: &LoadedQuestionnaire, used: &str| {
        let h = &q.questionnaire.header;
        [
            h.id.clone(),
            h.version.clone(),
            h.title.clone(),
            h.respondent.to_string(),
            q.questionnaire.question_count().to_string(),
            q.questionnaire.cross_check_count().to_string(),
            used.to_string(),
            q.origin.to_string(),
        ]
    };
    let kept = catalog.kept();
    let mut rows: Vec<[String; 8]> = catalog.iter().map(|q| row(q, "in use")).collect();
    if all {
        rows.extend(kept.iter().map(|q| row(q, "old sittings only")));
    }
    let header = [
        "ID",
        "VERSION",
        "TITLE",
        "RESPONDENT",
        "QUESTIONS",
        "CROSS-CHECKS",
        "USED FOR",
        "FROM",
    ]
    .map(String::from);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        outln!("{}", for_terminal(line.join("  ").trim_end()))?;
    }
    if !all && !kept.is_empty() {
        errln!(
            "{} earlier version(s) are kept only to read sittings recorded with them; `questionnaires list --all` shows them.",
            kept.len()
        );
    }
    for problem in catalog.problems() {
        errln!("warning: {}", for_terminal(&problem.to_string()));
    }
    Ok(ExitCode::SUCCESS)
}
