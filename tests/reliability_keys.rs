//! Reliability item 10, through the real binary (command line and interview screens): a
//! wrong passphrase, a corrupted identity file and a recipients file with a bad line each
//! give a clear message naming the file, and NOTHING under the home folder changes (every
//! file compared byte for byte before and after). Each has a command-line test and a
//! screens test, so the command line is checked where pseudo-terminals are not (Wine).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;
use interview_companion::paths::Paths;

fn companion(home: &Path, passphrase_file: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_companion"))
        .args(args)
        .env("COMPANION_HOME", home)
        .env("COMPANION_PASSPHRASE_FILE", passphrase_file)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A home with an identity, a case and a team recipient.
fn setup(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let home = dir.join("home");
    init_home(&home);
    let b = book(&home);
    create_case(&b, "KEYS-0001");
    let right = dir.join("right.txt");
    std::fs::write(&right, format!("{PASSPHRASE}\n")).unwrap();
    let wrong = dir.join("wrong.txt");
    std::fs::write(&wrong, "not the passphrase\n").unwrap();
    (home, right, wrong)
}

/// Runs `args` and checks it fails with every one of `expect` in its message, changing
/// nothing under `home`.
fn refuses(home: &Path, pass: &Path, args: &[&str], expect: &[&str]) {
    let before = snapshot(home);
    let out = companion(home, pass, args);
    let msg = stderr(&out);
    assert!(!out.status.success(), "{args:?} succeeded: {msg}");
    for e in expect {
        assert!(msg.contains(e), "{args:?}: {e:?} missing from: {msg}");
    }
    assert!(!msg.contains("panicked"), "{msg}");
    assert_eq!(snapshot(home), before, "{args:?} changed files under home");
}

#[test]
fn wrong_passphrase_is_named_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (home, right, wrong) = setup(dir.path());
    for args in [
        &["case", "list"][..],
        &["case", "new", "KEYS-0002"],
        &["export", "KEYS-0001", "-o", "-"],
    ] {
        refuses(&home, &wrong, args, &["wrong passphrase", "identity.age"]);
    }
    // `init` over an existing identity refuses before asking anything.
    refuses(
        &home,
        &wrong,
        &["init"],
        &["already exists", "refusing to overwrite"],
    );
    // The right one still works afterwards: nothing was harmed.
    let out = companion(&home, &right, &["case", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("KEYS-0001"));
}

#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn wrong_passphrase_on_the_screens_is_named_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (home, _, _) = setup(dir.path());
    // Three wrong tries, each said plainly, then the right one opens.
    let before = snapshot(&home);
    let mut tui = Tui::start(&home);
    tui.wait_for("Unlock");
    for _ in 0..3 {
        tui.send("wrong words");
        tui.keys(ENTER, "Wrong passphrase. Try again.");
        // The message stays until the next try; clear it by waiting for the field to empty.
    }
    assert_eq!(snapshot(&home), before, "wrong passphrases changed files");
    tui.send(PASSPHRASE);
    tui.keys(ENTER, "KEYS-0001");
    tui.quit();
}

/// The identity file broken in five ways, each with what was done to it.
fn damaged_identities(good: &[u8]) -> [(&'static str, Vec<u8>); 5] {
    let mut flipped = good.to_vec();
    let last = flipped.len() - 10;
    flipped[last] ^= 0x20;
    [
        ("cut in half", good[..good.len() / 2].to_vec()),
        ("a bit flipped in the payload", flipped),
        ("empty", Vec::new()),
        ("not an age file", b"hello, I am not a key\n".to_vec()),
        (
            "a plain X25519 identity, not passphrase-protected",
            age::encrypt(
                &age::x25519::Identity::generate().to_public(),
                b"AGE-SECRET-KEY-1",
            )
            .unwrap(),
        ),
    ]
}

#[test]
fn corrupted_identity_file_is_named_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let (home, right, _) = setup(dir.path());
    let id_file = Paths::under(&home).identity_file();
    let good = std::fs::read(&id_file).unwrap();
    for (what, bytes) in damaged_identities(&good) {
        std::fs::write(&id_file, &bytes).unwrap();
        refuses(
            &home,
            &right,
            &["case", "list"],
            &["identity file", "identity.age", "unusable", "not changed"],
        );
        refuses(&home, &right, &["init"], &["already exists"]);
        assert_eq!(std::fs::read(&id_file).unwrap(), bytes, "{what}");
    }
    std::fs::write(&id_file, &good).unwrap();
    let out = companion(&home, &right, &["case", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn corrupted_identity_file_on_the_screens_is_named_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let (home, _, _) = setup(dir.path());
    let id_file = Paths::under(&home).identity_file();
    let good = std::fs::read(&id_file).unwrap();
    for (what, bytes) in damaged_identities(&good) {
        if !what.contains("flipped") && !what.contains("empty") {
            continue;
        }
        std::fs::write(&id_file, &bytes).unwrap();
        // The screens say what the commands say, and write nothing.
        let before = snapshot(&home);
        let mut tui = Tui::start(&home);
        tui.wait_for("Unlock");
        tui.send(PASSPHRASE);
        tui.keys(ENTER, "unusable");
        let screen = tui.screen();
        assert!(screen.contains("identity.age"), "{what}: {screen}");
        assert!(!screen.contains("Wrong passphrase"), "{what}: {screen}");
        tui.quit();
        assert_eq!(snapshot(&home), before, "{what}: the screens changed files");
        assert_eq!(std::fs::read(&id_file).unwrap(), bytes, "{what}");
    }
}

/// The recipients file with one bad line added in four ways.
fn bad_recipient_lines(good: &str, team: &str) -> [(&'static str, String); 4] {
    // The typo changes the last character: to `x`, unless it is one already (one key in
    // 32), when an `x` would give the same, valid, key back.
    let (kept, last) = team.split_at(team.len() - 1);
    let typo = if last == "x" { "q" } else { "x" };
    [
        ("a typo", format!("{good}{kept}{typo}\n")),
        ("a secret key", format!("{good}AGE-SECRET-KEY-1QQQQ\n")),
        ("an ssh key", format!("{good}ssh-ed25519 AAAAC3Nza\n")),
        ("half a key", format!("{good}{}\n", &team[..30])),
    ]
}

#[test]
fn recipients_file_with_a_bad_line_is_named_and_never_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let (home, right, _) = setup(dir.path());
    let rec_file = Paths::under(&home).recipients_file();
    let good = std::fs::read_to_string(&rec_file).unwrap();
    let team = age::x25519::Identity::generate().to_public().to_string();
    let bad_lines = bad_recipient_lines(&good, &team);
    let line = good.lines().count() + 1;
    for (n, (what, text)) in bad_lines.into_iter().enumerate() {
        std::fs::write(&rec_file, &text).unwrap();
        let at = format!("recipients.txt:{line}:");
        refuses(
            &home,
            &right,
            &["keys", "show"],
            &[&at, "Fix or remove that line"],
        );
        refuses(
            &home,
            &right,
            &["keys", "add-recipient", &team],
            &[&at, "recipient not added"],
        );
        assert_eq!(std::fs::read_to_string(&rec_file).unwrap(), text, "{what}");
        if n > 0 {
            // The commands below cost a scrypt each; one kind of bad line is enough there.
            continue;
        }
        refuses(
            &home,
            &right,
            &["case", "list"],
            &[&at, "Fix or remove that line"],
        );
        refuses(&home, &right, &["case", "new", "KEYS-0003"], &[&at]);
    }
    std::fs::write(&rec_file, &good).unwrap();
    let out = companion(&home, &right, &["keys", "add-recipient", &team]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn recipients_file_with_a_bad_line_on_the_screens_is_named_and_never_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let (home, _, _) = setup(dir.path());
    let rec_file = Paths::under(&home).recipients_file();
    let good = std::fs::read_to_string(&rec_file).unwrap();
    let team = age::x25519::Identity::generate().to_public().to_string();
    // One kind of bad line is enough here: unlocking costs a scrypt.
    let [(what, text), ..] = bad_recipient_lines(&good, &team);
    std::fs::write(&rec_file, &text).unwrap();
    let at = format!("recipients.txt:{}:", good.lines().count() + 1);
    // Unlocking says which line, and writes nothing.
    let before = snapshot(&home);
    let mut tui = Tui::start(&home);
    tui.unlock(PASSPHRASE, &at);
    tui.quit();
    assert_eq!(snapshot(&home), before, "{what}: the screens changed files");
    assert_eq!(std::fs::read_to_string(&rec_file).unwrap(), text, "{what}");
}
