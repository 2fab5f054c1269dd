//! Rendering: a pure function of the state. The footer and help come from the keymap.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::action::{Action, Context};
use super::app::{App, Screen};
use super::screens::logging::SaveState;
use super::screens::logging_view;
use super::text::inert;

/// Below this the screen shows only a short note (and no case data).
const MIN_WIDTH: u16 = 20;
const MIN_HEIGHT: u16 = 6;
/// The help overlay's widest.
const HELP_WIDTH: u16 = 76;

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

/// Draws `notices` (from [`notice_lines`]) wrapped at the bottom of `area`, taking at most
/// half of it, and returns the rest: a problem names a whole path and must be read whole.
pub fn draw_notices(frame: &mut Frame, area: Rect, notices: Vec<Line<'static>>) -> Rect {
    if notices.is_empty() {
        return area;
    }
    let width = usize::from(area.width.max(1));
    let rows: usize = notices
        .iter()
        .map(|l| wrap_words(&l.to_string(), width).len())
        .sum();
    let rows = u16::try_from(rows).unwrap_or(u16::MAX).min(area.height / 2);
    let [rest, notes] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(rows)]).areas(area);
    frame.render_widget(Paragraph::new(notices).wrap(Wrap { trim: true }), notes);
    rest
}

/// The width of a text in terminal columns.
pub fn width_of(text: &str) -> usize {
    Span::raw(text).width()
}

/// `text` cut to at most `max` columns at a word boundary, with `…` if anything was cut;
/// empty if not even the first word fits.
pub fn fit_words(text: &str, max: usize) -> String {
    if width_of(text) <= max {
        return text.to_string();
    }
    let mut best = None;
    for (i, c) in text.char_indices() {
        if c != ' ' {
            continue;
        }
        if width_of(&text[..i]) + 1 > max {
            break;
        }
        let head = text[..i].trim_end_matches([',', ';', ':', '.', ' ', '·']);
        if !head.trim().is_empty() {
            best = Some(head);
        }
    }
    best.map(|head| format!("{head}…")).unwrap_or_default()
}

/// Splits `text` into lines of at most `width` columns at spaces (a word longer than the
/// line is cut).
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word = word;
        loop {
            let sep = usize::from(!line.is_empty());
            if width_of(&line) + sep + width_of(word) <= width {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                break;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            // A word longer than a line: cut it (at least one character per line).
            let mut cut = 0;
            let mut used = 0;
            for (i, c) in word.char_indices() {
                let w = width_of(c.encode_utf8(&mut [0; 4]));
                if used + w > width && cut > 0 {
                    break;
                }
                used += w;
                cut = i + c.len_utf8();
            }
            lines.push(word[..cut].to_string());
            word = &word[cut..];
            if word.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
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
        Screen::Cases(s) => s.render(frame, main, theme, &app.ctx.notices),
        Screen::Case(s) => s.render(frame, main, theme, &app.ctx.catalog),
        Screen::Logging(s) => s.render(frame, main, theme, &app.keymap),
        Screen::Review(s) => s.render(frame, main, theme),
    }
    if app.help {
        render_help(app, frame, main);
    }
    render_footer(app, frame, footer);
}

/// The save status for the footer: what it says, and how loudly.
fn save_status(app: &App) -> Option<(String, Style)> {
    let Screen::Logging(s) = &app.screen else {
        return None;
    };
    let theme = &app.theme;
    match &s.save {
        SaveState::Saved(t) => Some((format!("✓ saved {t}"), theme.ok())),
        SaveState::NotSaved(why) => Some((
            format!(
                "✗ NOT SAVED: {}",
                inert(why, false).trim_start_matches("NOT saved: ")
            ),
            theme.alarm(),
        )),
        SaveState::ReadOnly => Some((
            "✗ READ-ONLY: nothing is recorded here".to_string(),
            theme.alarm(),
        )),
        SaveState::Opened => None,
    }
}

/// A short word about the last key, for the footer (why it did nothing, what it undid).
fn flash(app: &App) -> Option<&str> {
    match &app.screen {
        Screen::Logging(s) if !app.help => s.flash.as_deref(),
        _ => None,
    }
}

/// The footer: the save status first, then a word about the last key if there is one, then
/// the keys that matter now in the keymap's order, as many whole hints as fit; the help key
/// always.
fn render_footer(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let width = usize::from(area.width);
    let context = app.context();
    let one_pane = match &app.screen {
        Screen::Logging(_) => logging_view::single_pane(area.width),
        _ => false,
    };
    // Scrolling keys only where something scrolls.
    let help_scrolls = context != Context::Help || help_scroll_limits(app).0 > 0;
    let items: Vec<_> = app
        .keymap
        .footer_items(context)
        .into_iter()
        .filter(|i| i.action != Action::TogglePane || one_pane)
        .filter(|i| help_scrolls || !matches!(i.action, Action::PageDown | Action::PageUp))
        .collect();
    let text = |i: &super::keymap::FooterItem| format!(" {} {}", i.key, i.word);
    // The one hint never dropped: help, or in the help itself the key that closes it.
    let must = if context == Context::Help {
        Action::Cancel
    } else {
        Action::Help
    };
    let must_width: usize = items
        .iter()
        .filter(|i| i.action == must)
        .map(|i| width_of(&text(i)))
        .next()
        .unwrap_or(0);
    let mut spans = Vec::new();
    let mut used = 0;
    // A word about the last key takes the place of "✓ saved" (never of NOT SAVED or
    // READ-ONLY), so a narrow window still has room for it.
    let status =
        save_status(app).filter(|(text, _)| flash(app).is_none() || !text.starts_with('✓'));
    if let Some((status, style)) = status {
        let shown = fit_words(&status, width.saturating_sub(must_width + 1));
        let shown = if shown.is_empty() {
            fit_words(&status, width)
        } else {
            shown
        };
        used += width_of(&shown) + 1;
        spans.push(Span::styled(shown, style));
        spans.push(Span::raw(" "));
    }
    if let Some(word) = flash(app) {
        // The word about the last key takes the place of the hints; the help key stays.
        let shown = fit_words(
            &format!("▸ {}", inert(word, false)),
            width.saturating_sub(used + must_width + 1),
        );
        if !shown.is_empty() {
            spans.push(Span::styled(shown, theme.warn()));
            spans.push(Span::raw(" "));
            for i in items.iter().filter(|i| i.action == must) {
                spans.push(Span::styled(format!(" {}", i.key), theme.key()));
                spans.push(Span::raw(format!(" {}", i.word)));
            }
            frame.render_widget(Paragraph::new(Line::from(spans)), area);
            return;
        }
    }
    let mut budget = width.saturating_sub(used + must_width);
    let mut keep = vec![false; items.len()];
    for (n, i) in items.iter().enumerate() {
        if i.action == must {
            keep[n] = true;
            continue;
        }
        let w = width_of(&text(i));
        if w <= budget {
            keep[n] = true;
            budget -= w;
        }
    }
    for (i, _) in items.iter().zip(&keep).filter(|(_, k)| **k) {
        spans.push(Span::styled(format!(" {}", i.key), theme.key()));
        spans.push(Span::raw(format!(" {}", i.word)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The help overlay's box and its lines (already wrapped to the box) for `main`.
fn help_layout(app: &App, main: Rect) -> (Rect, Vec<Line<'static>>, Context) {
    let below = app.screen_context();
    let rows = app.keymap.help_rows(below);
    let inner = usize::from(HELP_WIDTH.min(main.width).saturating_sub(2)).max(1);
    let key_width = rows
        .iter()
        .map(|(k, _)| width_of(k))
        .max()
        .unwrap_or(0)
        .min(inner / 3);
    let desc_width = inner.saturating_sub(key_width + 2);
    let mut lines: Vec<Line<'static>> = Vec::new();
    for (k, d) in &rows {
        if desc_width < 12 || width_of(k) > key_width {
            // Too narrow for two columns: the keys on their own line, the words below.
            lines.push(Line::styled(k.clone(), app.theme.key()));
            for part in wrap_words(d, inner.saturating_sub(2)) {
                lines.push(Line::raw(format!("  {part}")));
            }
            continue;
        }
        for (n, part) in wrap_words(d, desc_width).into_iter().enumerate() {
            let keys = if n == 0 { k.as_str() } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{keys:<key_width$}  "), app.theme.key()),
                Span::raw(part),
            ]));
        }
    }
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    (centered(main, HELP_WIDTH, height), lines, below)
}

/// The furthest the help can scroll, and a page, at the size the loop last saw.
pub fn help_scroll_limits(app: &App) -> (u16, u16) {
    let (w, h) = app.size;
    let main = Rect::new(0, 0, w, h.saturating_sub(1));
    let (pop, lines, _) = help_layout(app, main);
    let visible = pop.height.saturating_sub(2);
    let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    (
        total.saturating_sub(visible),
        visible.saturating_sub(1).max(1),
    )
}

fn render_help(app: &App, frame: &mut Frame, area: Rect) {
    let (pop, lines, below) = help_layout(app, area);
    let visible = usize::from(pop.height.saturating_sub(2));
    let total = lines.len();
    let max = total.saturating_sub(visible);
    let scroll = usize::from(app.help_scroll).min(max);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" Keys: {} ", below.title()));
    if max > 0 {
        // Where in the list: never colour alone, and no key named here (the footer does).
        let last = (scroll + visible).min(total);
        let more = match (scroll > 0, scroll < max) {
            (true, true) => "▲▼",
            (false, true) => "▼",
            _ => "▲",
        };
        block = block.title_bottom(
            Line::from(format!(" {more} {}–{last} of {total} ", scroll + 1)).right_aligned(),
        );
    }
    frame.render_widget(Clear, pop);
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(visible).collect();
    frame.render_widget(Paragraph::new(shown).block(block), pop);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_words_never_cuts_a_word() {
        assert_eq!(fit_words("short", 10), "short");
        assert_eq!(
            fit_words("disk full while replacing", 16),
            "disk full while…"
        );
        assert_eq!(fit_words("disk full, while", 11), "disk full…");
        assert_eq!(fit_words("unbreakable", 5), "");
    }

    #[test]
    fn wrap_words_fills_lines_and_cuts_only_long_words() {
        assert_eq!(wrap_words("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(wrap_words("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrap_words("", 5), [""]);
        for line in wrap_words("Choose option / scale step (0 = 10th); start typing", 12) {
            assert!(width_of(&line) <= 12, "{line}");
        }
    }
}
