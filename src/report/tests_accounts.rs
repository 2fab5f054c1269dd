//! Issue 13 in every export: each pair of sources per key (the record among them), the
//! counts by pair, and each change between sittings, in JSON, Markdown and HTML.

use chrono::DateTime;

use super::*;
use crate::questionnaire::Respondent;
use crate::session::{Clock, FixedClock, Subject};

fn sitting(
    catalog: &Catalog,
    id: &str,
    who: Respondent,
    questionnaire: &str,
    start: &str,
    answers: &[(&str, AnswerValue)],
) -> Sitting {
    let text = catalog
        .get(questionnaire)
        .unwrap_or_else(|| panic!("{questionnaire} embedded"));
    crate::compare::testing::answered_sitting(text, id, "c", who, start, answers)
}

fn yes(yes: bool) -> AnswerValue {
    AnswerValue::YesNo { yes }
}

/// The record, two suspect sittings a week apart (trading: no, then yes) and the partner.
fn report() -> Report {
    let catalog = Catalog::embedded();
    let clock =
        FixedClock::new(DateTime::parse_from_rfc3339("2026-11-30T10:00:00Z").unwrap_or_default());
    let case = Case {
        id: "c".into(),
        reference: "DEMO-0001".into(),
        created: clock.stamp().at,
        subjects: vec![Subject {
            role: Respondent::Suspect,
            label: "Adult A".into(),
        }],
    };
    let sittings = [
        sitting(
            &catalog,
            "r",
            Respondent::None,
            "core-assessment",
            "2026-11-20T09:00:00Z",
            &[
                ("evidence-of-trading", yes(true)),
                ("children-present-viewing", yes(true)),
            ],
        ),
        sitting(
            &catalog,
            "s1",
            Respondent::Suspect,
            "suspect-interview",
            "2026-11-23T10:00:00Z",
            &[
                ("images-exchanged", yes(false)),
                ("downloading-near-children", yes(false)),
            ],
        ),
        sitting(
            &catalog,
            "p",
            Respondent::Partner,
            "partner-interview",
            "2026-11-24T10:00:00Z",
            &[("downloading-near-children", yes(true))],
        ),
        sitting(
            &catalog,
            "s2",
            Respondent::Suspect,
            "suspect-interview",
            "2026-11-30T10:00:00Z",
            &[("images-exchanged", yes(true))],
        ),
    ];
    build(&case, &sittings, &catalog, vec![], clock.stamp().at)
}

#[test]
fn json_carries_every_pair_every_source_and_every_change() {
    let json: serde_json::Value = serde_json::from_str(&to_json(&report())).unwrap_or_default();
    assert_eq!(json["format_version"], 3);
    let rows = json["divergences"].as_array().cloned().unwrap_or_default();
    let keys: Vec<(&str, &str)> = rows
        .iter()
        .map(|d| {
            (
                d["key"].as_str().unwrap_or(""),
                d["status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("downloading-near-children", "diverges"),
            ("images-exchanged", "agrees"),
        ]
    );
    let children = &rows[0];
    assert_eq!(
        children["sources"],
        serde_json::json!(["suspect", "partner", "record"])
    );
    assert_eq!(children["answers"]["record"]["answer"], "yes");
    assert_eq!(children["answers"]["record"]["sitting_id"], "r");
    assert_eq!(children["answers"]["suspect"]["answer"], "no");
    let pairs: Vec<(String, &str, &str)> = children["pairs"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        format!(
                            "{}/{}",
                            p["sources"][0].as_str().unwrap_or(""),
                            p["sources"][1].as_str().unwrap_or("")
                        ),
                        p["status"].as_str().unwrap_or(""),
                        p["reason"].as_str().unwrap_or(""),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        pairs,
        [
            (
                "suspect/partner".to_string(),
                "diverges",
                "suspect no, partner yes"
            ),
            (
                "suspect/record".to_string(),
                "diverges",
                "suspect says no; the record says yes to “Any sign that children were present while material was viewed?”"
            ),
            (
                "partner/record".to_string(),
                "agrees",
                "partner says yes; the record says yes to “Any sign that children were present while material was viewed?”"
            ),
        ]
    );
    // Version 2's two fixed sides are gone: every source is under `answers`.
    assert!(children.get("suspect").is_none());
    assert!(children.get("partner").is_none());
    // Counts by pair.
    let summary = &json["summary"];
    assert_eq!(summary["pairs"][0]["pair"], "suspect ↔ partner");
    assert_eq!(summary["pairs"][0]["counts"]["diverges"], 1);
    assert_eq!(summary["pairs"][1]["pair"], "suspect ↔ record");
    assert_eq!(summary["pairs"][1]["counts"]["agrees"], 1);
    assert_eq!(summary["pairs"][1]["agreement_share"], 0.5);
    assert_eq!(summary["pairs"][2]["agreement_share"], 1.0);
    assert_eq!(summary["changes"]["suspect"], 1);
    assert!(summary.get("agreement_share").is_none());
    // The change: both answers with their sittings and dates.
    let change = &json["changes"][0];
    assert_eq!(json["changes"].as_array().map(Vec::len), Some(1));
    assert_eq!(change["person"], "suspect");
    assert_eq!(change["question_id"], "images-exchanged");
    assert_eq!(change["key"], "images-exchanged");
    assert_eq!(change["kind"], "changed");
    assert_eq!(
        change["reason"],
        "suspect no on 2026-11-23, then yes on 2026-11-30"
    );
    assert_eq!(change["before"]["sitting_id"], "s1");
    assert_eq!(change["after"]["sitting_id"], "s2");
    assert_eq!(change["after"]["at"], "2026-11-30T10:00:01Z");
}

#[test]
fn markdown_and_html_show_every_pair_and_every_change() {
    let r = report();
    let md = to_markdown(&r);
    for want in [
        "| status | question | suspect | partner | record | pairs | questionnaires |",
        "- suspect ↔ record: diverges 1, agrees 1; agreement where both gave a comparable answer 50%",
        "**diverges** suspect ↔ record: suspect says no; the record says yes to “Any sign",
        "## Changes between sittings",
        "| suspect | Have you exchanged images with others? | no (2026-11-23 10:00) | yes (2026-11-30 10:00) | **changed** | suspect no on 2026-11-23, then yes on 2026-11-30 |",
        "suspect Q",
        "record Q",
    ] {
        assert!(md.contains(want), "{want:?} missing:\n{md}");
    }
    let html = to_html(&r);
    for want in [
        "<th>Suspect</th><th>Partner</th><th>Record</th><th>Pairs</th>",
        "<h2>Changes between sittings</h2>",
        "<b>diverges</b> suspect ↔ record",
        "<b>agrees</b> partner ↔ record",
        "suspect no on 2026-11-23, then yes on 2026-11-30",
    ] {
        assert!(html.contains(want), "{want:?} missing:\n{html}");
    }
    // The record's answer sits in the Record column of its row.
    assert!(
        html.contains("<td>no</td><td>yes</td><td>yes</td>"),
        "{html}"
    );
}
