//! Shared by the reliability tests: the real `companion` binary in a pseudo-terminal, read
//! through a vt100 screen model (answering the terminal's cursor-position query as a real
//! terminal would), killed with SIGKILL when asked; and a few helpers around it.
//!
//! Each test file that uses it says `mod common;`; not every file uses every helper.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use age::secrecy::SecretString;
use interview_companion::paths::Paths;
use interview_companion::records::CaseBook;
use interview_companion::session::Subject;
use interview_companion::store::{RealDisk, UnlockedIdentity, create_identity, keys::unlock};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub const PASSPHRASE: &str = "correct horse battery staple";
/// Generous: the machine is small and other builds may share it.
pub const TIMEOUT: Duration = Duration::from_secs(90);
pub const ROWS: u16 = 40;
pub const COLS: u16 = 120;

pub const ESC: &str = "\x1b";
pub const ENTER: &str = "\r";
pub const TAB: &str = "\t";
pub const LEFT: &str = "\x1b[D";
pub const RIGHT: &str = "\x1b[C";
pub const PAGE_DOWN: &str = "\x1b[6~";
pub const CTRL_Q: &str = "\x11";
pub const PASTE_START: &str = "\x1b[200~";
pub const PASTE_END: &str = "\x1b[201~";
/// How the screen model shows U+FFFD, the mark the program draws for a control character.
/// The vt100 model drops U+FFFD (it takes it for its own decoding error) where a terminal
/// shows it in one column, so every cell after one on the row stood a column to the left
/// and ratatui's later partial redraws left the model garbled; the model is given this
/// one-column stand-in instead (see [`Tui::process`]).
pub const MARK_SHOWN: char = '\u{2370}';

/// Whether this is a CI run, where a missing tool must fail the test instead of skipping.
pub fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// Whether these tests run under Wine (`.ci/wine/runner` sets `COMPANION_UNDER_WINE=1`).
pub fn under_wine() -> bool {
    cfg!(windows) && std::env::var("COMPANION_UNDER_WINE").as_deref() == Ok("1")
}

/// Whether the long versions of the reliability tests were asked for (`COMPANION_LONG=1`).
pub fn long_run() -> bool {
    matches!(std::env::var("COMPANION_LONG").as_deref(), Ok("1" | "true"))
}

/// Skips loudly, or fails in CI.
pub fn skip_or_fail(what: &str) {
    assert!(!in_ci(), "CI must be able to run this: {what}");
    eprintln!("\n*** SKIP: {what} ***\n");
}

/// Sends SIGKILL (not the SIGHUP portable-pty's `kill` sends first).
#[cfg(unix)]
#[allow(unsafe_code)]
pub fn sigkill(pid: u32) {
    // SAFETY: kill(2) takes two integers and touches no memory of ours.
    let rc = unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
    assert_eq!(rc, 0, "kill -9 {pid}: {}", std::io::Error::last_os_error());
}

/// A small xorshift PRNG: reproducible random moments from a printed seed.
pub struct Rng(pub u64);
impl Rng {
    pub fn from_env_or_time(var: &str) -> Rng {
        let seed = std::env::var(var)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(0x9E37_79B9_7F4A_7C15)
            })
            | 1;
        eprintln!("seed {seed} (set {var}={seed} to replay)");
        Rng(seed)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// How to start the binary.
#[derive(Default, Clone)]
pub struct Launch {
    /// `COMPANION_HOME`; `None` leaves it unset (the platform folders, from `HOME`/XDG).
    pub home: Option<PathBuf>,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// A program to run the binary under, with its arguments (e.g. strace).
    pub wrapper: Vec<String>,
}

impl Launch {
    pub fn home(home: &Path) -> Launch {
        Launch {
            home: Some(home.to_path_buf()),
            ..Launch::default()
        }
    }
}

pub struct Tui {
    pub parser: vt100::Parser,
    rx: Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    /// Every byte the program wrote to the terminal.
    pub raw: Vec<u8>,
    /// Whether the reader saw the end of output.
    pub closed: bool,
    /// The start of a U+FFFD split between two reads, held for the next.
    held: Vec<u8>,
    /// When keys were last sent, to pace commands as a person does.
    last_send: Option<Instant>,
}

/// A person's pace between commands. Keys on the question list closer together than the
/// program's typing gap (a quarter of a second) can be taken as typing, so [`Tui::keys`]
/// leaves at least this long after the previous keys before sending.
pub const PERSON_PACE: Duration = Duration::from_millis(300);

impl Tui {
    pub fn start(home: &Path) -> Tui {
        Tui::launch(&Launch::home(home))
    }

    pub fn launch(launch: &Launch) -> Tui {
        // Fail at once, saying what to do, rather than time out on an empty screen.
        assert!(
            !under_wine(),
            "this test drives the program in a pseudo-terminal, which does not work under \
             Wine (its ConPTY shows nothing): give it \
             #[cfg_attr(windows, ignore = \"pseudo-terminal: …\")] (see .ci/run)"
        );
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let exe = env!("CARGO_BIN_EXE_companion");
        let mut cmd = match launch.wrapper.split_first() {
            Some((prog, rest)) => {
                let mut c = CommandBuilder::new(prog);
                c.args(rest);
                c.arg(exe);
                c
            }
            None => CommandBuilder::new(exe),
        };
        cmd.args(&launch.args);
        match &launch.home {
            Some(h) => cmd.env("COMPANION_HOME", h),
            None => cmd.env_remove("COMPANION_HOME"),
        }
        cmd.env("NO_COLOR", "1");
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("COMPANION_PASSPHRASE_FILE");
        cmd.env_remove("COMPANION_IDLE_MINUTES");
        for (k, v) in &launch.env {
            cmd.env(k, v);
        }
        if let Ok(cwd) = std::env::current_dir() {
            cmd.cwd(cwd);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if tx.send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        // Keep the master alive as long as the reader (it owns the pty).
        std::mem::forget(pty.master);
        Tui {
            parser: vt100::Parser::new(
                std::num::NonZero::new(ROWS).unwrap(),
                std::num::NonZero::new(COLS).unwrap(),
                0,
            ),
            rx,
            writer,
            child,
            raw: Vec::new(),
            closed: false,
            held: Vec::new(),
            last_send: None,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    /// Feeds output to the screen model, answering cursor-position queries as a terminal
    /// would (ratatui asks once at start).
    fn process(&mut self, bytes: &[u8]) {
        self.raw.extend_from_slice(bytes);
        const FFFD: &[u8] = "\u{fffd}".as_bytes();
        let mut data = std::mem::take(&mut self.held);
        data.extend_from_slice(bytes);
        let split = (1..FFFD.len())
            .rev()
            .find(|&n| data.ends_with(&FFFD[..n]))
            .unwrap_or(0);
        self.held = data.split_off(data.len() - split);
        let shown = MARK_SHOWN.to_string();
        let mut model = Vec::with_capacity(data.len());
        let mut rest = data.as_slice();
        while let Some(at) = rest.windows(FFFD.len()).position(|w| w == FFFD) {
            model.extend_from_slice(&rest[..at]);
            model.extend_from_slice(shown.as_bytes());
            rest = &rest[at + FFFD.len()..];
        }
        model.extend_from_slice(rest);
        self.parser.process(&model);
        if bytes.windows(4).any(|w| w == b"\x1b[6n") {
            let (row, col) = self.parser.screen().cursor_position();
            let reply = format!("\x1b[{};{}R", row + 1, col + 1);
            // The program may be gone already; the reply then has nowhere to go.
            let _ = self.writer.write_all(reply.as_bytes());
            let _ = self.writer.flush();
        }
    }

    /// Takes in whatever output has arrived, waiting at most `wait` for the first of it.
    /// Returns whether anything arrived.
    pub fn pump(&mut self, wait: Duration) -> bool {
        let mut got = false;
        match self.rx.recv_timeout(wait) {
            Ok(bytes) => {
                self.process(&bytes);
                got = true;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => self.closed = true,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        loop {
            match self.rx.try_recv() {
                Ok(bytes) => {
                    self.process(&bytes);
                    got = true;
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.closed = true;
                    break;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
            }
        }
        got
    }

    /// Reads output until the program has closed the terminal (after it exited or was
    /// killed) or `limit` passed.
    pub fn drain(&mut self, limit: Duration) {
        let deadline = Instant::now() + limit;
        while !self.closed && Instant::now() < deadline {
            self.pump(Duration::from_millis(50));
        }
    }

    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Reads output until none has come for 300 ms, so the screen model is settled after a
    /// redraw.
    pub fn settle(&mut self) {
        while self.pump(Duration::from_millis(300)) {}
    }

    /// Waits until `text` is on screen.
    pub fn wait_for(&mut self, text: &str) {
        self.wait_until(text, |s| s.contains(text));
    }

    /// Waits until `done` holds for the screen's text.
    pub fn wait_until(&mut self, what: &str, done: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + TIMEOUT;
        while !done(&self.screen()) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "timed out waiting for {what:?}; screen:\n{}",
                self.screen()
            );
            self.pump(left.min(Duration::from_millis(100)));
        }
    }

    /// Sends bytes at once (text into a field, or keys at machine speed).
    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        self.last_send = Some(Instant::now());
    }

    /// Sends keys at a person's pace (see [`PERSON_PACE`]), then waits for `text`.
    pub fn keys(&mut self, bytes: &str, then: &str) {
        if let Some(last) = self.last_send {
            let next = last + PERSON_PACE;
            while Instant::now() < next {
                self.pump(next.saturating_duration_since(Instant::now()));
            }
        }
        self.send(bytes);
        self.wait_for(then);
    }

    /// Sends a bracketed paste.
    pub fn paste(&mut self, text: &str) {
        self.send(&format!("{PASTE_START}{text}{PASTE_END}"));
    }

    /// Unlocks with the passphrase and waits for the case list.
    pub fn unlock(&mut self, passphrase: &str, then: &str) {
        self.wait_for("Unlock");
        self.send(passphrase);
        self.keys(ENTER, then);
        self.settle();
        // The sitting used last is offered straight after unlocking: not now.
        if self.screen().contains("Resume where you left off?") {
            self.send(ESC);
            self.wait_until("the resume offer to close", |s| {
                !s.contains("Resume where you left off?")
            });
        }
    }

    /// Waits for the program to exit by itself and returns whether it succeeded.
    pub fn wait_exit(&mut self) -> bool {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            self.pump(Duration::from_millis(20));
            if let Some(status) = self.child.try_wait().unwrap() {
                self.drain(Duration::from_secs(2));
                return status.success();
            }
            assert!(
                Instant::now() < deadline,
                "did not exit; screen:\n{}",
                self.screen()
            );
        }
    }

    /// Quits with Ctrl+Q and checks the exit status.
    pub fn quit(mut self) -> Vec<u8> {
        self.send(CTRL_Q);
        assert!(self.wait_exit(), "exit status; screen:\n{}", self.screen());
        std::mem::take(&mut self.raw)
    }

    /// SIGKILLs the program (TerminateProcess on Windows, just as abrupt) and reaps it.
    pub fn kill9(&mut self) {
        if self.child.try_wait().unwrap().is_none() {
            #[cfg(unix)]
            sigkill(self.pid());
            #[cfg(not(unix))]
            self.child.kill().unwrap();
        }
        self.child.wait().unwrap();
    }
}

/// The passphrase as a secret.
pub fn secret() -> SecretString {
    SecretString::from(PASSPHRASE.to_string())
}

/// Creates an identity and recipients file under `home` with the library (one scrypt).
pub fn init_home(home: &Path) -> UnlockedIdentity {
    create_identity(&RealDisk, &Paths::under(home), &secret())
        .unwrap()
        .0
}

/// Unlocks the identity under `home` (one scrypt) and opens its case book.
pub fn book(home: &Path) -> CaseBook {
    let paths = Paths::under(home);
    let identity = unlock(&RealDisk, &paths, &secret()).unwrap();
    CaseBook::open(&paths, identity).unwrap()
}

/// Creates case `reference` with a suspect and a partner through the library.
pub fn create_case(book: &CaseBook, reference: &str) -> interview_companion::session::Case {
    use interview_companion::questionnaire::Respondent;
    book.create_case(
        reference,
        vec![
            Subject {
                role: Respondent::Suspect,
                label: "Adult A".into(),
            },
            Subject {
                role: Respondent::Partner,
                label: "Adult B".into(),
            },
        ],
        chrono::Local::now().fixed_offset(),
    )
    .unwrap()
}

/// From the case list (case `reference` selected, the only one), opens the case and
/// starts a suspect-interview sitting: ends on the logging screen.
pub fn start_suspect_sitting(tui: &mut Tui, reference: &str) {
    tui.keys(ENTER, &format!("Case {reference}"));
    tui.keys("s", "Start a sitting");
    // Typing narrows the list of questionnaires to the suspect interview.
    tui.keys("images user", "Questionnaire: images user");
    tui.send(TAB);
    tui.send(TAB);
    tui.send("Interviewer One");
    tui.keys(ENTER, "0/35 answered");
}

/// Every file under `dir`, with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                out.insert(p, bytes);
            }
        }
    }
    out
}

/// Every file and folder under `dir` (not following links), `dir` included.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
            out.push(p.clone());
            if is_dir {
                stack.push(p);
            }
        }
    }
    out
}

/// Runs `companion ARGS` on `home` with the passphrase in `pass`, no colour; the run must
/// succeed (else the test fails with its stderr). Its stdout.
pub fn cli_ok(home: &Path, pass: &Path, args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_companion"))
        .args(args)
        .env("COMPANION_HOME", home)
        .env("COMPANION_PASSPHRASE_FILE", pass)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "companion {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A home of its own for driving the binary, as a person sets one up: its identity, the
/// trust and signers files its first unlock writes (as the screens' would), and a private
/// passphrase file (a readable one is warned about, and a test must hear only the warnings
/// it provokes). Everything lives in a temporary folder, [`Home::dir`].
pub struct Home {
    tmp: tempfile::TempDir,
    pub home: PathBuf,
    pub pass: PathBuf,
}

impl Home {
    pub fn new() -> Home {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        init_home(&home);
        drop(book(&home));
        let pass = tmp.path().join("pass.txt");
        std::fs::write(&pass, format!("{PASSPHRASE}\n")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        Home { tmp, home, pass }
    }

    /// The temporary folder the home is in, for files beside it.
    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// `companion ARGS` on this home, unlocked with its passphrase file.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_companion"))
            .args(args)
            .env("COMPANION_HOME", &self.home)
            .env("COMPANION_PASSPHRASE_FILE", &self.pass)
            .output()
            .unwrap()
    }

    /// [`Home::run`]: (exit code, stdout then stderr).
    pub fn run_text(&self, args: &[&str]) -> (i32, String) {
        let out = self.run(args);
        (
            out.status.code().unwrap_or(-1),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    }
}

/// The text of questionnaire `id` as released in `version`, which the program keeps
/// embedded so sittings recorded with it are read with it.
pub fn released(
    id: &str,
    version: &str,
) -> interview_companion::questionnaire::LoadedQuestionnaire {
    interview_companion::questionnaire::Catalog::embedded()
        .kept()
        .into_iter()
        .find(|q| q.id() == id && q.version() == version)
        .unwrap_or_else(|| panic!("{id} {version} is kept"))
        .clone()
}
