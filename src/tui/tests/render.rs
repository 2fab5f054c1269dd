//! Snapshots of every screen at 80×24 and 120×40 (the case list and logging also at
//! 40×12, the smallest they are made readable at), and renders at every size.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::tui::screens::logging::SaveState;

fn snap(name: &str, app: &App) {
    for (w, h) in [(80, 24), (120, 40)] {
        let terminal = draw(app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), scrubbed(&terminal));
    }
}

/// The smallest size the screens are made readable at.
fn snap_small(name: &str, app: &App) {
    let terminal = draw(app, 40, 12);
    insta::assert_snapshot!(format!("{name}_40x12"), scrubbed(&terminal));
}

/// The logging screen with answers, a note, a flag and a prompt-to-act.
fn logged() -> (App, Fixture) {
    let (mut app, fx) = unlocked_app();
    to_logging(&mut app);
    type_text(&mut app, "25");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "jj4jyf");
    type_text(&mut app, "/");
    type_text(&mut app, "images-created");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "y");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Said: only once");
    press(&mut app, KeyCode::Esc);
    (app, fx)
}

#[test]
fn snapshot_setup_and_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    let mut app = App::new(paths, Catalog::embedded(), clock(), Theme { mono: true });
    type_text(&mut app, "secret words");
    snap("setup", &app);
    snap_small("setup", &app);
    app.screen = Screen::Unlock(crate::tui::screens::unlock::UnlockForm::new(None));
    type_text(&mut app, "abc");
    if let Screen::Unlock(u) = &mut app.screen {
        u.error = Some("Wrong passphrase. Try again.".into());
    }
    snap("unlock", &app);
}

#[test]
fn snapshot_cases_and_case() {
    let (mut app, _fx) = unlocked_app();
    snap("cases_empty", &app);
    app.update(ctrl('n'));
    type_text(&mut app, "DEMO-0001");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Adult A");
    snap("new_case", &app);
    snap_small("new_case", &app);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Adult B");
    press(&mut app, KeyCode::Enter);
    snap("case_empty", &app);
    type_text(&mut app, "s");
    snap("start_sitting", &app);
    snap_small("start_sitting", &app);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    snap("cases", &app);
    snap_small("cases", &app);
}

#[test]
fn snapshot_logging_screens() {
    let (mut app, fx) = logged();
    snap("logging", &app);
    snap_small("logging", &app);
    type_text(&mut app, "v");
    snap_small("logging_list", &app);
    type_text(&mut app, "v");
    type_text(&mut app, "?");
    snap("logging_help", &app);
    snap_small("logging_help", &app);
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "/");
    type_text(&mut app, "hours");
    snap("logging_jump", &app);
    snap_small("logging_jump", &app);
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "F");
    snap("logging_flagged", &app);
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "o");
    type_text(&mut app, "Child C came in");
    snap("logging_observation", &app);
    snap_small("logging_observation", &app);
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "/hours-online");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "7");
    snap("logging_typing", &app);
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.screen, Screen::Logging(_)));
    fx.disk
        .fail_every(crate::store::Op::Rename, std::io::ErrorKind::StorageFull);
    type_text(&mut app, "d");
    // The real message names a temporary folder; pin it for the snapshot.
    if let Screen::Logging(s) = &mut app.screen {
        assert!(matches!(s.save, SaveState::NotSaved(_)));
        s.save = SaveState::NotSaved("NOT saved: disk full while replacing sitting.age".into());
    }
    snap("logging_not_saved", &app);
    snap_small("logging_not_saved", &app);
    app.update(ctrl('b'));
    snap("privacy", &app);
    app.update(key(KeyCode::Char(' ')));
    fx.disk.clear();
    app.update(Msg::Tick);
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.screen, Screen::Case(_)));
    snap("case_with_sitting", &app);
    snap_small("case_with_sitting", &app);
}

#[test]
fn no_color_theme_sets_no_colours() {
    let (mut app, _fx) = logged();
    app.theme = Theme { mono: true };
    if let Screen::Logging(s) = &mut app.screen {
        s.save = SaveState::NotSaved("disk full".into());
    }
    let terminal = draw(&app, 100, 30);
    for cell in terminal.backend().buffer().content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset);
        assert_eq!(cell.bg, ratatui::style::Color::Reset);
    }
}

#[test]
fn renders_at_every_size_without_panic() {
    let (mut app, _fx) = logged();
    type Step = Box<dyn Fn(&mut App)>;
    let mut states: Vec<Step> = vec![
        Box::new(|_| {}),
        Box::new(|a| type_text(a, "/ho")),
        Box::new(|a| {
            press(a, KeyCode::Esc);
            type_text(a, "?");
        }),
        Box::new(|a| {
            press(a, KeyCode::Esc);
            press(a, KeyCode::Tab);
        }),
        Box::new(|a| {
            press(a, KeyCode::Esc);
            press(a, KeyCode::Esc);
        }),
        Box::new(|a| type_text(a, "s")),
    ];
    for step in states.drain(..) {
        step(&mut app);
        for w in (1..=200)
            .step_by(sweep_stride(13))
            .chain([2, 20, 39, 40, 69, 70, 80, 200])
        {
            for h in (1..=60).step_by(sweep_stride(7)).chain([2, 6, 12, 24, 60]) {
                draw(&app, w, h);
            }
        }
    }
}

/// At 80×24 and the smallest size, 40×12.
fn snap_both(name: &str, app: &App) {
    for (w, h) in [(80, 24), (40, 12)] {
        let terminal = draw(app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn snapshot_round_two_views() {
    let (mut app, _fx) = logged();
    // A question too long for a small window, scrolled part way.
    type_text(&mut app, "/life-disruption");
    press(&mut app, KeyCode::Enter);
    // Drawn once at the small size, as the loop does before the next key.
    draw(&app, 40, 12);
    app.update(ctrl('d'));
    snap_both("logging_scrolled", &app);
    // A key that does not fit: the footer says why.
    type_text(&mut app, "y");
    snap_both("logging_footer_word", &app);
    // The confirmation before clearing.
    type_text(&mut app, "3");
    press(&mut app, KeyCode::Delete);
    snap_both("logging_confirm_clear", &app);
    press(&mut app, KeyCode::Esc);
    // The question's history (an answer, an undo, a redo).
    type_text(&mut app, "u");
    type_text(&mut app, "U");
    type_text(&mut app, "h");
    snap_both("logging_history", &app);
    press(&mut app, KeyCode::Esc);
    // The observations.
    type_text(&mut app, "o");
    type_text(&mut app, "Child C came in");
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "O");
    snap_both("logging_observations", &app);
    press(&mut app, KeyCode::Esc);
    // Typing on the list, taken as text.
    let clock = shared_clock(&mut app);
    clock.set_pace(std::time::Duration::from_millis(80));
    type_text(&mut app, "cannot say");
    snap_both("logging_typing_taken_as_text", &app);
}

#[test]
fn snapshot_future_date_resume_offer_and_banner() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("dated.toml"),
        "[questionnaire]\nid = \"dated-test\"\nversion = \"1.0.0\"\ntitle = \"Dated\"\nrespondent = \"none\"\nsource = \"test\"\n\n[[section]]\nid = \"when\"\ntitle = \"When\"\n\n[[section.question]]\nid = \"first-seen\"\nprompt = \"When was it first seen?\"\nsource = \"test\"\nanswer = { type = \"date\" }\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("broken.toml"), "[questionnaire\n").unwrap();
    let (_, fx) = unlocked_app();
    let mut app = App::unlocked(
        fx.paths.clone(),
        Catalog::load(Some(dir.path())),
        clock(),
        Theme { mono: true },
        Box::new(fx.other_book()),
    );
    snap_both("cases_banner", &app);
    app.update(ctrl('n'));
    type_text(&mut app, "DEMO-0001");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "s");
    type_text(&mut app, "dated");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "2031");
    press(&mut app, KeyCode::Enter);
    snap_both("logging_future_date", &app);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    let Screen::Cases(c) = &mut app.screen else {
        panic!("case list")
    };
    c.offer = crate::tui::screens::resume::ResumeOffer::last_used(&app.ctx);
    snap_both("resume_offer", &app);
}
