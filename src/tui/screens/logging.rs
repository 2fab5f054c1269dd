//! The logging screen's state and keys: move, jump, answer, note, flag, observe. Every
//! change is one event, saved at once; a failed save keeps everything in memory and retries.
//!
//! Two things are read but never recorded: answers to questions this version of the
//! questionnaire no longer has (listed last, read-only), and the other sources' answers (for
//! an interview, the other interview's and the record's), used only to mark a cross-checked
//! question `≠` when they diverge. No other answer is shown here: the person interviewed
//! may see the screen.

use std::collections::BTreeSet;

use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

use super::case::CaseScreen;
use super::field;
use crate::questionnaire::{AnswerSpec, LoadedQuestionnaire, Question};
use crate::records::OpenSitting;
use crate::session::{AnswerValue, Case, EventKind, Folded};
use crate::store::CaseId;
use crate::tui::action::{Action, Context};
use crate::tui::app::{Ctx, Screen, Transition};
use crate::tui::text::fuzzy_score;

mod acts;
mod other_side;
mod save;

/// What has keys in the logging screen now.
pub enum Mode {
    Browse,
    /// Typing a number, date or text answer.
    Answer(TextArea<'static>),
    Note(TextArea<'static>),
    Observation(TextArea<'static>),
    Jump {
        input: TextArea<'static>,
        selected: usize,
    },
    Flagged {
        selected: usize,
    },
}

/// Whether the sitting on disk matches the one in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Saved at this time (HH:MM:SS).
    Saved(String),
    /// Not saved, and why; retried on the next change and on a timer.
    NotSaved(String),
    /// Another program holds the sitting: shown, never recorded or saved here.
    ReadOnly,
    /// Nothing changed yet in this screen.
    Opened,
}

/// Which pane a narrow window shows (wide windows show both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Question,
    List,
}

pub struct LoggingScreen {
    pub case: Case,
    pub questionnaire: LoadedQuestionnaire,
    pub open: OpenSitting,
    pub folded: Folded,
    /// (section, question) of every question, in order.
    pub rows: Vec<(usize, usize)>,
    /// Questions the sitting holds events for that this questionnaire does not have (an
    /// older version): listed after the rest, read-only. The cursor counts them after `rows`.
    pub others: Vec<String>,
    pub cursor: usize,
    pub mode: Mode,
    pub save: SaveState,
    /// A one-line message (validation, read-only, …).
    pub message: Option<String>,
    /// Leaving was asked while not saved: the next time leaves anyway.
    pub quit_warned: bool,
    /// The pane shown in a narrow window.
    pub pane: Pane,
    /// Events on disk as of the last good save (events are only ever appended).
    saved_events: usize,
    /// The other sources' latest answers per cross-check key. Never drawn: only compared.
    other_side: other_side::OtherSide,
    /// Questions of this sitting whose answer diverges from another source's.
    pub diverges: BTreeSet<String>,
}

impl LoggingScreen {
    pub fn new(case: Case, questionnaire: LoadedQuestionnaire, open: OpenSitting) -> Self {
        let rows: Vec<(usize, usize)> = questionnaire
            .questionnaire
            .sections
            .iter()
            .enumerate()
            .flat_map(|(s, sec)| (0..sec.questions.len()).map(move |q| (s, q)))
            .collect();
        let folded = open.sitting.fold();
        let known: BTreeSet<&str> = questionnaire
            .questionnaire
            .questions()
            .map(|(_, q)| q.id.as_str())
            .collect();
        let others = folded
            .questions
            .keys()
            .filter(|id| !known.contains(id.as_str()))
            .cloned()
            .collect();
        let mut message = open.read_only().map(|r| r.to_string());
        let save = if message.is_some() {
            SaveState::ReadOnly
        } else {
            SaveState::Opened
        };
        if message.is_none() && open.sitting.questionnaire.sha256 != questionnaire.hash {
            message = Some(format!(
                "This sitting was recorded with {} {}, a text not available here; shown with version {}, questions matched by id.",
                open.sitting.questionnaire.id,
                open.sitting.questionnaire.version,
                questionnaire.version()
            ));
        }
        let saved_events = open.sitting.events.len();
        LoggingScreen {
            case,
            questionnaire,
            open,
            folded,
            rows,
            others,
            cursor: 0,
            mode: Mode::Browse,
            save,
            message,
            quit_warned: false,
            pane: Pane::Question,
            saved_events,
            other_side: other_side::OtherSide::default(),
            diverges: BTreeSet::new(),
        }
    }

    /// The screen for a sitting just started or resumed: for a suspect or partner sitting,
    /// the other sources' answers are read once, here, for the `≠` marks.
    pub fn opened(
        case: Case,
        questionnaire: LoadedQuestionnaire,
        open: OpenSitting,
        ctx: &Ctx,
    ) -> Self {
        let mut screen = LoggingScreen::new(case, questionnaire, open);
        screen.load_other_side(ctx);
        screen
    }

    pub fn context(&self) -> Context {
        match self.mode {
            Mode::Browse => Context::Logging,
            Mode::Answer(_) => Context::AnswerInput,
            Mode::Note(_) => Context::NoteInput,
            Mode::Observation(_) => Context::ObservationInput,
            Mode::Jump { .. } => Context::Jump,
            Mode::Flagged { .. } => Context::Flagged,
        }
    }

    /// Rows the cursor moves over: the questions, then the other recorded answers.
    pub fn row_count(&self) -> usize {
        self.rows.len() + self.others.len()
    }

    /// The question at a row, if the row is one of the questionnaire's.
    pub fn question_at(&self, row: usize) -> Option<&Question> {
        let (s, q) = *self.rows.get(row)?;
        self.questionnaire
            .questionnaire
            .sections
            .get(s)?
            .questions
            .get(q)
    }

    /// The id of an answer recorded for a question this questionnaire no longer has.
    pub fn other_at(&self, row: usize) -> Option<&str> {
        self.others
            .get(row.checked_sub(self.rows.len())?)
            .map(String::as_str)
    }

    pub fn current(&self) -> Option<&Question> {
        self.question_at(self.cursor)
    }

    fn current_id(&self) -> Option<String> {
        self.current().map(|q| q.id.clone())
    }

    /// Questions of this questionnaire with a current answer.
    pub fn answered_here(&self) -> usize {
        self.rows
            .iter()
            .enumerate()
            .filter_map(|(row, _)| self.question_at(row))
            .filter(|q| self.folded.get(&q.id).is_some_and(|s| s.answer.is_some()))
            .count()
    }

    pub fn paste(&mut self, text: &str) {
        match &mut self.mode {
            Mode::Answer(a) => field::paste_line(a, text),
            Mode::Jump { input, .. } => field::paste_line(input, text),
            Mode::Note(a) | Mode::Observation(a) => field::paste_multi(a, text),
            Mode::Browse | Mode::Flagged { .. } => {}
        }
    }

    pub fn key(&mut self, action: Option<Action>, key: KeyEvent, ctx: &mut Ctx) -> Transition {
        let flagged = if matches!(self.mode, Mode::Flagged { .. }) {
            self.flagged_rows()
        } else {
            Vec::new()
        };
        match &mut self.mode {
            Mode::Browse => return self.browse(action, ctx),
            Mode::Answer(area) => match action {
                Some(Action::Submit) => self.submit_typed(ctx),
                Some(Action::Cancel) => {
                    self.mode = Mode::Browse;
                    self.message = None;
                }
                _ => field::feed_line(area, key),
            },
            Mode::Note(area) => {
                if action == Some(Action::Done) {
                    self.finish_note(ctx);
                } else {
                    area.input(key);
                }
            }
            Mode::Observation(area) => {
                if action == Some(Action::Done) {
                    self.finish_observation(ctx);
                } else {
                    area.input(key);
                }
            }
            Mode::Jump { input, selected } => match action {
                Some(Action::Cancel) => self.mode = Mode::Browse,
                Some(Action::Down) => *selected += 1,
                Some(Action::Up) => *selected = selected.saturating_sub(1),
                Some(Action::Submit) => {
                    let matches = self.jump_matches();
                    if let Mode::Jump { selected, .. } = &self.mode
                        && let Some(&row) =
                            matches.get((*selected).min(matches.len().saturating_sub(1)))
                    {
                        self.cursor = row;
                    }
                    self.mode = Mode::Browse;
                }
                _ => {
                    field::feed_line(input, key);
                    *selected = 0;
                }
            },
            Mode::Flagged { selected } => match action {
                Some(Action::Cancel) => self.mode = Mode::Browse,
                Some(Action::Down) => {
                    *selected = (*selected + 1).min(flagged.len().saturating_sub(1))
                }
                Some(Action::Up) => *selected = selected.saturating_sub(1),
                Some(Action::Submit) => {
                    if let Some(&row) = flagged.get(*selected) {
                        self.cursor = row;
                    }
                    self.mode = Mode::Browse;
                }
                _ => {}
            },
        }
        Transition::Stay
    }

    /// Closes the note editor, recording the note if it changed. Whether it did.
    fn finish_note(&mut self, ctx: &Ctx) -> bool {
        let Mode::Note(area) = &self.mode else {
            return false;
        };
        let text = field::text(area).trim_end().to_string();
        self.mode = Mode::Browse;
        let Some(id) = self.current_id() else {
            return false;
        };
        let old = self.folded.get(&id).and_then(|q| q.note.clone());
        if old.as_deref().unwrap_or("") == text {
            return false;
        }
        self.record(EventKind::Note { question: id, text }, ctx);
        true
    }

    /// Closes the observation editor, recording the observation unless it is empty.
    /// Whether it did.
    fn finish_observation(&mut self, ctx: &Ctx) -> bool {
        let Mode::Observation(area) = &self.mode else {
            return false;
        };
        let text = field::text(area).trim().to_string();
        self.mode = Mode::Browse;
        if text.is_empty() {
            return false;
        }
        self.record(EventKind::Observation { text }, ctx);
        true
    }

    /// Before the screen goes away (quit, Ctrl+L, the idle lock): what is being typed is
    /// recorded as its event, as leaving the field would — a note or an observation as
    /// Esc does, a typed answer as Enter does — and saved at once (a failed save is then
    /// NOT SAVED as any other, and quitting says so). `Ok` names what was recorded, if
    /// anything. `Err` says why text being typed was kept, not recorded: an answer that is
    /// not valid, a jump search, or a read-only sitting; it stays in its field.
    pub fn commit_typing(&mut self, ctx: &Ctx) -> Result<Option<&'static str>, String> {
        let typed = match &self.mode {
            Mode::Note(a) | Mode::Observation(a) | Mode::Answer(a) => field::text(a),
            Mode::Jump { input, .. } => field::text(input),
            Mode::Browse | Mode::Flagged { .. } => return Ok(None),
        };
        let note = self
            .current_id()
            .and_then(|id| self.folded.get(&id).and_then(|q| q.note.clone()));
        let changed = match &self.mode {
            Mode::Note(_) => typed.trim_end() != note.as_deref().unwrap_or(""),
            Mode::Jump { .. } => false,
            _ => !typed.trim().is_empty(),
        };
        if let Some(r) = self.open.read_only()
            && changed
        {
            return Err(format!(
                "The text being typed cannot be recorded here: {r}."
            ));
        }
        match &self.mode {
            Mode::Note(_) => Ok(self.finish_note(ctx).then_some("the note being typed")),
            Mode::Observation(_) => Ok(self
                .finish_observation(ctx)
                .then_some("the observation being typed")),
            Mode::Answer(_) if typed.trim().is_empty() => {
                self.mode = Mode::Browse;
                Ok(None)
            }
            Mode::Answer(_) => {
                let parsed = self
                    .current()
                    .map(|q| AnswerValue::parse_typed(&q.answer, &typed));
                match parsed {
                    Some(Ok(value)) => {
                        self.mode = Mode::Browse;
                        self.answer(value, ctx);
                        Ok(Some("the answer being typed"))
                    }
                    Some(Err(e)) => Err(format!(
                        "The answer being typed is not valid ({e}), so it was not recorded: Enter records it once corrected, Esc drops it."
                    )),
                    None => Ok(None),
                }
            }
            Mode::Jump { .. } if !typed.trim().is_empty() => Err(
                "A jump search is being typed (Enter goes to the question, Esc drops it)."
                    .to_string(),
            ),
            _ => Ok(None),
        }
    }

    /// Under the lock (nothing can be recorded): text kept in a field, as
    /// [`Self::commit_typing`] would report it. The lock recorded notes, observations and
    /// valid answers already, so only an answer that is not valid or a search is left.
    pub fn kept_typing(&self) -> Option<String> {
        match &self.mode {
            Mode::Answer(a) if !field::text(a).trim().is_empty() => Some(
                "An answer that is not valid is being typed; it was not recorded (unlock, then Enter records it once corrected, Esc drops it).".to_string(),
            ),
            Mode::Jump { input, .. } if !field::text(input).trim().is_empty() => {
                Some("A jump search is being typed.".to_string())
            }
            _ => None,
        }
    }

    fn browse(&mut self, action: Option<Action>, ctx: &mut Ctx) -> Transition {
        let Some(action) = action else {
            return Transition::Stay;
        };
        if !matches!(action, Action::Choose(_)) {
            self.message = None;
        }
        let last = self.row_count().saturating_sub(1);
        if self.other_at(self.cursor).is_some()
            && matches!(
                action,
                Action::Flag
                    | Action::Clear
                    | Action::DontKnow
                    | Action::Declined
                    | Action::Yes
                    | Action::No
                    | Action::Choose(_)
                    | Action::Edit
                    | Action::Note
            )
        {
            self.message = Some(
                "This question is not in the questionnaire any more: what was recorded is shown, read-only.".into(),
            );
            return Transition::Stay;
        }
        match action {
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::NextSection | Action::PrevSection => self.move_section(action),
            Action::TogglePane => {
                self.pane = match self.pane {
                    Pane::Question => Pane::List,
                    Pane::List => Pane::Question,
                }
            }
            Action::Jump => {
                self.mode = Mode::Jump {
                    input: field::line(),
                    selected: 0,
                }
            }
            Action::Flagged => self.mode = Mode::Flagged { selected: 0 },
            Action::Observation => self.mode = Mode::Observation(field::multiline("")),
            Action::Note => {
                if let Some(id) = self.current_id() {
                    let note = self.folded.get(&id).and_then(|q| q.note.clone());
                    self.mode = Mode::Note(field::multiline(note.as_deref().unwrap_or("")));
                }
            }
            Action::Back => {
                let id: Result<CaseId, _> = self.case.id.parse();
                if let Ok(id) = id
                    && self.may_leave(ctx)
                {
                    return match CaseScreen::open(&id, ctx) {
                        Ok(mut screen) => {
                            screen.held_acts = self.held_acts();
                            Transition::To(Screen::Case(screen))
                        }
                        Err(e) => {
                            self.message = Some(e);
                            Transition::Stay
                        }
                    };
                }
            }
            Action::Flag => {
                if let Some(id) = self.current_id() {
                    let on = !self.folded.get(&id).is_some_and(|q| q.flagged);
                    self.record(EventKind::Flag { question: id, on }, ctx);
                }
            }
            Action::Clear => {
                if let Some(id) = self.current_id()
                    && self.folded.get(&id).is_some_and(|q| q.answer.is_some())
                {
                    self.record(EventKind::Clear { question: id }, ctx);
                }
            }
            Action::DontKnow => self.answer(AnswerValue::DontKnow, ctx),
            Action::Declined => self.answer(AnswerValue::Declined, ctx),
            Action::Yes | Action::No => match self.current().map(|q| &q.answer) {
                Some(AnswerSpec::YesNo) => self.answer(
                    AnswerValue::YesNo {
                        yes: action == Action::Yes,
                    },
                    ctx,
                ),
                Some(_) => self.message = Some("y / n answer yes/no questions only.".into()),
                None => {}
            },
            Action::Choose(n) => self.choose(n, ctx),
            Action::Edit => self.start_typing(None),
            _ => {}
        }
        Transition::Stay
    }

    fn move_section(&mut self, action: Action) {
        let Some(&(section, _)) = self.rows.get(self.cursor) else {
            // Among the other recorded answers: back to the last section.
            if action == Action::PrevSection
                && let Some(&(last, _)) = self.rows.last()
            {
                self.cursor = self.rows.iter().position(|(s, _)| *s == last).unwrap_or(0);
            }
            return;
        };
        let target = if action == Action::NextSection {
            self.rows
                .iter()
                .position(|(s, _)| *s > section)
                .or((!self.others.is_empty()).then_some(self.rows.len()))
        } else {
            let first_here = self.rows.iter().position(|(s, _)| *s == section);
            if first_here == Some(self.cursor) {
                let prev = section.checked_sub(1);
                prev.and_then(|p| self.rows.iter().position(|(s, _)| *s == p))
            } else {
                first_here
            }
        };
        if let Some(t) = target {
            self.cursor = t;
        }
    }

    fn answer(&mut self, value: AnswerValue, ctx: &Ctx) {
        let Some(q) = self.current() else { return };
        if let Err(e) = value.check(&q.answer) {
            self.message = Some(e);
            return;
        }
        let question = q.id.clone();
        let same = self.folded.get(&question).and_then(|s| s.answer.as_ref()) == Some(&value);
        if !same {
            self.record(EventKind::Answer { question, value }, ctx);
        }
    }

    fn choose(&mut self, n: u8, ctx: &Ctx) {
        let Some(q) = self.current() else { return };
        let index = usize::from(n).saturating_sub(1);
        match &q.answer {
            AnswerSpec::Choice { options } => match options.get(index) {
                Some(o) => self.answer(AnswerValue::Choice { option: o.clone() }, ctx),
                None => self.message = Some(format!("There is no option {n}.")),
            },
            AnswerSpec::Scale { steps } => match steps.get(index) {
                Some(s) => self.answer(AnswerValue::Scale { step: s.clone() }, ctx),
                None => self.message = Some(format!("There is no step {n}.")),
            },
            AnswerSpec::MultiChoice { options } => {
                let Some(option) = options.get(index).cloned() else {
                    self.message = Some(format!("There is no option {n}."));
                    return;
                };
                let mut chosen = match self.folded.get(&q.id).and_then(|s| s.answer.as_ref()) {
                    Some(AnswerValue::MultiChoice { options }) => options.clone(),
                    _ => Vec::new(),
                };
                if let Some(pos) = chosen.iter().position(|o| *o == option) {
                    chosen.remove(pos);
                } else {
                    chosen.push(option);
                }
                // Keep the questionnaire's order.
                chosen.sort_by_key(|c| options.iter().position(|o| o == c));
                self.answer(AnswerValue::MultiChoice { options: chosen }, ctx);
            }
            AnswerSpec::Number { .. } | AnswerSpec::Date => {
                let digit = if n == 10 { '0' } else { char::from(b'0' + n) };
                self.start_typing(Some(digit));
            }
            AnswerSpec::YesNo | AnswerSpec::Text => {
                self.message = Some("Digits choose options and scale steps only.".into())
            }
        }
    }

    fn start_typing(&mut self, first: Option<char>) {
        let Some(q) = self.current() else { return };
        if !matches!(
            q.answer,
            AnswerSpec::Number { .. } | AnswerSpec::Date | AnswerSpec::Text
        ) {
            return;
        }
        let mut area = field::line();
        match first {
            Some(c) => area.insert_char(c),
            None => {
                if let Some(v) = self.folded.get(&q.id).and_then(|s| s.answer.as_ref())
                    && !v.is_uncertain()
                {
                    area.insert_str(v.to_string());
                }
            }
        }
        self.mode = Mode::Answer(area);
    }

    fn submit_typed(&mut self, ctx: &Ctx) {
        let Mode::Answer(area) = &self.mode else {
            return;
        };
        let typed = field::text(area);
        let Some(q) = self.current() else { return };
        // Nothing is lost on a bad value: the field stays open with the text as typed.
        match AnswerValue::parse_typed(&q.answer, &typed) {
            Ok(value) => {
                self.mode = Mode::Browse;
                self.message = None;
                self.answer(value, ctx);
            }
            Err(e) => self.message = Some(e),
        }
    }

    /// Rows of questions matching the jump text, best first (the other recorded answers
    /// match by id).
    pub fn jump_matches(&self) -> Vec<usize> {
        let Mode::Jump { input, .. } = &self.mode else {
            return Vec::new();
        };
        let needle = field::text(input);
        let mut scored: Vec<(i64, usize)> = (0..self.row_count())
            .filter_map(|row| {
                if let Some(question) = self.question_at(row) {
                    let by_prompt = fuzzy_score(&needle, &question.prompt);
                    let by_id = fuzzy_score(&needle, &question.id);
                    return by_prompt.max(by_id).map(|score| (score, row));
                }
                let id = self.other_at(row)?;
                fuzzy_score(&needle, id).map(|score| (score, row))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, row)| row).collect()
    }

    /// Rows of flagged questions, in order.
    pub fn flagged_rows(&self) -> Vec<usize> {
        (0..self.row_count())
            .filter(|&row| {
                let id = match self.question_at(row) {
                    Some(q) => q.id.as_str(),
                    None => match self.other_at(row) {
                        Some(id) => id,
                        None => return false,
                    },
                };
                self.folded.get(id).is_some_and(|state| state.flagged)
            })
            .collect()
    }
}
