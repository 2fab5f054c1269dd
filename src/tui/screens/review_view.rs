//! Drawing the review: the list (summary with text bars and the agreement share, then two
//! lines per question) and one question in detail (both sides' answers, notes and history).
//! Pure: reads the state worked out when the screen opened.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::review::{Detail, ReviewRow, ReviewScreen, Side, agreement_share};
use crate::compare::Status;
use crate::tui::theme::Theme;

impl ReviewScreen {
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        match self
            .detail
            .and_then(|d| self.rows.get(d.row).map(|r| (d, r)))
        {
            Some((detail, row)) => self.render_detail(frame, area, theme, detail, row),
            None => self.render_list(frame, area, theme),
        }
    }

    fn title(&self) -> String {
        let case = self
            .reference
            .as_deref()
            .map_or_else(|| "(case file unreadable)".to_string(), str::to_string);
        let n = self.rows.len();
        let mut title = format!(
            "Review cross-checks · case {case} · {n} question{}",
            if n == 1 { "" } else { "s" }
        );
        title.push_str(match self.signatures {
            crate::custody::verdict::Standing::Good => " · ✓ signed",
            crate::custody::verdict::Standing::Weak => " · ○ not all signed",
            crate::custody::verdict::Standing::Problem => " · ✗ signature problems",
        });
        if self.divergent_only {
            title.push_str(&format!(
                " · divergences only ({} of {n})",
                self.visible().len()
            ));
        }
        title
    }

    fn render_list(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut notices =
            crate::tui::view::notice_lines(&self.problems, self.message.as_ref(), theme);
        notices.extend(
            self.text_notices
                .iter()
                .map(|n| Line::styled(format!("⚠ {n}"), theme.warn())),
        );
        let two_columns = area.width >= 60;
        let bar_rows: u16 = if two_columns { 3 } else { 6 };
        // The full summary only when it leaves room for a few questions.
        let full_summary = area.height >= bar_rows + 2 + 8;
        let summary_height = if full_summary { bar_rows + 1 } else { 1 };
        let notice_height = u16::try_from(notices.len())
            .unwrap_or(u16::MAX)
            .min(area.height / 4);
        let [title, summary_area, list, notice_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(summary_height),
            Constraint::Min(0),
            Constraint::Length(notice_height),
        ])
        .areas(area);
        frame.render_widget(
            Paragraph::new(Line::styled(self.title(), theme.title())),
            title,
        );
        if full_summary {
            self.render_summary(frame, summary_area, theme, two_columns);
        } else {
            frame.render_widget(Paragraph::new(self.compact_summary()), summary_area);
        }
        let block = Block::default().borders(Borders::TOP).title(" Questions ");
        let inner = block.inner(list);
        frame.render_widget(block, list);
        frame.render_widget(Paragraph::new(self.list_lines(inner, theme)), inner);
        frame.render_widget(Paragraph::new(notices), notice_area);
    }

    fn agreement_line(&self) -> String {
        match agreement_share(&self.counts) {
            Some((agrees, judged)) => format!(
                "Agreement share {}%: {agrees} of {judged} judged agree (judged = agrees + close + diverges)",
                (agrees * 100 + judged / 2) / judged
            ),
            None => {
                "Agreement share: none yet (no question both sides answered comparably)".to_string()
            }
        }
    }

    fn compact_summary(&self) -> String {
        let mut parts: Vec<String> = Status::ALL
            .iter()
            .map(|s| format!("{}{}", s.glyph(), self.counts.get(s).copied().unwrap_or(0)))
            .collect();
        parts.push(match agreement_share(&self.counts) {
            Some((a, j)) => format!("· agree {}%", (a * 100 + j / 2) / j),
            None => "· agree —".to_string(),
        });
        parts.join(" ")
    }

    fn render_summary(&self, frame: &mut Frame, area: Rect, theme: &Theme, two_columns: bool) {
        let [bars, share] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
        let columns: Vec<Rect> = if two_columns {
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .split(bars)
                .to_vec()
        } else {
            vec![bars]
        };
        let per_column = Status::ALL.len().div_ceil(columns.len());
        let max = self.counts.values().copied().max().unwrap_or(0);
        for (column, statuses) in columns.iter().zip(Status::ALL.chunks(per_column)) {
            // " ≠ compare by hand  12 " then the bar.
            let bar_room = usize::from(column.width).saturating_sub(24).max(1);
            let lines: Vec<Line> = statuses
                .iter()
                .map(|s| {
                    let n = self.counts.get(s).copied().unwrap_or(0);
                    let bar = if n == 0 || max == 0 {
                        0
                    } else {
                        (n * bar_room).div_ceil(max).max(1)
                    };
                    Line::from(vec![
                        Span::styled(
                            format!(" {} {:<15} {n:>3} ", s.glyph(), s.label()),
                            status_style(*s, theme),
                        ),
                        Span::styled("█".repeat(bar), status_style(*s, theme)),
                    ])
                })
                .collect();
            frame.render_widget(Paragraph::new(lines), *column);
        }
        frame.render_widget(
            Paragraph::new(Line::from(format!(" {}", self.agreement_line()))),
            share,
        );
    }

    /// The list: a header, then two lines per question (status, prompt, both answers; the
    /// reason underneath), scrolled to keep the selected question in view.
    fn list_lines(&self, area: Rect, theme: &Theme) -> Vec<Line<'static>> {
        let visible = self.visible();
        let mut lines = Vec::new();
        if self.rows.is_empty() {
            lines.push(Line::from(
                "No cross-checked question is answered yet. Log a suspect and a partner sitting with the suspect and partner interviews: their shared questions are compared here.",
            ));
            return lines;
        }
        if visible.is_empty() {
            lines.push(Line::from(format!(
                "No divergences among the {} questions compared.",
                self.rows.len()
            )));
            return lines;
        }
        let width = usize::from(area.width);
        let status_w = 18;
        let lead = 2 + status_w;
        let answer_w = (width.saturating_sub(lead) / 5).clamp(13, 24);
        let prompt_w = width.saturating_sub(lead + 2 * (answer_w + 2));
        lines.push(Line::styled(
            format!(
                "  {}{}  {}  {}",
                fit("STATUS", status_w),
                fit("QUESTION", prompt_w),
                fit("SUSPECT", answer_w),
                fit("PARTNER", answer_w)
            ),
            theme.dim(),
        ));
        let room = usize::from(area.height).saturating_sub(1) / 2;
        let first = self.selected.saturating_sub(room.saturating_sub(1));
        for (pos, &i) in visible.iter().enumerate().skip(first).take(room.max(1)) {
            let Some(row) = self.rows.get(i) else {
                continue;
            };
            let chosen = pos == self.selected;
            let status = format!("{} {}", row.status.glyph(), row.status.label());
            let answer = |s: &Side| s.answer.clone().unwrap_or_else(|| "—".to_string());
            let first_line = Line::from(vec![
                Span::raw(if chosen { "› " } else { "  " }),
                Span::styled(fit(&status, status_w), status_style(row.status, theme)),
                Span::raw(format!(
                    "{}  {}  {}",
                    fit(&row.prompt, prompt_w),
                    fit(&answer(&row.suspect), answer_w),
                    fit(&answer(&row.partner), answer_w)
                )),
            ]);
            lines.push(if chosen {
                first_line.style(theme.selected())
            } else {
                first_line
            });
            let reason = if row.local {
                format!("LOCAL questionnaire · {}", row.reason)
            } else {
                row.reason.clone()
            };
            lines.push(Line::styled(
                format!(
                    "{}{}",
                    " ".repeat(lead),
                    fit(&reason, width.saturating_sub(lead))
                ),
                theme.dim(),
            ));
        }
        lines
    }

    fn render_detail(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        detail: Detail,
        row: &ReviewRow,
    ) {
        let visible = self.visible();
        let position = visible
            .iter()
            .position(|&i| i == detail.row)
            .map_or_else(String::new, |p| {
                format!(" · {} of {}", p + 1, visible.len())
            });
        // Prompt and reason wrap to at most three lines each.
        let rows_for = |text: &str| {
            let width = usize::from(area.width.max(1));
            let rows = Span::raw(text).width().div_ceil(width).clamp(1, 3);
            u16::try_from(rows).unwrap_or(3)
        };
        let [head, prompt, reason, texts, sides] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(rows_for(&row.prompt)),
            Constraint::Length(rows_for(&row.reason)),
            Constraint::Length(rows_for(&row.texts)),
            Constraint::Min(0),
        ])
        .areas(area);
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(
                    format!("{} {}", row.status.glyph(), row.status.label()),
                    status_style(row.status, theme),
                ),
                Span::styled(format!(" · {}{position}", row.key), theme.title()),
            ])),
            head,
        );
        frame.render_widget(
            Paragraph::new(row.prompt.clone()).wrap(Wrap { trim: true }),
            prompt,
        );
        frame.render_widget(
            Paragraph::new(Line::styled(row.reason.clone(), theme.dim())).wrap(Wrap { trim: true }),
            reason,
        );
        let texts_style = if row.local { theme.warn() } else { theme.dim() };
        frame.render_widget(
            Paragraph::new(Line::styled(row.texts.clone(), texts_style)).wrap(Wrap { trim: true }),
            texts,
        );
        let [left, right] = if sides.width >= 60 {
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(sides)
        } else {
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(sides)
        };
        for (side, name, rect) in [
            (&row.suspect, "Suspect", left),
            (&row.partner, "Partner", right),
        ] {
            frame.render_widget(
                Paragraph::new(side_lines(side, &row.prompt, theme))
                    .wrap(Wrap { trim: false })
                    .scroll((detail.scroll, 0))
                    .block(
                        Block::default()
                            .borders(Borders::ALL)
                            .title(Span::styled(format!(" {name} "), theme.title())),
                    ),
                rect,
            );
        }
    }
}

/// A generous bound on the rows a side's panel takes (the scroll limit): its lines, plus
/// what wrapping long ones can add in a panel at least 20 columns wide.
pub(super) fn detail_len(side: &Side) -> usize {
    side_lines(side, "", &Theme { mono: true })
        .iter()
        .map(|l| 1 + l.width() / 20)
        .sum()
}

fn side_lines(side: &Side, prompt: &str, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    match &side.full {
        None => lines.push(Line::styled(
            "Not asked yet: a question for the next sitting.",
            theme.warn(),
        )),
        Some(full) => {
            let mut answer = full.lines();
            lines.push(Line::from(vec![
                Span::styled("Answer: ", theme.title()),
                Span::raw(answer.next().unwrap_or("").to_string()),
            ]));
            lines.extend(answer.map(|l| Line::from(format!("  {l}"))));
            if let Some(at) = side.answered_at {
                lines.push(Line::styled(
                    format!("Recorded {}", at.format("%Y-%m-%d %H:%M:%S")),
                    theme.dim(),
                ));
            }
            match &side.note {
                Some(note) => {
                    let mut note = note.lines();
                    lines.push(Line::from(vec![
                        Span::styled("Note: ", theme.title()),
                        Span::raw(note.next().unwrap_or("").to_string()),
                    ]));
                    lines.extend(note.map(|l| Line::from(format!("  {l}"))));
                }
                None => lines.push(Line::styled("Note: none", theme.dim())),
            }
        }
    }
    if let Some(p) = &side.prompt
        && p != prompt
    {
        lines.push(Line::styled(format!("Asked as: {p}"), theme.dim()));
    }
    if let Some(t) = &side.read_with {
        lines.push(Line::styled(format!("Read with: {t}"), theme.dim()));
    }
    if let Some(w) = &side.worked_out {
        // A derived figure has no history of its own: its parts do.
        lines.push(Line::from(format!("Worked out from: {w}")));
        lines.push(Line::styled(
            "Each part's history is on its own question.",
            theme.dim(),
        ));
        return lines;
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("History (oldest first)", theme.title()));
    if side.history.is_empty() {
        lines.push(Line::styled("nothing recorded", theme.dim()));
    }
    for sitting in &side.history {
        lines.push(Line::styled(
            format!(
                "Sitting of {}. {}",
                sitting.started.format("%Y-%m-%d %H:%M"),
                sitting.questionnaire
            ),
            theme.dim(),
        ));
        for line in &sitting.lines {
            let when = if line.at.date_naive() == sitting.started.date_naive() {
                line.at.format("%H:%M:%S").to_string()
            } else {
                line.at.format("%Y-%m-%d %H:%M:%S").to_string()
            };
            lines.push(Line::from(format!("  {when}  {}", line.text)));
        }
    }
    lines
}

fn status_style(status: Status, theme: &Theme) -> Style {
    match status {
        Status::Diverges => theme.warn(),
        Status::Agrees => theme.ok(),
        Status::Close | Status::Uncertain | Status::Gap | Status::ByHand => theme.base(),
    }
}

/// The display width of one character.
fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    Span::raw(&*c.encode_utf8(&mut buf)).width()
}

/// `text` cut to `width` columns (with `…` when cut) and padded with spaces to exactly that.
pub fn fit(text: &str, width: usize) -> String {
    let total: usize = text.chars().map(char_width).sum();
    let mut out = String::new();
    let mut used = 0;
    if total <= width {
        out.push_str(text);
        used = total;
    } else if width > 0 {
        for c in text.chars() {
            let w = char_width(c);
            if used + w > width - 1 {
                break;
            }
            out.push(c);
            used += w;
        }
        out.push('…');
        used += 1;
    }
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}
