//! Issue 13.3: an account that changes between sittings is flagged, with both answers,
//! their sittings and dates; a correction within one sitting is not; sittings on different
//! versions are compared only where the answers mean the same thing.

use super::*;
use crate::questionnaire::{Catalog, Respondent};
use crate::session::{AnswerValue, Sitting};

/// A sitting of `who` with `questionnaire` at `version` (in use or kept), answering in
/// order (a question twice is a correction within the sitting), from `start`, a second apart.
fn sitting(
    id: &str,
    who: Respondent,
    questionnaire: &str,
    version: Option<&str>,
    start: &str,
    answers: &[(&str, AnswerValue)],
) -> Sitting {
    let catalog = Catalog::embedded();
    let text = catalog
        .iter()
        .chain(catalog.kept())
        .find(|q| q.id() == questionnaire && version.is_none_or(|v| q.version() == v))
        .unwrap_or_else(|| panic!("{questionnaire} {version:?} known"));
    super::testing::answered_sitting(text, id, "case", who, start, answers)
}

fn n(x: f64) -> AnswerValue {
    AnswerValue::Number { number: x }
}

fn changes(sittings: &[Sitting]) -> Vec<Change> {
    analyse_case(sittings, &Catalog::embedded()).changes
}

const S: Respondent = Respondent::Suspect;

#[test]
fn a_different_answer_in_a_later_sitting_is_flagged_with_both_answers_and_dates() {
    let first = sitting(
        "s1",
        S,
        "suspect-interview",
        None,
        "2026-11-23T10:00:00Z",
        &[
            ("hours-online", n(5.0)),
            ("risk-taking", AnswerValue::YesNo { yes: false }),
        ],
    );
    let second = sitting(
        "s2",
        S,
        "suspect-interview",
        None,
        "2026-11-30T10:00:00Z",
        &[
            ("hours-online", n(22.0)),
            ("risk-taking", AnswerValue::YesNo { yes: false }),
        ],
    );
    let found = changes(&[first, second]);
    assert_eq!(found.len(), 1, "{found:#?}");
    let c = &found[0];
    assert_eq!(c.person, S);
    assert_eq!(c.kind, ChangeKind::Changed);
    assert_eq!(
        (c.questionnaire_id.as_str(), c.question_id.as_str()),
        ("suspect-interview", "hours-online")
    );
    assert_eq!(c.key.as_deref(), Some("hours-online"));
    assert_eq!(
        c.reason,
        "suspect 5 hours/week on 2026-11-23, then 22 hours/week on 2026-11-30"
    );
    assert_eq!(
        (c.before.sitting_id.as_str(), c.after.sitting_id.as_str()),
        ("s1", "s2")
    );
    assert_eq!((&c.before.value, &c.after.value), (&n(5.0), &n(22.0)));
    assert_eq!(c.before.at.at.to_rfc3339(), "2026-11-23T10:00:01+00:00");
}

#[test]
fn a_correction_within_one_sitting_is_the_loggers_not_a_change() {
    // 5, corrected to 7 in the same sitting; 7 again in the next: no change of account.
    let first = sitting(
        "s1",
        S,
        "suspect-interview",
        None,
        "2026-11-23T10:00:00Z",
        &[("hours-online", n(5.0)), ("hours-online", n(7.0))],
    );
    let second = sitting(
        "s2",
        S,
        "suspect-interview",
        None,
        "2026-11-30T10:00:00Z",
        &[("hours-online", n(7.0))],
    );
    assert!(changes(&[first.clone(), second]).is_empty());
    // One sitting alone never changes, however often it is corrected.
    assert!(changes(std::slice::from_ref(&first)).is_empty());
    // The correction stays in the sitting's history.
    assert_eq!(
        first.fold().get("hours-online").map(|q| q.history.len()),
        Some(2)
    );
}

#[test]
fn every_question_counts_not_only_the_cross_checked_ones() {
    let first = sitting(
        "s1",
        S,
        "suspect-interview",
        None,
        "2026-11-23T10:00:00Z",
        &[
            ("offline-time-with-material", n(2.0)),
            (
                "nicknames",
                AnswerValue::Text {
                    text: "First account".into(),
                },
            ),
            (
                "internet-media",
                AnswerValue::MultiChoice {
                    options: vec!["Web sites".into(), "E-mail".into()],
                },
            ),
        ],
    );
    let second = sitting(
        "s2",
        S,
        "suspect-interview",
        None,
        "2026-11-30T10:00:00Z",
        &[
            ("offline-time-with-material", n(3.0)),
            (
                "nicknames",
                AnswerValue::Text {
                    text: "A second account".into(),
                },
            ),
            // The same set in another order is the same answer.
            (
                "internet-media",
                AnswerValue::MultiChoice {
                    options: vec!["E-mail".into(), "Web sites".into()],
                },
            ),
        ],
    );
    let found = changes(&[first, second]);
    let got: Vec<(&str, ChangeKind, Option<&str>)> = found
        .iter()
        .map(|c| (c.question_id.as_str(), c.kind, c.key.as_deref()))
        .collect();
    // In the questionnaire's order.
    assert_eq!(
        got,
        [
            ("nicknames", ChangeKind::Reworded, None),
            ("offline-time-with-material", ChangeKind::Changed, None),
        ]
    );
    // Free text is never quoted in the reason.
    assert_eq!(
        found[0].reason,
        "suspect (text) on 2026-11-23, then (text) on 2026-11-30: in other words; read both"
    );
}

#[test]
fn changes_follow_time_not_the_order_of_the_files_and_each_one_counts() {
    // no, then yes, then no: two changes, each between neighbouring sittings in time.
    let yes = |y| AnswerValue::YesNo { yes: y };
    let sittings = [
        sitting(
            "c",
            S,
            "suspect-interview",
            None,
            "2026-12-07T10:00:00Z",
            &[("risk-taking", yes(false))],
        ),
        sitting(
            "a",
            S,
            "suspect-interview",
            None,
            "2026-11-23T10:00:00Z",
            &[("risk-taking", yes(false))],
        ),
        sitting(
            "b",
            S,
            "suspect-interview",
            None,
            "2026-11-30T10:00:00Z",
            &[("risk-taking", yes(true))],
        ),
    ];
    let found = changes(&sittings);
    let steps: Vec<(&str, &str)> = found
        .iter()
        .map(|c| (c.before.sitting_id.as_str(), c.after.sitting_id.as_str()))
        .collect();
    assert_eq!(steps, [("a", "b"), ("b", "c")]);
    // Don't know, then an answer: the account changed.
    let sittings = [
        sitting(
            "a",
            S,
            "suspect-interview",
            None,
            "2026-11-23T10:00:00Z",
            &[("risk-taking", AnswerValue::DontKnow)],
        ),
        sitting(
            "b",
            S,
            "suspect-interview",
            None,
            "2026-11-30T10:00:00Z",
            &[("risk-taking", yes(true))],
        ),
    ];
    let found = changes(&sittings);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].reason,
        "suspect don't know on 2026-11-23, then yes on 2026-11-30"
    );
}

#[test]
fn each_person_is_their_own_and_the_record_is_not_an_account() {
    // The suspect and the partner answer the same key differently: a divergence, not a
    // change. The record corrected in a later sitting: evidence updated, not listed.
    let sittings = [
        sitting(
            "s",
            S,
            "suspect-interview",
            None,
            "2026-11-23T10:00:00Z",
            &[("hours-online", n(5.0))],
        ),
        sitting(
            "p",
            Respondent::Partner,
            "partner-interview",
            None,
            "2026-11-30T10:00:00Z",
            &[("hours-online", n(25.0))],
        ),
        sitting(
            "r1",
            Respondent::None,
            "core-assessment",
            None,
            "2026-11-23T12:00:00Z",
            &[("evidence-of-trading", AnswerValue::YesNo { yes: false })],
        ),
        sitting(
            "r2",
            Respondent::None,
            "core-assessment",
            None,
            "2026-12-01T12:00:00Z",
            &[("evidence-of-trading", AnswerValue::YesNo { yes: true })],
        ),
    ];
    assert!(changes(&sittings).is_empty());
    // The partner's own two sittings do change.
    let mut more = sittings.to_vec();
    more.push(sitting(
        "p2",
        Respondent::Partner,
        "partner-interview",
        None,
        "2026-12-07T10:00:00Z",
        &[("hours-online", n(30.0))],
    ));
    let found = changes(&more);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].person, Respondent::Partner);
    assert!(
        found[0].reason.starts_with("partner 25 hours/week"),
        "{}",
        found[0].reason
    );
}

#[test]
fn sittings_on_different_versions_are_compared_only_where_the_answers_mean_the_same() {
    let old = Some("1.0.0");
    let new = Catalog::embedded()
        .get("suspect-interview")
        .map(|q| q.version().to_string());
    let new = new.as_deref();
    assert_ne!(new, old, "the suspect interview has moved on");
    // People met online: yes/no in 1.0.0, a choice since 1.1.0. Not said to differ.
    let sittings = [
        sitting(
            "a",
            S,
            "suspect-interview",
            old,
            "2026-11-23T10:00:00Z",
            &[
                ("met-online-contact", AnswerValue::YesNo { yes: true }),
                // Hours online: a number in hours/week in both: compared.
                ("hours-online", n(4.0)),
            ],
        ),
        sitting(
            "b",
            S,
            "suspect-interview",
            new,
            "2026-11-30T10:00:00Z",
            &[
                (
                    "met-online-contact",
                    AnswerValue::Choice {
                        option: "With adults".into(),
                    },
                ),
                ("hours-online", n(4.0)),
            ],
        ),
    ];
    let found = changes(&sittings);
    assert_eq!(found.len(), 1, "{found:#?}");
    let c = &found[0];
    assert_eq!(c.kind, ChangeKind::AskedDifferently);
    let v = new.unwrap_or_default();
    assert_eq!(
        c.reason,
        format!(
            "suspect yes on 2026-11-23, then With adults on 2026-11-30: asked as yes/no (suspect-interview 1.0.0), then as a choice (suspect-interview {v}); compare by hand"
        )
    );
    // Each answer keeps how it was asked.
    assert_eq!(c.before.asked.spec.type_name(), "yes_no");
    assert_eq!(c.after.asked.spec.type_name(), "choice");
    // Don't know in both forms is the same answer; don't know then a choice is a change.
    let run = |before: AnswerValue, after: AnswerValue| {
        changes(&[
            sitting(
                "a",
                S,
                "suspect-interview",
                old,
                "2026-11-23T10:00:00Z",
                &[("met-online-contact", before)],
            ),
            sitting(
                "b",
                S,
                "suspect-interview",
                new,
                "2026-11-30T10:00:00Z",
                &[("met-online-contact", after)],
            ),
        ])
    };
    assert!(run(AnswerValue::DontKnow, AnswerValue::DontKnow).is_empty());
    let found = run(
        AnswerValue::DontKnow,
        AnswerValue::Choice {
            option: "No".into(),
        },
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, ChangeKind::Changed);
    assert!(
        found[0].reason.ends_with(&format!(
            "(asked as yes/no (suspect-interview 1.0.0), then as a choice (suspect-interview {v}))"
        )),
        "{}",
        found[0].reason
    );
}

#[test]
fn the_analysis_compares_and_finds_changes_in_one_walk_as_compare_case_does() {
    let sittings = [
        sitting(
            "s1",
            S,
            "suspect-interview",
            None,
            "2026-11-23T10:00:00Z",
            &[("hours-online", n(5.0))],
        ),
        sitting(
            "s2",
            S,
            "suspect-interview",
            None,
            "2026-11-30T10:00:00Z",
            &[("hours-online", n(22.0))],
        ),
        sitting(
            "p",
            Respondent::Partner,
            "partner-interview",
            None,
            "2026-11-24T10:00:00Z",
            &[("hours-online", n(25.0))],
        ),
    ];
    let catalog = Catalog::embedded();
    let analysis = analyse_case(&sittings, &catalog);
    assert_eq!(analysis.comparisons, compare_case(&sittings, &catalog));
    assert_eq!(analysis.changes.len(), 1);
    // The comparison takes the later sitting's answer; the change keeps both.
    let hours = &analysis.comparisons[0];
    assert_eq!(hours.status, Status::Agrees, "{}", hours.reason);
}
