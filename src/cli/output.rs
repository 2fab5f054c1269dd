//! What the commands print, and only through here (clippy's `print_stdout` and
//! `print_stderr` are denied in this crate, so a new command cannot go round it).
//!
//! `println!` panics when a write fails. A reader that stops early — `| head -4`,
//! `| more` quit with `q`, `| findstr x` — closes the pipe, and the next write fails with
//! EPIPE on Unix (Rust ignores SIGPIPE, so there is no quiet death by signal) or
//! ERROR_NO_DATA / ERROR_BROKEN_PIPE on Windows; std maps all three to
//! [`io::ErrorKind::BrokenPipe`]. The program then stopped with "internal error", exit 101,
//! and with standard error on the same pipe (`2>&1 | head`) the panic hook's own print
//! panicked again and the process aborted.
//!
//! Here a closed standard output is not an error: later output is dropped, the command
//! finishes its work (a case being created is created) and exits with the status it would
//! have had anyway (`questionnaires lint` still exits 1 when it found problems), as ripgrep
//! and git do. Any other failure (a full disk behind `> report.json`) is an error naming
//! standard output. Standard error is best effort: if it cannot be written, there is
//! nowhere left to say so.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};

/// Set once a write found standard output closed; later writes are dropped.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `bytes` to standard output and flushes them. A closed pipe is not an error.
pub fn stdout_bytes(bytes: &[u8]) -> Result<()> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        other => other.context("could not write to standard output"),
    }
}

/// One line on standard output; use [`outln!`].
pub fn stdout_line(args: fmt::Arguments<'_>) -> Result<()> {
    stdout_bytes(format!("{args}\n").as_bytes())
}

/// One line on standard error, best effort; use [`errln!`].
pub fn stderr_line(args: fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "{args}");
}

/// A prompt on standard error, without a line end, flushed so it shows before the answer
/// is read; best effort, as [`stderr_line`].
pub fn stderr_prompt(args: fmt::Arguments<'_>) {
    let mut err = io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.flush());
}

/// `println!` for the commands: `outln!("…", …)?`. A closed pipe is quietly fine.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::output::stdout_line(format_args!($($arg)*))
    };
}

/// `eprintln!` for the commands: messages, warnings and prompts, best effort.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::output::stderr_line(format_args!($($arg)*))
    };
}

pub(crate) use {errln, outln};
