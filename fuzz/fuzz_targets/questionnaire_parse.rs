//! The questionnaire parser and linter on arbitrary text: never a panic, a hang or a stack
//! overflow; every diagnostic points inside the file; a questionnaire that parses has
//! prompts free of control characters (they would reach the terminal).
#![no_main]

use interview_companion::questionnaire::{lint_set, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
});
