//! Reliability item 7, the part that runs in `cargo test`: every input kept in the fuzz
//! corpora (`fuzz/corpus/<target>/`) and every crash the fuzzers ever found
//! (`fuzz/regressions/<target>/`) goes through the same checks as the fuzz targets in
//! `fuzz/fuzz_targets/` (both use `fuzz/checks.rs`), so a fixed crash stays fixed without
//! nightly Rust.
//!
//! The fuzzing itself (cargo-fuzz, libFuzzer) is run by hand; see RELIABILITY.md.
//! `COMPANION_WRITE_FUZZ_SEEDS=1 cargo test --test reliability_fuzz_corpus` rewrites the
//! payload seeds from fictional records.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

use chrono::DateTime;
use interview_companion::questionnaire::{AnswerSpec, Catalog, Respondent};
use interview_companion::session::{
    AnswerValue, Case, EventKind, QuestionnaireRef, Sitting, Stamp, Subject,
};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Every file kept for `target`: corpus and regressions.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for kind in ["corpus", "regressions"] {
        let dir = fuzz_dir().join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_file() {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn questionnaire_corpus_and_regressions_pass() {
    let inputs = inputs("questionnaire_parse");
    for (path, bytes) in &inputs {
        let r = std::panic::catch_unwind(|| checks::questionnaire(bytes));
        assert!(r.is_ok(), "{} fails", path.display());
    }
    eprintln!(
        "fuzz corpus: {} questionnaire inputs replayed",
        inputs.len()
    );
    assert!(!inputs.is_empty(), "the questionnaire corpus is missing");
}

#[test]
fn payload_corpora_and_regressions_pass() {
    let catalog = Catalog::embedded();
    let sittings = inputs("sitting_payload");
    for (path, bytes) in &sittings {
        let r = std::panic::catch_unwind(|| checks::sitting(bytes, &catalog));
        assert!(r.is_ok(), "{} fails", path.display());
    }
    let cases = inputs("case_payload");
    for (path, bytes) in &cases {
        let r = std::panic::catch_unwind(|| checks::case(bytes));
        assert!(r.is_ok(), "{} fails", path.display());
    }
    eprintln!(
        "fuzz corpus: {} sitting and {} case payloads replayed",
        sittings.len(),
        cases.len()
    );
    assert!(
        !sittings.is_empty() && !cases.is_empty(),
        "a payload corpus is missing"
    );
}

/// Fictional records covering every answer and event kind: the payload seeds.
fn seed_records() -> (Case, Sitting) {
    let at = DateTime::parse_from_rfc3339("2026-03-02T10:00:00+00:00").unwrap();
    let case = Case {
        id: "0123456789abcdef0123456789abcdef".into(),
        reference: "DEMO-0001".into(),
        created: at,
        subjects: vec![
            Subject {
                role: Respondent::Suspect,
                label: "Adult A".into(),
            },
            Subject {
                role: Respondent::Partner,
                label: "Adult B".into(),
            },
        ],
    };
    let catalog = Catalog::embedded();
    let q = catalog.get("suspect-interview").unwrap();
    let mut sitting = Sitting::new(
        "fedcba9876543210fedcba9876543210".into(),
        case.id.clone(),
        Respondent::Suspect,
        QuestionnaireRef::from(q),
        vec!["Interviewer One".into()],
        Stamp { at, wall: None },
    );
    let stamp = Stamp { at, wall: Some(at) };
    for (_, question) in q.questionnaire.questions() {
        let value = match &question.answer {
            AnswerSpec::YesNo => AnswerValue::YesNo { yes: true },
            AnswerSpec::Choice { options } => AnswerValue::Choice {
                option: options[0].clone(),
            },
            AnswerSpec::MultiChoice { options } => AnswerValue::MultiChoice {
                options: options.iter().take(2).cloned().collect(),
            },
            AnswerSpec::Scale { steps } => AnswerValue::Scale {
                step: steps[0].clone(),
            },
            AnswerSpec::Number { .. } => AnswerValue::Number { number: 2.5 },
            AnswerSpec::Text => AnswerValue::Text {
                text: "Forums \"and\" chat\nsecond line".into(),
            },
            AnswerSpec::Date => AnswerValue::Date {
                date: at.date_naive().into(),
            },
        };
        sitting.record(
            EventKind::Answer {
                question: question.id.clone(),
                value,
            },
            stamp.clone(),
        );
    }
    let first = q.questionnaire.questions().next().unwrap().1.id.clone();
    for kind in [
        EventKind::Answer {
            question: first.clone(),
            value: AnswerValue::DontKnow,
        },
        EventKind::Answer {
            question: first.clone(),
            value: AnswerValue::Declined,
        },
        EventKind::Clear {
            question: first.clone(),
        },
        EventKind::Note {
            question: first.clone(),
            text: "Hesitated".into(),
        },
        EventKind::Flag {
            question: first,
            on: true,
        },
        EventKind::Observation {
            text: "Partner came in".into(),
        },
    ] {
        sitting.record(kind, stamp.clone());
    }
    sitting.ended = Some(stamp);
    (case, sitting)
}

#[test]
fn seeds_are_current() {
    let (case, sitting) = seed_records();
    let seeds = [
        ("case_payload", "seed-case.toml", case.to_payload().unwrap()),
        (
            "sitting_payload",
            "seed-sitting.toml",
            sitting.to_payload().unwrap(),
        ),
    ];
    let write = std::env::var("COMPANION_WRITE_FUZZ_SEEDS").is_ok();
    for (target, name, text) in seeds {
        let path = fuzz_dir().join("corpus").join(target).join(name);
        if write {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        let kept = std::fs::read(&path).unwrap_or_default();
        // A seed the program no longer reads is stale: the fuzzer would start from records
        // that stop at the first check.
        let reads = match target {
            "case_payload" => Case::from_payload(&kept).is_ok(),
            _ => Sitting::from_payload(&kept).is_ok(),
        };
        assert!(
            reads,
            "{} is stale; rewrite with COMPANION_WRITE_FUZZ_SEEDS=1",
            path.display()
        );
    }
}
