//! What the logging screen shows beyond the questionnaire: the live `≠` mark against the
//! other sources' answers, the other interview's and the record's (never the answers
//! themselves), and answers recorded for questions
//! the questionnaire no longer has.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::questionnaire::Respondent;
use crate::session::{AnswerValue, EventKind};
use crate::tui::screens::logging::LoggingScreen;
use crate::tui::screens::logging_view::DIVERGES;

fn logging(app: &App) -> &LoggingScreen {
    match &app.screen {
        Screen::Logging(s) => s,
        _ => panic!("not on the logging screen"),
    }
}

fn case_of(app: &App) -> crate::session::Case {
    match &app.screen {
        Screen::Case(c) => c.case.clone().unwrap(),
        Screen::Logging(s) => s.case.clone(),
        _ => panic!("no case open"),
    }
}

/// Saves a sitting with these events through the app's records.
fn saved_sitting(app: &App, who: Respondent, questionnaire: &str, events: Vec<EventKind>) {
    let book = app.ctx.book.as_ref().unwrap();
    let q = app.ctx.catalog.get(questionnaire).unwrap();
    let case = case_of(app);
    let mut open = book
        .start_sitting(&case, q, who, vec![], app.ctx.clock.as_ref())
        .unwrap();
    for e in events {
        open.sitting.record(e, app.ctx.clock.stamp());
    }
    book.save_sitting(&open).unwrap();
}

fn answer(question: &str, value: AnswerValue) -> EventKind {
    EventKind::Answer {
        question: question.into(),
        value,
    }
}

/// The partner's answers, distinctive so a leak would show: 7 hours, "yes", a note.
fn partner_events() -> Vec<EventKind> {
    vec![
        answer("hours-online", AnswerValue::Number { number: 7.0 }),
        answer("reduced-sexual-interest", AnswerValue::YesNo { yes: true }),
        EventKind::Note {
            question: "hours-online".into(),
            text: "Partner says evenings only".into(),
        },
    ]
}

/// A suspect sitting resumed after the partner's was recorded: the logging screen.
fn suspect_after_partner() -> (App, Fixture) {
    let (mut app, fx) = unlocked_app();
    to_logging(&mut app);
    press(&mut app, KeyCode::Esc);
    saved_sitting(
        &app,
        Respondent::Partner,
        "partner-interview",
        partner_events(),
    );
    // Back in through the case screen, so the partner's sitting is read on opening.
    let id = case_of(&app).id.parse().unwrap();
    let mut case = crate::tui::screens::case::CaseScreen::open(&id, &app.ctx).unwrap();
    // Sittings are listed by last use: the partner's came last.
    assert_eq!(case.sittings[0].respondent, Respondent::Partner);
    case.selected = 1;
    app.screen = Screen::Case(case);
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        logging(&app).open.sitting.respondent,
        Respondent::Suspect,
        "resumed the suspect's sitting"
    );
    (app, fx)
}

fn shown(app: &App) -> String {
    format!("{}", draw(app, 120, 40).backend())
}

#[test]
fn a_differing_answer_is_marked_and_the_other_side_never_shown() {
    let (mut app, _fx) = suspect_after_partner();
    assert!(logging(&app).compares());
    assert!(logging(&app).diverges.is_empty(), "nothing answered yet");
    // 25 hours against the partner's 7: far beyond the allowance.
    type_text(&mut app, "25");
    press(&mut app, KeyCode::Enter);
    assert!(logging(&app).diverges.contains("hours-online"));
    let text = shown(&app);
    assert!(text.contains(DIVERGES), "{text}");
    assert!(text.contains("›✓ ≠ In a typical week"), "{text}");
    // 9 against 7: 2 hours apart, beyond the allowance of max(1, 0.2 × 9 = 1.8).
    type_text(&mut app, "e");
    for _ in 0..2 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "9");
    press(&mut app, KeyCode::Enter);
    assert!(logging(&app).diverges.contains("hours-online"));
    // 8 against 7: within max(1, 0.2 × 8 = 1.6): the mark goes.
    type_text(&mut app, "e");
    press(&mut app, KeyCode::Backspace);
    type_text(&mut app, "8");
    press(&mut app, KeyCode::Enter);
    assert!(!logging(&app).diverges.contains("hours-online"));
    assert!(!shown(&app).contains(DIVERGES));
    // Yes/no: agree, then differ.
    type_text(&mut app, "jjjy");
    assert!(!logging(&app).diverges.contains("reduced-sexual-interest"));
    type_text(&mut app, "n");
    assert!(logging(&app).diverges.contains("reduced-sexual-interest"));
    // Uncertain is not a divergence.
    type_text(&mut app, "d");
    assert!(!logging(&app).diverges.contains("reduced-sexual-interest"));
    type_text(&mut app, "n");
    // Whatever is on screen, the partner's answers and note are not.
    for _ in 0..3 {
        let text = shown(&app);
        for leak in [
            "7 hours",
            "evenings only",
            "partner answered",
            "partner yes",
        ] {
            assert!(!text.contains(leak), "{leak:?} on screen:\n{text}");
        }
        type_text(&mut app, "k");
    }
}

#[test]
fn snapshot_divergence_mark() {
    let (mut app, _fx) = suspect_after_partner();
    app.theme = Theme { mono: true };
    type_text(&mut app, "25");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "jjjnkkk");
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(
            format!("logging_diverges_{w}x{h}"),
            draw(&app, w, h).backend()
        );
    }
}

#[test]
fn other_sittings_than_suspect_and_partner_are_not_compared() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    press(&mut app, KeyCode::Esc);
    // Another suspect sitting is the same side, not the other.
    saved_sitting(
        &app,
        Respondent::Suspect,
        "suspect-interview",
        partner_events(),
    );
    press(&mut app, KeyCode::Enter);
    assert!(!logging(&app).compares());
    type_text(&mut app, "25");
    press(&mut app, KeyCode::Enter);
    assert!(logging(&app).diverges.is_empty());
}

/// Issue 13: the marks extend to the record (the core assessment): an account that diverges
/// from what the police found is marked, with the same words as against the other
/// interview, and nothing of the record is on screen.
#[test]
fn an_answer_that_departs_from_the_record_is_marked_and_the_record_never_shown() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    press(&mut app, KeyCode::Esc);
    saved_sitting(
        &app,
        Respondent::None,
        "core-assessment",
        vec![
            answer("evidence-of-trading", AnswerValue::YesNo { yes: true }),
            EventKind::Note {
                question: "evidence-of-trading".into(),
                text: "Second drive found in the loft".into(),
            },
        ],
    );
    // The suspect's sitting is the older one: the last in the list.
    type_text(&mut app, "jjj");
    press(&mut app, KeyCode::Enter);
    assert_eq!(logging(&app).open.sitting.respondent, Respondent::Suspect);
    assert!(logging(&app).compares(), "the record's answers were read");
    type_text(&mut app, "/exchanged images");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "n");
    assert!(logging(&app).diverges.contains("images-exchanged"));
    let text = shown(&app);
    assert!(text.contains(DIVERGES), "{text}");
    for leak in ["Second drive", "trading", "the record says", "evidence"] {
        assert!(!text.contains(leak), "{leak:?} on screen:\n{text}");
    }
    // Agreeing with the record: the mark goes.
    type_text(&mut app, "y");
    assert!(!logging(&app).diverges.contains("images-exchanged"));
}

/// And the other way: logging the record, an item that departs from an account is marked.
#[test]
fn the_record_is_marked_where_it_departs_from_an_account() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    type_text(&mut app, "/exchanged images");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "n");
    press(&mut app, KeyCode::Esc);
    // Start a core-assessment sitting from the case screen.
    type_text(&mut app, "s");
    let Screen::Case(c) = &mut app.screen else {
        panic!("case screen")
    };
    c.form.as_mut().unwrap().choose("core-assessment");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Interviewer One");
    press(&mut app, KeyCode::Enter);
    assert_eq!(logging(&app).open.sitting.respondent, Respondent::None);
    assert!(logging(&app).compares());
    type_text(&mut app, "/evidence of trading");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "y");
    assert!(logging(&app).diverges.contains("evidence-of-trading"));
    type_text(&mut app, "n");
    assert!(logging(&app).diverges.is_empty());
}

/// A suspect sitting that holds answers to two questions the questionnaire no longer has.
fn with_old_answers() -> (App, Fixture) {
    let (mut app, fx) = unlocked_app();
    to_logging(&mut app);
    press(&mut app, KeyCode::Esc);
    saved_sitting(
        &app,
        Respondent::Suspect,
        "suspect-interview",
        vec![
            answer("hours-online", AnswerValue::Number { number: 12.0 }),
            answer(
                "retired-question",
                AnswerValue::Text {
                    text: "An answer from an older version".into(),
                },
            ),
            EventKind::Flag {
                question: "retired-question".into(),
                on: true,
            },
            answer("dropped-yes-no", AnswerValue::YesNo { yes: false }),
        ],
    );
    // The second suspect sitting (used last, so listed first) is the one with old answers.
    let Screen::Case(c) = &mut app.screen else {
        panic!()
    };
    let id = c.id.clone();
    app.screen = Screen::Case(crate::tui::screens::case::CaseScreen::open(&id, &app.ctx).unwrap());
    press(&mut app, KeyCode::Enter);
    (app, fx)
}

#[test]
fn answers_to_questions_no_longer_asked_are_listed_read_only() {
    let (mut app, fx) = with_old_answers();
    let s = logging(&app);
    assert_eq!(s.others, ["dropped-yes-no", "retired-question"]);
    // Jump there by id: the answer is shown, with what it was recorded with.
    type_text(&mut app, "/retired");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        logging(&app).other_at(logging(&app).cursor),
        Some("retired-question")
    );
    let text = shown(&app);
    assert!(text.contains("An answer from an older version"), "{text}");
    assert!(text.contains("§ Other recorded answers"), "{text}");
    assert!(text.contains("not in this questionnaire"), "{text}");
    assert!(text.contains("⚑ follow up"), "{text}");
    // Read-only: no key records anything for it.
    let before = logging(&app).open.sitting.events.len();
    type_text(&mut app, "yndxcf1");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Enter);
    assert_eq!(logging(&app).open.sitting.events.len(), before);
    assert!(shown(&app).contains("not in the questionnaire any more"));
    // The flagged list and moving by section reach them too.
    type_text(&mut app, "F");
    assert!(shown(&app).contains("retired-question (other recorded answer)"));
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "K");
    assert!(
        logging(&app).current().is_some(),
        "back in the questionnaire"
    );
    type_text(&mut app, "J");
    assert_eq!(logging(&app).cursor, logging(&app).rows.len());
    // Nothing of it is lost on saving the sitting again.
    type_text(&mut app, "/hours-online");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "d");
    let book = fx.other_book();
    let case = book.find("DEMO-0001").unwrap();
    let sitting = book
        .open_case(&case.id)
        .unwrap()
        .sittings
        .into_iter()
        .find(|x| x.id == logging(&app).open.sitting.id)
        .unwrap();
    let folded = sitting.fold();
    assert_eq!(folded, logging(&app).folded);
    assert!(folded.get("retired-question").unwrap().answer.is_some());
}

#[test]
fn snapshot_other_recorded_answers() {
    let (mut app, _fx) = with_old_answers();
    app.theme = Theme { mono: true };
    type_text(&mut app, "/dropped");
    press(&mut app, KeyCode::Enter);
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(
            format!("logging_other_answers_{w}x{h}"),
            draw(&app, w, h).backend()
        );
    }
}

#[test]
fn c_goes_to_the_cross_checks_still_to_ask_and_gt_to_the_differences() {
    // The partner answered hours-online and reduced-sexual-interest; nothing asked here.
    let (mut app, _fx) = suspect_after_partner();
    type_text(&mut app, "G");
    type_text(&mut app, "c");
    assert_eq!(
        logging(&app).current().unwrap().id,
        "hours-online",
        "wrapped round to the first one to ask"
    );
    type_text(&mut app, "c");
    assert_eq!(
        logging(&app).current().unwrap().id,
        "reduced-sexual-interest"
    );
    // Asked here now (and differing): no longer to ask, and marked ≠.
    type_text(&mut app, "n");
    type_text(&mut app, "c");
    assert_eq!(logging(&app).current().unwrap().id, "hours-online");
    type_text(&mut app, "25");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "c");
    assert!(
        logging(&app)
            .flash
            .as_deref()
            .unwrap()
            .contains("No cross-check is waiting"),
        "{:?}",
        logging(&app).flash
    );
    type_text(&mut app, ">");
    assert_eq!(
        logging(&app).current().unwrap().id,
        "reduced-sexual-interest"
    );
    type_text(&mut app, ">");
    assert_eq!(logging(&app).current().unwrap().id, "hours-online");
    type_text(&mut app, "<");
    assert_eq!(
        logging(&app).current().unwrap().id,
        "reduced-sexual-interest"
    );
    // Moving there never shows the partner's answers.
    let text = shown(&app);
    assert!(
        !text.contains("7 hours") && !text.contains("evenings only"),
        "{text}"
    );
}
