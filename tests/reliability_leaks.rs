//! Reliability item 8: after a scripted sitting in the REAL binary (set up from scratch on
//! the screens, with the platform's folders from HOME/XDG and a private TMPDIR) and an
//! encrypted export, no answer text is anywhere on disk outside `.age` files — data folder,
//! config folder, temp folder, home, working folder; file modes are 0600/0700; the terminal
//! is left with no answer text once the program quits (alternate screen); and the program
//! makes no network connection (run under `strace -f -e trace=network`; CI installs strace).
//! Also: a panic prints no payload (it could hold answer text), in the screens and in the
//! commands.
//!
//! Not run on Windows: Unix file modes, strace and a pseudo-terminal are the whole test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// Distinctive, fictional answer text: none of it may reach the disk in the clear.
const REFERENCE: &str = "LEAK-7Q2X";
const SUBJECT: &str = "Marmoset Quill";
const ANSWER: &str = "Tangerine Zeppelin";
const NOTE: &str = "Xylophone Harbour";
const OBSERVATION: &str = "Periwinkle Lantern";
const SECRETS: [&str; 5] = [REFERENCE, SUBJECT, ANSWER, NOTE, OBSERVATION];

const PAGE_DOWN: &str = "\x1b[6~";

struct Env {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    home: PathBuf,
    xdg_config: PathBuf,
    xdg_data: PathBuf,
    tmpdir: PathBuf,
    work: PathBuf,
    strace: Option<PathBuf>,
}

impl Env {
    fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        let make = |name: &str| {
            let p = root.join(name);
            std::fs::create_dir_all(&p).unwrap();
            p
        };
        let strace = if have_strace() {
            Some(root.join("strace"))
        } else {
            skip_or_fail(
                "strace is not installed (apt-get install strace): the no-network check is skipped",
            );
            None
        };
        Env {
            home: make("home"),
            xdg_config: make("xdg-config"),
            xdg_data: make("xdg-data"),
            tmpdir: make("tmp"),
            work: make("work"),
            root,
            strace,
            _tmp: tmp,
        }
    }

    fn vars(&self) -> Vec<(String, String)> {
        let s = |p: &Path| p.display().to_string();
        vec![
            ("HOME".into(), s(&self.home)),
            ("XDG_CONFIG_HOME".into(), s(&self.xdg_config)),
            ("XDG_DATA_HOME".into(), s(&self.xdg_data)),
            ("XDG_CACHE_HOME".into(), s(&self.home.join(".cache"))),
            ("XDG_STATE_HOME".into(), s(&self.home.join(".local/state"))),
            ("TMPDIR".into(), s(&self.tmpdir)),
        ]
    }

    fn wrapper(&self, name: &str) -> Vec<String> {
        match &self.strace {
            Some(dir) => {
                std::fs::create_dir_all(dir).unwrap();
                vec![
                    "strace".into(),
                    "-f".into(),
                    "-qq".into(),
                    "-e".into(),
                    "trace=network".into(),
                    "-o".into(),
                    dir.join(name).display().to_string(),
                ]
            }
            None => Vec::new(),
        }
    }

    /// The program's own folders (platform folders under the XDG ones).
    fn program_dirs(&self) -> Vec<PathBuf> {
        vec![
            self.xdg_config.join("interview-companion"),
            self.xdg_data.join("interview-companion"),
        ]
    }
}

fn have_strace() -> bool {
    Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Network calls from a strace log: anything to or of an Internet address family fails.
fn judge_strace(log: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(log).unwrap();
    let mut seen = Vec::new();
    for line in text.lines() {
        let inet = line.contains("AF_INET") || line.contains("AF_INET6");
        assert!(!inet, "the program used the network: {line}");
        if line.contains('(') {
            seen.push(line.to_string());
        }
    }
    seen
}

#[test]
fn a_sitting_leaves_no_answer_text_on_disk_and_makes_no_connection() {
    let env = Env::new();
    // 1. The screens, from nothing: identity, case, sitting.
    let launch = Launch {
        home: None,
        env: env.vars(),
        wrapper: env.wrapper("tui.log"),
        ..Launch::default()
    };
    let mut tui = Tui::launch(&launch);
    tui.wait_for("Create your identity");
    tui.send(PASSPHRASE);
    tui.send(ENTER);
    tui.send(PASSPHRASE);
    tui.keys(ENTER, "No cases yet");
    tui.keys("\x0e", "New case"); // Ctrl+N
    tui.send(REFERENCE);
    tui.send(TAB);
    tui.send(SUBJECT);
    tui.keys(ENTER, &format!("Case {REFERENCE}"));
    tui.keys("s", "Start a sitting");
    tui.keys("images user", "Questionnaire: images user");
    tui.send(TAB);
    tui.send(TAB);
    tui.send("Interviewer One");
    tui.keys(ENTER, "0/35 answered");
    tui.keys(PAGE_DOWN, "Which kinds of Internet");
    tui.keys("j", "What do you do on each");
    tui.keys(ENTER, "Type the answer");
    tui.send(ANSWER);
    tui.keys(ENTER, "1/35 answered");
    tui.keys(TAB, "Note (multi-line)");
    tui.send(NOTE);
    tui.send(ESC);
    // A key sent hard on the heels of Esc would read as Alt+key: wait for the editor to go.
    tui.wait_until("the note editor to close", |s| {
        s.contains(NOTE) && !s.contains("Note (multi-line)")
    });
    tui.keys("o", "Observation, begun");
    tui.send(OBSERVATION);
    tui.send(ESC);
    // "saved" is on screen from the note already: wait for the editor to go, as above.
    tui.wait_until("the observation editor to close", |s| {
        !s.contains("Observation (timestamped")
    });
    tui.wait_for("saved");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let screen_before_quit = tui.screen();
    assert!(screen_before_quit.contains(ANSWER) || screen_before_quit.contains(NOTE));
    let mut tui_ref = tui;
    tui_ref.send(CTRL_Q);
    assert!(tui_ref.wait_exit(), "{}", tui_ref.screen());
    // The alternate screen is gone: the terminal (and its scrollback) shows no answers.
    let after = tui_ref.screen();
    for s in SECRETS {
        assert!(!after.contains(s), "{s:?} left on the terminal:\n{after}");
    }

    // 2. The commands: list and an encrypted export, in a working folder.
    let pass = env.root.join("pass.txt");
    std::fs::write(&pass, format!("{PASSPHRASE}\n")).unwrap();
    for (name, args) in [
        ("list.log", &["case", "list"][..]),
        ("export.log", &["export", REFERENCE, "--format", "html"][..]),
    ] {
        let wrapper = env.wrapper(name);
        let (prog, pre): (&str, &[String]) = match wrapper.split_first() {
            Some((p, rest)) => (p, rest),
            None => (env!("CARGO_BIN_EXE_companion"), &[]),
        };
        let mut cmd = Command::new(prog);
        cmd.args(pre);
        if !wrapper.is_empty() {
            cmd.arg(env!("CARGO_BIN_EXE_companion"));
        }
        let out = cmd
            .args(args)
            .envs(env.vars())
            .env_remove("COMPANION_HOME")
            .env("COMPANION_PASSPHRASE_FILE", &pass)
            .current_dir(&env.work)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let exports: Vec<_> = std::fs::read_dir(&env.work).unwrap().flatten().collect();
    assert_eq!(exports.len(), 1);
    assert!(
        exports[0]
            .file_name()
            .to_string_lossy()
            .ends_with(".html.age"),
        "{:?}",
        exports[0].file_name()
    );

    // 3. No answer text outside .age files, anywhere the program could have written.
    let mut files = 0;
    let mut age_files = 0;
    for path in walk(&env.root) {
        if path.is_dir() || path.starts_with(env.root.join("strace")) || path == pass {
            continue;
        }
        files += 1;
        let bytes = std::fs::read(&path).unwrap();
        if path.extension().is_some_and(|e| e == "age") {
            age_files += 1;
            assert!(
                bytes.starts_with(b"age-encryption.org/v1\n"),
                "{} is not an age file",
                path.display()
            );
            continue;
        }
        for s in SECRETS {
            assert!(
                !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
                "{s:?} in the clear in {}",
                path.display()
            );
        }
    }
    assert!(
        age_files >= 4,
        "identity, case, sitting, export: {age_files}"
    );
    // Nothing at all in the temp folder.
    assert_eq!(walk(&env.tmpdir).len(), 1, "{:?}", walk(&env.tmpdir));

    // 4. File modes: 0600 files, 0700 folders, everywhere the program keeps records.
    for dir in env.program_dirs() {
        assert!(dir.is_dir(), "{} missing", dir.display());
        for path in walk(&dir) {
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            let want = if path.is_dir() { 0o700 } else { 0o600 };
            assert_eq!(mode, want, "{} has mode {mode:o}", path.display());
        }
    }
    let export_mode = exports[0].metadata().unwrap().permissions().mode() & 0o777;
    assert_eq!(export_mode, 0o600, "the export has mode {export_mode:o}");

    // 5. No network: judged from strace.
    if let Some(dir) = &env.strace {
        let mut other = Vec::new();
        for log in ["tui.log", "list.log", "export.log"] {
            other.extend(judge_strace(&dir.join(log)));
        }
        eprintln!(
            "leaks: {files} files checked ({age_files} .age); network calls seen (none to \
             AF_INET/AF_INET6): {other:?}"
        );
    }
}

/// Not a real test: the body of the panicking child. Does nothing unless asked.
#[test]
fn panic_child() {
    let Ok(which) = std::env::var("RELIABILITY_PANIC_CHILD") else {
        return;
    };
    match which.as_str() {
        "screens" => interview_companion::tui::terminal::install_panic_hook(),
        _ => interview_companion::harden::quiet_panics(),
    }
    let answer = String::from(ANSWER);
    // A panic whose message quotes answer text, as a bad slice of an answer would.
    let _ = &answer[..answer.len() + usize::from(which.len() < 100)];
}

#[test]
fn a_panic_prints_no_answer_text() {
    let exe = std::env::current_exe().unwrap();
    for which in ["screens", "commands"] {
        let out = Command::new(&exe)
            .args(["--exact", "panic_child", "--nocapture", "--test-threads=1"])
            .env("RELIABILITY_PANIC_CHILD", which)
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{which}: the child did not panic");
        assert!(
            err.contains("internal error"),
            "{which}: no plain message: {err}"
        );
        assert!(
            !err.contains(ANSWER),
            "{which}: the panic quoted answers: {err}"
        );
    }
    // And the real binary's commands: stdout on a full device made `println!` panic
    // (which printed where, not what); since issue 12 it is an error naming standard
    // output (src/cli/output.rs), still with no default panic message.
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    init_home(&home);
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    // `keys show` unlocks (it prints the signer line too), so it needs the passphrase.
    let pass = dir.path().join("pass.txt");
    std::fs::write(&pass, format!("{}\n", common::PASSPHRASE)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_companion"))
        .args(["keys", "show"])
        .env("COMPANION_HOME", &home)
        .env("COMPANION_PASSPHRASE_FILE", &pass)
        .stdout(full)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("could not write to standard output"), "{err}");
    assert!(!err.contains("panicked"), "the default hook printed: {err}");
}
