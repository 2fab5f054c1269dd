use chrono::DateTime;

use super::*;
use crate::questionnaire::Respondent;
use crate::session::{Clock, FixedClock, QuestionnaireRef, Subject};

pub(super) fn fixture() -> Report {
    let catalog = Catalog::embedded();
    let clock =
        FixedClock::new(DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap_or_default());
    let case = Case {
        id: "c".into(),
        reference: "DEMO-0001".into(),
        created: clock.stamp().at,
        subjects: vec![Subject {
            role: Respondent::Suspect,
            label: "Adult <A>".into(),
        }],
    };
    let key_question = |qn: &str, key: &str| {
        catalog
            .get(qn)
            .and_then(|q| {
                q.questionnaire
                    .questions()
                    .find(|(_, q)| q.cross_check.as_ref().is_some_and(|c| c.key == key))
            })
            .map(|(_, q)| q.id.clone())
            .unwrap_or_default()
    };
    let mut suspect = Sitting::new(
        "s".into(),
        "c".into(),
        Respondent::Suspect,
        catalog
            .get("suspect-interview")
            .map(QuestionnaireRef::from)
            .unwrap_or_else(|| panic!("suspect-interview embedded")),
        vec!["Interviewer A".into()],
        clock.stamp(),
    );
    let hours = key_question("suspect-interview", "hours-online");
    suspect.record(
        EventKind::Answer {
            question: hours.clone(),
            value: AnswerValue::Number { number: 5.0 },
        },
        clock.stamp(),
    );
    suspect.record(
        EventKind::Answer {
            question: hours.clone(),
            value: AnswerValue::Number { number: 6.0 },
        },
        clock.stamp(),
    );
    suspect.record(
        EventKind::Note {
            question: hours,
            text: "Said <b>| pipes".into(),
        },
        clock.stamp(),
    );
    suspect.record(
        EventKind::Observation {
            text: "Break \u{1b}[31m".into(),
        },
        clock.stamp(),
    );
    let mut partner = Sitting::new(
        "p".into(),
        "c".into(),
        Respondent::Partner,
        catalog
            .get("partner-interview")
            .map(QuestionnaireRef::from)
            .unwrap_or_else(|| panic!("partner-interview embedded")),
        vec![],
        clock.stamp(),
    );
    partner.record(
        EventKind::Answer {
            question: key_question("partner-interview", "hours-online"),
            value: AnswerValue::Number { number: 30.0 },
        },
        clock.stamp(),
    );
    build(
        &case,
        &[suspect, partner],
        &catalog,
        vec![],
        clock.stamp().at,
    )
}

#[test]
fn json_has_the_divergence_table_first_and_every_answer() {
    let r = fixture();
    let json: serde_json::Value = serde_json::from_str(&to_json(&r)).unwrap_or_default();
    assert_eq!(json["format"], REPORT_FORMAT);
    assert_eq!(json["divergences"][0]["key"], "hours-online");
    assert_eq!(json["divergences"][0]["status"], "diverges");
    assert_eq!(json["summary"]["counts"]["diverges"], 1);
    let answers = &json["sittings"][0]["answers"];
    assert_eq!(answers[0]["answer"], "6");
    assert_eq!(answers[0]["history"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        json["sittings"][0]["observations"].as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn html_escapes_everything_and_prints_on_a4() {
    let html = to_html(&fixture());
    assert!(html.contains("@page{size:A4"));
    assert!(html.contains("Adult &lt;A&gt;"));
    assert!(html.contains("Said &lt;b&gt;"));
    assert!(
        !html.contains('\u{1b}'),
        "no escape characters reach the page"
    );
    assert!(
        !html.contains("<script"),
        "self-contained, nothing executable"
    );
}

#[test]
fn markdown_tables_survive_pipes_and_control_characters() {
    let md = to_markdown(&fixture());
    assert!(md.contains("| **≠ diverges** |"));
    assert!(md.contains("Said &lt;b&gt;\\| pipes"));
    assert!(!md.contains('\u{1b}'));
}

#[test]
fn every_sitting_and_comparison_names_its_questionnaire_texts() {
    let r = fixture();
    let json: serde_json::Value = serde_json::from_str(&to_json(&r)).unwrap_or_default();
    assert_eq!(json["format_version"], REPORT_VERSION);
    let texts = json["questionnaires"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let ids: Vec<&str> = texts.iter().filter_map(|t| t["id"].as_str()).collect();
    assert_eq!(ids, ["partner-interview", "suspect-interview"]);
    assert!(texts.iter().all(|t| t["source"] == "embedded"));
    assert_eq!(texts[0]["ref"], "Q1");
    let s = &json["sittings"][0];
    assert_eq!(s["read_with_exact"], true);
    assert_eq!(s["read_with"]["sha256"], s["questionnaire_sha256"]);
    assert!(
        s["questionnaire_text"].as_str().is_some_and(|t| t
            .starts_with("Recorded with suspect-interview 1.1.0 (sha256 ")
            && t.ends_with("; read with that text, embedded (suspect-interview.toml).")),
        "{}",
        s["questionnaire_text"]
    );
    let d = &json["divergences"][0];
    assert_eq!(d["local_questionnaire"], false);
    assert_eq!(d["rule"]["tolerance"], 1.0);
    assert_eq!(d["rule"]["relative"], 0.2);
    assert_eq!(d["rule"]["from"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        d["answers"]["suspect"]["read_with"]["id"],
        "suspect-interview"
    );

    let md = to_markdown(&r);
    assert!(md.contains("### Questionnaire texts"), "{md}");
    assert!(
        md.contains("| Q2 | suspect-interview | 1.1.0 | embedded | suspect-interview.toml |"),
        "{md}"
    );
    assert!(
        md.contains("| suspect Q2; partner Q1; allowance Q1, Q2 |"),
        "{md}"
    );
    assert!(md.contains("Recorded with suspect-interview 1.1.0"), "{md}");
    assert!(!md.contains("local questionnaire"), "{md}");
    let html = to_html(&r);
    assert!(html.contains("<h2>Questionnaire texts</h2>"), "{html}");
    assert!(
        html.contains("Recorded with partner-interview 1.1.0"),
        "{html}"
    );
}

#[test]
fn a_sitting_without_interviewers_says_not_recorded() {
    // The partner sitting of the fixture has none: it once printed "Interviewers: ."
    let md = to_markdown(&fixture());
    assert!(md.contains("Interviewers: not recorded."), "{md}");
    assert!(!md.contains("Interviewers: ."), "{md}");
    assert!(md.contains("Interviewers: Interviewer A."), "{md}");
    let html = to_html(&fixture());
    assert!(html.contains("interviewers: not recorded"), "{html}");
}
