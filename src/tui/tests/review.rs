//! The review screen: a case with a suspect and a partner sitting of known differences,
//! through the keys (open from the case screen, filter, detail, back), snapshots at 80×24 and
//! 120×40, renders at every size, and inert record text.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::compare::Status;
use crate::questionnaire::{Catalog, Respondent};
use crate::session::{AnswerValue, EventKind, Subject};
use crate::store::CaseId;
use crate::tui::action::Context;
use crate::tui::screens::case::CaseScreen;
use crate::tui::screens::review::{ReviewScreen, agreement_share};
use crate::tui::screens::review_view::fit;

fn yes(yes: bool) -> AnswerValue {
    AnswerValue::YesNo { yes }
}

fn step(s: &str) -> AnswerValue {
    AnswerValue::Scale { step: s.into() }
}

fn number(n: f64) -> AnswerValue {
    AnswerValue::Number { number: n }
}

fn choice(o: &str) -> AnswerValue {
    AnswerValue::Choice { option: o.into() }
}

enum Ev<'a> {
    Answer(&'a str, AnswerValue),
    Note(&'a str, &'a str),
    Flag(&'a str),
}

/// Saves one sitting with these events through the records (the app's book and clock).
fn sitting(app: &App, case: &crate::session::Case, who: Respondent, events: &[Ev]) {
    let book = app.ctx.book.as_ref().unwrap();
    let id = match who {
        Respondent::Suspect => "suspect-interview",
        _ => "partner-interview",
    };
    let q = app.ctx.catalog.get(id).unwrap();
    let mut open = book
        .start_sitting(
            case,
            q,
            who,
            vec!["Interviewer One".into()],
            app.ctx.clock.as_ref(),
        )
        .unwrap();
    for e in events {
        let kind = match e {
            Ev::Answer(question, value) => EventKind::Answer {
                question: (*question).into(),
                value: value.clone(),
            },
            Ev::Note(question, text) => EventKind::Note {
                question: (*question).into(),
                text: (*text).into(),
            },
            Ev::Flag(question) => EventKind::Flag {
                question: (*question).into(),
                on: true,
            },
        };
        open.sitting.record(kind, app.ctx.clock.stamp());
    }
    book.save_sitting(&open).unwrap();
}

/// The expected status of every key the fixture answers, and of the hours on abuse material
/// worked out from two of them (5 × 10 % against 25 × 15 %).
const EXPECTED: [(&str, Status); 11] = [
    ("emotional-withdrawal", Status::Diverges),
    ("hours-on-abuse-material", Status::Diverges),
    ("hours-online", Status::Diverges),
    ("life-disruption", Status::Close),
    ("emotional-support", Status::Uncertain),
    ("risk-taking", Status::Uncertain),
    ("online-preoccupation", Status::Gap),
    ("social-isolation", Status::Gap),
    ("met-online-contact", Status::Agrees),
    ("online-time-abuse-share", Status::Agrees),
    ("reduced-sexual-interest", Status::Agrees),
];

/// Case DEMO-0001 with a suspect sitting and two partner sittings of known differences;
/// ends on the case screen.
fn case_with_sittings() -> (App, Fixture, CaseId) {
    let (mut app, fx) = unlocked_app();
    let case = {
        let book = app.ctx.book.as_ref().unwrap();
        let subjects = vec![
            Subject {
                role: Respondent::Suspect,
                label: "Adult A".into(),
            },
            Subject {
                role: Respondent::Partner,
                label: "Adult B".into(),
            },
        ];
        book.create_case("DEMO-0001", subjects, app.ctx.clock.stamp().at)
            .unwrap()
    };
    use Ev::*;
    sitting(
        &app,
        &case,
        Respondent::Suspect,
        &[
            Answer("hours-online", number(7.0)),
            Answer("hours-online", number(5.0)),
            Note("hours-online", "Said: evenings only\nLooked away"),
            Flag("hours-online"),
            Answer("online-time-abuse-share", number(10.0)),
            Answer("life-disruption", step("Moderate")),
            Answer("reduced-sexual-interest", yes(true)),
            Answer("emotional-withdrawal", yes(false)),
            Answer("emotional-support", AnswerValue::DontKnow),
            Answer("social-isolation", step("Low")),
            Answer("risk-taking", yes(true)),
            Answer("met-online-contact", choice("No")),
        ],
    );
    sitting(
        &app,
        &case,
        Respondent::Partner,
        &[
            Answer("hours-online", number(20.0)),
            Answer("online-time-abuse-share", number(15.0)),
            Answer("life-disruption", step("High")),
            Answer("reduced-sexual-interest", yes(true)),
        ],
    );
    sitting(
        &app,
        &case,
        Respondent::Partner,
        &[
            Answer("hours-online", number(25.0)),
            Note("hours-online", "Sure of it"),
            Answer("emotional-withdrawal", yes(true)),
            Answer("emotional-support", step("Low")),
            Answer("online-preoccupation", yes(true)),
            Answer("risk-taking", AnswerValue::Declined),
            Answer("met-online-contact", choice("No")),
        ],
    );
    let id: CaseId = case.id.parse().unwrap();
    app.screen = Screen::Case(CaseScreen::open(&id, &app.ctx).unwrap());
    (app, fx, id)
}

pub(super) fn review(app: &App) -> &ReviewScreen {
    match &app.screen {
        Screen::Review(s) => s,
        _ => panic!("not on the review screen"),
    }
}

/// On the review screen, opened from the case screen with its key.
fn reviewing() -> (App, Fixture) {
    let (mut app, fx, _) = case_with_sittings();
    type_text(&mut app, "r");
    assert!(
        matches!(app.screen, Screen::Review(_)),
        "r opens the review"
    );
    (app, fx)
}

pub(super) fn screen_text(app: &App, w: u16, h: u16) -> String {
    let terminal = draw(app, w, h);
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

#[test]
fn every_status_as_the_engine_says_divergences_first() {
    let (app, _fx) = reviewing();
    let r = review(&app);
    let got: Vec<(&str, Status)> = r.rows.iter().map(|x| (x.key.as_str(), x.status)).collect();
    assert_eq!(got, EXPECTED);
    let n = |s| r.counts.get(&s).copied().unwrap_or(0);
    assert_eq!(n(Status::Diverges), 3);
    assert_eq!(n(Status::Close), 1);
    assert_eq!(n(Status::Uncertain), 2);
    assert_eq!(n(Status::Gap), 2);
    assert_eq!(n(Status::ByHand), 0);
    assert_eq!(n(Status::Agrees), 3);
    // agrees / (agrees + close + diverges) = 3 / 7.
    assert_eq!(agreement_share(&r.counts), Some((3, 7)));
    // Latest answers across sittings, with units; the gap side is empty.
    let hours = &r.rows[2];
    assert_eq!(
        hours.side(Respondent::Suspect).unwrap().answer.as_deref(),
        Some("5 hours/week")
    );
    assert_eq!(
        hours.side(Respondent::Partner).unwrap().answer.as_deref(),
        Some("25 hours/week")
    );
    assert!(
        hours.reason.contains("20 hours/week apart"),
        "{}",
        hours.reason
    );
    let gap = r.rows.iter().find(|x| x.key == "social-isolation").unwrap();
    assert_eq!(gap.side(Respondent::Partner).unwrap().answer, None);
    // Each side's history keeps the earlier answers, per sitting.
    assert_eq!(hours.side(Respondent::Suspect).unwrap().history.len(), 1);
    assert_eq!(hours.side(Respondent::Partner).unwrap().history.len(), 2);
    let texts: Vec<&str> = hours.side(Respondent::Suspect).unwrap().history[0]
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "answered 7 hours/week",
            "answered 5 hours/week",
            "note: Said: evenings only Looked away",
            "flagged for follow-up"
        ]
    );
    // Status words and glyphs are on screen, not only colours.
    let text = screen_text(&app, 120, 40);
    for (_, status) in EXPECTED {
        assert!(
            text.contains(&format!("{} {}", status.glyph(), status.label())),
            "{status} missing:\n{text}"
        );
    }
    // Counts by pair, each with its agreement share: agrees / (agrees + close + diverges).
    assert!(
        text.contains("suspect ↔ partner ≠3 ≈1 ?2 …2 ✎0 =3 · agree 43% (3 of 7 judged)"),
        "{text}"
    );
    assert!(
        text.contains("suspect ↔ record  ≠0 ≈0 ?0 …1 ✎0 =0 · agree — (none judged)"),
        "{text}"
    );
    // The derived row: each side's product, with how it was worked out.
    let product = &r.rows[1];
    assert_eq!(
        product.side(Respondent::Suspect).unwrap().answer.as_deref(),
        Some("0.5 hours/week")
    );
    assert_eq!(
        product.side(Respondent::Partner).unwrap().answer.as_deref(),
        Some("3.75 hours/week")
    );
    assert!(
        product
            .reason
            .contains("suspect 5 hours/week × 10 %, partner 25 hours/week × 15 %"),
        "{}",
        product.reason
    );
}

#[test]
fn filter_keeps_divergences_only_and_the_selection() {
    let (mut app, _fx) = reviewing();
    type_text(&mut app, "jj");
    assert_eq!(review(&app).current().unwrap().key, "hours-online");
    type_text(&mut app, "d");
    let r = review(&app);
    assert!(r.divergent_only);
    assert_eq!(r.visible().len(), 3);
    assert_eq!(r.current().unwrap().key, "hours-online");
    let text = screen_text(&app, 120, 40);
    assert!(text.contains("divergences only (3 of 11)"), "{text}");
    let list = text.split_once("STATUS").unwrap().1;
    assert_eq!(list.matches("≠ diverges").count(), 3, "{text}");
    for other in ["≈ close", "? uncertain", "… gap", "= agrees"] {
        assert!(!list.contains(other), "{other} under the filter:\n{text}");
    }
    // Down stops at the last visible row.
    type_text(&mut app, "jjj");
    assert_eq!(review(&app).selected, 2);
    // Again: everything, the selection kept on the same question.
    type_text(&mut app, "kd");
    let r = review(&app);
    assert!(!r.divergent_only);
    assert_eq!(r.current().unwrap().key, "hours-on-abuse-material");
    // Selected on a non-divergence, the filter falls back to the first row.
    type_text(&mut app, "jjj");
    type_text(&mut app, "d");
    assert_eq!(review(&app).selected, 0);
}

#[test]
fn enter_opens_a_question_esc_goes_back_and_arrows_step() {
    let (mut app, _fx) = reviewing();
    type_text(&mut app, "jj");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::ReviewDetail);
    let text = screen_text(&app, 120, 40);
    let suspect_hash = app
        .ctx
        .catalog
        .get("suspect-interview")
        .unwrap()
        .hash
        .clone();
    for want in [
        "≠ diverges · hours-online · 3 of 11",
        "Answer: 5 hours/week",
        "Answer: 25 hours/week",
        "Note: Said: evenings only",
        "Note: Sure of it",
        "answered 7 hours/week",
        "answered 20 hours/week",
        "History (oldest first)",
        "Asked as: In a typical week, how many hours in total is",
        // Which texts the comparison used, and each side's.
        "suspect read with suspect-interview 1.1.0 (embedded",
        "from partner-interview 1.1.0 (embedded) and suspect-interview 1.1.0 (embedded)",
        "Read with: suspect-interview 1.1.0, embedded",
        &format!("sha256 {}…", &suspect_hash[..16]),
        "Read with: partner-interview 1.1.0, embedded",
    ] {
        assert!(text.contains(want), "{want:?} missing:\n{text}");
    }
    // Scrolling never goes negative nor runs away.
    press(&mut app, KeyCode::Up);
    assert_eq!(review(&app).detail.unwrap().scroll, 0);
    for _ in 0..500 {
        press(&mut app, KeyCode::Down);
    }
    assert!(review(&app).detail.unwrap().scroll < 100);
    // Right/Left step through the visible questions, and stop at the ends.
    press(&mut app, KeyCode::Right);
    assert_eq!(review(&app).detail.unwrap().row, 3);
    assert_eq!(review(&app).detail.unwrap().scroll, 0);
    for _ in 0..20 {
        press(&mut app, KeyCode::Right);
    }
    assert_eq!(review(&app).detail.unwrap().row, 10);
    for _ in 0..20 {
        press(&mut app, KeyCode::Left);
    }
    assert_eq!(review(&app).detail.unwrap().row, 0);
    // The gap's missing side says so.
    type_text(&mut app, "lllllll");
    let text = screen_text(&app, 120, 40);
    assert!(text.contains("social-isolation"), "{text}");
    assert!(text.contains("Not answered yet"), "{text}");
    // The record's panel says how the core assessment asks it, though it has no answer.
    assert!(
        text.contains("Asked as: How socially isolated is the"),
        "{text}"
    );
    // Esc: back to the list, on the question that was open; Esc again: the case.
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Review);
    assert_eq!(review(&app).current().unwrap().key, "social-isolation");
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.screen, Screen::Case(_)));
}

#[test]
fn help_comes_from_the_keymap_and_esc_closes_it_first() {
    let (mut app, _fx) = reviewing();
    let rows = app.keymap.help_rows(Context::Review);
    assert!(
        rows.iter()
            .any(|(k, d)| k == "d" && d.starts_with("Divergences only"))
    );
    let footer = app.keymap.footer(Context::Case);
    assert!(footer.iter().any(|(k, w)| k == "r" && w == "review"));
    type_text(&mut app, "?");
    assert!(app.help);
    press(&mut app, KeyCode::Esc);
    assert!(!app.help);
    assert!(matches!(app.screen, Screen::Review(_)));
}

#[test]
fn command_line_review_opens_after_unlock_or_says_why_not() {
    let (mut app, _fx, _) = case_with_sittings();
    app.screen = Screen::Cases(crate::tui::screens::cases::CasesScreen::load(&app.ctx));
    app.open_review = Some("demo-0001".into());
    // Any key that reaches a screen once unlocked opens it (after unlock: the Enter).
    press(&mut app, KeyCode::Down);
    assert_eq!(review(&app).rows.len(), 11);
    assert!(app.open_review.is_none());
    app.open_review = Some("NOPE-9".into());
    press(&mut app, KeyCode::Down);
    let Screen::Cases(c) = &app.screen else {
        panic!("the case list, saying why")
    };
    assert!(
        c.message
            .as_deref()
            .unwrap()
            .contains("No case with reference")
    );
}

#[test]
fn record_text_is_inert() {
    let (mut app, _fx, id) = case_with_sittings();
    let record = app.ctx.book.as_ref().unwrap().open_case(&id).unwrap();
    let case = record.case.unwrap();
    sitting(
        &app,
        &case,
        Respondent::Suspect,
        &[
            Ev::Answer("hours-online", number(6.0)),
            Ev::Note("hours-online", "\u{1b}[2J\u{1b}]0;evil\u{7}said\u{202e}x"),
        ],
    );
    app.screen = Screen::Case(CaseScreen::open(&id, &app.ctx).unwrap());
    type_text(&mut app, "rjj");
    press(&mut app, KeyCode::Enter);
    let text = screen_text(&app, 120, 40);
    assert!(text.contains("said"), "{text}");
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(!text.contains('\u{202e}'));
}

#[test]
fn no_colour_theme_sets_no_colours() {
    let (mut app, _fx) = reviewing();
    app.theme = Theme { mono: true };
    for keys in ["", "d", "\n"] {
        for c in keys.chars() {
            press(
                &mut app,
                if c == '\n' {
                    KeyCode::Enter
                } else {
                    KeyCode::Char(c)
                },
            );
        }
        let terminal = draw(&app, 120, 40);
        for cell in terminal.backend().buffer().content() {
            assert_eq!(cell.fg, ratatui::style::Color::Reset);
            assert_eq!(cell.bg, ratatui::style::Color::Reset);
        }
    }
}

#[test]
fn fit_cuts_and_pads_to_the_column() {
    assert_eq!(fit("abc", 5), "abc  ");
    assert_eq!(fit("abcdef", 4), "abc…");
    assert_eq!(fit("abc", 0), "");
    assert_eq!(fit("日本語", 4), "日… ");
    assert_eq!(fit("", 2), "  ");
}

/// Snapshots at two sizes, with the questionnaires' digests masked (same width, so the
/// layout shows as drawn): an edit to a questionnaire's text must not churn every review
/// snapshot. The digests themselves are checked in `enter_opens_a_question…`.
pub(super) fn snap(name: &str, app: &App) {
    for (w, h) in [(80, 24), (120, 40)] {
        let terminal = draw(app, w, h);
        let mut text = scrubbed(&terminal);
        for q in app.ctx.catalog.iter() {
            text = text.replace(&q.hash[..16], "################");
        }
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

#[test]
fn snapshot_review_list_filtered_and_detail() {
    let (mut app, _fx) = reviewing();
    app.theme = Theme { mono: true };
    snap("review_list", &app);
    type_text(&mut app, "d");
    snap("review_divergences", &app);
    type_text(&mut app, "jj");
    press(&mut app, KeyCode::Enter);
    snap("review_detail", &app);
    // The derived comparison in detail: each side's product and how it was worked out.
    press(&mut app, KeyCode::Left);
    snap("review_detail_derived", &app);
}

#[test]
fn snapshot_review_of_a_case_without_cross_checks() {
    let (mut app, _fx) = unlocked_app();
    app.update(ctrl('n'));
    type_text(&mut app, "DEMO-0002");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "r");
    assert!(review(&app).rows.is_empty());
    let text = screen_text(&app, 80, 24);
    assert!(text.contains("No cross-checked question"), "{text}");
    assert!(text.contains("No pair compared yet"), "{text}");
    // Nothing to open or filter; keys do nothing harmful.
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "djk");
    assert_eq!(app.context(), Context::Review);
}

#[test]
fn renders_at_every_size_without_panic() {
    let (mut app, _fx) = reviewing();
    type Step = Box<dyn Fn(&mut App)>;
    let steps: Vec<Step> = vec![
        Box::new(|_| {}),
        Box::new(|a| type_text(a, "jjjjjjjj")),
        Box::new(|a| type_text(a, "d")),
        Box::new(|a| press(a, KeyCode::Enter)),
        Box::new(|a| type_text(a, "jjjjjjjjjjjj")),
        Box::new(|a| type_text(a, "?")),
        Box::new(|a| {
            press(a, KeyCode::Esc);
            press(a, KeyCode::Esc);
            type_text(a, "d");
        }),
    ];
    for step in steps {
        step(&mut app);
        for w in (1..=200)
            .step_by(sweep_stride(7))
            .chain([1, 2, 20, 40, 59, 60, 80, 200])
        {
            for h in (1..=60)
                .step_by(sweep_stride(5))
                .chain([1, 6, 12, 15, 16, 24, 60])
            {
                draw(&app, w, h);
            }
        }
    }
}

#[test]
fn locking_drops_the_review_and_asks_for_it_again_after_unlock() {
    let (mut app, _fx) = reviewing();
    let id = review(&app).id.to_string();
    app.update(ctrl('l'));
    assert!(app.is_locked());
    let Screen::Unlock(form) = &app.screen else {
        panic!("the unlock screen")
    };
    assert!(
        form.resume.is_none(),
        "no decrypted review kept while locked"
    );
    assert_eq!(app.open_review.as_deref(), Some(id.as_str()));
}

#[test]
fn texts_not_available_and_local_questionnaires_are_named_on_the_list() {
    let (mut app, _fx, id) = case_with_sittings();
    // A suspect sitting recorded with a text this program does not have (a local file since
    // removed): the list says so, once, and reads it with the newest text.
    {
        let book = app.ctx.book.as_ref().unwrap();
        let case = book.open_case(&id).unwrap().case.unwrap();
        let q = app.ctx.catalog.get("suspect-interview").unwrap();
        let mut open = book
            .start_sitting(
                &case,
                q,
                Respondent::Suspect,
                vec![],
                app.ctx.clock.as_ref(),
            )
            .unwrap();
        open.sitting.questionnaire.version = "1.0.2".into();
        open.sitting.questionnaire.sha256 = "ab".repeat(32);
        open.sitting.record(
            EventKind::Answer {
                question: "risk-taking".into(),
                value: yes(false),
            },
            app.ctx.clock.stamp(),
        );
        book.save_sitting(&open).unwrap();
    }
    // A local partner interview in use, giving the hours a huge tolerance.
    let dir = tempfile::tempdir().unwrap();
    let partner = app.ctx.catalog.get("partner-interview").unwrap();
    let version = partner.version().to_string();
    let local = partner
        .text()
        .replacen(
            &format!("version = \"{version}\""),
            &format!("version = \"{version}.1\""),
            1,
        )
        .replacen(
            "cross_check = { key = \"hours-online\", tolerance = 1, relative = 0.2 }",
            "cross_check = { key = \"hours-online\", tolerance = 1000 }",
            1,
        );
    std::fs::write(dir.path().join("partner.toml"), local).unwrap();
    app.ctx.catalog = Catalog::load(Some(dir.path()));
    app.screen = Screen::Case(CaseScreen::open(&id, &app.ctx).unwrap());
    type_text(&mut app, "r");
    let r = review(&app);
    assert_eq!(r.text_notices.len(), 2, "{:?}", r.text_notices);
    assert!(
        r.text_notices[0].ends_with("used a LOCAL questionnaire (marked LOCAL; Enter shows which)"),
        "{:?}",
        r.text_notices
    );
    assert!(
        r.text_notices[1].starts_with("A sitting: Recorded with suspect-interview 1.0.2 (sha256 abababababababab…), not a standard text"),
        "{:?}",
        r.text_notices
    );
    // The local text cannot loosen the embedded suspect interview's allowance: still ≠.
    let hours = r.rows.iter().find(|x| x.key == "hours-online").unwrap();
    assert_eq!(hours.status, Status::Diverges);
    assert!(hours.local);
    assert!(
        hours.texts.starts_with("LOCAL questionnaire used: "),
        "{}",
        hours.texts
    );
    let text = screen_text(&app, 120, 40);
    assert!(
        text.contains("LOCAL questionnaire · suspect 5 hours/week"),
        "{text}"
    );
    assert!(
        text.contains("⚠ A sitting: Recorded with suspect-interview 1.0.2"),
        "{text}"
    );
}
