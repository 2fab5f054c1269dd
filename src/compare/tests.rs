use chrono::{DateTime, NaiveDate};

use super::*;
use crate::questionnaire::{AnswerSpec, Catalog, Respondent};
use crate::session::{AnswerValue, Clock, EventKind, FixedClock, QuestionnaireRef, Sitting};

fn number_spec() -> AnswerSpec {
    AnswerSpec::Number {
        unit: Some("h/week".into()),
        min: Some(0.0),
        max: Some(168.0),
        integer: false,
    }
}

fn n(x: f64) -> AnswerValue {
    AnswerValue::Number { number: x }
}

fn params(tolerance: f64, relative: f64) -> Params {
    Params {
        tolerance,
        relative,
        ..Params::DEFAULT
    }
}

#[test]
fn numbers_use_the_larger_of_absolute_and_relative_tolerance() {
    let spec = number_spec();
    let p = params(5.0, 0.25);
    // 25 × 0.25 = 6.25 > 5: the relative tolerance applies.
    let (status, reason) = classify(&spec, p, Some(&n(5.0)), Some(&n(25.0)));
    assert_eq!(status, Status::Diverges);
    assert_eq!(
        reason,
        "suspect 5 h/week, partner 25 h/week: 20 h/week apart, tolerance 6.25 h/week"
    );
    // Exactly at the tolerance agrees; just beyond diverges.
    assert_eq!(
        classify(&spec, p, Some(&n(18.75)), Some(&n(25.0))).0,
        Status::Agrees
    );
    assert_eq!(
        classify(&spec, p, Some(&n(18.74)), Some(&n(25.0))).0,
        Status::Diverges
    );
    // Small values: the absolute tolerance applies (5 > 0.25 × 8).
    assert_eq!(
        classify(&spec, p, Some(&n(3.0)), Some(&n(8.0))).0,
        Status::Agrees
    );
    assert_eq!(
        classify(&spec, p, Some(&n(3.0)), Some(&n(8.5))).0,
        Status::Diverges
    );
    assert_eq!(
        classify(&spec, p, Some(&n(7.0)), Some(&n(7.0))).0,
        Status::Agrees
    );
}

#[test]
fn a_boundary_that_binary_floats_miss_still_agrees() {
    // 0.29 × 100 is 28.999999999999996 in binary floating point.
    let (status, _) = classify(
        &number_spec(),
        params(0.0, 0.29),
        Some(&n(71.0)),
        Some(&n(100.0)),
    );
    assert_eq!(status, Status::Agrees);
}

#[test]
fn defaults_mean_exact_equality() {
    let spec = number_spec();
    assert_eq!(
        classify(&spec, Params::DEFAULT, Some(&n(1.0)), Some(&n(1.0))).0,
        Status::Agrees
    );
    assert_eq!(
        classify(&spec, Params::DEFAULT, Some(&n(1.0)), Some(&n(1.5))).0,
        Status::Diverges
    );
}

#[test]
fn yes_no_and_choice_agree_only_when_equal() {
    let yes = AnswerValue::YesNo { yes: true };
    let no = AnswerValue::YesNo { yes: false };
    let p = Params::DEFAULT;
    assert_eq!(
        classify(&AnswerSpec::YesNo, p, Some(&yes), Some(&yes)).0,
        Status::Agrees
    );
    let (status, reason) = classify(&AnswerSpec::YesNo, p, Some(&yes), Some(&no));
    assert_eq!(
        (status, reason.as_str()),
        (Status::Diverges, "suspect yes, partner no")
    );
    let spec = AnswerSpec::Choice {
        options: vec!["A".into(), "B".into()],
    };
    let a = AnswerValue::Choice { option: "A".into() };
    let b = AnswerValue::Choice { option: "B".into() };
    assert_eq!(classify(&spec, p, Some(&a), Some(&a)).0, Status::Agrees);
    assert_eq!(classify(&spec, p, Some(&a), Some(&b)).0, Status::Diverges);
}

#[test]
fn multi_choice_compares_sets_and_names_the_difference() {
    let spec = AnswerSpec::MultiChoice {
        options: vec!["Web".into(), "Chat".into(), "Email".into()],
    };
    let set = |xs: &[&str]| AnswerValue::MultiChoice {
        options: xs.iter().map(|x| x.to_string()).collect(),
    };
    let p = Params::DEFAULT;
    assert_eq!(
        classify(
            &spec,
            p,
            Some(&set(&["Web", "Chat"])),
            Some(&set(&["Chat", "Web"]))
        )
        .0,
        Status::Agrees
    );
    let (status, reason) = classify(
        &spec,
        p,
        Some(&set(&["Web"])),
        Some(&set(&["Chat", "Web", "Email"])),
    );
    assert_eq!(status, Status::Diverges);
    assert!(reason.ends_with("only partner: Chat, Email"), "{reason}");
}

#[test]
fn scales_are_close_within_the_allowed_distance() {
    let spec = AnswerSpec::Scale {
        steps: ["None", "Low", "Moderate", "High"]
            .map(String::from)
            .to_vec(),
    };
    let step = |s: &str| AnswerValue::Scale { step: s.into() };
    let p = Params {
        distance: 1,
        ..Params::DEFAULT
    };
    assert_eq!(
        classify(&spec, p, Some(&step("Low")), Some(&step("Low"))).0,
        Status::Agrees
    );
    let (status, reason) = classify(&spec, p, Some(&step("Low")), Some(&step("Moderate")));
    assert_eq!(status, Status::Close);
    assert_eq!(
        reason,
        "suspect Low, partner Moderate: 1 step apart, allowed 1"
    );
    assert_eq!(
        classify(&spec, p, Some(&step("None")), Some(&step("Moderate"))).0,
        Status::Diverges
    );
    // Distance 0: any difference diverges.
    assert_eq!(
        classify(
            &spec,
            Params::DEFAULT,
            Some(&step("Low")),
            Some(&step("Moderate"))
        )
        .0,
        Status::Diverges
    );
    // A step no longer on the scale cannot be placed.
    assert_eq!(
        classify(&spec, p, Some(&step("Gone")), Some(&step("Low"))).0,
        Status::ByHand
    );
}

#[test]
fn dates_use_days_apart() {
    let d = |day| AnswerValue::Date {
        date: NaiveDate::from_ymd_opt(2026, 3, day)
            .unwrap_or_default()
            .into(),
    };
    let p = Params {
        tolerance_days: 7,
        ..Params::DEFAULT
    };
    assert_eq!(
        classify(&AnswerSpec::Date, p, Some(&d(1)), Some(&d(8))).0,
        Status::Agrees
    );
    assert_eq!(
        classify(&AnswerSpec::Date, p, Some(&d(1)), Some(&d(9))).0,
        Status::Diverges
    );
}

#[test]
fn dates_compare_at_the_precision_given() {
    let d = |s: &str| AnswerValue::Date {
        date: s.parse().unwrap(),
    };
    let at = |days| Params {
        tolerance_days: days,
        ..Params::DEFAULT
    };
    let run = |p, a: &str, b: &str| classify(&AnswerSpec::Date, p, Some(&d(a)), Some(&d(b)));
    // A year agrees with any day in it, and says it is only as fine as the year.
    let (status, reason) = run(at(0), "2019", "2019-03-14");
    assert_eq!(status, Status::Agrees);
    assert_eq!(
        reason,
        "suspect 2019, partner 2019-03-14: consistent as far as the year given"
    );
    assert_eq!(run(at(0), "2019-03", "2019").0, Status::Agrees);
    // Outside the year: the distance is to its nearest day, against the tolerance.
    let (status, reason) = run(at(7), "2019", "2020-01-05");
    assert_eq!(status, Status::Agrees);
    assert!(
        reason.contains("5 days apart at the nearest (one gives only the year)"),
        "{reason}"
    );
    assert_eq!(run(at(3), "2019", "2020-01-05").0, Status::Diverges);
    assert_eq!(run(at(0), "2019-03", "2019-04-01").0, Status::Diverges);
    assert_eq!(run(at(0), "2019", "2019").0, Status::Agrees);
}

#[test]
fn uncertain_gap_and_by_hand() {
    let p = Params::DEFAULT;
    let yes = AnswerValue::YesNo { yes: true };
    let (status, reason) = classify(
        &AnswerSpec::YesNo,
        p,
        Some(&yes),
        Some(&AnswerValue::Declined),
    );
    assert_eq!(
        (status, reason.as_str()),
        (Status::Uncertain, "suspect yes, partner declined")
    );
    assert_eq!(
        classify(
            &AnswerSpec::YesNo,
            p,
            Some(&AnswerValue::DontKnow),
            Some(&AnswerValue::DontKnow)
        )
        .0,
        Status::Uncertain
    );
    let (status, reason) = classify(&AnswerSpec::YesNo, p, None, Some(&yes));
    assert_eq!(
        (status, reason.as_str()),
        (Status::Gap, "partner yes; suspect not asked yet")
    );
    let t = |s: &str| AnswerValue::Text { text: s.into() };
    let (status, reason) = classify(&AnswerSpec::Text, p, Some(&t("same")), Some(&t("same")));
    assert_eq!(
        status,
        Status::ByHand,
        "free text is never judged automatically"
    );
    assert!(
        !reason.contains("same"),
        "the reason does not quote free text"
    );
}

// ---- whole cases ----

fn sitting(
    id: &str,
    respondent: Respondent,
    questionnaire: &str,
    clock: &FixedClock,
    answers: &[(&str, AnswerValue)],
) -> Sitting {
    let mut s = Sitting::new(
        id.into(),
        "case".into(),
        respondent,
        QuestionnaireRef {
            id: questionnaire.into(),
            version: "1.0.0".into(),
            sha256: String::new(),
        },
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

fn question_for_key<'a>(catalog: &'a Catalog, questionnaire: &str, key: &str) -> &'a str {
    catalog
        .get(questionnaire)
        .and_then(|q| {
            q.questionnaire
                .questions()
                .find(|(_, q)| q.cross_check.as_ref().is_some_and(|c| c.key == key))
        })
        .map(|(_, q)| q.id.as_str())
        .unwrap_or_else(|| panic!("{questionnaire} has cross-check key {key}"))
}

#[test]
fn a_case_compares_the_latest_answer_of_each_side_across_sittings() {
    let catalog = Catalog::embedded();
    let clock =
        FixedClock::new(DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap_or_default());
    let s_hours = question_for_key(&catalog, "suspect-interview", "hours-online");
    let p_hours = question_for_key(&catalog, "partner-interview", "hours-online");
    let s_risk = question_for_key(&catalog, "suspect-interview", "risk-taking");
    let s_promises = question_for_key(&catalog, "suspect-interview", "broken-promises-to-stop");
    let p_promises = question_for_key(&catalog, "partner-interview", "broken-promises-to-stop");

    let first = sitting(
        "s1",
        Respondent::Suspect,
        "suspect-interview",
        &clock,
        &[
            (s_hours, n(5.0)),
            (s_promises, AnswerValue::YesNo { yes: false }),
        ],
    );
    let partner = sitting(
        "p1",
        Respondent::Partner,
        "partner-interview",
        &clock,
        &[(p_hours, n(25.0)), (p_promises, AnswerValue::DontKnow)],
    );
    // A later suspect sitting revises the hours; the earlier answer stays in its history.
    let second = sitting(
        "s2",
        Respondent::Suspect,
        "suspect-interview",
        &clock,
        &[
            (s_hours, n(22.0)),
            (s_risk, AnswerValue::YesNo { yes: true }),
        ],
    );

    let result = compare_case(&[first.clone(), partner.clone(), second.clone()], &catalog);
    let by_key = |k: &str| {
        result
            .iter()
            .find(|c| c.key == k)
            .unwrap_or_else(|| panic!("{k} compared"))
    };

    let hours = by_key("hours-online");
    assert_eq!(hours.status, Status::Agrees, "{}", hours.reason);
    assert_eq!(
        hours
            .answer(Respondent::Suspect)
            .map(|s| s.sitting_id.as_str()),
        Some("s2")
    );
    assert_eq!(by_key("broken-promises-to-stop").status, Status::Uncertain);
    assert_eq!(by_key("risk-taking").status, Status::Gap);
    assert_eq!(result.len(), 3, "keys nobody answered are not listed");
    assert!(
        first
            .fold()
            .get(s_hours)
            .is_some_and(|q| q.history.len() == 1)
    );

    // Without the later sitting, the first answer stands and diverges; divergences sort first.
    let result = compare_case(&[first, partner], &catalog);
    assert_eq!(result[0].key, "hours-online");
    assert_eq!(result[0].status, Status::Diverges);
    let counts = summary(&result);
    assert_eq!(counts.get(&Status::Diverges), Some(&1));
    assert_eq!(counts.get(&Status::Uncertain), Some(&1));
}

#[test]
fn the_latest_answer_wins_by_time_not_by_sitting_order() {
    let catalog = Catalog::embedded();
    let late =
        FixedClock::new(DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z").unwrap_or_default());
    let early =
        FixedClock::new(DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap_or_default());
    let q = question_for_key(&catalog, "suspect-interview", "hours-online");
    let newer = sitting(
        "s-new",
        Respondent::Suspect,
        "suspect-interview",
        &late,
        &[(q, n(40.0))],
    );
    let older = sitting(
        "s-old",
        Respondent::Suspect,
        "suspect-interview",
        &early,
        &[(q, n(10.0))],
    );
    let result = compare_case(&[newer, older], &catalog);
    assert_eq!(
        result[0]
            .answer(Respondent::Suspect)
            .map(|s| s.value.clone()),
        Some(n(40.0))
    );
}
