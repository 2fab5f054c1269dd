//! Issue 16, old and new side by side, through the real binary: a case with a suspect sitting
//! recorded with suspect-interview 1.0.0 (people met online as yes/no) and a partner sitting
//! recorded with the partner interview in use (a choice of adults or children). The JSON
//! export, the review screen (`companion review`) and the live `≠` marks on the resumed
//! 1.0.0 sitting must all give the same statuses: what means the same is compared (under the
//! rule in force), what was asked in different forms is left to compare by hand, and nothing
//! recorded is dropped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use interview_companion::questionnaire::{Catalog, LoadedQuestionnaire, Respondent};
use interview_companion::session::{AnswerValue, Clock, EventKind, SystemClock};

use common::{ENTER, ESC, Launch, PASSPHRASE, Tui};

/// key → (status the export and the review must give, its glyph).
const EXPECTED: [(&str, &str, char); 5] = [
    // Asked as yes/no of the suspect (1.0.0), as a choice of the partner (1.1.0).
    ("met-online-contact", "compare by hand", '✎'),
    // 2 against 7 hours: a number in hours/week in both versions, so compared, under the
    // rule in force (1 hour or a fifth); under 1.0.0's own 5 hours it would have agreed.
    ("hours-online", "diverges", '≠'),
    // 0 % against 10 %: none against some always diverges now.
    ("online-time-abuse-share", "diverges", '≠'),
    // 2 × 0 % = 0 against 7 × 10 % = 0.7 hours a week: worked out on both sides, diverges.
    ("hours-on-abuse-material", "diverges", '≠'),
    ("reduced-sexual-interest", "agrees", '='),
];

fn cli(home: &Path, pass: &Path, args: &[&str]) -> Vec<u8> {
    common::cli_ok(home, pass, args)
}

fn answer(question: &str, value: AnswerValue) -> EventKind {
    EventKind::Answer {
        question: question.into(),
        value,
    }
}

/// Records one sitting with the library, as an earlier version of the program would have.
fn record(home: &Path, text: &LoadedQuestionnaire, who: Respondent, events: Vec<EventKind>) {
    let book = common::book(home);
    let found = book.find("DEMO-0001").unwrap();
    let case = book.open_case(&found.id).unwrap().case.unwrap();
    let clock = SystemClock::start();
    let mut open = book
        .start_sitting(&case, text, who, vec!["Interviewer One".into()], &clock)
        .unwrap();
    for e in events {
        open.sitting.record(e, clock.stamp());
    }
    book.save_sitting(&open).unwrap();
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
    let catalog = Catalog::embedded();
    let old = common::released("suspect-interview", "1.0.0");
    record(
        home,
        &old,
        Respondent::Suspect,
        vec![
            answer("met-online-contact", AnswerValue::YesNo { yes: true }),
            answer("hours-online", AnswerValue::Number { number: 2.0 }),
            answer(
                "online-time-abuse-share",
                AnswerValue::Number { number: 0.0 },
            ),
            answer("reduced-sexual-interest", AnswerValue::YesNo { yes: true }),
        ],
    );
    let partner = catalog.get("partner-interview").unwrap().clone();
    assert_ne!(partner.version(), "1.0.0");
    record(
        home,
        &partner,
        Respondent::Partner,
        vec![
            answer(
                "met-online-contact",
                AnswerValue::Choice {
                    option: "With adults".into(),
                },
            ),
            answer("hours-online", AnswerValue::Number { number: 7.0 }),
            answer(
                "online-time-abuse-share",
                AnswerValue::Number { number: 10.0 },
            ),
            answer("reduced-sexual-interest", AnswerValue::YesNo { yes: true }),
        ],
    );
}

fn check_export(home: &Path, pass: &Path) {
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
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["format_version"], 4);
    let rows = report["divergences"].as_array().unwrap();
    let statuses: BTreeMap<&str, &str> = rows
        .iter()
        .map(|d| (d["key"].as_str().unwrap(), d["status"].as_str().unwrap()))
        .collect();
    let expected: BTreeMap<&str, &str> = EXPECTED.iter().map(|(k, s, _)| (*k, *s)).collect();
    assert_eq!(statuses, expected);
    let met = rows
        .iter()
        .find(|d| d["key"] == "met-online-contact")
        .unwrap();
    let reason = met["reason"].as_str().unwrap();
    assert!(
        reason.contains("suspect asked as yes/no (suspect-interview 1.0.0), partner as a choice (partner-interview"),
        "{reason}"
    );
    let answers = &met["answers"];
    assert_eq!(answers["suspect"]["answer"], "yes");
    assert_eq!(answers["suspect"]["answer_type"], "yes_no");
    assert_eq!(answers["suspect"]["read_with"]["version"], "1.0.0");
    assert_eq!(answers["partner"]["answer"], "With adults");
    assert_eq!(answers["partner"]["answer_type"], "choice");
    assert_eq!(met["local_questionnaire"], false);
    // The 1.0.0 sitting is read with its own text, exactly, and nothing of it is dropped.
    let suspect = report["sittings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["respondent"] == "suspect")
        .unwrap();
    assert_eq!(suspect["questionnaire_version"], "1.0.0");
    assert_eq!(suspect["read_with_exact"], true);
    assert_eq!(
        suspect["read_with"]["file"],
        "released/suspect-interview-1.0.0.toml"
    );
    let answers = suspect["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 4, "{answers:#?}");
    let met_answer = answers
        .iter()
        .find(|a| a["question_id"] == "met-online-contact")
        .unwrap();
    assert_eq!(
        met_answer["prompt"], "Have you met in person anyone you first met online?",
        "asked as 1.0.0 asked it"
    );
}

#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn sittings_on_both_versions_compare_the_same_in_the_export_the_review_and_the_live_marks() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let pass = dir.path().join("passphrase.txt");
    std::fs::write(&pass, format!("{PASSPHRASE}\n")).unwrap();
    setup(&home, &pass);
    check_export(&home, &pass);

    // The review screen says the same, row by row.
    let mut tui = Tui::launch(&Launch {
        args: vec!["review".into(), "DEMO-0001".into()],
        ..Launch::home(&home)
    });
    tui.unlock(
        PASSPHRASE,
        "Review cross-checks · case DEMO-0001 · 5 questions",
    );
    tui.wait_for("suspect ↔ partner");
    tui.settle();
    let screen = tui.screen();
    for (key, label, glyph) in EXPECTED {
        let mark = format!("{glyph} {label}");
        assert!(screen.contains(&mark), "{key}: no {mark:?} in:\n{screen}");
    }
    assert!(
        screen.contains("asked as yes/no (suspect-interview 1.0.0)"),
        "{screen}"
    );
    // The ◆8 row in detail: both answers, each with the text it was read with.
    // Divergences sort first (3), then the by-hand row, then agrees: the fourth row.
    tui.send("jjj");
    tui.keys(ENTER, "✎ compare by hand · met-online-contact");
    tui.wait_for("Answer: With adults");
    tui.settle();
    let detail = tui.screen();
    assert!(detail.contains("Answer: yes"), "{detail}");
    assert!(
        detail.contains("Read with: suspect-interview 1.0.0, embedded"),
        "{detail}"
    );
    tui.keys(ESC, "Review cross-checks");
    tui.keys(ESC, "Case DEMO-0001");

    // Resuming the 1.0.0 sitting: it is logged with its own text (◆8 still yes/no), and
    // the live marks follow the review: ≠ on hours, none on the question asked differently.
    // The case lists sittings by last activity: the partner's (logged last) comes first.
    tui.send("j");
    tui.keys(ENTER, "/34 answered");
    tui.send("/");
    tui.send("hours in total");
    tui.keys(ENTER, "hours-online · number");
    tui.wait_for("≠ differs from another answer in this case");
    tui.send("/");
    tui.send("met in person");
    tui.keys(ENTER, "met-online-contact · yes/no");
    tui.settle();
    let screen = tui.screen();
    assert!(!screen.contains("≠ differs"), "{screen}");
    assert!(
        screen.contains("Have you met in person anyone you first met online?"),
        "{screen}"
    );
    tui.keys(ESC, "Case DEMO-0001");
    tui.quit();
}
