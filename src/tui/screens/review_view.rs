//! Drawing the review's cross-checks: the list (counts of questions by status with text
//! bars, counts by pair with each pair's agreement share, then each question with every
//! source's answer and, under it, every pair's status and reason) and one question in
//! detail (every source's answer, note and history). Pure: reads the state worked out when
//! the screen opened. The changes view is drawn in [`super::review_changes_view`].

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::review::{
    Detail, ReviewRow, ReviewScreen, Side, SittingHistory, View, agreement_share, source_title,
};
use crate::compare::Status;
use crate::tui::theme::Theme;

impl ReviewScreen {
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        match (self.view, self.detail) {
            (View::CrossChecks, Some(detail)) => match self.rows.get(detail.row) {
                Some(row) => self.render_detail(frame, area, theme, detail, row),
                None => self.render_list(frame, area, theme),
            },
            (View::CrossChecks, None) => self.render_list(frame, area, theme),
            (View::Changes, Some(detail)) => match self.changes.get(detail.row) {
                Some(change) => self.render_change_detail(frame, area, theme, detail, change),
                None => self.render_changes(frame, area, theme),
            },
            (View::Changes, None) => self.render_changes(frame, area, theme),
        }
    }

    pub(super) fn case_name(&self) -> String {
        self.reference
            .as_deref()
            .map_or_else(|| "(case file unreadable)".to_string(), str::to_string)
    }

    /// ` · ✓ signed`: what the signatures say of the files both views are read from.
    pub(super) fn signature_mark(&self) -> &'static str {
        match self.signatures {
            crate::custody::verdict::Standing::Good => " · ✓ signed",
            crate::custody::verdict::Standing::Weak => " · ○ not all signed",
            crate::custody::verdict::Standing::Problem => " · ✗ signature problems",
        }
    }

    fn title(&self) -> String {
        let n = self.rows.len();
        let mut title = format!(
            "Review cross-checks · case {} · {n} question{}",
            self.case_name(),
            if n == 1 { "" } else { "s" }
        );
        title.push_str(self.signature_mark());
        if self.divergent_only {
            title.push_str(&format!(
                " · divergences only ({} of {n})",
                self.visible().len()
            ));
        }
        // Short, so the signatures' mark before it stays on a small screen: the changes
        // view (`Tab`, named in the footer) says what they are.
        let c = self.changes.len();
        title.push_str(&format!(" · {c} change{}", if c == 1 { "" } else { "s" }));
        title
    }

    /// The notices under a list: unreadable files, the message, the questionnaire texts.
    pub(super) fn notices(&self, theme: &Theme) -> Vec<Line<'static>> {
        let mut notices =
            crate::tui::view::notice_lines(&self.problems, self.message.as_ref(), theme);
        notices.extend(
            self.text_notices
                .iter()
                .map(|n| Line::styled(format!("⚠ {n}"), theme.warn())),
        );
        notices
    }

    fn render_list(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let notices = self.notices(theme);
        let two_columns = area.width >= 60;
        let bar_rows: u16 = if two_columns { 3 } else { 6 };
        let pair_rows = u16::try_from(self.pair_counts.len().max(1)).unwrap_or(1);
        // The full summary only when it leaves room for a few questions.
        let full_summary = area.height >= bar_rows + pair_rows + 2 + 8;
        let summary_height = if full_summary {
            bar_rows + pair_rows
        } else {
            1
        };
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
            self.render_summary(frame, summary_area, theme, two_columns, bar_rows);
        } else {
            frame.render_widget(Paragraph::new(self.compact_summary()), summary_area);
        }
        let block = Block::default().borders(Borders::TOP).title(" Questions ");
        let inner = block.inner(list);
        frame.render_widget(block, list);
        frame.render_widget(Paragraph::new(self.list_lines(inner, theme)), inner);
        frame.render_widget(Paragraph::new(notices), notice_area);
    }

    /// One pair's counts and agreement share on one line.
    fn pair_line(&self, i: usize) -> String {
        let Some(p) = self.pair_counts.get(i) else {
            return String::new();
        };
        let counts: Vec<String> = Status::ALL
            .iter()
            .map(|s| format!("{}{}", s.glyph(), p.count(*s)))
            .collect();
        let share = match p.agreement() {
            Some((agrees, judged)) => format!(
                "agree {}% ({agrees} of {judged} judged)",
                (agrees * 100 + judged / 2) / judged
            ),
            None => "agree — (none judged)".to_string(),
        };
        format!("{:<17} {} · {share}", p.label(), counts.join(" "))
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

    fn render_summary(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        two_columns: bool,
        bar_rows: u16,
    ) {
        let [bars, pairs] =
            Layout::vertical([Constraint::Length(bar_rows), Constraint::Min(0)]).areas(area);
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
        let lines: Vec<Line> = if self.pair_counts.is_empty() {
            vec![Line::from(
                " No pair compared yet (no question two sources answered comparably)",
            )]
        } else {
            (0..self.pair_counts.len())
                .map(|i| Line::from(format!(" {}", self.pair_line(i))))
                .collect()
        };
        frame.render_widget(Paragraph::new(lines), pairs);
    }

    /// The list: a header, then each question (status, prompt, every source's answer; every
    /// pair's status and reason underneath), scrolled to keep the selected question in view.
    fn list_lines(&self, area: Rect, theme: &Theme) -> Vec<Line<'static>> {
        let visible = self.visible();
        let mut lines = Vec::new();
        if self.rows.is_empty() {
            lines.push(Line::from(
                "No cross-checked question is answered yet. Log the suspect and partner interviews and the core assessment: the questions they share are compared here.",
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
        let n = self.columns.len().max(1);
        let answer_w = (width.saturating_sub(lead) / (n + 3)).clamp(10, 24);
        let prompt_w = width.saturating_sub(lead + n * (answer_w + 2));
        let heads: Vec<String> = self
            .columns
            .iter()
            .map(|c| fit(&source_title(*c).to_uppercase(), answer_w))
            .collect();
        lines.push(Line::styled(
            format!(
                "  {}{}  {}",
                fit("STATUS", status_w),
                fit("QUESTION", prompt_w),
                heads.join("  ")
            ),
            theme.dim(),
        ));
        let blocks: Vec<Vec<Line<'static>>> = visible
            .iter()
            .enumerate()
            .filter_map(|(pos, &i)| {
                let row = self.rows.get(i)?;
                Some(self.row_lines(
                    row,
                    pos == self.selected,
                    theme,
                    (width, prompt_w, answer_w),
                ))
            })
            .collect();
        let room = usize::from(area.height).saturating_sub(1);
        lines.extend(window(blocks, self.selected, room));
        lines
    }

    /// One question in the list: its line, then one line per pair (or the reason alone when
    /// it has one pair).
    fn row_lines(
        &self,
        row: &ReviewRow,
        chosen: bool,
        theme: &Theme,
        (width, prompt_w, answer_w): (usize, usize, usize),
    ) -> Vec<Line<'static>> {
        let status_w = 18;
        let lead = 2 + status_w;
        let status = format!("{} {}", row.status.glyph(), row.status.label());
        let answers: Vec<String> = self
            .columns
            .iter()
            .map(|c| match row.side(*c) {
                Some(side) => fit(side.answer.as_deref().unwrap_or("—"), answer_w),
                None => fit("", answer_w),
            })
            .collect();
        let first_line = Line::from(vec![
            Span::raw(if chosen { "› " } else { "  " }),
            Span::styled(fit(&status, status_w), status_style(row.status, theme)),
            Span::raw(format!(
                "{}  {}",
                fit(&row.prompt, prompt_w),
                answers.join("  ")
            )),
        ]);
        let mut out = vec![if chosen {
            first_line.style(theme.selected())
        } else {
            first_line
        }];
        let local = if row.local {
            "LOCAL questionnaire · "
        } else {
            ""
        };
        let room = width.saturating_sub(lead);
        if row.pairs.len() <= 1 {
            out.push(Line::styled(
                format!(
                    "{}{}",
                    " ".repeat(lead),
                    fit(&format!("{local}{}", row.reason), room)
                ),
                theme.dim(),
            ));
            return out;
        }
        for p in &row.pairs {
            let head = format!("{} {:<17} ", p.status.glyph(), p.label);
            let head_w = crate::tui::view::width_of(&head);
            out.push(Line::from(vec![
                Span::raw(" ".repeat(lead)),
                Span::styled(head, status_style(p.status, theme)),
                Span::styled(
                    fit(&format!("{local}{}", p.reason), room.saturating_sub(head_w)),
                    theme.dim(),
                ),
            ]));
        }
        out
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
        // Prompt, each pair and the texts wrap to at most three lines each.
        let rows_for = |text: &str| {
            let width = usize::from(area.width.max(1));
            let rows = Span::raw(text).width().div_ceil(width).clamp(1, 3);
            u16::try_from(rows).unwrap_or(3)
        };
        let pair_text: Vec<String> = if row.pairs.is_empty() {
            vec![row.reason.clone()]
        } else {
            row.pairs
                .iter()
                .map(|p| {
                    format!(
                        "{} {} · {}: {}",
                        p.status.glyph(),
                        p.status.label(),
                        p.label,
                        p.reason
                    )
                })
                .collect()
        };
        let pairs_height: u16 = pair_text.iter().map(|t| rows_for(t)).sum();
        let [head, prompt, reasons, texts, sides] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(rows_for(&row.prompt)),
            Constraint::Length(pairs_height.min(area.height / 3)),
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
        let reason_lines: Vec<Line> = pair_text
            .into_iter()
            .map(|t| Line::styled(t, theme.dim()))
            .collect();
        frame.render_widget(
            Paragraph::new(reason_lines).wrap(Wrap { trim: true }),
            reasons,
        );
        let texts_style = if row.local { theme.warn() } else { theme.dim() };
        frame.render_widget(
            Paragraph::new(Line::styled(row.texts.clone(), texts_style)).wrap(Wrap { trim: true }),
            texts,
        );
        let n = u32::try_from(row.sides.len().max(1)).unwrap_or(1);
        let constraints = vec![Constraint::Ratio(1, n); row.sides.len().max(1)];
        // Side by side where each panel gets 24 columns (three fit in 80); else one above
        // the other.
        let panels = if u32::from(sides.width) >= 24 * n {
            Layout::horizontal(constraints).split(sides)
        } else {
            Layout::vertical(constraints).split(sides)
        };
        for ((who, side), rect) in row.sides.iter().zip(panels.iter()) {
            frame.render_widget(
                Paragraph::new(side_lines(side, &row.prompt, theme))
                    .wrap(Wrap { trim: false })
                    .scroll((detail.scroll, 0))
                    .block(Block::default().borders(Borders::ALL).title(Span::styled(
                        format!(" {} ", source_title(*who)),
                        theme.title(),
                    ))),
                *rect,
            );
        }
    }
}

/// The lines of the blocks that fit in `room` rows, keeping block `selected` in view (at
/// the bottom when the list has to scroll, as far up as the rows allow).
pub(super) fn window(
    blocks: Vec<Vec<Line<'static>>>,
    selected: usize,
    room: usize,
) -> Vec<Line<'static>> {
    let selected = selected.min(blocks.len().saturating_sub(1));
    let mut first = selected;
    let mut used = blocks.get(selected).map_or(0, Vec::len);
    while first > 0 && used + blocks[first - 1].len() <= room {
        first -= 1;
        used += blocks[first].len();
    }
    blocks
        .into_iter()
        .skip(first)
        .flatten()
        .take(room.max(1))
        .collect()
}

/// A generous bound on the rows a side's panel takes (the scroll limit): its lines, plus
/// what wrapping long ones can add in a panel at least 20 columns wide.
pub(super) fn detail_len(side: &Side) -> usize {
    side_lines(side, "", &Theme { mono: true })
        .iter()
        .map(|l| 1 + l.width() / 20)
        .sum()
}

pub(super) fn side_lines(side: &Side, prompt: &str, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    match &side.full {
        None => lines.push(Line::styled(
            "Not answered yet: a question for the next sitting.",
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
    lines.extend(history_lines(&side.history, theme));
    lines
}

/// A question's history, sitting by sitting, oldest first.
pub(super) fn history_lines(history: &[SittingHistory], theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled("History (oldest first)", theme.title())];
    if history.is_empty() {
        lines.push(Line::styled("nothing recorded", theme.dim()));
    }
    for sitting in history {
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

pub(super) fn status_style(status: Status, theme: &Theme) -> Style {
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
