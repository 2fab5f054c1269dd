//! Sittings recorded with different versions of a questionnaire, side by side; the 1.1
//! tolerances at their boundaries; the derived comparison; the stricter of two rules.

use chrono::DateTime;

use super::*;
use crate::questionnaire::{Catalog, Respondent};
use crate::session::{AnswerValue, Clock, EventKind, FixedClock, QuestionnaireRef, Sitting};

fn clock() -> FixedClock {
    FixedClock::new(DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap_or_default())
}

/// A sitting recorded with `id` at `version` (its exact text from the catalog, in use or
/// kept), holding these answers.
fn sitting(
    catalog: &Catalog,
    sid: &str,
    who: Respondent,
    id: &str,
    version: &str,
    answers: &[(&str, AnswerValue)],
) -> Sitting {
    let text = catalog
        .iter()
        .chain(catalog.kept())
        .find(|q| q.id() == id && q.version() == version)
        .unwrap_or_else(|| panic!("{id} {version} is known"));
    let clock = clock();
    let mut s = Sitting::new(
        sid.into(),
        "case".into(),
        who,
        QuestionnaireRef::from(text),
        vec![],
        clock.stamp(),
    );
    for (q, v) in answers {
        s.record(
            EventKind::Answer {
                question: (*q).into(),
                value: v.clone(),
            },
            clock.stamp(),
        );
    }
    s
}

fn yes() -> AnswerValue {
    AnswerValue::YesNo { yes: true }
}

fn choice(o: &str) -> AnswerValue {
    AnswerValue::Choice { option: o.into() }
}

fn n(x: f64) -> AnswerValue {
    AnswerValue::Number { number: x }
}

fn by_key<'a>(result: &'a [Comparison], key: &str) -> &'a Comparison {
    result
        .iter()
        .find(|c| c.key == key)
        .unwrap_or_else(|| panic!("{key} compared in {result:#?}"))
}

fn newest(catalog: &Catalog, id: &str) -> String {
    catalog
        .get(id)
        .map(|q| q.version().to_string())
        .unwrap_or_default()
}

#[test]
fn a_yes_no_from_1_0_beside_a_choice_from_1_1_is_compared_by_hand_never_agreed() {
    let catalog = Catalog::embedded();
    let partner_version = newest(&catalog, "partner-interview");
    assert_ne!(
        partner_version, "1.0.0",
        "the partner interview has moved on"
    );
    for (old, new) in [
        (yes(), choice("With adults")),
        (yes(), choice("With children")),
        (AnswerValue::YesNo { yes: false }, choice("No")),
    ] {
        let suspect = sitting(
            &catalog,
            "s",
            Respondent::Suspect,
            "suspect-interview",
            "1.0.0",
            &[("met-online-contact", old.clone())],
        );
        let partner = sitting(
            &catalog,
            "p",
            Respondent::Partner,
            "partner-interview",
            &partner_version,
            &[("met-online-contact", new.clone())],
        );
        let result = compare_case(&[suspect, partner], &catalog);
        let c = by_key(&result, "met-online-contact");
        assert_eq!(c.status, Status::ByHand, "{old} / {new}: {}", c.reason);
        assert!(
            c.reason.contains(&format!(
                "suspect asked as yes/no (suspect-interview 1.0.0), partner as a choice (partner-interview {partner_version}): asked in different forms"
            )),
            "{}",
            c.reason
        );
        // Both answers are kept, each with how it was asked.
        let s = c
            .answer(Respondent::Suspect)
            .map(|s| (&s.value, s.asked.spec.type_name()));
        let p = c
            .answer(Respondent::Partner)
            .map(|p| (&p.value, p.asked.spec.type_name()));
        assert_eq!(s, Some((&old, "yes_no")));
        assert_eq!(p, Some((&new, "choice")));
        assert_eq!(
            c.answer(Respondent::Suspect).map(|s| s.asked.exact),
            Some(true)
        );
    }
}

#[test]
fn mixed_versions_still_compare_what_means_the_same_and_keep_gaps_and_doubts() {
    let catalog = Catalog::embedded();
    let v = newest(&catalog, "partner-interview");
    let suspect = sitting(
        &catalog,
        "s",
        Respondent::Suspect,
        "suspect-interview",
        "1.0.0",
        &[
            ("hours-online", n(2.0)),
            ("met-online-contact", yes()),
            ("risk-taking", yes()),
            (
                "social-isolation",
                AnswerValue::Scale { step: "Low".into() },
            ),
        ],
    );
    let partner = sitting(
        &catalog,
        "p",
        Respondent::Partner,
        "partner-interview",
        &v,
        &[
            ("hours-online", n(7.0)),
            ("met-online-contact", AnswerValue::DontKnow),
            ("risk-taking", yes()),
        ],
    );
    let result = compare_case(&[suspect, partner], &catalog);
    // Hours online mean the same in both versions (a number in hours/week), so they are
    // compared, under the rule of the texts in use (1 hour or a fifth: 2 against 7 diverges;
    // under 1.0.0's 5 hours it agreed).
    let hours = by_key(&result, "hours-online");
    assert_eq!(hours.status, Status::Diverges, "{}", hours.reason);
    assert!(
        hours
            .reason
            .ends_with("5 hours/week apart, tolerance 1.4 hours/week"),
        "{}",
        hours.reason
    );
    assert!(
        hours
            .rule
            .from
            .iter()
            .all(|t| t.version == v || t.id == "suspect-interview")
    );
    assert!(hours.rule.from.iter().all(|t| t.version != "1.0.0"));
    assert_eq!(by_key(&result, "risk-taking").status, Status::Agrees);
    // Don't know stays uncertain, and says the forms differed.
    let met = by_key(&result, "met-online-contact");
    assert_eq!(met.status, Status::Uncertain);
    assert!(
        met.reason.contains("asked in different forms"),
        "{}",
        met.reason
    );
    assert_eq!(by_key(&result, "social-isolation").status, Status::Gap);
    assert!(!result.iter().any(|c| c.used_local()));
}

#[test]
fn a_sitting_whose_text_is_gone_is_read_with_the_newest_and_never_misread() {
    let catalog = Catalog::embedded();
    let mut suspect = sitting(
        &catalog,
        "s",
        Respondent::Suspect,
        "suspect-interview",
        "1.0.0",
        &[("met-online-contact", yes()), ("hours-online", n(10.0))],
    );
    // As if recorded with a local 1.0.2 since removed: its hash is known nowhere.
    suspect.questionnaire.version = "1.0.2".into();
    suspect.questionnaire.sha256 = "ab".repeat(32);
    let partner = sitting(
        &catalog,
        "p",
        Respondent::Partner,
        "partner-interview",
        &newest(&catalog, "partner-interview"),
        &[
            ("met-online-contact", choice("No")),
            ("hours-online", n(10.0)),
        ],
    );
    let result = compare_case(&[suspect, partner], &catalog);
    let met = by_key(&result, "met-online-contact");
    assert_eq!(met.status, Status::ByHand, "{}", met.reason);
    assert!(
        met.reason.contains(
            "the suspect's answer does not fit the question as read (a choice, suspect-interview"
        ),
        "{}",
        met.reason
    );
    let s = met.answer(Respondent::Suspect).map(|s| s.asked.exact);
    assert_eq!(s, Some(false), "read with a stand-in text");
    // What still fits is still compared.
    assert_eq!(by_key(&result, "hours-online").status, Status::Agrees);
}

fn hours_and_share(catalog: &Catalog, s: (f64, f64), p: (f64, f64)) -> Vec<Comparison> {
    let answers =
        |(h, sh): (f64, f64)| vec![("hours-online", n(h)), ("online-time-abuse-share", n(sh))];
    let suspect = sitting(
        catalog,
        "s",
        Respondent::Suspect,
        "suspect-interview",
        &newest(catalog, "suspect-interview"),
        &answers(s),
    );
    let partner = sitting(
        catalog,
        "p",
        Respondent::Partner,
        "partner-interview",
        &newest(catalog, "partner-interview"),
        &answers(p),
    );
    compare_case(&[suspect, partner], catalog)
}

/// The 1.1 tolerances as the texts in use give them, at their boundaries.
#[test]
fn the_new_tolerances_at_their_boundaries() {
    let catalog = Catalog::embedded();
    let status = |s: (f64, f64), p: (f64, f64), key: &str| {
        let result = hours_and_share(&catalog, s, p);
        let c = by_key(&result, key);
        (c.status, c.reason.clone())
    };
    // Hours online: max(1, 0.2 × larger).
    for (a, b, want) in [
        (2.0, 7.0, Status::Diverges), // the case: 5 apart, allowed 1.4
        (1.0, 2.0, Status::Agrees),   // 1 apart, allowed 1 (the absolute floor)
        (1.0, 2.01, Status::Diverges),
        (20.0, 24.0, Status::Agrees), // 4 apart, allowed 4.8
        (20.0, 25.0, Status::Agrees), // 5 apart, allowed exactly 5
        (20.0, 25.1, Status::Diverges),
        (10.0, 15.0, Status::Diverges), // the typology's line: 5 apart, allowed 3
    ] {
        let (got, reason) = status((a, 50.0), (b, 50.0), "hours-online");
        assert_eq!(got, want, "{a} vs {b}: {reason}");
    }
    // Share: max(5, 0.2 × larger), none against any diverges.
    for (a, b, want) in [
        (0.0, 10.0, Status::Diverges), // the case
        (0.0, 1.0, Status::Diverges),  // within 5 points, but none against some
        (0.0, 0.0, Status::Agrees),
        (10.0, 15.0, Status::Agrees), // 5 apart, allowed 5
        (10.0, 15.1, Status::Diverges),
        (50.0, 60.0, Status::Agrees), // allowed 12
        (50.0, 62.6, Status::Diverges),
    ] {
        let (got, reason) = status((10.0, a), (10.0, b), "online-time-abuse-share");
        assert_eq!(got, want, "{a} % vs {b} %: {reason}");
    }
    let (_, reason) = status((10.0, 0.0), (10.0, 1.0), "online-time-abuse-share");
    assert!(reason.contains("none against some"), "{reason}");
}

#[test]
fn hours_on_abuse_material_are_worked_out_and_compared_on_their_own_line() {
    let catalog = Catalog::embedded();
    let key = "hours-on-abuse-material";
    // 10 h × 20 % = 2 against 14 h × 30 % = 4.2: 2.2 apart, allowed max(1, 0.84).
    let result = hours_and_share(&catalog, (10.0, 20.0), (14.0, 30.0));
    let c = by_key(&result, key);
    assert_eq!(c.status, Status::Diverges, "{}", c.reason);
    assert_eq!(
        c.derived_from.as_deref(),
        Some(
            &[
                "hours-online".to_string(),
                "online-time-abuse-share".to_string()
            ][..]
        )
    );
    assert!(
        c.reason.starts_with("suspect 2 hours/week, partner 4.2 hours/week: 2.2 hours/week apart, tolerance 1 hours/week (worked out as hours-online × online-time-abuse-share × 0.01"),
        "{}",
        c.reason
    );
    assert_eq!(
        c.answer(Respondent::Suspect).map(|s| s.parts.len()),
        Some(2)
    );
    // Each part agrees within its own tolerance, the product does not: 30 h × 20 % = 6
    // against 36 h × 24 % = 8.64 (hours 6 apart, allowed 7.2; share 4 apart, allowed 5).
    let result = hours_and_share(&catalog, (30.0, 20.0), (36.0, 24.0));
    assert_eq!(by_key(&result, "hours-online").status, Status::Agrees);
    assert_eq!(
        by_key(&result, "online-time-abuse-share").status,
        Status::Agrees
    );
    assert_eq!(by_key(&result, key).status, Status::Diverges);
    // 40 × 20 % = 8 against 50 × 20 % = 10: 2 apart, allowed exactly 2.
    let result = hours_and_share(&catalog, (40.0, 20.0), (50.0, 20.0));
    assert_eq!(by_key(&result, key).status, Status::Agrees);
    // None against some.
    let result = hours_and_share(&catalog, (10.0, 0.0), (10.0, 5.0));
    assert_eq!(by_key(&result, key).status, Status::Diverges);
    // One side gave only one part: that side is a gap, the row still shows the other.
    let suspect = sitting(
        &catalog,
        "s",
        Respondent::Suspect,
        "suspect-interview",
        &newest(&catalog, "suspect-interview"),
        &[("hours-online", n(10.0))],
    );
    let partner = sitting(
        &catalog,
        "p",
        Respondent::Partner,
        "partner-interview",
        &newest(&catalog, "partner-interview"),
        &[
            ("hours-online", n(10.0)),
            ("online-time-abuse-share", n(10.0)),
        ],
    );
    let result = compare_case(&[suspect.clone(), partner], &catalog);
    let c = by_key(&result, key);
    assert_eq!(c.status, Status::Gap, "{}", c.reason);
    assert!(c.answer(Respondent::Suspect).is_none());
    // Neither side has both parts: no row.
    let result = compare_case(&[suspect], &catalog);
    assert!(!result.iter().any(|c| c.key == key));
    // A don't know in a part makes the product uncertain.
    let mut doubt = suspect_with_share(&catalog, AnswerValue::DontKnow);
    doubt.id = "s2".into();
    let partner = sitting(
        &catalog,
        "p",
        Respondent::Partner,
        "partner-interview",
        &newest(&catalog, "partner-interview"),
        &[
            ("hours-online", n(10.0)),
            ("online-time-abuse-share", n(10.0)),
        ],
    );
    let result = compare_case(&[doubt, partner], &catalog);
    let c = by_key(&result, key);
    assert_eq!(c.status, Status::Uncertain, "{}", c.reason);
    assert_eq!(
        c.answer(Respondent::Suspect).map(|s| &s.value),
        Some(&AnswerValue::DontKnow)
    );
}

fn suspect_with_share(catalog: &Catalog, share: AnswerValue) -> Sitting {
    sitting(
        catalog,
        "s",
        Respondent::Suspect,
        "suspect-interview",
        &newest(catalog, "suspect-interview"),
        &[
            ("hours-online", n(10.0)),
            ("online-time-abuse-share", share),
        ],
    )
}

#[test]
fn where_two_texts_give_different_allowances_the_stricter_applies() {
    let loose = Allowance {
        tolerance: Some(1000.0),
        relative: Some(0.5),
        ..Allowance::default()
    };
    let strict = Allowance {
        tolerance: Some(1.0),
        zero_differs: Some(true),
        ..Allowance::default()
    };
    let p = Params::strictest([loose, strict]);
    assert_eq!(p.tolerance, 1.0);
    assert_eq!(p.relative, 0.5, "given by one text only, it stands");
    assert!(p.zero_differs);
    assert_eq!(
        Params::strictest([strict, loose]),
        p,
        "order does not matter"
    );
    assert_eq!(Params::strictest([]), Params::DEFAULT);
}
