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
//! | a plain move (`j` `k` `J` `K` `[` `]` `g` `G` `v`), a flag (`f`), a digit that chooses, the same key again | 0 | moving fast, answering and flagging at once (`yf`), several choices at once (`13`) and holding a key are what fast logging looks like |
//! | an answer (`y` `n` `d` `x`) or undo/redo right after another command | 1 | `jyjnjd` (move, answer, move, answer) is fast logging; `ynd` with no move between is not |
//! | a key that opens something (`o` `e` `/` `h` `O` `F`, a digit on a number or date) | 1 first in a run, 2 after another key | `no`, `do`, `yes`, `for`: an editor opened mid-word would swallow the rest of it |
//! | the searching moves (`a` `A` `c` `C` `<` `>`) | 2 | they are letters of most words, and one needs a look at the screen after it |
//! | a key that does nothing on the list (most letters, space, punctuation) | 2 | only typing produces these |
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
    /// The last key of the run and its kind.
    previous: Option<(char, Kind)>,
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
        self.previous = None;
        self.last = None;
        self.evidence = 0;
    }
}

/// What kind of key it was, for the next key's evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Moves and other keys that say nothing about typing.
    Plain,
    /// A command (an answer, undo, an editor, a search move, a key that does nothing).
    Command,
}

/// How much a key says "this is typing", given the key before it in the run.
fn evidence(
    action: Option<Action>,
    c: char,
    previous: Option<(char, Kind)>,
    spec: Option<&AnswerSpec>,
) -> (u32, Kind) {
    let Some(action) = action else {
        return (2, Kind::Command);
    };
    if previous.is_some_and(|(p, _)| p == c) {
        // The same key again: holding it, or pressing it twice on purpose.
        return (0, Kind::Plain);
    }
    let after_key = previous.is_some();
    let after_command = previous.is_some_and(|(_, k)| k == Kind::Command);
    let opens = matches!(
        action,
        Action::Observation
            | Action::Edit
            | Action::Jump
            | Action::History
            | Action::Observations
            | Action::Flagged
    ) || (matches!(action, Action::Choose(_))
        && matches!(spec, Some(AnswerSpec::Number { .. } | AnswerSpec::Date)));
    if opens {
        return (if after_key { 2 } else { 1 }, Kind::Command);
    }
    match action {
        Action::Down
        | Action::Up
        | Action::NextSection
        | Action::PrevSection
        | Action::First
        | Action::Last
        | Action::TogglePane
        | Action::Flag
        | Action::Choose(_)
        | Action::ScrollDown
        | Action::ScrollUp => (0, Kind::Plain),
        Action::Yes
        | Action::No
        | Action::DontKnow
        | Action::Declined
        | Action::Undo
        | Action::Redo => (u32::from(after_command), Kind::Command),
        _ => (2, Kind::Command),
    }
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
        let spec = self.current().map(|q| &q.answer);
        let (weight, kind) = evidence(action, c, self.typing.previous, spec);
        self.typing.evidence += weight;
        self.typing.previous = Some((c, kind));
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
