//! The README's key tables are the keymap's own (helix's docs-drift check): each table
//! between `<!-- keys: SCREEN -->` and `<!-- /keys -->` must be exactly what the embedded
//! keymap gives for that screen. `COMPANION_UPDATE_README=1 cargo test --test readme_keys`
//! writes them afresh after a change to `src/tui/keymap.toml`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use interview_companion::tui::action::Context;
use interview_companion::tui::keymap::Keymap;

const START: &str = "<!-- keys: ";
const END: &str = "<!-- /keys -->";

fn table(keymap: &Keymap, context: Context) -> Vec<String> {
    let mut lines = vec![
        "| keys | what they do |".to_string(),
        "|---|---|".to_string(),
    ];
    lines.extend(keymap.markdown_rows(context));
    lines
}

/// The README with every marked table as the keymap gives it, and the screens marked.
fn regenerated(readme: &str, keymap: &Keymap) -> (String, Vec<Context>) {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        out.push(line.to_string());
        let Some(name) = line
            .strip_prefix(START)
            .and_then(|r| r.strip_suffix(" -->"))
        else {
            continue;
        };
        let context = Context::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .unwrap_or_else(|| panic!("README marks an unknown screen {name:?}"));
        seen.push(context);
        out.extend(table(keymap, context));
        // Skip the old table, keep the end marker.
        for old in lines.by_ref() {
            if old == END {
                out.push(old.to_string());
                break;
            }
        }
    }
    (out.join("\n") + "\n", seen)
}

#[test]
fn readme_key_tables_match_the_keymap() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let keymap = Keymap::default_keys();
    let (fresh, seen) = regenerated(&readme, &keymap);
    if std::env::var("COMPANION_UPDATE_README").as_deref() == Ok("1") {
        std::fs::write(path, &fresh).unwrap();
        return;
    }
    for must in [
        Context::Global,
        Context::Logging,
        Context::Review,
        Context::ReviewDetail,
    ] {
        assert!(seen.contains(&must), "README has no key table for {must:?}");
    }
    assert!(
        fresh == readme,
        "README's key tables differ from src/tui/keymap.toml; run \
         `COMPANION_UPDATE_README=1 cargo test --test readme_keys` and review the diff"
    );
}

#[test]
fn a_changed_keymap_is_caught() {
    // The check can fail: a keymap with one description changed gives another README.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let changed = Keymap::default_keys()
        .merged(
            "test.toml",
            "[[logging]]\nkeys = [\"y\"]\naction = \"yes\"\ndesc = \"Say yes loudly\"\n",
        )
        .unwrap();
    let (fresh, _) = regenerated(&readme, &changed);
    assert_ne!(fresh, readme);
    assert!(fresh.contains("| `y` | Say yes loudly |"));
}
