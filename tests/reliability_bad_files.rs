//! Bad files where records, keys, lock files and questionnaires should be: a FIFO (which
//! would wait for a writer for ever), a sparse file of gigabytes, a symbolic link to
//! `/dev/zero` or to a record elsewhere, a lock file that links out of the data folder.
//! Each is refused by name without being read, nothing hangs, nothing on disk changes, and
//! the rest still opens: through the store and through the real binary.
//!
//! On Windows, which has no FIFOs or devices among files, the size limits and the saves
//! past them run. The link tests do not: Wine's symbolic links do not behave as Windows'
//! (there a linked lock file opened writable, and a linked sitting was neither read nor
//! reported), and making one on Windows needs admin rights or Developer Mode, so the
//! Windows no-follow open (`FILE_FLAG_OPEN_REPARSE_POINT`) is compiled but unverified.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{CTRL_Q, ENTER, PASSPHRASE, Tui};
use interview_companion::records::CaseBook;
use interview_companion::store::{Access, SittingId};

/// More than enough for any of these commands on a loaded machine; a hang shows as this.
const LIMIT: Duration = Duration::from_secs(60);

/// A home with an identity, a passphrase file and case DEMO-0001 holding one real sitting
/// (a suspect interview with one answer).
struct Home {
    dir: tempfile::TempDir,
    case: String,
    sitting: String,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        common::init_home(dir.path());
        std::fs::write(dir.path().join("pp"), format!("{PASSPHRASE}\n")).unwrap();
        let book = common::book(dir.path());
        let case = common::create_case(&book, "DEMO-0001");
        let catalog = interview_companion::questionnaire::Catalog::embedded();
        let q = catalog.get("suspect-interview").unwrap();
        let clock = interview_companion::session::SystemClock::start();
        let mut open = book
            .start_sitting(
                &case,
                q,
                interview_companion::questionnaire::Respondent::Suspect,
                vec!["Interviewer One".into()],
                &clock,
            )
            .unwrap();
        open.sitting.record(
            interview_companion::session::EventKind::Answer {
                question: "hours-online".into(),
                value: interview_companion::session::AnswerValue::Number { number: 25.0 },
            },
            interview_companion::session::Clock::stamp(&clock),
        );
        book.save_sitting(&open).unwrap();
        // Left as the screens leave it, so the signed statement names this version and
        // opening the case has no interrupted save to confirm (which would write).
        book.finish_sitting(&open);
        let sitting = open.sitting.id.clone();
        Home {
            dir,
            case: case.id,
            sitting,
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn case_dir(&self) -> PathBuf {
        self.path().join("data/cases").join(&self.case)
    }

    /// Where a new sitting of the case would be (a fresh id, no file yet).
    fn new_sitting_file(&self) -> PathBuf {
        self.case_dir().join(format!("{}.age", SittingId::random()))
    }

    fn book(&self) -> CaseBook {
        common::book(self.path())
    }

    /// The binary with this home and the passphrase file, stdin closed.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_companion"));
        cmd.args(args)
            .env("COMPANION_HOME", self.path())
            .env("COMPANION_PASSPHRASE_FILE", self.path().join("pp"))
            .stdin(Stdio::null());
        cmd
    }
}

fn is_fifo(t: &std::fs::FileType) -> bool {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileTypeExt::is_fifo(t)
    }
    #[cfg(not(unix))]
    {
        let _ = t;
        false
    }
}

/// A symbolic link at `link` to the file `target`.
fn symlink(target: &Path, link: &Path) {
    #[cfg(unix)]
    std::os::unix::fs::symlink(target, link).unwrap();
    #[cfg(windows)]
    std::os::windows::fs::symlink_file(target, link).unwrap();
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Runs a command, failing the test (and killing it) if it has not finished within
/// [`LIMIT`]: a read that waits on a FIFO for ever shows up here.
fn run(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let err_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the command hung: still running after {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Every entry under `dir` (not following links): regular files with their bytes, and
/// anything else by kind, so a FIFO is listed without being opened.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    for p in common::walk(dir) {
        let meta = std::fs::symlink_metadata(&p).unwrap();
        let t = meta.file_type();
        let what = if t.is_symlink() {
            format!("link to {}", std::fs::read_link(&p).unwrap().display())
        } else if is_fifo(&t) {
            "fifo".to_string()
        } else if t.is_dir() {
            "dir".to_string()
        } else if meta.len() > 1 << 20 {
            // The sparse files: their size says it (reading them is what is tested).
            format!("file of {} bytes", meta.len())
        } else {
            use sha2::Digest;
            format!("{:x}", sha2::Sha256::digest(std::fs::read(&p).unwrap()))
        };
        out.insert(p, what);
    }
    out
}

#[test]
#[cfg_attr(windows, ignore = "FIFOs: Windows has none among files")]
fn a_fifo_as_a_sitting_does_not_hang_export_and_is_named() {
    let home = Home::new();
    let fifo = home.new_sitting_file();
    mkfifo(&fifo);
    let before = snapshot(home.path());
    let out = run(home.command(&[
        "export",
        "DEMO-0001",
        "--format",
        "md",
        "--plaintext",
        "-o",
        "-",
    ]));
    let report = text(&out.stdout);
    assert!(out.status.success(), "{report}{}", text(&out.stderr));
    // The sitting's id (the Markdown escapes the dot before `age`).
    let name = fifo.file_stem().unwrap().to_string_lossy().into_owned();
    let line = report
        .lines()
        .find(|l| l.contains(&name))
        .unwrap_or_else(|| panic!("the FIFO is not named in the report:\n{report}"));
    assert!(
        line.contains("not a regular file but a FIFO (named pipe); only regular files are read"),
        "{line}"
    );
    // The real sitting is still in the report.
    assert!(report.contains("25 hours/week"), "{report}");
    assert_eq!(snapshot(home.path()), before, "something on disk changed");
}

#[test]
#[cfg_attr(windows, ignore = "FIFOs: Windows has none among files")]
fn a_fifo_as_a_sitting_does_not_freeze_the_screens() {
    let home = Home::new();
    let fifo = home.new_sitting_file();
    mkfifo(&fifo);
    let before = snapshot(home.path());
    let mut tui = Tui::start(home.path());
    tui.unlock(PASSPHRASE, "DEMO-0001");
    tui.keys(ENTER, "Case DEMO-0001");
    tui.wait_for("FIFO (named pipe)");
    tui.settle();
    // The real sitting is listed, and quitting works.
    assert!(tui.screen().contains("suspect"), "{}", tui.screen());
    tui.send(CTRL_Q);
    assert!(tui.wait_exit(), "exit status; screen:\n{}", tui.screen());
    assert_eq!(snapshot(home.path()), before, "something on disk changed");
}

#[test]
fn huge_sparse_and_endless_files_are_refused_before_reading() {
    let home = Home::new();
    // 100 MiB of zeros (sparse): over the sitting limit, refused by size.
    let big = home.new_sitting_file();
    std::fs::File::create(&big)
        .unwrap()
        .set_len(100 << 20)
        .unwrap();
    // 3 GiB sparse: the case, which once cost 6 GB of memory.
    let huge = home.new_sitting_file();
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    // A link to /dev/zero reads for ever (Unix: Windows has no such device).
    #[cfg(unix)]
    let zero = home.new_sitting_file();
    #[cfg(unix)]
    symlink(Path::new("/dev/zero"), &zero);
    let before = snapshot(home.path());
    let book = home.book();
    let record = book.open_case(&home.case.parse().unwrap()).unwrap();
    let problem = |p: &Path| {
        record
            .problems
            .iter()
            .find(|x| x.path == p)
            .map(ToString::to_string)
            .unwrap_or_else(|| panic!("{} not reported: {:?}", p.display(), record.problems))
    };
    let big_problem = problem(&big);
    assert!(
        big_problem.contains("too large: 104857600 bytes, limit 67108864"),
        "{big_problem}"
    );
    assert!(
        problem(&huge).contains("too large: 3221225472 bytes, limit 67108864"),
        "{}",
        problem(&huge)
    );
    #[cfg(unix)]
    assert!(
        problem(&zero).contains("not a regular file but a symbolic link"),
        "{}",
        problem(&zero)
    );
    assert_eq!(record.sittings.len(), 1, "the real sitting still opens");
    assert_eq!(record.problems.len(), if cfg!(unix) { 3 } else { 2 });
    assert_eq!(snapshot(home.path()), before, "something on disk changed");
}

#[test]
#[cfg_attr(
    windows,
    ignore = "symbolic links: Wine's are not Windows' (see above); making one needs admin rights"
)]
fn a_sitting_linked_from_elsewhere_is_not_followed() {
    let home = Home::new();
    let real = home.case_dir().join(format!("{}.age", home.sitting));
    let outside = home.path().join("elsewhere.age");
    std::fs::rename(&real, &outside).unwrap();
    symlink(&outside, &real);
    let book = home.book();
    let record = book.open_case(&home.case.parse().unwrap()).unwrap();
    assert!(record.sittings.is_empty(), "a linked record was followed");
    let message = record.problems[0].to_string();
    assert!(
        message.contains("not a regular file but a symbolic link"),
        "{message}"
    );
    assert!(message.contains(&home.sitting), "{message}");
}

#[test]
#[cfg_attr(
    windows,
    ignore = "symbolic links: Wine's are not Windows' (see above); making one needs admin rights"
)]
fn a_lock_file_linking_out_of_the_data_folder_creates_nothing_there() {
    let home = Home::new();
    let outside = home.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    let target = outside.join("created-through-the-lock-link");
    let lock = home.case_dir().join(format!("{}.lock", home.sitting));
    std::fs::remove_file(&lock).unwrap();
    symlink(&target, &lock);
    let case_lock = home.case_dir().join("case.lock");
    let case_target = outside.join("created-through-the-case-lock-link");
    std::fs::remove_file(&case_lock).unwrap();
    symlink(&case_target, &case_lock);
    let before = snapshot(home.path());

    let book = home.book();
    let record = book.open_case(&home.case.parse().unwrap()).unwrap();
    let sitting = record.sittings.into_iter().next().unwrap();
    let open = book.resume_sitting(sitting).unwrap();
    let why = open
        .read_only()
        .expect("opened writable through a linked lock");
    assert!(
        why.to_string()
            .contains("not a regular file but a symbolic link"),
        "{why}"
    );
    assert!(book.save_sitting(&open).is_err());
    let case = record.case.unwrap();
    let refused = book.save_case(&case).unwrap_err().to_string();
    assert!(refused.contains("symbolic link"), "{refused}");
    let store = book.store();
    assert!(matches!(
        store.lock_sitting(&home.case.parse().unwrap(), &home.sitting.parse().unwrap()),
        Access::ReadOnly(_)
    ));
    assert!(!target.exists(), "a file was created through the lock link");
    assert!(!case_target.exists(), "a file was created through the link");
    assert_eq!(snapshot(home.path()), before, "something on disk changed");
}

#[test]
#[cfg_attr(windows, ignore = "FIFOs: Windows has none among files")]
fn fifos_as_keys_and_questionnaires_do_not_hang_the_commands() {
    // The recipients file.
    let home = Home::new();
    let recipients = home.path().join("config/recipients.txt");
    std::fs::remove_file(&recipients).unwrap();
    mkfifo(&recipients);
    let out = run(home.command(&["case", "list"]));
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("recipients.txt"), "{err}");
    assert!(err.contains("FIFO"), "{err}");

    // The identity.
    let home = Home::new();
    let identity = home.path().join("config/identity.age");
    std::fs::remove_file(&identity).unwrap();
    mkfifo(&identity);
    let out = run(home.command(&["case", "list"]));
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("identity.age"), "{err}");
    assert!(err.contains("FIFO"), "{err}");

    // A local questionnaire: reported and left out; the standard set still loads.
    let folder = home.path().join("config/questionnaires");
    std::fs::create_dir_all(&folder).unwrap();
    mkfifo(&folder.join("local.toml"));
    let out = run(home.command(&["questionnaires", "list"]));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(all.contains("local.toml"), "{all}");
    assert!(all.contains("FIFO"), "{all}");
    assert!(all.contains("suspect-interview"), "{all}");
}

#[test]
fn a_save_past_the_limit_is_refused_and_the_file_kept() {
    let home = Home::new();
    let book = home.book();
    let store = book.store();
    let file = home.case_dir().join(format!("{}.age", home.sitting));
    let before = std::fs::read(&file).unwrap();
    let Access::Write(lock) =
        store.lock_sitting(&home.case.parse().unwrap(), &home.sitting.parse().unwrap())
    else {
        panic!("the sitting is not writable");
    };
    let identity = interview_companion::store::unlock(
        &interview_companion::store::RealDisk,
        &interview_companion::paths::Paths::under(home.path()),
        &common::secret(),
    )
    .unwrap();
    // 65 MiB: more than a sitting file may be, so it could never be read back.
    let err = store
        .save_sitting(&lock, &vec![b'x'; 65 << 20], &identity)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("NOT saved"), "{err}");
    assert!(err.contains("over the limit of 67108864"), "{err}");
    assert!(err.contains("shorten"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before, "the file changed");
}
