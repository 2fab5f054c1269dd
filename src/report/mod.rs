//! Reports of a case: the divergence table first, then every sitting's answers, notes,
//! observations and prompts-to-act. Pure: builds text in memory; the caller encrypts it
//! (by default) and writes it through the store.
//!
//! The JSON form is documented in `docs/report-json.md` and stable: other tools read it.

mod html;
mod markdown;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::compare::{Comparison, Status, compare_case, summary};
use crate::questionnaire::Catalog;
use crate::session::{AnswerValue, Case, EventKind, Sitting, act_applies};

pub use html::to_html;
pub use markdown::to_markdown;

pub const REPORT_FORMAT: &str = "interview-companion/report";
pub const REPORT_VERSION: u32 = 1;

/// Everything a report shows, in the shape the JSON export has.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub format_version: u32,
    pub generated: DateTime<FixedOffset>,
    pub case: Case,
    pub summary: Summary,
    pub divergences: Vec<DivergenceRow>,
    pub sittings: Vec<SittingReport>,
    /// Files of the case that could not be read (named, with what is wrong).
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Counts by status label ("diverges", "close", …).
    pub counts: BTreeMap<&'static str, usize>,
    /// Agreeing keys among those both sides answered with a comparable answer; `None` if none.
    pub agreement_share: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DivergenceRow {
    pub key: String,
    pub prompt: String,
    pub status: &'static str,
    pub reason: String,
    pub suspect: Option<SideRow>,
    pub partner: Option<SideRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SideRow {
    pub sitting_id: String,
    pub question_id: String,
    pub answer: String,
    pub value: AnswerValue,
    pub at: DateTime<FixedOffset>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SittingReport {
    pub id: String,
    pub respondent: String,
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub questionnaire_sha256: String,
    pub title: String,
    pub interviewers: Vec<String>,
    pub started: DateTime<FixedOffset>,
    pub ended: Option<DateTime<FixedOffset>>,
    pub answers: Vec<AnswerRow>,
    pub observations: Vec<Observation>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerRow {
    pub question_id: String,
    pub section: String,
    pub prompt: String,
    pub answer: Option<String>,
    pub value: Option<AnswerValue>,
    pub answered_at: Option<DateTime<FixedOffset>>,
    pub note: Option<String>,
    pub flagged: bool,
    pub prompts_to_act: Vec<String>,
    pub history: Vec<HistoryRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryRow {
    pub seq: u64,
    pub at: DateTime<FixedOffset>,
    pub event: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Observation {
    pub at: DateTime<FixedOffset>,
    pub text: String,
}

fn side(s: &crate::compare::SideAnswer) -> SideRow {
    SideRow {
        sitting_id: s.sitting_id.clone(),
        question_id: s.question_id.clone(),
        answer: s.value.to_string(),
        value: s.value.clone(),
        at: s.at.at,
        note: s.note.clone(),
    }
}

/// Builds the report of a case from its sittings.
pub fn build(
    case: &Case,
    sittings: &[Sitting],
    catalog: &Catalog,
    problems: Vec<String>,
    generated: DateTime<FixedOffset>,
) -> Report {
    let comparisons = compare_case(sittings, catalog);
    Report {
        format: REPORT_FORMAT,
        format_version: REPORT_VERSION,
        generated,
        case: case.clone(),
        summary: summarize(&comparisons),
        divergences: comparisons
            .iter()
            .map(|c| DivergenceRow {
                key: c.key.clone(),
                prompt: c.prompt.clone(),
                status: c.status.label(),
                reason: c.reason.clone(),
                suspect: c.suspect.as_ref().map(side),
                partner: c.partner.as_ref().map(side),
            })
            .collect(),
        sittings: sittings
            .iter()
            .map(|s| sitting_report(s, catalog))
            .collect(),
        problems,
    }
}

fn summarize(comparisons: &[Comparison]) -> Summary {
    let counts = summary(comparisons);
    let agrees = counts.get(&Status::Agrees).copied().unwrap_or(0);
    let judged = agrees
        + counts.get(&Status::Diverges).copied().unwrap_or(0)
        + counts.get(&Status::Close).copied().unwrap_or(0);
    Summary {
        counts: counts.into_iter().map(|(s, n)| (s.label(), n)).collect(),
        agreement_share: (judged > 0).then(|| agrees as f64 / judged as f64),
    }
}

fn sitting_report(sitting: &Sitting, catalog: &Catalog) -> SittingReport {
    let folded = sitting.fold();
    let loaded = catalog
        .get(&sitting.questionnaire.id)
        .map(|l| &l.questionnaire);
    let mut answers = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // Questions in the questionnaire's order first, then any the questionnaire no longer has.
    if let Some(q) = loaded {
        for (section, question) in q.questions() {
            let Some(state) = folded.get(&question.id) else {
                continue;
            };
            seen.insert(question.id.clone());
            let acts = state
                .answer
                .as_ref()
                .map(|v| {
                    question
                        .acts
                        .iter()
                        .filter(|a| act_applies(a, v))
                        .map(|a| a.text.clone())
                        .collect()
                })
                .unwrap_or_default();
            answers.push(answer_row(
                &question.id,
                &section.title,
                &question.prompt,
                state,
                acts,
            ));
        }
    }
    for (id, state) in &folded.questions {
        if !seen.contains(id) {
            answers.push(answer_row(
                id,
                "(not in the current questionnaire)",
                id,
                state,
                Vec::new(),
            ));
        }
    }
    SittingReport {
        id: sitting.id.clone(),
        respondent: sitting.respondent.to_string(),
        questionnaire_id: sitting.questionnaire.id.clone(),
        questionnaire_version: sitting.questionnaire.version.clone(),
        questionnaire_sha256: sitting.questionnaire.sha256.clone(),
        title: loaded.map_or_else(
            || sitting.questionnaire.id.clone(),
            |q| q.header.title.clone(),
        ),
        interviewers: sitting.interviewers.clone(),
        started: sitting.started.at,
        ended: sitting.ended.as_ref().map(|e| e.at),
        answers,
        observations: folded
            .observations
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Observation { text } => Some(Observation {
                    at: e.stamp.at,
                    text: text.clone(),
                }),
                _ => None,
            })
            .collect(),
    }
}

fn answer_row(
    id: &str,
    section: &str,
    prompt: &str,
    state: &crate::session::QuestionState,
    prompts_to_act: Vec<String>,
) -> AnswerRow {
    AnswerRow {
        question_id: id.to_string(),
        section: section.to_string(),
        prompt: prompt.to_string(),
        answer: state.answer.as_ref().map(ToString::to_string),
        value: state.answer.clone(),
        answered_at: state.answered_at.as_ref().map(|s| s.at),
        note: state.note.clone(),
        flagged: state.flagged,
        prompts_to_act,
        history: state
            .history
            .iter()
            .map(|e| HistoryRow {
                seq: e.seq,
                at: e.stamp.at,
                event: describe(&e.kind),
            })
            .collect(),
    }
}

/// One line per event, for the history.
fn describe(kind: &EventKind) -> String {
    match kind {
        EventKind::Answer { value, .. } => format!("answered: {value}"),
        EventKind::Clear { .. } => "answer cleared".into(),
        EventKind::Note { text, .. } if text.is_empty() => "note removed".into(),
        EventKind::Note { text, .. } => format!("note: {text}"),
        EventKind::Flag { on: true, .. } => "flagged for follow-up".into(),
        EventKind::Flag { on: false, .. } => "follow-up flag removed".into(),
        EventKind::Observation { text } => format!("observation: {text}"),
    }
}

/// The report as stable, pretty JSON.
pub fn to_json(report: &Report) -> String {
    // Serializing plain data with string keys cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_else(|_| String::from("{}"))
}

#[cfg(test)]
mod tests;
