//! The logging screen's state and keys: move, jump, answer, note, flag, observe. Every
//! change is one event, saved at once; a failed save keeps everything in memory and retries.

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
    /// Nothing changed yet in this screen.
    Opened,
}

pub struct LoggingScreen {
    pub case: Case,
    pub questionnaire: LoadedQuestionnaire,
    pub open: OpenSitting,
    pub folded: Folded,
    /// (section, question) of every question, in order.
    pub rows: Vec<(usize, usize)>,
    pub cursor: usize,
    pub mode: Mode,
    pub save: SaveState,
    /// A one-line message (validation, read-only, …).
    pub message: Option<String>,
    /// Quit was asked while not saved: the next quit leaves anyway.
    pub quit_warned: bool,
}

impl LoggingScreen {
    pub fn new(case: Case, questionnaire: LoadedQuestionnaire, open: OpenSitting) -> Self {
        let rows = questionnaire
            .questionnaire
            .sections
            .iter()
            .enumerate()
            .flat_map(|(s, sec)| (0..sec.questions.len()).map(move |q| (s, q)))
            .collect();
        let folded = open.sitting.fold();
        let mut message = open.read_only().map(|r| r.to_string());
        if message.is_none() && open.sitting.questionnaire.sha256 != questionnaire.hash {
            message = Some(format!(
                "This sitting was recorded with questionnaire version {}; the text has changed since.",
                open.sitting.questionnaire.version
            ));
        }
        LoggingScreen {
            case,
            questionnaire,
            open,
            folded,
            rows,
            cursor: 0,
            mode: Mode::Browse,
            save: SaveState::Opened,
            message,
            quit_warned: false,
        }
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

    pub fn current(&self) -> Option<&Question> {
        let (s, q) = *self.rows.get(self.cursor)?;
        self.questionnaire
            .questionnaire
            .sections
            .get(s)?
            .questions
            .get(q)
    }

    fn current_id(&self) -> Option<String> {
        self.current().map(|q| q.id.clone())
    }

    /// Appends one event and saves at once.
    fn record(&mut self, kind: EventKind, ctx: &Ctx) {
        if let Some(r) = self.open.read_only() {
            self.message = Some(format!("Not recorded: {r}"));
            return;
        }
        self.open.sitting.record(kind, ctx.clock.stamp());
        self.folded = self.open.sitting.fold();
        self.quit_warned = false;
        self.save_now(ctx);
    }

    fn save_now(&mut self, ctx: &Ctx) {
        let Some(book) = ctx.book.as_ref() else {
            self.save = SaveState::NotSaved("locked; unlock to save".into());
            return;
        };
        self.save = match book.save_sitting(&self.open) {
            Ok(()) => SaveState::Saved(ctx.clock.stamp().at.format("%H:%M:%S").to_string()),
            Err(e) => SaveState::NotSaved(e.to_string()),
        };
    }

    /// On a timer: tries again if the last save failed.
    pub fn retry_save(&mut self, ctx: &Ctx) {
        if matches!(self.save, SaveState::NotSaved(_)) && ctx.book.is_some() {
            self.save_now(ctx);
        }
    }

    /// Whether leaving now loses nothing; if it would, warns once and says no.
    pub fn may_leave(&mut self, ctx: &Ctx) -> bool {
        self.retry_save(ctx);
        if matches!(self.save, SaveState::NotSaved(_)) && !self.quit_warned {
            self.quit_warned = true;
            self.message = Some(
                "Answers are NOT SAVED. Quit again to leave anyway (they will be lost).".into(),
            );
            return false;
        }
        true
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
                    let text = field::text(area).trim_end().to_string();
                    self.mode = Mode::Browse;
                    if let Some(id) = self.current_id() {
                        let old = self.folded.get(&id).and_then(|q| q.note.clone());
                        if old.as_deref().unwrap_or("") != text {
                            self.record(EventKind::Note { question: id, text }, ctx);
                        }
                    }
                } else {
                    area.input(key);
                }
            }
            Mode::Observation(area) => {
                if action == Some(Action::Done) {
                    let text = field::text(area).trim().to_string();
                    self.mode = Mode::Browse;
                    if !text.is_empty() {
                        self.record(EventKind::Observation { text }, ctx);
                    }
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

    fn browse(&mut self, action: Option<Action>, ctx: &mut Ctx) -> Transition {
        let Some(action) = action else {
            return Transition::Stay;
        };
        if !matches!(action, Action::Choose(_)) {
            self.message = None;
        }
        let last = self.rows.len().saturating_sub(1);
        match action {
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::NextSection | Action::PrevSection => self.move_section(action),
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
                        Ok(screen) => Transition::To(Screen::Case(screen)),
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
            return;
        };
        let target = if action == Action::NextSection {
            self.rows.iter().position(|(s, _)| *s > section)
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

    /// Rows of questions matching the jump text, best first.
    pub fn jump_matches(&self) -> Vec<usize> {
        let Mode::Jump { input, .. } = &self.mode else {
            return Vec::new();
        };
        let needle = field::text(input);
        let sections = &self.questionnaire.questionnaire.sections;
        let mut scored: Vec<(i64, usize)> = self
            .rows
            .iter()
            .enumerate()
            .filter_map(|(row, &(s, q))| {
                let question = sections.get(s)?.questions.get(q)?;
                let by_prompt = fuzzy_score(&needle, &question.prompt);
                let by_id = fuzzy_score(&needle, &question.id);
                by_prompt.max(by_id).map(|score| (score, row))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, row)| row).collect()
    }

    /// Rows of flagged questions, in order.
    pub fn flagged_rows(&self) -> Vec<usize> {
        let sections = &self.questionnaire.questionnaire.sections;
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, (s, q))| {
                sections
                    .get(*s)
                    .and_then(|sec| sec.questions.get(*q))
                    .and_then(|question| self.folded.get(&question.id))
                    .is_some_and(|state| state.flagged)
            })
            .map(|(row, _)| row)
            .collect()
    }
}
