//! `companion`: the command line and, with no subcommand, the interview screens.
#![deny(unsafe_code)]
// Every command prints through `cli::output`, where a closed pipe is not a crash.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cli;

use std::process::ExitCode;

use clap::Parser;

use cli::output::errln;

fn main() -> ExitCode {
    // Before anything is decrypted: no core dump may ever write memory to disk.
    interview_companion::harden::harden_process();
    // A panic's own message may quote answer text: print only where it happened.
    interview_companion::harden::quiet_panics();
    let args = cli::Cli::parse();
    let result = cli::run(args);
    // Once, not as an error: the screens say it themselves (and take it), commands here.
    if let Some(w) = interview_companion::store::memlock::take_warning() {
        errln!("note: {w}.");
    }
    match result {
        Ok(code) => code,
        Err(err) => {
            // `{:#}` prints the chain of causes on one line; errors never carry answer text,
            // but may quote a reference or a file's text: shown inert, as on the screens.
            let message = format!("{err:#}");
            errln!(
                "error: {}",
                interview_companion::untrusted::for_terminal(&message)
            );
            ExitCode::FAILURE
        }
    }
}
