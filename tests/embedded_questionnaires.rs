//! The standard set: all six questionnaires embedded, each lint-clean, and the suspect and
//! partner interviews' cross-checks paired key by key with matching answer types.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

use std::collections::BTreeMap;

use interview_companion::questionnaire::{
    AnswerSpec, Catalog, EMBEDDED, Questionnaire, Respondent, lint_set,
};

const STANDARD: [&str; 6] = [
    "capacity-to-protect",
    "core-assessment",
    "partner-interview",
    "risk-judgement",
    "strategy-discussion",
    "suspect-interview",
];

#[test]
fn every_embedded_questionnaire_lints_clean_together() {
    let files: Vec<(String, String)> = EMBEDDED
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    let diags = lint_set(&files, &[]);
    assert!(
        diags.is_empty(),
        "{}",
        diags.iter().map(|d| format!("{d}\n")).collect::<String>()
    );
}

#[test]
fn the_six_standard_questionnaires_are_embedded() {
    let catalog = Catalog::embedded();
    assert!(catalog.problems().is_empty(), "{:?}", catalog.problems());
    let ids: Vec<&str> = catalog.iter().map(|q| q.id()).collect();
    assert_eq!(ids, STANDARD);
}

fn keyed(q: &Questionnaire) -> BTreeMap<String, AnswerSpec> {
    q.questions()
        .filter_map(|(_, question)| {
            let cc = question.cross_check.as_ref()?;
            Some((cc.key.clone(), question.answer.clone()))
        })
        .collect()
}

#[test]
fn suspect_and_partner_cross_checks_pair_up_with_matching_types() {
    let catalog = Catalog::embedded();
    let suspect = &catalog
        .get("suspect-interview")
        .expect("suspect")
        .questionnaire;
    let partner = &catalog
        .get("partner-interview")
        .expect("partner")
        .questionnaire;
    assert_eq!(suspect.header.respondent, Respondent::Suspect);
    assert_eq!(partner.header.respondent, Respondent::Partner);
    let (s, p) = (keyed(suspect), keyed(partner));
    // The guidance marks 12 questions as cross-checkable (London 8.3 ◆/✦); the first has two
    // parts compared separately (hours online, and the share of that time), so 13 keys.
    assert_eq!(
        s.len(),
        13,
        "suspect keys: {:?}",
        s.keys().collect::<Vec<_>>()
    );
    assert_eq!(
        s.keys().collect::<Vec<_>>(),
        p.keys().collect::<Vec<_>>(),
        "the same keys on both sides"
    );
    for (key, answer) in &s {
        assert_eq!(Some(answer), p.get(key), "answer spec of `{key}` differs");
    }
    // Every one of the 12 marked questions is cross-checked.
    let marked: std::collections::BTreeSet<String> = suspect
        .questions()
        .filter(|(_, q)| q.cross_check.is_some())
        .filter_map(|(_, q)| {
            let i = q.source.find(['◆', '✦'])?;
            Some(
                q.source[i..]
                    .chars()
                    .skip(1)
                    .take_while(char::is_ascii_digit)
                    .collect(),
            )
        })
        .collect();
    assert_eq!(marked.len(), 12, "sources of marked questions: {marked:?}");
}

#[test]
fn every_question_cites_its_source() {
    for q in Catalog::embedded().iter() {
        for (_, question) in q.questionnaire.questions() {
            assert!(
                question
                    .source
                    .chars()
                    .any(|c| c.is_ascii_digit() || c == 'A'),
                "{}: question `{}` source {:?} names no section",
                q.id(),
                question.id,
                question.source
            );
        }
    }
}
