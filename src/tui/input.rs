//! Terminal events become messages here, and only here: key presses are kept, releases and
//! repeats dropped, pastes stay text and never become keys.
//!
//! Only presses count. On Windows (the classic console host and Windows Terminal alike)
//! crossterm reads console input records, which report every key twice: once going down
//! (`Press`) and once coming up (`Release`); a key held down arrives as more presses. On
//! other terminals crossterm reports presses only, unless the kitty keyboard protocol is
//! asked for (it is not), which adds `Repeat` and `Release`. Acting on anything but
//! `Press` would answer every question twice on Windows.

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
    fn typing_as_a_windows_console_reports_it_acts_once_per_key() {
        // "y", then Ctrl+Q, as the Windows console reports them: each key down and up,
        // and a held key's auto-repeat on a terminal that reports it as such.
        let ctrl_q = |kind| {
            Event::Key(KeyEvent {
                code: KeyCode::Char('q'),
                modifiers: KeyModifiers::CONTROL,
                kind,
                state: KeyEventState::NONE,
            })
        };
        let stream = [
            key(KeyEventKind::Press),
            key(KeyEventKind::Repeat),
            key(KeyEventKind::Release),
            ctrl_q(KeyEventKind::Press),
            ctrl_q(KeyEventKind::Release),
        ];
        let got: Vec<KeyCode> = stream
            .into_iter()
            .filter_map(accept)
            .map(|m| match m {
                Msg::Key(k) => k.code,
                other => panic!("not a key: {other:?}"),
            })
            .collect();
        assert_eq!(got, vec![KeyCode::Char('y'), KeyCode::Char('q')]);
    }

    #[test]
    fn paste_stays_text() {
        assert_eq!(
            accept(Event::Paste("y\n".into())),
            Some(Msg::Paste("y\n".into()))
        );
    }
}
