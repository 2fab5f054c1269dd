//! Reports of a case: the divergence table first (every pair of sources per key: suspect ↔
//! partner, each account ↔ the record), then the changes in each person's account between
//! sittings, then every sitting's answers, notes, observations and prompts-to-act. Pure: builds text in memory; the caller encrypts it
//! (by default) and writes it through the store.
//!
//! The JSON form is documented in `docs/report-json.md` and stable: other tools read it.
//!
//! Every sitting names the questionnaire text it was recorded with and the one it is read
//! with, and every comparison the texts it used, with id, version, source (embedded or the
//! local file) and SHA-256; a comparison a local questionnaire took part in is marked.

mod accounts;
mod html;
mod markdown;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::compare::{Comparison, Params, SideAnswer, analyse_case};
use crate::custody::verdict::{CaseCustody, Standing};
use crate::provenance::{SittingText, comparison_sentence};
use crate::questionnaire::{Catalog, TextRef};
use crate::session::{AnswerValue, Case, EventKind, Sitting, act_applies};

pub use accounts::{ChangeRow, PairRow, PairSummaryRow, source_key};
pub use html::to_html;
pub use markdown::to_markdown;

pub const REPORT_FORMAT: &str = "interview-companion/report";
/// 2: questionnaire provenance per sitting and per comparison, derived comparisons, the
/// rule in force per comparison; `custody` and each sitting's `signature`. 3: every pair of
/// sources per key (the record among them), each source's answer under `answers`, counts
/// by pair, changes between sittings; the protective marking, status marks, and units
/// apart from answers; custody and signatures as in 2 (docs/report-json.md).
pub const REPORT_VERSION: u32 = 3;

/// The protective marking a report carries unless the user's settings or `--marking` say
/// otherwise: the usual Government Security Classifications marking for social-care
/// records about a child.
pub const DEFAULT_MARKING: &str = "OFFICIAL-SENSITIVE";

/// The longest marking taken: it is printed in a page margin beside the case reference.
pub const MARKING_MAX_CHARS: usize = 60;

/// Checks a protective marking: one line of printable text, not blank, not too long for
/// a page margin. Says what is wrong otherwise.
pub fn check_marking(marking: &str) -> Result<(), String> {
    if marking.trim().is_empty() {
        return Err("the protective marking is empty; give one such as OFFICIAL-SENSITIVE".into());
    }
    if let Some(c) = marking
        .chars()
        .find(|&c| c.is_control() || crate::untrusted::is_bidi_control(c))
    {
        return Err(format!(
            "the protective marking holds a control character (U+{:04X}); give one line of plain text",
            u32::from(c)
        ));
    }
    let n = marking.chars().count();
    if n > MARKING_MAX_CHARS {
        return Err(format!(
            "the protective marking is {n} characters long; at most {MARKING_MAX_CHARS} fit a page margin"
        ));
    }
    Ok(())
}

/// Everything a report shows, in the shape the JSON export has.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub format_version: u32,
    /// The protective marking printed at the top and bottom of every page
    /// ([`DEFAULT_MARKING`] unless set).
    pub marking: String,
    pub generated: DateTime<FixedOffset>,
    pub case: Case,
    pub summary: Summary,
    /// Every questionnaire text the report names, once each, with a short reference (`Q1`)
    /// the Markdown and HTML forms use.
    pub questionnaires: Vec<TextRow>,
    pub divergences: Vec<DivergenceRow>,
    /// Where a person's answer in a later sitting differs from an earlier one.
    pub changes: Vec<ChangeRow>,
    pub sittings: Vec<SittingReport>,
    /// Files of the case that could not be read (named, with what is wrong).
    pub problems: Vec<String>,
    /// What the signatures and the completeness statement say (`None`: not checked).
    pub custody: Option<CustodyReport>,
}

/// The case's signatures, as the report shows them.
#[derive(Debug, Clone, Serialize)]
pub struct CustodyReport {
    /// `good`, `weak` (not everything vouched for) or `problem`.
    pub standing: &'static str,
    /// The completeness statement, in words.
    pub statement: String,
    /// Every file, with its verdict (files that are not sittings too: the case file,
    /// missing or added files).
    pub files: Vec<SignatureRow>,
}

/// One file's verdict.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureRow {
    /// `case.age` or `<sitting-id>.age`.
    pub file: String,
    /// A short code: signed, unknown-signer, not-signed, altered, missing, older,
    /// not-listed, copied, unchecked, never-stored.
    pub verdict: &'static str,
    /// `✓` good, `○` weak, `✗` a problem: printed beside the words (version 3).
    pub mark: &'static str,
    /// In words, e.g. "signed by you (trusted)".
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Counts of keys by their status (the most pressing pair's), by label ("diverges", …).
    pub counts: BTreeMap<&'static str, usize>,
    /// Counts by status for each kind of pair, with its agreement share.
    pub pairs: Vec<PairSummaryRow>,
    /// How many changes between sittings, per person.
    pub changes: BTreeMap<&'static str, usize>,
}

/// A questionnaire text with its reference in this report.
#[derive(Debug, Clone, Serialize)]
pub struct TextRow {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(flatten)]
    pub text: TextRef,
}

#[derive(Debug, Clone, Serialize)]
pub struct DivergenceRow {
    pub key: String,
    pub prompt: String,
    pub status: &'static str,
    /// The status's mark (`≠` `≈` `?` `…` `✎` `=`), printed beside its word: a status is
    /// never told by colour alone.
    pub mark: char,
    pub reason: String,
    /// For a derived comparison, the two cross-check keys multiplied; else `null`.
    pub derived_from: Option<Vec<String>>,
    /// Every source that has the key: `suspect`, `partner`, `record`, … in that order.
    pub sources: Vec<&'static str>,
    /// Each source's latest answer, by source; a source that has not answered is absent.
    pub answers: BTreeMap<&'static str, SideRow>,
    /// Every two sources at least one of which has answered.
    pub pairs: Vec<PairRow>,
    pub rule: RuleRow,
    /// Whether a local questionnaire took part: how a side was asked, or the rule.
    pub local_questionnaire: bool,
    /// The texts used, in words (as the Markdown and HTML show them).
    pub questionnaires_used: String,
}

/// The allowance in force for a comparison and the texts it came from.
#[derive(Debug, Clone, Serialize)]
pub struct RuleRow {
    pub tolerance: f64,
    pub relative: f64,
    pub distance: u32,
    pub tolerance_days: u32,
    pub zero_differs: bool,
    pub from: Vec<TextRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SideRow {
    pub sitting_id: String,
    pub question_id: String,
    pub answer: String,
    /// The unit of a number answer, from the question as this side was asked it (for a
    /// derived comparison, the product's); `null` for other answers.
    pub unit: Option<String>,
    pub value: AnswerValue,
    pub at: DateTime<FixedOffset>,
    pub note: Option<String>,
    /// The prompt as this side was asked it.
    pub asked_as: String,
    /// The answer type as this side was asked it (`yes_no`, `choice`, …).
    pub answer_type: &'static str,
    /// The questionnaire text this side's sitting is read with.
    pub read_with: TextRef,
    /// Whether that is the text the sitting was recorded with.
    pub read_with_exact: bool,
    /// For a derived comparison: the answers multiplied.
    pub parts: Vec<SideRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SittingReport {
    pub id: String,
    pub respondent: String,
    /// As the record says: the text it was recorded with.
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub questionnaire_sha256: String,
    /// The text it is read with here; `null` when no questionnaire with its id is available.
    pub read_with: Option<TextRef>,
    /// Whether `read_with` is the very text it was recorded with.
    pub read_with_exact: bool,
    /// Both in one sentence.
    pub questionnaire_text: String,
    pub title: String,
    pub interviewers: Vec<String>,
    pub started: DateTime<FixedOffset>,
    pub ended: Option<DateTime<FixedOffset>>,
    pub answers: Vec<AnswerRow>,
    pub observations: Vec<Observation>,
    /// This sitting's signature verdict (`None`: not checked).
    pub signature: Option<SignatureRow>,
}

impl SittingReport {
    /// The interviewers as the report prints them: "not recorded" when none were given.
    pub fn interviewers_text(&self) -> String {
        if self.interviewers.is_empty() {
            "not recorded".into()
        } else {
            self.interviewers.join(", ")
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerRow {
    pub question_id: String,
    pub section: String,
    pub prompt: String,
    pub answer: Option<String>,
    /// The unit of a number answer, from the question; `null` for other answers.
    pub unit: Option<String>,
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

pub(crate) fn side(s: &SideAnswer) -> SideRow {
    SideRow {
        sitting_id: s.sitting_id.clone(),
        question_id: s.question_id.clone(),
        answer: s.value.to_string(),
        unit: unit_of(&s.value, &s.asked.spec),
        value: s.value.clone(),
        at: s.at.at,
        note: s.note.clone(),
        asked_as: s.asked.prompt.clone(),
        answer_type: s.asked.spec.type_name(),
        read_with: s.asked.text.clone(),
        read_with_exact: s.asked.exact,
        parts: s.parts.iter().map(side).collect(),
    }
}

/// The unit a number answer was given in, from the question it answers.
fn unit_of(value: &AnswerValue, spec: &crate::questionnaire::AnswerSpec) -> Option<String> {
    match (value, spec) {
        (AnswerValue::Number { .. }, crate::questionnaire::AnswerSpec::Number { unit, .. }) => {
            unit.clone()
        }
        _ => None,
    }
}

/// An answer as the Markdown and HTML print it: with its unit, as the reasons say it
/// ("15 hours/week"), so a table cell never reads as a bare number.
pub(crate) fn with_unit(answer: &str, unit: Option<&str>) -> String {
    match unit {
        Some(u) if !u.is_empty() => format!("{answer} {u}"),
        _ => answer.to_string(),
    }
}

fn rule_row(params: Params, from: &[TextRef]) -> RuleRow {
    RuleRow {
        tolerance: params.tolerance,
        relative: params.relative,
        distance: params.distance,
        tolerance_days: params.tolerance_days,
        zero_differs: params.zero_differs,
        from: from.to_vec(),
    }
}

/// Every text named, once each, in a stable order, with `Q1`, `Q2`, … references.
fn text_rows(comparisons: &[Comparison], sittings: &[SittingText]) -> Vec<TextRow> {
    let mut texts: Vec<TextRef> = sittings
        .iter()
        .filter_map(|s| s.read_with.clone())
        .chain(
            comparisons
                .iter()
                .flat_map(|c| c.texts().into_iter().cloned()),
        )
        .collect();
    // (A change's two texts are each a sitting's, named above.)
    texts.sort();
    texts.dedup();
    texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| TextRow {
            reference: format!("Q{}", i + 1),
            text,
        })
        .collect()
}

/// Builds the report of a case from its sittings.
pub fn build(
    case: &Case,
    sittings: &[Sitting],
    catalog: &Catalog,
    problems: Vec<String>,
    generated: DateTime<FixedOffset>,
) -> Report {
    let analysis = analyse_case(sittings, catalog);
    let comparisons = analysis.comparisons;
    let texts: Vec<SittingText> = sittings
        .iter()
        .map(|s| SittingText::of(s, catalog))
        .collect();
    Report {
        format: REPORT_FORMAT,
        format_version: REPORT_VERSION,
        marking: DEFAULT_MARKING.to_string(),
        generated,
        case: case.clone(),
        summary: accounts::summarize(&comparisons, &analysis.changes),
        questionnaires: text_rows(&comparisons, &texts),
        divergences: comparisons
            .iter()
            .map(|c| DivergenceRow {
                key: c.key.clone(),
                prompt: c.prompt.clone(),
                status: c.status.label(),
                mark: c.status.glyph(),
                reason: c.reason.clone(),
                derived_from: c.derived_from.clone(),
                sources: c.sources.iter().map(|s| source_key(*s)).collect(),
                answers: c
                    .answers
                    .iter()
                    .map(|(who, a)| (source_key(*who), side(a)))
                    .collect(),
                pairs: c.pairs.iter().map(PairRow::from).collect(),
                rule: rule_row(c.rule.params, &c.rule.from),
                local_questionnaire: c.used_local(),
                questionnaires_used: comparison_sentence(c),
            })
            .collect(),
        changes: analysis.changes.iter().map(ChangeRow::from).collect(),
        sittings: sittings
            .iter()
            .zip(texts)
            .map(|(s, t)| sitting_report(s, t, catalog))
            .collect(),
        problems,
        custody: None,
    }
}

impl Report {
    /// The report with the case's signature verdicts: per sitting, and for the case.
    pub fn with_custody(mut self, custody: &CaseCustody) -> Report {
        let row = |file: &str, v: &crate::custody::verdict::Verdict| SignatureRow {
            file: file.to_string(),
            verdict: v.code(),
            mark: v.glyph(),
            text: v.to_string(),
        };
        for s in &mut self.sittings {
            let file = format!("{}.age", s.id);
            s.signature = custody.verdict(&file).map(|v| row(&file, v));
        }
        self.custody = Some(CustodyReport {
            standing: match custody.standing() {
                Standing::Good => "good",
                Standing::Weak => "weak",
                Standing::Problem => "problem",
            },
            statement: custody.statement.to_string(),
            files: custody.files.iter().map(|(f, v)| row(f, v)).collect(),
        });
        self
    }
}

fn sitting_report(sitting: &Sitting, text: SittingText, catalog: &Catalog) -> SittingReport {
    let folded = sitting.fold();
    let recorded = &sitting.questionnaire;
    let loaded = catalog
        .resolve(&recorded.id, &recorded.sha256)
        .map(|r| &r.loaded.questionnaire);
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
                Some(&question.answer),
                state,
                acts,
            ));
        }
    }
    for (id, state) in &folded.questions {
        if !seen.contains(id) {
            answers.push(answer_row(
                id,
                "(not in the questionnaire text it is read with)",
                id,
                None,
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
        questionnaire_text: text.sentence(),
        read_with: text.read_with,
        read_with_exact: text.exact,
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
        signature: None,
    }
}

fn answer_row(
    id: &str,
    section: &str,
    prompt: &str,
    spec: Option<&crate::questionnaire::AnswerSpec>,
    state: &crate::session::QuestionState,
    prompts_to_act: Vec<String>,
) -> AnswerRow {
    AnswerRow {
        question_id: id.to_string(),
        section: section.to_string(),
        prompt: prompt.to_string(),
        answer: state.answer.as_ref().map(ToString::to_string),
        unit: state
            .answer
            .as_ref()
            .zip(spec)
            .and_then(|(v, spec)| unit_of(v, spec)),
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
                event: describe(&e.kind, spec),
            })
            .collect(),
    }
}

/// One line per event, for the history; a number with its unit.
fn describe(kind: &EventKind, spec: Option<&crate::questionnaire::AnswerSpec>) -> String {
    match kind {
        EventKind::Answer { value, .. } => {
            let unit = spec.and_then(|spec| unit_of(value, spec));
            format!(
                "answered: {}",
                with_unit(&value.to_string(), unit.as_deref())
            )
        }
        EventKind::Clear { .. } => "answer cleared".into(),
        EventKind::Note { text, .. } if text.is_empty() => "note removed".into(),
        EventKind::Note { text, .. } => format!("note: {text}"),
        EventKind::Flag { on: true, .. } => "flagged for follow-up".into(),
        EventKind::Flag { on: false, .. } => "follow-up flag removed".into(),
        EventKind::Observation { text } => format!("observation: {text}"),
    }
}

/// The texts a comparison used, by their references in this report:
/// `suspect Q1, partner Q3, record Q2; allowance Q2, Q3`.
pub(crate) fn texts_used(r: &Report, d: &DivergenceRow) -> String {
    let reference = |t: &TextRef| {
        r.questionnaires
            .iter()
            .find(|row| row.text == *t)
            .map_or_else(|| t.label(), |row| row.reference.clone())
    };
    let mut parts = Vec::new();
    for who in &d.sources {
        if let Some(s) = d.answers.get(who) {
            parts.push(format!("{who} {}", reference(&s.read_with)));
        }
    }
    let rule: Vec<String> = d.rule.from.iter().map(reference).collect();
    if !rule.is_empty() {
        parts.push(format!("allowance {}", rule.join(", ")));
    }
    parts.join("; ")
}

/// Counts by status label as `diverges 1, close 0, …`, in the order the review lists them;
/// `only_some` leaves out the zeros.
pub(crate) fn in_status_order(
    counts: &BTreeMap<&'static str, usize>,
    only_some: bool,
) -> Vec<String> {
    crate::compare::Status::ALL
        .iter()
        .map(|s| (s.label(), counts.get(s.label()).copied().unwrap_or(0)))
        .filter(|(_, n)| !only_some || *n > 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect()
}

/// Every source any row has, in source order: the table's answer columns.
pub(crate) fn sources_in(r: &Report) -> Vec<&'static str> {
    let order = ["suspect", "partner", "carer", "child", "record"];
    order
        .into_iter()
        .filter(|s| r.divergences.iter().any(|d| d.sources.contains(s)))
        .collect()
}

/// The report as stable, pretty JSON.
pub fn to_json(report: &Report) -> String {
    // Serializing plain data with string keys cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_else(|_| String::from("{}"))
}

#[cfg(test)]
mod inert_tests;
#[cfg(test)]
mod print_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_accounts;
