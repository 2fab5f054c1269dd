//! The terminal: alternate screen, raw mode and bracketed paste on the way in; restored on
//! the way out, on error and on panic. The panic hook prints no payload (it could hold
//! answer text), only where it happened.

use std::io::{self, Stdout, Write};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

use super::app::{App, Screen};
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
        // Not eprintln!: with stderr closed it would panic inside the hook and abort.
        let _ = writeln!(
            io::stderr(),
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
    execute!(io::stdout(), EnterAlternateScreen)?;
    without_paste_where_unsupported(execute!(io::stdout(), EnableBracketedPaste))?;
    let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    Ok((guard, terminal))
}

/// A console that takes no escape sequences (Windows before 10, or conhost with "Use
/// legacy console" ticked) cannot mark pastes, and crossterm says so with `Unsupported`.
/// The screens must still start there: without bracketed paste, as on every Windows
/// console anyway (crossterm reads Windows input as key records, never as a paste).
fn without_paste_where_unsupported(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::Unsupported => Ok(()),
        other => other,
    }
}

/// The idle lock's clock: when the last key came, and how long without one locks. Time is
/// passed in (`now`), so a test can step past the limit without waiting.
#[derive(Debug, Clone, Copy)]
pub struct IdleLock {
    limit: Duration,
    last_key: Instant,
}

impl IdleLock {
    pub fn new(limit: Duration, now: Instant) -> IdleLock {
        IdleLock {
            limit,
            last_key: now,
        }
    }

    /// A key or paste came at `now`.
    pub fn touch(&mut self, now: Instant) {
        self.last_key = now;
    }

    /// Whether the limit has passed by `now`.
    pub fn due(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.last_key) >= self.limit
    }
}

/// Whether the app has slow work waiting for the next tick (unlocking): the loop draws the
/// "Unlocking…" frame and then ticks at once rather than waiting for a key.
pub fn busy(app: &App) -> bool {
    match &app.screen {
        Screen::Setup(s) => s.busy(),
        Screen::Unlock(s) => s.busy(),
        _ => false,
    }
}

/// One turn of the loop after the frame is drawn: the message (if any) at `now`, then the
/// idle check. `None` is a tick (no input within the tick time).
pub fn step(app: &mut App, idle: &mut IdleLock, msg: Option<Msg>, now: Instant) {
    match msg {
        Some(msg) => {
            if matches!(msg, Msg::Key(_) | Msg::Paste(_)) {
                idle.touch(now);
            }
            app.update(msg);
        }
        None => app.update(Msg::Tick),
    }
    check_idle(app, idle, now);
}

/// Locks the app if the idle limit has passed by `now`.
pub fn check_idle(app: &mut App, idle: &IdleLock, now: Instant) {
    if idle.due(now) && !app.is_locked() {
        app.lock();
    }
}

/// Runs the event loop until quit. `idle` is the time without a key before the lock.
pub fn run_loop(app: &mut App, idle: Duration) -> io::Result<()> {
    install_panic_hook();
    let (_guard, mut terminal) = setup()?;
    terminal.clear()?;
    let mut idle = IdleLock::new(idle, Instant::now());
    while !app.quit {
        let size = terminal.size()?;
        app.size = (size.width, size.height);
        terminal.draw(|frame| view::render(app, frame))?;
        if busy(app) {
            // "Unlocking…" is on screen: do the work now. The second it takes is not idle
            // time: the limit counts from when it is done.
            app.update(Msg::Tick);
            idle.touch(Instant::now());
            continue;
        }
        let msg = if event::poll(TICK)? {
            match accept(event::read()?) {
                Some(msg) => Some(msg),
                None => {
                    // Not for us (a key release, a focus change): only the idle check.
                    check_idle(app, &idle, Instant::now());
                    continue;
                }
            }
        } else {
            None
        };
        step(app, &mut idle, msg, Instant::now());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_console_that_cannot_mark_pastes_still_gets_the_screens() {
        let legacy = Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "Bracketed paste not implemented in the legacy Windows API.",
        ));
        assert!(without_paste_where_unsupported(legacy).is_ok());
        assert!(without_paste_where_unsupported(Ok(())).is_ok());
        // Any other failure still stops the screens, with its reason.
        let gone = Err(io::Error::other("the console went away"));
        assert!(without_paste_where_unsupported(gone).is_err());
    }

    /// What the code above relies on: crossterm's answer where escape sequences cannot be
    /// used (its Windows API fallback) is `Unsupported`, not some other error.
    #[test]
    #[cfg_attr(
        not(windows),
        ignore = "crossterm's legacy-console fallback exists on Windows only"
    )]
    fn crossterm_answers_unsupported_on_a_legacy_console() {
        #[cfg(windows)]
        {
            use ratatui::crossterm::Command;
            let Err(e) = EnableBracketedPaste.execute_winapi() else {
                panic!("crossterm now enables bracketed paste without escape sequences");
            };
            assert_eq!(e.kind(), io::ErrorKind::Unsupported, "{e}");
        }
    }
}
