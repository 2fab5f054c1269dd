//! Issue 11 through the real binary and stock tools: records signed by their author,
//! complete, checkable with `ssh-keygen` and `sha256sum`. Each attack is made with stock
//! tools (`age -r` with the public recipient, `cp`, editing bytes) and must be named by
//! `companion verify`, with its exit status; and the manual check in docs/record-format.md
//! is run exactly as written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Home, book, create_case, skip_or_fail};
use interview_companion::questionnaire::{Catalog, Respondent};
use interview_companion::session::{AnswerValue, EventKind, FixedClock};

fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-V").output().is_ok()
        || Command::new(tool).arg("--version").output().is_ok();
    if !ok {
        skip_or_fail(&format!("`{tool}` is not installed"));
    }
    ok
}

impl Home {
    /// `companion verify REF`: (exit code, stdout then stderr).
    fn verify(&self, reference: &str) -> (i32, String) {
        self.run_text(&["verify", reference])
    }

    fn cases(&self) -> PathBuf {
        self.home.join("data/cases")
    }

    fn signers(&self) -> PathBuf {
        self.home.join("config/allowed_signers")
    }
}

/// A case with a suspect sitting of two answers, left as the screens leave it.
fn case_with_sitting(h: &Home, reference: &str) -> (PathBuf, String) {
    let b = book(&h.home);
    let case = create_case(&b, reference);
    let catalog = Catalog::embedded();
    let q = catalog.get("suspect-interview").unwrap();
    let clock =
        FixedClock::new(chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00+00:00").unwrap());
    let mut open = b
        .start_sitting(
            &case,
            q,
            Respondent::Suspect,
            vec!["Interviewer A".into()],
            &clock,
        )
        .unwrap();
    for question in ["hours-online", "devices"] {
        open.sitting.record(
            EventKind::Answer {
                question: question.into(),
                value: AnswerValue::DontKnow,
            },
            interview_companion::session::Clock::stamp(&clock),
        );
        b.save_sitting(&open).unwrap();
    }
    b.finish_sitting(&open);
    (h.cases().join(&case.id), open.sitting.id.clone())
}

fn age_file(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.age"))
}

/// Forges a file with the stock `age` and the public recipient only.
fn forge(recipient: &str, plaintext: &str, to: &Path) {
    let src = to.with_extension("plain");
    std::fs::write(&src, plaintext).unwrap();
    let st = Command::new("age")
        .args(["-r", recipient, "-o"])
        .arg(to)
        .arg(&src)
        .status()
        .unwrap();
    assert!(st.success());
    std::fs::remove_file(&src).unwrap();
}

fn recipient(h: &Home) -> String {
    let out = h.run(&["keys", "show"]);
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
#[cfg_attr(
    windows,
    ignore = "stock age: no Windows build of age can be installed in CI"
)]
fn every_attack_with_stock_tools_is_named_and_clean_cases_verify() {
    if !have("age") {
        return;
    }
    let h = Home::new();
    let (dir, sitting) = case_with_sitting(&h, "DEMO-0001");
    let (code, text) = h.verify("DEMO-0001");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("signed by you (trusted)"), "{text}");
    assert!(
        !text.contains("interrupted"),
        "the sitting was left cleanly: {text}"
    );
    let r = recipient(&h);
    assert!(r.starts_with("age1"), "{r}");
    let original = std::fs::read(age_file(&dir, &sitting)).unwrap();
    let case_id = dir.file_name().unwrap().to_string_lossy().into_owned();

    // 1. A sitting forged with the public recipient and stock age: valid payload, this
    //    case's ids, a new sitting id.
    let forged_id = "0123456789abcdef0123456789abcdef";
    let payload = format!(
        "format = \"interview-companion/sitting\"\nformat_version = 1\n\n[sitting]\nid = \"{forged_id}\"\ncase_id = \"{case_id}\"\nrespondent = \"partner\"\ninterviewers = [\"Someone\"]\n\n[sitting.questionnaire]\nid = \"partner-interview\"\nversion = \"1.0.0\"\nsha256 = \"{}\"\n\n[sitting.started]\nat = \"2026-03-02T10:00:00Z\"\n",
        "0".repeat(64)
    );
    forge(&r, &payload, &age_file(&dir, forged_id));
    let (code, text) = h.verify("DEMO-0001");
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains(&format!("{forged_id}.age: NOT LISTED")),
        "{text}"
    );
    assert!(
        text.contains(&format!("{sitting}.age: signed by you (trusted)")),
        "the rest still checks: {text}"
    );
    std::fs::remove_file(age_file(&dir, forged_id)).unwrap();

    // 2. The real sitting replaced by a forgery under its own name.
    let replaced = payload.replace(forged_id, &sitting);
    forge(&r, &replaced, &age_file(&dir, &sitting));
    let (code, text) = h.verify("DEMO-0001");
    assert_eq!(code, 2, "{text}");
    assert!(text.contains(&format!("{sitting}.age: ALTERED")), "{text}");
    std::fs::write(age_file(&dir, &sitting), &original).unwrap();

    // 3. Rolled back: keep this version, save a newer one, put the old one back.
    let b = book(&h.home);
    let record = b.open_case(&case_id.parse().unwrap()).unwrap();
    let mut open = b.resume_sitting(record.sittings[0].clone()).unwrap();
    assert!(open.read_only().is_none(), "{:?}", open.read_only());
    open.sitting.record(
        EventKind::Observation {
            text: "later".into(),
        },
        interview_companion::session::Clock::stamp(&FixedClock::new(
            chrono::DateTime::parse_from_rfc3339("2026-03-02T11:00:00+00:00").unwrap(),
        )),
    );
    b.save_sitting(&open).unwrap();
    b.finish_sitting(&open);
    drop(open);
    drop(b);
    let newer = std::fs::read(age_file(&dir, &sitting)).unwrap();
    std::fs::write(age_file(&dir, &sitting), &original).unwrap();
    let (code, text) = h.verify("DEMO-0001");
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains(&format!("{sitting}.age: OLDER than its signed version")),
        "{text}"
    );
    std::fs::write(age_file(&dir, &sitting), &newer).unwrap();
    assert_eq!(h.verify("DEMO-0001").0, 0);

    // 4. Deleted.
    std::fs::remove_file(age_file(&dir, &sitting)).unwrap();
    let (code, text) = h.verify("DEMO-0001");
    assert_eq!(code, 2, "{text}");
    assert!(text.contains(&format!("{sitting}.age: MISSING")), "{text}");
    std::fs::write(age_file(&dir, &sitting), &newer).unwrap();

    // 5. A sitting copied in from another case of the same home.
    let (other_dir, other_sitting) = case_with_sitting(&h, "DEMO-0002");
    let other_id = other_dir
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    std::fs::copy(
        age_file(&other_dir, &other_sitting),
        age_file(&dir, &other_sitting),
    )
    .unwrap();
    let (code, text) = h.verify("DEMO-0001");
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains(&format!(
            "{other_sitting}.age: COPIED from another case (case {other_id})"
        )),
        "{text}"
    );
    std::fs::remove_file(age_file(&dir, &other_sitting)).unwrap();
    // …and the other case's statement copied over this one's.
    let manifest = std::fs::read(dir.join("manifest.txt")).unwrap();
    std::fs::copy(other_dir.join("manifest.txt"), dir.join("manifest.txt")).unwrap();
    let (code, text) = h.verify("DEMO-0001");
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains(&format!("case {other_id}'s, copied from another case")),
        "{text}"
    );
    std::fs::write(dir.join("manifest.txt"), &manifest).unwrap();

    // 6. An edited signature (one base64 character of the statement's signature).
    let text_m = String::from_utf8(manifest.clone()).unwrap();
    let at = text_m.find("-----BEGIN SSH SIGNATURE-----\n").unwrap() + 100;
    let mut edited = manifest.clone();
    edited[at] = if edited[at] == b'A' { b'B' } else { b'A' };
    std::fs::write(dir.join("manifest.txt"), &edited).unwrap();
    let (code, text) = h.verify("DEMO-0001");
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("damaged or was altered"), "{text}");
    // …and an edited statement text (a digest swapped for the forgery's) with its old
    // signature.
    let swapped = text_m.replacen("generation ", "generation 9", 1);
    std::fs::write(dir.join("manifest.txt"), swapped).unwrap();
    let (code, text) = h.verify("DEMO-0001");
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("changed after it was signed"), "{text}");
    std::fs::write(dir.join("manifest.txt"), &manifest).unwrap();
    let (code, text) = h.verify("DEMO-0001");
    assert_eq!(code, 0, "restored: {text}");

    // Checking changed nothing.
    let before = common::snapshot(&h.home);
    h.verify("DEMO-0001");
    assert_eq!(common::snapshot(&h.home), before, "verify wrote something");
}

#[test]
fn a_signer_not_in_the_signers_file_reads_unknown_until_added() {
    let a = Home::new();
    let b = Home::new();
    let (dir_b, _) = case_with_sitting(&b, "DEMO-0003");
    // The whole case of home B copied into home A (both encrypted to A too, as a team key
    // would make them: here A adds B's key to read, and B signs).
    let out = b.run(&["keys", "show", "--signer"]);
    let b_line = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(b_line.contains("ssh-ed25519 "), "{b_line}");
    // A cannot decrypt B's files, but custody is checked over the ciphertext anyway.
    let target = a.cases().join(dir_b.file_name().unwrap());
    std::fs::create_dir_all(&target).unwrap();
    for e in std::fs::read_dir(&dir_b).unwrap().flatten() {
        std::fs::copy(e.path(), target.join(e.file_name())).unwrap();
    }
    let id = dir_b.file_name().unwrap().to_string_lossy().into_owned();
    let (code, text) = a.verify(&id);
    assert_eq!(code, 3, "{text}");
    assert!(text.contains("signed by an unknown key (SHA256:"), "{text}");

    // A bad line is refused by name, and nothing is written.
    let before = std::fs::read(a.signers()).unwrap();
    let bad = a.run(&[
        "keys",
        "add-signer",
        "ssh-ed25519 AAAAnotakey",
        "--name",
        "Sup",
    ]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("not an OpenSSH public key"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    assert_eq!(std::fs::read(a.signers()).unwrap(), before);

    let added = a.run(&["keys", "add-signer", &b_line, "--name", "Colleague.B"]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let (code, text) = a.verify(&id);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("signed by Colleague.B (trusted)"), "{text}");
    let signers = std::fs::read_to_string(a.signers()).unwrap();
    let own = String::from_utf8_lossy(&a.run(&["keys", "show", "--signer"]).stdout)
        .trim()
        .to_string();
    assert!(
        signers.lines().find(|l| !l.starts_with('#')) == Some(own.as_str()),
        "own key first: {signers}"
    );
    assert!(signers.contains("Colleague.B namespaces="), "{signers}");

    // The signers file edited by hand is not believed: a stranger's line added there.
    let c = Home::new();
    let c_line = String::from_utf8_lossy(&c.run(&["keys", "show", "--signer"]).stdout)
        .trim()
        .to_string();
    let (dir_c, _) = case_with_sitting(&c, "DEMO-0004");
    let target = a.cases().join(dir_c.file_name().unwrap());
    std::fs::create_dir_all(&target).unwrap();
    for e in std::fs::read_dir(&dir_c).unwrap().flatten() {
        std::fs::copy(e.path(), target.join(e.file_name())).unwrap();
    }
    std::fs::write(a.signers(), format!("{signers}{c_line}\n")).unwrap();
    let cid = dir_c.file_name().unwrap().to_string_lossy().into_owned();
    let (code, text) = a.verify(&cid);
    assert_eq!(code, 3, "hand-added signer trusted: {text}");
    assert!(
        text.contains("differs from the list you approved"),
        "{text}"
    );
}

#[test]
#[cfg_attr(
    windows,
    ignore = "stock ssh-keygen and bash: no Windows builds of them can be installed in CI"
)]
fn stock_ssh_keygen_accepts_every_statement_and_the_documented_check_runs_as_written() {
    if !have("ssh-keygen") {
        return;
    }
    let h = Home::new();
    let (dir, sitting) = case_with_sitting(&h, "DEMO-0005");
    // Every generation of the statement the program wrote: after creating the case, after
    // each save, after leaving. Replay them through ssh-keygen.
    let b = book(&h.home);
    let id: interview_companion::store::CaseId =
        dir.file_name().unwrap().to_string_lossy().parse().unwrap();
    let record = b.open_case(&id).unwrap();
    let mut open = b.resume_sitting(record.sittings[0].clone()).unwrap();
    let mut generations = vec![std::fs::read_to_string(dir.join("manifest.txt")).unwrap()];
    for i in 0..5 {
        open.sitting.record(
            EventKind::Observation {
                text: format!("note {i}"),
            },
            interview_companion::session::Clock::stamp(&FixedClock::new(
                chrono::DateTime::parse_from_rfc3339("2026-03-02T12:00:00+00:00").unwrap(),
            )),
        );
        b.save_sitting(&open).unwrap();
        generations.push(std::fs::read_to_string(dir.join("manifest.txt")).unwrap());
    }
    b.finish_sitting(&open);
    drop(open);
    generations.push(std::fs::read_to_string(dir.join("manifest.txt")).unwrap());
    let scratch = tempfile::tempdir().unwrap();
    let principal = String::from_utf8_lossy(&h.run(&["keys", "show"]).stdout)
        .trim()
        .to_string();
    for (n, text) in generations.iter().enumerate() {
        let at = text.find("-----BEGIN SSH SIGNATURE-----").unwrap();
        let body = scratch.path().join("body");
        let sig = scratch.path().join("body.sig");
        std::fs::write(&body, &text[..at]).unwrap();
        std::fs::write(&sig, &text[at..]).unwrap();
        let out = Command::new("ssh-keygen")
            .args(["-Y", "verify", "-f"])
            .arg(h.signers())
            .args([
                "-I",
                &principal,
                "-n",
                "interview-companion-manifest@v1",
                "-s",
            ])
            .arg(&sig)
            .stdin(std::fs::File::open(&body).unwrap())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "generation {n}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The trust file is signed the same way.
    let trust = std::fs::read_to_string(h.home.join("config/trust.txt")).unwrap();
    let at = trust.find("-----BEGIN SSH SIGNATURE-----").unwrap();
    std::fs::write(scratch.path().join("t"), &trust[..at]).unwrap();
    std::fs::write(scratch.path().join("t.sig"), &trust[at..]).unwrap();
    let out = Command::new("ssh-keygen")
        .args([
            "-Y",
            "check-novalidate",
            "-n",
            "interview-companion-trust@v1",
            "-s",
        ])
        .arg(scratch.path().join("t.sig"))
        .stdin(std::fs::File::open(scratch.path().join("t")).unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The documented Linux procedure, exactly as written in docs/record-format.md.
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/record-format.md"
    ))
    .unwrap();
    let from = doc.find("<!-- check-linux -->").expect("marker in the doc");
    let block = &doc[from..];
    let start = block.find("```sh\n").unwrap() + 6;
    let script = &block[start..start + block[start..].find("\n```").unwrap()];
    let run_doc = || {
        let out = Command::new("bash")
            .arg("-c")
            .arg(script)
            .current_dir(&dir)
            .env("SIGNERS", h.signers())
            .output()
            .unwrap();
        (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    let (ok, text) = run_doc();
    assert!(ok, "{text}");
    assert!(
        text.contains("Good \"interview-companion-manifest@v1\" signature"),
        "{text}"
    );
    assert!(
        text.contains(&format!("OK {sitting}.age")) && text.contains("OK case.age"),
        "{text}"
    );
    assert!(
        !text.contains("CHANGED") && !text.contains("MISSING"),
        "{text}"
    );
    // The same procedure sees a forged addition and a deletion.
    std::fs::write(
        dir.join("0123456789abcdef0123456789abcdef.age"),
        b"age-encryption.org/v1\n",
    )
    .unwrap();
    let kept = std::fs::read(dir.join(format!("{sitting}.age"))).unwrap();
    std::fs::remove_file(dir.join(format!("{sitting}.age"))).unwrap();
    let (_, text) = run_doc();
    assert!(
        text.contains("CHANGED OR NOT LISTED 0123456789abcdef0123456789abcdef.age"),
        "{text}"
    );
    assert!(text.contains(&format!("MISSING {sitting}.age")), "{text}");
    std::fs::write(dir.join(format!("{sitting}.age")), kept).unwrap();
}

#[test]
fn a_recipient_added_by_hand_is_named_and_every_save_refused_until_approved() {
    let h = Home::new();
    case_with_sitting(&h, "DEMO-0006");
    let rec = h.home.join("config/recipients.txt");
    let original = std::fs::read_to_string(&rec).unwrap();
    let intruder = age::x25519::Identity::generate().to_public().to_string();
    std::fs::write(&rec, format!("{original}{intruder}\n")).unwrap();
    let before = common::snapshot(&h.home.join("data"));
    let out = h.run(&["case", "new", "DEMO-0007"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("NOT saved"), "{err}");
    assert!(err.contains(&format!("added by hand: {intruder}")), "{err}");
    assert!(err.contains("companion keys approve"), "{err}");
    assert_eq!(
        common::snapshot(&h.home.join("data")),
        before,
        "a refused save wrote"
    );
    // Approving takes --yes, after printing the list.
    let ask = h.run(&["keys", "approve"]);
    assert!(!ask.status.success());
    assert!(String::from_utf8_lossy(&ask.stderr).contains(&intruder));
    let yes = h.run(&["keys", "approve", "--yes"]);
    assert!(
        yes.status.success(),
        "{}",
        String::from_utf8_lossy(&yes.stderr)
    );
    let out = h.run(&["case", "new", "DEMO-0007"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A deleted trust file in a home with signed records is not a new home.
    std::fs::remove_file(h.home.join("config/trust.txt")).unwrap();
    let out = h.run(&["case", "new", "DEMO-0008"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("missing although this home has signed records"),
        "{err}"
    );
    // add-recipient approves what it adds.
    let yes = h.run(&["keys", "approve", "--yes"]);
    assert!(
        yes.status.success(),
        "{}",
        String::from_utf8_lossy(&yes.stderr)
    );
    let team = age::x25519::Identity::generate().to_public().to_string();
    let add = h.run(&["keys", "add-recipient", &team]);
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let out = h.run(&["case", "new", "DEMO-0008"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn records_made_before_signing_read_not_signed_never_forged_and_later_changes_show() {
    let h = Home::new();
    let (dir, sitting) = case_with_sitting(&h, "DEMO-0009");
    // Make it a home of the previous version: no manifest, no trust file, no signers file.
    std::fs::remove_file(dir.join("manifest.txt")).unwrap();
    std::fs::remove_file(dir.join("manifest.lock")).unwrap();
    std::fs::remove_file(h.home.join("config/trust.txt")).unwrap();
    std::fs::remove_file(h.signers()).unwrap();
    // verify alone changes nothing, and says the home is not set up yet.
    let before = common::snapshot(&h.home);
    let (code, text) = h.verify("DEMO-0009");
    assert_eq!(code, 3, "{text}");
    assert!(
        text.contains("not signed (made before signing existed)"),
        "{text}"
    );
    assert_eq!(common::snapshot(&h.home), before);
    // The first real unlock upgrades, once, saying so and listing the recipients.
    let out = h.run(&["case", "list"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("Records are now signed"), "{err}");
    assert!(err.contains("made before signing existed"), "{err}");
    let again = h.run(&["case", "list"]);
    assert!(
        !String::from_utf8_lossy(&again.stderr).contains("Records are now signed"),
        "shown twice"
    );
    let (code, text) = h.verify("DEMO-0009");
    assert_eq!(code, 3, "{text}");
    assert!(
        text.contains(&format!(
            "{sitting}.age: not signed (made before signing existed)"
        )),
        "{text}"
    );
    assert!(!text.contains('✗'), "{text}");
    // From now on a change to it shows…
    let kept = std::fs::read(age_file(&dir, &sitting)).unwrap();
    let mut bad = kept.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    std::fs::write(age_file(&dir, &sitting), &bad).unwrap();
    let (code, text) = h.verify("DEMO-0009");
    assert_eq!(code, 2, "{text}");
    assert!(text.contains(&format!("{sitting}.age: ALTERED")), "{text}");
    std::fs::write(age_file(&dir, &sitting), &kept).unwrap();
    // …and so does a statement deleted now: the home signs.
    std::fs::remove_file(dir.join("manifest.txt")).unwrap();
    let (code, text) = h.verify("DEMO-0009");
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("MISSING: it was deleted"), "{text}");
}

#[test]
#[cfg_attr(
    windows,
    ignore = "Unix modes: Windows has no group or other write bits; the folder's ACL decides (README)"
)]
fn files_others_can_change_are_warned_about_at_start() {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let h = Home::new();
        case_with_sitting(&h, "DEMO-0010");
        let rec = h.home.join("config/recipients.txt");
        let quiet = h.run(&["case", "list"]);
        assert!(
            !String::from_utf8_lossy(&quiet.stderr).contains("other users"),
            "{}",
            String::from_utf8_lossy(&quiet.stderr)
        );
        std::fs::set_permissions(&rec, std::fs::Permissions::from_mode(0o666)).unwrap();
        std::fs::set_permissions(h.home.join("data"), std::fs::Permissions::from_mode(0o777))
            .unwrap();
        let out = h.run(&["case", "list"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(
            err.contains(&format!(
                "{} can be changed by other users (mode 666)",
                rec.display()
            )),
            "{err}"
        );
        assert!(
            err.contains("data can be changed by other users (mode 777)"),
            "{err}"
        );
    }
}
