//! Text fields on top of `ratatui-textarea`: single-line fields, masked passphrases, and
//! the multi-line note and observation editors.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders};
use ratatui_textarea::{TextArea, WrapMode};
use zeroize::Zeroize;

use crate::store::SecretString;
use crate::store::memlock::RamSecret;

/// A one-line field.
pub fn line() -> TextArea<'static> {
    let mut area = TextArea::default();
    area.set_cursor_line_style(Style::default());
    area
}

/// A one-line field that shows `•` for every character.
pub fn masked() -> TextArea<'static> {
    let mut area = line();
    area.set_mask_char('•');
    area
}

/// A multi-line editor that wraps words, holding `text`.
pub fn multiline(text: &str) -> TextArea<'static> {
    let lines: Vec<String> = if text.is_empty() {
        vec![String::new()]
    } else {
        text.lines().map(str::to_string).collect()
    };
    let mut area = TextArea::new(lines);
    area.set_cursor_line_style(Style::default());
    area.set_wrap_mode(WrapMode::Word);
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

/// The text of a field.
pub fn text(area: &TextArea<'_>) -> String {
    area.lines().join("\n")
}

/// Deletes from the cursor to the start of its line, as readline's Ctrl+U does (the whole
/// field when the cursor is at the end of a one-line field).
pub fn clear_line(area: &mut TextArea<'_>) {
    area.delete_line_by_head();
}

/// Gives a key to a one-line field, never letting it make a new line.
pub fn feed_line(area: &mut TextArea<'_>, key: KeyEvent) {
    let newline = matches!(key.code, KeyCode::Enter)
        || (key.modifiers.contains(KeyModifiers::CONTROL)
            && matches!(key.code, KeyCode::Char('m' | 'j')));
    if !newline {
        area.input(key);
    }
}

/// Pastes into a one-line field (line breaks become spaces; control characters dropped).
pub fn paste_line(area: &mut TextArea<'_>, pasted: &str) {
    let clean: String = pasted
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect();
    area.insert_str(clean);
}

/// Pastes into a multi-line field (control characters other than line breaks dropped).
pub fn paste_multi(area: &mut TextArea<'_>, pasted: &str) {
    let clean: String = pasted
        .replace("\r\n", "\n")
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|c| *c == '\n' || !c.is_control())
        .collect();
    area.insert_str(clean);
}

/// Takes a passphrase out of a field into a secret kept out of swap, wiping the copy and
/// emptying the field. (The field's own buffers, which grow as keys come, cannot be locked.)
pub fn take_secret(area: &mut TextArea<'static>) -> RamSecret {
    let mut plain = text(area);
    let secret = RamSecret::new(SecretString::from(plain.clone()));
    plain.zeroize();
    *area = masked();
    secret
}

/// Draws a field in a box titled `label`, marked when focused.
pub fn draw(frame: &mut Frame, area: Rect, field: &TextArea<'_>, label: &str, focused: bool) {
    let title = if focused {
        format!("▸ {label}")
    } else {
        format!("  {label}")
    };
    let style = if focused {
        Style::default().add_modifier(Modifier::BOLD)
    } else {
        Style::default()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .border_style(style);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut shown = field.clone();
    if !focused {
        shown.set_cursor_style(Style::default());
    }
    frame.render_widget(&shown, inner);
}

/// A field's label in a compact row: up to the first ` (` (the hint goes).
pub fn short_label(label: &str) -> &str {
    label.split(" (").next().unwrap_or(label)
}

/// Draws a field on one row, `▸ Label  text`, for windows too short for boxes. The label
/// column is `label_width` wide.
pub fn draw_row(
    frame: &mut Frame,
    area: Rect,
    field: &TextArea<'_>,
    label: &str,
    label_width: u16,
    focused: bool,
) {
    let [label_area, text_area] = ratatui::layout::Layout::horizontal([
        ratatui::layout::Constraint::Length(label_width.min(area.width)),
        ratatui::layout::Constraint::Min(0),
    ])
    .areas(area);
    let marker = if focused { "▸" } else { " " };
    let style = if focused {
        Style::default().add_modifier(Modifier::BOLD)
    } else {
        Style::default()
    };
    frame.render_widget(
        ratatui::widgets::Paragraph::new(format!("{marker} {}", short_label(label))).style(style),
        label_area,
    );
    let mut shown = field.clone();
    shown.set_style(Style::default().add_modifier(Modifier::UNDERLINED));
    if !focused {
        shown.set_cursor_style(Style::default());
    }
    frame.render_widget(&shown, text_area);
}
