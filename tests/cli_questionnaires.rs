//! The `companion` binary's questionnaire commands, run as a user would.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

use std::path::Path;
use std::process::{Command, Output};

fn companion(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_companion"))
        .args(args)
        .env("COMPANION_HOME", home)
        .env_remove("COMPANION_PASSPHRASE_FILE")
        .output()
        .expect("run companion")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_lists_the_subcommands_and_version_prints() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = companion(home.path(), &["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for sub in ["init", "keys", "questionnaires", "--home"] {
        assert!(help.contains(sub), "--help lacks {sub}:\n{help}");
    }
    let out = companion(home.path(), &["--version"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn the_standard_questionnaires_lint_clean() {
    let home = tempfile::tempdir().expect("tempdir");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/questionnaires");
    let out = companion(home.path(), &["questionnaires", "lint", dir]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("6 file(s) checked: no problems"));
}

#[test]
fn lint_reports_problems_with_positions_and_fails() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("bad.toml");
    let fixture = include_str!("fixtures/suspect.toml");
    std::fs::write(
        &file,
        fixture.replace("min = 0, max = 168", "min = 9, max = 1"),
    )
    .expect("write");
    let out = companion(
        home.path(),
        &["questionnaires", "lint", file.to_str().expect("utf8")],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!("{}:16:", file.display()))
            && stdout.contains("min (9) is greater than max (1)"),
        "{stdout}"
    );
}

#[test]
fn list_shows_all_six_and_local_overrides() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = companion(home.path(), &["questionnaires", "list"]);
    assert!(out.status.success());
    let list = text(&out.stdout);
    for id in [
        "strategy-discussion",
        "core-assessment",
        "suspect-interview",
        "partner-interview",
        "capacity-to-protect",
        "risk-judgement",
    ] {
        assert!(list.contains(id), "{id} missing:\n{list}");
    }
    assert_eq!(list.lines().count(), 7, "header and six rows:\n{list}");
    // The earlier released versions are kept to read old sittings, listed only when asked,
    // and marked as such rather than as duplicates.
    assert!(
        text(&out.stderr).contains("questionnaires list --all"),
        "{}",
        text(&out.stderr)
    );
    let out = companion(home.path(), &["questionnaires", "list", "--all"]);
    assert!(out.status.success());
    let all = text(&out.stdout);
    let old = all
        .lines()
        .find(|l| l.starts_with("suspect-interview") && l.contains(" 1.0.0 "))
        .unwrap_or_else(|| panic!("suspect-interview 1.0.0 kept:\n{all}"));
    assert!(
        old.contains("old sittings only") && old.contains("released/suspect-interview-1.0.0.toml"),
        "{old}"
    );
    assert_eq!(
        all.lines().filter(|l| l.contains("in use")).count(),
        6,
        "{all}"
    );

    // A local, higher version of the risk judgement replaces the embedded one, and a broken
    // local file is reported on stderr without stopping the listing.
    let local = home.path().join("config/questionnaires");
    std::fs::create_dir_all(&local).expect("mkdir");
    let risk = include_str!("../questionnaires/risk-judgement.toml");
    let embedded_version = risk
        .lines()
        .find_map(|l| l.strip_prefix("version = "))
        .expect("a version line");
    std::fs::write(
        local.join("risk.toml"),
        risk.replacen(
            &format!("version = {embedded_version}"),
            "version = \"9.0.0\"",
            1,
        ),
    )
    .expect("write");
    std::fs::write(local.join("broken.toml"), "[questionnaire]\nid = ").expect("write");
    let out = companion(home.path(), &["questionnaires", "list"]);
    assert!(out.status.success());
    let list = text(&out.stdout);
    let row = list
        .lines()
        .find(|l| l.starts_with("risk-judgement"))
        .expect("row");
    assert!(row.contains("9.0.0") && row.contains("risk.toml"), "{row}");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("broken.toml (left out)"), "{stderr}");
}

#[test]
fn schema_is_json_describing_the_format() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = companion(home.path(), &["questionnaires", "schema"]);
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let text = schema.to_string();
    for needle in [
        "questionnaire",
        "section",
        "cross_check",
        "multi_choice",
        "tolerance_days",
        "zero_differs",
        "derived",
        "product",
        "factor",
    ] {
        assert!(text.contains(needle), "schema lacks {needle}");
    }
}
