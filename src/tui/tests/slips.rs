//! Slips while logging live (issue 15, point 1): text typed on the list by mistake, undo
//! and redo as new events, and clearing that takes more than one letter.

use std::time::Duration;

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::session::{AnswerValue, EventKind};
use crate::tui::screens::logging::{LoggingScreen, Mode};

fn logging(app: &App) -> &LoggingScreen {
    match &app.screen {
        Screen::Logging(s) => s,
        _ => panic!("not on the logging screen"),
    }
}

fn answer_of(app: &App, id: &str) -> Option<AnswerValue> {
    logging(app).folded.get(id).and_then(|q| q.answer.clone())
}

/// What the records hold for the open sitting, read back from disk.
fn on_disk(app: &App) -> crate::session::Folded {
    let s = logging(app);
    let book = app.ctx.book.as_ref().unwrap();
    let record = book.open_case(&s.case.id.parse().unwrap()).unwrap();
    record
        .sittings
        .into_iter()
        .find(|x| x.id == s.open.sitting.id)
        .unwrap()
        .fold()
}

/// The logging screen on `reduced-sexual-interest` (yes/no, cross-checked), answered "yes".
fn answered_yes() -> (App, Fixture) {
    let (mut app, fx) = unlocked_app();
    to_logging(&mut app);
    type_text(&mut app, "jjjy");
    assert_eq!(
        answer_of(&app, "reduced-sexual-interest"),
        Some(AnswerValue::YesNo { yes: true })
    );
    (app, fx)
}

#[test]
fn typing_cannot_say_on_the_list_changes_no_answer_and_keeps_the_words() {
    let (mut app, _fx) = answered_yes();
    let clock = shared_clock(&mut app);
    let events_before = logging(&app).open.sitting.events.len();
    // The exact sequence, at typing speed (80 ms a key).
    clock.set_pace(Duration::from_millis(80));
    type_text(&mut app, "cannot say");
    let s = logging(&app);
    assert_eq!(
        answer_of(&app, "reduced-sexual-interest"),
        Some(AnswerValue::YesNo { yes: true }),
        "the answer is as it was"
    );
    assert_eq!(
        s.current().unwrap().id,
        "reduced-sexual-interest",
        "the cursor stayed"
    );
    assert_eq!(
        s.open.sitting.events.len(),
        events_before,
        "nothing was recorded: no clear, no \"no\", no observation"
    );
    assert!(s.folded.observations.is_empty());
    // The words are in the question's note editor, whole.
    let Mode::Note(area) = &s.mode else {
        panic!("the note editor holds the words");
    };
    assert_eq!(crate::tui::screens::field::text(area), "cannot say");
    assert!(s.message.as_deref().unwrap().contains("taken as text"));
    // Esc saves it as the note: one event.
    press(&mut app, KeyCode::Esc);
    let note = logging(&app)
        .folded
        .get("reduced-sexual-interest")
        .unwrap()
        .note
        .clone();
    assert_eq!(note.as_deref(), Some("cannot say"));
    assert_eq!(on_disk(&app), logging(&app).folded);
}

#[test]
fn typed_words_that_begin_with_answer_keys_are_put_back() {
    let (mut app, _fx) = answered_yes();
    let clock = shared_clock(&mut app);
    clock.set_pace(Duration::from_millis(120));
    // "no way": n records "no" at once, o tips the run into typing.
    type_text(&mut app, "no way");
    let s = logging(&app);
    assert_eq!(
        answer_of(&app, "reduced-sexual-interest"),
        Some(AnswerValue::YesNo { yes: true }),
        "the \"no\" was put back"
    );
    let history = &s.folded.get("reduced-sexual-interest").unwrap().history;
    assert_eq!(
        history.len(),
        3,
        "yes, no, and yes again: the history keeps all"
    );
    assert_eq!(history[2].reverts, Some(history[1].seq));
    let Mode::Note(area) = &s.mode else {
        panic!("note editor");
    };
    assert_eq!(crate::tui::screens::field::text(area), "no way");
    assert_eq!(on_disk(&app), logging(&app).folded);
}

#[test]
fn a_text_question_takes_typed_words_as_its_answer_and_esc_drops_them() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    let clock = shared_clock(&mut app);
    type_text(&mut app, "/activities-and-pleasure");
    press(&mut app, KeyCode::Enter);
    clock.set_pace(Duration::from_millis(90));
    type_text(&mut app, "forums");
    let s = logging(&app);
    let Mode::Answer(area) = &s.mode else {
        panic!(
            "the answer field holds the words: {:?} {:?}",
            s.context(),
            s.current().map(|q| &q.id)
        );
    };
    assert_eq!(crate::tui::screens::field::text(area), "forums");
    press(&mut app, KeyCode::Esc);
    assert_eq!(
        answer_of(&app, "activities-and-pleasure"),
        None,
        "Esc drops them"
    );
    // The `f` at the start of the word flagged the question; that was put back.
    let state = logging(&app).folded.get("activities-and-pleasure").unwrap();
    assert!(!state.flagged);
}

#[test]
fn a_normal_answering_rhythm_is_never_taken_for_typing() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    let clock = shared_clock(&mut app);
    // A person answering: a question to hear between answers (here 700 ms a key, quicker
    // than most), quick moves, an answer then a flag at once, multi-choice digits at once.
    clock.set_pace(Duration::from_millis(700));
    type_text(&mut app, "jjjyjnjdjx");
    clock.set_pace(Duration::from_millis(60));
    type_text(&mut app, "kkkk");
    clock.set_pace(Duration::from_millis(700));
    type_text(&mut app, "jjjj");
    clock.set_pace(Duration::from_millis(120));
    type_text(&mut app, "yf");
    clock.set_pace(Duration::from_millis(700));
    press(&mut app, KeyCode::PageDown);
    clock.set_pace(Duration::from_millis(100));
    type_text(&mut app, "13");
    // A script at machine speed (20 ms a key), answering and moving on: never typing.
    clock.set_pace(Duration::from_millis(700));
    type_text(&mut app, "j");
    clock.set_pace(Duration::from_millis(20));
    type_text(&mut app, "jdjxjdjx");
    let s = logging(&app);
    assert!(matches!(s.mode, Mode::Browse), "no editor opened");
    assert!(s.message.is_none(), "{:?}", s.message);
    assert_eq!(
        answer_of(&app, "reduced-sexual-interest"),
        Some(AnswerValue::YesNo { yes: true })
    );
    assert_eq!(
        answer_of(&app, "emotional-withdrawal"),
        Some(AnswerValue::YesNo { yes: false })
    );
    assert_eq!(
        answer_of(&app, "emotional-support"),
        Some(AnswerValue::DontKnow)
    );
    assert_eq!(
        answer_of(&app, "social-isolation"),
        Some(AnswerValue::Declined)
    );
    assert!(s.folded.get("social-isolation").unwrap().flagged);
    assert!(matches!(
        answer_of(&app, "internet-media"),
        Some(AnswerValue::MultiChoice { options }) if options.len() == 2
    ));
    assert!(s.open.sitting.events.iter().all(|e| e.reverts.is_none()));
    assert_eq!(s.open.sitting.events.len(), 11);
}

#[test]
fn short_words_are_typing_too() {
    for (word, answered) in [("and", false), ("do", true), ("yes", true), ("for", true)] {
        let (mut app, _fx) = answered_yes();
        type_text(&mut app, "j");
        let clock = shared_clock(&mut app);
        clock.set_pace(Duration::from_millis(150));
        let before = logging(&app).folded.clone();
        type_text(&mut app, word);
        let s = logging(&app);
        assert!(
            matches!(s.mode, Mode::Note(_)),
            "{word:?} went to the note: {:?}",
            s.context()
        );
        assert_eq!(
            s.folded
                .get("emotional-withdrawal")
                .and_then(|q| q.answer.clone()),
            before
                .get("emotional-withdrawal")
                .and_then(|q| q.answer.clone()),
            "{word:?} changed no answer"
        );
        assert!(
            !s.folded
                .get("emotional-withdrawal")
                .is_some_and(|q| q.flagged)
        );
        // Whether the run recorded something first (and put it back) or not at all.
        let events = s
            .folded
            .get("emotional-withdrawal")
            .map_or(0, |q| q.history.len());
        assert_eq!(events > 0, answered, "{word:?}: {events} events");
    }
}

#[test]
fn undo_and_redo_record_new_events_and_walk_back_and_forth() {
    let (mut app, _fx) = answered_yes();
    type_text(&mut app, "jn");
    type_text(&mut app, "u");
    let s = logging(&app);
    assert_eq!(
        answer_of(&app, "emotional-withdrawal"),
        None,
        "undone: not asked"
    );
    assert_eq!(s.current().unwrap().id, "emotional-withdrawal");
    assert!(
        s.flash.as_deref().unwrap().starts_with("Undone"),
        "{:?}",
        s.flash
    );
    // Undo again goes to the earlier question and takes its answer back too.
    type_text(&mut app, "u");
    assert_eq!(
        logging(&app).current().unwrap().id,
        "reduced-sexual-interest"
    );
    assert_eq!(answer_of(&app, "reduced-sexual-interest"), None);
    type_text(&mut app, "u");
    assert_eq!(logging(&app).flash.as_deref(), Some("Nothing to undo."));
    // Redo both, in order; Ctrl+R too.
    type_text(&mut app, "U");
    assert_eq!(
        answer_of(&app, "reduced-sexual-interest"),
        Some(AnswerValue::YesNo { yes: true })
    );
    app.update(ctrl('r'));
    assert_eq!(
        answer_of(&app, "emotional-withdrawal"),
        Some(AnswerValue::YesNo { yes: false })
    );
    type_text(&mut app, "U");
    assert_eq!(logging(&app).flash.as_deref(), Some("Nothing to redo."));
    // Nothing was taken out: 2 answers, 2 undos, 2 redos.
    let events = &logging(&app).open.sitting.events;
    assert_eq!(events.len(), 6);
    assert_eq!(events.iter().filter(|e| e.reverts.is_some()).count(), 4);
    assert_eq!(on_disk(&app), logging(&app).folded);
}

#[test]
fn clearing_takes_delete_and_a_confirmation_and_c_clears_nothing() {
    let (mut app, _fx) = answered_yes();
    // `c` used to clear: now it never touches an answer.
    type_text(&mut app, "k");
    type_text(&mut app, "j");
    type_text(&mut app, "c");
    assert_eq!(
        answer_of(&app, "reduced-sexual-interest"),
        Some(AnswerValue::YesNo { yes: true })
    );
    // Back on the question: Delete asks, and any other key keeps the answer.
    type_text(&mut app, "/reduced-sexual");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Delete);
    assert!(matches!(logging(&app).mode, Mode::ConfirmClear { .. }));
    let shown = format!("{}", draw(&app, 80, 24).backend());
    assert!(shown.contains("Clear the answer \"yes\"?"), "{shown}");
    type_text(&mut app, "x");
    assert!(matches!(logging(&app).mode, Mode::Browse));
    assert_eq!(
        answer_of(&app, "reduced-sexual-interest"),
        Some(AnswerValue::YesNo { yes: true })
    );
    assert_eq!(
        answer_of(&app, "reduced-sexual-interest"),
        Some(AnswerValue::YesNo { yes: true }),
        "the x went to the confirmation, not to the question"
    );
    // Delete, then Enter: cleared, and u brings it back.
    press(&mut app, KeyCode::Delete);
    press(&mut app, KeyCode::Enter);
    assert_eq!(answer_of(&app, "reduced-sexual-interest"), None);
    type_text(&mut app, "u");
    assert_eq!(
        answer_of(&app, "reduced-sexual-interest"),
        Some(AnswerValue::YesNo { yes: true })
    );
    // Nothing to clear on an unanswered question says so.
    type_text(&mut app, "j");
    press(&mut app, KeyCode::Delete);
    assert!(matches!(logging(&app).mode, Mode::Browse));
    assert!(
        logging(&app)
            .flash
            .as_deref()
            .unwrap()
            .contains("not answered")
    );
    let kinds: Vec<&EventKind> = logging(&app)
        .open
        .sitting
        .events
        .iter()
        .map(|e| &e.kind)
        .collect();
    assert_eq!(kinds.len(), 3, "yes, clear, undo: {kinds:?}");
}
