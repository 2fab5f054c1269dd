//! A home folder so deep that record paths pass 260 characters, Windows' old MAX_PATH
//! (a USB stick's nested folders, a long user name, a synced profile): identity, case,
//! sitting, listing and reading back, through the library and through the real binary.
//! std turns long absolute paths into `\\?\` form by itself on Windows; this checks that
//! nothing of ours (joins, temp names, lock files, relative `--home`) undoes that.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use interview_companion::store::Access;

/// `base` nested until the longest record path under it passes 300 characters.
fn deep(base: &Path) -> PathBuf {
    let mut home = base.to_path_buf();
    // Each level is 40 characters; the records add ~110 more (data\cases\<id>\<id>.age).
    while home.as_os_str().len() < 220 {
        home.push("a-folder-name-that-is-forty-chars-long-x");
    }
    home.push("companion-home");
    home
}

fn companion(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_companion"))
        .arg("--home")
        .arg(home)
        .args(args)
        .env("COMPANION_PASSPHRASE_FILE", home.join("pp"))
        .env_remove("COMPANION_HOME")
        .output()
        .expect("run companion")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn records_under_a_path_longer_than_260_characters_save_and_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let home = deep(tmp.path());
    let id = common::init_home(&home);
    let book = common::book(&home);
    let case = common::create_case(&book, "DEMO-0001");
    let store = book.store();
    let case_id = case.id.parse().unwrap();
    let sitting = store.new_sitting_id();
    let Access::Write(lock) = store.lock_sitting(&case_id, &sitting) else {
        panic!("sitting lock refused under a long path");
    };
    store.save_sitting(&lock, b"first", &id).unwrap();
    store
        .save_sitting(&lock, b"second: replaced in place", &id)
        .unwrap();
    let file = store.sitting_file(&case_id, &sitting);
    assert!(
        file.as_os_str().len() > 260,
        "the test must pass MAX_PATH: {} characters",
        file.as_os_str().len()
    );
    drop(lock);
    let list = common::book(&home).list().unwrap();
    assert_eq!(list.cases.len(), 1, "{:?}", list.problems);
    assert!(list.problems.is_empty(), "{:?}", list.problems);
    assert_eq!(list.cases[0].sittings, 1);
}

#[test]
fn the_real_binary_works_under_a_path_longer_than_260_characters() {
    let tmp = tempfile::tempdir().unwrap();
    let home = deep(tmp.path());
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("pp"), format!("{}\n", common::PASSPHRASE)).unwrap();
    ok(&companion(&home, &["init"]));
    ok(&companion(&home, &["case", "new", "DEMO-0001"]));
    let listed = ok(&companion(&home, &["case", "list"]));
    assert!(listed.contains("DEMO-0001"), "{listed}");
    let report = ok(&companion(
        &home,
        &[
            "export",
            "DEMO-0001",
            "--format",
            "json",
            "-o",
            "-",
            "--plaintext",
        ],
    ));
    assert!(report.contains("DEMO-0001"), "{report}");

    // The same with --home given relative to the working folder, as from a USB stick.
    let relative = home.strip_prefix(tmp.path()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_companion"))
        .current_dir(tmp.path())
        .arg("--home")
        .arg(relative)
        .args(["case", "list"])
        .env("COMPANION_PASSPHRASE_FILE", home.join("pp"))
        .env_remove("COMPANION_HOME")
        .output()
        .unwrap();
    assert!(ok(&out).contains("DEMO-0001"));
}
