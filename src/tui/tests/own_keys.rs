//! The user's own keys and settings (issue 15, points 12 and 5): files in the config folder
//! merged over the defaults, every problem at file:line on the case list with the program
//! running on the defaults, and Ctrl+U in text fields.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::session::AnswerValue;
use crate::tui::action::{Action, Context};
use crate::tui::screens::logging::{LoggingScreen, Mode};

fn logging(app: &App) -> &LoggingScreen {
    match &app.screen {
        Screen::Logging(s) => s,
        _ => panic!("not on the logging screen"),
    }
}

/// An unlocked app whose config folder holds `file` with `text`, started as the program
/// starts (the files are read by `App::new`).
fn app_with(file: &str, text: &str) -> (App, Fixture) {
    let (_, fx) = unlocked_app();
    std::fs::create_dir_all(&fx.paths.config).unwrap();
    std::fs::write(fx.paths.config.join(file), text).unwrap();
    let app = App::unlocked(
        fx.paths.clone(),
        catalog(),
        clock(),
        Theme { mono: true },
        Box::new(fx.other_book()),
    );
    (app, fx)
}

fn ev(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

#[test]
fn a_users_keymap_is_merged_over_the_embedded_one() {
    let (app, _fx) = app_with(
        "keymap.toml",
        "# mine\n[[logging]]\nkeys = [\"z\"]\naction = \"undo\"\n\n[[logging]]\nkeys = []\naction = \"flag\"\n",
    );
    assert!(app.ctx.notices.is_empty(), "{:?}", app.ctx.notices);
    let k = &app.keymap;
    assert_eq!(k.resolve(Context::Logging, &ev('z')), Some(Action::Undo));
    assert_eq!(k.resolve(Context::Logging, &ev('u')), None, "u left undo");
    assert_eq!(k.resolve(Context::Logging, &ev('f')), None, "flag unbound");
    assert_eq!(
        k.resolve(Context::Logging, &ev('y')),
        Some(Action::Yes),
        "the rest stays"
    );
    // The help shows the new key with the embedded words; the flag is gone from it.
    let rows = k.help_rows(Context::Logging);
    assert!(
        rows.iter()
            .any(|(keys, d)| keys == "z" && d.starts_with("Undo the last change"))
    );
    assert!(!rows.iter().any(|(_, d)| d.starts_with("Flag / unflag")));
    // The program did not write anything of its own into the folder.
    let names: Vec<_> = std::fs::read_dir(&_fx.paths.config)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn a_bad_keymap_is_reported_at_its_line_and_the_defaults_are_used() {
    for (text, line, words) in [
        (
            "[[logging]]\nkeys = [\"z\"]\naction = \"launch\"\n",
            3,
            "unknown action \"launch\"",
        ),
        (
            "[[logging]]\nkeys = [\"z\"]\naction = \"undo\"\n\n[[logging]]\nkeys = [\"z\"]\naction = \"redo\"\n",
            6,
            "bound twice",
        ),
        (
            "[[logging]]\nkeys = [\"ctrl+q\"]\naction = \"undo\"\n",
            3,
            "already a global key",
        ),
        (
            "[[logging]]\nkeys = [\"z\"]\naction = \"zap\"\n",
            3,
            "unknown action",
        ),
        (
            "[[logging]]\nkeys = [\"z\"]\naction = \"submit\"\n",
            3,
            "does nothing",
        ),
        ("[[logging]\n", 1, ""),
    ] {
        let (app, _fx) = app_with("keymap.toml", text);
        let notice = app
            .ctx
            .notices
            .first()
            .unwrap_or_else(|| panic!("no notice for {text:?}"));
        assert!(
            notice.contains(&format!("keymap.toml:{line}: ")) && notice.contains(words),
            "{notice:?} for {text:?}"
        );
        assert!(notice.contains("embedded keys are in use"), "{notice}");
        assert_eq!(
            app.keymap.resolve(Context::Logging, &ev('u')),
            Some(Action::Undo),
            "the defaults"
        );
        // Shown on the case list, which still works.
        let shown = format!("{}", draw(&app, 80, 24).backend());
        assert!(shown.contains("keymap.toml:"), "{shown}");
        assert!(shown.contains("No cases yet"), "{shown}");
    }
}

#[test]
fn settings_turn_on_advancing_after_a_one_key_answer() {
    // Off by default: the cursor stays.
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    type_text(&mut app, "jjjy");
    assert_eq!(
        logging(&app).current().unwrap().id,
        "reduced-sexual-interest"
    );
    // On: each one-key answer moves on; a multi-choice toggle and a typed answer do not.
    let (mut app, _fx) = app_with("settings.toml", "advance_after_answer = true\n");
    assert!(app.ctx.notices.is_empty(), "{:?}", app.ctx.notices);
    to_logging(&mut app);
    type_text(&mut app, "jj3ynd");
    let s = logging(&app);
    assert_eq!(
        s.folded.get("life-disruption").unwrap().answer,
        Some(AnswerValue::Scale {
            step: "Moderate".into()
        })
    );
    assert_eq!(
        s.folded.get("emotional-support").unwrap().answer,
        Some(AnswerValue::DontKnow)
    );
    assert_eq!(s.current().unwrap().id, "social-isolation");
    // A bad settings file: reported at its line, defaults used.
    let (app, _fx) = app_with("settings.toml", "\nadvance = yes\n");
    assert!(
        app.ctx.notices[0].contains("settings.toml:2: "),
        "{:?}",
        app.ctx.notices
    );
    assert!(!app.ctx.settings.advance_after_answer);
}

#[test]
fn ctrl_u_deletes_to_the_start_of_the_line_in_text_fields() {
    let (mut app, _fx) = unlocked_app();
    // The case filter.
    type_text(&mut app, "demo");
    app.update(ctrl('u'));
    let Screen::Cases(c) = &app.screen else {
        panic!()
    };
    assert!(c.filter.is_empty());
    to_logging(&mut app);
    // A typed answer.
    type_text(&mut app, "25");
    app.update(ctrl('u'));
    let Mode::Answer(a) = &logging(&app).mode else {
        panic!()
    };
    assert_eq!(crate::tui::screens::field::text(a), "");
    press(&mut app, KeyCode::Esc);
    // A note: only the line the cursor is on.
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "first");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "second");
    app.update(ctrl('u'));
    let Mode::Note(a) = &logging(&app).mode else {
        panic!()
    };
    assert_eq!(crate::tui::screens::field::text(a), "first\n");
    // On the list, Ctrl+U scrolls the question (it never clears anything there).
    press(&mut app, KeyCode::Esc);
    app.update(ctrl('u'));
    assert!(matches!(logging(&app).mode, Mode::Browse));
}
