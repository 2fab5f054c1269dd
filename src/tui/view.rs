//! Rendering: a pure function of the state. The footer and help come from the keymap.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::{App, Screen};
use super::screens::logging::SaveState;
use super::text::inert;

/// Below this the screen shows only a short note (and no case data).
const MIN_WIDTH: u16 = 20;
const MIN_HEIGHT: u16 = 6;

/// A rectangle of at most `width`×`height`, centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Warning lines under a list: files that could not be read, then the screen's message.
pub fn notice_lines(
    problems: &[String],
    message: Option<&String>,
    theme: &super::theme::Theme,
) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = problems
        .iter()
        .map(|p| Line::styled(format!("⚠ unreadable: {}", inert(p, false)), theme.warn()))
        .collect();
    if let Some(m) = message {
        lines.push(Line::styled(format!("⚠ {}", inert(m, false)), theme.warn()));
    }
    lines
}

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if app.privacy {
        // Neutral: nothing of the case, nothing that says what this program is for.
        let msg = Paragraph::new("Paused. Press any key.").style(app.theme.dim());
        frame.render_widget(msg, centered(area, 24, 1));
        return;
    }
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        frame.render_widget(
            Paragraph::new("Window too small").wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let [main, footer] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    let theme = &app.theme;
    match &app.screen {
        Screen::Setup(s) => s.render(frame, main, theme),
        Screen::Unlock(s) => s.render(frame, main, theme),
        Screen::Cases(s) => s.render(frame, main, theme),
        Screen::Case(s) => s.render(frame, main, theme, &app.ctx.catalog),
        Screen::Logging(s) => s.render(frame, main, theme),
    }
    if app.help {
        render_help(app, frame, main);
    }
    render_footer(app, frame, footer);
}

fn render_footer(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let mut spans = Vec::new();
    if let Screen::Logging(s) = &app.screen {
        match &s.save {
            SaveState::Saved(t) => spans.push(Span::styled(format!("✓ saved {t} "), theme.ok())),
            SaveState::NotSaved(why) => spans.push(Span::styled(
                format!(
                    "✗ NOT SAVED: {} (kept in memory, retrying) ",
                    inert(why, false).trim_start_matches("NOT saved: ")
                ),
                theme.alarm(),
            )),
            SaveState::Opened => {}
        }
    }
    for (key, word) in app.keymap.footer(app.context()) {
        spans.push(Span::styled(format!(" {key}"), theme.key()));
        spans.push(Span::raw(format!(" {word}")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_help(app: &App, frame: &mut Frame, area: Rect) {
    let context = app.context();
    let below = if app.help {
        // The screen beneath, not the help itself.
        let mut probe = context;
        if probe == super::action::Context::Help {
            probe = match &app.screen {
                Screen::Setup(_) => super::action::Context::Setup,
                Screen::Unlock(_) => super::action::Context::Unlock,
                Screen::Cases(s) => s.context(),
                Screen::Case(s) => s.context(),
                Screen::Logging(s) => s.context(),
            };
        }
        probe
    } else {
        context
    };
    let rows = app.keymap.help_rows(below);
    let key_width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let lines: Vec<Line> = rows
        .iter()
        .map(|(k, d)| {
            Line::from(vec![
                Span::styled(format!("{k:<key_width$}  "), app.theme.key()),
                Span::raw(d.clone()),
            ])
        })
        .collect();
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let pop = centered(area, 76, height);
    frame.render_widget(Clear, pop);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" Keys: {} ", below.name())),
        ),
        pop,
    );
}
