//! The interview screens: keyboard-only capture for the second interviewer.
//!
//! One loop: terminal event → [`input::accept`] (presses only) → [`app::App::update`]
//! (keys become actions through the [`keymap`]) → [`view::render`] (pure). Screens live in
//! [`screens`], one file each. The records are reached through [`book::Book`].

pub mod action;
pub mod app;
pub mod book;
pub mod input;
pub mod keymap;
pub mod screens;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod view;

use std::path::Path;
use std::time::Duration;

use crate::paths::Paths;
use crate::questionnaire::Catalog;
use crate::session::SystemClock;

/// Environment variable: minutes without a key before the idle lock (default 10).
pub const IDLE_ENV: &str = "COMPANION_IDLE_MINUTES";

/// The idle time before the lock, from [`IDLE_ENV`] (minutes; fractions allowed).
pub fn idle_from_env() -> Duration {
    std::env::var(IDLE_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|m| m.is_finite() && *m > 0.0)
        .map_or(Duration::from_secs(600), |m| {
            Duration::from_secs_f64(m * 60.0)
        })
}

/// Runs the interview screens until the user quits.
pub fn run(paths: Paths, local_questionnaires: &Path) -> std::io::Result<()> {
    let catalog = Catalog::load(Some(local_questionnaires));
    let mut app = app::App::new(
        paths,
        catalog,
        Box::new(SystemClock::start()),
        theme::Theme::from_env(),
    );
    terminal::run_loop(&mut app, idle_from_env())
}

/// Runs the interview screens opened on the review of one case (by reference or id): the
/// review comes up as soon as the passphrase unlocks the records. The caller checks first
/// that an identity exists (else there is nothing to unlock).
pub fn run_review(
    paths: Paths,
    local_questionnaires: &Path,
    reference: &str,
) -> std::io::Result<()> {
    let catalog = Catalog::load(Some(local_questionnaires));
    let mut app = app::App::new(
        paths,
        catalog,
        Box::new(SystemClock::start()),
        theme::Theme::from_env(),
    );
    app.open_review = Some(reference.to_string());
    terminal::run_loop(&mut app, idle_from_env())
}

#[cfg(test)]
mod tests;
