//! Fitting the screen: the help scrolls instead of losing rows, the footer keeps whole hints
//! (save status first, help always), and narrow windows show one pane at a time.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::store::Op;
use crate::tui::action::{Action, Context};
use crate::tui::screens::logging::{Mode, Pane};
use crate::tui::screens::logging_view::single_pane;

/// The rows of a drawn screen.
fn rows(app: &App, w: u16, h: u16) -> Vec<String> {
    let terminal = draw(app, w, h);
    let buffer = terminal.backend().buffer();
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect()
}

/// The footer is the save status (if any), then whole hints from the keymap in its order,
/// the help (or, in the help, its close key) always among them; nothing cut mid-word.
fn check_footer(app: &App, width: u16) {
    let footer = rows(app, width, 24).pop().unwrap();
    let footer = footer.trim_end();
    let one_pane = matches!(app.screen, Screen::Logging(_)) && single_pane(width);
    let items: Vec<_> = app
        .keymap
        .footer_items(app.context())
        .into_iter()
        .filter(|i| i.action != Action::TogglePane || one_pane)
        .collect();
    let mut rest = match footer.split_once("  ") {
        Some((status, rest)) if status.starts_with('✓') || status.starts_with('✗') => {
            assert!(!status.ends_with('…') || width < 80 || status.contains("NOT"));
            format!(" {rest}")
        }
        _ => footer.to_string(),
    };
    let must = if app.context() == Context::Help {
        Action::Cancel
    } else {
        Action::Help
    };
    let mut had_must = false;
    for item in &items {
        let text = format!(" {} {}", item.key, item.word);
        if let Some(after) = rest.strip_prefix(&text) {
            rest = after.to_string();
            had_must |= item.action == must;
        }
    }
    assert!(
        rest.trim().is_empty(),
        "{:?} is not whole hints (left: {rest:?}) in {:?}",
        footer,
        app.context()
    );
    assert!(had_must, "no help key in {footer:?} ({:?})", app.context());
}

/// Every screen and overlay, at 80 and 40 columns.
#[test]
fn footer_keeps_whole_hints_and_help_everywhere() {
    let check = |app: &App| {
        for w in [120, 80, 60, 40] {
            check_footer(app, w);
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let mut setup = App::new(
        Paths::under(dir.path()),
        Catalog::embedded(),
        clock(),
        Theme { mono: true },
    );
    check(&setup);
    setup.screen = Screen::Unlock(crate::tui::screens::unlock::UnlockForm::new(None));
    check(&setup);

    let (mut app, fx) = unlocked_app();
    check(&app);
    app.update(ctrl('n'));
    check(&app);
    press(&mut app, KeyCode::Esc);
    to_logging(&mut app);
    check(&app);
    type_text(&mut app, "25");
    check(&app);
    press(&mut app, KeyCode::Enter);
    check(&app);
    press(&mut app, KeyCode::Tab);
    check(&app);
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "o");
    check(&app);
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "/");
    check(&app);
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "F");
    check(&app);
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "?");
    check(&app);
    press(&mut app, KeyCode::Esc);
    fx.disk
        .fail_every(Op::Rename, std::io::ErrorKind::StorageFull);
    type_text(&mut app, "jjjy");
    check(&app);
    // NOT SAVED leads, in words, even at 40 columns.
    for w in [80, 40] {
        let footer = rows(&app, w, 24).pop().unwrap();
        assert!(footer.starts_with("✗ NOT SAVED"), "{footer}");
        assert!(footer.contains("? help"), "{footer}");
    }
    fx.disk.clear();
    app.update(Msg::Tick);
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.screen, Screen::Case(_)));
    check(&app);
    type_text(&mut app, "s");
    check(&app);
}

#[test]
fn help_scrolls_at_80x24_and_loses_no_row() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    app.size = (80, 24);
    type_text(&mut app, "?");
    let wanted = app.keymap.help_rows(Context::Logging);
    let first = rows(&app, 80, 24);
    let text = first.join("\n");
    assert!(text.contains("▼ 1–21 of"), "{text}");
    let last_row = &wanted.last().unwrap().1;
    assert!(!text.contains(last_row.as_str()), "{text}");
    // Down to the end: every row seen once on the way, and no further.
    let mut seen = text.clone();
    for _ in 0..40 {
        press(&mut app, KeyCode::Down);
        seen.push_str(&rows(&app, 80, 24).join("\n"));
    }
    for (_, desc) in &wanted {
        let start: String = desc.chars().take(30).collect();
        assert!(seen.contains(&start), "{desc:?} never shown");
    }
    let end = app.help_scroll;
    assert!(end > 0);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.help_scroll, end, "stops at the end");
    let text = rows(&app, 80, 24).join("\n");
    assert!(text.contains(last_row.as_str()), "{text}");
    assert!(text.contains("▲ "), "{text}");
    // A page up and down, inside the overlay only.
    press(&mut app, KeyCode::PageUp);
    assert_eq!(app.help_scroll, 0);
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.help_scroll, end);
    assert!(logging_events(&app) == 0, "no key reached the screen");
    assert!(matches!(app.screen, Screen::Logging(_)));
    // Closing and opening again starts at the top.
    press(&mut app, KeyCode::Esc);
    assert!(!app.help);
    type_text(&mut app, "?");
    assert_eq!(app.help_scroll, 0);
    // Where everything fits, nothing scrolls.
    app.size = (120, 60);
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.help_scroll, 0);
    let text = rows(&app, 120, 60).join("\n");
    assert!(!text.contains("▼"), "{text}");
}

fn logging_events(app: &App) -> usize {
    match &app.screen {
        Screen::Logging(s) => s.open.sitting.events.len(),
        _ => 0,
    }
}

#[test]
fn help_fits_every_size_without_losing_words_at_the_edge() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    type_text(&mut app, "?");
    for (w, h) in [(40, 12), (50, 16), (80, 24)] {
        app.size = (w, h);
        app.help_scroll = 0;
        let mut seen = String::new();
        // Scroll until the help stops moving: its length grows with the keymap.
        loop {
            seen.push_str(&rows(&app, w, h).join("\n"));
            let before = app.help_scroll;
            press(&mut app, KeyCode::Down);
            if app.help_scroll == before {
                break;
            }
        }
        // Every description's words appear (wrapped, so word by word).
        for (_, desc) in app.keymap.help_rows(Context::Logging) {
            for word in desc.split(' ') {
                assert!(seen.contains(word), "{word:?} of {desc:?} lost at {w}×{h}");
            }
        }
    }
}

#[test]
fn narrow_windows_show_one_pane_and_v_switches() {
    let (mut app, _fx) = unlocked_app();
    to_logging(&mut app);
    let prompt = "In a typical week, how many";
    let question = rows(&app, 50, 16).join("\n");
    assert!(question.contains("1 of 35"), "{question}");
    assert!(question.contains("Answer: · not asked"), "{question}");
    type_text(&mut app, "v");
    let Screen::Logging(s) = &app.screen else {
        panic!()
    };
    assert_eq!(s.pane, Pane::List);
    let list = rows(&app, 50, 16).join("\n");
    assert!(list.contains("§ Time online"), "{list}");
    assert!(list.contains(&format!("›· ◆ {prompt}")), "{list}");
    assert!(!list.contains("Answer:"), "{list}");
    // Typing always shows the question and its field.
    type_text(&mut app, "2");
    let Screen::Logging(s) = &app.screen else {
        panic!()
    };
    assert!(matches!(s.mode, Mode::Answer(_)));
    let typing = rows(&app, 50, 16).join("\n");
    assert!(typing.contains("Type the answer"), "{typing}");
    press(&mut app, KeyCode::Esc);
    // Wide windows show both, whatever the pane.
    let wide = rows(&app, 100, 30).join("\n");
    assert!(
        wide.contains("Answer:") && wide.contains("§ Time online"),
        "{wide}"
    );
    type_text(&mut app, "v");
    let Screen::Logging(s) = &app.screen else {
        panic!()
    };
    assert_eq!(s.pane, Pane::Question);
}
