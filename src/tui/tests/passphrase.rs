//! The setup screen refuses a passphrase that is easy to guess (with the reason), and makes
//! a strong one on request (Ctrl+G), shown once; the identity then opens with it.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::store::{ExposeSecret, SecretString};
use crate::tui::screens::setup::SetupForm;

fn setup(app: &App) -> &SetupForm {
    match &app.screen {
        Screen::Setup(s) => s,
        _ => panic!("not on the setup screen"),
    }
}

#[test]
fn setup_refuses_a_weak_passphrase_and_makes_a_strong_one() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    let mut app = App::new(paths.clone(), catalog(), clock(), Theme { mono: true });
    for weak in ["a", "password"] {
        type_text(&mut app, weak);
        press(&mut app, KeyCode::Enter);
        type_text(&mut app, weak);
        press(&mut app, KeyCode::Enter);
        app.update(Msg::Tick);
        assert!(matches!(app.screen, Screen::Setup(_)), "{weak:?} accepted");
        let error = setup(&app).error.clone().unwrap_or_default();
        assert!(error.contains("too easy to guess"), "{error}");
        assert!(error.contains("Ctrl+G"), "{error}");
        assert!(!paths.identity_file().exists());
        let shown = format!("{}", draw(&app, 80, 24).backend());
        assert!(
            shown.contains("Ctrl+G makes one"),
            "the reason is cut: {shown}"
        );
    }
    app.update(ctrl('g'));
    let made = setup(&app)
        .generated
        .as_ref()
        .expect("made")
        .expose_secret()
        .to_string();
    assert_eq!(made.split('-').count(), 6, "{made}");
    let shown = format!("{}", draw(&app, 80, 24).backend());
    assert!(shown.contains(&made), "shown to be written down: {shown}");
    press(&mut app, KeyCode::Enter);
    app.update(Msg::Tick);
    assert!(matches!(app.screen, Screen::Cases(_)), "not created");
    let opened = crate::store::unlock(&RealDisk, &paths, &SecretString::from(made));
    assert!(opened.is_ok());
}
