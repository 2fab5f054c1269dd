//! Issue 15, point 1, in the real binary: words typed onto the question list at typing
//! speed (here: as fast as a pseudo-terminal delivers them) change no answer; they arrive
//! in the question's note, and undo takes a real slip back. Timing is the real clock's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use interview_companion::session::{AnswerValue, EventKind};

const REFERENCE: &str = "DEMO-0001";

#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn cannot_say_typed_on_the_list_changes_no_answer_in_the_real_binary() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    init_home(&home);
    let reader = book(&home);
    let case = create_case(&reader, REFERENCE);
    let mut tui = Tui::start(&home);
    tui.unlock(PASSPHRASE, REFERENCE);
    start_suspect_sitting(&mut tui, REFERENCE);
    // reduced-sexual-interest: yes.
    tui.keys("jjj", "Has your sexual interest");
    tui.keys("y", "1/35 answered");
    tui.wait_for("saved");
    // The words, typed onto the list.
    tui.keys("cannot say", "Typing on the list was taken as text");
    tui.wait_for("cannot say");
    tui.keys(ESC, "Note:");
    tui.wait_for("1/35 answered");
    // A real slip, undone.
    tui.keys("j", "Have you withdrawn");
    tui.keys("n", "2/35 answered");
    tui.keys("u", "Undone");
    tui.wait_for("1/35 answered");
    tui.quit();

    let record = reader.open_case(&case.id.parse().unwrap()).unwrap();
    let sitting = &record.sittings[0];
    let folded = sitting.fold();
    let state = folded.get("reduced-sexual-interest").unwrap();
    assert_eq!(state.answer, Some(AnswerValue::YesNo { yes: true }));
    assert_eq!(state.note.as_deref(), Some("cannot say"));
    assert!(folded.observations.is_empty(), "no observation opened");
    assert_eq!(folded.get("emotional-withdrawal").unwrap().answer, None);
    let kinds: Vec<&EventKind> = sitting.events.iter().map(|e| &e.kind).collect();
    // yes, the note, no, its undo: nothing from the typed words but the note.
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    assert_eq!(sitting.events[3].reverts, Some(sitting.events[2].seq));
}
