//! A closed standard output — `companion … | head -1`, `| more`, `| findstr x` where the
//! reader stops early — ends every command quietly with the exit status it would have had
//! anyway (1 for a lint with problems, 0 otherwise), and without the internal-error message
//! a panicking `println!` gave (issue 12). The same with standard error closed too, as in
//! `companion … 2>&1 | head -1`, where a second panic in the panic hook used to abort.
//!
//! The pipe's reading end is closed before the program starts, so its very first write
//! fails: EPIPE on Unix, ERROR_NO_DATA on Windows. No race, on every platform.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

mod common;

use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};

/// Runs `companion args…` under `home` with standard output (and standard error too, if
/// `both`) a pipe nobody reads any more. Returns the status and, unless `both`, stderr.
fn with_closed_output(home: &Path, args: &[&str], both: bool) -> (ExitStatus, String) {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_companion"));
    cmd.args(args)
        .env("COMPANION_HOME", home)
        .env("COMPANION_PASSPHRASE_FILE", home.join("pp"))
        .stdin(Stdio::null());
    if both {
        cmd.stderr(writer.try_clone().expect("clone pipe"));
    } else {
        cmd.stderr(Stdio::piped());
    }
    cmd.stdout(writer);
    let out = cmd.output().expect("run companion");
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A home with an identity, case DEMO-0001, and the passphrase file the commands read.
fn home_with_a_case() -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("tempdir");
    std::fs::write(home.path().join("pp"), format!("{}\n", common::PASSPHRASE)).expect("pp");
    common::init_home(home.path());
    common::create_case(&common::book(home.path()), "DEMO-0001");
    home
}

#[test]
fn every_command_ends_quietly_with_its_usual_status_when_stdout_is_closed() {
    let home = home_with_a_case();
    let h = home.path();
    let bad = h.join("bad.toml");
    std::fs::write(&bad, "this is = = not toml\n").expect("write");
    let bad = bad.to_string_lossy().into_owned();
    let ok = 0;
    let commands: Vec<(Vec<&str>, i32)> = vec![
        (vec!["questionnaires", "list"], ok),
        (vec!["questionnaires", "schema"], ok),
        (vec!["questionnaires", "lint", &bad], 1),
        (vec!["--help"], ok),
        (vec!["--version"], ok),
        (vec!["keys", "show"], ok),
        (vec!["keys", "show", "--signer"], ok),
        // Signed by this home's own key, complete: verify's "all good".
        (vec!["verify", "DEMO-0001"], ok),
        (vec!["case", "list"], ok),
        (vec!["case", "new", "DEMO-0002"], ok),
        (
            vec!["export", "DEMO-0001", "--format", "json", "-o", "-"],
            ok,
        ),
        (
            vec![
                "export",
                "DEMO-0001",
                "--format",
                "md",
                "-o",
                "-",
                "--plaintext",
            ],
            ok,
        ),
        // The protective marking given for this export (main's `--marking`).
        (
            vec![
                "export",
                "DEMO-0001",
                "--format",
                "html",
                "-o",
                "-",
                "--plaintext",
                "--marking",
                "OFFICIAL",
            ],
            ok,
        ),
    ];
    for (args, expected) in &commands {
        let (status, stderr) = with_closed_output(h, args, false);
        assert_eq!(
            status.code(),
            Some(*expected),
            "companion {args:?} with stdout closed: {status}; stderr: {stderr}"
        );
        assert!(
            !stderr.contains("internal error") && !stderr.contains("Broken pipe"),
            "companion {args:?} with stdout closed said: {stderr}"
        );
    }
    // The work was done even though nobody read the answer.
    let list = common::book(h).list().expect("list");
    assert!(
        list.cases.iter().any(|c| c.reference == "DEMO-0002"),
        "case new with a closed stdout must still create the case"
    );
}

/// The transfer commands (issue 14) print what they did: a closed stdout must not turn a
/// receipt that was written into an internal error.
#[test]
fn sending_and_receiving_end_quietly_when_stdout_is_closed() {
    let home = home_with_a_case();
    let h = home.path();
    let me = Command::new(env!("CARGO_BIN_EXE_companion"))
        .args(["keys", "show"])
        .env("COMPANION_HOME", h)
        .env("COMPANION_PASSPHRASE_FILE", h.join("pp"))
        .output()
        .expect("keys show");
    let me = String::from_utf8_lossy(&me.stdout).trim().to_string();
    assert!(me.starts_with("age1"), "keys show gave {me:?}");
    let file = h.join("sent.tar");
    let file = file.to_string_lossy().into_owned();
    for args in [
        vec![
            "case",
            "send",
            "DEMO-0001",
            "--to",
            me.as_str(),
            "-o",
            &file,
        ],
        // Back into the case it came from: joined, nothing new, and said so on stdout.
        vec!["case", "receive", &file],
    ] {
        let (status, stderr) = with_closed_output(h, &args, false);
        assert_eq!(
            status.code(),
            Some(0),
            "companion {args:?} with stdout closed: {status}; stderr: {stderr}"
        );
        assert!(
            !stderr.contains("internal error") && !stderr.contains("Broken pipe"),
            "companion {args:?} with stdout closed said: {stderr}"
        );
    }
}

#[test]
fn init_with_stdout_closed_still_creates_the_identity() {
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path();
    std::fs::write(h.join("pp"), format!("{}\n", common::PASSPHRASE)).expect("pp");
    let (status, stderr) = with_closed_output(h, &["init"], false);
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("internal error"), "{stderr}");
    // The recipient could not be shown; `keys show` (which unlocks) gives it again.
    let shown = Command::new(env!("CARGO_BIN_EXE_companion"))
        .args(["keys", "show"])
        .env("COMPANION_HOME", h)
        .env("COMPANION_PASSPHRASE_FILE", h.join("pp"))
        .output()
        .expect("keys show");
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    assert!(String::from_utf8_lossy(&shown.stdout).starts_with("age1"));
}

#[test]
fn stdout_and_stderr_both_closed_is_still_the_usual_status() {
    let home = home_with_a_case();
    let h = home.path();
    let bad = h.join("bad.toml");
    std::fs::write(&bad, "[questionnaire]\nid = 3\n").expect("write");
    let bad = bad.to_string_lossy().into_owned();
    for (args, expected) in [
        (vec!["questionnaires", "list"], 0),
        (vec!["questionnaires", "lint", bad.as_str()], 1),
        // An error message (no such case) with nowhere to go: still the error status.
        (vec!["export", "NO-SUCH-CASE", "-o", "-"], 1),
        // A refused marking: the error, with nowhere to go, is still the error status.
        (vec!["export", "DEMO-0001", "-o", "-", "--marking", ""], 1),
        (vec!["case", "list"], 0),
    ] {
        let (status, _) = with_closed_output(h, &args, true);
        assert_eq!(
            status.code(),
            Some(expected),
            "companion {args:?} with stdout and stderr closed: {status}"
        );
    }
}

#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs /dev/full, a device that fails every write (Linux only)"
)]
fn other_write_failures_are_still_errors() {
    // Not every failed write is a reader that stopped: a full disk behind `> file` must be
    // reported, not swallowed. /dev/full fails every write with "no space left".
    #[cfg(target_os = "linux")]
    {
        let home = tempfile::tempdir().expect("tempdir");
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = Command::new(env!("CARGO_BIN_EXE_companion"))
            .args(["questionnaires", "schema"])
            .env("COMPANION_HOME", home.path())
            .stdout(full)
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("standard output"), "{stderr}");
        assert!(!stderr.contains("internal error"), "{stderr}");
    }
}
