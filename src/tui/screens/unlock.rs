//! Unlock the identity with the passphrase (at start, and after the idle lock).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::cases::CasesScreen;
use super::field;
use crate::records::CaseBook;
use crate::store::memlock::RamSecret;
use crate::store::{KeyError, RealDisk, keys::unlock};
use crate::tui::action::Action;
use crate::tui::app::{Ctx, Screen, Transition};
use crate::tui::theme::Theme;

pub struct UnlockForm {
    pub input: TextArea<'static>,
    pub error: Option<String>,
    /// The screen that was open when the idle lock came down.
    pub resume: Option<Box<Screen>>,
    /// The passphrase typed, waiting for the next tick: the screen shows "Unlocking…" for
    /// the second the key derivation takes.
    pending: Option<RamSecret>,
}

impl UnlockForm {
    pub fn new(resume: Option<Box<Screen>>) -> UnlockForm {
        UnlockForm {
            input: field::masked(),
            error: None,
            resume,
            pending: None,
        }
    }

    /// Whether quitting from under the lock loses nothing. The screen kept under the lock
    /// may hold changes that could not be saved: if so, says what, once.
    pub fn may_quit(&mut self) -> bool {
        if let Some(screen) = self.resume.as_mut()
            && let Screen::Logging(s) = screen.as_mut()
            && let Some(warning) = s.unsaved_warning()
        {
            self.error = Some(format!("{warning} Unlocking first retries the save."));
            return false;
        }
        true
    }

    /// Unlocking is under way (the next tick does it).
    pub fn busy(&self) -> bool {
        self.pending.is_some()
    }

    pub fn paste(&mut self, text: &str) {
        field::paste_line(&mut self.input, text);
    }

    pub fn key(&mut self, action: Option<Action>, key: KeyEvent, _ctx: &mut Ctx) -> Transition {
        if self.busy() {
            return Transition::Stay;
        }
        if action == Some(Action::ClearLine) {
            field::clear_line(&mut self.input);
            return Transition::Stay;
        }
        if action != Some(Action::Submit) {
            field::feed_line(&mut self.input, key);
            return Transition::Stay;
        }
        self.pending = Some(field::take_secret(&mut self.input));
        self.error = None;
        Transition::Stay
    }

    /// Does the slow part of unlocking (scrypt, ~1 s) once "Unlocking…" has been drawn.
    pub fn tick(&mut self, ctx: &mut Ctx) -> Transition {
        let Some(secret) = self.pending.take() else {
            return Transition::Stay;
        };
        let opened = unlock(&RealDisk, &ctx.paths, &secret)
            .map_err(|e| match e {
                KeyError::WrongPassphrase(_) => "Wrong passphrase. Try again.".to_string(),
                other => other.to_string(),
            })
            .and_then(|id| CaseBook::open(&ctx.paths, id).map_err(|e| e.to_string()));
        match opened {
            Ok(book) => {
                let mut book: Box<dyn crate::tui::book::Book> = Box::new(book);
                let notices = book.take_notices();
                ctx.book = Some(book);
                match self.resume.take() {
                    Some(screen) if notices.is_empty() => Transition::To(*screen),
                    // What must be read (saving refused, the upgrade) comes first; the
                    // sitting used last is offered only when there is nothing to read.
                    _ if !notices.is_empty() => {
                        Transition::To(Screen::Cases(CasesScreen::with_notices(ctx, notices)))
                    }
                    _ => {
                        let mut cases = CasesScreen::unlocked(ctx);
                        cases.offer = super::resume::ResumeOffer::last_used(ctx);
                        Transition::To(Screen::Cases(cases))
                    }
                }
            }
            Err(e) => {
                self.error = Some(e);
                Transition::Stay
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        // As tall as the message needs (a refused quit explains what is not saved).
        let width = usize::from(area.width.min(64));
        let message_lines = self.error.as_ref().map_or(1, |e| {
            crate::tui::view::wrap_words(&format!("✗ {e}"), width).len()
        });
        let height = u16::try_from(6 + message_lines).unwrap_or(u16::MAX).max(10);
        let area = crate::tui::view::centered(area, 64, height);
        let [intro, input, error] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Length(3),
            Constraint::Min(0),
        ])
        .areas(area);
        let title = if self.resume.is_some() {
            "Locked (idle or by request)"
        } else {
            "Unlock"
        };
        let text = vec![
            Line::styled(title, theme.title()),
            Line::from("Type your passphrase to open the records."),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), intro);
        field::draw(frame, input, &self.input, "Passphrase", true);
        if self.busy() {
            let line = Line::styled("… Unlocking… (about a second)", theme.title());
            frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), error);
        } else if let Some(e) = &self.error {
            let line = Line::styled(format!("✗ {e}"), theme.warn());
            frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), error);
        }
    }
}
