//! Starting a sitting: the questionnaire chosen from a list (type to filter it), the
//! respondent following the questionnaire's own (with a warning when they are made to
//! differ), and the interviewers of the case's last sitting offered again.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::field;
use crate::questionnaire::{Catalog, Respondent};
use crate::tui::action::Action;
use crate::tui::fuzzy::Fuzzy;
use crate::tui::text::inert;
use crate::tui::theme::Theme;
use crate::tui::view::fit_words;

pub const ROLES: [Respondent; 5] = [
    Respondent::Suspect,
    Respondent::Partner,
    Respondent::Carer,
    Respondent::Child,
    Respondent::None,
];

/// Which part of the form has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Questionnaire,
    Respondent,
    Interviewers,
}

pub struct StartForm {
    /// Questionnaire ids with their titles, in catalog order.
    pub questionnaires: Vec<(String, String)>,
    /// Typed to narrow the list.
    pub filter: TextArea<'static>,
    /// The chosen questionnaire: an index into `questionnaires`.
    pub questionnaire: usize,
    pub respondent: usize,
    pub interviewers: TextArea<'static>,
    pub focus: Focus,
    pub error: Option<String>,
    /// The respondent each questionnaire is written for, by index.
    own: Vec<Respondent>,
    /// The interviewers offered when the form opened (what was typed differs from it).
    offered: String,
}

/// What the form asks to do after a key.
pub enum FormAction {
    Stay,
    Cancel,
    Start,
}

impl StartForm {
    /// A new form; `interviewers` are offered again from the case's last sitting.
    pub fn new(catalog: &Catalog, interviewers: &[String]) -> StartForm {
        let questionnaires: Vec<(String, String)> = catalog
            .iter()
            .map(|q| (q.id().to_string(), q.questionnaire.header.title.clone()))
            .collect();
        let own = catalog
            .iter()
            .map(|q| q.questionnaire.header.respondent)
            .collect();
        let offered = interviewers.join(", ");
        let mut field = field::line();
        field.insert_str(&offered);
        let mut form = StartForm {
            questionnaires,
            filter: field::line(),
            questionnaire: 0,
            respondent: 0,
            interviewers: field,
            focus: Focus::Questionnaire,
            error: None,
            own,
            offered,
        };
        form.follow_questionnaire();
        form
    }

    /// Whether anything was typed since the form opened (the filter, or interviewers other
    /// than those offered).
    pub fn typed(&self) -> bool {
        !field::text(&self.filter).trim().is_empty()
            || field::text(&self.interviewers).trim() != self.offered
    }

    /// The questionnaire chosen, by id.
    pub fn chosen(&self) -> Option<&str> {
        self.questionnaires
            .get(self.questionnaire)
            .map(|(id, _)| id.as_str())
    }

    /// Chooses a questionnaire by id (tests, and a filter that narrows to one).
    pub fn choose(&mut self, id: &str) {
        if let Some(i) = self.questionnaires.iter().position(|(q, _)| q == id) {
            self.questionnaire = i;
            self.follow_questionnaire();
        }
    }

    pub fn respondent(&self) -> Respondent {
        ROLES
            .get(self.respondent)
            .copied()
            .unwrap_or(Respondent::None)
    }

    /// The respondent follows the questionnaire's own.
    fn follow_questionnaire(&mut self) {
        if let Some(own) = self.own.get(self.questionnaire) {
            self.respondent = ROLES.iter().position(|r| r == own).unwrap_or(0);
        }
    }

    /// The questionnaires the filter keeps (indexes), best first; all when nothing typed.
    pub fn visible(&self) -> Vec<usize> {
        let mut fuzzy = Fuzzy::new(&field::text(&self.filter));
        if fuzzy.is_empty() {
            return (0..self.questionnaires.len()).collect();
        }
        let mut scored: Vec<(u32, usize)> = self
            .questionnaires
            .iter()
            .enumerate()
            .filter_map(|(i, (id, title))| {
                fuzzy.best([title.as_str(), id.as_str()]).map(|s| (s, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, i)| i).collect()
    }

    /// When the respondent chosen is not the one the questionnaire is written for.
    pub fn mismatch(&self) -> Option<String> {
        let own = *self.own.get(self.questionnaire)?;
        let chosen = self.respondent();
        (own != chosen).then(|| {
            format!(
                "This questionnaire is written for the {own}; the respondent chosen is {chosen}."
            )
        })
    }

    pub fn paste(&mut self, text: &str) {
        match self.focus {
            Focus::Questionnaire => {
                field::paste_line(&mut self.filter, text);
                self.select_first_visible();
            }
            Focus::Interviewers => field::paste_line(&mut self.interviewers, text),
            Focus::Respondent => {}
        }
    }

    fn select_first_visible(&mut self) {
        if let Some(&first) = self.visible().first() {
            self.questionnaire = first;
            self.follow_questionnaire();
        }
    }

    pub fn key(&mut self, action: Option<Action>, key: KeyEvent) -> FormAction {
        let next = |f| match f {
            Focus::Questionnaire => Focus::Respondent,
            Focus::Respondent => Focus::Interviewers,
            Focus::Interviewers => Focus::Questionnaire,
        };
        match action {
            Some(Action::Cancel) => return FormAction::Cancel,
            Some(Action::Submit) => return FormAction::Start,
            Some(Action::NextField) => self.focus = next(self.focus),
            Some(Action::PrevField) => self.focus = next(next(self.focus)),
            Some(a @ (Action::Up | Action::Down)) if self.focus == Focus::Questionnaire => {
                let visible = self.visible();
                let here = visible.iter().position(|&i| i == self.questionnaire);
                let to = match (here, a) {
                    (Some(h), Action::Down) => (h + 1).min(visible.len().saturating_sub(1)),
                    (Some(h), _) => h.saturating_sub(1),
                    (None, _) => 0,
                };
                if let Some(&i) = visible.get(to) {
                    self.questionnaire = i;
                    self.follow_questionnaire();
                }
            }
            Some(a @ (Action::Up | Action::Down | Action::Left | Action::Right))
                if self.focus == Focus::Respondent =>
            {
                let n = ROLES.len();
                self.respondent = if matches!(a, Action::Down | Action::Right) {
                    (self.respondent + 1) % n
                } else {
                    (self.respondent + n - 1) % n
                };
            }
            Some(Action::ClearLine) => match self.focus {
                Focus::Questionnaire => field::clear_line(&mut self.filter),
                Focus::Interviewers => field::clear_line(&mut self.interviewers),
                Focus::Respondent => {}
            },
            _ => match self.focus {
                Focus::Questionnaire => {
                    field::feed_line(&mut self.filter, key);
                    self.select_first_visible();
                }
                Focus::Interviewers => field::feed_line(&mut self.interviewers, key),
                Focus::Respondent => {}
            },
        }
        FormAction::Stay
    }

    /// The interviewers typed, one per comma.
    pub fn interviewer_list(&self) -> Vec<String> {
        field::text(&self.interviewers)
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, catalog: &Catalog) {
        let visible = self.visible();
        let mut notes: Vec<Line> = Vec::new();
        if let Some(m) = self.mismatch() {
            notes.push(Line::styled(
                format!("⚠ {}", inert(&m, false)),
                theme.warn(),
            ));
        }
        if let Some(err) = &self.error {
            notes.push(Line::styled(
                format!("✗ {}", inert(err, false)),
                theme.warn(),
            ));
        }
        let note_rows: u16 = if notes.is_empty() { 0 } else { 2 };
        // As tall as the list and the fields need (the chosen title may take two lines):
        // borders, the filter, the list, respondent, interviewers, notes.
        let wanted = 2 + 1 + visible.len().max(1) + 1 + 2 + usize::from(note_rows);
        let area = crate::tui::view::centered(area, 72, u16::try_from(wanted).unwrap_or(u16::MAX));
        frame.render_widget(Clear, area);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(" Start a sitting ", theme.title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = usize::from(inner.width);
        let marker = |f| if self.focus == f { "▸" } else { " " };
        let mut notes: Vec<Line> = Vec::new();
        if let Some(m) = self.mismatch() {
            notes.push(Line::styled(
                format!("⚠ {}", inert(&m, false)),
                theme.warn(),
            ));
        }
        if let Some(err) = &self.error {
            notes.push(Line::styled(
                format!("✗ {}", inert(err, false)),
                theme.warn(),
            ));
        }
        let note_rows: u16 = if notes.is_empty() { 0 } else { 2 };
        let [filter, list, respondent, interviewers, note] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(note_rows),
        ])
        .areas(inner);
        let typed = field::text(&self.filter);
        let filter_line = format!(
            "{} Questionnaire{}",
            marker(Focus::Questionnaire),
            if typed.is_empty() {
                " (type to filter)".to_string()
            } else {
                format!(": {}▏", inert(&typed, false))
            }
        );
        frame.render_widget(Paragraph::new(fit_words(&filter_line, width)), filter);
        let mut lines = Vec::new();
        if visible.is_empty() {
            lines.push(Line::styled("  No questionnaire matches.", theme.dim()));
        }
        let mut selected_line = 0;
        for &i in &visible {
            let Some((id, title)) = self.questionnaires.get(i) else {
                continue;
            };
            let count = catalog
                .get(id)
                .map_or(0, |q| q.questionnaire.question_count());
            let here = i == self.questionnaire;
            let text = format!(
                "{} {} ({count})",
                if here { "›" } else { " " },
                inert(title, false)
            );
            if here {
                // The chosen one in full, wrapped: never cut.
                selected_line = lines.len();
                for (n, part) in crate::tui::view::wrap_words(&text, width.saturating_sub(2))
                    .into_iter()
                    .enumerate()
                {
                    let part = if n == 0 { part } else { format!("  {part}") };
                    lines.push(Line::styled(part, theme.selected()));
                }
            } else {
                lines.push(Line::styled(fit_words(&text, width), theme.base()));
            }
        }
        let scroll =
            u16::try_from(selected_line.saturating_sub(usize::from(list.height) / 2)).unwrap_or(0);
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), list);
        let role = self.respondent().as_str();
        frame.render_widget(
            Paragraph::new(format!(
                "{} Respondent     ◂ {role} ▸",
                marker(Focus::Respondent)
            )),
            respondent,
        );
        field::draw_row(
            frame,
            interviewers,
            &self.interviewers,
            "Interviewers (comma-separated)",
            15,
            self.focus == Focus::Interviewers,
        );
        frame.render_widget(Paragraph::new(notes).wrap(Wrap { trim: true }), note);
    }
}
