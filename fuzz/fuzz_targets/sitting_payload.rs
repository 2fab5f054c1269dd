//! The decrypted sitting payload parser on arbitrary bytes (see `checks::sitting`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

use std::sync::OnceLock;

use interview_companion::questionnaire::Catalog;
use libfuzzer_sys::fuzz_target;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::embedded)
}

fuzz_target!(|data: &[u8]| checks::sitting(data, catalog()));
