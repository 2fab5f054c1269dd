//! One writer per sitting: a second opener gets read-only access with a clear message,
//! the first can still save, and the lock goes when the holder does (also across
//! processes, which `store_crash` exercises by SIGKILLing lock holders).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use interview_companion::paths::Paths;
use interview_companion::store::{
    Access, CaseStore, ReadOnlyReason, RealDisk, Recipients, UnlockedIdentity,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[test]
fn second_opener_is_read_only_and_first_still_saves() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let id = UnlockedIdentity::generate();
    let paths = Paths::under(tmp.path());
    let first = CaseStore::new(&paths, RealDisk, Recipients::single(id.recipient()));
    // A second program instance: its own store on the same folder.
    let second = CaseStore::new(&paths, RealDisk, Recipients::single(id.recipient()));
    let case = first.create_case()?;
    let sitting = first.new_sitting_id();

    let Access::Write(lock) = first.lock_sitting(&case, &sitting) else {
        panic!("first opener must get the lock");
    };
    first.save_sitting(&lock, b"v = 1\n", &id)?;

    let Access::ReadOnly(ro) = second.lock_sitting(&case, &sitting) else {
        panic!("second opener must be read-only");
    };
    assert_eq!(ro.reason, ReadOnlyReason::HeldElsewhere);
    let msg = ro.to_string();
    assert!(
        msg.contains("READ-ONLY") && msg.contains("another"),
        "{msg}"
    );
    assert!(msg.contains(&format!("{sitting}.lock")), "{msg}");
    // Read-only still reads.
    assert_eq!(
        second.read_sitting(&case, &sitting, &id)?.as_slice(),
        b"v = 1\n"
    );

    // The first keeps saving; the lock survives the rename of the data file.
    first.save_sitting(&lock, b"v = 2\n", &id)?;
    first.save_sitting(&lock, b"v = 3\n", &id)?;
    assert!(matches!(
        second.lock_sitting(&case, &sitting),
        Access::ReadOnly(_)
    ));
    assert_eq!(
        second.read_sitting(&case, &sitting, &id)?.as_slice(),
        b"v = 3\n"
    );

    // Other sittings of the same case are not blocked.
    let other = first.new_sitting_id();
    assert!(matches!(
        second.lock_sitting(&case, &other),
        Access::Write(_)
    ));

    drop(lock);
    let Access::Write(taken) = second.lock_sitting(&case, &sitting) else {
        panic!("lock must be free once the first holder drops it");
    };
    second.save_sitting(&taken, b"v = 4\n", &id)?;
    assert!(matches!(
        first.lock_sitting(&case, &sitting),
        Access::ReadOnly(_)
    ));
    Ok(())
}

#[test]
fn case_file_has_its_own_lock() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let id = UnlockedIdentity::generate();
    let store = CaseStore::new(
        &Paths::under(tmp.path()),
        RealDisk,
        Recipients::single(id.recipient()),
    );
    let case = store.create_case()?;
    let Access::Write(a) = store.lock_case(&case) else {
        panic!("case lock");
    };
    assert!(matches!(store.lock_case(&case), Access::ReadOnly(_)));
    store.save_case(&a, b"reference = \"R\"\n", &id)?;
    Ok(())
}

#[test]
fn unavailable_lock_is_read_only_with_reason() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let id = UnlockedIdentity::generate();
    let store = CaseStore::new(
        &Paths::under(tmp.path()),
        RealDisk,
        Recipients::single(id.recipient()),
    );
    // A case folder that does not exist: the lock file cannot be created.
    let missing = "0123456789abcdef0123456789abcdef".parse()?;
    let Access::ReadOnly(ro) = store.lock_sitting(&missing, &store.new_sitting_id()) else {
        panic!("lock in a missing folder must not be granted");
    };
    assert!(matches!(ro.reason, ReadOnlyReason::Unavailable(_)));
    assert!(
        ro.to_string().contains("could not take the write lock"),
        "{ro}"
    );
    Ok(())
}
