//! `companion init` on a terminal: pressing Enter at the passphrase prompt makes a strong
//! passphrase (six random words), shows it once, and asks for it back; the identity then
//! opens with it. A weak one typed is refused with the reason and asked again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{ENTER, Launch, Tui};
use interview_companion::paths::Paths;
use interview_companion::store::{RealDisk, SecretString, unlock};

#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn init_makes_a_passphrase_when_none_is_typed() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let mut tui = Tui::launch(&Launch {
        args: vec!["init".into()],
        ..Launch::home(&home)
    });
    tui.wait_for("New passphrase");
    // A weak one first: refused with the reason, and asked again.
    tui.send("abc");
    tui.keys(ENTER, "too easy to guess");
    tui.wait_for("Try again");
    tui.settle();
    tui.send(ENTER);
    tui.wait_for("Type it to confirm");
    let screen = tui.screen();
    let words: Vec<String> = screen
        .lines()
        .map(str::trim)
        .find(|l| {
            l.split('-').count() == 6 && l.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        })
        .unwrap_or_else(|| panic!("no passphrase shown:\n{screen}"))
        .split('-')
        .map(str::to_string)
        .collect();
    let made = words.join("-");
    tui.send(&made);
    tui.send(ENTER);
    assert!(tui.wait_exit(), "init failed:\n{}", tui.screen());
    assert!(
        tui.screen().contains("Created your identity"),
        "{}",
        tui.screen()
    );
    let opened = unlock(&RealDisk, &Paths::under(&home), &SecretString::from(made));
    assert!(
        opened.is_ok(),
        "the shown passphrase does not open the identity"
    );
}
