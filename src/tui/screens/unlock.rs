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
use crate::store::{KeyError, RealDisk, keys::unlock};
use crate::tui::action::Action;
use crate::tui::app::{Ctx, Screen, Transition};
use crate::tui::theme::Theme;

pub struct UnlockForm {
    pub input: TextArea<'static>,
    pub error: Option<String>,
    /// The screen that was open when the idle lock came down.
    pub resume: Option<Box<Screen>>,
}

impl UnlockForm {
    pub fn new(resume: Option<Box<Screen>>) -> UnlockForm {
        UnlockForm {
            input: field::masked(),
            error: None,
            resume,
        }
    }

    pub fn paste(&mut self, text: &str) {
        field::paste_line(&mut self.input, text);
    }

    pub fn key(&mut self, action: Option<Action>, key: KeyEvent, ctx: &mut Ctx) -> Transition {
        if action != Some(Action::Submit) {
            field::feed_line(&mut self.input, key);
            return Transition::Stay;
        }
        let secret = field::take_secret(&mut self.input);
        let opened = unlock(&RealDisk, &ctx.paths, &secret)
            .map_err(|e| match e {
                KeyError::WrongPassphrase(_) => "Wrong passphrase. Try again.".to_string(),
                other => other.to_string(),
            })
            .and_then(|id| CaseBook::open(&ctx.paths, id).map_err(|e| e.to_string()));
        match opened {
            Ok(book) => {
                ctx.book = Some(Box::new(book));
                match self.resume.take() {
                    Some(screen) => Transition::To(*screen),
                    None => Transition::To(Screen::Cases(CasesScreen::load(ctx))),
                }
            }
            Err(e) => {
                self.error = Some(e);
                Transition::Stay
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let area = crate::tui::view::centered(area, 64, 10);
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
        frame.render_widget(Paragraph::new(text), intro);
        field::draw(frame, input, &self.input, "Passphrase", true);
        if let Some(e) = &self.error {
            let line = Line::styled(format!("✗ {e}"), theme.warn());
            frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), error);
        }
    }
}
