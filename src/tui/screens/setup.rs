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
use crate::store::memlock::RamSecret;
use crate::store::{ExposeSecret, RealDisk, keys::create_identity};
use crate::tui::action::Action;
use crate::tui::app::{Ctx, Screen, Transition};
use crate::tui::theme::Theme;

pub struct SetupForm {
    pub first: TextArea<'static>,
    pub second: TextArea<'static>,
    pub focus: usize,
    pub error: Option<String>,
    /// A passphrase made with the generate key, shown in clear until the identity is made
    /// or the fields are typed in: it must be written down.
    pub generated: Option<RamSecret>,
    /// The passphrase, checked and waiting for the next tick: the screen shows
    /// "Unlocking…" for the second the key derivation takes.
    pending: Option<RamSecret>,
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
            generated: None,
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
            Some(Action::Generate) => self.generate(),
            _ => {
                // Typing over a generated passphrase: it is no longer the one shown.
                if self.generated.take().is_some() {
                    self.first = field::masked();
                    self.second = field::masked();
                }
                if action == Some(Action::ClearLine) {
                    field::clear_line(self.focused());
                } else {
                    field::feed_line(self.focused(), key);
                }
            }
        }
        Transition::Stay
    }

    /// Fills both fields with a new strong passphrase and shows it, to be written down.
    fn generate(&mut self) {
        match crate::store::strength::generate() {
            Ok(made) => {
                self.first = field::masked();
                self.second = field::masked();
                self.first.insert_str(made.expose_secret());
                self.second.insert_str(made.expose_secret());
                self.generated = Some(RamSecret::new(made));
                self.focus = 1;
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
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
        // Only a new passphrase is checked: an existing identity opens with whatever it has.
        if let Err(weak) = crate::store::strength::check(&first) {
            let mut said = weak.to_string();
            said.push_str(" (Ctrl+G makes one.)");
            self.error = Some(capitalised(&said));
            return;
        }
        self.generated = None;
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
        // As tall as the message needs (a refused passphrase says why and what to do).
        let width = usize::from(area.width.min(64));
        let message_lines = self.error.as_ref().map_or(3, |e| {
            crate::tui::view::wrap_words(&format!("✗ {e}"), width).len()
        });
        let height = u16::try_from(11 + message_lines)
            .unwrap_or(u16::MAX)
            .max(14);
        let area = crate::tui::view::centered(area, 64, height);
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
        } else if let Some(made) = &self.generated {
            let lines = vec![
                Line::from("Your passphrase (write it down now; Enter uses it):"),
                Line::styled(made.expose_secret().to_string(), theme.title()),
            ];
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), error);
        } else if let Some(e) = &self.error {
            let line = Line::styled(format!("✗ {e}"), theme.warn());
            frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), error);
        }
    }
}

/// `text` with its first letter in capitals (messages from the store start in lower case).
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
