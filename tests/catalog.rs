//! Loading: the embedded set, a local folder on top, overrides by id and version, and bad
//! local files left out without stopping anything.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

use std::fs;
use std::path::Path;

use interview_companion::questionnaire::{Catalog, EMBEDDED, Origin, RELEASED, Version, text_hash};

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

// ---- every released text, kept to read the sittings recorded with it ----

/// The SHA-256 of each questionnaire as 1.0.0 shipped (commit 2023ff1, `git show
/// 2023ff1:questionnaires/<id>.toml | sha256sum`): what every 1.0.0 sitting holds.
const RELEASED_1_0_0: [(&str, &str); 6] = [
    (
        "capacity-to-protect",
        "d3454322734cdf8957477710ec429f65c7a48d83a06950ae1f34ff56aa13a8f8",
    ),
    (
        "core-assessment",
        "1e68a357726bddcf5750784e350f14089e51c8fa446da283cea9272d0e487cb1",
    ),
    (
        "partner-interview",
        "bce16a470eaa0d5b40c6c5300c14b993c40fa3e2ee72fa823ecf0bc5609c8442",
    ),
    (
        "risk-judgement",
        "0ff4761f1468559d7127c1c56ba3c6d675ec95f353478f272eb57efd73994692",
    ),
    (
        "strategy-discussion",
        "65727f1895f07e460e7a03a726e368de42d54b500973d3155932ba7e3cddbf94",
    ),
    (
        "suspect-interview",
        "9a1f6869d05b59da184b50dc6423a7b57b766ee35ff0142513c83c9cac0d5fa9",
    ),
];

#[test]
fn the_released_texts_are_byte_for_byte_what_shipped() {
    for (id, hash) in RELEASED_1_0_0 {
        let name = format!("released/{id}-1.0.0.toml");
        let (_, text) = RELEASED
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{name} is embedded"));
        assert_eq!(text_hash(text), hash, "{name} changed since it shipped");
    }
    assert_eq!(
        RELEASED.len(),
        RELEASED_1_0_0.len(),
        "{:?}",
        RELEASED.iter().map(|r| r.0).collect::<Vec<_>>()
    );
}

#[test]
fn a_text_in_use_is_newer_than_every_kept_one_and_never_a_changed_copy() {
    let catalog = Catalog::embedded();
    assert!(catalog.problems().is_empty(), "{:?}", catalog.problems());
    for kept in catalog.kept() {
        let current = catalog
            .get(kept.id())
            .expect("a text in use for every kept id");
        let (new, old) = (
            Version::parse(current.version()),
            Version::parse(kept.version()),
        );
        // A changed text must raise its version: the same version twice would be two texts
        // a record cannot tell apart by version.
        assert!(
            new > old,
            "{} {} is in use but {} is kept: raise the version of the changed text",
            current.id(),
            current.version(),
            kept.version()
        );
        assert_ne!(current.hash, kept.hash);
    }
}

#[test]
fn a_sitting_is_read_with_its_exact_text_or_told_it_is_not() {
    let catalog = Catalog::embedded();
    for (id, hash) in RELEASED_1_0_0 {
        let r = catalog.resolve(id, hash).expect("resolves");
        assert!(r.exact, "{id}");
        assert_eq!(r.loaded.version(), "1.0.0");
        let name = format!("released/{id}-1.0.0.toml");
        assert!(
            matches!(&r.loaded.origin, Origin::Embedded(n) if *n == name),
            "{id}: {}",
            r.loaded.origin
        );
        assert!(catalog.is_standard(hash));
    }
    let current = catalog.get("suspect-interview").expect("in use");
    let r = catalog
        .resolve("suspect-interview", &current.hash)
        .expect("resolves");
    assert!(r.exact);
    // A text no longer anywhere (a local file since removed): the newest, not exact.
    let gone = "0".repeat(64);
    let r = catalog
        .resolve("suspect-interview", &gone)
        .expect("falls back");
    assert!(!r.exact);
    assert_eq!(r.loaded.hash, current.hash);
    assert!(!catalog.is_standard(&gone));
    assert!(catalog.resolve("no-such-questionnaire", &gone).is_none());
    // New sittings always get the newest.
    assert_eq!(
        catalog
            .iter()
            .filter(|q| q.id() == "suspect-interview")
            .count(),
        1
    );
}

#[test]
fn a_superseded_local_file_is_kept_to_read_its_sittings() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.toml", &with_version(SUSPECT, "1.10.0"));
    let old_text = with_version(SUSPECT, "1.9.0").replace("Hours online", "Time online");
    write(dir.path(), "b.toml", &old_text);
    let catalog = Catalog::load(Some(dir.path()));
    assert_eq!(
        catalog.get("test-suspect").expect("in use").version(),
        "1.10.0"
    );
    let problem = catalog
        .problems()
        .iter()
        .find(|p| p.file.ends_with("b.toml"))
        .expect("reported");
    assert!(
        problem.message.contains("kept only to read sittings"),
        "{problem}"
    );
    let r = catalog
        .resolve("test-suspect", &text_hash(&old_text))
        .expect("resolves");
    assert!(r.exact);
    assert_eq!(r.loaded.version(), "1.9.0");
    assert_eq!(r.loaded.origin, Origin::Local(dir.path().join("b.toml")));
    assert_eq!(catalog.kept().len(), Catalog::embedded().kept().len() + 1);
}
