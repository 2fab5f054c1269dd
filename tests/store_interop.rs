//! Two-way interop with the stock `age` command (Debian package `age`):
//! - `age -d` opens sitting and case files the store wrote;
//! - the store opens files `age -r` / `age -R` / `age -a` wrote;
//! - the identity file is a standard passphrase-encrypted age file: `age -d identity.age`
//!   and `age -d -i identity.age sitting.age` work, typing the passphrase into a real
//!   pseudo-terminal (age reads passphrases only from a TTY).
//!
//! If `age` is missing: a loud SKIP, unless `CI=true`, where it is a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use interview_companion::paths::Paths;
use interview_companion::store::{
    Access, CaseStore, RealDisk, Recipients, SecretString, UnlockedIdentity, create_identity,
    read_recipients,
};

/// Whether the stock `age` is installed; fails under CI when it is not.
fn have_age() -> bool {
    let ok = Command::new("age")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!(
                "the stock `age` command is not on PATH, and CI=true: install it (apt-get install -y age)"
            );
        }
        eprintln!(
            "\n\n!!!!!!!!!! SKIP: stock `age` not on PATH; interop NOT tested. \
             apt-get install -y age !!!!!!!!!!\n"
        );
    }
    ok
}

fn run(cmd: &mut Command) -> Result<Vec<u8>> {
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    ensure!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(out.stdout)
}

/// Runs `age args…` in a pseudo-terminal, types `passphrase` when asked, and waits.
fn age_in_pty(dir: &Path, args: &[&str], passphrase: &str) -> Result<String> {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let pair = native_pty_system().openpty(PtySize {
        rows: 24,
        cols: 200,
        pixel_width: 0,
        pixel_height: 0,
    })?;
    let mut cmd = CommandBuilder::new("age");
    cmd.args(args);
    cmd.cwd(dir);
    let mut child = pair.slave.spawn_command(cmd)?;
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader()?;
    let mut writer = pair.master.take_writer()?;
    let screen = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&screen);
    std::thread::spawn(move || {
        let mut buf = [0u8; 1024];
        // The read fails with EIO once the child closes the terminal: that is the end.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    while !screen.lock().unwrap().to_lowercase().contains("passphrase") {
        if Instant::now() > deadline {
            let _ = child.kill();
            bail!(
                "age never asked for the passphrase; screen: {:?}",
                screen.lock().unwrap()
            );
        }
        if let Some(status) = child.try_wait()? {
            bail!(
                "age exited ({status:?}) before asking: {:?}",
                screen.lock().unwrap()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    writer.write_all(format!("{passphrase}\r").as_bytes())?;
    writer.flush()?;
    let status = child.wait()?;
    std::thread::sleep(Duration::from_millis(50));
    let shown = screen.lock().unwrap().clone();
    ensure!(status.success(), "age failed ({status:?}): {shown:?}");
    Ok(shown)
}

struct Setup {
    tmp: tempfile::TempDir,
    store: CaseStore,
    id: UnlockedIdentity,
    /// The identity in plaintext, written by the test (never by the program).
    key_file: std::path::PathBuf,
}

fn setup() -> Result<Setup> {
    let tmp = tempfile::tempdir()?;
    let age_id = age::x25519::Identity::generate();
    let key_file = tmp.path().join("test-key.txt");
    {
        use age::secrecy::ExposeSecret;
        std::fs::write(
            &key_file,
            format!("{}\n", age_id.to_string().expose_secret()),
        )?;
    }
    let id = UnlockedIdentity::from_age(age_id);
    let store = CaseStore::new(
        &Paths::under(tmp.path()),
        RealDisk,
        Recipients::single(id.recipient()),
    );
    Ok(Setup {
        tmp,
        store,
        id,
        key_file,
    })
}

#[test]
#[cfg_attr(
    windows,
    ignore = "stock age: no Windows build of age can be installed in CI"
)]
fn stock_age_decrypts_what_the_store_wrote() -> Result<()> {
    if !have_age() {
        return Ok(());
    }
    let s = setup()?;
    // A second recipient (a supervisor): stock age must open it with either key.
    let supervisor = age::x25519::Identity::generate();
    let sup_file = s.tmp.path().join("supervisor.txt");
    {
        use age::secrecy::ExposeSecret;
        std::fs::write(&sup_file, supervisor.to_string().expose_secret().as_bytes())?;
    }
    let store = CaseStore::new(
        &Paths::under(s.tmp.path()),
        RealDisk,
        Recipients::from_list(vec![s.id.recipient(), supervisor.to_public()]).context("list")?,
    );
    let case = store.create_case()?;
    let Access::Write(cl) = store.lock_case(&case) else {
        bail!("case lock")
    };
    let case_text = "format = 1\nreference = \"LA-2026-0042\"\n";
    store.save_case(&cl, case_text.as_bytes(), &s.id)?;
    let sid = store.new_sitting_id();
    let Access::Write(sl) = store.lock_sitting(&case, &sid) else {
        bail!("sitting lock")
    };
    let mut sitting_text = String::from("format = 1\n");
    for i in 0..3000 {
        sitting_text.push_str(&format!("[[event]]\nq = \"q{i}\"\nv = \"é {i}\"\n"));
    }
    store.save_sitting(&sl, sitting_text.as_bytes(), &s.id)?;

    for key in [&s.key_file, &sup_file] {
        let case_out = run(Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(key)
            .arg(store.case_file(&case)))?;
        assert_eq!(String::from_utf8(case_out)?, case_text);
        let sitting_out = run(Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(key)
            .arg(store.sitting_file(&case, &sid)))?;
        assert_eq!(String::from_utf8(sitting_out)?, sitting_text);
    }
    Ok(())
}

#[test]
#[cfg_attr(
    windows,
    ignore = "stock age: no Windows build of age can be installed in CI"
)]
fn store_reads_what_stock_age_wrote() -> Result<()> {
    if !have_age() {
        return Ok(());
    }
    let s = setup()?;
    let case = s.store.create_case()?;
    let plain = s.tmp.path().join("plain.toml");
    let text = "format = 1\nnote = \"written by stock age\"\n";
    std::fs::write(&plain, text)?;
    let recipient = s.id.recipient().to_string();
    let sid_r = s.store.new_sitting_id();
    let sid_a = s.store.new_sitting_id();
    run(Command::new("age")
        .args(["-r", &recipient, "-o"])
        .arg(s.store.sitting_file(&case, &sid_r))
        .arg(&plain))?;
    run(Command::new("age")
        .args(["-a", "-r", &recipient, "-o"])
        .arg(s.store.sitting_file(&case, &sid_a))
        .arg(&plain))?;
    // And via a recipients file, as `age -R` reads it.
    let rec_file = s.tmp.path().join("r.txt");
    std::fs::write(&rec_file, format!("# comment\n\n{recipient}\n"))?;
    run(Command::new("age")
        .arg("-R")
        .arg(&rec_file)
        .arg("-o")
        .arg(s.store.case_file(&case))
        .arg(&plain))?;

    let opened = s.store.open_case(&case, &s.id)?;
    assert_eq!(
        opened.problems().count(),
        0,
        "{:?}",
        opened.problems().collect::<Vec<_>>()
    );
    assert_eq!(
        opened.case.as_ref().map(|p| p.as_slice()).ok(),
        Some(text.as_bytes())
    );
    assert_eq!(opened.sittings.len(), 2);
    for (_, p) in &opened.sittings {
        assert_eq!(p.as_ref().map(|p| p.as_slice()).ok(), Some(text.as_bytes()));
    }
    Ok(())
}

#[test]
#[cfg_attr(
    windows,
    ignore = "stock age: no Windows build of age can be installed in CI"
)]
fn identity_file_is_a_standard_passphrase_age_file() -> Result<()> {
    if !have_age() {
        return Ok(());
    }
    let tmp = tempfile::tempdir()?;
    let paths = Paths::under(tmp.path());
    let passphrase = "correct horse battery staple";
    let (id, _) = create_identity(
        &RealDisk,
        &paths,
        &SecretString::from(passphrase.to_string()),
    )?;

    // Our recipients file works as `age -R` input.
    let recipients = read_recipients(&RealDisk, &paths.recipients_file())?;
    assert_eq!(recipients.first().to_string(), id.recipient().to_string());
    let plain = tmp.path().join("p.txt");
    std::fs::write(&plain, "hello\n")?;
    let enc = tmp.path().join("p.age");
    run(Command::new("age")
        .arg("-R")
        .arg(paths.recipients_file())
        .arg("-o")
        .arg(&enc)
        .arg(&plain))?;

    // 1. `age -d identity.age` with the passphrase typed into a terminal.
    let out = tmp.path().join("identity-plain.txt");
    age_in_pty(
        tmp.path(),
        &[
            "-d",
            "-o",
            out.to_str().context("utf8 path")?,
            paths.identity_file().to_str().context("utf8")?,
        ],
        passphrase,
    )?;
    let text = std::fs::read_to_string(&out)?;
    assert!(
        text.contains(&format!("# public key: {}", id.recipient())),
        "{text}"
    );
    let secret_line = text
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
        .context("no secret key line")?;
    let back: age::x25519::Identity = secret_line.parse().map_err(anyhow::Error::msg)?;
    assert_eq!(back.to_public().to_string(), id.recipient().to_string());

    // 2. The encrypted identity used directly as `age -d -i identity.age file.age`.
    let dec = tmp.path().join("p.out");
    age_in_pty(
        tmp.path(),
        &[
            "-d",
            "-i",
            paths.identity_file().to_str().context("utf8")?,
            "-o",
            dec.to_str().context("utf8")?,
            enc.to_str().context("utf8")?,
        ],
        passphrase,
    )?;
    assert_eq!(std::fs::read_to_string(&dec)?, "hello\n");
    Ok(())
}
