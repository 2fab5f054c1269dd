//! Text typed on the question list by mistake is taken as text, not as commands.
//!
//! A logger who thinks a field has the keys types words onto the list: "cannot say" used to
//! clear an answer, record "no" and open an observation. Words arrive faster than a person
//! chooses answers: between two answers there is a question to hear, while the letters of
//! a word come a fraction of a second apart. So keys on the list are watched in runs: a run
//! is printable keys each less than [`TYPING_GAP`] after the one before (times from the
//! injected clock). Each key adds to the run's evidence of typing:
//!
//! | key | evidence | why |
//! | --- | --- | --- |
//! | `j` `k` `J` `K` `[` `]` `g` `G` `v`, digits on a choice or scale, `f` | 0 | moving fast and choosing then flagging (`yf`) are what fast logging looks like |
//! | an answer (`y` `n` `d` `x`), undo/redo, a key that opens something (`o` `e` `/` `h` `O` `F`, a digit on a number or date) as the run's first key, the other moves (`a` `c` `<` `>`…) | 1 (0 when it repeats the key before: `uuu`, `aa`) | one of these is deliberate; two within a quarter of a second is a word |
//! | a key that does nothing on the list (most letters, space, punctuation), or one that opens an editor straight after another key | 2 | only typing produces these |
//!
//! A run of two keys or more with evidence 2 or more is typing. Then, before the key that
//! tipped it does anything: every change the run made is put back (as events: the history
//! keeps both), the cursor returns to where the run began, and the run's text goes where
//! text about this question belongs: the answer field for a text question (Enter records
//! it, Esc drops it), otherwise the question's note (Esc saves it, Ctrl+U deletes the
//! line), or an observation on a row with no question. The rest of the burst types into it.
//!
//! What it does not catch: a word whose first letter opens an editor (`o`, `e`, `h`…)
//! opens it, and the rest of the word goes into that editor, which changes no answer. The
//! clock is the injected one ([`crate::session::Clock::monotonic`]), so tests play any pace.

use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::questionnaire::AnswerSpec;
use crate::tui::action::Action;
use crate::tui::app::Ctx;
use crate::tui::screens::field;

use super::{LoggingScreen, Mode};

/// Keys closer together than this are one run. Typing runs about 100–300 ms a key; a
/// person choosing answers needs longer than this between two of them.
pub const TYPING_GAP: Duration = Duration::from_millis(250);

/// The run of keys watched on the list.
#[derive(Debug, Clone, Default)]
pub struct TypingGuard {
    /// The keys of the run, as typed.
    text: String,
    /// When the last key of the run came (monotonic).
    last: Option<Duration>,
    evidence: u32,
    /// Events and cursor before the run's first key, to put back.
    mark_events: usize,
    mark_cursor: usize,
}

impl TypingGuard {
    /// Forgets the run (a pause, a key that is not a character, another mode).
    pub fn reset(&mut self) {
        self.text.clear();
        self.last = None;
        self.evidence = 0;
    }
}

/// How much a key says "this is typing".
fn evidence(
    action: Option<Action>,
    c: char,
    previous: Option<char>,
    spec: Option<&AnswerSpec>,
) -> u32 {
    let Some(action) = action else {
        return 2;
    };
    let repeat = previous == Some(c);
    // A key that opens an editor straight after another key is mid-word: it would swallow
    // the rest of the word into that editor.
    let opens = matches!(
        action,
        Action::Observation
            | Action::Edit
            | Action::Jump
            | Action::History
            | Action::Observations
            | Action::Flagged
    );
    if opens && previous.is_some() {
        return 2;
    }
    let weak = match action {
        Action::Down
        | Action::Up
        | Action::NextSection
        | Action::PrevSection
        | Action::First
        | Action::Last
        | Action::TogglePane
        | Action::Flag => return 0,
        Action::Choose(_) => {
            // A digit opens the typing field on a number or date; elsewhere it chooses.
            if matches!(spec, Some(AnswerSpec::Number { .. } | AnswerSpec::Date)) {
                1
            } else {
                return 0;
            }
        }
        _ => 1,
    };
    if repeat { 0 } else { weak }
}

impl LoggingScreen {
    /// Watches a key on the list. Returns true when the key was taken as typing (and so
    /// must not act as a command).
    pub(super) fn guard_typing(
        &mut self,
        action: Option<Action>,
        key: KeyEvent,
        ctx: &Ctx,
    ) -> bool {
        let printable = match key.code {
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                Some(c)
            }
            _ => None,
        };
        let Some(c) = printable else {
            self.typing.reset();
            return false;
        };
        let now = ctx.clock.monotonic();
        let in_run = self
            .typing
            .last
            .and_then(|last| now.checked_sub(last))
            .is_some_and(|gap| gap < TYPING_GAP);
        if !in_run {
            self.typing.reset();
            self.typing.mark_events = self.open.sitting.events.len();
            self.typing.mark_cursor = self.cursor;
        }
        let previous = self.typing.text.chars().last();
        let spec = self.current().map(|q| &q.answer);
        self.typing.evidence += evidence(action, c, previous, spec);
        self.typing.text.push(c);
        self.typing.last = Some(now);
        let keys = self.typing.text.chars().count();
        if keys < 2 || self.typing.evidence < 2 || self.open.read_only().is_some() {
            return false;
        }
        self.take_as_text(ctx);
        true
    }

    /// The run was typing: put back what it did and give its text to a field.
    fn take_as_text(&mut self, ctx: &Ctx) {
        let text = std::mem::take(&mut self.typing.text);
        let mark = self.typing.mark_events;
        self.typing.reset();
        self.cursor = self
            .typing
            .mark_cursor
            .min(self.row_count().saturating_sub(1));
        let put_back = self.revert_since(mark, ctx);
        let undone = match put_back {
            0 => String::new(),
            1 => " The change it made was put back (the history keeps both).".into(),
            n => format!(" The changes it made to {n} questions were put back."),
        };
        let (mode, into) = match self.current().map(|q| (&q.answer, q.id.clone())) {
            Some((AnswerSpec::Text, _)) => {
                let mut area = field::line();
                area.insert_str(&text);
                (
                    Mode::Answer(area),
                    "into the answer: Enter records it, Esc drops it.",
                )
            }
            Some((_, id)) => {
                let note = self.folded.get(&id).and_then(|q| q.note.clone());
                let joined = match note {
                    Some(n) if !n.is_empty() => format!("{n}\n{text}"),
                    _ => text,
                };
                (
                    Mode::Note(field::multiline(&joined)),
                    "into the note: Esc saves it, Ctrl+U deletes the line.",
                )
            }
            None => {
                let mut area = field::multiline("");
                area.insert_str(&text);
                (
                    Mode::Observation {
                        area,
                        begun: ctx.clock.stamp(),
                    },
                    "into an observation: Esc saves it, Ctrl+U deletes the line.",
                )
            }
        };
        self.mode = mode;
        self.message = Some(format!(
            "Typing on the list was taken as text, not as commands; it went {into}{undone}"
        ));
    }
}
