//! First run: create the identity (passphrase twice).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::cases::CasesScreen;
use super::field;
use crate::records::CaseBook;
use crate::store::{ExposeSecret, RealDisk, SecretString, keys::create_identity};
use crate::tui::action::Action;
use crate::tui::app::{Ctx, Screen, Transition};
use crate::tui::theme::Theme;

pub struct SetupForm {
    pub first: TextArea<'static>,
    pub second: TextArea<'static>,
    pub focus: usize,
    pub error: Option<String>,
    /// The passphrase, checked and waiting for the next tick: the screen shows
    /// "Unlocking…" for the second the key derivation takes.
    pending: Option<SecretString>,
}

impl Default for SetupForm {
    fn default() -> Self {
        Self::new()
    }
}

impl SetupForm {
    pub fn new() -> SetupForm {
        SetupForm {
            first: field::masked(),
            second: field::masked(),
            focus: 0,
            error: None,
            pending: None,
        }
    }

    /// Creating the identity is under way (the next tick does it).
    pub fn busy(&self) -> bool {
        self.pending.is_some()
    }

    fn focused(&mut self) -> &mut TextArea<'static> {
        if self.focus == 0 {
            &mut self.first
        } else {
            &mut self.second
        }
    }

    pub fn paste(&mut self, text: &str) {
        field::paste_line(self.focused(), text);
    }

    pub fn key(&mut self, action: Option<Action>, key: KeyEvent, _ctx: &mut Ctx) -> Transition {
        if self.busy() {
            return Transition::Stay;
        }
        match action {
            Some(Action::NextField) => self.focus = 1 - self.focus,
            Some(Action::Submit) if self.focus == 0 => self.focus = 1,
            Some(Action::Submit) => self.submit(),
            _ => field::feed_line(self.focused(), key),
        }
        Transition::Stay
    }

    /// Checks the two passphrases; the identity is made on the next tick.
    fn submit(&mut self) {
        let first = field::take_secret(&mut self.first);
        let second = field::take_secret(&mut self.second);
        self.focus = 0;
        if first.expose_secret().is_empty() {
            self.error = Some("The passphrase is empty: type one of several words.".into());
            return;
        }
        if first.expose_secret() != second.expose_secret() {
            self.error = Some("The two passphrases differ: type them again.".into());
            return;
        }
        self.error = None;
        self.pending = Some(first);
    }

    /// Does the slow part (scrypt, ~1 s) once "Unlocking…" has been drawn.
    pub fn tick(&mut self, ctx: &mut Ctx) -> Transition {
        let Some(first) = self.pending.take() else {
            return Transition::Stay;
        };
        let made = create_identity(&RealDisk, &ctx.paths, &first)
            .map_err(|e| e.to_string())
            .and_then(|(identity, _)| {
                CaseBook::open(&ctx.paths, identity).map_err(|e| e.to_string())
            });
        match made {
            Ok(book) => {
                let mut book: Box<dyn crate::tui::book::Book> = Box::new(book);
                let notices = book.take_notices();
                ctx.book = Some(book);
                Transition::To(Screen::Cases(CasesScreen::with_notices(ctx, notices)))
            }
            Err(e) => {
                self.error = Some(e);
                Transition::Stay
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let area = crate::tui::view::centered(area, 64, 14);
        let [intro, first, second, error] = Layout::vertical([
            Constraint::Length(5),
            Constraint::Length(3),
            Constraint::Length(3),
            Constraint::Min(0),
        ])
        .areas(area);
        let text = vec![
            Line::styled("Create your identity", theme.title()),
            Line::from("Your records are encrypted to a key kept under this passphrase."),
            Line::from("Choose several words. Without it the records cannot be opened."),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), intro);
        field::draw(frame, first, &self.first, "Passphrase", self.focus == 0);
        field::draw(
            frame,
            second,
            &self.second,
            "Same passphrase again",
            self.focus == 1,
        );
        if self.busy() {
            let line = Line::styled(
                "… Unlocking… (creating your identity: about a second)",
                theme.title(),
            );
            frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), error);
        } else if let Some(e) = &self.error {
            let line = Line::styled(format!("✗ {e}"), theme.warn());
            frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), error);
        }
    }
}
