//! The keymap: data (an embedded TOML file), checked when loaded, and the only source of the
//! footer and the `?` help. Render code never names a key.
//!
//! A user's own `keymap.toml` in the config folder is merged over the embedded one: a
//! binding there gives an action new keys in that screen (the keys leave whatever they did
//! there before), `keys = []` takes an action's keys away, and `desc` may be left out to
//! keep the embedded words. A file with any problem is reported at `file:line` and left out
//! whole: the program starts with the embedded keys.

use std::collections::BTreeMap;
use std::path::Path;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use toml::Spanned;

use super::action::{Action, Context};

/// The default keys, embedded in the binary.
pub const DEFAULT_KEYMAP: &str = include_str!("keymap.toml");

/// A key as the keymap names it: a code and the modifiers that matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    ctrl: bool,
    alt: bool,
}

impl Key {
    /// The key of a key event. Shift is part of the character (`J`), so it is dropped for
    /// characters; BackTab stands for Shift+Tab.
    pub fn of(event: &KeyEvent) -> Key {
        let code = match event.code {
            KeyCode::Char(c) if event.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        Key {
            code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }

    fn parse(text: &str) -> Result<Key, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if lower.starts_with("ctrl+") && rest.len() > 5 {
                ctrl = true;
                rest = &rest[5..];
            } else if lower.starts_with("alt+") && rest.len() > 4 {
                alt = true;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            _ => match rest {
                "Up" => KeyCode::Up,
                "Down" => KeyCode::Down,
                "Left" => KeyCode::Left,
                "Right" => KeyCode::Right,
                "PageUp" => KeyCode::PageUp,
                "PageDown" => KeyCode::PageDown,
                "Home" => KeyCode::Home,
                "End" => KeyCode::End,
                "Enter" => KeyCode::Enter,
                "Esc" => KeyCode::Esc,
                "Tab" => KeyCode::Tab,
                "BackTab" => KeyCode::BackTab,
                "Backspace" => KeyCode::Backspace,
                "Delete" => KeyCode::Delete,
                "Space" => KeyCode::Char(' '),
                f if f.starts_with('F') => match f[1..].parse::<u8>() {
                    Ok(n) if (1..=12).contains(&n) => KeyCode::F(n),
                    _ => return Err(format!("unknown key {text:?}")),
                },
                _ => return Err(format!("unknown key {text:?}")),
            },
        };
        Ok(Key { code, ctrl, alt })
    }

    /// How the key is shown in the footer and help.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "Shift+Tab".to_string(),
            KeyCode::Backspace => "Bksp".to_string(),
            KeyCode::Delete => "Del".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) if self.ctrl => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            _ => "?".to_string(),
        };
        match (self.ctrl, self.alt) {
            (true, _) => format!("Ctrl+{base}"),
            (false, true) => format!("Alt+{base}"),
            _ => base,
        }
    }
}

/// One binding, as loaded.
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub desc: String,
    pub footer: bool,
}

/// A problem in a keymap file, with its line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct KeymapError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    keys: Vec<Spanned<String>>,
    action: Spanned<String>,
    /// Required in the embedded file; a user's binding may keep the embedded words.
    #[serde(default)]
    desc: Option<String>,
    #[serde(default)]
    footer: Option<bool>,
}

/// A file's bindings, checked one by one (known screen, known action allowed there, valid
/// keys, no key twice in a screen), each with where its action is written.
type Checked = BTreeMap<Context, Vec<(Binding, usize)>>;

/// The effective keys, per context.
#[derive(Debug, Clone)]
pub struct Keymap {
    by_context: BTreeMap<Context, Vec<Binding>>,
}

impl Keymap {
    /// The embedded default keymap. It is checked by a unit test, so failing here would be
    /// a build mistake; it still degrades to no keys rather than panicking.
    pub fn default_keys() -> Keymap {
        Keymap::parse("keymap.toml", DEFAULT_KEYMAP).unwrap_or(Keymap {
            by_context: BTreeMap::new(),
        })
    }

    /// Parses and checks a keymap: every table a known context, every action known and
    /// allowed there, every key valid, no key twice in one context (or clashing with a
    /// global key).
    pub fn parse(file: &str, text: &str) -> Result<Keymap, KeymapError> {
        let checked = check_file(file, text, true)?;
        let keymap = Keymap {
            by_context: checked
                .into_iter()
                .map(|(c, list)| (c, list.into_iter().map(|(b, _)| b).collect()))
                .collect(),
        };
        keymap.check_global_clashes(file)?;
        Ok(keymap)
    }

    /// The embedded keys with the user's file at `path` merged over them. No file: the
    /// embedded keys. A file that cannot be used: the embedded keys and the problem.
    pub fn with_user_file(path: &Path) -> (Keymap, Option<KeymapError>) {
        let defaults = Keymap::default_keys();
        let file = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (defaults, None),
            Err(e) => {
                let problem = KeymapError {
                    file,
                    line: 1,
                    message: format!("cannot read it ({e}); the embedded keys are in use"),
                };
                return (defaults, Some(problem));
            }
        };
        match defaults.merged(&file, &text) {
            Ok(keymap) => (keymap, None),
            Err(mut e) => {
                e.message.push_str("; the embedded keys are in use");
                (defaults, Some(e))
            }
        }
    }

    /// These keys with a user's file merged over them (see the module's words).
    pub fn merged(&self, file: &str, text: &str) -> Result<Keymap, KeymapError> {
        let user = check_file(file, text, false)?;
        let mut merged = self.clone();
        for (context, bindings) in user {
            let list = merged.by_context.entry(context).or_default();
            let global: Vec<Key> = if context == Context::Global {
                Vec::new()
            } else {
                self.bindings(Context::Global)
                    .iter()
                    .flat_map(|b| b.keys.iter().copied())
                    .collect()
            };
            for (binding, line) in bindings {
                if let Some(k) = binding.keys.iter().find(|k| global.contains(k)) {
                    return Err(KeymapError {
                        file: file.to_string(),
                        line,
                        message: format!(
                            "key {} in [[{}]] is already a global key",
                            k.label(),
                            context.name()
                        ),
                    });
                }
                // The user's keys leave whatever they did in this screen.
                for b in list.iter_mut() {
                    b.keys.retain(|k| !binding.keys.contains(k));
                }
                let desc = binding.desc.clone();
                match list.iter_mut().find(|b| b.action == binding.action) {
                    Some(existing) => {
                        existing.keys = binding.keys.clone();
                        if !desc.is_empty() {
                            existing.desc = desc;
                        }
                        existing.footer = binding.footer || existing.footer;
                    }
                    None if binding.keys.is_empty() => {}
                    None if desc.is_empty() => {
                        return Err(KeymapError {
                            file: file.to_string(),
                            line,
                            message: format!(
                                "a new binding in [[{}]] needs a `desc` for the help",
                                context.name()
                            ),
                        });
                    }
                    None => list.push(binding),
                }
                list.retain(|b| !b.keys.is_empty());
            }
        }
        merged.check_global_clashes(file)?;
        Ok(merged)
    }

    fn check_global_clashes(&self, file: &str) -> Result<(), KeymapError> {
        let global: Vec<Key> = self
            .bindings(Context::Global)
            .iter()
            .flat_map(|b| b.keys.iter().copied())
            .collect();
        for (context, bindings) in &self.by_context {
            if *context == Context::Global {
                continue;
            }
            for b in bindings {
                if let Some(k) = b.keys.iter().find(|k| global.contains(k)) {
                    return Err(KeymapError {
                        file: file.to_string(),
                        line: 0,
                        message: format!(
                            "key {} in [[{}]] is already a global key",
                            k.label(),
                            context.name()
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    pub fn bindings(&self, context: Context) -> &[Binding] {
        self.by_context.get(&context).map_or(&[], Vec::as_slice)
    }

    /// The bindings in force in a context: its own, then the global ones that mean something
    /// there (no lock or privacy blank before the records are unlocked).
    fn in_force(&self, context: Context) -> impl Iterator<Item = &Binding> {
        let global = self.bindings(Context::Global).iter().filter(move |b| {
            context.has_records() || !matches!(b.action, Action::Lock | Action::Privacy)
        });
        let own = if context == Context::Global {
            &[][..]
        } else {
            self.bindings(context)
        };
        own.iter().chain(global)
    }

    /// The first key of an action in a context, as shown ("Ctrl+D"), for a hint drawn on
    /// the screen.
    pub fn key_for(&self, context: Context, action: Action) -> Option<String> {
        self.in_force(context)
            .find(|b| b.action == action)
            .and_then(|b| b.keys.first())
            .map(Key::label)
    }

    /// The action of a key in a context: the context's own keys first, then global ones.
    pub fn resolve(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        let key = Key::of(event);
        let b = self.in_force(context).find(|b| b.keys.contains(&key))?;
        Some(match (b.action, key.code) {
            (Action::Choose(_), KeyCode::Char(c)) => {
                let n = c.to_digit(10).unwrap_or(1) as u8;
                Action::Choose(if n == 0 { 10 } else { n })
            }
            (a, _) => a,
        })
    }

    /// Help rows for a context: its own keys, then the global ones that mean something
    /// there.
    pub fn help_rows(&self, context: Context) -> Vec<(String, String)> {
        self.in_force(context).map(help_row).collect()
    }

    /// A context's own keys as the rows of a Markdown table (`| keys | what they do |`),
    /// for the README: a test checks the README's tables are these, so they never drift.
    pub fn markdown_rows(&self, context: Context) -> Vec<String> {
        self.bindings(context)
            .iter()
            .map(|b| {
                let (keys, desc) = help_row(b);
                let keys: Vec<String> = keys.split(' ').map(|k| format!("`{k}`")).collect();
                format!("| {} | {} |", keys.join(" "), desc.replace('|', "\\|"))
            })
            .collect()
    }

    /// The few keys that matter now: the footer entries of a context, then the global ones.
    pub fn footer(&self, context: Context) -> Vec<(String, String)> {
        self.footer_items(context)
            .into_iter()
            .map(|i| (i.key, i.word))
            .collect()
    }

    /// The footer entries with their actions, in priority order (the file's order: the
    /// context's own, then the global ones). The help key is always among them: the
    /// context's, or else the global one, even if the file does not mark it `footer` (not
    /// in the help itself).
    pub fn footer_items(&self, context: Context) -> Vec<FooterItem> {
        let item = |b: &Binding| FooterItem {
            key: b.keys.first().map(Key::label).unwrap_or_default(),
            word: b
                .desc
                .split([' ', ':', '('])
                .next()
                .unwrap_or("")
                .to_lowercase(),
            action: b.action,
        };
        let mut items: Vec<FooterItem> = self
            .in_force(context)
            .filter(|b| b.footer && !b.keys.is_empty())
            .map(item)
            .collect();
        if context != Context::Help
            && !items.iter().any(|i| i.action == Action::Help)
            && let Some(help) = self.in_force(context).find(|b| b.action == Action::Help)
        {
            items.push(item(help));
        }
        items
    }
}

/// A binding as a help row: its keys as shown, and its words.
fn help_row(b: &Binding) -> (String, String) {
    let keys = if matches!(b.action, Action::Choose(_)) {
        "1…9 0".to_string()
    } else {
        b.keys.iter().map(Key::label).collect::<Vec<_>>().join(" ")
    };
    (keys, b.desc.clone())
}

/// Checks a keymap file binding by binding. In the embedded file (`complete`) every binding
/// needs keys and a `desc`; a user's may have `keys = []` (unbind) and no `desc`.
fn check_file(file: &str, text: &str, complete: bool) -> Result<Checked, KeymapError> {
    let line_of = |offset: usize| text[..offset.min(text.len())].lines().count().max(1);
    let err = |offset: usize, message: String| KeymapError {
        file: file.to_string(),
        line: line_of(offset),
        message,
    };
    let raw: BTreeMap<String, Vec<RawBinding>> = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        err(offset, e.message().to_string())
    })?;
    let mut by_context = BTreeMap::new();
    for (name, bindings) in raw {
        let Some(context) = Context::ALL.into_iter().find(|c| c.name() == name) else {
            let known: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
            let offset = text.find(&format!("[[{name}]]")).unwrap_or(0);
            return Err(err(
                offset,
                format!("unknown screen [[{name}]]; known: {}", known.join(", ")),
            ));
        };
        let mut list = Vec::new();
        let mut seen: std::collections::HashSet<Key> = std::collections::HashSet::new();
        let mut actions = std::collections::HashSet::new();
        for raw in bindings {
            let at = raw.action.span().start;
            let action = Action::from_name(raw.action.get_ref())
                .ok_or_else(|| err(at, format!("unknown action {:?}", raw.action.get_ref())))?;
            if !context.allows(&action) {
                return Err(err(
                    at,
                    format!(
                        "action {:?} does nothing in [[{name}]]",
                        raw.action.get_ref()
                    ),
                ));
            }
            if !complete && !actions.insert(raw.action.get_ref().clone()) {
                return Err(err(
                    at,
                    format!(
                        "action {:?} is given twice in [[{name}]]; list all its keys in one binding",
                        raw.action.get_ref()
                    ),
                ));
            }
            let mut keys = Vec::new();
            for k in &raw.keys {
                let key = Key::parse(k.get_ref()).map_err(|m| err(k.span().start, m))?;
                if matches!(action, Action::Choose(_))
                    && !matches!(key.code, KeyCode::Char(c) if c.is_ascii_digit())
                {
                    return Err(err(k.span().start, "`choose` takes digit keys".into()));
                }
                if !seen.insert(key) {
                    return Err(err(
                        k.span().start,
                        format!("key {} is bound twice in [[{name}]]", key.label()),
                    ));
                }
                keys.push(key);
            }
            if complete && keys.is_empty() {
                return Err(err(at, "a binding needs keys".into()));
            }
            let desc = match raw.desc {
                Some(d) => d,
                None if complete => return Err(err(at, "a binding needs a `desc`".into())),
                None => String::new(),
            };
            let binding = Binding {
                keys,
                action,
                desc,
                footer: raw.footer.unwrap_or(false),
            };
            list.push((binding, line_of(at)));
        }
        by_context.insert(context, list);
    }
    Ok(by_context)
}

/// One footer hint: the key, one word, and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FooterItem {
    pub key: String,
    pub word: String,
    pub action: Action,
}
