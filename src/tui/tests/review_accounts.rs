//! Issue 13 on the review screen: a case holding a core assessment (the record), two suspect
//! sittings and a partner sitting. Each source's answer and each pair's status per question,
//! divergences first, counts by pair; the second view lists the suspect's changes between
//! sittings; Enter opens a question with every source or a change with both answers and the
//! history. Snapshots at 80×24 and 120×40.

use ratatui::crossterm::event::KeyCode;

use super::review::{review, screen_text, snap};
use super::*;
use crate::compare::{ChangeKind, Status};
use crate::questionnaire::Respondent;
use crate::session::{AnswerValue, Clock, EventKind, FixedClock, Subject};
use crate::store::CaseId;
use crate::tui::action::Context;
use crate::tui::screens::case::CaseScreen;
use crate::tui::screens::review::View;

fn yes(yes: bool) -> AnswerValue {
    AnswerValue::YesNo { yes }
}

fn step(s: &str) -> AnswerValue {
    AnswerValue::Scale { step: s.into() }
}

fn number(n: f64) -> AnswerValue {
    AnswerValue::Number { number: n }
}

/// Saves one sitting of `questionnaire` started at `start` (an answer a second apart).
fn sitting(
    app: &App,
    case: &crate::session::Case,
    who: Respondent,
    questionnaire: &str,
    start: &str,
    answers: &[(&str, AnswerValue)],
) {
    let book = app.ctx.book.as_ref().unwrap();
    let clock = FixedClock::new(chrono::DateTime::parse_from_rfc3339(start).unwrap());
    let q = app.ctx.catalog.get(questionnaire).unwrap();
    let mut open = book
        .start_sitting(case, q, who, vec!["Interviewer One".into()], &clock)
        .unwrap();
    for (question, value) in answers {
        assert!(
            q.questionnaire.questions().any(|(_, x)| x.id == *question),
            "{questionnaire} has {question}"
        );
        open.sitting.record(
            EventKind::Answer {
                question: (*question).into(),
                value: value.clone(),
            },
            clock.stamp(),
        );
    }
    book.save_sitting(&open).unwrap();
}

/// The expected status of every key, divergences first.
pub const EXPECTED: [(&str, Status); 5] = [
    ("downloading-near-children", Status::Diverges),
    ("material-hidden", Status::Diverges),
    ("social-isolation", Status::Close),
    ("hours-online", Status::Agrees),
    ("images-exchanged", Status::Agrees),
];

/// Case DEMO-0001: the core assessment, a suspect sitting, the partner's, and a second
/// suspect sitting a week later that changes three answers (one corrected within it).
/// On the review screen.
fn triangulated() -> (App, Fixture) {
    let (mut app, fx) = unlocked_app();
    let case = app
        .ctx
        .book
        .as_ref()
        .unwrap()
        .create_case(
            "DEMO-0001",
            vec![
                Subject {
                    role: Respondent::Suspect,
                    label: "Adult A".into(),
                },
                Subject {
                    role: Respondent::Partner,
                    label: "Adult B".into(),
                },
            ],
            app.ctx.clock.stamp().at,
        )
        .unwrap();
    sitting(
        &app,
        &case,
        Respondent::None,
        "core-assessment",
        "2026-03-02T09:00:00+00:00",
        &[
            ("evidence-of-trading", yes(true)),
            ("material-hidden", yes(true)),
            ("children-present-viewing", yes(true)),
            ("family-isolated", step("High")),
        ],
    );
    sitting(
        &app,
        &case,
        Respondent::Suspect,
        "suspect-interview",
        "2026-03-03T10:00:00+00:00",
        &[
            ("hours-online", number(5.0)),
            ("social-isolation", step("Low")),
            ("material-hidden", yes(false)),
            ("images-exchanged", yes(false)),
            ("downloading-near-children", yes(false)),
        ],
    );
    sitting(
        &app,
        &case,
        Respondent::Partner,
        "partner-interview",
        "2026-03-04T10:00:00+00:00",
        &[
            ("hours-online", number(20.0)),
            ("social-isolation", step("High")),
            ("downloading-near-children", yes(true)),
        ],
    );
    sitting(
        &app,
        &case,
        Respondent::Suspect,
        "suspect-interview",
        "2026-03-10T10:00:00+00:00",
        &[
            // Corrected within the sitting: 12, then 18. One change, 5 to 18.
            ("hours-online", number(12.0)),
            ("hours-online", number(18.0)),
            ("social-isolation", step("Moderate")),
            ("images-exchanged", yes(true)),
        ],
    );
    let id: CaseId = case.id.parse().unwrap();
    app.screen = Screen::Case(CaseScreen::open(&id, &app.ctx).unwrap());
    type_text(&mut app, "r");
    assert!(matches!(app.screen, Screen::Review(_)));
    (app, fx)
}

#[test]
fn each_source_and_each_pair_per_question_divergences_first() {
    let (app, _fx) = triangulated();
    let r = review(&app);
    let got: Vec<(&str, Status)> = r.rows.iter().map(|x| (x.key.as_str(), x.status)).collect();
    assert_eq!(got, EXPECTED);
    assert_eq!(
        r.columns,
        [Respondent::Suspect, Respondent::Partner, Respondent::None]
    );
    let children = &r.rows[0];
    let pairs: Vec<(&str, Status)> = children
        .pairs
        .iter()
        .map(|p| (p.label.as_str(), p.status))
        .collect();
    assert_eq!(
        pairs,
        [
            ("suspect ↔ partner", Status::Diverges),
            ("suspect ↔ record", Status::Diverges),
            ("partner ↔ record", Status::Agrees),
        ]
    );
    assert_eq!(
        children.pairs[1].reason,
        "suspect says no; the record says yes to “Any sign that children were present while material was viewed?”"
    );
    let answers: Vec<Option<&str>> = children
        .sides
        .iter()
        .map(|(_, s)| s.answer.as_deref())
        .collect();
    assert_eq!(answers, [Some("no"), Some("yes"), Some("yes")]);
    // The latest of the suspect's two sittings, and what it was before.
    let hours = r.rows.iter().find(|x| x.key == "hours-online").unwrap();
    let suspect = hours.side(Respondent::Suspect).unwrap();
    assert_eq!(suspect.answer.as_deref(), Some("18 hours/week"));
    assert_eq!(suspect.history.len(), 2, "both suspect sittings");
    // Counts by pair.
    let text = screen_text(&app, 120, 40);
    for want in [
        "suspect ↔ partner ≠1 ≈1 ?0 …0 ✎0 =1 · agree 33% (1 of 3 judged)",
        "suspect ↔ record  ≠2 ≈1 ?0 …0 ✎0 =1 · agree 25% (1 of 4 judged)",
        "partner ↔ record  ≠0 ≈0 ?0 …0 ✎0 =2 · agree 100% (2 of 2 judged)",
        "SUSPECT",
        "PARTNER",
        "RECORD",
        "· ✓ signed · 3 changes",
    ] {
        assert!(text.contains(want), "{want:?} missing:\n{text}");
    }
}

#[test]
fn enter_shows_every_source_with_its_note_and_history() {
    let (mut app, _fx) = triangulated();
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::ReviewDetail);
    let text = screen_text(&app, 120, 40);
    for want in [
        "≠ diverges · downloading-near-children · 1 of 5",
        "≠ diverges · suspect ↔ partner: suspect no, partner yes",
        "≠ diverges · suspect ↔ record: suspect says no; the record says yes to",
        "= agrees · partner ↔ record: partner says yes; the record says yes to",
        " Suspect ",
        " Partner ",
        " Record ",
        "Asked as: Any sign that children were",
        "Read with: core-assessment 1.1.0",
    ] {
        assert!(text.contains(want), "{want:?} missing:\n{text}");
    }
    assert_eq!(text.matches("History (oldest first)").count(), 3, "{text}");
}

#[test]
fn the_changes_view_lists_each_persons_changes_and_opens_one() {
    let (mut app, _fx) = triangulated();
    let r = review(&app);
    let got: Vec<(Respondent, &str, ChangeKind)> = r
        .changes
        .iter()
        .map(|c| (c.person, c.question.as_str(), c.kind))
        .collect();
    assert_eq!(
        got,
        [
            (
                Respondent::Suspect,
                "suspect-interview · hours-online",
                ChangeKind::Changed
            ),
            (
                Respondent::Suspect,
                "suspect-interview · social-isolation",
                ChangeKind::Changed
            ),
            (
                Respondent::Suspect,
                "suspect-interview · images-exchanged",
                ChangeKind::Changed
            ),
        ]
    );
    assert_eq!(
        r.changes[0].reason,
        "suspect 5 hours/week on 2026-03-03, then 18 hours/week on 2026-03-10"
    );
    // Tab: the second view, its own cursor; c too, and back.
    press(&mut app, KeyCode::Tab);
    assert_eq!(review(&app).view, View::Changes);
    let text = screen_text(&app, 120, 40);
    for want in [
        "Changes between sittings · case DEMO-0001 · 3 changes",
        "Per person: Suspect 3 · not listed",
        "Suspect · 3 changes",
        "› Δ changed",
        "5 hours/week",
        "→ 18 hours/week",
    ] {
        assert!(text.contains(want), "{want:?} missing:\n{text}");
    }
    type_text(&mut app, "j");
    assert_eq!(review(&app).change_selected, 1);
    assert_eq!(
        review(&app).selected,
        0,
        "the cross-checks keep their cursor"
    );
    // The filter is for the cross-checks: it says so.
    type_text(&mut app, "d");
    assert!(!review(&app).divergent_only);
    assert!(review(&app).message.is_some());
    // Enter: both answers, their sittings, and the history in each of the two sittings.
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::ReviewDetail);
    let text = screen_text(&app, 120, 40);
    for want in [
        "Δ changed · Suspect · suspect-interview · social-isolation · 2 of 3",
        "Earlier sitting, recorded 2026-03-03",
        "Later sitting, recorded 2026-03-10",
        "Answer: Low",
        "Answer: Moderate",
        "answered Low",
        "answered Moderate",
    ] {
        assert!(text.contains(want), "{want:?} missing:\n{text}");
    }
    assert_eq!(text.matches("Sitting of 2026-03-").count(), 2, "{text}");
    // Left and Right step through the changes.
    press(&mut app, KeyCode::Right);
    assert_eq!(review(&app).detail.unwrap().row, 2);
    press(&mut app, KeyCode::Right);
    assert_eq!(review(&app).detail.unwrap().row, 2);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Review);
    assert_eq!(review(&app).change_selected, 2);
    type_text(&mut app, "c");
    assert_eq!(review(&app).view, View::CrossChecks);
}

#[test]
fn the_help_lists_the_view_key_from_the_keymap() {
    let (mut app, _fx) = triangulated();
    press(&mut app, KeyCode::Char('?'));
    let text = screen_text(&app, 120, 40);
    assert!(
        text.contains("Changes between sittings (again: the cross-checks)"),
        "{text}"
    );
}

#[test]
fn snapshot_review_of_accounts_and_changes() {
    let (mut app, _fx) = triangulated();
    app.theme = Theme { mono: true };
    snap("review_accounts_list", &app);
    press(&mut app, KeyCode::Enter);
    snap("review_accounts_detail", &app);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Tab);
    snap("review_changes", &app);
    press(&mut app, KeyCode::Enter);
    snap("review_change_detail", &app);
}

#[test]
fn the_views_render_at_every_size_without_panic() {
    let (mut app, _fx) = triangulated();
    for keys in ["", "\r", "\x1b\t", "\r"] {
        for c in keys.chars() {
            match c {
                '\r' => press(&mut app, KeyCode::Enter),
                '\x1b' => press(&mut app, KeyCode::Esc),
                '\t' => press(&mut app, KeyCode::Tab),
                c => type_text(&mut app, &c.to_string()),
            }
        }
        for w in [1, 10, 20, 40, 60, 80, 100, 200] {
            for h in [1, 3, 8, 12, 24, 50] {
                let _ = draw(&app, w, h);
            }
        }
    }
}
