//! Review of a case's cross-checks: for every cross-checked question, the suspect's and the
//! partner's latest answers side by side with the status (glyph and word) and the engine's
//! one-line reason, divergences first; counts by status with text bars and the agreement
//! share. Enter opens one question: both full answers with their notes, and each side's
//! history with times.
//!
//! Every comparison names the questionnaire texts it used (each side's, and the one its
//! allowance came from), marked LOCAL where a local questionnaire took part; every sitting
//! in a history names the text it was recorded and read with.
//!
//! Everything is worked out once when the screen opens (the engine's comparison, and one fold
//! per sitting for the histories); drawing ([`super::review_view`]) only reads it. All record
//! text is made inert here.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use ratatui::crossterm::event::KeyEvent;

use super::case::CaseScreen;
use super::review_view::detail_len;
use crate::compare::{
    Comparison, SideAnswer, Status, compare_case, for_each_cross_checked, summary,
};
use crate::provenance::{SittingText, comparison_sentence};
use crate::questionnaire::{AnswerSpec, Catalog, Respondent};
use crate::records::{CaseRecord, RecordsError};
use crate::session::EventKind;
use crate::store::CaseId;
use crate::tui::action::{Action, Context};
use crate::tui::app::{Ctx, Screen, Transition};
use crate::tui::text::{answer_text, inert};

/// One event in a side's history of a question, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryLine {
    pub at: DateTime<FixedOffset>,
    /// What happened (answer as shown, note, flag), inert and on one line.
    pub text: String,
}

/// A side's history of a question within one sitting.
#[derive(Debug, Clone, PartialEq)]
pub struct SittingHistory {
    pub started: DateTime<FixedOffset>,
    /// The questionnaire text it was recorded and read with, in one sentence, inert.
    pub questionnaire: String,
    pub lines: Vec<HistoryLine>,
}

/// One side (suspect or partner) of a cross-checked question.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Side {
    /// The latest answer on one line (a number with its unit), inert; `None`: not asked.
    pub answer: Option<String>,
    /// The latest answer in full (a text answer keeps its lines), inert.
    pub full: Option<String>,
    pub answered_at: Option<DateTime<FixedOffset>>,
    /// The note on the question in the sitting that gave the latest answer, inert.
    pub note: Option<String>,
    /// How the question was put to this side, inert.
    pub prompt: Option<String>,
    /// The questionnaire text the latest answer was read with, inert.
    pub read_with: Option<String>,
    /// For a derived comparison: the answers the figure was worked out from, inert.
    pub worked_out: Option<String>,
    /// Every sitting of this side that holds events about the question, oldest first.
    pub history: Vec<SittingHistory>,
}

/// One cross-checked question, compared.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    pub key: String,
    /// The prompt, inert.
    pub prompt: String,
    pub status: Status,
    /// The engine's one-line reason, inert.
    pub reason: String,
    /// The questionnaire texts the comparison used, in one line, inert.
    pub texts: String,
    /// Whether a local questionnaire took part.
    pub local: bool,
    pub suspect: Side,
    pub partner: Side,
}

/// The question open in detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detail {
    /// Index into `rows`.
    pub row: usize,
    pub scroll: u16,
}

pub struct ReviewScreen {
    pub id: CaseId,
    /// The case reference, inert; `None` if the case file is unreadable.
    pub reference: Option<String>,
    /// Divergences first (the engine's order).
    pub rows: Vec<ReviewRow>,
    pub counts: BTreeMap<Status, usize>,
    /// Files of the case that could not be read, and every sitting whose signature does not
    /// vouch for it.
    pub problems: Vec<String>,
    /// What the reader must know about the questionnaire texts: comparisons made with a
    /// local questionnaire, sittings whose recorded text is not available here. Inert.
    pub text_notices: Vec<String>,
    /// The case's signatures as a whole.
    pub signatures: crate::custody::verdict::Standing,
    /// Show divergences only.
    pub divergent_only: bool,
    /// Index into [`ReviewScreen::visible`].
    pub selected: usize,
    pub detail: Option<Detail>,
    pub message: Option<String>,
}

/// One line per sitting (and for the statement) that is not signed by a trusted signer:
/// the review compares what the files say, so it says which files it cannot vouch for.
fn custody_notices(record: &CaseRecord) -> Vec<String> {
    use crate::custody::verdict::Standing;
    let mut out = Vec::new();
    if record.custody.statement.is_problem() {
        out.push(format!("✗ {}", record.custody.statement));
    }
    for s in &record.sittings {
        if let Some(v) = record.verdict_of(&s.id)
            && v.standing() != Standing::Good
        {
            out.push(format!(
                "{} {} sitting of {}: {v}",
                v.glyph(),
                s.respondent.as_str(),
                s.started.at.format("%Y-%m-%d %H:%M")
            ));
        }
    }
    out.extend(
        record
            .custody
            .files
            .iter()
            .filter(|(n, v)| {
                v.standing() == Standing::Problem
                    && !record
                        .sittings
                        .iter()
                        .any(|s| format!("{}.age", s.id) == *n)
            })
            .map(|(n, v)| format!("✗ {n}: {v}")),
    );
    out
}

/// The share of judged questions that agree: agrees / (agrees + close + diverges).
pub fn agreement_share(counts: &BTreeMap<Status, usize>) -> Option<(usize, usize)> {
    let n = |s: Status| counts.get(&s).copied().unwrap_or(0);
    let agrees = n(Status::Agrees);
    let judged = agrees + n(Status::Close) + n(Status::Diverges);
    (judged > 0).then_some((agrees, judged))
}

fn history_text(kind: &EventKind, spec: Option<&AnswerSpec>) -> String {
    match kind {
        EventKind::Answer { value, .. } => format!("answered {}", answer_text(value, spec, false)),
        EventKind::Clear { .. } => "answer cleared (not asked)".to_string(),
        EventKind::Note { text, .. } if text.is_empty() => "note removed".to_string(),
        EventKind::Note { text, .. } => format!("note: {}", inert(text, false)),
        EventKind::Flag { on: true, .. } => "flagged for follow-up".to_string(),
        EventKind::Flag { on: false, .. } => "flag removed".to_string(),
        EventKind::Observation { text } => format!("observation: {}", inert(text, false)),
    }
}

impl ReviewScreen {
    /// Opens the case and compares it.
    pub fn open(id: &CaseId, ctx: &Ctx) -> Result<ReviewScreen, String> {
        let book = ctx.book.as_ref().ok_or("locked")?;
        let record = book.open_case(id).map_err(|e| e.to_string())?;
        Ok(ReviewScreen::build(record, &ctx.catalog))
    }

    /// Opens the case with this reference (or id), as `companion review REF` asks.
    pub fn open_reference(reference: &str, ctx: &Ctx) -> Result<ReviewScreen, String> {
        let book = ctx.book.as_ref().ok_or("locked")?;
        let found = book.find(reference).map_err(|e| match e {
            RecordsError::NoSuchCase(wanted) => format!(
                "No case with reference or id {:?}; choose one from the list.",
                inert(&wanted, false)
            ),
            RecordsError::Ambiguous { reference, cases } => format!(
                "{} cases have the reference {}, so none was opened: open the one you mean from the list (see the created date and sittings), or run `companion review ID` with its id: {}",
                cases.len(),
                inert(&reference, false),
                cases
                    .iter()
                    .map(|c| format!("{} created {}", c.id, c.created.format("%Y-%m-%d %H:%M")))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            e => e.to_string(),
        })?;
        ReviewScreen::open(&found.id, ctx)
    }

    /// Compares an opened case: the engine's comparison, plus each side's prompt, note and
    /// history per question, from the same walk over the sittings as the comparison.
    pub fn build(record: CaseRecord, catalog: &Catalog) -> ReviewScreen {
        let comparisons = compare_case(&record.sittings, catalog);
        let counts = summary(&comparisons);
        // (key, side) → history, prompt; key → answer spec.
        let mut histories: BTreeMap<(String, Respondent), Vec<SittingHistory>> = BTreeMap::new();
        let mut prompts: BTreeMap<(String, Respondent), String> = BTreeMap::new();
        let mut specs: BTreeMap<String, AnswerSpec> = BTreeMap::new();
        let texts: BTreeMap<&str, SittingText> = record
            .sittings
            .iter()
            .map(|s| (s.id.as_str(), SittingText::of(s, catalog)))
            .collect();
        // Worded once per sitting, not once per question of it.
        let sentences: BTreeMap<&str, String> = texts
            .iter()
            .map(|(id, t)| (*id, inert(&t.sentence(), false)))
            .collect();
        for_each_cross_checked(&record.sittings, catalog, |item| {
            let (question, side) = (item.question, item.side);
            specs
                .entry(item.key.to_string())
                .or_insert_with(|| question.answer.clone());
            prompts.insert((item.key.to_string(), side), question.prompt.clone());
            let Some(state) = item.state.filter(|s| !s.history.is_empty()) else {
                return;
            };
            let lines = state
                .history
                .iter()
                .map(|e| HistoryLine {
                    at: e.stamp.at,
                    text: history_text(&e.kind, Some(&question.answer)),
                })
                .collect();
            histories
                .entry((item.key.to_string(), side))
                .or_default()
                .push(SittingHistory {
                    started: item.sitting.started.at,
                    questionnaire: sentences
                        .get(item.sitting.id.as_str())
                        .cloned()
                        .unwrap_or_default(),
                    lines,
                });
        });
        let mut side = |c: &Comparison, answer: Option<&SideAnswer>, who: Respondent| {
            // A side's own question (it may have been asked in another form than the other
            // side's); a derived answer's unit is its own.
            let spec = answer.map(|a| &a.asked.spec).or_else(|| specs.get(&c.key));
            Side {
                worked_out: answer.filter(|a| !a.parts.is_empty()).map(|a| {
                    let parts: Vec<String> = a
                        .parts
                        .iter()
                        .map(|p| {
                            format!(
                                "{} {}",
                                p.question_id,
                                answer_text(&p.value, Some(&p.asked.spec), false)
                            )
                        })
                        .collect();
                    inert(&parts.join(" × "), false)
                }),
                read_with: answer.map(|a| {
                    let mut line = a.asked.text.describe();
                    if !a.asked.exact {
                        line.push_str(" (standing in: the text recorded with is not available)");
                    }
                    inert(&line, false)
                }),
                answer: answer.map(|a| answer_text(&a.value, spec, false)),
                full: answer.map(|a| answer_text(&a.value, spec, true)),
                answered_at: answer.map(|a| a.at.at),
                note: answer
                    .and_then(|a| a.note.as_deref())
                    .map(|n| inert(n, true)),
                prompt: prompts.get(&(c.key.clone(), who)).map(|p| inert(p, false)),
                history: histories.remove(&(c.key.clone(), who)).unwrap_or_default(),
            }
        };
        let rows = comparisons
            .iter()
            .map(|c| ReviewRow {
                key: inert(&c.key, false),
                prompt: inert(&c.prompt, false),
                status: c.status,
                reason: inert(&c.reason, false),
                texts: inert(&comparison_sentence(c), false),
                local: c.used_local(),
                suspect: side(c, c.suspect.as_ref(), Respondent::Suspect),
                partner: side(c, c.partner.as_ref(), Respondent::Partner),
            })
            .collect();
        let mut text_notices = Vec::new();
        let local = comparisons.iter().filter(|c| c.used_local()).count();
        if local > 0 {
            text_notices.push(format!(
                "{local} comparison{} used a LOCAL questionnaire (marked LOCAL; Enter shows which)",
                if local == 1 { "" } else { "s" }
            ));
        }
        // Sittings recorded with a text not available here, once per such text.
        let mut missing: BTreeMap<&str, usize> = BTreeMap::new();
        for (id, t) in &texts {
            if !t.exact
                && let Some(sentence) = sentences.get(id)
            {
                *missing.entry(sentence).or_default() += 1;
            }
        }
        for (sentence, n) in missing {
            text_notices.push(if n == 1 {
                format!("A sitting: {sentence}")
            } else {
                format!("{n} sittings: {sentence}")
            });
        }
        let notices = custody_notices(&record);
        ReviewScreen {
            id: record.id.clone(),
            reference: record.case.as_ref().map(|c| inert(&c.reference, false)),
            rows,
            counts,
            text_notices,
            problems: record
                .problems
                .iter()
                .map(|p| p.to_string())
                .chain(notices)
                .collect(),
            signatures: record.custody.standing(),
            divergent_only: false,
            selected: 0,
            detail: None,
            message: None,
        }
    }

    pub fn context(&self) -> Context {
        if self.detail.is_some() {
            Context::ReviewDetail
        } else {
            Context::Review
        }
    }

    /// Indexes into `rows` of the questions shown: all, or divergences only.
    pub fn visible(&self) -> Vec<usize> {
        (0..self.rows.len())
            .filter(|&i| !self.divergent_only || self.rows[i].status == Status::Diverges)
            .collect()
    }

    /// The row under the cursor in the list.
    pub fn current(&self) -> Option<&ReviewRow> {
        self.visible()
            .get(self.selected)
            .and_then(|&i| self.rows.get(i))
    }

    pub fn key(&mut self, action: Option<Action>, _key: KeyEvent, ctx: &mut Ctx) -> Transition {
        if let Some(detail) = self.detail {
            self.detail_key(action, detail);
            return Transition::Stay;
        }
        let visible = self.visible();
        match action {
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => {
                self.selected = (self.selected + 1).min(visible.len().saturating_sub(1));
            }
            Some(Action::Filter) => {
                let current = visible.get(self.selected).copied();
                self.divergent_only = !self.divergent_only;
                let now = self.visible();
                self.selected = current
                    .and_then(|row| now.iter().position(|&i| i == row))
                    .unwrap_or(0);
            }
            Some(Action::Open) => {
                if let Some(&row) = visible.get(self.selected) {
                    self.detail = Some(Detail { row, scroll: 0 });
                }
            }
            Some(Action::Back) => {
                return match CaseScreen::open(&self.id, ctx) {
                    Ok(screen) => Transition::To(Screen::Case(screen)),
                    Err(e) => {
                        self.message = Some(e);
                        Transition::Stay
                    }
                };
            }
            _ => {}
        }
        Transition::Stay
    }

    fn detail_key(&mut self, action: Option<Action>, detail: Detail) {
        let visible = self.visible();
        let here = visible.iter().position(|&i| i == detail.row);
        match action {
            Some(Action::Back) => self.detail = None,
            Some(Action::Up) => {
                self.detail = Some(Detail {
                    scroll: detail.scroll.saturating_sub(1),
                    ..detail
                });
            }
            Some(Action::Down) => {
                let most = self
                    .rows
                    .get(detail.row)
                    .map_or(0, |r| detail_len(&r.suspect).max(detail_len(&r.partner)));
                let most = u16::try_from(most).unwrap_or(u16::MAX);
                self.detail = Some(Detail {
                    scroll: detail.scroll.saturating_add(1).min(most),
                    ..detail
                });
            }
            Some(a @ (Action::Left | Action::Right)) => {
                let Some(here) = here else {
                    return;
                };
                let next = if a == Action::Right {
                    (here + 1).min(visible.len().saturating_sub(1))
                } else {
                    here.saturating_sub(1)
                };
                if let Some(&row) = visible.get(next) {
                    self.selected = next;
                    self.detail = Some(Detail { row, scroll: 0 });
                }
            }
            _ => {}
        }
    }
}
