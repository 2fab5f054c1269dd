//! `companion init` / `keys show` / `keys add-recipient` through the real binary, with the
//! passphrase from `COMPANION_PASSPHRASE_FILE` (the automation path; the TTY path needs a
//! terminal).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn companion(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_companion"))
        .arg("--home")
        .arg(home)
        .args(args)
        .env("COMPANION_PASSPHRASE_FILE", home.join("pp.txt"))
        .env_remove("COMPANION_HOME")
        .output()
        .expect("run companion")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn init_show_add_recipient() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path();
    std::fs::write(home.join("pp.txt"), "a long pass phrase\n").expect("pp");

    let init = companion(home, &["init"]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    let own = text(&init.stdout).trim().to_string();
    assert!(own.starts_with("age1") && own.len() == 62, "{own:?}");
    let identity = std::fs::read(home.join("config/identity.age")).expect("identity");

    let again = companion(home, &["init"]);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("refusing to overwrite"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(
        std::fs::read(home.join("config/identity.age")).expect("identity"),
        identity
    );

    let show = companion(home, &["keys", "show"]);
    assert!(show.status.success());
    assert_eq!(text(&show.stdout).trim(), own);

    let recipients_before = std::fs::read(home.join("config/recipients.txt")).expect("r");
    let bad = companion(home, &["keys", "add-recipient", "age1tooshort"]);
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("62 characters"),
        "{}",
        text(&bad.stderr)
    );
    assert_eq!(
        std::fs::read(home.join("config/recipients.txt")).expect("r"),
        recipients_before
    );

    let team = age::x25519::Identity::generate().to_public().to_string();
    let add = companion(home, &["keys", "add-recipient", &team]);
    assert!(add.status.success(), "{}", text(&add.stderr));
    let dup = companion(home, &["keys", "add-recipient", &team]);
    assert!(
        text(&dup.stderr).contains("Already listed"),
        "{}",
        text(&dup.stderr)
    );
    let listed = std::fs::read_to_string(home.join("config/recipients.txt")).expect("r");
    assert_eq!(listed.matches(&team).count(), 1);
    let show = companion(home, &["keys", "show"]);
    assert_eq!(text(&show.stdout).trim(), own, "own key must stay first");
    assert!(text(&show.stderr).contains(&team));
}

#[test]
fn show_without_init_says_what_to_do() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = companion(tmp.path(), &["keys", "show"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("companion init"),
        "{}",
        text(&out.stderr)
    );
}

/// `init` refuses a passphrase that is easy to guess, says why and what to do, and creates
/// nothing; it warns when the passphrase file can be read by other users.
#[test]
fn init_refuses_a_weak_passphrase_and_warns_about_a_readable_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path();
    for weak in ["a", "password1", "qwertyuiop", "Summer2024!"] {
        std::fs::write(home.join("pp.txt"), format!("{weak}\n")).expect("pp");
        let out = companion(home, &["init"]);
        assert!(!out.status.success(), "{weak:?} was accepted");
        let err = text(&out.stderr);
        assert!(err.contains("too easy to guess"), "{err}");
        assert!(err.contains("unrelated words"), "{err}");
        assert!(err.contains("Nothing was created"), "{err}");
        assert!(
            !home.join("config").exists(),
            "{weak:?}: something was created"
        );
    }
    std::fs::write(home.join("pp.txt"), "granite lantern orbit velvet\n").expect("pp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(home.join("pp.txt"), std::fs::Permissions::from_mode(0o644))
            .expect("chmod");
        let out = companion(home, &["init"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(
            err.contains("can be read by other users (mode 644)"),
            "{err}"
        );
        assert!(err.contains("chmod 600"), "{err}");
        std::fs::set_permissions(home.join("pp.txt"), std::fs::Permissions::from_mode(0o600))
            .expect("chmod");
        let out = companion(home, &["keys", "show"]);
        assert!(
            !text(&out.stderr).contains("other users"),
            "{}",
            text(&out.stderr)
        );
    }
}
