//! The decrypted sitting payload parser on arbitrary bytes (anyone who knows the public
//! recipient can make a file that decrypts to anything): never a panic; an accepted record
//! folds, goes into every report format, and can always be written back to a payload that
//! reads back identically (else a resumed sitting could never be saved again).
#![no_main]

use std::sync::OnceLock;

use chrono::DateTime;
use interview_companion::questionnaire::Catalog;
use interview_companion::report;
use interview_companion::session::{Case, Sitting};
use libfuzzer_sys::fuzz_target;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::embedded)
}

fuzz_target!(|data: &[u8]| {
    let Ok(sitting) = Sitting::from_payload(data) else {
        return;
    };
    let folded = sitting.fold();
    let _ = folded.answered();
    let now = DateTime::parse_from_rfc3339("2026-03-02T10:00:00+00:00").expect("date");
    let case = Case {
        id: sitting.case_id.clone(),
        reference: "FUZZ-1".into(),
        created: now,
        subjects: Vec::new(),
    };
    let built = report::build(
        &case,
        std::slice::from_ref(&sitting),
        catalog(),
        Vec::new(),
        now,
    );
    let _ = report::to_markdown(&built);
    let _ = report::to_html(&built);
    let _ = report::to_json(&built);
    // Whatever is accepted can be written back: a resumed sitting must stay saveable.
    let text = sitting
        .to_payload()
        .expect("an accepted record can be written back");
    let again = Sitting::from_payload(text.as_bytes()).expect("own payload reads back");
    assert_eq!(again, sitting);
});
