//! The decrypted case payload parser on arbitrary bytes: never a panic; an accepted record
//! can always be written back to a payload that reads back identically.
#![no_main]

use interview_companion::session::Case;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(case) = Case::from_payload(data) else {
        return;
    };
    let text = case
        .to_payload()
        .expect("an accepted record can be written back");
    let again = Case::from_payload(text.as_bytes()).expect("own payload reads back");
    assert_eq!(again, case);
});
