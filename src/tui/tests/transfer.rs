//! The case list's Send… and Receive…: the same library calls and messages as the CLI,
//! between two apps with their own identities.

use ratatui::crossterm::event::KeyCode;

use super::*;

fn cases_message(app: &App) -> String {
    match &app.screen {
        Screen::Cases(s) => s.message.clone().unwrap_or_default(),
        _ => panic!("not on the case list"),
    }
}

#[test]
fn send_from_one_app_and_receive_in_another_marks_the_sitting_received() {
    let (mut a, fa) = unlocked_app();
    let (mut b, fb) = unlocked_app();
    to_logging(&mut a);
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Esc);
    assert!(matches!(a.screen, Screen::Cases(_)));
    let help = format!("{}", {
        a.update(key(KeyCode::Char('?')));
        draw(&a, 120, 40).backend().clone()
    });
    assert!(
        help.contains("Send…") && help.contains("Receive…"),
        "{help}"
    );
    press(&mut a, KeyCode::Esc);

    let file = fa._dir.path().join("to-b.tar");
    a.update(ctrl('t'));
    let shown = format!("{}", draw(&a, 80, 24).backend());
    assert!(shown.contains("Send DEMO-0001"), "{shown}");
    type_text(&mut a, &fb.identity.to_public().to_string());
    press(&mut a, KeyCode::Tab);
    type_text(&mut a, file.to_str().unwrap());
    press(&mut a, KeyCode::Enter);
    let said = cases_message(&a);
    assert!(
        said.contains("wrote") && said.contains("1 sitting"),
        "{said}"
    );
    assert!(file.exists());
    // A second send to the same name is refused, the file left as it is.
    let before = std::fs::read(&file).unwrap();
    a.update(ctrl('t'));
    type_text(&mut a, &fb.identity.to_public().to_string());
    press(&mut a, KeyCode::Tab);
    type_text(&mut a, file.to_str().unwrap());
    press(&mut a, KeyCode::Enter);
    let Screen::Cases(s) = &a.screen else {
        unreachable!()
    };
    let err = s
        .transfer
        .as_ref()
        .and_then(|t| t.error.clone())
        .unwrap_or_default();
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before);

    b.update(ctrl('r'));
    type_text(&mut b, file.to_str().unwrap());
    press(&mut b, KeyCode::Enter);
    let said = cases_message(&b);
    assert!(said.contains("into: a new case DEMO-0001"), "{said}");
    assert!(said.contains("added"), "{said}");
    // Again: nothing written.
    b.update(ctrl('r'));
    type_text(&mut b, file.to_str().unwrap());
    press(&mut b, KeyCode::Enter);
    assert!(
        cases_message(&b).contains("already received"),
        "{}",
        cases_message(&b)
    );
    // A received sitting is its author's: never offered to resume as the one used last
    // (B logged nothing itself).
    assert!(
        crate::tui::screens::resume::ResumeOffer::last_used(&b.ctx).is_none(),
        "a received sitting offered to resume"
    );
    press(&mut b, KeyCode::Enter);
    assert!(matches!(b.screen, Screen::Case(_)));
    let shown = format!("{}", draw(&b, 120, 40).backend());
    assert!(shown.contains("⇲ received:"), "{shown}");
    assert!(shown.contains("UNKNOWN key"), "{shown}");
}
