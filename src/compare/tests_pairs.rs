//! Issue 13: every pair of sources per key (suspect ↔ partner, suspect ↔ record, partner ↔
//! record), each status at its boundaries for a pair with the record, reasons that say which
//! account departs from the record, the key's status as its most pressing pair's, and the
//! counts by pair.

use super::pairs::compare_pairs;
use super::*;
use crate::questionnaire::{AnswerSpec, Catalog, Respondent};
use crate::session::{AnswerValue, Sitting};

const RECORD: Respondent = Respondent::None;
const SUSPECT: Respondent = Respondent::Suspect;
const PARTNER: Respondent = Respondent::Partner;

fn yes(yes: bool) -> AnswerValue {
    AnswerValue::YesNo { yes }
}

fn step(s: &str) -> AnswerValue {
    AnswerValue::Scale { step: s.into() }
}

/// A sitting with the questionnaire in use, answering `answers` (question id, value), at
/// `start` and a second apart.
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
    super::testing::answered_sitting(text, id, "case", who, start, answers)
}

fn by_key<'a>(result: &'a [Comparison], key: &str) -> &'a Comparison {
    result
        .iter()
        .find(|c| c.key == key)
        .unwrap_or_else(|| panic!("{key} compared in {result:#?}"))
}

fn pair(c: &Comparison, a: Respondent, b: Respondent) -> (Status, &str) {
    c.pairs
        .iter()
        .find(|p| p.a == a && p.b == b)
        .map(|p| (p.status, p.reason.as_str()))
        .unwrap_or_else(|| panic!("{} has no pair {a} {b}: {:#?}", c.key, c.pairs))
}

const CHILDREN: &str = "Any sign that children were present while material was viewed?";

/// Children nearby (◆11, and the core assessment's "children present while viewing"): the
/// three sources of one key.
fn three_sources(suspect: bool, partner: bool, record: bool) -> Vec<Comparison> {
    let catalog = Catalog::embedded();
    let sittings = [
        sitting(
            &catalog,
            "s",
            SUSPECT,
            "suspect-interview",
            "2026-11-23T10:00:00Z",
            &[("downloading-near-children", yes(suspect))],
        ),
        sitting(
            &catalog,
            "p",
            PARTNER,
            "partner-interview",
            "2026-11-23T11:00:00Z",
            &[("downloading-near-children", yes(partner))],
        ),
        sitting(
            &catalog,
            "r",
            RECORD,
            "core-assessment",
            "2026-11-23T12:00:00Z",
            &[("children-present-viewing", yes(record))],
        ),
    ];
    compare_case(&sittings, &catalog)
}

#[test]
fn every_pair_kind_is_compared_and_the_record_is_the_reference() {
    // Both accounts agree with each other; the record says otherwise.
    let result = three_sources(false, false, true);
    let c = by_key(&result, "downloading-near-children");
    assert_eq!(c.sources, [SUSPECT, PARTNER, RECORD]);
    assert_eq!(c.answers.len(), 3);
    assert_eq!(c.pairs.len(), 3);
    assert_eq!(
        pair(c, SUSPECT, PARTNER),
        (Status::Agrees, "suspect no, partner no")
    );
    assert_eq!(
        pair(c, SUSPECT, RECORD),
        (
            Status::Diverges,
            format!("suspect says no; the record says yes to “{CHILDREN}”").as_str()
        )
    );
    assert_eq!(
        pair(c, PARTNER, RECORD),
        (
            Status::Diverges,
            format!("partner says no; the record says yes to “{CHILDREN}”").as_str()
        )
    );
    // The key takes its most pressing pair's status and reason (the first among equals).
    assert_eq!(c.status, Status::Diverges);
    assert_eq!(c.reason, pair(c, SUSPECT, RECORD).1);
    // Pairs come in source order, the record last.
    let order: Vec<String> = c.pairs.iter().map(|p| p.label()).collect();
    assert_eq!(
        order,
        ["suspect ↔ partner", "suspect ↔ record", "partner ↔ record"]
    );
    // One account departing from the record and from the other account.
    let result = three_sources(true, false, false);
    let c = by_key(&result, "downloading-near-children");
    assert_eq!(pair(c, SUSPECT, PARTNER).0, Status::Diverges);
    assert_eq!(
        pair(c, SUSPECT, RECORD),
        (
            Status::Diverges,
            format!("suspect says yes; the record says no to “{CHILDREN}”").as_str()
        )
    );
    assert_eq!(pair(c, PARTNER, RECORD).0, Status::Agrees);
    // All three the same.
    let result = three_sources(true, true, true);
    let c = by_key(&result, "downloading-near-children");
    assert!(c.pairs.iter().all(|p| p.status == Status::Agrees), "{c:#?}");
    assert_eq!(c.status, Status::Agrees);
}

#[test]
fn a_key_the_partner_is_not_asked_pairs_the_suspect_with_the_record_only() {
    let catalog = Catalog::embedded();
    let sittings = [
        sitting(
            &catalog,
            "s",
            SUSPECT,
            "suspect-interview",
            "2026-11-23T10:00:00Z",
            &[("images-exchanged", yes(false))],
        ),
        sitting(
            &catalog,
            "r",
            RECORD,
            "core-assessment",
            "2026-11-23T12:00:00Z",
            &[("evidence-of-trading", yes(true))],
        ),
        // A partner sitting exists, but its questionnaire has no such key.
        sitting(
            &catalog,
            "p",
            PARTNER,
            "partner-interview",
            "2026-11-23T11:00:00Z",
            &[("hours-online", AnswerValue::Number { number: 3.0 })],
        ),
    ];
    let result = compare_case(&sittings, &catalog);
    let c = by_key(&result, "images-exchanged");
    assert_eq!(c.sources, [SUSPECT, RECORD]);
    assert_eq!(c.pairs.len(), 1);
    assert_eq!(
        pair(c, SUSPECT, RECORD),
        (
            Status::Diverges,
            "suspect says no; the record says yes to “Is there evidence of trading images?”"
        )
    );
    // The partner's own key with the record: domestic abuse.
    let sittings = [
        sitting(
            &catalog,
            "p",
            PARTNER,
            "partner-interview",
            "2026-11-23T11:00:00Z",
            &[("domestic-abuse", yes(false))],
        ),
        sitting(
            &catalog,
            "r",
            RECORD,
            "core-assessment",
            "2026-11-23T12:00:00Z",
            &[("domestic-abuse-history", yes(false))],
        ),
    ];
    let result = compare_case(&sittings, &catalog);
    let c = by_key(&result, "domestic-abuse");
    assert_eq!(c.sources, [PARTNER, RECORD]);
    assert_eq!(
        pair(c, PARTNER, RECORD),
        (
            Status::Agrees,
            "partner says no; the record says no to “Is there a history of domestic abuse?”"
        )
    );
}

#[test]
fn gaps_with_the_record_say_who_has_not_answered() {
    // Only the record: a prompt for the interviews.
    let catalog = Catalog::embedded();
    let record = sitting(
        &catalog,
        "r",
        RECORD,
        "core-assessment",
        "2026-11-23T12:00:00Z",
        &[("material-hidden", yes(true))],
    );
    let result = compare_case(std::slice::from_ref(&record), &catalog);
    let c = by_key(&result, "material-hidden");
    assert_eq!(c.status, Status::Gap);
    assert_eq!(
        pair(c, SUSPECT, RECORD),
        (
            Status::Gap,
            "the record says yes to “Was the material hidden?”; suspect not asked yet"
        )
    );
    // Only the account: a prompt for the record.
    let suspect = sitting(
        &catalog,
        "s",
        SUSPECT,
        "suspect-interview",
        "2026-11-23T10:00:00Z",
        &[("material-hidden", yes(false))],
    );
    let result = compare_case(std::slice::from_ref(&suspect), &catalog);
    let c = by_key(&result, "material-hidden");
    assert_eq!(
        pair(c, SUSPECT, RECORD),
        (Status::Gap, "suspect says no; not in the record yet")
    );
    // Both: judged.
    let result = compare_case(&[suspect, record], &catalog);
    assert_eq!(by_key(&result, "material-hidden").status, Status::Diverges);
    // Two sources that have not answered make no pair: the partner with the record on
    // children nearby when only the suspect answered.
    let only = sitting(
        &catalog,
        "s2",
        SUSPECT,
        "suspect-interview",
        "2026-11-23T10:00:00Z",
        &[("downloading-near-children", yes(true))],
    );
    let result = compare_case(&[only], &catalog);
    let c = by_key(&result, "downloading-near-children");
    let labels: Vec<String> = c.pairs.iter().map(|p| p.label()).collect();
    assert_eq!(labels, ["suspect ↔ partner", "suspect ↔ record"]);
}

/// Social isolation: the interviews' scale (distance 1) and the record's view of the family
/// on the same steps; every status of a scale at its boundary, for an account against the
/// record.
#[test]
fn a_scale_against_the_record_at_each_boundary() {
    let catalog = Catalog::embedded();
    let run = |suspect: AnswerValue, record: AnswerValue| {
        let sittings = [
            sitting(
                &catalog,
                "s",
                SUSPECT,
                "suspect-interview",
                "2026-11-23T10:00:00Z",
                &[("social-isolation", suspect)],
            ),
            sitting(
                &catalog,
                "r",
                RECORD,
                "core-assessment",
                "2026-11-23T12:00:00Z",
                &[("family-isolated", record)],
            ),
        ];
        let result = compare_case(&sittings, &catalog);
        let c = by_key(&result, "social-isolation");
        let (status, reason) = pair(c, SUSPECT, RECORD);
        (status, reason.to_string())
    };
    let family = "How socially isolated is the family?";
    assert_eq!(
        run(step("High"), step("High")),
        (
            Status::Agrees,
            format!("suspect says High; the record says High to “{family}”")
        )
    );
    assert_eq!(
        run(step("Moderate"), step("High")),
        (
            Status::Close,
            format!(
                "suspect says Moderate; the record says High to “{family}”: 1 step apart, allowed 1"
            )
        )
    );
    assert_eq!(
        run(step("Low"), step("High")),
        (
            Status::Diverges,
            format!(
                "suspect says Low; the record says High to “{family}”: 2 steps apart, allowed 1"
            )
        )
    );
    assert_eq!(
        run(AnswerValue::DontKnow, step("High")),
        (
            Status::Uncertain,
            format!("suspect says don't know; the record says High to “{family}”")
        )
    );
    assert_eq!(run(step("Low"), AnswerValue::Declined).0, Status::Uncertain);
}

fn given<'a>(value: &'a AnswerValue, spec: &'a AnswerSpec, prompt: &'a str) -> Given<'a> {
    Given {
        value,
        spec,
        text: "a-text 1.0.0",
        prompt,
    }
}

/// Numbers against the record at the tolerance's edge, multiple choices naming what only
/// the record has, forms that differ, and the record given first: the same rules as two
/// accounts, worded with the record as the reference.
#[test]
fn the_record_is_judged_by_the_same_rules_as_an_account() {
    let hours = AnswerSpec::Number {
        unit: Some("hours/week".into()),
        min: None,
        max: None,
        integer: false,
    };
    let p = Params {
        tolerance: 1.0,
        relative: 0.2,
        ..Params::DEFAULT
    };
    let n = |x| AnswerValue::Number { number: x };
    let (a, b, c) = (n(20.0), n(24.0), n(24.1));
    // 20 against 24: allowed 4.8, agrees; the same figures between two accounts agree too.
    let (status, reason) = classify_pair(
        p,
        (SUSPECT, Some(given(&a, &hours, "Hours?"))),
        (RECORD, Some(given(&b, &hours, "Hours found?"))),
    );
    assert_eq!(status, Status::Agrees);
    assert_eq!(
        reason,
        "suspect says 20 hours/week; the record says 24 hours/week to “Hours found?”: 4 hours/week apart, tolerance 4.8 hours/week"
    );
    assert_eq!(
        classify_pair(
            p,
            (SUSPECT, Some(given(&a, &hours, ""))),
            (PARTNER, Some(given(&b, &hours, "")))
        )
        .0,
        Status::Agrees
    );
    // 20 against 26: allowed 5.2, diverges (6 apart).
    let d = n(26.0);
    assert_eq!(
        classify_pair(
            p,
            (SUSPECT, Some(given(&a, &hours, ""))),
            (RECORD, Some(given(&d, &hours, "")))
        )
        .0,
        Status::Diverges
    );
    // Given the record first, the account still comes first in the reason.
    let (_, reason) = classify_pair(
        p,
        (RECORD, Some(given(&c, &hours, "Hours found?"))),
        (PARTNER, Some(given(&a, &hours, "Hours?"))),
    );
    assert!(
        reason.starts_with(
            "partner says 20 hours/week; the record says 24.1 hours/week to “Hours found?”"
        ),
        "{reason}"
    );
    // Multiple choices: what only one of them has, the record named as such.
    let spec = AnswerSpec::MultiChoice {
        options: vec!["Web".into(), "Chat".into()],
    };
    let set = |xs: &[&str]| AnswerValue::MultiChoice {
        options: xs.iter().map(|x| x.to_string()).collect(),
    };
    let (web, both) = (set(&["Web"]), set(&["Web", "Chat"]));
    let (status, reason) = classify_pair(
        Params::DEFAULT,
        (SUSPECT, Some(given(&web, &spec, "Services?"))),
        (RECORD, Some(given(&both, &spec, "Services found?"))),
    );
    assert_eq!(status, Status::Diverges);
    assert!(reason.ends_with(": only the record: Chat"), "{reason}");
    // Asked in different forms: compared by hand, saying how each was asked.
    let (x, y) = (yes(true), step("High"));
    let scale = AnswerSpec::Scale {
        steps: vec!["Low".into(), "High".into()],
    };
    let (status, reason) = classify_pair(
        Params::DEFAULT,
        (SUSPECT, Some(given(&x, &AnswerSpec::YesNo, "Isolated?"))),
        (RECORD, Some(given(&y, &scale, "How isolated?"))),
    );
    assert_eq!(status, Status::ByHand);
    assert!(
        reason.ends_with(
            "suspect asked as yes/no (a-text 1.0.0), the record as a scale (a-text 1.0.0): asked in different forms; compare by hand"
        ),
        "{reason}"
    );
    // An answer that does not fit its question is the record's, by name.
    let (status, reason) = classify_pair(
        Params::DEFAULT,
        (SUSPECT, Some(given(&x, &AnswerSpec::YesNo, ""))),
        (RECORD, Some(given(&y, &AnswerSpec::YesNo, ""))),
    );
    assert_eq!(status, Status::ByHand);
    assert!(
        reason.contains("the record's answer does not fit"),
        "{reason}"
    );
}

/// A number against the record at the exact edge of the allowance: at it agrees, just
/// beyond diverges; don't know on either side is uncertain; for every pair kind alike.
#[test]
fn a_number_against_the_record_at_the_edge_of_its_tolerance() {
    let hours = AnswerSpec::Number {
        unit: Some("hours/week".into()),
        min: None,
        max: None,
        integer: false,
    };
    let p = Params {
        tolerance: 4.0,
        ..Params::DEFAULT
    };
    let n = |x| AnswerValue::Number { number: x };
    let judge = |x: &AnswerValue, y: &AnswerValue, other: Respondent| {
        classify_pair(
            p,
            (SUSPECT, Some(given(x, &hours, "Hours?"))),
            (other, Some(given(y, &hours, "Hours found?"))),
        )
        .0
    };
    for other in [PARTNER, RECORD] {
        assert_eq!(
            judge(&n(20.0), &n(24.0), other),
            Status::Agrees,
            "{other:?}"
        );
        assert_eq!(
            judge(&n(20.0), &n(16.0), other),
            Status::Agrees,
            "{other:?}"
        );
        assert_eq!(
            judge(&n(20.0), &n(24.01), other),
            Status::Diverges,
            "{other:?}"
        );
        assert_eq!(
            judge(&n(20.0), &n(15.99), other),
            Status::Diverges,
            "{other:?}"
        );
        assert_eq!(
            judge(&AnswerValue::DontKnow, &n(24.0), other),
            Status::Uncertain,
            "{other:?}"
        );
    }
    // The record's side missing: a gap that says the record has not answered.
    let (status, reason) = classify_pair(
        p,
        (SUSPECT, Some(given(&n(20.0), &hours, "Hours?"))),
        (RECORD, None),
    );
    assert_eq!(status, Status::Gap);
    assert!(reason.contains("record"), "{reason}");
}

#[test]
fn a_key_of_one_source_only_is_a_gap_with_nothing_to_compare() {
    let catalog = Catalog::embedded();
    let s = sitting(
        &catalog,
        "s",
        SUSPECT,
        "suspect-interview",
        "2026-11-23T10:00:00Z",
        &[("hours-online", AnswerValue::Number { number: 3.0 })],
    );
    let mut answers = std::collections::BTreeMap::new();
    let result = compare_case(&[s], &catalog);
    let mine = by_key(&result, "hours-online").answers[&SUSPECT].clone();
    answers.insert(SUSPECT, mine);
    let (pairs, status, reason) =
        compare_pairs(&[SUSPECT], &answers, |_, _| panic!("no pair to judge"));
    assert!(pairs.is_empty());
    assert_eq!(status, Status::Gap);
    assert_eq!(
        reason,
        "suspect 3 hours/week; no other questionnaire in use asks this: nothing to compare with"
    );
}

#[test]
fn counts_by_pair_cover_every_pair_of_every_key() {
    let catalog = Catalog::embedded();
    let sittings = [
        sitting(
            &catalog,
            "s",
            SUSPECT,
            "suspect-interview",
            "2026-11-23T10:00:00Z",
            &[
                ("downloading-near-children", yes(false)),
                ("images-exchanged", yes(true)),
                ("social-isolation", step("Low")),
            ],
        ),
        sitting(
            &catalog,
            "p",
            PARTNER,
            "partner-interview",
            "2026-11-23T11:00:00Z",
            &[("downloading-near-children", yes(false))],
        ),
        sitting(
            &catalog,
            "r",
            RECORD,
            "core-assessment",
            "2026-11-23T12:00:00Z",
            &[
                ("children-present-viewing", yes(true)),
                ("evidence-of-trading", yes(true)),
                ("family-isolated", step("Moderate")),
            ],
        ),
    ];
    let result = compare_case(&sittings, &catalog);
    let counts = pair_summary(&result);
    let got: Vec<(String, usize, usize, usize, usize)> = counts
        .iter()
        .map(|p| {
            (
                p.label(),
                p.count(Status::Diverges),
                p.count(Status::Close),
                p.count(Status::Gap),
                p.count(Status::Agrees),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            // children nearby agree; social isolation: the partner not asked
            ("suspect ↔ partner".to_string(), 0, 0, 1, 1),
            // children nearby diverge; trading agrees; isolation one step apart
            ("suspect ↔ record".to_string(), 1, 1, 0, 1),
            // children nearby diverge; isolation: the partner not asked
            ("partner ↔ record".to_string(), 1, 0, 1, 0),
        ]
    );
    let sr = &counts[1];
    assert_eq!(sr.agreement(), Some((1, 3)));
    assert_eq!(sr.total(), 3);
    // Keys by their status: divergences first.
    let keys: Vec<(&str, Status)> = result.iter().map(|c| (c.key.as_str(), c.status)).collect();
    assert_eq!(
        keys,
        [
            ("downloading-near-children", Status::Diverges),
            ("social-isolation", Status::Close),
            ("images-exchanged", Status::Agrees),
        ]
    );
}
