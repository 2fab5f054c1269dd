//! The real binary in a pseudo-terminal: text being typed when the program is left is not
//! lost. Tab, type a note, Ctrl+Q: the note is in the sitting file, read back with the
//! library and with the stock `age` command. An answer half-typed and not valid: the first
//! Ctrl+Q asks, the second quits without it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{CTRL_Q, ENTER, PASSPHRASE, TAB, Tui};
use interview_companion::session::{EventKind, Sitting};

fn sittings(home: &Path) -> (Vec<Sitting>, Vec<std::path::PathBuf>) {
    let book = common::book(home);
    let case = book.find("DEMO-0001").unwrap();
    let record = book.open_case(&case.id).unwrap();
    assert!(record.problems.is_empty(), "{:?}", record.problems);
    let files = record
        .sittings
        .iter()
        .map(|s| book.store().sitting_file(&case.id, &s.id.parse().unwrap()))
        .collect();
    (record.sittings, files)
}

#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn a_note_being_typed_when_quitting_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    common::init_home(&home);
    common::create_case(&common::book(&home), "DEMO-0001");
    let mut tui = Tui::start(&home);
    tui.unlock(PASSPHRASE, "DEMO-0001");
    common::start_suspect_sitting(&mut tui, "DEMO-0001");
    tui.keys(TAB, "Note");
    tui.send("Paused before answering");
    tui.wait_for("Paused before answering");
    tui.send(CTRL_Q);
    assert!(tui.wait_exit(), "exit status; screen:\n{}", tui.screen());

    let (sittings, files) = sittings(&home);
    let notes: Vec<&str> = sittings[0]
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Note { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(notes, ["Paused before answering"]);
    assert!(
        sittings[0].ended.is_some(),
        "quitting records the close time"
    );

    // The stock `age` command finds it too.
    let identity = dir.path().join("identity.txt");
    let bytes =
        std::fs::read(interview_companion::paths::Paths::under(&home).identity_file()).unwrap();
    let scrypt = age::scrypt::Identity::new(common::secret());
    std::fs::write(&identity, age::decrypt(&scrypt, &bytes).unwrap()).unwrap();
    match std::process::Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&identity)
        .arg(&files[0])
        .output()
    {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(text.contains("Paused before answering"), "{text}");
        }
        Err(e) => common::skip_or_fail(&format!(
            "the stock `age` command is not installed ({e}); apt-get install age"
        )),
    }
}

#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn an_answer_that_is_not_valid_is_asked_about_before_quitting() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    common::init_home(&home);
    common::create_case(&common::book(&home), "DEMO-0001");
    let mut tui = Tui::start(&home);
    tui.unlock(PASSPHRASE, "DEMO-0001");
    common::start_suspect_sitting(&mut tui, "DEMO-0001");
    // The first question takes a number.
    tui.keys(ENTER, "Type the answer");
    tui.send("2x");
    tui.send(CTRL_Q);
    tui.wait_for("same key again to quit without it");
    assert!(tui.child.try_wait().unwrap().is_none(), "quit at once");
    tui.send(CTRL_Q);
    assert!(tui.wait_exit(), "exit status; screen:\n{}", tui.screen());
    let (sittings, _) = sittings(&home);
    assert_eq!(sittings[0].fold().answered(), 0);
}
