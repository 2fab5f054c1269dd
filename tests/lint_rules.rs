//! One test per lint rule: a valid pair of questionnaires (suspect and partner) is broken in
//! exactly one way, and the linter must name the file, the line and the problem.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

use interview_companion::questionnaire::{Diagnostic, lint_set};

const SUSPECT: &str = include_str!("fixtures/suspect.toml");
const PARTNER: &str = include_str!("fixtures/partner.toml");

#[derive(Clone, Copy)]
enum File {
    Suspect,
    Partner,
}

fn lint(suspect: &str, partner: &str) -> Vec<Diagnostic> {
    lint_set(
        &[
            ("suspect.toml".to_string(), suspect.to_string()),
            ("partner.toml".to_string(), partner.to_string()),
        ],
        &[],
    )
}

/// Replaces `from` (which must occur exactly once) with `to` in one file and lints both.
fn broken(file: File, from: &str, to: &str) -> Vec<Diagnostic> {
    let text = match file {
        File::Suspect => SUSPECT,
        File::Partner => PARTNER,
    };
    assert_eq!(
        text.matches(from).count(),
        1,
        "fixture must contain {from:?} once"
    );
    let changed = text.replacen(from, to, 1);
    match file {
        File::Suspect => lint(&changed, PARTNER),
        File::Partner => lint(SUSPECT, &changed),
    }
}

/// Asserts a diagnostic in `file` at `line` whose message contains `needle`.
#[track_caller]
fn expect(diags: &[Diagnostic], file: &str, line: usize, needle: &str) {
    assert!(
        diags
            .iter()
            .any(|d| d.file == file && d.line == line && d.message.contains(needle)),
        "expected {file}:{line}: …{needle}…, got:\n{}",
        diags.iter().map(|d| format!("  {d}\n")).collect::<String>()
    );
}

#[test]
fn fixtures_are_clean() {
    let diags = lint(SUSPECT, PARTNER);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn toml_syntax() {
    let d = broken(File::Suspect, "title = \"Online\"", "title = \"Online");
    expect(&d, "suspect.toml", 10, "");
    assert_eq!(problems(&d), 1);
    // And it says what it could not check because of it.
    assert!(
        d.iter()
            .any(|x| x.is_note() && x.message.contains("valid TOML")),
        "{d:?}"
    );
}

/// The diagnostics that are problems (not notes that a pass could not run).
fn problems(d: &[Diagnostic]) -> usize {
    d.iter().filter(|x| !x.is_note()).count()
}

#[test]
fn one_run_reports_every_unknown_key_and_every_wrong_type_and_what_it_could_not_check() {
    // Broken in four places: it once took a run per problem to find them.
    let text = SUSPECT
        .replacen(
            "source = \"Fixture\"",
            "source = \"Fixture\"\ncolour = \"red\"",
            1,
        )
        .replacen("title = \"Online\"", "title = 3", 1)
        .replacen("max = 168 }", "max = \"lots\" }", 1)
        .replacen("type = \"text\"", "type = \"essay\"", 1);
    let d = lint(&text, PARTNER);
    expect(&d, "suspect.toml", 7, "unknown key `colour`");
    expect(&d, "suspect.toml", 11, "string");
    expect(&d, "suspect.toml", 17, "");
    expect(&d, "suspect.toml", 52, "unknown answer type `essay`");
    assert_eq!(problems(&d), 4, "{d:#?}");
    assert!(
        d.iter().any(|x| x.is_note() && x.message.contains("rules")),
        "says the rules wait for the types: {d:#?}"
    );
    // With the types right, the unknown key no longer hides the rules.
    let text = SUSPECT
        .replacen(
            "source = \"Fixture\"",
            "source = \"Fixture\"\ncolour = \"red\"",
            1,
        )
        .replacen("min = 0, max = 168", "min = 200, max = 168", 1);
    let d = lint(&text, PARTNER);
    expect(&d, "suspect.toml", 7, "unknown key `colour`");
    expect(
        &d,
        "suspect.toml",
        17,
        "min (200) is greater than max (168)",
    );
    assert!(d.iter().all(|x| !x.is_note()), "{d:#?}");
}

#[test]
fn unknown_keys_are_all_reported() {
    let d = broken(
        File::Suspect,
        "source = \"Fixture\"",
        "source = \"Fixture\"\ncolour = \"red\"\nsize = 2",
    );
    expect(&d, "suspect.toml", 7, "unknown key `colour`");
    expect(&d, "suspect.toml", 8, "unknown key `size`");
}

#[test]
fn unknown_key_in_an_answer_type() {
    let d = broken(File::Suspect, "max = 168 }", "max = 168, step = 1 }");
    expect(
        &d,
        "suspect.toml",
        16,
        "unknown key `step` in a `number` answer",
    );
}

#[test]
fn unknown_answer_type() {
    let d = broken(File::Suspect, "type = \"text\"", "type = \"essay\"");
    expect(&d, "suspect.toml", 51, "unknown answer type `essay`");
}

#[test]
fn wrong_value_type() {
    let d = broken(File::Suspect, "title = \"Online\"", "title = 3");
    expect(&d, "suspect.toml", 10, "");
    assert!(d[0].message.contains("string"), "{d:?}");
}

#[test]
fn missing_required_key() {
    let d = broken(File::Suspect, "source = \"Fixture 5\"\n", "");
    assert_eq!(problems(&d), 1, "{d:?}");
    assert!(d[0].message.contains("missing field `source`"), "{d:?}");
}

#[test]
fn duplicate_section_id() {
    let d = broken(File::Suspect, "id = \"other\"", "id = \"online\"");
    expect(&d, "suspect.toml", 38, "duplicate section id `online`");
}

#[test]
fn duplicate_question_id_across_sections() {
    let d = broken(File::Suspect, "id = \"notes\"", "id = \"hours\"");
    expect(&d, "suspect.toml", 48, "duplicate question id `hours`");
}

#[test]
fn empty_prompt() {
    let d = broken(File::Suspect, "prompt = \"Media used\"", "prompt = \"  \"");
    expect(&d, "suspect.toml", 43, "prompt is empty");
}

#[test]
fn id_with_bad_characters() {
    let d = broken(File::Suspect, "id = \"media\"", "id = \"Media Used\"");
    expect(&d, "suspect.toml", 42, "may only use lowercase letters");
}

#[test]
fn bad_version() {
    let d = broken(File::Suspect, "version = \"1.0.0\"", "version = \"one\"");
    expect(&d, "suspect.toml", 3, "version `one`");
}

#[test]
fn choice_without_options() {
    let d = broken(
        File::Suspect,
        "options = [\"Web\", \"Chat\", \"Email\"]",
        "options = []",
    );
    expect(&d, "suspect.toml", 45, "needs at least 2 options, found 0");
}

#[test]
fn choice_with_repeated_option() {
    let d = broken(File::Suspect, "\"Chat\", \"Email\"", "\"Chat\", \"Chat\"");
    expect(&d, "suspect.toml", 45, "`Chat` appears twice");
}

#[test]
fn scale_without_steps() {
    let d = broken(
        File::Suspect,
        "steps = [\"None\", \"Low\", \"High\"]",
        "steps = [\"None\"]",
    );
    expect(&d, "suspect.toml", 23, "needs at least 2 steps");
}

#[test]
fn min_greater_than_max() {
    let d = broken(File::Suspect, "min = 0, max = 168", "min = 200, max = 168");
    expect(
        &d,
        "suspect.toml",
        16,
        "min (200) is greater than max (168)",
    );
}

#[test]
fn cross_check_parameter_that_does_not_fit_the_type() {
    let d = broken(
        File::Suspect,
        "key = \"isolation\", distance = 1",
        "key = \"isolation\", tolerance = 1",
    );
    expect(&d, "suspect.toml", 24, "`tolerance` does not fit");
}

#[test]
fn cross_check_parameter_on_a_yes_no() {
    let d = broken(
        File::Suspect,
        "key = \"promises\" }",
        "key = \"promises\", distance = 1 }",
    );
    expect(&d, "suspect.toml", 31, "takes no comparison parameters");
}

#[test]
fn cross_check_relative_out_of_range() {
    let d = broken(File::Suspect, "relative = 0.25", "relative = 25");
    expect(&d, "suspect.toml", 17, "relative must be between 0 and 1");
}

#[test]
fn cross_check_distance_wider_than_the_scale() {
    let d = broken(File::Suspect, "distance = 1", "distance = 3");
    expect(&d, "suspect.toml", 24, "as wide as the whole scale");
}

#[test]
fn cross_check_key_on_one_side_only() {
    let d = broken(File::Partner, "key = \"isolation\"", "key = \"isolated\"");
    expect(
        &d,
        "suspect.toml",
        24,
        "`isolation` is on the suspect side only",
    );
    expect(
        &d,
        "partner.toml",
        24,
        "`isolated` is on the partner side only",
    );
}

#[test]
fn cross_check_answer_types_differ() {
    let d = broken(
        File::Partner,
        "answer = { type = \"yes_no\" }",
        "answer = { type = \"choice\", options = [\"yes\", \"no\"] }",
    );
    expect(&d, "partner.toml", 31, "answer types differ");
    expect(&d, "suspect.toml", 31, "answer types differ");
}

#[test]
fn cross_check_options_differ() {
    let d = broken(File::Partner, "\"Low\", \"High\"", "\"Some\", \"High\"");
    expect(&d, "partner.toml", 24, "options differ");
}

#[test]
fn cross_check_units_differ() {
    let d = broken(File::Partner, "hours/week", "hours/day");
    expect(&d, "partner.toml", 17, "units differ");
}

#[test]
fn cross_check_number_ranges_differ() {
    let d = broken(File::Partner, "max = 168", "max = 100");
    expect(&d, "partner.toml", 17, "number ranges differ");
}

#[test]
fn cross_check_parameters_differ() {
    let d = broken(File::Partner, "tolerance = 5", "tolerance = 50");
    expect(&d, "partner.toml", 17, "comparison parameters differ");
}

#[test]
fn cross_check_key_used_twice_in_one_file() {
    let d = broken(
        File::Suspect,
        "answer = { type = \"text\" }",
        "answer = { type = \"text\" }\ncross_check = { key = \"hours\" }",
    );
    expect(&d, "suspect.toml", 52, "used twice");
}

#[test]
fn cross_check_with_any_respondent_pairs_with_the_others() {
    // Issue 13: a key is shared by sources, whoever they are (a carer's questionnaire
    // beside the suspect's pairs as the partner's did).
    let d = broken(
        File::Partner,
        "respondent = \"partner\"",
        "respondent = \"carer\"",
    );
    assert!(d.is_empty(), "{d:?}");
}

// ---- a key shared by more than two questionnaires: the practitioners' record ----

/// The practitioners' record (respondent `none`): a scale on `isolation` (its key on line 17), and a yes/no on the suspect's `promises` key (line 24).
const RECORD: &str = "[questionnaire]\nid = \"test-record\"\nversion = \"1.0.0\"\ntitle = \"Test record\"\nrespondent = \"none\"\nsource = \"Fixture\"\n\n[[section]]\nid = \"found\"\ntitle = \"Found\"\n\n[[section.question]]\nid = \"isolated\"\nprompt = \"Level of isolation found\"\nsource = \"Fixture 8\"\nanswer = { type = \"scale\", steps = [\"None\", \"Low\", \"High\"] }\ncross_check = { key = \"isolation\" }\n\n[[section.question]]\nid = \"broke-promises\"\nprompt = \"Promises broken, on the record?\"\nsource = \"Fixture 9\"\nanswer = { type = \"yes_no\" }\ncross_check = { key = \"promises\" }\n";

fn with_record(suspect: &str, partner: &str, record: &str) -> Vec<Diagnostic> {
    lint_set(
        &[
            ("suspect.toml".to_string(), suspect.to_string()),
            ("partner.toml".to_string(), partner.to_string()),
            ("record.toml".to_string(), record.to_string()),
        ],
        &[],
    )
}

#[test]
fn a_key_shared_by_suspect_partner_and_record_is_clean() {
    let d = with_record(SUSPECT, PARTNER, RECORD);
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn a_key_shared_by_one_interview_and_the_record_only_is_clean() {
    // The partner's `promises` question loses its key: the suspect and the record still
    // share it.
    let partner = PARTNER.replacen("cross_check = { key = \"promises\" }\n", "", 1);
    assert_ne!(partner, PARTNER);
    let d = with_record(SUSPECT, &partner, RECORD);
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn a_key_in_the_record_only_is_named() {
    let record = RECORD.replacen("key = \"promises\"", "key = \"promised\"", 1);
    let d = with_record(SUSPECT, PARTNER, &record);
    expect(
        &d,
        "record.toml",
        24,
        "`promised` is on the record side only: no suspect or partner questionnaire",
    );
}

#[test]
fn a_record_question_of_another_type_than_the_interviews_is_named() {
    let record = RECORD.replacen(
        "answer = { type = \"yes_no\" }",
        "answer = { type = \"text\" }",
        1,
    );
    let d = with_record(SUSPECT, PARTNER, &record);
    // Against each interview, in each file.
    expect(
        &d,
        "record.toml",
        24,
        "answer types differ: `yes_no` in test-suspect",
    );
    expect(
        &d,
        "record.toml",
        24,
        "answer types differ: `yes_no` in test-partner",
    );
    expect(&d, "suspect.toml", 31, "answer types differ");
    expect(&d, "partner.toml", 31, "answer types differ");
    // The suspect and partner still agree with each other: no message pairs those two.
    assert!(
        !d.iter()
            .any(|x| x.message.contains("test-suspect") && x.message.contains("test-partner")),
        "{d:?}"
    );
}

#[test]
fn a_record_scale_with_other_steps_is_named() {
    let record = RECORD.replacen(
        "\"None\", \"Low\", \"High\"",
        "\"None\", \"Some\", \"High\"",
        1,
    );
    let d = with_record(SUSPECT, PARTNER, &record);
    expect(&d, "record.toml", 17, "options differ");
}

#[test]
fn record_parameters_that_differ_from_the_interviews_are_named() {
    let record = RECORD.replacen(
        "key = \"isolation\" }",
        "key = \"isolation\", distance = 0 }",
        1,
    );
    let d = with_record(SUSPECT, PARTNER, &record);
    expect(&d, "record.toml", 17, "comparison parameters differ");
}

#[test]
fn prompt_to_act_with_an_answer_the_question_cannot_have() {
    let d = broken(File::Suspect, "when = [\"yes\"]", "when = [\"maybe\"]");
    expect(
        &d,
        "suspect.toml",
        34,
        "`maybe` is not an answer to this question",
    );
}

#[test]
fn prompt_to_act_on_free_text() {
    let d = broken(
        File::Suspect,
        "answer = { type = \"text\" }",
        "answer = { type = \"text\" }\n[[section.question.act]]\nwhen = [\"x\"]\ntext = \"Act\"",
    );
    expect(&d, "suspect.toml", 52, "takes no prompts-to-act");
}

#[test]
fn control_characters_in_text() {
    let d = broken(
        File::Suspect,
        "prompt = \"Anything else\"",
        "prompt = \"Anything \\u001b[31melse\"",
    );
    expect(&d, "suspect.toml", 49, "control character U+001B");
}

#[test]
fn file_too_large() {
    let huge = format!("{SUSPECT}\n# {}\n", "x".repeat(2 * 1024 * 1024));
    let d = lint(&huge, PARTNER);
    expect(&d, "suspect.toml", 1, "limited to");
}

// ---- the zero rule and derived comparisons ----

#[test]
fn zero_differs_fits_numbers_only_and_must_match_across_the_pair() {
    let d = broken(
        File::Suspect,
        "key = \"isolation\", distance = 1",
        "key = \"isolation\", distance = 1, zero_differs = true",
    );
    expect(&d, "suspect.toml", 24, "`zero_differs` does not fit");
    let zero = |text: &str, value: &str| {
        text.replacen(
            "relative = 0.25 }",
            &format!("relative = 0.25, zero_differs = {value} }}"),
            1,
        )
    };
    let same = lint(&zero(SUSPECT, "true"), &zero(PARTNER, "true"));
    assert!(same.is_empty(), "{same:?}");
    // Like every comparison parameter: the same on both sides, or given on one only.
    let one = lint(&zero(SUSPECT, "true"), PARTNER);
    expect(&one, "partner.toml", 17, "comparison parameters differ");
    let differ = lint(&zero(SUSPECT, "true"), &zero(PARTNER, "false"));
    expect(&differ, "partner.toml", 17, "comparison parameters differ");
}

/// A second number cross-check on both sides, and a derived comparison of the two (the
/// suspect file's `[[derived]]` starts on line 60, the partner's on line 44).
const SHARE: &str = "\n[[section.question]]\nid = \"share\"\nprompt = \"Share of that time\"\nsource = \"Fixture 6\"\nanswer = { type = \"number\", unit = \"%\", min = 0, max = 100 }\ncross_check = { key = \"share\", tolerance = 5 }\n";
const DERIVED: &str = "\n[[derived]]\nkey = \"hours-on-it\"\nprompt = \"Hours on it\"\nsource = \"Fixture 7\"\nproduct = [\"hours\", \"share\"]\nfactor = 0.01\nunit = \"hours/week\"\ntolerance = 1\nrelative = 0.2\nzero_differs = true\n";

fn with_derived(suspect_derived: &str, partner_derived: &str) -> Vec<Diagnostic> {
    lint(
        &format!("{SUSPECT}{SHARE}{suspect_derived}"),
        &format!("{PARTNER}{SHARE}{partner_derived}"),
    )
}

#[test]
fn a_derived_comparison_on_both_sides_is_clean() {
    let d = with_derived(DERIVED, DERIVED);
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn a_derived_comparison_on_one_side_only() {
    let d = with_derived(DERIVED, "");
    expect(
        &d,
        "suspect.toml",
        61,
        "derived key `hours-on-it` is on the suspect side only",
    );
}

#[test]
fn a_derived_product_must_be_two_number_cross_checks_of_the_file() {
    let d = with_derived(
        &DERIVED.replace("[\"hours\", \"share\"]", "[\"hours\", \"isolation\"]"),
        DERIVED,
    );
    expect(&d, "suspect.toml", 64, "`isolation` is a `scale` question");
    let d = with_derived(
        &DERIVED.replace("[\"hours\", \"share\"]", "[\"hours\", \"nowhere\"]"),
        DERIVED,
    );
    expect(&d, "suspect.toml", 64, "`nowhere` is not a cross-check key");
    let d = with_derived(
        &DERIVED.replace("[\"hours\", \"share\"]", "[\"hours\"]"),
        DERIVED,
    );
    expect(
        &d,
        "suspect.toml",
        64,
        "exactly two cross-check keys, found 1",
    );
}

#[test]
fn a_derived_key_of_its_own_and_parameters_in_range() {
    let d = with_derived(
        &DERIVED.replace("key = \"hours-on-it\"", "key = \"hours\""),
        DERIVED,
    );
    expect(&d, "suspect.toml", 61, "also a cross-check key");
    let d = with_derived(&DERIVED.replace("factor = 0.01", "factor = 0"), DERIVED);
    expect(&d, "suspect.toml", 65, "factor must be a number above 0");
    let d = with_derived(&DERIVED.replace("relative = 0.2", "relative = 2"), DERIVED);
    expect(&d, "suspect.toml", 68, "relative must be between 0 and 1");
    let d = with_derived(&DERIVED.replace("unit = ", "colour = "), DERIVED);
    expect(
        &d,
        "suspect.toml",
        66,
        "unknown key `colour` in a [[derived]]",
    );
}

#[test]
fn derived_comparisons_must_match_across_the_pair() {
    let d = with_derived(
        DERIVED,
        &DERIVED.replace("unit = \"hours/week\"", "unit = \"hours/day\""),
    );
    expect(&d, "partner.toml", 45, "factor or unit differs");
    let d = with_derived(DERIVED, &DERIVED.replace("tolerance = 1", "tolerance = 9"));
    expect(&d, "partner.toml", 45, "comparison parameters differ");
    // The product's order does not matter: multiplication commutes.
    let d = with_derived(
        DERIVED,
        &DERIVED.replace("[\"hours\", \"share\"]", "[\"share\", \"hours\"]"),
    );
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn older_versions_linted_beside_the_newest_are_not_duplicates() {
    // A board's folder with the released 1.0.0 pair beside a 1.1.0 suspect interview whose
    // `promises` became a choice and a 1.1.0 partner interview to match: only the newest of
    // each id is paired, so the old pair's yes/no raises nothing.
    let bump = |t: &str| t.replacen("version = \"1.0.0\"", "version = \"1.1.0\"", 1);
    let choice = |t: &str| {
        t.replacen(
            "answer = { type = \"yes_no\" }\ncross_check = { key = \"promises\" }",
            "answer = { type = \"choice\", options = [\"No\", \"Once\", \"Often\"] }\ncross_check = { key = \"promises\" }",
            1,
        )
        .replacen("when = [\"yes\"]", "when = [\"Often\"]", 1)
    };
    let files = [
        ("released/suspect-1.0.0.toml", SUSPECT.to_string()),
        ("released/partner-1.0.0.toml", PARTNER.to_string()),
        ("suspect.toml", choice(&bump(SUSPECT))),
        ("partner.toml", choice(&bump(PARTNER))),
    ];
    let files: Vec<(String, String)> = files.into_iter().map(|(n, t)| (n.to_string(), t)).collect();
    let d = lint_set(&files, &[]);
    assert!(d.is_empty(), "{d:?}");
    // Without the new partner interview, the newest suspect interview is paired with the old
    // partner one, and they no longer fit.
    let d = lint_set(&files[..3], &[]);
    expect(&d, "suspect.toml", 31, "answer types differ");
    // The same id and version with different text is an error.
    let twin = vec![
        ("a.toml".to_string(), SUSPECT.to_string()),
        (
            "b.toml".to_string(),
            SUSPECT.replace("Hours online", "Time online"),
        ),
        ("partner.toml".to_string(), PARTNER.to_string()),
    ];
    let d = lint_set(&twin, &[]);
    expect(&d, "b.toml", 3, "is also in a.toml with different text");
}
