use chrono::DateTime;

use super::*;
use crate::questionnaire::Respondent;
use crate::session::{Clock, FixedClock, QuestionnaireRef, Subject};

fn fixture() -> Report {
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
        QuestionnaireRef {
            id: "suspect-interview".into(),
            version: "1.0.0".into(),
            sha256: String::new(),
        },
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
        QuestionnaireRef {
            id: "partner-interview".into(),
            version: "1.0.0".into(),
            sha256: String::new(),
        },
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
    assert!(md.contains("| **diverges** |"));
    assert!(md.contains("Said &lt;b&gt;¦ pipes"));
    assert!(!md.contains('\u{1b}'));
}
