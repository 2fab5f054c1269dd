//! Reliability item 3: a REAL full disk, not an injected one. A 2 MiB tmpfs (or, where
//! tmpfs cannot be mounted, a loop-mounted ext4 image) holds the home folder; a filler file
//! takes the last byte. Then, through the real binary: the logging screen says NOT SAVED
//! and why, the answers stay on screen, the file on disk keeps its last good version, and
//! once space is freed the retry saves everything. `init`, `case new`, `keys add-recipient`
//! and `export` on the full disk each say NOT saved and leave nothing behind.
//!
//! Mounting needs root (CAP_SYS_ADMIN). Where neither way works the test prints a loud
//! SKIP and passes — also in CI, which RELIABILITY.md says.
//!
//! Not run on Windows: it mounts a Linux tmpfs or ext4 image and drives a pseudo-terminal.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_os = "linux")]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use common::*;

struct SmallDisk {
    mount: PathBuf,
    _tmp: tempfile::TempDir,
    how: &'static str,
}

impl SmallDisk {
    fn make() -> Option<SmallDisk> {
        let tmp = tempfile::tempdir().unwrap();
        let mount = tmp.path().join("mnt");
        std::fs::create_dir_all(&mount).unwrap();
        let tmpfs = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs"])
            .arg(&mount)
            .output();
        if tmpfs.as_ref().is_ok_and(|o| o.status.success()) {
            return Some(SmallDisk {
                mount,
                _tmp: tmp,
                how: "tmpfs, size=2m",
            });
        }
        let image = tmp.path().join("disk.img");
        let file = std::fs::File::create(&image).unwrap();
        file.set_len(8 << 20).unwrap();
        drop(file);
        let mkfs = Command::new("mkfs.ext4")
            .args(["-q", "-F"])
            .arg(&image)
            .output();
        let loop_mount = mkfs.is_ok_and(|o| o.status.success())
            && Command::new("mount")
                .args(["-o", "loop"])
                .arg(&image)
                .arg(&mount)
                .output()
                .is_ok_and(|o| o.status.success());
        if loop_mount {
            return Some(SmallDisk {
                mount,
                _tmp: tmp,
                how: "loop-mounted ext4 image, 8 MiB",
            });
        }
        let why = tmpfs
            .map(|o| String::from_utf8_lossy(&o.stderr).trim().to_string())
            .unwrap_or_else(|e| e.to_string());
        eprintln!(
            "\n*** SKIP: no small filesystem could be mounted here ({why}); the real disk-full \
             test did not run. Injected faults (tests/reliability_faults.rs) still cover it. ***\n"
        );
        None
    }

    /// Fills the disk with a filler file until it refuses more; returns the file.
    fn fill(&self) -> PathBuf {
        let filler = self.mount.join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let mut wrote = 0u64;
        for chunk in [65536usize, 4096, 512, 1] {
            let block = vec![0x5a_u8; chunk];
            while f.write_all(&block).is_ok() {
                wrote += chunk as u64;
            }
        }
        let _ = f.sync_all();
        assert!(wrote > 0);
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.mount).output();
    }
}

fn companion(home: &Path, pass: &Path, args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_companion"))
        .args(args)
        .env("COMPANION_HOME", home)
        .env("COMPANION_PASSPHRASE_FILE", pass)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn no_temp_files(dir: &Path) {
    for p in walk(dir) {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            !interview_companion::store::is_temp_name(&name),
            "temp file left on the full disk: {}",
            p.display()
        );
    }
}

#[test]
fn a_really_full_disk_says_not_saved_harms_nothing_and_saves_when_space_returns() {
    let Some(disk) = SmallDisk::make() else {
        return;
    };
    eprintln!("disk full: on a {}", disk.how);
    let outside = tempfile::tempdir().unwrap();
    let pass = outside.path().join("pass.txt");
    std::fs::write(&pass, format!("{PASSPHRASE}\n")).unwrap();
    let home = disk.mount.join("home");
    init_home(&home);
    let reader = book(&home);
    let case = create_case(&reader, "FULL-0001");
    let case_id = case.id.parse().unwrap();
    let old_export = disk.mount.join("report.md.age");
    let out = companion(
        &home,
        &pass,
        &[
            "export",
            "FULL-0001",
            "-o",
            &old_export.display().to_string(),
        ],
        outside.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The screens: two answers saved, then the disk fills.
    let mut tui = Tui::start(&home);
    tui.unlock(PASSPHRASE, "FULL-0001");
    start_suspect_sitting(&mut tui, "FULL-0001");
    tui.send("dj");
    tui.wait_until("1 saved", |s| {
        s.contains("1/35 answered") && s.contains("✓ saved")
    });
    tui.send("xj");
    tui.wait_until("2 saved", |s| {
        s.contains("2/35 answered") && s.contains("✓ saved")
    });
    let filler = disk.fill();
    let before = snapshot(&home);
    tui.send("dj");
    tui.wait_until("NOT SAVED", |s| s.contains("NOT SAVED"));
    tui.send("xj");
    tui.wait_until("4 in memory", |s| s.contains("4/35 answered"));
    let screen = tui.screen();
    assert!(
        screen.contains("disk full"),
        "no reason on screen:\n{screen}"
    );
    // A few retries on the timer, still full: nothing on disk changes.
    std::thread::sleep(Duration::from_millis(2_500));
    tui.pump(Duration::from_millis(100));
    assert!(tui.screen().contains("NOT SAVED"), "{}", tui.screen());
    assert_eq!(snapshot(&home), before, "the full disk's files changed");
    no_temp_files(&disk.mount);
    let on_disk = reader.open_case(&case_id).unwrap();
    assert!(on_disk.problems.is_empty(), "{:?}", on_disk.problems);
    assert_eq!(on_disk.sittings[0].events.len(), 2);

    // The commands on the full disk: each NOT saved, nothing left behind.
    let export_before = std::fs::read(&old_export).unwrap();
    let fresh = disk.mount.join("fresh-home");
    for (what, home_for, args) in [
        ("init", &fresh, vec!["init".to_string()]),
        (
            "case new",
            &home,
            vec!["case".into(), "new".into(), "FULL-0002".into()],
        ),
        (
            "add-recipient",
            &home,
            vec![
                "keys".into(),
                "add-recipient".into(),
                age::x25519::Identity::generate().to_public().to_string(),
            ],
        ),
        (
            "export",
            &home,
            vec![
                "export".into(),
                "FULL-0001".into(),
                "--force".into(),
                "-o".into(),
                old_export.display().to_string(),
            ],
        ),
    ] {
        let before = snapshot(&disk.mount);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = companion(home_for, &pass, &args, outside.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{what} succeeded on a full disk");
        assert!(err.contains("NOT saved"), "{what}: {err}");
        assert!(err.contains("disk full"), "{what}: {err}");
        assert!(!err.contains("panicked"), "{what}: {err}");
        let after = snapshot(&disk.mount);
        // `init` may leave its empty config folder; no file appears or changes anywhere.
        assert_eq!(
            after, before,
            "{what} changed files on the full disk: {err}"
        );
        no_temp_files(&disk.mount);
        eprintln!("disk full: {what}: {}", err.trim());
    }
    assert_eq!(std::fs::read(&old_export).unwrap(), export_before);
    assert!(!fresh.join("config").join("identity.age").exists());
    assert_eq!(reader.list().unwrap().cases.len(), 1, "a half-made case");
    let cases_dir = interview_companion::paths::Paths::under(&home).cases_dir();
    assert_eq!(
        std::fs::read_dir(&cases_dir).unwrap().count(),
        1,
        "an empty case folder"
    );

    // Space returns: the screen's retry saves everything it held.
    std::fs::remove_file(&filler).unwrap();
    tui.wait_until("saved again", |s| {
        s.contains("✓ saved") && !s.contains("NOT SAVED")
    });
    tui.send("dj");
    tui.wait_until("5 saved", |s| {
        s.contains("5/35 answered") && s.contains("✓ saved")
    });
    tui.quit();
    let record = reader.open_case(&case_id).unwrap();
    assert!(record.problems.is_empty(), "{:?}", record.problems);
    assert_eq!(record.sittings[0].events.len(), 5, "answers lost");
    no_temp_files(&disk.mount);
    // And the commands work again.
    let out = companion(&fresh, &pass, &["init"], outside.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
