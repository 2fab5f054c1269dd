//! Review of a case's accounts, in two views.
//!
//! - **Cross-checks**: for every cross-checked question, each source's latest answer (the
//!   suspect's, the partner's, the record's: what the practitioners found) and every pair's
//!   status (glyph and word) with the engine's one-line reason, divergences first; counts
//!   of questions by status with text bars, and counts by pair with each pair's agreement
//!   share. Enter opens one question: every source's full answer with its note, and each
//!   source's history with times.
//! - **Changes between sittings**: per person, every question whose answer in a later
//!   sitting differs from the sitting before; Enter opens one with both answers, their
//!   sittings and notes, and the question's history in each of that person's sittings.
//!
//! Every comparison names the questionnaire texts it used (each source's, and the ones its
//! allowance came from), marked LOCAL where a local questionnaire took part; every sitting
//! in a history names the text it was recorded and read with.
//!
//! Everything is worked out once when the screen opens (the engine's analysis, and one fold
//! per sitting for the histories); drawing ([`super::review_view`],
//! [`super::review_changes_view`]) only reads it. All record text is made inert here.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use ratatui::crossterm::event::KeyEvent;

use super::case::CaseScreen;
use super::review_changes::ChangeRow;
use super::review_view::detail_len;
use crate::compare::{
    PairCounts, SideAnswer, Status, analyse_case, for_each_question, pair_summary, summary,
};
use crate::provenance::{SittingText, comparison_sentence};
use crate::questionnaire::{AnswerSpec, Catalog, Respondent, TextRef};
use crate::records::{CaseRecord, RecordsError};
use crate::store::CaseId;
use crate::tui::action::{Action, Context};
use crate::tui::app::{Ctx, Screen, Transition};
use crate::tui::text::{answer_text, event_text, inert};

/// One event in a source's history of a question, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryLine {
    pub at: DateTime<FixedOffset>,
    /// What happened (answer as shown, note, flag), inert and on one line.
    pub text: String,
}

/// A source's history of a question within one sitting.
#[derive(Debug, Clone, PartialEq)]
pub struct SittingHistory {
    pub started: DateTime<FixedOffset>,
    /// The questionnaire text it was recorded and read with, in one sentence, inert.
    pub questionnaire: String,
    pub lines: Vec<HistoryLine>,
}

/// One source (the suspect, the partner, the record) of a cross-checked question.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Side {
    /// The latest answer on one line (a number with its unit), inert; `None`: not asked.
    pub answer: Option<String>,
    /// The latest answer in full (a text answer keeps its lines), inert.
    pub full: Option<String>,
    pub answered_at: Option<DateTime<FixedOffset>>,
    /// The note on the question in the sitting that gave the latest answer, inert.
    pub note: Option<String>,
    /// How the question was put to this source, inert.
    pub prompt: Option<String>,
    /// The questionnaire text the latest answer was read with, inert.
    pub read_with: Option<String>,
    /// For a derived comparison: the answers the figure was worked out from, inert.
    pub worked_out: Option<String>,
    /// Every sitting of this source that holds events about the question, oldest first.
    pub history: Vec<SittingHistory>,
}

/// Two sources of a question compared.
#[derive(Debug, Clone, PartialEq)]
pub struct PairLine {
    /// `suspect ↔ record`.
    pub label: String,
    pub status: Status,
    /// The engine's reason, inert.
    pub reason: String,
}

/// One cross-checked question, compared.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    pub key: String,
    /// The prompt, inert.
    pub prompt: String,
    /// The most pressing pair's status, and its reason (inert).
    pub status: Status,
    pub reason: String,
    /// The questionnaire texts the comparison used, in one line, inert.
    pub texts: String,
    /// Whether a local questionnaire took part.
    pub local: bool,
    /// Every source that has the question, in source order.
    pub sides: Vec<(Respondent, Side)>,
    /// Every pair of them at least one of which has answered.
    pub pairs: Vec<PairLine>,
}

impl ReviewRow {
    /// This source's side, if the question is one of its.
    pub fn side(&self, source: Respondent) -> Option<&Side> {
        self.sides
            .iter()
            .find(|(s, _)| *s == source)
            .map(|(_, d)| d)
    }
}

/// What the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The cross-checked questions, every pair of sources.
    CrossChecks,
    /// Changes in each person's answers between sittings.
    Changes,
}

/// The question (or change) open in detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detail {
    /// Index into `rows` (cross-checks) or `changes` (changes).
    pub row: usize,
    pub scroll: u16,
}

pub struct ReviewScreen {
    pub id: CaseId,
    /// The case reference, inert; `None` if the case file is unreadable.
    pub reference: Option<String>,
    /// Divergences first (the engine's order).
    pub rows: Vec<ReviewRow>,
    /// Questions by their status.
    pub counts: BTreeMap<Status, usize>,
    /// Every kind of pair, with its counts by status.
    pub pair_counts: Vec<PairCounts>,
    /// The sources that have any of the questions: the list's answer columns.
    pub columns: Vec<Respondent>,
    /// Per person, then question by question.
    pub changes: Vec<ChangeRow>,
    /// Files of the case that could not be read, and every sitting whose signature does not
    /// vouch for it.
    pub problems: Vec<String>,
    /// What the reader must know about the questionnaire texts: comparisons made with a
    /// local questionnaire, sittings whose recorded text is not available here. Inert.
    pub text_notices: Vec<String>,
    /// The case's signatures as a whole.
    pub signatures: crate::custody::verdict::Standing,
    pub view: View,
    /// Show divergences only (cross-checks).
    pub divergent_only: bool,
    /// Index into [`ReviewScreen::visible`].
    pub selected: usize,
    /// Index into `changes`.
    pub change_selected: usize,
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

/// How a source's panel and column are titled: `Suspect`, `Partner`, `Record`.
pub fn source_title(source: Respondent) -> &'static str {
    match source {
        Respondent::Suspect => "Suspect",
        Respondent::Partner => "Partner",
        Respondent::Carer => "Carer",
        Respondent::Child => "Child",
        Respondent::None => "Record",
    }
}

/// A question of one person's sittings: who, which questionnaire, which question.
pub(super) type QuestionOf<'a> = (Respondent, &'a str, &'a str);

/// One source's latest answer to a question as the review shows it.
fn side_of(
    answer: Option<&SideAnswer>,
    spec: Option<&AnswerSpec>,
    prompt: Option<&str>,
    history: Vec<SittingHistory>,
) -> Side {
    // A source's own question (it may have been asked in another form than another
    // source's); a derived answer's unit is its own.
    let spec = answer.map(|a| &a.asked.spec).or(spec);
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
        prompt: prompt.map(|p| inert(p, false)),
        history,
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

    /// Compares an opened case: the engine's analysis, plus each source's prompt, note and
    /// history per question, from the same walk over the sittings as the analysis.
    pub fn build(record: CaseRecord, catalog: &Catalog) -> ReviewScreen {
        let analysis = analyse_case(&record.sittings, catalog);
        let comparisons = analysis.comparisons;
        let counts = summary(&comparisons);
        let pair_counts = pair_summary(&comparisons);
        // Keys borrowed from the sittings, the catalog and the changes: the walk visits every
        // question of every sitting, so it allocates only for what it keeps.
        let changed: BTreeSet<QuestionOf<'_>> = analysis
            .changes
            .iter()
            .map(|c| {
                (
                    c.person,
                    c.questionnaire_id.as_str(),
                    c.question_id.as_str(),
                )
            })
            .collect();
        // (key, source) → history, prompt; key → answer spec; changed question → history.
        let mut histories: BTreeMap<(&str, Respondent), Vec<SittingHistory>> = BTreeMap::new();
        let mut change_histories: BTreeMap<QuestionOf<'_>, Vec<SittingHistory>> = BTreeMap::new();
        let mut prompts: BTreeMap<(&str, Respondent), &str> = BTreeMap::new();
        let mut specs: BTreeMap<&str, &AnswerSpec> = BTreeMap::new();
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
        for_each_question(&record.sittings, catalog, |item| {
            let (question, source) = (item.question, item.source);
            let key = question.cross_check.as_ref().map(|c| c.key.as_str());
            let of: QuestionOf<'_> = (source, item.text.loaded.id(), question.id.as_str());
            let wanted = changed.contains(&of);
            if let Some(key) = key {
                specs.entry(key).or_insert(&question.answer);
                prompts.insert((key, source), question.prompt.as_str());
            }
            if key.is_none() && !wanted {
                return;
            }
            let Some(state) = item.state.filter(|s| !s.history.is_empty()) else {
                return;
            };
            let history = SittingHistory {
                started: item.sitting.started.at,
                questionnaire: sentences
                    .get(item.sitting.id.as_str())
                    .cloned()
                    .unwrap_or_default(),
                lines: state
                    .history
                    .iter()
                    .map(|e| HistoryLine {
                        at: e.stamp.at,
                        text: event_text(e, Some(&question.answer)),
                    })
                    .collect(),
            };
            if wanted {
                change_histories
                    .entry(of)
                    .or_default()
                    .push(history.clone());
            }
            if let Some(key) = key {
                histories.entry((key, source)).or_default().push(history);
            }
        });
        // A source that has not answered is shown how the text in use asks it.
        for loaded in catalog.iter() {
            let source = loaded.questionnaire.header.respondent;
            for (_, q) in loaded.questionnaire.questions() {
                if let Some(cc) = &q.cross_check {
                    prompts
                        .entry((cc.key.as_str(), source))
                        .or_insert(q.prompt.as_str());
                }
            }
        }
        let mut rows: Vec<ReviewRow> = Vec::with_capacity(comparisons.len());
        for c in &comparisons {
            let sides = c
                .sources
                .iter()
                .map(|who| {
                    let k = (c.key.as_str(), *who);
                    let side = side_of(
                        c.answer(*who),
                        specs.get(c.key.as_str()).copied(),
                        prompts.get(&k).copied(),
                        histories.remove(&k).unwrap_or_default(),
                    );
                    (*who, side)
                })
                .collect();
            rows.push(ReviewRow {
                key: inert(&c.key, false),
                prompt: inert(&c.prompt, false),
                status: c.status,
                reason: inert(&c.reason, false),
                texts: inert(&comparison_sentence(c), false),
                local: c.used_local(),
                sides,
                pairs: c
                    .pairs
                    .iter()
                    .map(|p| PairLine {
                        label: p.label(),
                        status: p.status,
                        reason: inert(&p.reason, false),
                    })
                    .collect(),
            });
        }
        let columns: Vec<Respondent> = rows
            .iter()
            .flat_map(|r| r.sides.iter().map(|(s, _)| *s))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let change_histories: BTreeMap<QuestionOf<'_>, Arc<Vec<SittingHistory>>> = change_histories
            .into_iter()
            .map(|(of, h)| (of, Arc::new(h)))
            .collect();
        // Each text described once, not once per side of every change.
        let mut described: BTreeMap<&TextRef, String> = BTreeMap::new();
        for c in &analysis.changes {
            for side in [&c.before, &c.after] {
                let text = &side.asked.text;
                described
                    .entry(text)
                    .or_insert_with(|| inert(&text.describe(), false));
            }
        }
        let changes = analysis
            .changes
            .iter()
            .map(|c| {
                let of = (
                    c.person,
                    c.questionnaire_id.as_str(),
                    c.question_id.as_str(),
                );
                let history = change_histories.get(&of).cloned().unwrap_or_default();
                ChangeRow::of(c, history, |t| {
                    described.get(t).cloned().unwrap_or_default()
                })
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
            pair_counts,
            columns,
            changes,
            problems: record
                .problems
                .iter()
                .map(|p| p.to_string())
                .chain(notices)
                .collect(),
            text_notices,
            signatures: record.custody.standing(),
            view: View::CrossChecks,
            divergent_only: false,
            selected: 0,
            change_selected: 0,
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

    /// The items the current view lists, as indexes into `rows` or `changes`.
    fn listed(&self) -> Vec<usize> {
        match self.view {
            View::CrossChecks => self.visible(),
            View::Changes => (0..self.changes.len()).collect(),
        }
    }

    /// The cursor of the current view.
    fn cursor(&mut self) -> &mut usize {
        match self.view {
            View::CrossChecks => &mut self.selected,
            View::Changes => &mut self.change_selected,
        }
    }

    pub fn key(&mut self, action: Option<Action>, _key: KeyEvent, ctx: &mut Ctx) -> Transition {
        if let Some(detail) = self.detail {
            self.detail_key(action, detail);
            return Transition::Stay;
        }
        let listed = self.listed();
        match action {
            Some(Action::Up) => {
                let cursor = self.cursor();
                *cursor = cursor.saturating_sub(1);
            }
            Some(Action::Down) => {
                let cursor = self.cursor();
                *cursor = (*cursor + 1).min(listed.len().saturating_sub(1));
            }
            Some(Action::Filter) if self.view == View::Changes => {
                self.message =
                    Some("The filter is for the cross-checks: every change is listed here.".into());
            }
            Some(Action::Filter) => {
                let current = listed.get(self.selected).copied();
                self.divergent_only = !self.divergent_only;
                let now = self.visible();
                self.selected = current
                    .and_then(|row| now.iter().position(|&i| i == row))
                    .unwrap_or(0);
            }
            Some(Action::SwitchView) => {
                self.message = None;
                self.view = match self.view {
                    View::CrossChecks => View::Changes,
                    View::Changes => View::CrossChecks,
                };
            }
            Some(Action::Open) => {
                let at = *self.cursor();
                if let Some(&row) = listed.get(at) {
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

    /// How far the open detail can scroll.
    fn detail_most(&self, detail: Detail) -> usize {
        match self.view {
            View::CrossChecks => self.rows.get(detail.row).map_or(0, |r| {
                r.sides
                    .iter()
                    .map(|(_, s)| detail_len(s))
                    .max()
                    .unwrap_or(0)
            }),
            View::Changes => self
                .changes
                .get(detail.row)
                .map_or(0, super::review_changes_view::change_detail_len),
        }
    }

    fn detail_key(&mut self, action: Option<Action>, detail: Detail) {
        let listed = self.listed();
        let here = listed.iter().position(|&i| i == detail.row);
        match action {
            Some(Action::Back) => self.detail = None,
            Some(Action::Up) => {
                self.detail = Some(Detail {
                    scroll: detail.scroll.saturating_sub(1),
                    ..detail
                });
            }
            Some(Action::Down) => {
                let most = u16::try_from(self.detail_most(detail)).unwrap_or(u16::MAX);
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
                    (here + 1).min(listed.len().saturating_sub(1))
                } else {
                    here.saturating_sub(1)
                };
                if let Some(&row) = listed.get(next) {
                    *self.cursor() = next;
                    self.detail = Some(Detail { row, scroll: 0 });
                }
            }
            _ => {}
        }
    }
}
