//! Drawing the logging screen: question list with status marks beside the detail pane.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::field;
use super::logging::{LoggingScreen, Mode, Pane, SaveState};
use crate::questionnaire::{AnswerSpec, Question};
use crate::session::{AnswerValue, QuestionState, act_applies};
use crate::tui::action::{Action, Context};
use crate::tui::keymap::Keymap;
use crate::tui::text::{answer_text, inert};
use crate::tui::theme::Theme;
use crate::tui::view::{fit_words, wrap_words};

/// Shown instead of a prompt-to-act on the suspect's own sitting; the prompt itself appears
/// on the case screen once the sitting is left.
pub const HELD_ACT: &str = "▶ Prompt-to-act held until you leave";

/// Below this width the logging screen shows one pane at a time (the list or the
/// question), switched with a key.
pub const NARROW: u16 = 70;

/// Whether a window this wide shows one pane at a time.
pub fn single_pane(width: u16) -> bool {
    width < NARROW
}

/// The marks before a question: answered, flagged, cross-checkable (`≠` when the answer
/// differs from another source's). Never colour alone.
pub fn marks(question: &Question, state: Option<&QuestionState>, diverges: bool) -> String {
    let cross = if diverges {
        '≠'
    } else if question.cross_check.is_some() {
        '◆'
    } else {
        ' '
    };
    format!("{}{cross}", state_marks(state))
}

/// Answered and flagged marks.
fn state_marks(state: Option<&QuestionState>) -> String {
    let answered = match state.and_then(|s| s.answer.as_ref()) {
        Some(v) if v.is_uncertain() => '?',
        Some(_) => '✓',
        None => '·',
    };
    let flag = if state.is_some_and(|s| s.flagged) {
        '⚑'
    } else {
        ' '
    };
    format!("{answered}{flag}")
}

/// The words shown under a question whose answer diverges from another source's (the other
/// interview's, or the record's). Only the fact, and not even whose: the other answer is
/// never on this screen, and the person interviewed, who may see it, must not learn from
/// it what the record holds (Stockport 10.9.7).
pub const DIVERGES: &str = "≠ differs from another answer in this case";

impl LoggingScreen {
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let [head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let q = &self.questionnaire.questionnaire;
        let one_pane = single_pane(area.width);
        let read_only = if self.save == SaveState::ReadOnly {
            "READ-ONLY · "
        } else {
            ""
        };
        let others = if self.others.is_empty() {
            String::new()
        } else {
            format!(" · {} other", self.others.len())
        };
        let header = if one_pane {
            format!(
                "{read_only}{} · {} · {}/{}{others} · ⚑ {}",
                inert(&self.case.reference, false),
                self.open.sitting.respondent,
                self.answered_here(),
                q.question_count(),
                self.folded.flagged(),
            )
        } else {
            format!(
                "{read_only}{} · {} · {}/{} answered{others} · ⚑ {} · {}",
                inert(&self.case.reference, false),
                self.open.sitting.respondent,
                self.answered_here(),
                q.question_count(),
                self.folded.flagged(),
                inert(&q.header.title, false),
            )
        };
        let header = fit_words(&header, usize::from(head.width));
        frame.render_widget(Paragraph::new(Line::styled(header, theme.title())), head);
        let typing = matches!(
            self.mode,
            Mode::Answer(_) | Mode::Note(_) | Mode::ConfirmDate { .. }
        );
        if one_pane {
            if self.pane == Pane::List && !typing {
                self.render_list(frame, body, theme, false);
            } else {
                self.render_detail(frame, body, theme, true, keymap);
            }
        } else {
            let [list, detail] =
                Layout::horizontal([Constraint::Percentage(42), Constraint::Min(0)]).areas(body);
            self.render_list(frame, list, theme, true);
            self.render_detail(frame, detail, theme, false, keymap);
        }
        match &self.mode {
            Mode::Jump { input, selected } => {
                self.render_jump(frame, area, theme, input, *selected)
            }
            Mode::Flagged { selected } => self.render_flagged(frame, area, theme, *selected),
            Mode::Observation { area: a, begun } => {
                let pop = crate::tui::view::centered(area, 70, 8);
                frame.render_widget(Clear, pop);
                let label = format!("Observation, begun {}", begun.at.format("%H:%M:%S"));
                field::draw(frame, pop, a, &label, true);
            }
            Mode::ConfirmClear { question } => {
                self.render_confirm_clear(frame, area, theme, question)
            }
            Mode::History { scroll } => self.render_history(frame, area, theme, *scroll),
            Mode::Observations { scroll } => self.render_observations(frame, area, theme, *scroll),
            _ => {}
        }
    }

    fn render_list(&self, frame: &mut Frame, area: Rect, theme: &Theme, border: bool) {
        let sections = &self.questionnaire.questionnaire.sections;
        let mut lines = Vec::new();
        let mut cursor_line = 0usize;
        let mut last_section = None;
        let width = usize::from(area.width.saturating_sub(5 + u16::from(border)));
        let cut = |text: String| {
            if text.chars().count() > width {
                text.chars()
                    .take(width.saturating_sub(1))
                    .collect::<String>()
                    + "…"
            } else {
                text
            }
        };
        for (row, &(s, qi)) in self.rows.iter().enumerate() {
            let Some(section) = sections.get(s) else {
                continue;
            };
            let Some(question) = section.questions.get(qi) else {
                continue;
            };
            if last_section != Some(s) {
                lines.push(Line::styled(
                    format!("§ {}", inert(&section.title, false)),
                    theme.title(),
                ));
                last_section = Some(s);
            }
            let m = marks(
                question,
                self.folded.get(&question.id),
                self.diverges.contains(&question.id),
            );
            let here = row == self.cursor;
            if here {
                cursor_line = lines.len();
            }
            let text = format!(
                "{}{} {}",
                if here { "›" } else { " " },
                m,
                cut(inert(&question.prompt, false))
            );
            lines.push(Line::styled(
                text,
                if here { theme.selected() } else { theme.base() },
            ));
        }
        if !self.others.is_empty() {
            lines.push(Line::styled("§ Other recorded answers", theme.title()));
        }
        for (n, id) in self.others.iter().enumerate() {
            let row = self.rows.len() + n;
            let here = row == self.cursor;
            if here {
                cursor_line = lines.len();
            }
            let text = format!(
                "{}{}  {}",
                if here { "›" } else { " " },
                state_marks(self.folded.get(id)),
                cut(inert(id, false))
            );
            lines.push(Line::styled(
                text,
                if here { theme.selected() } else { theme.base() },
            ));
        }
        let height = usize::from(area.height.saturating_sub(1)).max(1);
        let scroll = cursor_line.saturating_sub(height / 2);
        let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
        let block = if border {
            Block::default().borders(Borders::RIGHT)
        } else {
            Block::default()
        };
        frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
    }

    /// The lines at the foot of the detail pane: NOT SAVED (in full) and the message,
    /// wrapped to `width`.
    fn notice_lines(&self, width: usize, theme: &Theme) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        // The warning before leaving says it all; otherwise NOT SAVED in full.
        let warned = self.quit_warned && self.message.is_some();
        if let SaveState::NotSaved(why) = &self.save
            && !warned
        {
            let text = format!(
                "✗ NOT SAVED — kept in memory, saving is retried every second: {}",
                inert(why, false).trim_start_matches("NOT saved: ")
            );
            for part in wrap_words(&text, width) {
                lines.push(Line::styled(part, theme.alarm()));
            }
        }
        if let Some(m) = &self.message {
            for part in wrap_words(&format!("⚠ {}", inert(m, false)), width) {
                lines.push(Line::styled(part, theme.warn()));
            }
        }
        lines
    }

    fn render_detail(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        one_pane: bool,
        keymap: &Keymap,
    ) {
        let editor_height = match &self.mode {
            Mode::Answer(_) | Mode::ConfirmDate { .. } => 3,
            Mode::Note(_) => 7,
            _ => 0,
        };
        let mut notices = self.notice_lines(usize::from(area.width), theme);
        // The notices get at most half the pane and the question keeps the rest, unless
        // leaving is being refused: then that comes first.
        let free = area.height.saturating_sub(editor_height);
        let room = if self.quit_warned && self.message.is_some() {
            free.saturating_sub(2)
        } else {
            free / 2
        };
        let room = usize::from(room).max(1);
        if notices.len() > room {
            notices.truncate(room);
            if let Some(last) = notices.last_mut() {
                last.spans.push(Span::raw("…"));
            }
        }
        let notice_height = u16::try_from(notices.len()).unwrap_or(u16::MAX);
        let [text_area, editor, message] = Layout::vertical([
            Constraint::Min(0),
            Constraint::Length(editor_height),
            Constraint::Length(notice_height),
        ])
        .areas(area);
        let mut lines = Vec::new();
        if one_pane {
            lines.push(Line::styled(self.position(), theme.dim()));
        }
        let history_key = keymap.key_for(Context::Logging, Action::History);
        match self.current() {
            Some(q) => self.question_lines(q, theme, &mut lines),
            None => match self.other_at(self.cursor) {
                Some(id) => self.other_lines(id, theme, &mut lines),
                None => lines.push(Line::from("This questionnaire has no questions.")),
            },
        }
        let state = match self.current() {
            Some(q) => self.folded.get(&q.id),
            None => self
                .other_at(self.cursor)
                .and_then(|id| self.folded.get(id)),
        };
        history_line(state, history_key.as_deref(), theme, &mut lines);
        self.render_scrolled(frame, text_area, lines, theme, keymap);
        if let Some(q) = self.current() {
            match &self.mode {
                Mode::Answer(a) | Mode::ConfirmDate { area: a, .. } => field::draw(
                    frame,
                    editor,
                    a,
                    &format!("Type the answer: {}", kind(&q.answer)),
                    true,
                ),
                Mode::Note(a) => field::draw(frame, editor, a, "Note (multi-line)", true),
                _ => {}
            }
        }
        frame.render_widget(Paragraph::new(notices), message);
    }

    /// The question's lines, scrolled; when they do not fit, the first or last row says there
    /// is more, and with which key (from the keymap) to see it.
    fn render_scrolled(
        &self,
        frame: &mut Frame,
        area: Rect,
        lines: Vec<Line<'static>>,
        theme: &Theme,
        keymap: &Keymap,
    ) {
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
        let total = u16::try_from(paragraph.line_count(area.width)).unwrap_or(u16::MAX);
        let overflow = total.saturating_sub(area.height);
        self.scroll_max.set(overflow);
        let scroll = self.scroll.min(overflow);
        frame.render_widget(paragraph.scroll((scroll, 0)), area);
        if overflow == 0 || area.height < 2 {
            return;
        }
        let key = |action| keymap.key_for(Context::Logging, action).unwrap_or_default();
        let hint = |mark: &str, action, words: &str| {
            Line::styled(format!("{mark} {words} ({})", key(action)), theme.dim())
        };
        let row = |y| Rect {
            y,
            height: 1,
            ..area
        };
        if scroll > 0 {
            frame.render_widget(Clear, row(area.y));
            frame.render_widget(
                Paragraph::new(hint("▲", Action::ScrollUp, "more above")),
                row(area.y),
            );
        }
        if scroll < overflow {
            let y = area.y + area.height - 1;
            frame.render_widget(Clear, row(y));
            frame.render_widget(
                Paragraph::new(hint("▼", Action::ScrollDown, "more below")),
                row(y),
            );
        }
    }

    /// Where the cursor is, for a pane without the list beside it.
    fn position(&self) -> String {
        let sections = &self.questionnaire.questionnaire.sections;
        match self.rows.get(self.cursor) {
            Some(&(s, _)) => format!(
                "{} of {} · § {}",
                self.cursor + 1,
                self.rows.len(),
                sections
                    .get(s)
                    .map_or(String::new(), |sec| inert(&sec.title, false))
            ),
            None => "§ Other recorded answers".to_string(),
        }
    }

    fn question_lines(&self, q: &Question, theme: &Theme, lines: &mut Vec<Line<'static>>) {
        let state = self.folded.get(&q.id);
        lines.push(Line::from(Span::styled(
            format!(
                "{} · {}{}",
                inert(&q.id, false),
                kind(&q.answer),
                if q.cross_check.is_some() {
                    " · ◆ cross-checked"
                } else {
                    ""
                }
            ),
            theme.dim(),
        )));
        lines.push(Line::styled(inert(&q.prompt, false), theme.title()));
        lines.push(answer_line(state, Some(&q.answer), theme));
        if self.diverges.contains(&q.id) {
            lines.push(Line::styled(DIVERGES, theme.warn()));
        }
        let options = q.answer.options();
        if !options.is_empty() {
            let chosen = |o: &str| match state.and_then(|s| s.answer.as_ref()) {
                Some(AnswerValue::Choice { option }) => option == o,
                Some(AnswerValue::Scale { step }) => step == o,
                Some(AnswerValue::MultiChoice { options }) => options.iter().any(|c| c == o),
                _ => false,
            };
            for (i, o) in options.iter().enumerate().take(10) {
                let digit = if i == 9 {
                    "0".to_string()
                } else {
                    (i + 1).to_string()
                };
                let mark = if chosen(o) { "[x]" } else { "[ ]" };
                lines.push(Line::from(format!("  {digit} {mark} {}", inert(o, false))));
            }
        }
        if let Some(v) = state.and_then(|s| s.answer.as_ref()) {
            let applying = q.acts.iter().filter(|a| act_applies(a, v));
            if self.holds_acts() {
                // The person across the table must not read them (Stockport 10.9.7: do not
                // alert the alleged perpetrator): only that there is one, for after.
                if applying.count() > 0 {
                    lines.push(Line::styled(HELD_ACT, theme.act()));
                }
            } else {
                for act in applying {
                    lines.push(Line::styled(
                        format!("▶ ACT: {}", inert(&act.text, false)),
                        theme.act(),
                    ));
                }
            }
        }
        note_lines(state, theme, lines);
        if let Some(g) = &q.guidance {
            lines.push(Line::styled("Guidance:", theme.dim()));
            lines.push(Line::from(inert(g, false)));
        }
        lines.push(Line::styled(
            format!("Source: {}", inert(&q.source, false)),
            theme.dim(),
        ));
    }

    /// An answer recorded for a question this questionnaire no longer has: all of it,
    /// read-only.
    fn other_lines(&self, id: &str, theme: &Theme, lines: &mut Vec<Line<'static>>) {
        let state = self.folded.get(id);
        lines.push(Line::styled(
            format!("{} · not in this questionnaire", inert(id, false)),
            theme.dim(),
        ));
        lines.push(Line::styled(
            format!(
                "Recorded with {} version {}; the questionnaire loaded now ({}) has no such question. Shown read-only.",
                inert(&self.open.sitting.questionnaire.id, false),
                inert(&self.open.sitting.questionnaire.version, false),
                inert(&self.questionnaire.questionnaire.header.version, false),
            ),
            theme.title(),
        ));
        lines.push(answer_line(state, None, theme));
        note_lines(state, theme, lines);
    }

    fn render_jump(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        input: &ratatui_textarea::TextArea<'_>,
        selected: usize,
    ) {
        let pop = crate::tui::view::centered(area, 72, 14);
        frame.render_widget(Clear, pop);
        let [field_area, list] =
            Layout::vertical([Constraint::Length(3), Constraint::Min(0)]).areas(pop);
        field::draw(
            frame,
            field_area,
            input,
            "Jump to: part of a prompt or id",
            true,
        );
        let matches = self.jump_matches();
        let selected = selected.min(matches.len().saturating_sub(1));
        let lines: Vec<Line> = matches
            .iter()
            .take(usize::from(list.height.saturating_sub(1)))
            .enumerate()
            .filter_map(|(i, &row)| {
                let text = match self.question_at(row) {
                    Some(q) => format!("{} {}", inert(&q.id, false), inert(&q.prompt, false)),
                    None => format!(
                        "{} (other recorded answer)",
                        inert(self.other_at(row)?, false)
                    ),
                };
                let style = if i == selected {
                    theme.selected()
                } else {
                    theme.base()
                };
                Some(Line::styled(text, style))
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" {} match(es) ", matches.len())),
            ),
            list,
        );
    }

    fn render_flagged(&self, frame: &mut Frame, area: Rect, theme: &Theme, selected: usize) {
        let pop = crate::tui::view::centered(area, 72, 14);
        frame.render_widget(Clear, pop);
        let rows = self.flagged_rows();
        let mut lines: Vec<Line> = Vec::new();
        if rows.is_empty() {
            lines.push(Line::from("No question is flagged for follow-up."));
        }
        for (i, &row) in rows.iter().enumerate() {
            let text = match (self.question_at(row), self.other_at(row)) {
                (Some(q), _) => inert(&q.prompt, false),
                (None, Some(id)) => format!("{} (other recorded answer)", inert(id, false)),
                (None, None) => continue,
            };
            let style = if i == selected {
                theme.selected()
            } else {
                theme.base()
            };
            lines.push(Line::styled(format!("⚑ {text}"), style));
        }
        frame.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(" Flagged for follow-up "),
            ),
            pop,
        );
    }
}

fn kind(spec: &AnswerSpec) -> String {
    match spec {
        AnswerSpec::YesNo => "yes/no".into(),
        AnswerSpec::Choice { .. } => "one choice".into(),
        AnswerSpec::MultiChoice { .. } => "several choices".into(),
        AnswerSpec::Scale { .. } => "scale".into(),
        AnswerSpec::Number {
            unit,
            min,
            max,
            integer,
        } => {
            let mut s = if *integer {
                "whole number".to_string()
            } else {
                "number".to_string()
            };
            if let Some(u) = unit {
                s.push_str(&format!(" ({})", inert(u, false)));
            }
            match (min, max) {
                (Some(a), Some(b)) => s.push_str(&format!(" {a}–{b}")),
                (Some(a), None) => s.push_str(&format!(" ≥ {a}")),
                (None, Some(b)) => s.push_str(&format!(" ≤ {b}")),
                (None, None) => {}
            }
            s
        }
        AnswerSpec::Text => "text".into(),
        AnswerSpec::Date => "date (2019, March 2019, 14/03/2019 or 2019-03-14)".into(),
    }
}

/// "Answer: …", with the flag.
fn answer_line(
    state: Option<&QuestionState>,
    spec: Option<&AnswerSpec>,
    theme: &Theme,
) -> Line<'static> {
    let answer = match state.and_then(|s| s.answer.as_ref()) {
        Some(v) => format!(
            "{} {}",
            if v.is_uncertain() { "?" } else { "✓" },
            answer_text(v, spec, false)
        ),
        None => "· not asked".to_string(),
    };
    Line::from(vec![
        Span::styled("Answer: ", theme.title()),
        Span::styled(answer, theme.ok()),
        Span::raw(if state.is_some_and(|s| s.flagged) {
            "   ⚑ follow up"
        } else {
            ""
        }),
    ])
}

fn note_lines(state: Option<&QuestionState>, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    if let Some(note) = state.and_then(|s| s.note.as_ref()) {
        lines.push(Line::styled("Note:", theme.title()));
        for l in inert(note, true).lines() {
            lines.push(Line::from(format!("  {l}")));
        }
    }
}

/// "History: 3 changes (h shows them)", the key from the keymap.
fn history_line(
    state: Option<&QuestionState>,
    key: Option<&str>,
    theme: &Theme,
    lines: &mut Vec<Line<'static>>,
) {
    let changes = state.map_or(0, |s| s.history.len());
    if changes > 0 {
        let plural = if changes == 1 { "change" } else { "changes" };
        let shows = key.map_or(String::new(), |k| format!(" ({k} shows them)"));
        lines.push(Line::styled(
            format!("History: {changes} {plural}{shows}"),
            theme.dim(),
        ));
    }
}
