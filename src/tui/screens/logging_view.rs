//! Drawing the logging screen: question list with status marks beside the detail pane.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::field;
use super::logging::{LoggingScreen, Mode};
use crate::questionnaire::{AnswerSpec, Question};
use crate::session::{AnswerValue, QuestionState, act_applies};
use crate::tui::text::inert;
use crate::tui::theme::Theme;

/// The marks before a question: answered, flagged, cross-checkable. Never colour alone.
pub fn marks(question: &Question, state: Option<&QuestionState>) -> String {
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
    let cross = if question.cross_check.is_some() {
        '◆'
    } else {
        ' '
    };
    format!("{answered}{flag}{cross}")
}

impl LoggingScreen {
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let [head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let q = &self.questionnaire.questionnaire;
        let header = format!(
            "{} · {} · {}/{} answered · ⚑ {} · {}",
            inert(&self.case.reference, false),
            self.open.sitting.respondent,
            self.folded.answered(),
            q.question_count(),
            self.folded.flagged(),
            inert(&q.header.title, false),
        );
        frame.render_widget(Paragraph::new(Line::styled(header, theme.title())), head);
        let wide = body.width >= 60;
        let (list, detail) = if wide {
            let [l, d] =
                Layout::horizontal([Constraint::Percentage(42), Constraint::Min(0)]).areas(body);
            (l, d)
        } else {
            let [l, d] =
                Layout::vertical([Constraint::Percentage(40), Constraint::Min(0)]).areas(body);
            (l, d)
        };
        self.render_list(frame, list, theme);
        self.render_detail(frame, detail, theme);
        match &self.mode {
            Mode::Jump { input, selected } => {
                self.render_jump(frame, area, theme, input, *selected)
            }
            Mode::Flagged { selected } => self.render_flagged(frame, area, theme, *selected),
            Mode::Observation(a) => {
                let pop = crate::tui::view::centered(area, 70, 8);
                frame.render_widget(Clear, pop);
                field::draw(frame, pop, a, "Observation (timestamped when done)", true);
            }
            _ => {}
        }
    }

    fn render_list(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let sections = &self.questionnaire.questionnaire.sections;
        let mut lines = Vec::new();
        let mut cursor_line = 0usize;
        let mut last_section = None;
        let width = usize::from(area.width.saturating_sub(6));
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
            let mut prompt = inert(&question.prompt, false);
            if prompt.chars().count() > width {
                prompt = prompt
                    .chars()
                    .take(width.saturating_sub(1))
                    .collect::<String>()
                    + "…";
            }
            let m = marks(question, self.folded.get(&question.id));
            let here = row == self.cursor;
            if here {
                cursor_line = lines.len();
            }
            let text = format!("{}{} {}", if here { "›" } else { " " }, m, prompt);
            lines.push(Line::styled(
                text,
                if here { theme.selected() } else { theme.base() },
            ));
        }
        let height = usize::from(area.height.saturating_sub(1)).max(1);
        let scroll = cursor_line.saturating_sub(height / 2);
        let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
        let block = Block::default().borders(Borders::RIGHT);
        frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
    }

    fn render_detail(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let Some(q) = self.current() else {
            frame.render_widget(Paragraph::new("This questionnaire has no questions."), area);
            return;
        };
        let state = self.folded.get(&q.id);
        let editor_height = match &self.mode {
            Mode::Answer(_) => 3,
            Mode::Note(_) => 7,
            _ => 0,
        };
        let [text_area, editor, message] = Layout::vertical([
            Constraint::Min(0),
            Constraint::Length(editor_height),
            Constraint::Length(if self.message.is_some() { 2 } else { 0 }),
        ])
        .areas(area);
        let mut lines = vec![
            Line::from(Span::styled(
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
            )),
            Line::styled(inert(&q.prompt, false), theme.title()),
        ];
        let answer = match state.and_then(|s| s.answer.as_ref()) {
            Some(v) => format!(
                "{} {}",
                if v.is_uncertain() { "?" } else { "✓" },
                shown(v, &q.answer)
            ),
            None => "· not asked".to_string(),
        };
        lines.push(Line::from(vec![
            Span::styled("Answer: ", theme.title()),
            Span::styled(answer, theme.ok()),
            Span::raw(if state.is_some_and(|s| s.flagged) {
                "   ⚑ follow up"
            } else {
                ""
            }),
        ]));
        let options = q.answer.options();
        if !options.is_empty() {
            let chosen = |o: &str| match state.and_then(|s| s.answer.as_ref()) {
                Some(AnswerValue::Choice { option }) => option == o,
                Some(AnswerValue::Scale { step }) => step == o,
                Some(AnswerValue::MultiChoice { options }) => options.iter().any(|c| c == o),
                _ => false,
            };
            for (i, o) in options.iter().enumerate() {
                let digit = if i == 9 {
                    "0".to_string()
                } else {
                    (i + 1).to_string()
                };
                let mark = if chosen(o) { "[x]" } else { "[ ]" };
                if i < 10 {
                    lines.push(Line::from(format!("  {digit} {mark} {}", inert(o, false))));
                }
            }
        }
        if let Some(v) = state.and_then(|s| s.answer.as_ref()) {
            for act in q.acts.iter().filter(|a| act_applies(a, v)) {
                lines.push(Line::styled(
                    format!("▶ ACT: {}", inert(&act.text, false)),
                    theme.act(),
                ));
            }
        }
        if let Some(note) = state.and_then(|s| s.note.as_ref()) {
            lines.push(Line::styled("Note:", theme.title()));
            for l in inert(note, true).lines() {
                lines.push(Line::from(format!("  {l}")));
            }
        }
        if let Some(g) = &q.guidance {
            lines.push(Line::styled("Guidance:", theme.dim()));
            lines.push(Line::from(inert(g, false)));
        }
        lines.push(Line::styled(
            format!("Source: {}", inert(&q.source, false)),
            theme.dim(),
        ));
        if let Some(s) = state {
            let changes = s.history.len();
            if changes > 0 {
                lines.push(Line::styled(
                    format!("History: {changes} event(s)"),
                    theme.dim(),
                ));
            }
        }
        let block = Block::default().borders(Borders::NONE);
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            text_area,
        );
        match &self.mode {
            Mode::Answer(a) => field::draw(
                frame,
                editor,
                a,
                &format!("Type the answer: {}", kind(&q.answer)),
                true,
            ),
            Mode::Note(a) => field::draw(frame, editor, a, "Note (multi-line)", true),
            _ => {}
        }
        if let Some(m) = &self.message {
            let line = Line::styled(format!("⚠ {}", inert(m, false)), theme.warn());
            frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), message);
        }
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
                let (s, qi) = *self.rows.get(row)?;
                let q = self
                    .questionnaire
                    .questionnaire
                    .sections
                    .get(s)?
                    .questions
                    .get(qi)?;
                let style = if i == selected {
                    theme.selected()
                } else {
                    theme.base()
                };
                Some(Line::styled(
                    format!("{} {}", inert(&q.id, false), inert(&q.prompt, false)),
                    style,
                ))
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
            let Some(&(s, qi)) = self.rows.get(row) else {
                continue;
            };
            let Some(q) = self
                .questionnaire
                .questionnaire
                .sections
                .get(s)
                .and_then(|x| x.questions.get(qi))
            else {
                continue;
            };
            let style = if i == selected {
                theme.selected()
            } else {
                theme.base()
            };
            lines.push(Line::styled(
                format!("⚑ {}", inert(&q.prompt, false)),
                style,
            ));
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
        AnswerSpec::Date => "date YYYY-MM-DD".into(),
    }
}

fn shown(value: &AnswerValue, spec: &AnswerSpec) -> String {
    match (value, spec) {
        (AnswerValue::Number { number }, AnswerSpec::Number { unit: Some(u), .. }) => {
            format!("{number} {}", inert(u, false))
        }
        (v, _) => inert(&v.to_string(), false),
    }
}
