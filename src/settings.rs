//! The user's settings: a small TOML file in the config folder (`settings.toml`), written
//! by the user, never by the program (a program that writes its defaults into a user's
//! file has to migrate it later). A file that cannot be used is reported at `file:line` and
//! the program starts with the defaults.
//!
//! ```toml
//! # Move to the next question after a one-key answer (y, n, d, x, a digit on a choice
//! # or scale). Off unless set.
//! advance_after_answer = true
//!
//! # The protective marking printed on every page of an exported report (and at the top
//! # and bottom of its Markdown); `companion export --marking` overrides it for one export.
//! protective_marking = "OFFICIAL-SENSITIVE"
//! ```

use std::path::Path;

use serde::Deserialize;

/// Every setting, with its default when the file does not give it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// After a one-key answer, go to the next question.
    pub advance_after_answer: bool,
    /// The protective marking on exported reports ([`crate::report::DEFAULT_MARKING`]).
    pub protective_marking: String,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            advance_after_answer: false,
            protective_marking: crate::report::DEFAULT_MARKING.to_string(),
        }
    }
}

/// Why the settings file was not used, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}; the program goes on with the default settings")]
pub struct SettingsError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl Settings {
    /// Reads `path`; no file means the defaults. A file that cannot be read or used gives
    /// the defaults and the problem.
    pub fn load(path: &Path) -> (Settings, Option<SettingsError>) {
        let file = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (Settings::default(), None);
            }
            Err(e) => {
                let problem = SettingsError {
                    file,
                    line: 1,
                    message: format!("cannot read it: {e}"),
                };
                return (Settings::default(), Some(problem));
            }
        };
        match Settings::parse(&file, &text) {
            Ok(s) => (s, None),
            Err(e) => (Settings::default(), Some(e)),
        }
    }

    pub fn parse(file: &str, text: &str) -> Result<Settings, SettingsError> {
        let settings: Settings = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start).min(text.len());
            SettingsError {
                file: file.to_string(),
                line: text[..offset].matches('\n').count() + 1,
                message: e.message().lines().next().unwrap_or("invalid").to_string(),
            }
        })?;
        crate::report::check_marking(&settings.protective_marking).map_err(|message| {
            SettingsError {
                file: file.to_string(),
                line: key_line(text, "protective_marking"),
                message: format!("protective_marking: {message}"),
            }
        })?;
        Ok(settings)
    }
}

/// The line a top-level key is set on (1 if it cannot be found).
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_the_setting_and_errors_at_their_line() {
        assert_eq!(Settings::parse("s.toml", ""), Ok(Settings::default()));
        assert!(!Settings::default().advance_after_answer, "off by default");
        let on = Settings::parse("s.toml", "advance_after_answer = true\n").unwrap_or_default();
        assert!(on.advance_after_answer);
        let err = Settings::parse("s.toml", "# mine\nadvance_after_anwser = true\n")
            .expect_err("unknown key");
        assert_eq!(err.line, 2, "{err}");
        assert!(err.to_string().starts_with("s.toml:2: "), "{err}");
        assert!(err.message.contains("advance_after_anwser"), "{err}");
        let err = Settings::parse("s.toml", "\n\nadvance_after_answer = 1\n").expect_err("type");
        assert_eq!(err.line, 3, "{err}");
    }

    #[test]
    fn the_protective_marking_defaults_and_a_bad_one_is_refused_at_its_line() {
        assert_eq!(Settings::default().protective_marking, "OFFICIAL-SENSITIVE");
        let mine =
            Settings::parse("s.toml", "protective_marking = \"OFFICIAL\"\n").unwrap_or_default();
        assert_eq!(mine.protective_marking, "OFFICIAL");
        let err = Settings::parse(
            "s.toml",
            "advance_after_answer = true\nprotective_marking = \"\"\n",
        )
        .expect_err("empty");
        assert_eq!(err.line, 2, "{err}");
        assert!(err.message.contains("protective_marking"), "{err}");
        assert!(err.message.contains("empty"), "{err}");
        let err =
            Settings::parse("s.toml", "protective_marking = \"A\\nB\"\n").expect_err("two lines");
        assert!(err.message.contains("control character"), "{err}");
    }

    #[test]
    fn a_missing_file_is_the_defaults_and_is_not_created() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("settings.toml");
        assert_eq!(Settings::load(&path), (Settings::default(), None));
        assert!(
            !path.exists(),
            "defaults are never written to the user's folder"
        );
    }
}
