//! The checks each fuzz target makes on one input, shared with the corpus replay in
//! `tests/reliability_fuzz_corpus.rs` (which includes this file by path), so what runs in
//! `cargo test` is exactly what the fuzzers ran.
// Each fuzz target uses one of the checks.
#![allow(dead_code)]

use chrono::DateTime;
use interview_companion::questionnaire::{Catalog, lint_set, parse};
use interview_companion::report;
use interview_companion::session::{Case, Sitting};

/// The questionnaire parser and linter on arbitrary text: never a panic, a hang or a stack
/// overflow; every diagnostic points inside the file; a questionnaire that parses has
/// prompts free of control characters (they would reach the terminal).
pub fn questionnaire(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse("fuzz.toml", text) {
        Ok(q) => {
            for (_, question) in q.questions() {
                assert!(
                    !question
                        .prompt
                        .chars()
                        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r'),
                    "a control character passed the linter"
                );
            }
            // The checks across files, with the file against itself.
            let _ = lint_set(
                &[("fuzz.toml".to_string(), text.to_string())],
                std::slice::from_ref(&q),
            );
        }
        Err(diags) => {
            assert!(!diags.is_empty(), "an error without a diagnostic");
            let lines = text.split('\n').count();
            for d in &diags {
                assert!(
                    d.line >= 1 && d.line <= lines.max(1),
                    "line {} of {lines}",
                    d.line
                );
                assert!(d.column >= 1);
            }
        }
    }
}

/// The decrypted sitting payload parser on arbitrary bytes (anyone who knows the public
/// recipient can make a file that decrypts to anything): never a panic; an accepted record
/// folds, goes into every report format, and can always be written back to a payload that
/// reads back identically (else a resumed sitting could never be saved again).
pub fn sitting(data: &[u8], catalog: &Catalog) {
    let Ok(sitting) = Sitting::from_payload(data) else {
        return;
    };
    let _ = sitting.fold().answered();
    let Ok(now) = DateTime::parse_from_rfc3339("2026-03-02T10:00:00+00:00") else {
        unreachable!("a fixed, valid date");
    };
    let case = Case {
        travel: Default::default(),
        id: sitting.case_id.clone(),
        reference: "FUZZ-1".into(),
        created: now,
        subjects: Vec::new(),
    };
    let built = report::build(
        &case,
        std::slice::from_ref(&sitting),
        catalog,
        Vec::new(),
        now,
    );
    let _ = report::to_markdown(&built);
    let _ = report::to_html(&built);
    let _ = report::to_json(&built);
    let text = sitting
        .to_payload()
        .expect("an accepted record can be written back");
    let again = Sitting::from_payload(text.as_bytes()).expect("own payload reads back");
    assert_eq!(again, sitting);
}

/// The decrypted case payload parser on arbitrary bytes: never a panic; an accepted record
/// can always be written back to a payload that reads back identically.
pub fn case(data: &[u8]) {
    let Ok(case) = Case::from_payload(data) else {
        return;
    };
    let text = case
        .to_payload()
        .expect("an accepted record can be written back");
    let again = Case::from_payload(text.as_bytes()).expect("own payload reads back");
    assert_eq!(again, case);
}
