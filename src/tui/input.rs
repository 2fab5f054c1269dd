//! Terminal events become messages here, and only here: key presses are kept, releases and
//! repeats dropped, pastes stay text and never become keys.
//!
//! Only presses count. On Windows (the classic console host and Windows Terminal alike)
//! crossterm reads console input records, which report every key twice: once going down
//! (`Press`) and once coming up (`Release`); a key held down arrives as more presses. On
//! other terminals crossterm reports presses only, unless the kitty keyboard protocol is
//! asked for (it is not), which adds `Repeat` and `Release`. Acting on anything but
//! `Press` would answer every question twice on Windows.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

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

/// A Unix terminal sends Alt+key as ESC then the key, and crossterm reads an ESC with a key
/// right behind it as one Alt+key event. Keys typed while the program is busy (opening or
/// leaving a sitting) wait and come in one read, so Esc typed ahead of a key comes out as
/// Alt+key, and both keys were lost. This is the Esc and the key it was read with, for the
/// caller to use when nothing claims the Alt key itself. On Windows keys come as separate
/// console records and Alt (or AltGr, reported as Ctrl+Alt) is really held: `None` there.
pub fn escape_then_key(key: &KeyEvent) -> Option<[KeyEvent; 2]> {
    if !cfg!(unix) || !key.modifiers.contains(KeyModifiers::ALT) {
        return None;
    }
    let mut bare = *key;
    bare.modifiers.remove(KeyModifiers::ALT);
    Some([KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE), bare])
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventState;

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

    #[test]
    fn an_alt_key_is_the_escape_it_was_read_with_then_the_key_on_unix_only() {
        let alt_ctrl_q = KeyEvent::new(
            KeyCode::Char('q'),
            KeyModifiers::ALT | KeyModifiers::CONTROL,
        );
        // On Windows Alt (or AltGr, reported as Ctrl+Alt) is really held: nothing to split.
        let expected = cfg!(unix).then(|| {
            [
                KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
                KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL),
            ]
        });
        assert_eq!(escape_then_key(&alt_ctrl_q), expected);
        let plain = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE);
        assert_eq!(escape_then_key(&plain), None);
    }
}
