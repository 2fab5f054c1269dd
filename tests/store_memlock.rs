//! The unlocked key is kept out of swap: its pages are locked in RAM (`mlock`) while it
//! lives, and unlocked when it is dropped; where the OS refuses (no `CAP_IPC_LOCK` and a
//! locked-memory limit of 0), the program says so once and works on. In its own test binary:
//! the locked-memory figure (`VmLck`) is per process.
//!
//! Not run on Windows: it reads locked memory from Linux's /proc (memlock's unit tests run there).
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::{ENTER, PASSPHRASE, Tui};
use interview_companion::store::UnlockedIdentity;

/// The tests make keys in this process too (to set up a home): one at a time, so the
/// first test's figures are its own.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner())
}

/// Locked memory of a process, in kB, from `/proc/<pid>/status`.
fn locked_kb(pid: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmLck:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmLck in /proc status")
}

#[test]
fn the_unlocked_key_is_locked_in_ram_while_it_lives() {
    let _one = serial();
    let before = locked_kb("self");
    let identity = UnlockedIdentity::generate();
    let during = locked_kb("self");
    assert!(
        during > before,
        "the key's page was not locked: VmLck {before} kB before, {during} kB after"
    );
    let second = UnlockedIdentity::generate();
    drop(identity);
    assert!(
        locked_kb("self") > before,
        "dropping one key unlocked the other's page"
    );
    drop(second);
    assert_eq!(locked_kb("self"), before, "a page was left locked");
}

#[test]
fn the_screens_hold_the_key_in_locked_memory() {
    let _one = serial();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    common::init_home(&home);
    let mut tui = Tui::start(&home);
    tui.wait_for("Unlock");
    let pid = tui.pid().to_string();
    let locked_before = locked_kb(&pid);
    tui.send(PASSPHRASE);
    tui.keys(ENTER, "No cases yet");
    let locked = locked_kb(&pid);
    assert!(
        locked > locked_before,
        "VmLck {locked_before} kB before unlocking, {locked} kB after"
    );
    assert!(!tui.screen().contains("swap"), "{}", tui.screen());
    tui.quit();
}

#[test]
fn where_memory_cannot_be_locked_it_is_said_once_and_all_works() {
    let _one = serial();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    common::init_home(&home);
    common::create_case(&common::book(&home), "DEMO-0001");
    std::fs::write(dir.path().join("pp"), format!("{PASSPHRASE}\n")).unwrap();
    let run = |restricted: bool| {
        // Root ignores the limit (CAP_IPC_LOCK): drop the capability, then the limit to 0.
        let mut cmd = if restricted {
            let mut c = Command::new("setpriv");
            c.args([
                "--bounding-set",
                "-ipc_lock",
                "prlimit",
                "--memlock=0:0",
                "--",
            ]);
            c.arg(env!("CARGO_BIN_EXE_companion"));
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_companion"))
        };
        cmd.args(["case", "list"])
            .env("COMPANION_HOME", &home)
            .env("COMPANION_PASSPHRASE_FILE", dir.path().join("pp"))
            .output()
    };
    let out = match run(true) {
        Ok(out) => out,
        Err(e) => return common::skip_or_fail(&format!("setpriv/prlimit not runnable: {e}")),
    };
    let err = String::from_utf8_lossy(&out.stderr);
    if err.contains("setpriv:") || err.contains("prlimit:") {
        return common::skip_or_fail(&format!("cannot drop the capability here: {err}"));
    }
    assert!(out.status.success(), "{err}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("DEMO-0001"),
        "it works on"
    );
    assert_eq!(
        err.matches("could not be kept out of swap").count(),
        1,
        "said once: {err}"
    );
    assert!(
        err.lines()
            .any(|l| l.starts_with("note: ") && l.contains("swap")),
        "a note, not an error: {err}"
    );
    let normal = run(false).unwrap();
    assert!(
        !String::from_utf8_lossy(&normal.stderr).contains("swap"),
        "{}",
        String::from_utf8_lossy(&normal.stderr)
    );
}
