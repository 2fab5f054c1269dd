//! Cases and exports from the command line, through the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

use std::path::Path;
use std::process::{Command, Output};

use interview_companion::paths::Paths;
use interview_companion::store::{RealDisk, SecretString, decrypt, unlock};

const PASSPHRASE: &str = "fictional test passphrase";

fn companion(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_companion"))
        .args(args)
        .env("COMPANION_HOME", home)
        .env("COMPANION_PASSPHRASE_FILE", home.join("pp"))
        .output()
        .expect("run companion")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

#[test]
fn create_list_and_export_a_case() {
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path();
    std::fs::write(h.join("pp"), format!("{PASSPHRASE}\n")).expect("write");
    ok(&companion(h, &["init"]));
    let created = ok(&companion(
        h,
        &[
            "case",
            "new",
            "DEMO-0001",
            "--subject",
            "suspect=Adult A",
            "--subject",
            "partner=Adult B",
        ],
    ));
    assert!(created.contains("created case DEMO-0001"), "{created}");

    // The reference is personal-ish data: it must not appear in any file or folder name.
    for entry in walk(h) {
        assert!(!entry.contains("DEMO"), "{entry} names the case");
    }

    let dup = companion(h, &["case", "new", "demo-0001"]);
    assert!(!dup.status.success());
    assert!(
        text(&dup.stderr).contains("already exists"),
        "{}",
        text(&dup.stderr)
    );

    let bad = companion(h, &["case", "new", "DEMO-0002", "--subject", "uncle=X"]);
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("unknown role"),
        "{}",
        text(&bad.stderr)
    );

    let list = ok(&companion(h, &["case", "list"]));
    assert!(list.lines().any(|l| l.starts_with("DEMO-0001")), "{list}");

    // Export: encrypted by default, to a file that only the identity opens.
    let out_file = h.join("report.json.age");
    let out = companion(
        h,
        &[
            "export",
            "DEMO-0001",
            "--format",
            "json",
            "-o",
            out_file.to_str().expect("utf8"),
        ],
    );
    ok(&out);
    let ciphertext = std::fs::read(&out_file).expect("report written");
    assert!(ciphertext.starts_with(b"age-encryption.org/v1"));
    let identity = unlock(
        &RealDisk,
        &Paths::under(h),
        &SecretString::from(PASSPHRASE.to_string()),
    )
    .expect("unlock");
    let plain = decrypt(&ciphertext, &identity).expect("decrypts");
    let json: serde_json::Value = serde_json::from_slice(&plain).expect("json");
    assert_eq!(json["case"]["reference"], "DEMO-0001");
    assert_eq!(json["case"]["subject"][1]["label"], "Adult B");

    // Plaintext only when asked, with a warning.
    let out = companion(
        h,
        &[
            "export",
            "DEMO-0001",
            "--format",
            "html",
            "--plaintext",
            "-o",
            "-",
        ],
    );
    let html = ok(&out);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(text(&out.stderr).contains("UNENCRYPTED"));

    let missing = companion(h, &["export", "NOPE-1"]);
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("no case with reference"));
}

/// The protective marking: OFFICIAL-SENSITIVE by default, the settings file's
/// `protective_marking`, `--marking` for one export; a settings file that cannot be used
/// stops the export at its line (a report is never under-marked by falling back).
#[test]
fn export_carries_the_protective_marking_from_settings_or_the_flag() {
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path();
    std::fs::write(h.join("pp"), format!("{PASSPHRASE}\n")).expect("write");
    ok(&companion(h, &["init"]));
    ok(&companion(h, &["case", "new", "DEMO-0001"]));
    let html = |extra: &[&str]| {
        let mut args = vec![
            "export",
            "DEMO-0001",
            "--format",
            "html",
            "--plaintext",
            "-o",
            "-",
        ];
        args.extend_from_slice(extra);
        companion(h, &args)
    };
    let md = |extra: &[&str]| {
        let mut args = vec![
            "export",
            "DEMO-0001",
            "--format",
            "md",
            "--plaintext",
            "-o",
            "-",
        ];
        args.extend_from_slice(extra);
        companion(h, &args)
    };
    let page = ok(&html(&[]));
    assert!(
        page.contains("<p class=\"marking\">OFFICIAL-SENSITIVE</p>"),
        "{page}"
    );
    assert!(
        page.contains("@top-center{content:\"OFFICIAL-SENSITIVE\""),
        "{page}"
    );
    let markdown = ok(&md(&[]));
    assert!(markdown.starts_with("**OFFICIAL-SENSITIVE**"), "{markdown}");
    // Signature verdicts, like statuses, are a mark and words.
    assert!(
        markdown.contains("- `case.age`: ✓ signed by you (trusted)"),
        "{markdown}"
    );
    assert!(
        page.contains("<code>case.age</code>: ✓ signed by you (trusted)"),
        "{page}"
    );

    let settings = Paths::under(h).settings_file();
    std::fs::write(
        &settings,
        "protective_marking = \"OFFICIAL-SENSITIVE PERSONAL\"\n",
    )
    .expect("write settings");
    let page = ok(&html(&[]));
    assert!(page.contains(">OFFICIAL-SENSITIVE PERSONAL</p>"), "{page}");
    let page = ok(&html(&["--marking", "OFFICIAL"]));
    assert!(page.contains("<p class=\"marking\">OFFICIAL</p>"), "{page}");
    assert!(!page.contains("PERSONAL"), "the flag wins: {page}");

    let refused = html(&["--marking", ""]);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("--marking: the protective marking is empty"));

    std::fs::write(&settings, "# mine\nprotective_marking = \"\"\n").expect("write settings");
    let refused = html(&[]);
    assert!(
        !refused.status.success(),
        "exported with a marking the user did not set"
    );
    let why = text(&refused.stderr);
    assert!(why.contains("settings.toml:2: protective_marking"), "{why}");
    assert!(why.contains("--marking"), "{why}");
    assert!(refused.stdout.is_empty(), "nothing exported");
    let page = ok(&html(&["--marking", "OFFICIAL"]));
    assert!(
        page.contains(">OFFICIAL</p>"),
        "the flag still works: {page}"
    );
}

/// `-o` never replaces a file by accident: an existing one (an earlier report, anything, a
/// link) is refused before the passphrase is asked, and left as it was; `--force` replaces.
#[test]
fn export_refuses_an_existing_output_file_unless_forced() {
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path();
    std::fs::write(h.join("pp"), format!("{PASSPHRASE}\n")).expect("write");
    ok(&companion(h, &["init"]));
    ok(&companion(h, &["case", "new", "DEMO-0001"]));
    let out_file = h.join("report.md");
    std::fs::write(&out_file, b"an earlier report, kept").expect("write");
    #[allow(unused_mut)]
    let mut targets = vec![out_file.clone()];
    #[cfg(unix)]
    {
        let link = h.join("link.md");
        std::os::unix::fs::symlink(h.join("nowhere"), &link).expect("symlink");
        targets.push(link);
    }
    for target in &targets {
        let refused = companion(
            h,
            &[
                "export",
                "DEMO-0001",
                "--plaintext",
                "-o",
                target.to_str().expect("utf8"),
            ],
        );
        assert!(!refused.status.success(), "{}", text(&refused.stdout));
        let err = text(&refused.stderr);
        assert!(err.contains("already exists"), "{err}");
        assert!(err.contains("--force"), "{err}");
        assert!(err.contains("nothing was written"), "{err}");
    }
    assert_eq!(
        std::fs::read(&out_file).expect("read"),
        b"an earlier report, kept"
    );
    assert!(!h.join("nowhere").exists(), "written through the link");

    // The default name too: the second export is refused.
    let work = h.join("work");
    std::fs::create_dir(&work).expect("mkdir");
    let run_in = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_companion"))
            .args(args)
            .current_dir(&work)
            .env("COMPANION_HOME", h)
            .env("COMPANION_PASSPHRASE_FILE", h.join("pp"))
            .output()
            .expect("run companion")
    };
    ok(&run_in(&["export", "DEMO-0001"]));
    let first: Vec<_> = std::fs::read_dir(&work).expect("ls").flatten().collect();
    assert_eq!(first.len(), 1);
    let written = first[0].path();
    let kept = std::fs::read(&written).expect("read");
    let again = run_in(&["export", "DEMO-0001"]);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("already exists"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(std::fs::read(&written).expect("read"), kept);

    // --force replaces.
    ok(&companion(
        h,
        &[
            "export",
            "DEMO-0001",
            "--plaintext",
            "--force",
            "-o",
            out_file.to_str().expect("utf8"),
        ],
    ));
    let replaced = std::fs::read_to_string(&out_file).expect("read");
    assert!(
        replaced.starts_with("**OFFICIAL-SENSITIVE**\n\n# Case DEMO-0001"),
        "{replaced}"
    );
    ok(&run_in(&["export", "DEMO-0001", "--force"]));
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        out.push(path.display().to_string());
        if path.is_dir() {
            out.extend(walk(&path));
        }
    }
    out
}

/// Bidi controls (U+202E and kin) in a reference reach the terminal marked, never raw: they
/// would make the line display in another order than it says.
#[test]
fn command_line_messages_mark_bidi_controls() {
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path();
    std::fs::write(h.join("pp"), format!("{PASSPHRASE}\n")).expect("write");
    ok(&companion(h, &["init"]));
    let reference = "DEMO-\u{202e}1000\u{202c}-\u{2066}X\u{2069}\u{061c}";
    let created = ok(&companion(h, &["case", "new", reference]));
    let list = ok(&companion(h, &["case", "list"]));
    let dup = companion(h, &["case", "new", reference]);
    for shown in [created, list, text(&dup.stderr)] {
        assert!(
            !shown
                .chars()
                .any(interview_companion::untrusted::is_bidi_control),
            "{shown:?}"
        );
        assert!(shown.contains("DEMO-"), "{shown}");
    }
}

/// `case new` asks for the people's labels (from the terminal, or standard input when it is
/// not one), so they never sit in the process list or the shell history; `--subject` still
/// works, for fictional test data, and says what it exposes.
#[test]
fn case_new_reads_the_labels_rather_than_taking_them_as_arguments() {
    use std::io::Write as _;
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path();
    std::fs::write(h.join("pp"), format!("{PASSPHRASE}\n")).expect("write");
    ok(&companion(h, &["init"]));
    let mut child = Command::new(env!("CARGO_BIN_EXE_companion"))
        .args(["case", "new", "DEMO-0002"])
        .env("COMPANION_HOME", h)
        .env("COMPANION_PASSPHRASE_FILE", h.join("pp"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"Adult A\nAdult B, Adult C\n\nChild D\n")
        .expect("write labels");
    let out = child.wait_with_output().expect("wait");
    ok(&out);
    assert!(
        !text(&out.stderr).contains("process list"),
        "{}",
        text(&out.stderr)
    );
    let identity = unlock(
        &RealDisk,
        &Paths::under(h),
        &SecretString::from(PASSPHRASE.to_string()),
    )
    .expect("unlock");
    let book =
        interview_companion::records::CaseBook::open(&Paths::under(h), identity).expect("book");
    let case = book.find("DEMO-0002").expect("created");
    let labels: Vec<(String, String)> = case
        .subjects
        .iter()
        .map(|s| (s.role.to_string(), s.label.clone()))
        .collect();
    let want: Vec<(String, String)> = [
        ("suspect", "Adult A"),
        ("partner", "Adult B"),
        ("partner", "Adult C"),
        ("child", "Child D"),
    ]
    .iter()
    .map(|(r, l)| (r.to_string(), l.to_string()))
    .collect();
    assert_eq!(labels, want);

    // No input at all: a case with nobody in it yet, not a hang.
    ok(&companion(h, &["case", "new", "DEMO-0003"]));
    assert!(book.find("DEMO-0003").expect("created").subjects.is_empty());

    // The flag: taken, with a warning about what it exposes.
    let flagged = companion(
        h,
        &["case", "new", "DEMO-0004", "--subject", "suspect=Adult A"],
    );
    ok(&flagged);
    let warning = text(&flagged.stderr);
    assert!(warning.contains("process list"), "{warning}");
    assert!(warning.contains("fictional test data"), "{warning}");
    let help = text(
        &Command::new(env!("CARGO_BIN_EXE_companion"))
            .args(["case", "new", "--help"])
            .output()
            .expect("help")
            .stdout,
    );
    assert!(help.contains("shell history"), "{help}");
}
