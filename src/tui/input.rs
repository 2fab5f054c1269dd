//! Terminal events become messages here, and only here: key presses are kept, releases and
//! repeats dropped (Windows reports releases too), pastes stay text and never become keys.

use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};

/// What the program reacts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Key(KeyEvent),
    /// A bracketed paste: text for the focused field, never commands.
    Paste(String),
    /// Time passed (retry a failed save).
    Tick,
    Resize,
}

/// The one place key events are filtered to presses.
pub fn accept(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => Some(Msg::Key(key)),
        Event::Key(_) => None,
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(..) => Some(Msg::Resize),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEventState, KeyModifiers};

    fn key(kind: KeyEventKind) -> Event {
        Event::Key(KeyEvent {
            code: KeyCode::Char('y'),
            modifiers: KeyModifiers::NONE,
            kind,
            state: KeyEventState::NONE,
        })
    }

    #[test]
    fn only_presses_pass() {
        assert!(matches!(
            accept(key(KeyEventKind::Press)),
            Some(Msg::Key(_))
        ));
        assert_eq!(accept(key(KeyEventKind::Release)), None);
        assert_eq!(accept(key(KeyEventKind::Repeat)), None);
    }

    #[test]
    fn paste_stays_text() {
        assert_eq!(
            accept(Event::Paste("y\n".into())),
            Some(Msg::Paste("y\n".into()))
        );
    }
}
