//! The case list's "Send…" and "Receive…" forms: the same library calls and messages as
//! `companion case send` and `case receive`.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::field;
use crate::transfer::TransferError;
use crate::tui::action::Action;
use crate::tui::app::Ctx;
use crate::tui::theme::Theme;

const SEND_FIELDS: [&str; 2] = [
    "To (age1… keys or names from the recipients file; several: commas)",
    "File to write (a new file: an existing one is never replaced)",
];
const RECEIVE_FIELDS: [&str; 2] = [
    "Transfer file",
    "Into case (reference; only when asked to say which)",
];

/// Send the case with this reference, or receive a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferKind {
    /// `reference`: the case id (found exactly); `shown`: its reference, for the title.
    Send {
        reference: String,
        shown: String,
    },
    Receive,
}

pub struct TransferForm {
    pub kind: TransferKind,
    pub fields: Vec<TextArea<'static>>,
    pub focus: usize,
    pub error: Option<String>,
}

/// What a key in the form leads to.
pub enum FormEnd {
    Stay,
    Cancelled,
    /// Done: what it did, line by line (the CLI's lines).
    Done(Vec<String>),
}

impl TransferForm {
    pub fn new(kind: TransferKind) -> TransferForm {
        TransferForm {
            kind,
            fields: vec![field::line(), field::line()],
            focus: 0,
            error: None,
        }
    }

    fn labels(&self) -> [&'static str; 2] {
        match self.kind {
            TransferKind::Send { .. } => SEND_FIELDS,
            TransferKind::Receive => RECEIVE_FIELDS,
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            field::paste_line(f, text);
        }
    }

    pub fn key(&mut self, action: Option<Action>, key: KeyEvent, ctx: &mut Ctx) -> FormEnd {
        let n = self.fields.len();
        match action {
            Some(Action::Cancel) => return FormEnd::Cancelled,
            Some(Action::NextField) => self.focus = (self.focus + 1) % n,
            Some(Action::PrevField) => self.focus = (self.focus + n - 1) % n,
            Some(Action::Submit) => return self.submit(ctx),
            Some(Action::ClearLine) => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    field::clear_line(f);
                }
            }
            _ => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    field::feed_line(f, key);
                }
            }
        }
        FormEnd::Stay
    }

    fn submit(&mut self, ctx: &mut Ctx) -> FormEnd {
        let texts: Vec<String> = self
            .fields
            .iter()
            .map(|f| field::text(f).trim().to_string())
            .collect();
        let (first, second) = (
            texts.first().cloned().unwrap_or_default(),
            texts.get(1).cloned().unwrap_or_default(),
        );
        let Some(book) = ctx.book.as_ref() else {
            return FormEnd::Stay;
        };
        let now = ctx.clock.stamp().at;
        let result = match &self.kind {
            TransferKind::Send { reference, .. } => {
                let to: Vec<String> = first
                    .split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect();
                if to.is_empty() || second.is_empty() {
                    self.error = Some("Say who it is for and the file to write.".into());
                    return FormEnd::Stay;
                }
                book.send_case(&ctx.paths, reference, &to, &PathBuf::from(&second), now)
                    .map(|s| s.lines)
            }
            TransferKind::Receive => {
                if first.is_empty() {
                    self.error = Some("Type the transfer file's path.".into());
                    return FormEnd::Stay;
                }
                let into = (!second.is_empty()).then_some(second.as_str());
                book.receive_file(&PathBuf::from(&first), into, now)
                    .map(|r| r.lines)
            }
        };
        match result {
            Ok(lines) => FormEnd::Done(lines),
            Err(e) => {
                if matches!(e, TransferError::InDoubt(_)) {
                    self.focus = 1;
                }
                self.error = Some(e.to_string());
                FormEnd::Stay
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let area = crate::tui::view::centered(area, 76, 14);
        frame.render_widget(ratatui::widgets::Clear, area);
        let title = match &self.kind {
            TransferKind::Send { shown, .. } => {
                format!(" Send {} ", crate::tui::text::inert(shown, false))
            }
            TransferKind::Receive => " Receive a case file ".to_string(),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(title, theme.title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let rows = Layout::vertical([
            Constraint::Length(3),
            Constraint::Length(3),
            Constraint::Min(0),
        ])
        .split(inner);
        for (i, (label, f)) in self.labels().iter().zip(&self.fields).enumerate() {
            if let Some(r) = rows.get(i) {
                field::draw(frame, *r, f, label, self.focus == i);
            }
        }
        if let (Some(e), Some(r)) = (&self.error, rows.last()) {
            let line = Line::styled(
                format!("✗ {}", crate::tui::text::inert(e, false)),
                theme.warn(),
            );
            frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), *r);
        }
    }
}
