//! Drawing the review's changes between sittings: the list, person by person (each change:
//! its kind, the question, the earlier and the later answer; the reason with both dates
//! underneath), and one change in detail (both answers with their sittings, notes and texts,
//! and the question's history in each of the person's sittings). Pure.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::review::{Detail, ReviewScreen, source_title};
use super::review_changes::{ChangeRow, ChangeSide};
use super::review_view::{fit, history_lines, window};
use crate::compare::ChangeKind;
use crate::questionnaire::Respondent;
use crate::tui::theme::Theme;

fn kind_style(kind: ChangeKind, theme: &Theme) -> ratatui::style::Style {
    match kind {
        ChangeKind::Changed => theme.warn(),
        ChangeKind::Reworded | ChangeKind::AskedDifferently => theme.base(),
    }
}

/// `2 changes`.
fn changes_word(n: usize) -> String {
    format!("{n} change{}", if n == 1 { "" } else { "s" })
}

impl ReviewScreen {
    /// How many changes each person has, in source order.
    fn per_person(&self) -> Vec<(Respondent, usize)> {
        let mut out: Vec<(Respondent, usize)> = Vec::new();
        for c in &self.changes {
            match out.last_mut() {
                Some((who, n)) if *who == c.person => *n += 1,
                _ => out.push((c.person, 1)),
            }
        }
        out
    }

    pub(super) fn render_changes(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let notices = self.notices(theme);
        let notice_height = u16::try_from(notices.len())
            .unwrap_or(u16::MAX)
            .min(area.height / 4);
        let [title, summary, list, notice_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(notice_height),
        ])
        .areas(area);
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!(
                    "Changes between sittings · case {} · {}{}",
                    self.case_name(),
                    changes_word(self.changes.len()),
                    self.signature_mark()
                ),
                theme.title(),
            )),
            title,
        );
        let people: Vec<String> = self
            .per_person()
            .iter()
            .map(|(who, n)| format!("{} {n}", source_title(*who)))
            .collect();
        frame.render_widget(
            Paragraph::new(Line::from(format!(
                " Per person: {} · not listed: corrections within a sitting, the record",
                if people.is_empty() {
                    "none".to_string()
                } else {
                    people.join(", ")
                }
            ))),
            summary,
        );
        let block = Block::default()
            .borders(Borders::TOP)
            .title(" Changes between sittings ");
        let inner = block.inner(list);
        frame.render_widget(block, list);
        frame.render_widget(Paragraph::new(self.change_lines(inner, theme)), inner);
        frame.render_widget(Paragraph::new(notices), notice_area);
    }

    /// The list: per person a heading, then two lines per change, scrolled to keep the
    /// selected change in view.
    fn change_lines(&self, area: Rect, theme: &Theme) -> Vec<Line<'static>> {
        if self.changes.is_empty() {
            return vec![Line::from(
                "No answer differs from one sitting of a person to a later one.",
            )];
        }
        let width = usize::from(area.width);
        let kind_w = 14;
        let lead = 2 + kind_w;
        let answer_w = (width.saturating_sub(lead) / 5).clamp(10, 22);
        let prompt_w = width.saturating_sub(lead + 2 * (answer_w + 2) + 2);
        let mut blocks: Vec<Vec<Line<'static>>> = Vec::new();
        // Block index of each change, for the scrolling.
        let mut selected_block = 0;
        let mut person = None;
        for (i, c) in self.changes.iter().enumerate() {
            let mut block = Vec::new();
            if person != Some(c.person) {
                person = Some(c.person);
                let n = self
                    .per_person()
                    .iter()
                    .find(|(who, _)| *who == c.person)
                    .map_or(0, |(_, n)| *n);
                block.push(Line::styled(
                    format!("{} · {}", source_title(c.person), changes_word(n)),
                    theme.title(),
                ));
            }
            let chosen = i == self.change_selected;
            if chosen {
                selected_block = blocks.len();
            }
            let kind = format!("{} {}", c.kind.glyph(), c.kind.short());
            let first = Line::from(vec![
                Span::raw(if chosen { "› " } else { "  " }),
                Span::styled(fit(&kind, kind_w), kind_style(c.kind, theme)),
                Span::raw(format!(
                    "{}  {}  → {}",
                    fit(&c.prompt, prompt_w),
                    fit(&c.before.answer, answer_w),
                    fit(&c.after.answer, answer_w)
                )),
            ]);
            block.push(if chosen {
                first.style(theme.selected())
            } else {
                first
            });
            block.push(Line::styled(
                format!(
                    "{}{}",
                    " ".repeat(lead),
                    fit(&c.reason, width.saturating_sub(lead))
                ),
                theme.dim(),
            ));
            blocks.push(block);
        }
        window(blocks, selected_block, usize::from(area.height))
    }

    pub(super) fn render_change_detail(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        detail: Detail,
        change: &ChangeRow,
    ) {
        let rows_for = |text: &str| {
            let width = usize::from(area.width.max(1));
            let rows = Span::raw(text).width().div_ceil(width).clamp(1, 3);
            u16::try_from(rows).unwrap_or(3)
        };
        let [head, prompt, reason, body] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(rows_for(&change.prompt)),
            Constraint::Length(rows_for(&change.reason)),
            Constraint::Min(0),
        ])
        .areas(area);
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(
                    format!("{} {}", change.kind.glyph(), change.kind.label()),
                    kind_style(change.kind, theme),
                ),
                Span::styled(
                    format!(
                        " · {} · {} · {} of {}",
                        source_title(change.person),
                        change.question,
                        detail.row + 1,
                        self.changes.len()
                    ),
                    theme.title(),
                ),
            ])),
            head,
        );
        frame.render_widget(
            Paragraph::new(change.prompt.clone()).wrap(Wrap { trim: true }),
            prompt,
        );
        frame.render_widget(
            Paragraph::new(Line::styled(change.reason.clone(), theme.dim()))
                .wrap(Wrap { trim: true }),
            reason,
        );
        frame.render_widget(
            Paragraph::new(change_body(change, theme))
                .wrap(Wrap { trim: false })
                .scroll((detail.scroll, 0))
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .title(Span::styled(" Earlier and later ", theme.title())),
                ),
            body,
        );
    }
}

fn answer_lines(title: &str, side: &ChangeSide, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        format!("{title}, recorded {}", side.at.format("%Y-%m-%d %H:%M:%S")),
        theme.title(),
    )];
    let mut answer = side.full.lines();
    lines.push(Line::from(format!(
        "Answer: {}",
        answer.next().unwrap_or("")
    )));
    lines.extend(answer.map(|l| Line::from(format!("  {l}"))));
    match &side.note {
        Some(note) => {
            let mut note = note.lines();
            lines.push(Line::from(format!("Note: {}", note.next().unwrap_or(""))));
            lines.extend(note.map(|l| Line::from(format!("  {l}"))));
        }
        None => lines.push(Line::styled("Note: none", theme.dim())),
    }
    lines.push(Line::styled(
        format!("Read with: {}", side.read_with),
        theme.dim(),
    ));
    lines
}

/// Both answers, then the history: what the detail panel scrolls through.
fn change_body(change: &ChangeRow, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = answer_lines("Earlier sitting", &change.before, theme);
    lines.push(Line::from(""));
    lines.extend(answer_lines("Later sitting", &change.after, theme));
    lines.push(Line::from(""));
    lines.extend(history_lines(&change.history, theme));
    lines
}

/// A generous bound on the rows the detail takes (the scroll limit).
pub(super) fn change_detail_len(change: &ChangeRow) -> usize {
    change_body(change, &Theme { mono: true })
        .iter()
        .map(|l| 1 + l.width() / 20)
        .sum()
}
