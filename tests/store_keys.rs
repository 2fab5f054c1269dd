//! Keys: init refuses to overwrite, wrong passphrase is typed, a damaged identity file is
//! named, a bad recipients line is reported as file:line, and no error path writes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use interview_companion::paths::Paths;
use interview_companion::store::{
    ExposeSecret, KeyError, RealDisk, RecipientsError, SecretString, create_identity,
    read_recipients, unlock,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn pass(s: &str) -> SecretString {
    SecretString::from(s.to_string())
}

/// Every file under `dir` with its bytes, to prove an error path wrote nothing.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap_or_default());
            }
        }
    }
    out
}

#[test]
fn init_then_unlock_then_refuse_overwrite_and_wrong_passphrase() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let paths = Paths::under(tmp.path());
    let t = std::time::Instant::now();
    let (id, recipients) = create_identity(&RealDisk, &paths, &pass("correct horse battery"))?;
    eprintln!("create_identity took {:?}", t.elapsed());
    assert_eq!(recipients.len(), 1);
    assert_eq!(recipients.first().to_string(), id.recipient().to_string());
    let on_disk = read_recipients(&RealDisk, &paths.recipients_file())?;
    assert_eq!(on_disk.first().to_string(), id.recipient().to_string());

    // The identity file is binary age, passphrase (scrypt) encrypted, work factor 18.
    let bytes = std::fs::read(paths.identity_file())?;
    let header = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
    assert!(
        header.starts_with("age-encryption.org/v1\n-> scrypt "),
        "{header}"
    );
    assert!(
        header.lines().nth(1).is_some_and(|l| l.ends_with(" 18")),
        "{header}"
    );

    let t = std::time::Instant::now();
    let back = unlock(&RealDisk, &paths, &pass("correct horse battery"))?;
    eprintln!("unlock took {:?}", t.elapsed());
    assert_eq!(back.recipient().to_string(), id.recipient().to_string());

    let before = snapshot(tmp.path());
    let again = create_identity(&RealDisk, &paths, &pass("other"));
    assert!(
        matches!(again, Err(KeyError::IdentityExists(_))),
        "{again:?}"
    );
    let wrong = unlock(&RealDisk, &paths, &pass("wrong horse"));
    let Err(KeyError::WrongPassphrase(p)) = wrong else {
        panic!("expected WrongPassphrase, got {wrong:?}");
    };
    assert_eq!(p, paths.identity_file());
    assert_eq!(snapshot(tmp.path()), before, "an error path wrote to disk");
    Ok(())
}

#[test]
fn damaged_identity_file_is_named_and_untouched() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let paths = Paths::under(tmp.path());
    std::fs::create_dir_all(&paths.config)?;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("plain text", b"AGE-SECRET-KEY-1 not encrypted\n".to_vec()),
        ("empty", Vec::new()),
        (
            "truncated header",
            b"age-encryption.org/v1\n-> scrypt ".to_vec(),
        ),
    ];
    for (what, bytes) in cases {
        std::fs::write(paths.identity_file(), &bytes)?;
        let err = unlock(&RealDisk, &paths, &pass("x"));
        match &err {
            Err(KeyError::CorruptIdentity { path, problem }) => {
                assert_eq!(path, &paths.identity_file(), "{what}");
                assert!(!problem.is_empty());
                let msg = err
                    .as_ref()
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default();
                assert!(msg.contains("identity.age"), "{what}: {msg}");
            }
            other => panic!("{what}: expected CorruptIdentity, got {other:?}"),
        }
        assert_eq!(std::fs::read(paths.identity_file())?, bytes, "{what}");
    }
    Ok(())
}

#[test]
fn bit_flip_in_identity_payload_is_corrupt_not_wrong_passphrase() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let paths = Paths::under(tmp.path());
    create_identity(&RealDisk, &paths, &pass("pp"))?;
    let mut bytes = std::fs::read(paths.identity_file())?;
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(paths.identity_file(), &bytes)?;
    let err = unlock(&RealDisk, &paths, &pass("pp"));
    assert!(
        matches!(err, Err(KeyError::CorruptIdentity { .. })),
        "{err:?}"
    );
    assert_eq!(std::fs::read(paths.identity_file())?, bytes);
    Ok(())
}

#[test]
fn missing_identity_says_run_init() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let paths = Paths::under(tmp.path());
    let err = unlock(&RealDisk, &paths, &pass("x"));
    let msg = err.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("companion init"), "{msg}");
}

#[test]
fn init_refuses_bad_recipients_file_and_writes_nothing() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let paths = Paths::under(tmp.path());
    std::fs::create_dir_all(&paths.config)?;
    std::fs::write(paths.recipients_file(), "# team\nage1garbage\n")?;
    let before = snapshot(tmp.path());
    let err = create_identity(&RealDisk, &paths, &pass("pp"));
    let msg = err
        .as_ref()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        matches!(
            err,
            Err(KeyError::Recipients(RecipientsError::BadLine {
                line: 2,
                ..
            }))
        ),
        "{msg}"
    );
    assert!(msg.contains("recipients.txt:2:"), "{msg}");
    assert_eq!(snapshot(tmp.path()), before);
    assert!(!paths.identity_file().exists());
    Ok(())
}

#[test]
fn empty_passphrase_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let paths = Paths::under(tmp.path());
    let err = create_identity(&RealDisk, &paths, &pass(""));
    assert!(matches!(err, Err(KeyError::EmptyPassphrase)));
    assert!(!paths.identity_file().exists());
}

#[test]
fn secret_never_in_debug_or_errors() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let paths = Paths::under(tmp.path());
    let (id, _) = create_identity(&RealDisk, &paths, &pass("pp"))?;
    assert!(!format!("{id:?}").contains("AGE-SECRET-KEY"));
    let p = pass("hunter2-secret");
    assert_eq!(p.expose_secret(), "hunter2-secret");
    assert!(!format!("{p:?}").contains("hunter2"));
    Ok(())
}
