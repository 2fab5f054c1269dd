//! Issue 10.4: a local questionnaire must never change a comparison silently. The real
//! binary exports a case whose cross-checks were compared under a local questionnaire with a
//! huge tolerance; the report (JSON and Markdown) must name, per sitting, the questionnaire
//! text it was recorded and read with, and per comparison the texts used, and mark the
//! comparison as made with a local questionnaire.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use interview_companion::questionnaire::{Catalog, Respondent};
use interview_companion::session::{AnswerValue, EventKind, SystemClock};

use common::PASSPHRASE;

/// The command-line binary with the passphrase from a file; must succeed.
fn cli(home: &Path, pass: &Path, args: &[&str]) -> Vec<u8> {
    common::cli_ok(home, pass, args)
}

fn export(home: &Path, pass: &Path, format: &str) -> Vec<u8> {
    cli(
        home,
        pass,
        &[
            "export",
            "DEMO-0001",
            "--format",
            format,
            "-o",
            "-",
            "--plaintext",
        ],
    )
}

/// An embedded interview as a local file: a version above the embedded one, and the
/// hours-online cross-check given a tolerance wide enough to make any two answers agree.
fn loose_local_copy(id: &str) -> String {
    let catalog = Catalog::embedded();
    let embedded = catalog.get(id).unwrap();
    let version = &embedded.questionnaire.header.version;
    let text = embedded.text().replacen(
        &format!("version = \"{version}\""),
        &format!("version = \"{version}.1\""),
        1,
    );
    let start = text
        .find("cross_check = { key = \"hours-online\"")
        .expect("hours-online is cross-checked");
    let end = start + text[start..].find('\n').unwrap();
    format!(
        "{}cross_check = {{ key = \"hours-online\", tolerance = 1000 }}{}",
        &text[..start],
        &text[end..]
    )
}

/// Case DEMO-0001 with a suspect sitting (5 hours/week) and a partner sitting (25 hours/week)
/// recorded with the embedded interviews: under their own rules the two diverge.
fn case_with_hours(home: &Path, pass: &Path) {
    cli(home, pass, &["init"]);
    cli(home, pass, &["case", "new", "DEMO-0001"]);
    let book = common::book(home);
    let case = book.find("DEMO-0001").unwrap();
    let case = book.open_case(&case.id).unwrap().case.unwrap();
    let catalog = Catalog::embedded();
    let clock = SystemClock::start();
    for (who, id, hours) in [
        (Respondent::Suspect, "suspect-interview", 5.0),
        (Respondent::Partner, "partner-interview", 25.0),
    ] {
        let q = catalog.get(id).unwrap();
        let mut open = book.start_sitting(&case, q, who, vec![], &clock).unwrap();
        open.sitting.record(
            EventKind::Answer {
                question: "hours-online".into(),
                value: AnswerValue::Number { number: hours },
            },
            interview_companion::session::Clock::stamp(&clock),
        );
        book.save_sitting(&open).unwrap();
    }
}

fn setup() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let pass = dir.path().join("passphrase.txt");
    std::fs::write(&pass, format!("{PASSPHRASE}\n")).unwrap();
    case_with_hours(&home, &pass);
    let local = home.join("config").join("questionnaires");
    std::fs::create_dir_all(&local).unwrap();
    (dir, home, pass, local)
}

fn hours_row(report: &serde_json::Value) -> &serde_json::Value {
    report["divergences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "hours-online")
        .expect("hours-online compared")
}

/// The bug as reported: only the suspect interview is local. It cannot loosen the rule the
/// partner's text sets (the stricter allowance applies), and the report says a local text
/// took part, with its path and digest.
#[test]
fn a_local_suspect_interview_is_named_in_the_report_and_cannot_loosen_the_rule() {
    let (_dir, home, pass, local) = setup();
    let file = local.join("suspect-interview.toml");
    let text = loose_local_copy("suspect-interview");
    std::fs::write(&file, &text).unwrap();
    let report: serde_json::Value = serde_json::from_slice(&export(&home, &pass, "json")).unwrap();

    let row = hours_row(&report);
    assert_eq!(row["status"], "diverges", "{row:#}");
    assert_eq!(row["local_questionnaire"], true, "{row:#}");
    let from = row["rule"]["from"].as_array().unwrap();
    let local_text = from
        .iter()
        .find(|t| t["source"] == "local")
        .unwrap_or_else(|| panic!("the local text is named among the rule's: {row:#}"));
    assert_eq!(local_text["id"], "suspect-interview");
    assert_eq!(
        local_text["file"].as_str(),
        Some(file.display().to_string().as_str())
    );
    assert_eq!(
        local_text["sha256"].as_str(),
        Some(interview_companion::questionnaire::text_hash(&text).as_str())
    );
    // The sittings were recorded with the embedded texts, and are read with them.
    for s in report["sittings"].as_array().unwrap() {
        assert_eq!(s["read_with"]["source"], "embedded", "{s:#}");
        assert_eq!(s["read_with_exact"], true, "{s:#}");
        assert_eq!(s["read_with"]["sha256"], s["questionnaire_sha256"], "{s:#}");
    }

    let md = String::from_utf8(export(&home, &pass, "md")).unwrap();
    assert!(md.contains("local questionnaire"), "{md}");
    // Markdown escapes a backslash (a Windows path's separator) by doubling it.
    let in_md = file.display().to_string().replace('\\', "\\\\");
    assert!(md.contains(&in_md), "{md}");
    let html = String::from_utf8(export(&home, &pass, "html")).unwrap();
    assert!(html.contains("local questionnaire"), "{html}");
}

/// Both interviews local with the same huge tolerance: the divergence turns into "agrees",
/// and the report must say that agreement came from local texts.
#[test]
fn an_agreement_made_by_local_questionnaires_is_marked_local() {
    let (_dir, home, pass, local) = setup();
    for id in ["suspect-interview", "partner-interview"] {
        std::fs::write(local.join(format!("{id}.toml")), loose_local_copy(id)).unwrap();
    }
    let report: serde_json::Value = serde_json::from_slice(&export(&home, &pass, "json")).unwrap();
    let row = hours_row(&report);
    assert_eq!(row["status"], "agrees", "{row:#}");
    assert_eq!(row["local_questionnaire"], true, "{row:#}");
    let from = row["rule"]["from"].as_array().unwrap();
    assert_eq!(from.len(), 2, "{row:#}");
    assert!(from.iter().all(|t| t["source"] == "local"), "{row:#}");
    assert_eq!(row["rule"]["tolerance"], 1000.0, "{row:#}");
    let md = String::from_utf8(export(&home, &pass, "md")).unwrap();
    let line = md
        .lines()
        .find(|l| l.contains("In a typical week, how many hours"))
        .unwrap();
    assert!(line.contains("local questionnaire"), "{line}");
}
