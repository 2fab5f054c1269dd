//! Interview companion: the pure core (questionnaires, sessions, comparison) and the
//! edges that touch the disk (store) and the screen (tui).
//!
//! The core modules (`questionnaire`, `session`, `compare`) do no I/O and import nothing
//! from ratatui or crossterm; `store` holds all disk access; `tui` draws.
// Standard error may be closed (`2>&1 | head`): `eprintln!` would panic there. The library
// writes to the person only through best-effort writes; the binary through `cli::output`.
#![deny(clippy::print_stdout, clippy::print_stderr)]
pub mod compare;
pub mod custody;
pub mod harden;
pub mod paths;
pub mod provenance;
pub mod questionnaire;
pub mod records;
pub mod report;
pub mod session;
pub mod settings;
pub mod store;
pub mod transfer;
pub mod tui;
pub mod untrusted;
