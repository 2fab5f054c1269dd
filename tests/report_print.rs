//! The HTML report printed to PDF by headless Chromium (as a user's browser prints it):
//! every page carries the case reference, the protective marking and "page X of Y", the
//! table cells keep their units and each status reads as a word and a mark.
//!
//! Needs `chromium` and `pdftotext` (poppler-utils): `.ci/run` installs both; without
//! them the test skips loudly here and fails in CI.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::DateTime;
use interview_companion::questionnaire::{Catalog, Respondent};
use interview_companion::report;
use interview_companion::session::{
    AnswerValue, Case, Clock, EventKind, FixedClock, QuestionnaireRef, Sitting, Subject,
};

fn tool(name: &str) -> Option<String> {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .ok()?;
    found
        .status
        .success()
        .then(|| String::from_utf8_lossy(&found.stdout).trim().to_string())
}

/// A fictional case long enough to print on several pages: both interviews, every
/// question answered, the hours online diverging, and many observations.
fn long_report() -> report::Report {
    let catalog = Catalog::embedded();
    let clock =
        FixedClock::new(DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap_or_default());
    let case = Case {
        id: "c".into(),
        reference: "DEMO-0001".into(),
        created: clock.stamp().at,
        subjects: vec![
            Subject {
                role: Respondent::Suspect,
                label: "Adult A".into(),
            },
            Subject {
                role: Respondent::Partner,
                label: "Adult B".into(),
            },
        ],
        travel: Default::default(),
    };
    let sitting = |id: &str, respondent, questionnaire: &str, hours: f64| {
        let loaded = catalog.get(questionnaire).expect("embedded");
        let mut s = Sitting::new(
            id.into(),
            "c".into(),
            respondent,
            QuestionnaireRef::from(loaded),
            vec!["Interviewer One".into()],
            clock.stamp(),
        );
        for (_, q) in loaded.questionnaire.questions() {
            let value = if q
                .cross_check
                .as_ref()
                .is_some_and(|c| c.key == "hours-online")
            {
                AnswerValue::Number { number: hours }
            } else {
                AnswerValue::DontKnow
            };
            s.record(
                EventKind::Answer {
                    question: q.id.clone(),
                    value,
                },
                clock.stamp(),
            );
        }
        for n in 1..=30 {
            s.record(
                EventKind::Observation {
                    text: format!(
                        "Observation {n}: Adult A paused before answering and asked for the question again."
                    ),
                },
                clock.stamp(),
            );
        }
        s
    };
    let sittings = [
        sitting("s", Respondent::Suspect, "suspect-interview", 6.0),
        sitting("p", Respondent::Partner, "partner-interview", 30.0),
    ];
    report::build(&case, &sittings, &catalog, vec![], clock.stamp().at)
}

/// Prints `html` to a PDF with headless Chromium and returns its text, page by page.
fn print_pages(chromium: &str, dir: &Path, html: &str) -> Vec<String> {
    let page = dir.join("report.html");
    let pdf = dir.join("report.pdf");
    std::fs::write(&page, html).expect("write the page");
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-extensions",
            // Chromium's own header and footer (date, title, file name) would print the
            // file's path: the report's margins say everything that is needed.
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > common::TIMEOUT {
            let _ = child.kill();
            panic!("chromium did not finish printing in {:?}", common::TIMEOUT);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(pdf.exists(), "chromium wrote no PDF");
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(text.status.success(), "pdftotext failed");
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    // pdftotext ends each page with a form feed.
    text.split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
#[cfg_attr(
    windows,
    ignore = "headless Chromium and pdftotext: no Windows builds of them can be installed in CI (the HTML is the same on every platform)"
)]
fn every_printed_page_carries_the_reference_the_marking_and_page_x_of_y() {
    let (Some(chromium), Some(_)) = (
        tool("chromium")
            .or_else(|| tool("chromium-browser"))
            .or_else(|| tool("google-chrome")),
        tool("pdftotext"),
    ) else {
        common::skip_or_fail(
            "chromium and pdftotext (poppler-utils) are needed to print the report",
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut r = long_report();
    for marking in [report::DEFAULT_MARKING, "OFFICIAL-SENSITIVE PERSONAL"] {
        r.marking = marking.into();
        let pages = print_pages(&chromium, dir.path(), &report::to_html(&r));
        let n = pages.len();
        assert!(
            n >= 3,
            "the test report should print on several pages, got {n}"
        );
        for (i, page) in pages.iter().enumerate() {
            let at = format!("page {} of {n}", i + 1);
            assert!(page.contains(&at), "no {at:?} on page {}:\n{page}", i + 1);
            assert!(
                page.contains("Case DEMO-0001"),
                "no reference on {at}:\n{page}"
            );
            assert!(
                page.matches(marking).count() >= 2,
                "the marking is not at the top and the bottom of {at}:\n{page}"
            );
            assert!(!page.contains("file://"), "Chromium's own footer on {at}");
        }
        let all = pages.join("\n");
        assert!(
            all.contains("6 hours/week"),
            "the unit left the cell:\n{all}"
        );
        assert!(
            all.contains("≠ diverges"),
            "the status is not a word and a mark:\n{all}"
        );
    }
}
