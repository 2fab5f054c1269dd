//! The logging screen's smaller overlays: the confirmation before clearing an answer, a
//! question's history, and the sitting's observations. Drawing only; the keys are in
//! [`super::logging`].

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::logging::LoggingScreen;
use crate::tui::text::{answer_text, event_text, inert};
use crate::tui::theme::Theme;
use crate::tui::view::centered;

impl LoggingScreen {
    pub(super) fn render_confirm_clear(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        question: &str,
    ) {
        let pop = centered(area, 60, 6);
        frame.render_widget(Clear, pop);
        let spec = self.current().map(|q| &q.answer);
        let answer = self
            .folded
            .get(question)
            .and_then(|s| s.answer.as_ref())
            .map_or_else(String::new, |v| answer_text(v, spec, false));
        let lines = vec![
            Line::styled(format!("Clear the answer \"{answer}\"?"), theme.title()),
            Line::from("The question goes back to not asked; the history keeps the answer."),
        ];
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" Clear {} ", inert(question, false))),
            ),
            pop,
        );
    }

    /// Every event about the question under the cursor, oldest first, with its time.
    pub(super) fn render_history(&self, frame: &mut Frame, area: Rect, theme: &Theme, scroll: u16) {
        let pop = centered(area, 76, 16);
        frame.render_widget(Clear, pop);
        let (id, spec) = match self.current() {
            Some(q) => (q.id.clone(), Some(&q.answer)),
            None => (
                self.other_at(self.cursor).unwrap_or_default().to_string(),
                None,
            ),
        };
        let history = self
            .folded
            .get(&id)
            .map(|s| s.history.as_slice())
            .unwrap_or_default();
        let mut lines: Vec<Line> = history
            .iter()
            .map(|e| {
                Line::from(format!(
                    "#{:<3} {}  {}",
                    e.seq,
                    e.stamp.at.format("%H:%M:%S"),
                    event_text(e, spec)
                ))
            })
            .collect();
        if lines.is_empty() {
            lines.push(Line::styled(
                "Nothing recorded for this question yet.",
                theme.dim(),
            ));
        }
        scrolled(
            frame,
            pop,
            lines,
            format!(" History of {} ", inert(&id, false)),
            scroll,
        );
    }

    /// The sitting's observations, oldest first, each with the time it was begun.
    pub(super) fn render_observations(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        scroll: u16,
    ) {
        let pop = centered(area, 76, 16);
        frame.render_widget(Clear, pop);
        let mut lines = Vec::new();
        for e in &self.folded.observations {
            if let crate::session::EventKind::Observation { text } = &e.kind {
                lines.push(Line::styled(
                    format!("{}", e.stamp.at.format("%H:%M:%S")),
                    theme.title(),
                ));
                for l in inert(text, true).lines() {
                    lines.push(Line::from(format!("  {l}")));
                }
            }
        }
        if lines.is_empty() {
            lines.push(Line::styled(
                "No observation in this sitting yet.",
                theme.dim(),
            ));
        }
        let title = format!(" Observations ({}) ", self.folded.observations.len());
        scrolled(frame, pop, lines, title, scroll);
    }
}

/// A boxed, wrapped list scrolled by `scroll` rows (at most to its end), saying where it is
/// when it does not fit.
fn scrolled(frame: &mut Frame, pop: Rect, lines: Vec<Line<'static>>, title: String, scroll: u16) {
    let inner_width = pop.width.saturating_sub(2);
    let visible = pop.height.saturating_sub(2);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = u16::try_from(paragraph.line_count(inner_width)).unwrap_or(u16::MAX);
    let max = total.saturating_sub(visible);
    let scroll = scroll.min(max);
    let mut block = Block::default().borders(Borders::ALL).title(title);
    if max > 0 {
        let more = match (scroll > 0, scroll < max) {
            (true, true) => "▲▼",
            (false, true) => "▼",
            _ => "▲",
        };
        let last = (scroll + visible).min(total);
        block = block.title_bottom(
            Line::from(format!(" {more} {}–{last} of {total} ", scroll + 1)).right_aligned(),
        );
    }
    frame.render_widget(paragraph.block(block).scroll((scroll, 0)), pop);
}
