//! Issue 14 through the real binary: cases that travel between separate homes, each with
//! its own identity. Every refusal must leave the receiver's data folder exactly as it
//! was; a received record must decrypt with stock `age` as docs/transfer-format.md says.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Home, book, create_case, skip_or_fail};
use interview_companion::questionnaire::{Catalog, LoadedQuestionnaire, Respondent};
use interview_companion::session::{AnswerValue, Clock, EventKind, SystemClock};

impl Home {
    fn recipient(&self) -> String {
        let out = self.run(&["keys", "show"]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn send(&self, reference: &str, to: &str, name: &str) -> PathBuf {
        let file = self.dir().join(name);
        let (code, text) = self.run_text(&[
            "case",
            "send",
            reference,
            "--to",
            to,
            "-o",
            file.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{text}");
        file
    }

    fn receive(&self, file: &Path) -> (i32, String) {
        self.run_text(&["case", "receive", file.to_str().unwrap()])
    }

    fn data(&self) -> PathBuf {
        self.home.join("data")
    }
}

/// Every file under `dir` with its bytes, and every folder: "nothing was written" means
/// this is unchanged (an empty case folder left behind is a change too).
fn snapshot(dir: &Path) -> (BTreeMap<PathBuf, Vec<u8>>, BTreeSet<PathBuf>) {
    (
        common::snapshot(dir),
        common::walk(dir).into_iter().collect(),
    )
}

/// Logs a sitting of `who` in `home`'s case `reference` (made with both adults if there
/// is none) with the questionnaire `text`, these answers, and returns its id.
fn log_with(
    home: &Path,
    reference: &str,
    text: &LoadedQuestionnaire,
    who: Respondent,
    answers: Vec<(&str, AnswerValue)>,
) -> String {
    let b = book(home);
    let case = match b.find(reference) {
        Ok(c) => b.open_case(&c.id).unwrap().case.unwrap(),
        Err(_) => create_case(&b, reference),
    };
    let clock = SystemClock::start();
    let mut open = b
        .start_sitting(&case, text, who, vec!["Interviewer A".into()], &clock)
        .unwrap();
    for (question, value) in answers {
        open.sitting.record(
            EventKind::Answer {
                question: question.into(),
                value,
            },
            clock.stamp(),
        );
        b.save_sitting(&open).unwrap();
    }
    b.finish_sitting(&open);
    open.sitting.id.clone()
}

/// Logs a suspect or partner interview (the questionnaire in use) with these numbers.
fn log_sitting(home: &Path, reference: &str, who: Respondent, answers: &[(&str, f64)]) -> String {
    let catalog = Catalog::embedded();
    let q = catalog
        .get(match who {
            Respondent::Suspect => "suspect-interview",
            _ => "partner-interview",
        })
        .unwrap();
    let answers = answers
        .iter()
        .map(|(q, n)| (*q, AnswerValue::Number { number: *n }))
        .collect();
    log_with(home, reference, q, who, answers)
}

/// `companion verify` in `h`: its exit status and what it printed.
fn verify(h: &Home, reference: &str) -> (i32, String) {
    h.run_text(&["verify", reference])
}

/// `h` trusts `other`'s signing key under `name` (`keys add-signer`).
fn trust(h: &Home, other: &Home, name: &str) {
    let line = other.run(&["keys", "show", "--signer"]);
    let line = String::from_utf8_lossy(&line.stdout).trim().to_string();
    let (code, text) = h.run_text(&["keys", "add-signer", &line, "--name", name]);
    assert_eq!(code, 0, "{text}");
}

/// `verify` is clean: every file signed by a trusted signer, every received sitting's
/// author trusted, the case complete.
fn assert_verifies(h: &Home, reference: &str) -> String {
    let (code, text) = verify(h, reference);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains('✗') && !text.contains("note:"), "{text}");
    text
}

/// Adds an answer to a sitting held in `home`.
fn extend_sitting(home: &Path, reference: &str, sitting: &str, question: &str, n: f64) {
    let b = book(home);
    let id = b.find(reference).unwrap().id;
    let record = b.open_case(&id).unwrap();
    let s = record
        .sittings
        .iter()
        .find(|s| s.id == sitting)
        .unwrap()
        .clone();
    let mut open = b.resume_sitting(s).unwrap();
    assert!(open.read_only().is_none(), "{:?}", open.read_only());
    open.sitting.record(
        EventKind::Answer {
            question: question.into(),
            value: AnswerValue::Number { number: n },
        },
        SystemClock::start().stamp(),
    );
    b.save_sitting(&open).unwrap();
    b.finish_sitting(&open);
}

fn report_json(h: &Home, reference: &str) -> serde_json::Value {
    let out = h.run(&[
        "export",
        reference,
        "--format",
        "json",
        "--plaintext",
        "-o",
        "-",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn suspect_from_a_and_partner_from_b_meet_in_c_and_diverge() {
    let (a, b, c) = (Home::new(), Home::new(), Home::new());
    // Each laptop made its own case for the family: two ids, one reference, same people.
    let suspect = log_sitting(
        &a.home,
        "DEMO-0001",
        Respondent::Suspect,
        &[("hours-online", 5.0)],
    );
    let partner = log_sitting(
        &b.home,
        "DEMO-0001",
        Respondent::Partner,
        &[("hours-online", 25.0)],
    );
    // A names C's key in its recipients file, as the docs describe, and sends by name.
    let c_key = c.recipient();
    assert_eq!(a.run_text(&["keys", "add-recipient", &c_key]).0, 0);
    let rfile = a.home.join("config/recipients.txt");
    let text = std::fs::read_to_string(&rfile).unwrap();
    std::fs::write(
        &rfile,
        text.replace(&c_key, &format!("# name: Assessor C\n{c_key}")),
    )
    .unwrap();
    let from_a = a.send("DEMO-0001", "Assessor C", "from-a.tar");
    let from_b = b.send("DEMO-0001", &c_key, "from-b.tar");

    // Nothing personal in any name inside; the list names ids and digests only.
    // (Read with the tar crate so this runs on Windows too; the stock `tar` opens it in
    // `a_receiver_without_the_program_checks_and_decrypts_with_stock_tools`.)
    let names: String = tar::Archive::new(std::fs::File::open(&from_a).unwrap())
        .entries()
        .unwrap()
        .map(|e| format!("{}\n", e.unwrap().path().unwrap().display()))
        .collect();
    assert!(
        names.contains("transfer.txt") && names.contains(&format!("{suspect}.age")),
        "{names}"
    );
    assert!(
        !names.contains("DEMO") && !names.contains("Adult"),
        "{names}"
    );
    let raw = std::fs::read(&from_a).unwrap();
    for secret in ["DEMO-0001", "Adult A", "hours-online"] {
        assert!(
            !raw.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} in the clear"
        );
    }

    let (code, text) = c.receive(&from_a);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("into: a new case DEMO-0001"), "{text}");
    assert!(text.contains("added"), "{text}");
    assert!(
        text.contains("written and signed by an UNKNOWN key"),
        "{text}"
    );
    let (code, text) = c.receive(&from_b);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("joined, as it has the same reference and the same people"),
        "{text}"
    );

    // One case in C, both sittings, the review shows the divergence.
    let (code, list) = c.run_text(&["case", "list"]);
    assert_eq!(code, 0);
    assert_eq!(list.matches("DEMO-0001").count(), 1, "{list}");
    let report = report_json(&c, "DEMO-0001");
    let row = report["divergences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "hours-online")
        .unwrap_or_else(|| panic!("hours-online compared: {report:#}"));
    assert_eq!(row["status"], "diverges", "{row:#}");
    // C signed every file it stored; who wrote the two sittings is not vouched for until
    // C trusts A and B (exit 3: nothing altered, not everything vouched for).
    let (code, text) = verify(&c, "DEMO-0001");
    assert_eq!(code, 3, "{text}");
    assert!(!text.contains('✗'), "{text}");
    assert!(
        text.contains(&format!("✓ {partner}.age: signed by you (trusted)")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "○ {suspect}.age: written and signed by an UNKNOWN key"
        )),
        "{text}"
    );

    // Once C trusts A and B, the authors are named, and the case verifies clean.
    trust(&c, &a, "Home-A");
    trust(&c, &b, "Home-B");
    let text = assert_verifies(&c, "DEMO-0001");
    assert!(
        text.contains(&format!(
            "✓ {suspect}.age: written and signed by Home-A (trusted)"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "✓ {partner}.age: written and signed by Home-B (trusted)"
        )),
        "{text}"
    );
    let md = c.run(&["export", "DEMO-0001", "--plaintext", "-o", "-"]);
    let md = String::from_utf8_lossy(&md.stdout).into_owned();
    assert!(
        md.contains("written and signed by Home-A (trusted)"),
        "{md}"
    );
    assert!(
        md.contains("written and signed by Home-B (trusted)"),
        "{md}"
    );
    assert!(md.contains("Received"), "custody in the report: {md}");
}

#[test]
fn round_trip_changes_nothing_and_the_same_file_twice_writes_nothing() {
    let (a, b) = (Home::new(), Home::new());
    let s = log_sitting(
        &a.home,
        "DEMO-0001",
        Respondent::Suspect,
        &[("hours-online", 5.0)],
    );
    let to_b = a.send("DEMO-0001", &b.recipient(), "to-b.tar");
    let (code, text) = b.receive(&to_b);
    assert_eq!(code, 0, "{text}");
    trust(&b, &a, "Home-A");
    assert_verifies(&b, "DEMO-0001");

    let before = snapshot(&b.data());
    let (code, text) = b.receive(&to_b);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("already received"), "{text}");
    assert_eq!(
        snapshot(&b.data()),
        before,
        "the same file twice writes nothing"
    );

    // B cannot change A's record: it opens read-only.
    let bb = book(&b.home);
    let id = bb.find("DEMO-0001").unwrap().id;
    let held = bb.open_case(&id).unwrap().sittings[0].clone();
    let open = bb.resume_sitting(held).unwrap();
    assert!(
        open.read_only().is_some(),
        "a received sitting is its author's"
    );
    drop(open);
    drop(bb);

    let back = b.send("DEMO-0001", &a.recipient(), "back.tar");
    let a_before = snapshot(&a.data());
    let (code, text) = a.receive(&back);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("already held, unchanged"), "{text}");
    assert!(
        text.contains("nothing new in it; nothing was written"),
        "{text}"
    );
    assert!(
        text.contains("written and signed by you (trusted)"),
        "{text}"
    );
    assert_eq!(snapshot(&a.data()), a_before, "A → B → A changes nothing");
    let text = assert_verifies(&a, "DEMO-0001");
    assert!(
        text.contains(&format!("✓ {s}.age: signed by you")),
        "{text}"
    );
}

#[test]
fn tampered_truncated_misaddressed_and_replayed_files_write_nothing() {
    let (a, c, other) = (Home::new(), Home::new(), Home::new());
    let s = log_sitting(
        &a.home,
        "DEMO-0001",
        Respondent::Suspect,
        &[("hours-online", 5.0)],
    );
    let old = a.send("DEMO-0001", &c.recipient(), "old.tar");
    extend_sitting(&a.home, "DEMO-0001", &s, "devices", 3.0);
    let new = a.send("DEMO-0001", &c.recipient(), "new.tar");
    let (code, text) = c.receive(&new);
    assert_eq!(code, 0, "{text}");
    let before = snapshot(&c.data());
    let bytes = std::fs::read(&new).unwrap();

    let mut cases: Vec<(String, Vec<u8>, &str)> = Vec::new();
    // A byte of the sitting's ciphertext changed (its entry is the fourth: after the list,
    // the readme and the case file).
    let entries = tar_offsets(&bytes);
    let (sitting_at, _) = entries
        .iter()
        .find(|(_, n)| n.ends_with(".age") && !n.starts_with("case"))
        .unwrap();
    let mut t = bytes.clone();
    t[sitting_at + 200] ^= 1;
    cases.push((
        "tampered record".into(),
        t,
        "not the file its sender signed",
    ));
    // The list edited (its digest line for case.age changed).
    let (list_at, _) = entries.iter().find(|(_, n)| n == "transfer.txt").unwrap();
    let mut t = bytes.clone();
    let body = &mut t[*list_at..];
    let pos = body.windows(8).position(|w| w == b"case.age").unwrap() - 4;
    body[pos] = if body[pos] == b'0' { b'1' } else { b'0' };
    cases.push((
        "tampered list".into(),
        t,
        "signature of its list does not hold",
    ));
    for cut in [100, 1024, 2048, bytes.len() / 2, bytes.len() - 1100] {
        cases.push((format!("truncated at {cut}"), bytes[..cut].to_vec(), ""));
    }
    for (what, t, want) in &cases {
        let f = c.dir().join("bad.tar");
        std::fs::write(&f, t).unwrap();
        let (code, text) = c.receive(&f);
        assert_eq!(code, 2, "{what}: {text}");
        assert!(
            text.contains("REFUSED, nothing was written"),
            "{what}: {text}"
        );
        assert!(text.contains(want), "{what}: {text}");
        assert_eq!(snapshot(&c.data()), before, "{what}: nothing written");
    }
    // Addressed to someone else.
    let elsewhere = a.send("DEMO-0001", &other.recipient(), "other.tar");
    let (code, text) = c.receive(&elsewhere);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("it is not for you"), "{text}");
    assert_eq!(snapshot(&c.data()), before);
    // Replayed: the older file after the newer one brings nothing.
    let (code, text) = c.receive(&old);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("the version held is longer"), "{text}");
    assert!(text.contains("nothing was written"), "{text}");
    assert_eq!(snapshot(&c.data()), before);
}

/// (offset of each entry's data, its name) in an uncompressed tar.
fn tar_offsets(bytes: &[u8]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 512 <= bytes.len() && bytes[at] != 0 {
        let name = String::from_utf8_lossy(&bytes[at..at + 100])
            .trim_end_matches('\0')
            .to_string();
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&bytes[at + 124..at + 135])
                .trim_matches(|c| c == '\0' || c == ' '),
            8,
        )
        .unwrap();
        out.push((at + 512, name));
        at += 512 + size.div_ceil(512) * 512;
    }
    out
}

#[test]
fn divergent_versions_are_both_kept_and_named() {
    let (a, c) = (Home::new(), Home::new());
    let s = log_sitting(
        &a.home,
        "DEMO-0001",
        Respondent::Suspect,
        &[("hours-online", 5.0)],
    );
    let case_dir = std::fs::read_dir(a.data().join("cases"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let backup = a.dir().join("backup");
    copy_dir(&case_dir, &backup);
    extend_sitting(&a.home, "DEMO-0001", &s, "devices", 3.0);
    let first = a.send("DEMO-0001", &c.recipient(), "first.tar");
    // A's laptop is restored from its backup and the sitting goes on differently.
    std::fs::remove_dir_all(&case_dir).unwrap();
    copy_dir(&backup, &case_dir);
    extend_sitting(&a.home, "DEMO-0001", &s, "devices", 4.0);
    let second = a.send("DEMO-0001", &c.recipient(), "second.tar");

    assert_eq!(c.receive(&first).0, 0);
    let (code, text) = c.receive(&second);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("CONFLICT"), "{text}");
    assert!(text.contains("both are kept"), "{text}");
    let cb = book(&c.home);
    let record = cb.open_case(&cb.find("DEMO-0001").unwrap().id).unwrap();
    assert_eq!(record.sittings.len(), 2, "both versions kept");
    assert!(record.problems.is_empty(), "{:?}", record.problems);
    assert!(
        record
            .origins
            .iter()
            .any(|o| o.conflicts_with.as_deref() == Some(s.as_str()))
    );
    assert_eq!(record.custody.problems().count(), 0);
    let copy = record.files.iter().find(|f| **f != s).unwrap().clone();
    drop(cb);
    trust(&c, &a, "Home-A");
    let text = assert_verifies(&c, "DEMO-0001");
    assert!(
        text.contains(&format!(
            "{copy}.age: written and signed by Home-A (trusted)"
        )) && text.contains(&format!("CONFLICT: diverges from the version in {s}.age")),
        "{text}"
    );
    // The report gives each version its own file's signature and its origin.
    let report = report_json(&c, "DEMO-0001");
    let mut shown: Vec<(String, bool)> = report["sittings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["id"], s.as_str());
            assert_eq!(r["signature"]["verdict"], "signed", "{r:#}");
            (
                r["signature"]["file"].as_str().unwrap().to_string(),
                r["origin"].as_str().unwrap_or("").contains("CONFLICT"),
            )
        })
        .collect();
    shown.sort();
    let mut want = vec![(format!("{s}.age"), false), (format!("{copy}.age"), true)];
    want.sort();
    assert_eq!(shown, want);
    // Again: nothing changes.
    let before = snapshot(&c.data());
    assert!(c.receive(&second).1.contains("already received"));
    assert_eq!(snapshot(&c.data()), before);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn a_different_family_with_the_same_reference_is_in_doubt_until_named() {
    let (a, c) = (Home::new(), Home::new());
    log_sitting(
        &a.home,
        "DEMO-0001",
        Respondent::Suspect,
        &[("hours-online", 5.0)],
    );
    let file = a.send("DEMO-0001", &c.recipient(), "a.tar");
    let cb = book(&c.home);
    cb.create_case("DEMO-0001", Vec::new(), chrono::Local::now().fixed_offset())
        .unwrap();
    drop(cb);
    let before = snapshot(&c.data());
    let (code, text) = c.receive(&file);
    assert_eq!(code, 4, "{text}");
    assert!(text.contains("IN DOUBT, nothing was written"), "{text}");
    assert_eq!(snapshot(&c.data()), before);
    let (code, text) = c.run_text(&[
        "case",
        "receive",
        file.to_str().unwrap(),
        "--into",
        "DEMO-0001",
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("as asked"), "{text}");
    trust(&c, &a, "Home-A");
    assert_verifies(&c, "DEMO-0001");
}

#[test]
fn send_refuses_to_overwrite_without_force() {
    let (a, c) = (Home::new(), Home::new());
    log_sitting(
        &a.home,
        "DEMO-0001",
        Respondent::Suspect,
        &[("hours-online", 5.0)],
    );
    let file = a.dir().join("exists.tar");
    std::fs::write(&file, b"keep me").unwrap();
    let key = c.recipient();
    let (code, text) = a.run_text(&[
        "case",
        "send",
        "DEMO-0001",
        "--to",
        &key,
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_ne!(code, 0, "{text}");
    assert!(text.contains("already exists"), "{text}");
    assert_eq!(std::fs::read(&file).unwrap(), b"keep me");
    let (code, text) = a.run_text(&[
        "case",
        "send",
        "DEMO-0001",
        "--to",
        &key,
        "-o",
        file.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(c.receive(&file).0, 0);
}

#[test]
#[cfg_attr(
    windows,
    ignore = "the stock age, ssh-keygen, tar and sh: no Windows builds of them in CI"
)]
fn a_receiver_without_the_program_checks_and_decrypts_with_stock_tools() {
    for tool in ["age", "age-keygen", "ssh-keygen", "tar", "sha256sum"] {
        if !Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {tool}"))
            .output()
            .is_ok_and(|o| o.status.success())
        {
            skip_or_fail(&format!("`{tool}` is not installed"));
            return;
        }
    }
    let a = Home::new();
    let s = log_sitting(
        &a.home,
        "DEMO-0001",
        Respondent::Suspect,
        &[("hours-online", 5.0)],
    );
    let key = a.dir().join("receiver-key.txt");
    let st = Command::new("age-keygen")
        .arg("-o")
        .arg(&key)
        .output()
        .unwrap();
    assert!(st.status.success());
    let text = std::fs::read_to_string(&key).unwrap();
    let public = text
        .lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .unwrap()
        .to_string();
    let file = a.send("DEMO-0001", &public, "for-receiver.tar");
    let out = a.dir().join("unpacked");
    std::fs::create_dir_all(&out).unwrap();
    // The procedure in docs/transfer-format.md, exactly as written there (stopping at the
    // first command that fails), with A's own signers file: A sent it and wrote it.
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/transfer-format.md"
    ))
    .unwrap();
    let block = &doc[doc
        .find("<!-- check-transfer -->")
        .expect("marker in the doc")..];
    let start = block.find("```sh\n").unwrap() + 6;
    let script = &block[start..start + block[start..].find("\n```").unwrap()];
    let run = Command::new("sh")
        .arg("-e")
        .arg("-c")
        .arg(script)
        .current_dir(&out)
        .env("FILE", &file)
        .env("KEY", &key)
        .env("ID", &s)
        .env("SIGNERS", a.home.join("config/allowed_signers"))
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let case_toml = std::fs::read_to_string(out.join("case.toml")).unwrap_or_default();
    assert!(run.status.success(), "{said}\n{case_toml}");
    let sitting = std::fs::read_to_string(out.join("sitting.toml")).unwrap();
    assert!(sitting.contains(&format!("id = \"{s}\"")), "{sitting}");
    assert!(sitting.contains("hours-online"), "{sitting}");
    for good in [
        "Good \"interview-companion-transfer@v1\" signature for",
        "Good \"interview-companion-author@v1\" signature for",
        "case.age: OK",
        &format!("{s}.age: OK"),
    ] {
        assert!(said.contains(good), "{good:?} in {said}");
    }
    // The author's step checks the sitting as decrypted: one byte changed and it fails.
    let changed = sitting.replacen("hours-online", "hours-onlinf", 1);
    std::fs::write(out.join("sitting.toml"), changed).unwrap();
    let again = Command::new("ssh-keygen")
        .args([
            "-Y",
            "check-novalidate",
            "-n",
            "interview-companion-author@v1",
            "-s",
        ])
        .arg(out.join("seal.sig"))
        .stdin(std::fs::File::open(out.join("sitting.toml")).unwrap())
        .output()
        .unwrap();
    assert!(!again.status.success(), "a changed sitting still checked");
}

/// key → the status of each pair of sources, in source order (suspect, partner, record).
const THREE_HOMES: [(&str, &[(&str, &str)]); 2] = [
    (
        "downloading-near-children",
        &[
            ("suspect ↔ partner", "diverges"),
            ("suspect ↔ record", "diverges"),
            ("partner ↔ record", "agrees"),
        ],
    ),
    ("hours-online", &[("suspect ↔ partner", "diverges")]),
];

#[test]
fn sources_from_three_homes_and_the_record_compare_in_c_each_read_with_its_own_text() {
    let (a, b, c) = (Home::new(), Home::new(), Home::new());
    let catalog = Catalog::embedded();
    // A logged the suspect with the questionnaire of an earlier release (1.0.0), B the
    // partner with the one in use; C holds the record (what the police found).
    let old = common::released("suspect-interview", "1.0.0");
    let suspect = log_with(
        &a.home,
        "DEMO-0001",
        &old,
        Respondent::Suspect,
        vec![
            (
                "downloading-near-children",
                AnswerValue::YesNo { yes: false },
            ),
            ("hours-online", AnswerValue::Number { number: 2.0 }),
        ],
    );
    let partner = log_with(
        &b.home,
        "DEMO-0001",
        catalog.get("partner-interview").unwrap(),
        Respondent::Partner,
        vec![
            (
                "downloading-near-children",
                AnswerValue::YesNo { yes: true },
            ),
            ("hours-online", AnswerValue::Number { number: 7.0 }),
        ],
    );
    let record = log_with(
        &c.home,
        "DEMO-0001",
        catalog.get("core-assessment").unwrap(),
        Respondent::None,
        vec![("children-present-viewing", AnswerValue::YesNo { yes: true })],
    );
    trust(&c, &a, "Home-A");
    trust(&c, &b, "Home-B");
    for (from, name) in [(&a, "a.tar"), (&b, "b.tar")] {
        let file = from.send("DEMO-0001", &c.recipient(), name);
        let (code, text) = c.receive(&file);
        assert_eq!(code, 0, "{text}");
        assert!(
            text.contains("joined, as it has the same reference and the same people"),
            "{text}"
        );
    }
    let (_, list) = c.run_text(&["case", "list"]);
    assert_eq!(list.matches("DEMO-0001").count(), 1, "{list}");
    assert_verifies(&c, "DEMO-0001");

    let report = report_json(&c, "DEMO-0001");
    let rows = report["divergences"].as_array().unwrap();
    for (key, pairs) in THREE_HOMES {
        let row = rows
            .iter()
            .find(|d| d["key"] == key)
            .unwrap_or_else(|| panic!("{key} compared: {report:#}"));
        assert_eq!(row["status"], "diverges", "{row:#}");
        let found: Vec<(&str, &str)> = row["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["pair"].as_str().unwrap(), p["status"].as_str().unwrap()))
            .collect();
        assert_eq!(found, pairs, "{key}: {row:#}");
    }
    let near = rows
        .iter()
        .find(|d| d["key"] == "downloading-near-children")
        .unwrap();
    assert_eq!(
        near["answers"]["suspect"]["read_with"]["version"], "1.0.0",
        "{near:#}"
    );
    // Each sitting is read with the text it was recorded with, in whichever home.
    let sittings = report["sittings"].as_array().unwrap();
    let by_id = |id: &str| {
        sittings
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("{id} in the report"))
    };
    let s = by_id(&suspect);
    assert_eq!(s["questionnaire_version"], "1.0.0");
    assert_eq!(s["read_with"]["version"], "1.0.0");
    assert_eq!(s["read_with_exact"], true);
    assert_eq!(
        s["read_with"]["file"],
        "released/suspect-interview-1.0.0.toml"
    );
    let origin = s["origin"].as_str().unwrap();
    assert!(
        origin.contains("written and signed by Home-A (trusted)"),
        "{origin}"
    );
    let p = by_id(&partner);
    assert_eq!(p["read_with_exact"], true);
    assert!(
        p["origin"]
            .as_str()
            .unwrap()
            .contains("written and signed by Home-B (trusted)"),
        "{p:#}"
    );
    assert!(by_id(&record)["origin"].is_null(), "C's own sitting");
    let transfers = report["transfers"].as_array().unwrap();
    assert_eq!(
        transfers
            .iter()
            .map(|t| t["kind"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["received", "received"],
        "{transfers:#?}"
    );
    assert_eq!(transfers[0]["sittings"][0], suspect.as_str());
    assert_eq!(transfers[1]["sittings"][0], partner.as_str());
    assert_eq!(transfers[0]["recorded_by"], "you");

    // The 1.0.0 sitting held in C opens (read-only, as its author's) with its own text.
    let cb = book(&c.home);
    let held = cb.open_case(&cb.find("DEMO-0001").unwrap().id).unwrap();
    let sitting = held.sittings.iter().find(|s| s.id == suspect).unwrap();
    let text = catalog
        .resolve(&sitting.questionnaire.id, &sitting.questionnaire.sha256)
        .unwrap();
    assert_eq!(text.loaded.version(), "1.0.0");
    assert!(text.exact);
    let open = cb.resume_sitting(sitting.clone()).unwrap();
    assert!(open.read_only().is_some());
}

#[test]
fn a_signers_file_of_an_earlier_version_is_brought_up_to_date_at_unlock() {
    let (a, c) = (Home::new(), Home::new());
    trust(&c, &a, "Home-A");
    let path = c.home.join("config/allowed_signers");
    let now = std::fs::read_to_string(&path).unwrap();
    assert!(now.contains("interview-companion-author@v1"), "{now}");
    // As the version before transfers wrote it: keys allowed for two namespaces only.
    let earlier = now.replace(
        ",interview-companion-transfer@v1,interview-companion-author@v1",
        "",
    );
    assert_ne!(earlier, now);
    std::fs::write(&path, &earlier).unwrap();
    // Checking writes nothing; the next unlock writes it afresh, trusting the same keys.
    assert_eq!(verify(&c, "DEMO-0001").0, 1, "no such case");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), earlier);
    drop(book(&c.home));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), now);
    // A signer added by hand is not written away (nor trusted): only reported.
    let other = Home::new();
    let line = String::from_utf8_lossy(&other.run(&["keys", "show", "--signer"]).stdout)
        .trim()
        .to_string();
    let edited = format!("{earlier}{line}\n");
    std::fs::write(&path, &edited).unwrap();
    drop(book(&c.home));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
}
