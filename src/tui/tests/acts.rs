//! Prompts-to-act on the suspect's own sitting are held back from the logging screen (the
//! person across the table may read it; Stockport 10.9.7: do not alert the alleged
//! perpetrator) and shown on the case screen once the sitting is left. On a partner's
//! sitting they show at once.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::tui::screens::case::CaseScreen;
use crate::tui::screens::logging::LoggingScreen;
use crate::tui::screens::logging_view::HELD_ACT;

fn logging(app: &App) -> &LoggingScreen {
    match &app.screen {
        Screen::Logging(s) => s,
        _ => panic!("not on the logging screen"),
    }
}

fn case_screen(app: &App) -> &CaseScreen {
    match &app.screen {
        Screen::Case(s) => s,
        _ => panic!("not on the case screen"),
    }
}

fn shown(app: &App, w: u16, h: u16) -> String {
    format!("{}", draw(app, w, h).backend())
}

/// Jumps to the question whose prompt holds `words` and answers it with `key`.
fn answer(app: &mut App, words: &str, key: &str) {
    type_text(app, "/");
    type_text(app, words);
    press(app, KeyCode::Enter);
    type_text(app, key);
}

#[test]
fn on_the_suspects_sitting_a_prompt_to_act_waits_until_the_sitting_is_left() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    answer(&mut app, "tried to contact children", "y");
    assert_eq!(
        logging(&app).current().map(|q| q.id.as_str()),
        Some("attempts-contact-children")
    );
    for (w, h) in [(80, 24), (120, 40)] {
        let text = shown(&app, w, h);
        assert!(text.contains(HELD_ACT), "{text}");
        for word in ["police", "high risk", "ACT:"] {
            assert!(
                !text.contains(word),
                "{word:?} on the suspect's screen:\n{text}"
            );
        }
    }
    assert_eq!(logging(&app).held_acts().len(), 1);
    // Leaving the sitting: the case screen shows the prompt in full.
    press(&mut app, KeyCode::Esc);
    let held = &case_screen(&app).held_acts;
    assert_eq!(held.len(), 1, "{held:?}");
    assert!(held[0].contains("high risk"), "{held:?}");
    let text = shown(&app, 120, 40);
    assert!(
        text.contains("Prompts to act from the sitting just left"),
        "{text}"
    );
    assert!(
        text.contains("▶ ACT: After the sitting: attempting contact"),
        "{text}"
    );
    app.theme = Theme { mono: true };
    insta::assert_snapshot!("case_held_acts_80x24", scrubbed(&draw(&app, 80, 24)));
    // Opening the case again starts afresh: the prompts are in the review and the report.
    let id = case_screen(&app).id.clone();
    app.screen = Screen::Case(CaseScreen::open(&id, &app.ctx).unwrap());
    assert!(case_screen(&app).held_acts.is_empty());
}

#[test]
fn on_a_partners_sitting_a_prompt_to_act_shows_at_once() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "s");
    let Screen::Case(c) = &mut app.screen else {
        panic!("case screen")
    };
    // The respondent follows the questionnaire chosen.
    c.form.as_mut().unwrap().choose("partner-interview");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        logging(&app).open.sitting.respondent,
        crate::questionnaire::Respondent::Partner
    );
    answer(&mut app, "downloaded while children", "y");
    let text = shown(&app, 120, 40);
    assert!(
        text.contains("▶ ACT: Share with police colleagues"),
        "{text}"
    );
    assert!(!text.contains(HELD_ACT), "{text}");
    assert!(logging(&app).held_acts().is_empty());
}
