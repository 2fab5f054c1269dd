//! Reliability item 5: hostile questionnaires and hostile text in records.
//!
//! - Malformed TOML, wrong types, huge files, deep nesting (arrays, inline tables, dotted
//!   keys, table headers: toml's recursion limit must answer, never a stack overflow), very
//!   long strings, control characters and terminal escape sequences in prompts: each is a
//!   diagnostic with file:line:column (library and the real `questionnaires lint`), never a
//!   crash, and a local file that fails is left out while the rest load.
//! - Text that gets past the linter (bidi overrides) or never met it (records written by
//!   another tool, with escape sequences in the reference, labels, answers, notes and
//!   observations) is drawn inert: no control character in any cell of any screen, and the
//!   REAL binary's output to the terminal carries none of the hostile sequences.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use chrono::DateTime;
use interview_companion::paths::Paths;
use interview_companion::questionnaire::{Catalog, MAX_FILE_BYTES, Respondent, parse};
use interview_companion::records::CaseBook;
use interview_companion::session::{AnswerValue, EventKind, FixedClock, Subject};
use interview_companion::store::{CaseStore, RealDisk, Recipients, UnlockedIdentity};
use interview_companion::tui::app::{App, Screen};
use interview_companion::tui::input::Msg;
use interview_companion::tui::theme::Theme;
use interview_companion::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const HEADER: &str = "[questionnaire]\nid = \"hostile\"\nversion = \"1.0.0\"\ntitle = \"Hostile\"\nrespondent = \"none\"\nsource = \"test\"\n";

fn with_question(prompt_toml: &str) -> String {
    format!(
        "{HEADER}\n[[section]]\nid = \"a\"\ntitle = \"A\"\n\n[[section.question]]\nid = \"q1\"\nprompt = {prompt_toml}\nsource = \"test\"\nanswer = {{ type = \"yes_no\" }}\n"
    )
}

/// Parses `text` in a thread with a 1 MiB stack (an eighth of a main thread's): a recursion
/// the parser does not bound would overflow it at these depths and abort the whole test
/// binary, which is the point. (Bounded, a debug build needs about 300 KiB.)
fn parse_small_stack(text: String) -> Result<(), Vec<String>> {
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            parse("hostile.toml", &text)
                .map(|_| ())
                .map_err(|d| d.iter().map(ToString::to_string).collect())
        })
        .unwrap()
        .join()
        .expect("the parser panicked")
}

fn refused(text: String, what: &str) -> Vec<String> {
    let started = Instant::now();
    let diags = match parse_small_stack(text) {
        Ok(()) => panic!("{what}: accepted"),
        Err(d) => d,
    };
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{what}: took {:?}",
        started.elapsed()
    );
    assert!(!diags.is_empty(), "{what}");
    for d in &diags {
        assert!(d.starts_with("hostile.toml:"), "{what}: {d}");
        assert!(
            !d.contains('\u{1b}'),
            "{what}: a diagnostic carries ESC: {d:?}"
        );
    }
    diags
}

#[test]
fn malformed_toml_and_wrong_types_are_diagnosed_with_positions() {
    let cases: Vec<(&str, String, &str)> = vec![
        ("unclosed string", format!("{HEADER}x = \"abc\n"), ":7:"),
        ("bare junk", "[questionnaire\nid = 1".into(), ":1:"),
        ("duplicate key", format!("{HEADER}id = \"again\"\n"), ":7:"),
        ("binary", "\u{0}\u{1}\u{2}garbage".into(), ":1:"),
        ("id not a string", HEADER.replace("\"hostile\"", "7"), ":2:"),
        (
            "unknown respondent",
            HEADER.replace("\"none\"", "\"robot\""),
            ":5:",
        ),
        (
            "title a table",
            HEADER.replace("\"Hostile\"", "{ a = 1 }"),
            ":4:",
        ),
        (
            "answer type unknown",
            with_question("\"Q?\"").replace("yes_no", "telepathy"),
            ":",
        ),
        (
            "sections not an array",
            format!("{HEADER}section = \"lots\"\n"),
            ":",
        ),
    ];
    for (what, text, at) in cases {
        let diags = refused(text, what);
        assert!(diags.iter().any(|d| d.contains(at)), "{what}: {diags:?}");
    }
}

#[test]
fn deep_nesting_hits_the_recursion_limit_not_the_stack() {
    let n = 100_000;
    let cases = [
        (
            "arrays",
            format!("{HEADER}x = {}{}\n", "[".repeat(n), "]".repeat(n)),
        ),
        (
            "inline tables",
            format!("{HEADER}x = {}1{}\n", "{ a = ".repeat(n), " }".repeat(n)),
        ),
        ("dotted keys", format!("{HEADER}{}b = 1\n", "a.".repeat(n))),
        ("table header", format!("{HEADER}[{}b]\n", "a.".repeat(n))),
        (
            "array of tables header",
            format!("{HEADER}[[{}b]]\n", "a.".repeat(n)),
        ),
    ];
    for (what, text) in cases {
        assert!(text.len() < MAX_FILE_BYTES, "{what}");
        refused(text, what);
    }
    // Just under toml's limit: parsed (and refused for the unknown key), still no overflow.
    refused(
        format!("{HEADER}x = {}{}\n", "[".repeat(40), "]".repeat(40)),
        "40 deep",
    );
}

#[test]
fn huge_files_and_long_strings_are_bounded() {
    // Over the limit: refused before parsing, at once.
    let huge = with_question(&format!("\"{}\"", "A".repeat(5 * MAX_FILE_BYTES)));
    let started = Instant::now();
    let diags = refused(huge, "5 MiB");
    assert!(diags[0].contains("limited to"), "{diags:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    // A file on disk over the limit is left out by the catalog without reading it whole,
    // and the embedded questionnaires still load.
    let dir = tempfile::tempdir().unwrap();
    let f = std::fs::File::create(dir.path().join("huge.toml")).unwrap();
    f.set_len(200 * MAX_FILE_BYTES as u64).unwrap();
    let catalog = Catalog::load(Some(dir.path()));
    assert_eq!(catalog.len(), Catalog::embedded().len());
    assert!(
        catalog
            .problems()
            .iter()
            .any(|p| p.left_out && p.message.contains("limited to"))
    );

    // Just under the limit: a 1 MiB prompt, and a thousand questions. Parsed in bounded
    // time, and a long prompt draws without trouble.
    let long = with_question(&format!(
        "\"{}\"",
        "word ".repeat((MAX_FILE_BYTES - 500) / 5)
    ));
    assert!(long.len() <= MAX_FILE_BYTES);
    let started = Instant::now();
    let q = parse("long.toml", &long).unwrap();
    eprintln!(
        "questionnaires: a {} byte prompt parsed in {:?}",
        long.len(),
        started.elapsed()
    );
    assert!(q.questions().next().unwrap().1.prompt.len() > 1_000_000);
    let mut many = format!("{HEADER}\n[[section]]\nid = \"a\"\ntitle = \"A\"\n");
    for i in 0..1_000 {
        many.push_str(&format!(
            "\n[[section.question]]\nid = \"q{i}\"\nprompt = \"Question {i}?\"\nsource = \"test\"\nanswer = {{ type = \"yes_no\" }}\n"
        ));
    }
    let started = Instant::now();
    assert_eq!(parse("many.toml", &many).unwrap().question_count(), 1_000);
    eprintln!(
        "questionnaires: 1,000 questions parsed in {:?}",
        started.elapsed()
    );
}

#[test]
fn control_characters_and_escape_sequences_in_prompts_are_refused() {
    let hostile = [
        ("ESC CSI", "\\u001b[31mred"),
        ("OSC title", "\\u001b]0;PWNED\\u0007"),
        ("OSC 52 clipboard", "\\u001b]52;c;SGVsbG8=\\u0007"),
        ("BEL", "ring\\u0007"),
        ("bare CR (overwrites the line)", "fine\\rEVIL"),
        ("backspace", "abc\\bX"),
        ("DEL", "abc\\u007f"),
        ("C1 CSI", "\\u009b31m"),
        ("NUL", "a\\u0000b"),
    ];
    for (what, escaped) in hostile {
        let text = with_question(&format!("\"Do you agree? {escaped}\""));
        let diags = refused(text, what);
        assert!(
            diags.iter().any(|d| d.contains("control character")),
            "{what}: {diags:?}"
        );
    }
    // The same in a multi-line literal string (raw, not escaped), in guidance and options.
    let raw = with_question("'''\nline\u{1b}[2Jcleared'''");
    refused(raw, "raw ESC in a literal string");
    let in_option = with_question("\"Q?\"").replace(
        "answer = { type = \"yes_no\" }",
        "answer = { type = \"choice\", options = [\"ok\", \"bad\\u001b[5m\"] }",
    );
    refused(in_option, "ESC in an option");
    // And the real binary's linter says so too, exit 1, without echoing the escape.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.toml");
    std::fs::write(&file, with_question("\"Q \\u001b]0;PWNED\\u0007\"")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_companion"))
        .args(["questionnaires", "lint"])
        .arg(&file)
        .env("COMPANION_HOME", dir.path().join("home"))
        .output()
        .unwrap();
    let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
    let shown = String::from_utf8_lossy(&all);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(shown.contains("hostile.toml:"), "{shown}");
    assert!(shown.contains("control character"), "{shown}");
    assert!(
        !all.contains(&0x1b),
        "the linter echoed an escape: {shown:?}"
    );
}

/// Hostile text for records written by another tool (they never met the linter).
const HOSTILE: [&str; 7] = [
    "\u{1b}]0;PWNED-TITLE\u{7}",
    "\u{1b}]52;c;UFdORUQ=\u{7}",
    "\u{1b}[2J\u{1b}[H",
    "\u{1b}P0;1|PWNED\u{1b}\\",
    "\u{9b}31mC1",
    "bell\u{7}\rover",
    "\u{202e}desrever\u{202c}",
];

fn hostile(tag: &str) -> String {
    format!("{tag} {}", HOSTILE.concat())
}

/// A case and sitting holding hostile text everywhere text can be.
fn hostile_records(book: &CaseBook, clock: &FixedClock) -> String {
    use interview_companion::session::Clock;
    let case = book
        .create_case(
            &format!("EVIL-1 {}", HOSTILE.concat()),
            vec![Subject {
                role: Respondent::Suspect,
                label: hostile("label"),
            }],
            clock.stamp().at,
        )
        .unwrap();
    let catalog = Catalog::embedded();
    let q = catalog.get("suspect-interview").unwrap();
    let mut open = book
        .start_sitting(
            &case,
            q,
            Respondent::Suspect,
            vec![hostile("interviewer")],
            clock,
        )
        .unwrap();
    let text_question = q
        .questionnaire
        .questions()
        .find(|(_, q)| q.answer.type_name() == "text")
        .unwrap()
        .1
        .id
        .clone();
    let first = q.questionnaire.questions().next().unwrap().1.id.clone();
    for kind in [
        EventKind::Answer {
            question: text_question,
            value: AnswerValue::Text {
                text: hostile("answer"),
            },
        },
        EventKind::Note {
            question: first.clone(),
            text: hostile("note"),
        },
        EventKind::Observation {
            text: hostile("observation"),
        },
        EventKind::Flag {
            question: first,
            on: true,
        },
    ] {
        open.sitting.record(kind, clock.stamp());
    }
    book.save_sitting(&open).unwrap();
    case.id
}

fn assert_inert(terminal: &Terminal<TestBackend>, what: &str) {
    for cell in terminal.backend().buffer().content() {
        let sym = cell.symbol();
        assert!(
            !sym.chars().any(|c| c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)),
            "{what}: a cell holds {sym:?}"
        );
    }
}

#[test]
fn hostile_text_in_records_is_drawn_inert_on_every_screen() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    let identity = UnlockedIdentity::generate();
    let store = CaseStore::new(&paths, RealDisk, Recipients::single(identity.recipient()));
    let book = CaseBook::with_store(store, identity);
    let clock = FixedClock::new(DateTime::parse_from_rfc3339("2026-03-02T10:00:00+00:00").unwrap());
    hostile_records(&book, &clock);
    let mut app = App::unlocked(
        paths,
        Catalog::embedded(),
        Box::new(clock),
        Theme { mono: false },
        Box::new(book),
    );
    let key = |app: &mut App, code: KeyCode| {
        app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    };
    let check = |app: &App, what: &str| {
        for (w, h) in [(120, 40), (80, 24), (50, 16)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| view::render(app, f)).unwrap();
            assert_inert(&terminal, &format!("{what} at {w}x{h}"));
        }
    };
    check(&app, "case list");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Case(_)));
    check(&app, "case screen");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Logging(_)));
    check(&app, "logging screen");
    // Every question's detail (the cursor walks the whole list), then the flagged list,
    // the note editor and help.
    for _ in 0..40 {
        key(&mut app, KeyCode::Down);
        check(&app, "logging screen, walking");
    }
    key(&mut app, KeyCode::Home);
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('F'),
        KeyModifiers::SHIFT,
    )));
    check(&app, "flagged list");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Tab);
    check(&app, "note editor");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::F(1));
    check(&app, "help");
}

#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn the_real_binary_never_sends_hostile_sequences_to_the_terminal() {
    use common::*;
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    init_home(&home);
    let reader = book(&home);
    let clock = FixedClock::new(DateTime::parse_from_rfc3339("2026-03-02T10:00:00+00:00").unwrap());
    hostile_records(&reader, &clock);
    // A local questionnaire the linter accepts but that holds a bidi override.
    let local = dir.path().join("questionnaires");
    std::fs::create_dir_all(&local).unwrap();
    std::fs::write(
        local.join("bidi.toml"),
        with_question("\"Do you \u{202e}eerga\u{202c}?\""),
    )
    .unwrap();
    let launch = Launch {
        home: Some(home.clone()),
        args: vec!["--questionnaires".into(), local.display().to_string()],
        ..Launch::default()
    };
    let mut tui = Tui::launch(&launch);
    tui.unlock(PASSPHRASE, "EVIL-1");
    tui.keys(ENTER, "Case EVIL-1");
    // Each wait is for text the screen before does not show ("answered" alone is on the
    // case screen's sitting row too), so each key goes to the screen it is meant for.
    tui.keys(ENTER, " answered · ⚑");
    for _ in 0..40 {
        tui.send("j");
    }
    tui.pump(Duration::from_millis(500));
    tui.keys(ESC, "Case EVIL-1");
    // The marks stand where the controls were, one column each, as a terminal shows them.
    tui.wait_for(&format!(
        "Case EVIL-1 {MARK_SHOWN}]0;PWNED-TITLE{MARK_SHOWN}{MARK_SHOWN}]52;"
    ));
    tui.keys("s", "Start a sitting");
    // Narrow the list to the local one by its id.
    let catalog = Catalog::load(Some(&local));
    assert!(catalog.get("hostile").is_some());
    tui.keys("hostile", "Questionnaire: hostile");
    tui.keys(ENTER, "Do you");
    let raw = tui.quit();
    assert_clean_output(&raw);
    assert!(
        raw.windows(4).any(|w| w == b"\x1b[6n"),
        "the check saw no output"
    );
}

/// No OSC, DCS, C1 CSI, BEL, bidi override or bare CR from the program: none of these is
/// anything ratatui or crossterm sends, so any one would be hostile text gone through raw.
fn assert_clean_output(raw: &[u8]) {
    let forbidden: [(&str, &[u8]); 7] = [
        ("OSC", b"\x1b]"),
        ("DCS", b"\x1bP"),
        ("C1 CSI", "\u{9b}".as_bytes()),
        ("BEL", b"\x07"),
        ("RLO", "\u{202e}".as_bytes()),
        ("PDF", "\u{202c}".as_bytes()),
        ("bare CR", b"\r"),
    ];
    for (what, seq) in forbidden {
        if let Some(at) = raw.windows(seq.len()).position(|w| w == seq) {
            let from = at.saturating_sub(40);
            let to = (at + 40).min(raw.len());
            panic!(
                "{what} reached the terminal at byte {at}: {:?}",
                String::from_utf8_lossy(&raw[from..to])
            );
        }
    }
}
