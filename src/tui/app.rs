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
use super::screens::setup::SetupForm;
use super::screens::unlock::UnlockForm;
use super::theme::Theme;
use crate::paths::Paths;
use crate::questionnaire::Catalog;
use crate::session::Clock;

/// What the screens share: where files are, the questionnaires, the clock and (while
/// unlocked) the records.
pub struct Ctx {
    pub paths: Paths,
    pub catalog: Catalog,
    pub clock: Box<dyn Clock>,
    /// `None` while locked: dropping it drops the unlocked key.
    pub book: Option<Box<dyn Book>>,
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
    /// The privacy blank is up: nothing of the case is drawn.
    pub privacy: bool,
    pub quit: bool,
}

impl App {
    /// Starts at setup (no identity yet) or unlock.
    pub fn new(paths: Paths, catalog: Catalog, clock: Box<dyn Clock>, theme: Theme) -> App {
        let screen = if paths.identity_file().exists() {
            Screen::Unlock(UnlockForm::new(None))
        } else {
            Screen::Setup(SetupForm::new())
        };
        App {
            ctx: Ctx {
                paths,
                catalog,
                clock,
                book: None,
            },
            screen,
            keymap: Keymap::default_keys(),
            theme,
            help: false,
            privacy: false,
            quit: false,
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
        match &self.screen {
            Screen::Setup(_) => Context::Setup,
            Screen::Unlock(_) => Context::Unlock,
            Screen::Cases(s) => s.context(),
            Screen::Case(s) => s.context(),
            Screen::Logging(s) => s.context(),
        }
    }

    pub fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Tick => {
                if let Screen::Logging(s) = &mut self.screen {
                    s.retry_save(&self.ctx);
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
                }
            }
            Msg::Key(key) => self.key(key),
        }
    }

    fn key(&mut self, key: KeyEvent) {
        if self.privacy {
            // Any key lifts the blank, and does nothing else.
            self.privacy = false;
            return;
        }
        let context = self.context();
        let action = self.keymap.resolve(context, &key);
        match action {
            Some(Action::Quit) => self.try_quit(),
            Some(Action::Privacy) => self.privacy = true,
            Some(Action::Lock) => self.lock(),
            _ if self.help => {
                if action == Some(Action::Cancel) || action == Some(Action::Help) {
                    self.help = false;
                }
            }
            Some(Action::Help) => self.help = true,
            _ => {
                let transition = match &mut self.screen {
                    Screen::Setup(s) => s.key(action, key, &mut self.ctx),
                    Screen::Unlock(s) => s.key(action, key, &mut self.ctx),
                    Screen::Cases(s) => s.key(action, key, &mut self.ctx),
                    Screen::Case(s) => s.key(action, key, &mut self.ctx),
                    Screen::Logging(s) => s.key(action, key, &mut self.ctx),
                };
                match transition {
                    Transition::Stay => {}
                    Transition::To(next) => self.screen = next,
                    Transition::Quit => self.try_quit(),
                }
            }
        }
    }

    /// Quits, unless a sitting has changes that could not be saved: then it says so once
    /// and quits only when asked again.
    fn try_quit(&mut self) {
        if let Screen::Logging(s) = &mut self.screen
            && !s.may_leave(&self.ctx)
        {
            return;
        }
        self.quit = true;
    }

    /// Drops the records and the unlocked key; the passphrase is needed to go on. The screen
    /// underneath is kept (with any unsaved answers) and comes back after unlocking.
    pub fn lock(&mut self) {
        if matches!(self.screen, Screen::Setup(_) | Screen::Unlock(_)) {
            return;
        }
        if let Screen::Logging(s) = &mut self.screen {
            s.retry_save(&self.ctx);
        }
        self.ctx.book = None;
        self.help = false;
        let previous = std::mem::replace(&mut self.screen, Screen::Unlock(UnlockForm::new(None)));
        self.screen = Screen::Unlock(UnlockForm::new(Some(Box::new(previous))));
    }

    pub fn is_locked(&self) -> bool {
        self.ctx.book.is_none()
    }
}
