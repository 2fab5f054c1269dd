//! The real binary in a pseudo-terminal: set up, create a case, log a suspect sitting with
//! answers of every type the suspect interview has, a note, an observation and a flag; quit;
//! then read the sitting back with the library and with the stock `age` command. Resume,
//! change an answer: the change and the original are both in the history.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use age::secrecy::SecretString;
use common::{ENTER, ESC, Launch, PAGE_DOWN, PASSPHRASE, TAB, Tui};
use interview_companion::paths::Paths;
use interview_companion::records::CaseBook;
use interview_companion::session::{AnswerValue, EventKind, Folded, Sitting};
use interview_companion::store::{RealDisk, keys::unlock};

fn read_sitting(home: &Path) -> (Sitting, PathBuf) {
    let paths = Paths::under(home);
    let secret = SecretString::from(PASSPHRASE.to_string());
    let identity = unlock(&RealDisk, &paths, &secret).unwrap();
    let book = CaseBook::open(&paths, identity).unwrap();
    let case = book.find("DEMO-0001").unwrap();
    let record = book.open_case(&case.id).unwrap();
    assert!(record.problems.is_empty());
    assert_eq!(record.sittings.len(), 1);
    let sitting = record.sittings.into_iter().next().unwrap();
    let file = book
        .store()
        .sitting_file(&case.id, &sitting.id.parse().unwrap());
    (sitting, file)
}

fn expect_answers(folded: &Folded) {
    let answer = |id: &str| folded.get(id).and_then(|q| q.answer.clone());
    assert_eq!(
        answer("hours-online"),
        Some(AnswerValue::Number { number: 25.0 })
    );
    assert_eq!(
        answer("life-disruption"),
        Some(AnswerValue::Scale {
            step: "Moderate".into()
        })
    );
    assert_eq!(
        answer("reduced-sexual-interest"),
        Some(AnswerValue::YesNo { yes: true })
    );
    assert_eq!(
        answer("emotional-withdrawal"),
        Some(AnswerValue::YesNo { yes: false })
    );
    assert_eq!(answer("emotional-support"), Some(AnswerValue::DontKnow));
    assert_eq!(answer("social-isolation"), Some(AnswerValue::Declined));
    assert!(
        matches!(answer("internet-media"), Some(AnswerValue::MultiChoice { options }) if options.len() == 2)
    );
    assert_eq!(
        answer("activities-and-pleasure"),
        Some(AnswerValue::Text {
            text: "Forums and chat".into()
        })
    );
    assert!(matches!(
        answer("virtual-relationships"),
        Some(AnswerValue::Choice { .. })
    ));
    assert_eq!(folded.answered(), 9, "exactly the answers given");
    let vr = folded.get("virtual-relationships").unwrap();
    assert_eq!(vr.note.as_deref(), Some("Hesitated"));
    assert!(vr.flagged);
    assert_eq!(folded.flagged(), 1);
    assert_eq!(folded.observations.len(), 1);
    assert!(
        matches!(&folded.observations[0].kind, EventKind::Observation { text } if text == "Partner came in")
    );
}

/// The identity's plaintext, for the stock `age` command (written only inside the test's
/// temporary folder).
fn plaintext_identity(home: &Path, out: &Path) {
    let bytes = std::fs::read(Paths::under(home).identity_file()).unwrap();
    let id = age::scrypt::Identity::new(SecretString::from(PASSPHRASE.to_string()));
    let plain = age::decrypt(&id, &bytes).unwrap();
    std::fs::write(out, plain).unwrap();
}

#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn a_sitting_logged_in_the_real_binary_decrypts_with_age() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let mut tui = Tui::start(&home);
    tui.wait_for("Create your identity");
    tui.send(PASSPHRASE);
    tui.send(ENTER);
    tui.send(PASSPHRASE);
    // The second of key derivation is announced before it starts.
    tui.keys(ENTER, "Unlocking…");
    tui.wait_for("No cases yet");
    tui.keys("\x0e", "New case"); // Ctrl+N
    tui.send("DEMO-0001");
    tui.send(TAB);
    tui.send("Adult A");
    tui.send(TAB);
    tui.send("Adult B");
    tui.keys(ENTER, "Case DEMO-0001");
    tui.keys("s", "Start a sitting");
    // Typing narrows the list of questionnaires to the suspect interview.
    tui.keys("images user", "Questionnaire: images user");
    tui.send(TAB);
    tui.send(TAB);
    tui.send("Interviewer One");
    tui.keys(ENTER, "0/35 answered");
    tui.keys("25", "Type the answer");
    tui.keys(ENTER, "25 hours/week");
    tui.keys("jj3", "3 [x] Moderate");
    tui.keys("jy", "3/35 answered");
    tui.keys("jn", "4/35 answered");
    tui.keys("jd", "5/35 answered");
    tui.keys("jx", "6/35 answered");
    tui.keys(PAGE_DOWN, "Which kinds of Internet");
    tui.keys("13", "7/35 answered");
    tui.keys("j", "What do you do on each");
    tui.keys(ENTER, "Type the answer: text");
    tui.send("Forums and chat");
    tui.keys(ENTER, "8/35 answered");
    tui.keys("/", "Jump to");
    tui.keys("virtual-relationships", "1 match");
    tui.keys(ENTER, "Do you have virtual sexual");
    tui.keys("2", "9/35 answered");
    tui.keys(TAB, "Note (multi-line)");
    tui.send("Hesitated");
    tui.keys(ESC, "Hesitated");
    tui.keys("f", "⚑ 1");
    tui.keys("o", "Observation, begun");
    tui.send("Partner came in");
    tui.send(ESC);
    tui.wait_for("saved");
    // Let the observation's save land before quitting.
    std::thread::sleep(Duration::from_millis(300));
    tui.quit();

    let (sitting, file) = read_sitting(&home);
    assert_eq!(sitting.respondent.as_str(), "suspect");
    let closed = sitting
        .ended
        .clone()
        .expect("quitting records the close time");
    assert!(sitting.events.iter().all(|e| e.stamp.at <= closed.at));
    assert_eq!(sitting.interviewers, vec!["Interviewer One".to_string()]);
    let folded = sitting.fold();
    expect_answers(&folded);

    // The stock `age` command reads the same record.
    let key_file = dir.path().join("identity.txt");
    plaintext_identity(&home, &key_file);
    match std::process::Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&key_file)
        .arg(&file)
        .output()
    {
        Ok(out) => {
            assert!(
                out.status.success(),
                "age failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let by_age = Sitting::from_payload(&out.stdout).unwrap();
            assert_eq!(by_age, sitting);
        }
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI needs the stock `age` command: {e}"
            );
            eprintln!(
                "\n*** SKIP: the stock `age` command is not installed ({e}); install it (apt-get install age) to check interop ***\n"
            );
        }
    }

    // Resume and change an answer: both are in the history.
    let mut tui = Tui::start(&home);
    tui.wait_for("Unlock");
    tui.send("wrong words");
    tui.keys(ENTER, "Wrong passphrase");
    tui.send(PASSPHRASE);
    // The sitting used last is offered straight after unlocking, and opens where it was
    // left (the question answered last).
    tui.keys(ENTER, "Resume where you left off?");
    tui.wait_for("At: Do you have virtual sexual");
    tui.keys(ENTER, "9/35 answered");
    tui.wait_for("Answer: ✓ With adults");
    tui.keys("g", "hours-online");
    tui.keys("30", "Type the answer");
    tui.keys(ENTER, "30 hours/week");
    tui.wait_for("saved");
    tui.quit();
    let (sitting, _) = read_sitting(&home);
    assert!(
        sitting.ended.as_ref().unwrap().at > closed.at,
        "the close time is the last one"
    );
    let hours = sitting.fold().get("hours-online").unwrap().clone();
    assert_eq!(hours.answer, Some(AnswerValue::Number { number: 30.0 }));
    let values: Vec<&AnswerValue> = hours
        .history
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Answer { value, .. } => Some(value),
            _ => None,
        })
        .collect();
    assert_eq!(
        values,
        [
            &AnswerValue::Number { number: 25.0 },
            &AnswerValue::Number { number: 30.0 }
        ]
    );
}

#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn the_real_binary_locks_when_idle_and_needs_the_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let paths = Paths::under(&home);
    let secret = SecretString::from(PASSPHRASE.to_string());
    interview_companion::store::create_identity(&RealDisk, &paths, &secret).unwrap();
    // Three seconds without a key (counted from the end of unlocking).
    let mut tui = Tui::launch(&Launch {
        env: vec![("COMPANION_IDLE_MINUTES".into(), "0.05".into())],
        ..Launch::home(&home)
    });
    tui.wait_for("Unlock");
    tui.send(PASSPHRASE);
    tui.keys(ENTER, "No cases yet");
    tui.wait_for("Locked (idle or by request)");
    assert!(!tui.screen().contains("No cases yet"), "{}", tui.screen());
    tui.send(PASSPHRASE);
    tui.keys(ENTER, "No cases yet");
    tui.quit();
}

/// Keys typed while the program is busy (opening a sitting, signing one as it is left) wait
/// in the terminal and come in one read. They must all count, in order, as they would one
/// at a time: a lost key can be a lost answer. An Esc read together with the key after it
/// is what a Unix terminal sends for Alt+key, which crossterm reports as such; unbound,
/// that dropped both keys (Esc then s did nothing, and the logger stayed in the sitting).
#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn keys_typed_ahead_in_one_read_all_count() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    common::init_home(&home);
    common::create_case(&common::book(&home), "DEMO-0001");
    let mut tui = Tui::start(&home);
    tui.unlock(PASSPHRASE, "DEMO-0001");
    common::start_suspect_sitting(&mut tui, "DEMO-0001");
    tui.keys(ESC, " Sittings ");
    // Resume the sitting and answer "don't know" at once, in one write (so one read).
    tui.keys(&format!("{ENTER}d"), "1/35 answered");
    // Back to the case and start a sitting, in one write.
    tui.keys(&format!("{ESC}s"), "Start a sitting");
    // Close the form and go back into the sitting, in one write: Esc, then Enter.
    tui.keys(&format!("{ESC}{ENTER}"), "1/35 answered");
    tui.quit();
    let (sitting, _) = read_sitting(&home);
    let answers = sitting.fold();
    assert_eq!(
        answers.get("hours-online").and_then(|q| q.answer.clone()),
        Some(AnswerValue::DontKnow),
        "the answer typed ahead was not recorded"
    );
}
