//! The application state and its one `update`. Keys become actions through the keymap here;
//! each screen's own `key` function changes its state and may move to another screen.

use ratatui::crossterm::event::KeyEvent;

use super::action::{Action, Context};
use super::book::Book;
use super::input::Msg;
use super::keymap::Keymap;
use super::screens::case::CaseScreen;
use super::screens::cases::CasesScreen;
use super::screens::logging::LoggingScreen;
use super::screens::review::ReviewScreen;
use super::screens::setup::SetupForm;
use super::screens::unlock::UnlockForm;
use super::theme::Theme;
use crate::paths::Paths;
use crate::questionnaire::Catalog;
use crate::session::Clock;
use crate::settings::Settings;

/// What the screens share: where files are, the questionnaires, the clock, the user's
/// settings and (while unlocked) the records.
pub struct Ctx {
    pub paths: Paths,
    pub catalog: Catalog,
    pub clock: Box<dyn Clock>,
    /// `None` while locked: dropping it drops the unlocked key.
    pub book: Option<Box<dyn Book>>,
    pub settings: Settings,
    /// Problems met at start (the user's keymap or settings, questionnaires left out), each
    /// a line for the banner on the case list.
    pub notices: Vec<String>,
}

/// The screens. One lives at a time and moves only when the screen changes, so the size
/// difference between variants costs nothing that matters.
#[allow(clippy::large_enum_variant)]
pub enum Screen {
    Setup(SetupForm),
    Unlock(UnlockForm),
    Cases(CasesScreen),
    Case(CaseScreen),
    Logging(Box<LoggingScreen>),
    Review(Box<ReviewScreen>),
}

/// What a screen's key handler asks for next.
#[allow(clippy::large_enum_variant)]
pub enum Transition {
    Stay,
    To(Screen),
    Quit,
}

pub struct App {
    pub ctx: Ctx,
    pub screen: Screen,
    pub keymap: Keymap,
    pub theme: Theme,
    /// The help overlay is open.
    pub help: bool,
    /// How far the help overlay is scrolled (rows).
    pub help_scroll: u16,
    /// The terminal's size (columns, rows) as the loop last saw it: scrolling keys use it
    /// to stop at the end of the text.
    pub size: (u16, u16),
    /// The privacy blank is up: nothing of the case is drawn.
    pub privacy: bool,
    pub quit: bool,
    /// The last key was a quit refused because text being typed would be dropped: the
    /// next quit goes ahead. Any other key clears it.
    quit_asked: bool,
    /// A case (reference or id) to open in review as soon as the records are unlocked
    /// (`companion review REF`).
    pub open_review: Option<String>,
}

impl App {
    /// Starts at setup (no identity yet) or unlock, with the user's keymap and settings
    /// from the config folder (or the defaults, and the problem, if one cannot be used).
    pub fn new(paths: Paths, catalog: Catalog, clock: Box<dyn Clock>, theme: Theme) -> App {
        let screen = if paths.identity_file().exists() {
            Screen::Unlock(UnlockForm::new(None))
        } else {
            Screen::Setup(SetupForm::new())
        };
        let mut notices = Vec::new();
        let (keymap, keymap_problem) = Keymap::with_user_file(&paths.keymap_file());
        notices.extend(keymap_problem.map(|e| e.to_string()));
        let (settings, settings_problem) = Settings::load(&paths.settings_file());
        notices.extend(settings_problem.map(|e| e.to_string()));
        notices.extend(questionnaire_notice(&catalog));
        App {
            ctx: Ctx {
                paths,
                catalog,
                clock,
                book: None,
                settings,
                notices,
            },
            screen,
            keymap,
            theme,
            help: false,
            help_scroll: 0,
            size: (80, 24),
            privacy: false,
            quit: false,
            quit_asked: false,
            open_review: None,
        }
    }

    /// Starts unlocked, at the case list (tests, benchmarks).
    pub fn unlocked(
        paths: Paths,
        catalog: Catalog,
        clock: Box<dyn Clock>,
        theme: Theme,
        book: Box<dyn Book>,
    ) -> App {
        let mut app = App::new(paths, catalog, clock, theme);
        app.ctx.book = Some(book);
        app.screen = Screen::Cases(CasesScreen::load(&app.ctx));
        app
    }

    /// The keys in force now: overlays first, then the screen's focused part.
    pub fn context(&self) -> Context {
        if self.help {
            return Context::Help;
        }
        self.screen_context()
    }

    /// The keys of the screen (its focused part), under any help overlay.
    pub fn screen_context(&self) -> Context {
        match &self.screen {
            Screen::Setup(_) => Context::Setup,
            Screen::Unlock(_) => Context::Unlock,
            Screen::Cases(s) => s.context(),
            Screen::Case(s) => s.context(),
            Screen::Logging(s) => s.context(),
            Screen::Review(s) => s.context(),
        }
    }

    pub fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Tick => {
                // Setup and unlock do their slow key work on the tick after the key, so
                // the loop draws "Unlocking…" first.
                let transition = match &mut self.screen {
                    Screen::Logging(s) => {
                        s.retry_save(&self.ctx);
                        Transition::Stay
                    }
                    Screen::Setup(s) => s.tick(&mut self.ctx),
                    Screen::Unlock(s) => s.tick(&mut self.ctx),
                    _ => Transition::Stay,
                };
                if let Transition::To(next) = transition {
                    self.screen = next;
                    self.open_pending_review();
                }
            }
            Msg::Resize => {}
            Msg::Paste(text) => {
                if self.privacy || self.help {
                    return;
                }
                match &mut self.screen {
                    Screen::Setup(s) => s.paste(&text),
                    Screen::Unlock(s) => s.paste(&text),
                    Screen::Cases(s) => s.paste(&text),
                    Screen::Case(s) => s.paste(&text),
                    Screen::Logging(s) => s.paste(&text),
                    Screen::Review(_) => {}
                }
            }
            Msg::Key(key) => match super::input::escape_then_key(&key) {
                // An Esc typed ahead, read with the key after it (see `escape_then_key`):
                // both keys, in order, each to the screen it reaches. Not where the keymap
                // binds the Alt key, nor in a text field, where Alt keys edit the text.
                Some(keys)
                    if !self.in_text_field()
                        && self.keymap.resolve(self.context(), &key).is_none() =>
                {
                    for key in keys {
                        self.key(key);
                    }
                }
                _ => self.key(key),
            },
        }
    }

    /// Whether keys go to a text field now, where Alt keys edit the text (word moves and
    /// deletes). The start form takes text in one of its three fields only.
    fn in_text_field(&self) -> bool {
        match (self.context(), &self.screen) {
            (Context::StartSitting, Screen::Case(s)) => s.typing(),
            (context, _) => context.takes_text(),
        }
    }

    fn key(&mut self, key: KeyEvent) {
        if self.privacy {
            // Any key lifts the blank, and does nothing else.
            self.privacy = false;
            return;
        }
        let context = self.context();
        let mut action = self.keymap.resolve(context, &key);
        if matches!(action, Some(Action::Lock | Action::Privacy))
            && !self.screen_context().has_records()
        {
            // Nothing to lock or hide before the records are open (also under the help).
            action = None;
        }
        if action != Some(Action::Quit) {
            self.quit_asked = false;
        }
        match action {
            Some(Action::Quit) => self.try_quit(),
            Some(Action::Privacy) => self.privacy = true,
            Some(Action::Lock) => self.lock(),
            _ if self.help => self.help_key(action),
            Some(Action::Help) => {
                self.help = true;
                self.help_scroll = 0;
            }
            _ => {
                let transition = match &mut self.screen {
                    Screen::Setup(s) => s.key(action, key, &mut self.ctx),
                    Screen::Unlock(s) => s.key(action, key, &mut self.ctx),
                    Screen::Cases(s) => s.key(action, key, &mut self.ctx),
                    Screen::Case(s) => s.key(action, key, &mut self.ctx),
                    Screen::Logging(s) => s.key(action, key, &mut self.ctx),
                    Screen::Review(s) => s.key(action, key, &mut self.ctx),
                };
                match transition {
                    Transition::Stay => {}
                    Transition::To(next) => self.screen = next,
                    Transition::Quit => self.try_quit(),
                }
                self.open_pending_review();
            }
        }
    }

    /// Keys while the help overlay is open: close or scroll, nothing reaches the screen.
    fn help_key(&mut self, action: Option<Action>) {
        let (last, page) = super::view::help_scroll_limits(self);
        self.help_scroll = match action {
            Some(Action::Cancel | Action::Help) => {
                self.help = false;
                0
            }
            Some(Action::Down) => self.help_scroll.saturating_add(1),
            Some(Action::Up) => self.help_scroll.saturating_sub(1),
            Some(Action::PageDown) => self.help_scroll.saturating_add(page),
            Some(Action::PageUp) => self.help_scroll.saturating_sub(page),
            _ => self.help_scroll,
        }
        .min(last);
    }

    /// Quits, unless something would be lost; then it says what, once, and quits when
    /// asked again. Text being typed is never dropped silently: in the logging screen it
    /// is recorded first (a note, an observation, a valid answer: see
    /// [`LoggingScreen::commit_typing`]) and saved; what cannot be recorded (an answer that
    /// is not valid, a form, a jump search) is kept and asked about. A sitting with changes
    /// that could not be saved says so ("NOT SAVED") and quits only when asked again.
    fn try_quit(&mut self) {
        let asked = std::mem::take(&mut self.quit_asked);
        if let Some(kept) = self.commit_typing()
            && !asked
        {
            self.tell(format!(
                "{kept} Press the same key again to quit without it."
            ));
            self.quit_asked = true;
            return;
        }
        let may = match &mut self.screen {
            Screen::Logging(s) => s.may_leave(&self.ctx),
            // Under the lock: the sitting kept there may hold unsaved changes.
            Screen::Unlock(u) => u.may_quit(),
            _ => true,
        };
        if may {
            self.quit = true;
        }
    }

    /// Records what the logging screen has typed (see [`LoggingScreen::commit_typing`]);
    /// elsewhere, and under the lock, nothing is recorded. What is typed and kept, if
    /// anything: in words, for asking before quitting.
    fn commit_typing(&mut self) -> Option<String> {
        match &mut self.screen {
            Screen::Logging(s) => s.commit_typing(&self.ctx).err(),
            Screen::Cases(s) => s.kept_typing(),
            Screen::Case(s) => s.kept_typing(),
            Screen::Unlock(u) => match u.resume.as_deref() {
                Some(Screen::Logging(s)) => s.kept_typing(),
                Some(Screen::Cases(s)) => s.kept_typing(),
                Some(Screen::Case(s)) => s.kept_typing(),
                _ => None,
            },
            Screen::Setup(_) | Screen::Review(_) => None,
        }
    }

    /// Shows a message on the screen in front.
    fn tell(&mut self, message: String) {
        match &mut self.screen {
            Screen::Logging(s) => s.message = Some(message),
            Screen::Cases(s) => s.tell(message),
            Screen::Case(s) => s.tell(message),
            Screen::Unlock(u) => u.error = Some(message),
            Screen::Setup(s) => s.error = Some(message),
            Screen::Review(_) => {}
        }
    }

    /// Drops the records and the unlocked key; the passphrase is needed to go on. The screen
    /// underneath is kept (with any unsaved answers) and comes back after unlocking. A
    /// note, observation or valid answer being typed is recorded and saved first, so the
    /// lock never holds the only copy of it.
    pub fn lock(&mut self) {
        if matches!(self.screen, Screen::Setup(_) | Screen::Unlock(_)) {
            return;
        }
        if let Screen::Logging(s) = &mut self.screen {
            if let Ok(Some(what)) = s.commit_typing(&self.ctx) {
                s.message = Some(format!("Recorded before locking: {what}."));
            }
            s.retry_save(&self.ctx);
        }
        self.ctx.book = None;
        self.help = false;
        let previous = std::mem::replace(&mut self.screen, Screen::Unlock(UnlockForm::new(None)));
        if let Screen::Review(r) = &previous {
            // A review holds only what is on disk: drop it (and the answers it shows) while
            // locked, and open it again from the records after unlocking.
            self.open_review = Some(r.id.to_string());
            return;
        }
        self.screen = Screen::Unlock(UnlockForm::new(Some(Box::new(previous))));
    }

    /// Once unlocked, opens the review asked for on the command line (once). A reference
    /// that matches no case leaves the case list up, saying so.
    fn open_pending_review(&mut self) {
        if self.ctx.book.is_none() {
            return;
        }
        let Some(reference) = self.open_review.take() else {
            return;
        };
        match ReviewScreen::open_reference(&reference, &self.ctx) {
            Ok(review) => self.screen = Screen::Review(Box::new(review)),
            Err(e) => {
                let mut cases = CasesScreen::load(&self.ctx);
                cases.message = Some(e);
                self.screen = Screen::Cases(cases);
            }
        }
    }

    pub fn is_locked(&self) -> bool {
        self.ctx.book.is_none()
    }
}

/// One line naming the local questionnaires that were left out, pointing to the linter.
pub fn questionnaire_notice(catalog: &Catalog) -> Option<String> {
    let left_out: Vec<String> = catalog
        .problems()
        .iter()
        .filter(|p| p.left_out)
        .map(|p| {
            std::path::Path::new(&p.file)
                .file_name()
                .map_or_else(|| p.file.clone(), |n| n.to_string_lossy().into_owned())
        })
        .collect();
    (!left_out.is_empty()).then(|| {
        format!(
            "Questionnaire file{} left out, not loaded: {}. Run `companion questionnaires lint` to see every problem.",
            if left_out.len() == 1 { "" } else { "s" },
            left_out.join(", ")
        )
    })
}
