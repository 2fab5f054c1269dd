//! The questionnaire parser and linter on arbitrary text (see `checks::questionnaire`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| checks::questionnaire(data));
