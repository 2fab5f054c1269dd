//! Where the program keeps its files.
//!
//! Everything (config, keys, data) can live under one folder given by `--home DIR` or
//! `COMPANION_HOME`, for portable use from a USB stick and for tests. Without it, the
//! platform's config and data folders are used (`directories`).

use std::path::{Path, PathBuf};

/// The folders the program reads and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Identity, recipients, settings, local questionnaires.
    pub config: PathBuf,
    /// Encrypted case folders.
    pub data: PathBuf,
}

impl Paths {
    /// Everything under one folder: `DIR/config` and `DIR/data`.
    pub fn under(home: &Path) -> Self {
        Paths {
            config: home.join("config"),
            data: home.join("data"),
        }
    }

    /// The platform's own folders (e.g. `~/.config/interview-companion` on Linux,
    /// `%APPDATA%\interview-companion` on Windows).
    pub fn platform() -> Option<Self> {
        let dirs = directories::ProjectDirs::from("uk", "", "interview-companion")?;
        Some(Paths {
            config: dirs.config_dir().to_path_buf(),
            data: dirs.data_dir().to_path_buf(),
        })
    }

    /// `home` if given, else the platform's folders.
    pub fn resolve(home: Option<&Path>) -> Option<Self> {
        match home {
            Some(h) => Some(Self::under(h)),
            None => Self::platform(),
        }
    }

    /// Local questionnaires that add to or override the embedded set.
    pub fn local_questionnaires(&self) -> PathBuf {
        self.config.join("questionnaires")
    }

    /// The passphrase-encrypted age identity.
    pub fn identity_file(&self) -> PathBuf {
        self.config.join("identity.age")
    }

    /// One age recipient per line: the user's own, then team or supervisor keys.
    pub fn recipients_file(&self) -> PathBuf {
        self.config.join("recipients.txt")
    }

    /// The user's settings (`settings.toml`); never written by the program.
    pub fn settings_file(&self) -> PathBuf {
        self.config.join("settings.toml")
    }

    /// The user's own keys (`keymap.toml`), merged over the embedded keymap; never written
    /// by the program.
    pub fn keymap_file(&self) -> PathBuf {
        self.config.join("keymap.toml")
    }

    /// One folder per case, named by a random id.
    pub fn cases_dir(&self) -> PathBuf {
        self.data.join("cases")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_puts_everything_under_one_folder() {
        let p = Paths::under(Path::new("/x"));
        assert!(p.config.starts_with("/x"));
        assert!(p.data.starts_with("/x"));
        assert_ne!(p.config, p.data);
        assert!(p.identity_file().starts_with(&p.config));
        assert!(p.cases_dir().starts_with(&p.data));
    }
}
