//! Loading: the embedded set, a local folder on top, overrides by id and version, and bad
//! local files left out without stopping anything.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

use std::fs;
use std::path::Path;

use interview_companion::questionnaire::{Catalog, EMBEDDED, Origin};

const SUSPECT: &str = include_str!("fixtures/suspect.toml");

fn write(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).expect("write fixture");
}

fn with_version(text: &str, version: &str) -> String {
    text.replacen(
        "version = \"1.0.0\"",
        &format!("version = \"{version}\""),
        1,
    )
}

#[test]
fn a_local_questionnaire_is_added_beside_the_embedded_set() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "mine.toml", SUSPECT);
    let catalog = Catalog::load(Some(dir.path()));
    assert_eq!(catalog.len(), Catalog::embedded().len() + 1);
    let q = catalog
        .get("test-suspect")
        .expect("local questionnaire loaded");
    assert_eq!(q.origin, Origin::Local(dir.path().join("mine.toml")));
    assert_eq!(q.hash.len(), 64);
}

#[test]
fn a_missing_local_folder_is_not_a_problem() {
    let catalog = Catalog::load(Some(Path::new("/nonexistent/companion/questionnaires")));
    assert!(catalog.problems().is_empty(), "{:?}", catalog.problems());
    assert_eq!(catalog.len(), EMBEDDED.len());
}

#[test]
fn the_higher_version_wins_whatever_the_file_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.toml", &with_version(SUSPECT, "1.10.0"));
    write(dir.path(), "b.toml", &with_version(SUSPECT, "1.9.0"));
    let catalog = Catalog::load(Some(dir.path()));
    let q = catalog.get("test-suspect").expect("loaded");
    assert_eq!(q.questionnaire.header.version, "1.10.0");
    let older: Vec<_> = catalog
        .problems()
        .iter()
        .filter(|p| p.file.ends_with("b.toml"))
        .collect();
    assert_eq!(older.len(), 1, "{:?}", catalog.problems());
    assert!(older[0].message.contains("older"), "{older:?}");
}

#[test]
fn same_id_and_version_with_different_content_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.toml", SUSPECT);
    write(
        dir.path(),
        "b.toml",
        &SUSPECT.replace("Hours online", "Time online"),
    );
    let catalog = Catalog::load(Some(dir.path()));
    let q = catalog.get("test-suspect").expect("loaded");
    assert_eq!(q.origin, Origin::Local(dir.path().join("a.toml")));
    let p = catalog
        .problems()
        .iter()
        .find(|p| p.file.ends_with("b.toml"))
        .expect("conflict reported");
    assert!(p.left_out);
    assert!(p.message.contains("different content"), "{p}");
}

#[test]
fn the_same_file_twice_is_not_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.toml", SUSPECT);
    write(dir.path(), "b.toml", SUSPECT);
    let catalog = Catalog::load(Some(dir.path()));
    assert!(catalog.get("test-suspect").is_some());
    assert!(
        !catalog.problems().iter().any(|p| p.left_out),
        "{:?}",
        catalog.problems()
    );
}

#[test]
fn a_malformed_local_file_is_reported_and_left_out_and_the_rest_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.toml", SUSPECT);
    write(dir.path(), "broken.toml", "[questionnaire\nid = 1");
    write(dir.path(), "notes.txt", "not a questionnaire, ignored");
    let catalog = Catalog::load(Some(dir.path()));
    assert!(catalog.get("test-suspect").is_some());
    let p = &catalog.problems()[0];
    assert!(p.file.ends_with("broken.toml") && p.left_out, "{p}");
    assert!(p.message.contains("line 1"), "{p}");
    let left_out: Vec<_> = catalog.problems().iter().filter(|p| p.left_out).collect();
    assert_eq!(left_out.len(), 1, "{left_out:?}");
    // The fixture's cross-check keys have no partner among the embedded set: a warning only.
    assert!(
        catalog
            .problems()
            .iter()
            .any(|p| !p.left_out && p.message.contains("suspect side only")),
        "{:?}",
        catalog.problems()
    );
}

#[test]
fn a_local_file_overrides_an_embedded_one_with_a_higher_version() {
    let (name, text) = EMBEDDED.first().expect("the standard set is embedded");
    let original = Catalog::embedded();
    let id = original
        .iter()
        .find(|q| q.origin == Origin::Embedded(name))
        .expect("embedded questionnaire loads")
        .id()
        .to_string();
    let version = &original
        .get(&id)
        .expect("present")
        .questionnaire
        .header
        .version;

    // Higher: the local one is used.
    let dir = tempfile::tempdir().expect("tempdir");
    let higher = text.replacen(
        &format!("version = \"{version}\""),
        "version = \"999.0.0\"",
        1,
    );
    assert_ne!(&higher, text, "version line found");
    write(dir.path(), "override.toml", &higher);
    let catalog = Catalog::load(Some(dir.path()));
    let q = catalog.get(&id).expect("present");
    assert_eq!(q.origin, Origin::Local(dir.path().join("override.toml")));
    assert_eq!(catalog.len(), original.len());

    // Same version, changed text: refused, the embedded one stays.
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "changed.toml",
        &format!("{text}\n# a local edit\n"),
    );
    let catalog = Catalog::load(Some(dir.path()));
    assert_eq!(
        catalog.get(&id).expect("present").origin,
        Origin::Embedded(name)
    );
    assert!(
        catalog
            .problems()
            .iter()
            .any(|p| p.left_out && p.message.contains("higher version"))
    );

    // Lower: refused, the embedded one stays.
    let dir = tempfile::tempdir().expect("tempdir");
    let lower = text.replacen(
        &format!("version = \"{version}\""),
        "version = \"0.0.1\"",
        1,
    );
    write(dir.path(), "old.toml", &lower);
    let catalog = Catalog::load(Some(dir.path()));
    assert_eq!(
        catalog.get(&id).expect("present").origin,
        Origin::Embedded(name)
    );
    assert!(
        catalog
            .problems()
            .iter()
            .any(|p| p.message.contains("older"))
    );
}
