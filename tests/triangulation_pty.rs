//! Issue 13 end to end, the real binary: a case holding a core assessment (the record: what
//! the police found), two suspect sittings a week apart and a partner sitting. The review
//! screen (`companion review DEMO-0001` in a pseudo-terminal) and the JSON export must give
//! exactly the expected status of every pair of sources per question, and exactly the
//! suspect's changes between sittings (a correction within the second sitting is not one).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use interview_companion::questionnaire::{Catalog, Respondent};
use interview_companion::session::{AnswerValue, Clock, EventKind, FixedClock};

use common::{ENTER, ESC, Launch, PASSPHRASE, TAB, Tui};

/// Each pair's status in source order: suspect ↔ partner, suspect ↔ record, partner ↔ record.
type Pairs = &'static [(&'static str, &'static str)];

/// key → (the start of its prompt as the list shows it, the question's status, its pairs).
const EXPECTED: [(&str, &str, &str, Pairs); 5] = [
    (
        "downloading-near-children",
        "Were images downloaded while",
        "diverges",
        &[
            ("suspect ↔ partner", "diverges"),
            ("suspect ↔ record", "diverges"),
            ("partner ↔ record", "agrees"),
        ],
    ),
    (
        "material-hidden",
        "Is the material kept hidden",
        "diverges",
        &[("suspect ↔ record", "diverges")],
    ),
    (
        "social-isolation",
        "How socially isolated are you?",
        "close",
        &[
            ("suspect ↔ partner", "close"),
            ("suspect ↔ record", "close"),
            ("partner ↔ record", "agrees"),
        ],
    ),
    (
        "hours-online",
        "In a typical week, how many",
        "agrees",
        &[("suspect ↔ partner", "agrees")],
    ),
    (
        "images-exchanged",
        "Have you exchanged images",
        "agrees",
        &[("suspect ↔ record", "agrees")],
    ),
];

/// The suspect's changes between sittings: question, before, after.
const CHANGES: [(&str, &str, &str); 3] = [
    ("hours-online", "5", "18"),
    ("social-isolation", "Low", "Moderate"),
    ("images-exchanged", "no", "yes"),
];

fn cli(home: &Path, pass: &Path, args: &[&str]) -> Vec<u8> {
    common::cli_ok(home, pass, args)
}

/// Records one sitting with the library, started at `start`, an answer a second apart.
fn record(home: &Path, id: &str, who: Respondent, start: &str, answers: &[(&str, AnswerValue)]) {
    let catalog = Catalog::embedded();
    let book = common::book(home);
    let found = book.find("DEMO-0001").unwrap();
    let case = book.open_case(&found.id).unwrap().case.unwrap();
    let clock = FixedClock::new(chrono::DateTime::parse_from_rfc3339(start).unwrap());
    let mut open = book
        .start_sitting(
            &case,
            catalog.get(id).unwrap(),
            who,
            vec!["Interviewer One".into()],
            &clock,
        )
        .unwrap();
    for (question, value) in answers {
        open.sitting.record(
            EventKind::Answer {
                question: (*question).into(),
                value: value.clone(),
            },
            clock.stamp(),
        );
    }
    book.save_sitting(&open).unwrap();
}

fn yes(yes: bool) -> AnswerValue {
    AnswerValue::YesNo { yes }
}

fn step(s: &str) -> AnswerValue {
    AnswerValue::Scale { step: s.into() }
}

fn number(n: f64) -> AnswerValue {
    AnswerValue::Number { number: n }
}

fn setup(home: &Path, pass: &Path) {
    cli(home, pass, &["init"]);
    cli(
        home,
        pass,
        &[
            "case",
            "new",
            "DEMO-0001",
            "--subject",
            "suspect=Adult A",
            "--subject",
            "partner=Adult B",
        ],
    );
    record(
        home,
        "core-assessment",
        Respondent::None,
        "2026-03-02T09:00:00+00:00",
        &[
            ("evidence-of-trading", yes(true)),
            ("material-hidden", yes(true)),
            ("children-present-viewing", yes(true)),
            ("family-isolated", step("High")),
        ],
    );
    record(
        home,
        "suspect-interview",
        Respondent::Suspect,
        "2026-03-03T10:00:00+00:00",
        &[
            ("hours-online", number(5.0)),
            ("social-isolation", step("Low")),
            ("material-hidden", yes(false)),
            ("images-exchanged", yes(false)),
            ("downloading-near-children", yes(false)),
        ],
    );
    record(
        home,
        "partner-interview",
        Respondent::Partner,
        "2026-03-04T10:00:00+00:00",
        &[
            ("hours-online", number(20.0)),
            ("social-isolation", step("High")),
            ("downloading-near-children", yes(true)),
        ],
    );
    record(
        home,
        "suspect-interview",
        Respondent::Suspect,
        "2026-03-10T10:00:00+00:00",
        &[
            // Corrected within the sitting: the logger's, not a change of account.
            ("hours-online", number(12.0)),
            ("hours-online", number(18.0)),
            ("social-isolation", step("Moderate")),
            ("images-exchanged", yes(true)),
        ],
    );
}

/// The export's statuses: key → (status, [(pair, status)]), and the changes.
type Exported = (
    BTreeMap<String, (String, Vec<(String, String)>)>,
    Vec<(String, String, String, String)>,
);

fn exported(home: &Path, pass: &Path) -> Exported {
    let out = cli(
        home,
        pass,
        &[
            "export",
            "DEMO-0001",
            "--format",
            "json",
            "-o",
            "-",
            "--plaintext",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["format_version"], 4);
    // Version 3 keeps version 2's signatures beside the pairs and changes: the four
    // sittings, saved by this program, are each signed, and so is the case.
    assert_eq!(json["custody"]["standing"], "good", "{}", json["custody"]);
    let sittings = json["sittings"].as_array().unwrap();
    assert_eq!(sittings.len(), 4);
    for s in sittings {
        assert_eq!(s["signature"]["verdict"], "signed", "{}", s["signature"]);
    }
    let text = |v: &serde_json::Value| v.as_str().unwrap().to_string();
    let rows = json["divergences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let pairs = d["pairs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (text(&p["pair"]), text(&p["status"])))
                .collect();
            (text(&d["key"]), (text(&d["status"]), pairs))
        })
        .collect();
    let changes = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                text(&c["person"]),
                text(&c["question_id"]),
                text(&c["before"]["answer"]),
                text(&c["after"]["answer"]),
            )
        })
        .collect();
    (rows, changes)
}

fn check_list(screen: &str) {
    assert!(
        screen
            .contains("Review cross-checks · case DEMO-0001 · 5 questions · ✓ signed · 3 changes"),
        "{screen}"
    );
    for (key, prompt, status, pairs) in EXPECTED {
        let glyph = match status {
            "diverges" => '≠',
            "close" => '≈',
            _ => '=',
        };
        let row = format!("{glyph} {status:<16}{prompt}");
        assert!(screen.contains(&row), "{key}: no row {row:?} in:\n{screen}");
        if pairs.len() > 1 {
            for (pair, s) in pairs {
                let mark = match *s {
                    "diverges" => '≠',
                    "close" => '≈',
                    _ => '=',
                };
                let line = format!("{mark} {pair:<17} ");
                assert!(screen.contains(&line), "{key}: no {line:?} in:\n{screen}");
            }
        }
    }
    for counts in [
        "suspect ↔ partner ≠1 ≈1 ?0 …0 ✎0 =1 · agree 33% (1 of 3 judged)",
        "suspect ↔ record  ≠2 ≈1 ?0 …0 ✎0 =1 · agree 25% (1 of 4 judged)",
        "partner ↔ record  ≠0 ≈0 ?0 …0 ✎0 =2 · agree 100% (2 of 2 judged)",
    ] {
        assert!(screen.contains(counts), "no {counts:?} in:\n{screen}");
    }
}

#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn review_screen_and_json_export_give_every_pair_and_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let pass = dir.path().join("passphrase.txt");
    std::fs::write(&pass, format!("{PASSPHRASE}\n")).unwrap();
    setup(&home, &pass);

    // The export: every pair of every question, every change, and nothing more.
    let (rows, changes) = exported(&home, &pass);
    let want: BTreeMap<String, (String, Vec<(String, String)>)> = EXPECTED
        .iter()
        .map(|(key, _, status, pairs)| {
            (
                key.to_string(),
                (
                    status.to_string(),
                    pairs
                        .iter()
                        .map(|(p, s)| (p.to_string(), s.to_string()))
                        .collect(),
                ),
            )
        })
        .collect();
    assert_eq!(rows, want);
    let want: Vec<(String, String, String, String)> = CHANGES
        .iter()
        .map(|(q, b, a)| {
            (
                "suspect".into(),
                q.to_string(),
                b.to_string(),
                a.to_string(),
            )
        })
        .collect();
    assert_eq!(changes, want);

    // The review screen says the same.
    let mut tui = Tui::launch(&Launch {
        args: vec!["review".into(), "DEMO-0001".into()],
        ..Launch::home(&home)
    });
    tui.unlock(PASSPHRASE, "Review cross-checks · case DEMO-0001");
    tui.wait_for("partner ↔ record");
    tui.settle();
    check_list(&tui.screen());
    // Divergences only: the two questions with a diverging pair.
    tui.keys("d", "divergences only (2 of 5)");
    tui.settle();
    let screen = tui.screen();
    for (key, prompt, status, _) in EXPECTED {
        assert_eq!(
            screen.contains(&format!("{status:<16}{prompt}")),
            status == "diverges",
            "{key} under the filter:\n{screen}"
        );
    }
    tui.send("d");
    // The first question with every source: the three answers, each pair's reason.
    tui.keys(ENTER, "≠ diverges · downloading-near-children");
    tui.wait_for(" Record ");
    tui.settle();
    let screen = tui.screen();
    for want in [
        " Suspect ",
        " Partner ",
        "≠ diverges · suspect ↔ record: suspect says no; the record says yes to",
        "= agrees · partner ↔ record: partner says yes; the record says yes to",
    ] {
        assert!(screen.contains(want), "{want:?} missing:\n{screen}");
    }
    assert_eq!(
        screen.matches("History (oldest first)").count(),
        3,
        "{screen}"
    );
    tui.keys(ESC, "Review cross-checks");
    // The changes between sittings, per person.
    tui.keys(TAB, "Changes between sittings · case DEMO-0001 · 3 changes");
    tui.settle();
    let screen = tui.screen();
    assert!(screen.contains("Suspect · 3 changes"), "{screen}");
    for (question, before, after) in [
        ("In a typical week", "5 hours/week", "→ 18 hours/week"),
        ("How socially isolated", "Low", "→ Moderate"),
        ("Have you exchanged", "no", "→ yes"),
    ] {
        let line = screen
            .lines()
            .find(|l| l.contains(question) && l.contains("Δ changed"))
            .unwrap_or_else(|| panic!("no change on {question:?}:\n{screen}"));
        assert!(line.contains(before) && line.contains(after), "{line}");
    }
    assert!(
        screen.contains("suspect 5 hours/week on 2026-03-03, then 18 hours/week on 2026-03-10"),
        "{screen}"
    );
    assert_eq!(screen.matches("Δ changed").count(), 3, "{screen}");
    // One change in full: both answers, and the correction within the second sitting in
    // its history.
    tui.keys(ENTER, "Earlier sitting, recorded 2026-03-03");
    tui.settle();
    let screen = tui.screen();
    for want in [
        "Later sitting, recorded 2026-03-10",
        "answered 12 hours/week",
        "answered 18 hours/week",
    ] {
        assert!(screen.contains(want), "{want:?} missing:\n{screen}");
    }
    tui.keys(ESC, "Suspect · 3 changes");
    tui.keys(TAB, "Review cross-checks");
    tui.quit();
}
