//! Hostile text in every field a person or another tool can fill: rendered through a real
//! Markdown parser (pulldown-cmark, with GitHub's extensions), it makes no link, image,
//! heading, HTML, code, emphasis or table cell of its own, and no bidi control reaches the
//! Markdown or HTML; the JSON keeps every character as recorded.

use chrono::DateTime;
use pulldown_cmark::{Event, Options, Parser, Tag};

use super::*;
use crate::questionnaire::Respondent;
use crate::session::{Clock, FixedClock, QuestionnaireRef, Subject};

/// Each would be structure, markup or a network request in a Markdown viewer if taken in
/// raw; the last few change the order text is displayed in.
const HOSTILE: &[&str] = &[
    "![x](http://example.invalid/pixel.png)",
    "[click](http://example.invalid/)",
    "<http://example.invalid/auto>",
    "bare http://example.invalid/x and www.example.invalid and someone@example.invalid",
    "<img src=x onerror=alert(1)> <script>alert(1)</script> <!-- c -->",
    "# Heading",
    "line\n# Heading after a break",
    "line\n===",
    "line\n---",
    "line\n- a list\n+ another\n1. numbered\n2) numbered",
    "line\n> quoted",
    "line\n\n        indented code",
    "```\nfenced\n```",
    "~~~\nfenced\n~~~",
    "**bold** *em* _em_ ~~strike~~ `code`",
    "| a | b |\n|---|---|\n| c | d |",
    "&amp; &#x41; &copy;",
    "[ref]: http://example.invalid/def",
    "[^1] footnote\n[^1]: http://example.invalid/note",
    "- [ ] task",
    "back\\slash \\",
    "bidi \u{202e}evil\u{202c} \u{2066}iso\u{2069} \u{200e}\u{200f}\u{061c} end",
];

fn hostile(i: usize) -> String {
    HOSTILE[i % HOSTILE.len()].to_string()
}

/// A report where every user-filled field holds hostile text.
fn report() -> Report {
    let catalog = Catalog::embedded();
    let clock =
        FixedClock::new(DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap_or_default());
    let all = HOSTILE.join("\n");
    let case = Case {
        id: "c".into(),
        reference: all.clone(),
        created: clock.stamp().at,
        subjects: HOSTILE
            .iter()
            .map(|h| Subject {
                role: Respondent::Suspect,
                label: (*h).to_string(),
            })
            .collect(),
    };
    let Some(suspect_q) = catalog.get("suspect-interview") else {
        panic!("embedded suspect interview");
    };
    let mut known = Sitting::new(
        "s".into(),
        "c".into(),
        Respondent::Suspect,
        QuestionnaireRef::from(suspect_q),
        HOSTILE.iter().map(|h| (*h).to_string()).collect(),
        clock.stamp(),
    );
    let text_questions: Vec<String> = suspect_q
        .questionnaire
        .questions()
        .filter(|(_, q)| matches!(q.answer, crate::questionnaire::AnswerSpec::Text))
        .map(|(_, q)| q.id.clone())
        .collect();
    let all_ids: Vec<String> = suspect_q
        .questionnaire
        .questions()
        .map(|(_, q)| q.id.clone())
        .collect();
    for (i, id) in all_ids.iter().enumerate() {
        known.record(
            EventKind::Note {
                question: id.clone(),
                text: hostile(i),
            },
            clock.stamp(),
        );
    }
    for (i, id) in text_questions.iter().enumerate() {
        known.record(
            EventKind::Answer {
                question: id.clone(),
                value: AnswerValue::Text { text: hostile(i) },
            },
            clock.stamp(),
        );
        known.record(
            EventKind::Answer {
                question: id.clone(),
                value: AnswerValue::Text {
                    text: hostile(i + 7),
                },
            },
            clock.stamp(),
        );
    }
    for h in HOSTILE {
        known.record(
            EventKind::Observation {
                text: (*h).to_string(),
            },
            clock.stamp(),
        );
    }
    // A sitting from another tool: questionnaire and question ids of its own.
    let mut foreign = Sitting::new(
        "f".into(),
        "c".into(),
        Respondent::Partner,
        QuestionnaireRef {
            id: hostile(0),
            version: hostile(5),
            ..QuestionnaireRef::from(suspect_q)
        },
        vec![],
        clock.stamp(),
    );
    for (i, h) in HOSTILE.iter().enumerate() {
        foreign.record(
            EventKind::Answer {
                question: (*h).to_string(),
                value: AnswerValue::Text { text: hostile(i) },
            },
            clock.stamp(),
        );
    }
    // A later sitting answering the text questions otherwise: changes between sittings,
    // their answers in the changes table.
    let mut later = Sitting::new(
        "s2".into(),
        "c".into(),
        Respondent::Suspect,
        QuestionnaireRef::from(suspect_q),
        vec![],
        clock.stamp(),
    );
    for (i, id) in text_questions.iter().enumerate() {
        later.record(
            EventKind::Answer {
                question: id.clone(),
                value: AnswerValue::Text {
                    text: hostile(i + 3),
                },
            },
            clock.stamp(),
        );
    }
    build(
        &case,
        &[known, foreign, later],
        &catalog,
        HOSTILE.iter().map(|h| (*h).to_string()).collect(),
        clock.stamp().at,
    )
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
}

#[test]
fn hostile_text_makes_no_markdown_of_its_own() {
    let r = report();
    let md = to_markdown(&r);
    let sittings = r.sittings.len();
    let answers: usize = r.sittings.iter().map(|s| s.answers.len()).sum();
    let (mut headings, mut strong, mut table_rows, mut text) = (0, 0, 0, String::new());
    let (mut columns, mut cells_in_row) = (0, 0);
    for event in Parser::new_ext(&md, options()) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => panic!("a link to {dest_url}"),
            Event::Start(Tag::Image { dest_url, .. }) => panic!("an image from {dest_url}"),
            Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML {h:?}"),
            Event::Start(Tag::Heading { .. }) => headings += 1,
            Event::Start(Tag::Strong) => strong += 1,
            Event::Start(Tag::TableRow | Tag::TableHead) => cells_in_row = 0,
            Event::Start(Tag::TableCell) => cells_in_row += 1,
            Event::End(pulldown_cmark::TagEnd::TableHead) => columns = cells_in_row,
            Event::End(pulldown_cmark::TagEnd::TableRow) => {
                assert_eq!(
                    cells_in_row, columns,
                    "a table row with {cells_in_row} cells"
                );
                table_rows += 1;
            }
            // The report's own code: the digests of the questionnaire texts.
            Event::Code(c) => assert!(
                c.len() == 64 && c.chars().all(|h| h.is_ascii_hexdigit()),
                "inline code {c:?}"
            ),
            Event::Start(
                tag @ (Tag::Emphasis
                | Tag::Strikethrough
                | Tag::CodeBlock(_)
                | Tag::BlockQuote(_)
                | Tag::FootnoteDefinition(_)
                | Tag::DefinitionList
                | Tag::HtmlBlock),
            ) => panic!("{tag:?} from user text"),
            Event::FootnoteReference(f) => panic!("footnote {f}"),
            Event::TaskListMarker(_) => panic!("a task list"),
            Event::Rule => panic!("a thematic break"),
            Event::Text(t) => text.push_str(&t),
            _ => {}
        }
    }
    // The report's own structure only: the case, the cross-checks, the changes between
    // sittings, the questionnaire texts, each sitting, the unreadable files.
    let texts = usize::from(!r.questionnaires.is_empty());
    assert_eq!(headings, 4 + texts + sittings, "{md}");
    let local = r
        .questionnaires
        .iter()
        .filter(|t| t.text.is_local())
        .count();
    // Each row's status and each of its pairs', each answer, each change's kind, and the
    // protective marking, first and last.
    let pairs: usize = r.divergences.iter().map(|d| d.pairs.len()).sum();
    assert_eq!(
        strong,
        2 + r.divergences.len() + pairs + answers + local + r.changes.len(),
        "{md}"
    );
    assert_eq!(
        table_rows,
        r.divergences.len() + r.questionnaires.len() + r.changes.len()
    );
    // Shown as typed, to be read (and nothing fetched).
    for shown in [
        "![x](http://example.invalid/pixel.png)",
        "<img src=x onerror=alert(1)>",
        "**bold** *em* _em_ ~~strike~~ `code`",
        "# Heading",
        "| a | b |",
        "&amp; &#x41; &copy;",
    ] {
        assert!(text.contains(shown), "{shown:?} not shown as text");
    }
    // No bare URL GitHub would link: the scheme, `www.` and `@` are broken up in the
    // source.
    for raw in ["http://", "www.", "someone@"] {
        assert!(!md.contains(raw), "{raw:?} in the Markdown source");
    }
    for c in md.chars() {
        assert!(!crate::untrusted::is_bidi_control(c), "U+{:04X}", c as u32);
        assert!(!c.is_control() || c == '\n', "U+{:04X}", c as u32);
    }
}

#[test]
fn html_marks_bidi_and_json_keeps_every_character() {
    let r = report();
    let html = to_html(&r);
    assert!(!html.chars().any(crate::untrusted::is_bidi_control));
    assert!(!html.contains("<img"), "raw HTML from user text");
    assert!(!html.contains("<script"), "raw HTML from user text");
    assert!(html.contains("bidi \u{fffd}evil\u{fffd}"));
    let json: serde_json::Value = serde_json::from_str(&to_json(&r)).unwrap_or_default();
    assert_eq!(json["case"]["subject"][21]["label"], HOSTILE[21]);
    assert!(
        to_json(&r).contains('\u{202e}'),
        "the JSON is data: kept exactly"
    );
}
