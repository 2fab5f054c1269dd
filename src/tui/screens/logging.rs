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
use crate::session::{AnswerValue, Case, EventKind, Folded, Stamp};
use crate::store::CaseId;
use crate::tui::action::{Action, Context};
use crate::tui::app::{Ctx, Screen, Transition};
use crate::tui::fuzzy::Fuzzy;

mod acts;
mod moves;
mod other_side;
mod save;
mod typing;
mod undo;

pub use typing::{TYPING_GAP, TypingGuard};

/// What has keys in the logging screen now.
pub enum Mode {
    Browse,
    /// Typing a number, date or text answer.
    Answer(TextArea<'static>),
    Note(TextArea<'static>),
    /// An observation being written, and when the writing began (its time in the record).
    Observation {
        area: TextArea<'static>,
        begun: Stamp,
    },
    Jump {
        input: TextArea<'static>,
        selected: usize,
    },
    Flagged {
        selected: usize,
    },
    /// Clearing the current question's answer waits for a second key.
    ConfirmClear {
        question: String,
    },
    /// A typed date after today waits for a confirmation; Esc goes back to the field.
    ConfirmDate {
        area: TextArea<'static>,
        value: AnswerValue,
    },
    /// The current question's history, scrolled.
    History {
        scroll: u16,
    },
    /// The sitting's observations, scrolled.
    Observations {
        scroll: u16,
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
    /// A short word for the footer about the last key (why it did nothing, what it undid);
    /// gone at the next key.
    pub flash: Option<String>,
    /// Keys arriving faster than a person chooses answers are taken as typing.
    pub typing: TypingGuard,
    /// How far the question pane is scrolled (small windows); back to 0 on another question.
    pub scroll: u16,
    /// The most the question pane can scroll, as the last drawing found it (so the keys stop
    /// at the end; drawing is the only place that knows the wrapped height).
    pub scroll_max: std::cell::Cell<u16>,
    /// Move to the next question after a one-key answer (a user setting).
    pub advance: bool,
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
        // Resume where the sitting was left.
        let cursor = open
            .sitting
            .current_question
            .as_deref()
            .and_then(|id| {
                rows.iter().position(|&(s, q)| {
                    questionnaire
                        .questionnaire
                        .sections
                        .get(s)
                        .and_then(|sec| sec.questions.get(q))
                        .is_some_and(|question| question.id == id)
                })
            })
            .unwrap_or(0);
        LoggingScreen {
            case,
            questionnaire,
            open,
            folded,
            rows,
            others,
            cursor,
            mode: Mode::Browse,
            save,
            message,
            quit_warned: false,
            pane: Pane::Question,
            saved_events,
            other_side: other_side::OtherSide::default(),
            diverges: BTreeSet::new(),
            flash: None,
            typing: TypingGuard::default(),
            scroll: 0,
            scroll_max: std::cell::Cell::new(0),
            advance: false,
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
        screen.advance = ctx.settings.advance_after_answer;
        screen.load_other_side(ctx);
        screen
    }

    pub fn context(&self) -> Context {
        match self.mode {
            Mode::Browse => Context::Logging,
            Mode::Answer(_) => Context::AnswerInput,
            Mode::Note(_) => Context::NoteInput,
            Mode::Observation { .. } => Context::ObservationInput,
            Mode::Jump { .. } => Context::Jump,
            Mode::Flagged { .. } => Context::Flagged,
            Mode::ConfirmClear { .. } => Context::ConfirmClear,
            Mode::ConfirmDate { .. } => Context::ConfirmDate,
            Mode::History { .. } => Context::History,
            Mode::Observations { .. } => Context::Observations,
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

    pub(super) fn current_id(&self) -> Option<String> {
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
            Mode::Note(a) | Mode::Observation { area: a, .. } => field::paste_multi(a, text),
            Mode::Browse
            | Mode::Flagged { .. }
            | Mode::ConfirmClear { .. }
            | Mode::ConfirmDate { .. }
            | Mode::History { .. }
            | Mode::Observations { .. } => {}
        }
    }

    pub fn key(&mut self, action: Option<Action>, key: KeyEvent, ctx: &mut Ctx) -> Transition {
        let before = self.cursor;
        self.flash = None;
        if !matches!(self.mode, Mode::Browse) {
            // Keys in a field or overlay are not typing on the list: a run starts afresh.
            self.typing.reset();
        }
        let transition = self.mode_key(action, key, ctx);
        if self.cursor != before {
            self.scroll = 0;
        }
        transition
    }

    fn mode_key(&mut self, action: Option<Action>, key: KeyEvent, ctx: &mut Ctx) -> Transition {
        let flagged = if matches!(self.mode, Mode::Flagged { .. }) {
            self.flagged_rows()
        } else {
            Vec::new()
        };
        if action == Some(Action::ClearLine) {
            match &mut self.mode {
                Mode::Answer(a) | Mode::Note(a) | Mode::Observation { area: a, .. } => {
                    field::clear_line(a)
                }
                Mode::Jump { input, selected } => {
                    field::clear_line(input);
                    *selected = 0;
                }
                _ => {}
            }
            return Transition::Stay;
        }
        match &mut self.mode {
            Mode::Browse => {
                if self.guard_typing(action, key, ctx) {
                    return Transition::Stay;
                }
                return self.browse(action, ctx);
            }
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
            Mode::Observation { area, .. } => {
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
            Mode::ConfirmClear { question } => {
                let question = question.clone();
                self.mode = Mode::Browse;
                if action == Some(Action::Submit) {
                    self.record(EventKind::Clear { question }, ctx);
                    self.flash = Some("Answer cleared (u undoes it).".into());
                } else {
                    self.flash = Some("Kept: nothing cleared.".into());
                }
            }
            Mode::ConfirmDate { .. } => {
                let Mode::ConfirmDate { area, value } =
                    std::mem::replace(&mut self.mode, Mode::Browse)
                else {
                    return Transition::Stay;
                };
                if action == Some(Action::Submit) {
                    self.message = None;
                    self.answer(value, ctx);
                } else {
                    self.mode = Mode::Answer(area);
                    self.message = Some("Change the date, or Esc to record nothing.".into());
                }
            }
            Mode::History { scroll } | Mode::Observations { scroll } => match action {
                Some(Action::Cancel) => self.mode = Mode::Browse,
                Some(Action::Down) => *scroll = scroll.saturating_add(1),
                Some(Action::Up) => *scroll = scroll.saturating_sub(1),
                Some(Action::PageDown) => *scroll = scroll.saturating_add(5),
                Some(Action::PageUp) => *scroll = scroll.saturating_sub(5),
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
        self.message = None;
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
        let Mode::Observation { area, begun } = &self.mode else {
            return false;
        };
        let text = field::text(area).trim().to_string();
        let begun = begun.clone();
        self.mode = Mode::Browse;
        self.message = None;
        if text.is_empty() {
            return false;
        }
        // Timed when it was begun: what was seen happened then.
        self.record_at(EventKind::Observation { text }, None, begun, ctx);
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
            Mode::Note(a) | Mode::Observation { area: a, .. } | Mode::Answer(a) => field::text(a),
            Mode::Jump { input, .. } => field::text(input),
            // A date after today waits for its confirmation: kept, not recorded.
            Mode::ConfirmDate { .. } => {
                return Err(
                    "A date in the future is waiting for a confirmation, so it was not recorded: Enter records it, Esc goes back to change it."
                        .to_string(),
                );
            }
            Mode::Browse
            | Mode::Flagged { .. }
            | Mode::ConfirmClear { .. }
            | Mode::History { .. }
            | Mode::Observations { .. } => return Ok(None),
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
            Mode::Observation { .. } => Ok(self
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
                let today = ctx.clock.stamp().at.date_naive();
                match parsed {
                    // As Enter would: a date after today waits for its confirmation.
                    Some(Ok(AnswerValue::Date { date })) if date.is_after(today) => Err(format!(
                        "The date being typed, {}, is in the future, so it was not recorded: Enter asks to confirm it.",
                        date.spoken()
                    )),
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
            Mode::ConfirmDate { .. } => Some(
                "A date in the future is waiting for a confirmation; it was not recorded (unlock, then Enter records it).".to_string(),
            ),
            Mode::Jump { input, .. } if !field::text(input).trim().is_empty() => {
                Some("A jump search is being typed.".to_string())
            }
            _ => None,
        }
    }

    /// Why nothing can be recorded here, if nothing can (another program has the sitting).
    fn refuse_read_only(&mut self) -> bool {
        match self.open.read_only() {
            Some(r) => {
                self.message = Some(format!("READ-ONLY: nothing can be recorded here. {r}"));
                true
            }
            None => false,
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
        let records = matches!(
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
        );
        if self.other_at(self.cursor).is_some() && records {
            self.message = Some(
                "This question is not in the questionnaire any more: what was recorded is shown, read-only.".into(),
            );
            return Transition::Stay;
        }
        if (records || matches!(action, Action::Observation | Action::Undo | Action::Redo))
            && self.refuse_read_only()
        {
            return Transition::Stay;
        }
        match action {
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::NextSection | Action::PrevSection => self.move_section(action),
            Action::First
            | Action::Last
            | Action::NextUnanswered
            | Action::PrevUnanswered
            | Action::NextToAsk
            | Action::PrevToAsk
            | Action::NextDiverges
            | Action::PrevDiverges => self.move_to(action),
            Action::ScrollDown => {
                self.scroll = self.scroll.saturating_add(1).min(self.scroll_max.get())
            }
            Action::ScrollUp => self.scroll = self.scroll.saturating_sub(1),
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
            Action::History => match self
                .current_id()
                .or_else(|| self.other_at(self.cursor).map(str::to_string))
            {
                Some(_) => self.mode = Mode::History { scroll: 0 },
                None => self.flash = Some("No question here.".into()),
            },
            Action::Observations => self.mode = Mode::Observations { scroll: 0 },
            Action::Observation => {
                self.mode = Mode::Observation {
                    area: field::multiline(""),
                    begun: ctx.clock.stamp(),
                }
            }
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
                if let Some(id) = self.current_id() {
                    if self.folded.get(&id).is_some_and(|q| q.answer.is_some()) {
                        self.mode = Mode::ConfirmClear { question: id };
                    } else {
                        self.flash = Some("Nothing to clear: not answered.".into());
                    }
                }
            }
            Action::Undo => self.undo(ctx),
            Action::Redo => self.redo(ctx),
            Action::DontKnow => self.answer_one_key(AnswerValue::DontKnow, ctx),
            Action::Declined => self.answer_one_key(AnswerValue::Declined, ctx),
            Action::Yes | Action::No => match self.current().map(|q| &q.answer) {
                Some(AnswerSpec::YesNo) => self.answer_one_key(
                    AnswerValue::YesNo {
                        yes: action == Action::Yes,
                    },
                    ctx,
                ),
                Some(spec) => {
                    self.flash = Some(format!(
                        "y/n fit yes/no questions; this is {}.",
                        spec_words(spec)
                    ))
                }
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

    /// Records an answer if it fits and differs from the current one; whether it recorded.
    fn answer(&mut self, value: AnswerValue, ctx: &Ctx) -> bool {
        let Some(q) = self.current() else {
            return false;
        };
        if let Err(e) = value.check(&q.answer) {
            self.message = Some(e);
            return false;
        }
        let question = q.id.clone();
        let same = self.folded.get(&question).and_then(|s| s.answer.as_ref()) == Some(&value);
        if !same {
            self.record(EventKind::Answer { question, value }, ctx);
        }
        !same
    }

    /// An answer given with one key: then, if the user asked for it, the next question.
    fn answer_one_key(&mut self, value: AnswerValue, ctx: &Ctx) {
        if self.answer(value, ctx) && self.advance && self.cursor + 1 < self.rows.len() {
            self.cursor += 1;
        }
    }

    fn choose(&mut self, n: u8, ctx: &Ctx) {
        let Some(q) = self.current() else { return };
        let index = usize::from(n).saturating_sub(1);
        match &q.answer {
            AnswerSpec::Choice { options } => match options.get(index) {
                Some(o) => self.answer_one_key(AnswerValue::Choice { option: o.clone() }, ctx),
                None => self.flash = Some(no_such(n, "option", options.len())),
            },
            AnswerSpec::Scale { steps } => match steps.get(index) {
                Some(s) => self.answer_one_key(AnswerValue::Scale { step: s.clone() }, ctx),
                None => self.flash = Some(no_such(n, "step", steps.len())),
            },
            AnswerSpec::MultiChoice { options } => {
                let Some(option) = options.get(index).cloned() else {
                    self.flash = Some(no_such(n, "option", options.len()));
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
            spec @ (AnswerSpec::YesNo | AnswerSpec::Text) => {
                self.flash = Some(format!(
                    "Digits choose options and steps; this is {}.",
                    spec_words(spec)
                ))
            }
        }
    }

    fn start_typing(&mut self, first: Option<char>) {
        let Some(q) = self.current() else { return };
        if !matches!(
            q.answer,
            AnswerSpec::Number { .. } | AnswerSpec::Date | AnswerSpec::Text
        ) {
            self.flash = Some(format!(
                "Nothing to type: this is {}.",
                spec_words(&q.answer)
            ));
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
        // Empty means not answered: nothing is recorded, and nothing is cleared either.
        if typed.trim().is_empty() {
            self.mode = Mode::Browse;
            self.message = None;
            self.flash = Some("Nothing typed, so nothing recorded.".into());
            return;
        }
        // Nothing is lost on a bad value: the field stays open with the text as typed.
        match AnswerValue::parse_typed(&q.answer, &typed) {
            Ok(AnswerValue::Date { date }) if date.is_after(ctx.clock.stamp().at.date_naive()) => {
                let Mode::Answer(area) = std::mem::replace(&mut self.mode, Mode::Browse) else {
                    return;
                };
                self.message = Some(format!(
                    "{} is in the future, and the question asks about the past. Enter records it anyway; Esc goes back to change it.",
                    date.spoken()
                ));
                self.mode = Mode::ConfirmDate {
                    area,
                    value: AnswerValue::Date { date },
                };
            }
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
        let mut fuzzy = Fuzzy::new(&field::text(input));
        let mut scored: Vec<(u32, usize)> = (0..self.row_count())
            .filter_map(|row| {
                if let Some(question) = self.question_at(row) {
                    return fuzzy
                        .best([question.prompt.as_str(), question.id.as_str()])
                        .map(|score| (score, row));
                }
                let id = self.other_at(row)?;
                fuzzy.score(id).map(|score| (score, row))
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

/// A question's kind in a few words, for the footer ("a scale 1–5").
fn spec_words(spec: &AnswerSpec) -> String {
    match spec {
        AnswerSpec::YesNo => "yes/no (y, n)".into(),
        AnswerSpec::Choice { options } => format!("a choice 1–{}", options.len().min(10)),
        AnswerSpec::MultiChoice { options } => {
            format!("several choices 1–{}", options.len().min(10))
        }
        AnswerSpec::Scale { steps } => format!("a scale 1–{}", steps.len().min(10)),
        AnswerSpec::Number { .. } => "a number to type".into(),
        AnswerSpec::Text => "a text to type".into(),
        AnswerSpec::Date => "a date to type".into(),
    }
}

fn no_such(n: u8, what: &str, count: usize) -> String {
    format!("No {what} {n}: there are {count}.")
}
