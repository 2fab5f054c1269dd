//! The decrypted case payload parser on arbitrary bytes (see `checks::case`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| checks::case(data));
