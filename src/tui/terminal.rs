//! The terminal: alternate screen, raw mode and bracketed paste on the way in; restored on
//! the way out, on error and on panic. The panic hook prints no payload (it could hold
//! answer text), only where it happened.

use std::io::{self, Stdout};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

use super::app::App;
use super::input::{Msg, accept};
use super::view;

/// How often the loop wakes with no input (to retry a failed save and check the idle lock).
const TICK: Duration = Duration::from_secs(1);

fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), DisableBracketedPaste, LeaveAlternateScreen);
    let _ = execute!(io::stdout(), ratatui::crossterm::cursor::Show);
}

/// Restores the terminal before anything is printed about a panic, and prints no payload.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        restore();
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "unknown place".into());
        eprintln!(
            "companion stopped on an internal error at {place}. Everything shown as saved is on disk; please report this (the message holds no answers)."
        );
    }));
}

/// Restores the terminal when dropped, whatever way the loop ends.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

fn setup() -> io::Result<(Guard, Terminal<CrosstermBackend<Stdout>>)> {
    enable_raw_mode()?;
    let guard = Guard;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    Ok((guard, terminal))
}

/// Runs the event loop until quit. `idle` is the time without a key before the lock.
pub fn run_loop(app: &mut App, idle: Duration) -> io::Result<()> {
    install_panic_hook();
    let (_guard, mut terminal) = setup()?;
    terminal.clear()?;
    let mut last_key = Instant::now();
    while !app.quit {
        terminal.draw(|frame| view::render(app, frame))?;
        if event::poll(TICK)? {
            if let Some(msg) = accept(event::read()?) {
                if matches!(msg, Msg::Key(_) | Msg::Paste(_)) {
                    last_key = Instant::now();
                }
                app.update(msg);
            }
        } else {
            app.update(Msg::Tick);
        }
        if last_key.elapsed() >= idle && !app.is_locked() {
            app.lock();
        }
    }
    Ok(())
}
