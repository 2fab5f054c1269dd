//! The standard set: all six questionnaires embedded, each lint-clean, the suspect and
//! partner interviews' cross-checks paired key by key with matching answer types, and the
//! core assessment's facts paired with the interviews' questions about the same facts.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

use std::collections::BTreeMap;

use interview_companion::questionnaire::{
    AnswerSpec, Catalog, EMBEDDED, Questionnaire, RELEASED, Respondent, lint_set,
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
    // parts compared separately (hours online, and the share of that time), so 13 keys
    // shared by the two interviews (each also has keys shared with the record only).
    let shared: Vec<&String> = s.keys().filter(|k| p.contains_key(*k)).collect();
    assert_eq!(shared.len(), 13, "keys both interviews have: {shared:?}");
    for key in shared {
        assert_eq!(s.get(key), p.get(key), "answer spec of `{key}` differs");
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

#[test]
fn the_released_versions_lint_clean_together() {
    let files: Vec<(String, String)> = RELEASED
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

/// The guidance document a citation is to, by how it starts.
fn document(citation: &str) -> Option<&'static str> {
    let c = citation.trim();
    [
        ("London", "London"),
        ("Pan Bedfordshire", "Pan Bedfordshire"),
        ("Child Abuse and ICT chapter", "Child Abuse and ICT chapter"),
        ("Stockport", "Stockport"),
    ]
    .into_iter()
    .find(|(prefix, _)| c.starts_with(prefix))
    .map(|(_, doc)| doc)
}

/// Every dotted section number in a text (`5.19`, `10.9.7`), as numbers.
fn sections(text: &str) -> Vec<Vec<u32>> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|t| t.trim_matches('.'))
        .filter(|t| t.contains('.'))
        .filter_map(|t| t.split('.').map(|p| p.parse().ok()).collect())
        .collect()
}

/// Whether a questionnaire's `source` covers section `n` of `doc`: listed alone or in a
/// range (`5.3-5.13`).
fn header_covers(header: &str, doc: &str, n: &[u32]) -> bool {
    header
        .split(';')
        .filter(|part| document(part) == Some(doc))
        .flat_map(|part| part.split(','))
        .any(|item| {
            let bounds = sections(item);
            match (item.contains('-'), bounds.as_slice()) {
                (true, [lo, hi]) => lo.as_slice() <= n && n <= hi.as_slice(),
                (_, listed) => listed.iter().any(|s| s == n),
            }
        })
}

/// Issue 16.8: a questionnaire's own `source` names every document and section its items
/// cite, so a reader of the header knows everything the file draws on.
#[test]
fn each_questionnaire_source_names_every_section_its_items_cite() {
    let mut missing = Vec::new();
    for q in Catalog::embedded().iter() {
        let header = &q.questionnaire.header.source;
        let cited = q
            .questionnaire
            .questions()
            .map(|(_, question)| (question.id.as_str(), question.source.as_str()))
            .chain(
                q.questionnaire
                    .derived
                    .iter()
                    .map(|d| (d.key.as_str(), d.source.as_str())),
            );
        for (id, source) in cited {
            for citation in source.split(';') {
                let Some(doc) = document(citation) else {
                    missing.push(format!(
                        "{}: {id} cites an unknown document: {citation}",
                        q.id()
                    ));
                    continue;
                };
                if !header.contains(doc) {
                    missing.push(format!("{}: {id} cites {doc}, the header does not", q.id()));
                }
                if citation.contains("App. C") && !header.contains("Appendix C") {
                    missing.push(format!("{}: {id} cites Appendix C", q.id()));
                }
                for n in sections(citation) {
                    if !header_covers(header, doc, &n) {
                        missing.push(format!(
                            "{}: {id} cites {doc} {n:?}, not in the header's {header:?}",
                            q.id()
                        ));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn a_key_risk_factor_always_carries_the_same_prompt_to_act() {
    // Issue 16.8: every question citing a London 5.7 key risk factor says what the
    // guidance says to consider when one is present.
    const CONSIDER: &str = "consider whether the alleged offender should leave the home during the assessment; if not, how the risks will be managed, including a written agreement.";
    for q in Catalog::embedded().iter() {
        for (_, question) in q.questionnaire.questions() {
            let cites = sections(&question.source).iter().any(|n| n == &[5, 7])
                && question.source.contains("London 5.7")
                && !question.source.contains("5.7 (second paragraph)");
            if question.id == "living-arrangement-decision" || !cites {
                continue; // the decision itself, not a factor
            }
            assert!(
                question.acts.iter().any(|a| a.text.contains(CONSIDER)),
                "{}: {} cites London 5.7 without the key-risk-factor prompt",
                q.id(),
                question.id
            );
        }
    }
}

/// Issue 13: the core assessment's facts found by the police or other agencies (London
/// 5.14) share a key with the interview questions about the same fact, with the same answer
/// type, so each account is checked against the record. Exactly these, each citing its
/// sections on both sides.
#[test]
fn the_record_shares_its_facts_with_the_interviews() {
    let catalog = Catalog::embedded();
    let questionnaire = |id: &str| &catalog.get(id).expect("embedded").questionnaire;
    let record = keyed(questionnaire("core-assessment"));
    let suspect = keyed(questionnaire("suspect-interview"));
    let partner = keyed(questionnaire("partner-interview"));
    // key → (the core assessment's question, which interviews share it)
    let expected: [(&str, &str, bool, bool); 6] = [
        ("domestic-abuse", "domestic-abuse-history", false, true),
        (
            "downloading-near-children",
            "children-present-viewing",
            true,
            true,
        ),
        ("images-created", "home-made-images", true, false),
        ("images-exchanged", "evidence-of-trading", true, false),
        ("material-hidden", "material-hidden", true, false),
        ("social-isolation", "family-isolated", true, true),
    ];
    assert_eq!(
        record.keys().map(String::as_str).collect::<Vec<_>>(),
        expected.map(|e| e.0).to_vec(),
        "the core assessment's cross-checked keys"
    );
    let core = questionnaire("core-assessment");
    for (key, question, in_suspect, in_partner) in expected {
        let q = core
            .questions()
            .find(|(_, q)| q.id == question)
            .map(|(_, q)| q)
            .expect("question");
        assert_eq!(q.cross_check.as_ref().map(|c| c.key.as_str()), Some(key));
        assert!(q.source.contains("London 5.14"), "{question}: {}", q.source);
        for (present, side, name) in [
            (in_suspect, &suspect, "suspect"),
            (in_partner, &partner, "partner"),
        ] {
            assert_eq!(
                side.contains_key(key),
                present,
                "{key} in the {name} interview"
            );
            if present {
                assert_eq!(
                    side.get(key),
                    record.get(key),
                    "{key}: {name} and record differ"
                );
            }
        }
    }
    // Nothing in the strategy discussion states a fact an interview asks about in the same
    // terms, so it shares no key (and the other practitioners' forms none either).
    for id in [
        "strategy-discussion",
        "risk-judgement",
        "capacity-to-protect",
    ] {
        assert!(keyed(questionnaire(id)).is_empty(), "{id}");
    }
}
