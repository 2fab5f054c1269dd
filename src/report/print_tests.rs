//! Issue 15, point 14: units stay in the table cells, multi-line notes stay in their list
//! item, every status is a word and a mark, and every printed page carries the case
//! reference, the protective marking and "page X of Y".

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::tests::fixture;
use super::*;
use crate::compare::Status;

#[test]
fn table_cells_keep_the_units_the_reason_gives() {
    let r = fixture();
    let d = &r.divergences[0];
    assert_eq!(d.key, "hours-online");
    assert!(d.reason.contains("hours/week"), "{}", d.reason);
    let md = to_markdown(&r);
    let row = md
        .lines()
        .find(|l| l.starts_with("| **") && l.contains("online"))
        .unwrap_or_default();
    assert!(row.contains("| 6 hours/week | 30 hours/week |"), "{row}");
    // And in each sitting's list and history.
    assert!(md.contains("— 6 hours/week"), "{md}");
    assert!(md.contains("answered: 5 hours/week"), "{md}");
    let html = to_html(&r);
    assert!(
        html.contains("<td>6 hours/week</td><td>30 hours/week</td>"),
        "{html}"
    );
    // JSON keeps the value as recorded and the unit beside it.
    let json: serde_json::Value = serde_json::from_str(&to_json(&r)).unwrap_or_default();
    assert_eq!(json["divergences"][0]["answers"]["suspect"]["answer"], "6");
    assert_eq!(
        json["divergences"][0]["answers"]["suspect"]["unit"],
        "hours/week"
    );
    let hours = json["sittings"][0]["answers"]
        .as_array()
        .and_then(|a| a.iter().find(|a| a["value"]["number"] == 6.0))
        .cloned()
        .unwrap_or_default();
    assert_eq!(hours["unit"], "hours/week", "{hours}");
}

/// The nesting of list items around each piece of text, and whether it sits in a code
/// block, as a Markdown viewer would see it.
fn text_depths(md: &str) -> Vec<(String, usize, bool)> {
    let (mut depth, mut code, mut out) = (0usize, false, Vec::new());
    for event in Parser::new(md) {
        match event {
            Event::Start(Tag::Item) => depth += 1,
            Event::End(TagEnd::Item) => depth = depth.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => code = true,
            Event::End(TagEnd::CodeBlock) => code = false,
            Event::Text(t) => out.push((t.to_string(), depth, code)),
            _ => {}
        }
    }
    out
}

#[test]
fn a_multi_line_note_stays_in_its_list_item() {
    let mut r = fixture();
    let note = "First line\n   second line, indented as typed\n\nafter an empty line\n- not a list\n\tand a tab";
    let answer = r.sittings[0]
        .answers
        .iter_mut()
        .find(|a| a.note.is_some())
        .unwrap_or_else(|| panic!("the fixture has a note"));
    answer.note = Some(note.into());
    r.sittings[0].observations[0].text = "Seen at the door\nthen left\n\n  came back".into();
    let md = to_markdown(&r);
    let texts = text_depths(&md);
    let of = |needle: &str| {
        texts
            .iter()
            .find(|(t, _, _)| t.contains(needle))
            .cloned()
            .unwrap_or_else(|| panic!("{needle:?} not in the Markdown:\n{md}"))
    };
    // The note is an item inside the answer's item: every line of it at depth 2.
    for line in [
        "Note: First line",
        "second line, indented as typed",
        "after an empty line",
        "not a list",
        "and a tab",
    ] {
        let (_, depth, code) = of(line);
        assert_eq!(depth, 2, "{line:?} left the note's item:\n{md}");
        assert!(!code, "{line:?} became code:\n{md}");
    }
    // An observation is a top-level item: every line at depth 1.
    for line in ["Seen at the door", "then left", "came back"] {
        let (_, depth, code) = of(line);
        assert_eq!(depth, 1, "{line:?} left the observation's item:\n{md}");
        assert!(!code, "{line:?} became code:\n{md}");
    }
    // The answer after the note's is still a sibling of the note's answer.
    let next = r.sittings[0]
        .answers
        .iter()
        .skip_while(|a| a.note.is_none())
        .nth(1)
        .map(|a| a.prompt.clone());
    if let Some(prompt) = next {
        let (_, depth, _) = of(&prompt);
        assert_eq!(depth, 1, "the next answer was swallowed:\n{md}");
    }
}

#[test]
fn every_status_is_a_word_and_a_mark() {
    let r = fixture();
    let md = to_markdown(&r);
    let html = to_html(&r);
    for d in &r.divergences {
        let status = Status::ALL
            .into_iter()
            .find(|s| s.label() == d.status)
            .unwrap_or_else(|| panic!("{}", d.status));
        assert_eq!(d.mark, status.glyph());
        let both = format!("{} {}", status.glyph(), d.status);
        assert!(md.contains(&format!("| **{both}** |")), "{both}: {md}");
        assert!(html.contains(&both), "{both}: {html}");
    }
}

#[test]
fn every_printed_page_carries_the_reference_the_marking_and_its_number() {
    let mut r = fixture();
    let html = to_html(&r);
    let page = html
        .split("@page")
        .nth(1)
        .and_then(|p| p.split("</style>").next())
        .unwrap_or_default();
    assert!(page.contains("size:A4"), "{page}");
    assert!(page.contains("OFFICIAL-SENSITIVE"), "{page}");
    assert!(page.contains("DEMO-0001"), "{page}");
    assert!(
        page.contains("\"page \" counter(page) \" of \" counter(pages)"),
        "{page}"
    );
    // On screen (and where margins are not printed): at the top and the bottom.
    assert_eq!(html.matches("class=\"marking\"").count(), 2, "{html}");
    let md = to_markdown(&r);
    assert!(md.starts_with("**OFFICIAL-SENSITIVE**\n"), "{md}");
    assert!(md.trim_end().ends_with("**OFFICIAL-SENSITIVE**"), "{md}");

    // Configurable, and text in CSS strings cannot end the string or the style sheet.
    r.marking = "OFFICIAL-SENSITIVE \"PERSONAL\"".into();
    r.case.reference = "DEMO-0001 \"</style><script>x</script>\\".into();
    let html = to_html(&r);
    assert!(!html.contains("<script"), "{html}");
    assert_eq!(html.matches("</style>").count(), 1, "{html}");
    let css = html.split("</style>").next().unwrap_or_default();
    for rule in css
        .split("@top")
        .skip(1)
        .chain(css.split("@bottom").skip(1))
    {
        let content = rule
            .split("content:")
            .nth(1)
            .and_then(|c| c.split(';').next())
            .unwrap_or_default();
        // Outside the quoted strings, only the counters and spaces.
        let outside: String = content.split('"').step_by(2).collect();
        assert!(
            outside
                .replace("counter(pages)", "")
                .replace("counter(page)", "")
                .trim()
                .is_empty(),
            "{content}"
        );
    }
    assert!(
        html.contains("OFFICIAL-SENSITIVE &quot;PERSONAL&quot;"),
        "{html}"
    );
    let json: serde_json::Value = serde_json::from_str(&to_json(&r)).unwrap_or_default();
    assert_eq!(json["marking"], "OFFICIAL-SENSITIVE \"PERSONAL\"");
}

#[test]
fn a_marking_is_one_short_line_of_text() {
    assert_eq!(check_marking(DEFAULT_MARKING), Ok(()));
    assert_eq!(check_marking("OFFICIAL-SENSITIVE PERSONAL"), Ok(()));
    let blank = check_marking("  ").expect_err("blank");
    assert!(blank.contains("empty"), "{blank}");
    let two = check_marking("OFFICIAL\nSENSITIVE").expect_err("two lines");
    assert!(two.contains("U+000A"), "{two}");
    let long = check_marking(&"X".repeat(61)).expect_err("long");
    assert!(long.contains("61 characters"), "{long}");
}
