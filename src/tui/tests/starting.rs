//! Starting and resuming (issue 15, points 4, 9, 10): the sitting used last offered after
//! unlocking and opened where it was left, sittings by last use, the questionnaire from a
//! filtered list, and local questionnaires that failed to load named on screen.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::questionnaire::Respondent;
use crate::tui::screens::logging::LoggingScreen;
use crate::tui::screens::unlock::UnlockForm;

fn logging(app: &App) -> &LoggingScreen {
    match &app.screen {
        Screen::Logging(s) => s,
        _ => panic!("not on the logging screen"),
    }
}

fn shown(app: &App, w: u16, h: u16) -> String {
    format!("{}", draw(app, w, h).backend())
}

#[test]
fn after_unlocking_the_sitting_used_last_is_offered_and_opens_where_it_was_left() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    type_text(&mut app, "jjjy");
    app.update(ctrl('q'));
    assert!(app.quit);
    // A new run: unlock (the tick does the work) with the same records.
    let mut app = App::unlocked(
        _fx.paths.clone(),
        catalog(),
        clock(),
        Theme { mono: true },
        Box::new(_fx.other_book()),
    );
    app.screen = Screen::Unlock(UnlockForm::new(None));
    let book = app.ctx.book.take();
    // Unlocking through the real key file is covered elsewhere; here the book comes back
    // as the tick would hand it over.
    app.ctx.book = book;
    let mut cases = crate::tui::screens::cases::CasesScreen::load(&app.ctx);
    cases.offer = crate::tui::screens::resume::ResumeOffer::last_used(&app.ctx);
    app.screen = Screen::Cases(cases);
    let text = shown(&app, 80, 24);
    assert!(text.contains("Resume where you left off?"), "{text}");
    assert!(
        text.contains("DEMO-0001 · suspect · 1/35 answered"),
        "{text}"
    );
    assert!(
        text.contains("At: Has your sexual interest in your partner reduced?"),
        "{text}"
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        logging(&app).current().unwrap().id,
        "reduced-sexual-interest"
    );
    // Esc from there goes to the case.
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.screen, Screen::Case(_)));
}

#[test]
fn the_offer_is_put_away_by_esc_and_the_list_works() {
    let (mut app, fx) = unlocked_app();
    to_logging(&mut app);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    let mut cases = crate::tui::screens::cases::CasesScreen::load(&app.ctx);
    cases.offer = crate::tui::screens::resume::ResumeOffer::last_used(&app.ctx);
    assert!(cases.offer.is_some());
    app.screen = Screen::Cases(cases);
    press(&mut app, KeyCode::Esc);
    let Screen::Cases(c) = &app.screen else {
        panic!()
    };
    assert!(c.offer.is_none());
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Case(_)));
    drop(fx);
}

#[test]
fn sittings_are_listed_by_last_use_and_the_one_in_progress_is_marked() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    type_text(&mut app, "jjjy");
    press(&mut app, KeyCode::Esc);
    // A second sitting (partner), then back to the first: it is used last, so first.
    type_text(&mut app, "s");
    let Screen::Case(c) = &mut app.screen else {
        panic!()
    };
    c.form.as_mut().unwrap().choose("partner-interview");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "d");
    press(&mut app, KeyCode::Esc);
    let Screen::Case(c) = &app.screen else {
        panic!()
    };
    assert_eq!(c.sittings[0].respondent, Respondent::Partner, "used last");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(logging(&app).open.sitting.respondent, Respondent::Suspect);
    type_text(&mut app, "n");
    press(&mut app, KeyCode::Esc);
    let Screen::Case(c) = &app.screen else {
        panic!()
    };
    assert_eq!(c.sittings[0].respondent, Respondent::Suspect);
    let text = shown(&app, 100, 24);
    let first = text.lines().find(|l| l.contains("suspect  2026")).unwrap();
    assert!(first.contains("▶ last used"), "{text}");
    let second = text.lines().find(|l| l.contains("partner  ")).unwrap();
    assert!(!second.contains("last used"), "{text}");
}

#[test]
fn a_sitting_starts_from_a_filtered_list_with_the_respondent_following() {
    let (mut app, _fx) = unlocked_app();
    app.update(ctrl('n'));
    type_text(&mut app, "DEMO-0001");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "s");
    // Two words, in any order, narrow the list to the suspect interview.
    type_text(&mut app, "images user");
    let Screen::Case(c) = &app.screen else {
        panic!()
    };
    let form = c.form.as_ref().unwrap();
    assert_eq!(form.chosen(), Some("suspect-interview"));
    assert_eq!(
        form.respondent(),
        Respondent::Suspect,
        "follows the questionnaire"
    );
    assert_eq!(form.visible().len(), 1);
    let text = shown(&app, 80, 24);
    assert!(
        text.contains("Interview: alleged user of abuse images (35)"),
        "{text}"
    );
    // Changing the respondent warns.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    let Screen::Case(c) = &app.screen else {
        panic!()
    };
    assert_eq!(
        c.form.as_ref().unwrap().mismatch().as_deref(),
        Some("This questionnaire is written for the suspect; the respondent chosen is partner.")
    );
    let text = shown(&app, 80, 24);
    assert!(
        text.contains("⚠ This questionnaire is written for the suspect"),
        "{text}"
    );
    // Arrows choose within the list; clearing the filter shows them all.
    press(&mut app, KeyCode::BackTab);
    app.update(ctrl('u'));
    press(&mut app, KeyCode::Down);
    let Screen::Case(c) = &app.screen else {
        panic!()
    };
    assert_eq!(c.form.as_ref().unwrap().visible().len(), catalog().len());
    assert!(text.lines().count() > 0);
}

#[test]
fn the_interviewers_of_the_last_sitting_are_offered_again_and_none_is_not_recorded() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "s");
    let Screen::Case(c) = &app.screen else {
        panic!()
    };
    let form = c.form.as_ref().unwrap();
    assert_eq!(
        form.interviewer_list(),
        ["Interviewer One", "Interviewer Two"]
    );
}

#[test]
fn local_questionnaires_left_out_are_named_on_the_case_list() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.toml"), "[questionnaire\n").unwrap();
    let catalog = Catalog::load(Some(dir.path()));
    let (_, fx) = unlocked_app();
    let app = App::unlocked(
        fx.paths.clone(),
        catalog,
        clock(),
        Theme { mono: true },
        Box::new(fx.other_book()),
    );
    let text = shown(&app, 80, 24);
    assert!(text.contains("broken.toml"), "{text}");
    assert!(text.contains("questionnaires lint"), "{text}");
    assert!(
        text.contains("No cases yet"),
        "the list is still there: {text}"
    );
    let small = shown(&app, 40, 12);
    assert!(small.contains("broken.toml"), "{small}");
}
