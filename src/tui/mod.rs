//! The interview screens: keyboard-only capture for the second interviewer.
//!
//! One loop: terminal event → [`input::accept`] (presses only) → [`app::App::update`]
//! (keys become actions through the [`keymap`]) → [`view::render`] (pure). Screens live in
//! [`screens`], one file each. The records are reached through [`book::Book`].

pub mod action;
pub mod app;
pub mod book;
pub mod fuzzy;
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

/// The idle time before the lock, from [`IDLE_ENV`] (minutes; fractions allowed; 10 when
/// unset). A value that is not a usable number of minutes is an error naming the variable,
/// not a silent default: a lock that never comes would be worse than no start.
pub fn idle_from_env() -> Result<Duration, String> {
    parse_idle_minutes(std::env::var(IDLE_ENV).ok().as_deref())
}

fn parse_idle_minutes(value: Option<&str>) -> Result<Duration, String> {
    let Some(value) = value else {
        return Ok(Duration::from_secs(600));
    };
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|m| m.is_finite() && *m > 0.0)
        .and_then(|m| Duration::try_from_secs_f64(m * 60.0).ok())
        .ok_or_else(|| {
            format!(
                "{IDLE_ENV}={value:?} is not a number of minutes above 0 (e.g. {IDLE_ENV}=10); \
                 unset it for the default of 10 minutes"
            )
        })
}

/// Runs the interview screens until the user quits, locking after `idle` without a key.
/// With `open_review` (a case reference or id, `companion review REF`), the review of that
/// case comes up as soon as the passphrase unlocks the records; the caller checks first that
/// an identity exists (else there is nothing to unlock).
pub fn run(
    paths: Paths,
    local_questionnaires: &Path,
    idle: Duration,
    open_review: Option<String>,
) -> std::io::Result<()> {
    let catalog = Catalog::load(Some(local_questionnaires));
    let mut app = app::App::new(
        paths,
        catalog,
        Box::new(SystemClock::start()),
        theme::Theme::from_env(),
    );
    app.open_review = open_review;
    terminal::run_loop(&mut app, idle)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod idle_tests {
    use super::*;

    #[test]
    fn idle_minutes_default_parse_and_refuse_with_the_variable_named() {
        assert_eq!(parse_idle_minutes(None), Ok(Duration::from_secs(600)));
        assert_eq!(
            parse_idle_minutes(Some(" 2 ")),
            Ok(Duration::from_secs(120))
        );
        assert_eq!(parse_idle_minutes(Some("0.05")), Ok(Duration::from_secs(3)));
        // Each of these once panicked (too big for a Duration) or was silently ignored.
        for bad in ["", "ten", "0", "-1", "NaN", "inf", "1e300"] {
            let err = parse_idle_minutes(Some(bad)).expect_err(bad);
            assert!(err.contains(IDLE_ENV), "{err}");
        }
    }
}
