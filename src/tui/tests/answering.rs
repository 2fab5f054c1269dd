//! Answering live (issue 15, points 2, 3, 5–8): empty answers, dates as people say them,
//! moves, small windows, feedback in the footer, history and observations.

use std::time::Duration;

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::session::{AnswerValue, EventKind, PartialDate};
use crate::tui::action::Context;
use crate::tui::screens::logging::{LoggingScreen, Mode, SaveState};

fn logging(app: &App) -> &LoggingScreen {
    match &app.screen {
        Screen::Logging(s) => s,
        _ => panic!("not on the logging screen"),
    }
}

fn answer_of(app: &App, id: &str) -> Option<AnswerValue> {
    logging(app).folded.get(id).and_then(|q| q.answer.clone())
}

fn shown(app: &App, w: u16, h: u16) -> String {
    format!("{}", draw(app, w, h).backend())
}

fn footer(app: &App, w: u16, h: u16) -> String {
    let terminal = draw(app, w, h);
    let buffer = terminal.backend().buffer();
    (0..w)
        .map(|x| buffer[(x, h - 1)].symbol().to_string())
        .collect()
}

/// A logging screen on a local questionnaire with date questions (the embedded set has
/// none). The clock says 2026-03-02.
fn dated() -> (App, Fixture, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("dated.toml"),
        r#"[questionnaire]
id = "dated-test"
version = "1.0.0"
title = "Dated"
respondent = "none"
source = "test"

[[section]]
id = "when"
title = "When"

[[section.question]]
id = "first-seen"
prompt = "When was it first seen?"
source = "test"
answer = { type = "date" }

[[section.question]]
id = "last-seen"
prompt = "When was it last seen?"
source = "test"
answer = { type = "date" }
"#,
    )
    .unwrap();
    let (mut app, fx) = unlocked_app();
    app.ctx.catalog = Catalog::load(Some(dir.path()));
    app.update(ctrl('n'));
    type_text(&mut app, "DEMO-0001");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "s");
    let Screen::Case(c) = &mut app.screen else {
        panic!()
    };
    c.form.as_mut().unwrap().choose("dated-test");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Logging(_)));
    (app, fx, dir)
}

/// Opens the answer field (it shows the current answer), clears it, types, records.
fn typed(app: &mut App, text: &str) {
    press(app, KeyCode::Enter);
    app.update(ctrl('u'));
    type_text(app, text);
    press(app, KeyCode::Enter);
}

#[test]
fn an_empty_text_answer_records_nothing_and_counts_as_not_answered() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    type_text(&mut app, "/activities-and-pleasure");
    press(&mut app, KeyCode::Enter);
    // The issue's Enter, Enter.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let s = logging(&app);
    assert!(s.open.sitting.events.is_empty(), "nothing recorded");
    assert_eq!(s.answered_here(), 0);
    assert!(matches!(s.mode, Mode::Browse));
    assert!(
        footer(&app, 80, 24).contains("Nothing typed"),
        "{}",
        footer(&app, 80, 24)
    );
    assert!(shown(&app, 80, 24).contains("0/35 answered"));
    // Spaces only are empty too.
    typed(&mut app, "   ");
    assert!(logging(&app).open.sitting.events.is_empty());
}

#[test]
fn dates_are_taken_as_people_say_them_with_their_precision() {
    let (mut app, _fx, _dir) = dated();
    // The issue's refused forms.
    typed(&mut app, "2019");
    assert_eq!(
        answer_of(&app, "first-seen"),
        Some(AnswerValue::Date {
            date: PartialDate::year(2019).unwrap()
        })
    );
    assert!(
        shown(&app, 80, 24).contains("Answer: ✓ 2019"),
        "{}",
        shown(&app, 80, 24)
    );
    type_text(&mut app, "j");
    typed(&mut app, "March 2019");
    assert_eq!(
        answer_of(&app, "last-seen"),
        Some(AnswerValue::Date {
            date: PartialDate::month(2019, 3).unwrap()
        })
    );
    // A day that does not exist says which.
    typed(&mut app, "2031-02-30");
    assert!(
        matches!(logging(&app).mode, Mode::Answer(_)),
        "the field stays open"
    );
    let m = logging(&app).message.clone().unwrap();
    assert!(m.contains("February 2031 has 28 days"), "{m}");
    // Saved and read back as typed, precision included.
    press(&mut app, KeyCode::Esc);
    let book = app.ctx.book.as_ref().unwrap();
    let s = logging(&app);
    let back = book.open_case(&s.case.id.parse().unwrap()).unwrap();
    assert_eq!(back.sittings[0].fold(), s.folded);
}

#[test]
fn a_future_date_asks_before_it_is_recorded() {
    let (mut app, _fx, _dir) = dated();
    // The clock says 2026-03-02.
    typed(&mut app, "14/02/2031");
    assert!(matches!(logging(&app).mode, Mode::ConfirmDate { .. }));
    assert_eq!(answer_of(&app, "first-seen"), None, "not yet");
    let text = shown(&app, 80, 24);
    assert!(text.contains("14 February 2031 is in the future"), "{text}");
    // Esc: back to the field, the date still there to change.
    press(&mut app, KeyCode::Esc);
    let Mode::Answer(a) = &logging(&app).mode else {
        panic!("back to the field")
    };
    assert_eq!(crate::tui::screens::field::text(a), "14/02/2031");
    // Enter, then Enter again: recorded.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        answer_of(&app, "first-seen")
            .map(|v| v.to_string())
            .as_deref(),
        Some("2031-02-14")
    );
    // This month is not the future.
    type_text(&mut app, "j");
    typed(&mut app, "2026-03");
    assert!(matches!(logging(&app).mode, Mode::Browse));
    assert!(answer_of(&app, "last-seen").is_some());
}

#[test]
fn moves_go_to_the_ends_the_unanswered_and_the_divergent() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    type_text(&mut app, "G");
    assert_eq!(logging(&app).cursor, logging(&app).rows.len() - 1);
    press(&mut app, KeyCode::Home);
    assert_eq!(logging(&app).cursor, 0);
    press(&mut app, KeyCode::End);
    type_text(&mut app, "g");
    assert_eq!(logging(&app).cursor, 0);
    // Answer the first three; `a` goes to the fourth, `A` back round to the last.
    type_text(&mut app, "25");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "j1");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "j3");
    type_text(&mut app, "g");
    type_text(&mut app, "a");
    assert_eq!(logging(&app).cursor, 3);
    type_text(&mut app, "A");
    assert_eq!(logging(&app).cursor, logging(&app).rows.len() - 1);
    assert_eq!(logging(&app).flash.as_deref(), Some("From the end again."));
    // No other side yet: `c` and `>` say why they do not move.
    type_text(&mut app, "g");
    type_text(&mut app, "c");
    assert_eq!(logging(&app).cursor, 0);
    assert!(
        logging(&app)
            .flash
            .as_deref()
            .unwrap()
            .contains("other side")
    );
    type_text(&mut app, ">");
    assert_eq!(
        logging(&app).flash.as_deref(),
        Some("No question is marked ≠.")
    );
    assert!(footer(&app, 80, 24).contains("No question is marked ≠"));
}

#[test]
fn help_titles_are_words_and_setup_lists_only_what_works_there() {
    let dir = tempfile::tempdir().unwrap();
    let mut setup = App::new(
        Paths::under(dir.path()),
        catalog(),
        clock(),
        Theme { mono: true },
    );
    setup.update(key(KeyCode::F(1)));
    let text = shown(&setup, 80, 24);
    assert!(text.contains("Keys: Creating your identity"), "{text}");
    assert!(
        !text.contains("Lock now"),
        "no lock before there is anything to lock: {text}"
    );
    assert!(!text.contains("Blank the screen"), "{text}");
    // Ctrl+L does nothing there either.
    setup.update(ctrl('b'));
    assert!(!setup.privacy);
    // Review detail: words, not the table name.
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    type_text(&mut app, "?");
    let text = shown(&app, 100, 40);
    assert!(text.contains("Keys: Logging"), "{text}");
    assert!(!text.contains("Keys: logging"), "{text}");
    for c in Context::ALL {
        assert!(!c.title().contains('_'), "{c:?}");
    }
    // Everything fits at 120×60: no page key in the footer.
    app.size = (120, 60);
    assert!(
        !footer(&app, 120, 60).contains("PgDn"),
        "{}",
        footer(&app, 120, 60)
    );
    app.size = (80, 24);
    assert!(
        footer(&app, 80, 24).contains("PgDn"),
        "{}",
        footer(&app, 80, 24)
    );
}

#[test]
fn a_key_that_does_not_fit_says_why_in_the_footer() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    type_text(&mut app, "jj");
    // y on a scale.
    type_text(&mut app, "y");
    let f = footer(&app, 80, 24);
    assert!(
        f.contains("y/n fit yes/no questions; this is a scale 1–5"),
        "{f}"
    );
    // 9 on a scale of 5.
    type_text(&mut app, "9");
    let f = footer(&app, 80, 24);
    assert!(f.contains("No step 9: there are 5"), "{f}");
    // 3 on yes/no.
    type_text(&mut app, "j3");
    let f = footer(&app, 80, 24);
    assert!(f.contains("Digits choose options and steps"), "{f}");
    // The next key clears it; the help key is always there.
    type_text(&mut app, "k");
    assert!(logging(&app).flash.is_none());
    assert!(f.contains("? help"), "{f}");
    // In a one-pane window showing the list, the word is still seen.
    type_text(&mut app, "v");
    type_text(&mut app, "y");
    assert!(
        footer(&app, 40, 12).contains("y/n fit yes/no"),
        "{}",
        footer(&app, 40, 12)
    );
}

#[test]
fn the_not_saved_warning_goes_once_the_save_recovers() {
    let (mut app, fx) = unlocked_app();
    to_logging(&mut app);
    fx.disk
        .fail_every(crate::store::Op::Rename, std::io::ErrorKind::StorageFull);
    type_text(&mut app, "jjjy");
    app.update(ctrl('q'));
    assert!(!app.quit);
    assert!(shown(&app, 80, 24).contains("leaving now loses"));
    fx.disk.clear();
    app.update(Msg::Tick);
    assert!(matches!(logging(&app).save, SaveState::Saved(_)));
    let text = shown(&app, 80, 24);
    assert!(!text.contains("NOT SAVED"), "stale warning: {text}");
    assert!(!text.contains("leaving now loses"), "stale warning: {text}");
}

#[test]
fn the_question_pane_scrolls_in_a_small_window_and_says_there_is_more() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    // A scale question with guidance: at 40×12 its last step is below the pane.
    type_text(&mut app, "jj");
    let text = shown(&app, 40, 12);
    assert!(text.contains("▼ more below (Ctrl+D)"), "{text}");
    assert!(!text.contains("5 [ ] Very high"), "{text}");
    let mut seen = text;
    for _ in 0..20 {
        app.update(ctrl('d'));
        seen.push_str(&shown(&app, 40, 12));
    }
    assert!(
        seen.contains("5 [ ] Very high"),
        "the last step came into view: {seen}"
    );
    let end = shown(&app, 40, 12);
    assert!(end.contains("▲ more above (Ctrl+U)"), "{end}");
    assert!(!end.contains("▼ more below"), "{end}");
    // Another question starts at the top again.
    type_text(&mut app, "j");
    assert_eq!(logging(&app).scroll, 0);
    // Where it all fits, no sign of more.
    assert!(!shown(&app, 120, 40).contains("more below"));
}

#[test]
fn history_and_observations_can_be_seen_while_logging() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    let clock = shared_clock(&mut app);
    type_text(&mut app, "jjjy");
    type_text(&mut app, "n");
    type_text(&mut app, "u");
    let text = shown(&app, 80, 24);
    assert!(text.contains("History: 3 changes (h shows them)"), "{text}");
    type_text(&mut app, "h");
    assert!(matches!(logging(&app).mode, Mode::History { .. }));
    let text = shown(&app, 80, 24);
    assert!(text.contains("answered yes"), "{text}");
    assert!(text.contains("answered no"), "{text}");
    assert!(text.contains("answered yes (takes back #2)"), "{text}");
    press(&mut app, KeyCode::Esc);
    // An observation is timed when it was begun, not when Esc is pressed.
    type_text(&mut app, "o");
    let Mode::Observation { begun, .. } = &logging(&app).mode else {
        panic!("observation editor")
    };
    let begun = begun.clone();
    clock.set_pace(Duration::from_secs(1));
    for _ in 0..5 {
        let _ = app.ctx.clock.stamp(); // the writing takes a while
    }
    type_text(&mut app, "Door knock");
    press(&mut app, KeyCode::Esc);
    let s = logging(&app);
    let obs = s.folded.observations.last().unwrap().clone();
    assert!(matches!(&obs.kind, EventKind::Observation { text } if text == "Door knock"));
    assert_eq!(obs.stamp, begun, "timed when begun");
    assert!(
        (app.ctx.clock.stamp().at - obs.stamp.at).num_seconds() > 5,
        "not when Esc was pressed"
    );
    type_text(&mut app, "O");
    let text = shown(&app, 80, 24);
    assert!(text.contains("Observations (1)"), "{text}");
    assert!(text.contains("Door knock"), "{text}");
    assert!(
        text.contains(&obs.stamp.at.format("%H:%M:%S").to_string()),
        "{text}"
    );
}
