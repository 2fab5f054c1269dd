//! Damaged files: truncation at many offsets, bit flips across the file, trailing junk,
//! a wrong key, a non-age file. Each is detected, reported by file name with what is
//! wrong, left byte-for-byte as it was, and the rest of the case still opens.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use interview_companion::paths::Paths;
use interview_companion::store::{
    Access, CaseId, CaseStore, DecryptProblem, ProblemKind, RealDisk, Recipients, SittingId,
    UnlockedIdentity,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

struct Fixture {
    _tmp: tempfile::TempDir,
    store: CaseStore,
    id: UnlockedIdentity,
    case: CaseId,
    victim: SittingId,
    good: SittingId,
    original: Vec<u8>,
}

fn payload(tag: &str, len: usize) -> Vec<u8> {
    let mut s = format!("sitting = \"{tag}\"\n");
    let mut i = 0;
    while s.len() < len {
        s.push_str(&format!("[[event]]\nq = \"q{i}\"\nv = \"answer {i}\"\n"));
        i += 1;
    }
    s.into_bytes()
}

impl Fixture {
    /// A case with a case file and two sittings; `victim` is ~`len` bytes of plaintext.
    fn new(len: usize) -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let id = UnlockedIdentity::generate();
        let store = CaseStore::new(
            &Paths::under(tmp.path()),
            RealDisk,
            Recipients::single(id.recipient()),
        );
        let case = store.create_case().expect("case");
        let Access::Write(cl) = store.lock_case(&case) else {
            panic!("lock")
        };
        store
            .save_case(&cl, b"reference = \"R1\"\n", &id)
            .expect("save case");
        let victim = store.new_sitting_id();
        let good = store.new_sitting_id();
        for (sid, tag) in [(&victim, "victim"), (&good, "good")] {
            let Access::Write(l) = store.lock_sitting(&case, sid) else {
                panic!("lock")
            };
            store
                .save_sitting(&l, &payload(tag, len), &id)
                .expect("save");
        }
        let original = std::fs::read(store.sitting_file(&case, &victim)).expect("read");
        Fixture {
            _tmp: tmp,
            store,
            id,
            case,
            victim,
            good,
            original,
        }
    }

    fn victim_path(&self) -> PathBuf {
        self.store.sitting_file(&self.case, &self.victim)
    }

    /// Writes `bytes` as the victim, opens the case, checks everything the contract says,
    /// and returns the victim's problem.
    fn open_damaged(&self, bytes: &[u8], what: &str) -> ProblemKind {
        let path = self.victim_path();
        std::fs::write(&path, bytes).expect("write damaged");
        let opened = self
            .store
            .open_case(&self.case, &self.id)
            .expect("open_case");
        assert_eq!(
            std::fs::read(&path).expect("reread"),
            bytes,
            "{what}: file was modified"
        );
        assert!(opened.case.is_ok(), "{what}: case file did not open");
        let mut victim = None;
        for (sid, result) in &opened.sittings {
            if *sid == self.good {
                assert!(result.is_ok(), "{what}: the good sitting did not open");
            } else if *sid == self.victim {
                victim = Some(result);
            }
        }
        let result = victim.expect("victim listed");
        let problem = match result {
            Ok(_) => panic!("{what}: damage was NOT detected"),
            Err(p) => p,
        };
        assert_eq!(problem.path, path, "{what}");
        let msg = problem.to_string();
        assert!(
            msg.contains(&format!("{}.age", self.victim)),
            "{what}: {msg}"
        );
        assert!(
            !msg.contains("answer"),
            "{what}: message quotes plaintext: {msg}"
        );
        problem.kind.clone()
    }
}

#[test]
fn truncation_at_many_offsets_is_detected() {
    // Two 64 KiB chunks, so cuts land in the header, the first chunk, on the chunk
    // boundary and in the last chunk.
    let f = Fixture::new(70_000);
    let len = f.original.len();
    let header_end = f
        .original
        .windows(4)
        .position(|w| w == b"\n---")
        .expect("mac line")
        + 50;
    let mut offsets: Vec<usize> = (0..header_end.min(len)).collect();
    offsets.extend((header_end..len).step_by(997));
    let boundary = len - (len - header_end) % (64 * 1024 + 16);
    offsets.extend([
        boundary.saturating_sub(1),
        boundary,
        boundary + 1,
        len - 17,
        len - 16,
        len - 1,
    ]);
    let mut kinds = std::collections::BTreeSet::new();
    for cut in offsets {
        if cut >= len {
            continue;
        }
        let kind = f.open_damaged(&f.original[..cut], &format!("cut at {cut}/{len}"));
        kinds.insert(format!("{kind:?}"));
    }
    assert!(kinds.contains(&format!(
        "{:?}",
        ProblemKind::Decrypt(DecryptProblem::Truncated)
    )));
    eprintln!("truncation reported as: {kinds:?}");
}

#[test]
fn bit_flips_everywhere_are_detected() {
    let f = Fixture::new(3_000);
    let len = f.original.len();
    let header_end = f
        .original
        .windows(4)
        .position(|w| w == b"\n---")
        .expect("mac line")
        + 50;
    // Every byte of the header (one bit each, rotating), then a sample of the payload.
    let mut positions: Vec<usize> = (0..header_end.min(len)).collect();
    positions.extend((header_end..len).step_by(13));
    positions.push(len - 1);
    for (i, pos) in positions.into_iter().enumerate() {
        let mut bytes = f.original.clone();
        bytes[pos] ^= 1 << (i % 8);
        f.open_damaged(&bytes, &format!("bit {} of byte {pos}", i % 8));
    }
}

#[test]
fn trailing_junk_and_non_age_files_are_detected() {
    let f = Fixture::new(2_000);
    let mut longer = f.original.clone();
    longer.extend_from_slice(b"appended");
    f.open_damaged(&longer, "trailing junk");
    assert_eq!(
        f.open_damaged(b"sitting = \"plain toml\"\n", "plaintext file"),
        ProblemKind::Decrypt(DecryptProblem::NotAgeFile)
    );
    assert_eq!(
        f.open_damaged(b"", "empty file"),
        ProblemKind::Decrypt(DecryptProblem::Truncated)
    );
}

#[test]
fn wrong_key_is_detected_and_named() -> TestResult {
    let f = Fixture::new(2_000);
    let stranger = UnlockedIdentity::generate();
    let other = age::encrypt(&stranger.recipient(), b"sitting = \"x\"\n")?;
    assert_eq!(
        f.open_damaged(&other, "wrong key"),
        ProblemKind::Decrypt(DecryptProblem::NoMatchingKey)
    );
    // And the whole case, opened with the wrong identity: every file named, none changed.
    std::fs::write(f.victim_path(), &f.original)?;
    let opened = f.store.open_case(&f.case, &stranger)?;
    assert_eq!(opened.problems().count(), 3);
    for p in opened.problems() {
        assert_eq!(p.kind, ProblemKind::Decrypt(DecryptProblem::NoMatchingKey));
        assert!(p.to_string().contains("not encrypted to your key"), "{p}");
    }
    assert_eq!(std::fs::read(f.victim_path())?, f.original);
    Ok(())
}

#[test]
fn undamaged_file_opens_after_all_that() -> TestResult {
    // Guards the test itself: the fixture's victim does open when intact.
    let f = Fixture::new(2_000);
    let opened = f.store.open_case(&f.case, &f.id)?;
    assert_eq!(opened.problems().count(), 0);
    Ok(())
}
