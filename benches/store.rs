//! Store benchmarks, each next to its floor (run: `cargo bench --bench store`):
//!
//! - `save_sitting`: a ~20 KB, 200-answer sitting through the real path (encrypt to the
//!   recipients in memory, temp file, write, fsync, rename, fsync folder) against the
//!   floor: a plain write + fsync + rename of the same byte count. The ratio is what the
//!   encryption and the safety steps cost on top of the unavoidable disk work.
//! - `save_floor_signed_sequence`: the disk work a crash-safe signed save cannot avoid, with
//!   no encryption, hashing or signing: two files (the record's bytes and a statement's)
//!   written, both flushed (overlapped as the real save does), one renamed, the folder
//!   flushed, the other renamed. `save_sitting` over it is what this program's own code
//!   (encryption included) adds to the sequence's physics.
//! - `save_sitting_unsigned_before`: the save as it was before signing (encrypt, then one
//!   durable replacement), on the same machine in the same run: the signed save's cost
//!   over it is the manifest's durable write (one more fsync of a file and of the folder).
//! - `open_case`: opening a case of 1,000 sittings (list, read, decrypt each, hash each,
//!   check the manifest's signature) against decrypt-only of the same 1,000 ciphertexts
//!   already in memory, and against `open_case_unsigned_before` (list, read, decrypt: the
//!   open as it was before signing).
//! - `age_cli_encrypt_20kb`: the stock `age` command encrypting the same payload, for
//!   scale (process start-up dominates); skipped if `age` is not installed.
//!
//! Files go to the system temp folder: put it on a real disk (not tmpfs), or fsync is
//! free and the save numbers mean nothing. Ratios, not absolute times, are what to compare.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use divan::Bencher;
use interview_companion::paths::Paths;
use interview_companion::store::{
    Access, CaseId, CaseStore, Disk, RealDisk, Recipients, SittingLock, UnlockedIdentity, decrypt,
    encrypt, save_durable,
};

fn main() {
    divan::main();
}

/// ~20 KB of TOML like a sitting with 200 answer events.
fn sitting_payload() -> Vec<u8> {
    let mut s = String::from(
        "format = 1\n[sitting]\nid = \"0123456789abcdef0123456789abcdef\"\n\
         questionnaire = \"suspect-interview\"\nversion = \"1.0.0\"\n",
    );
    for i in 0..200 {
        s.push_str(&format!(
            "\n[[event]]\nat = \"2026-11-23T10:{:02}:{:02}+00:00\"\nkind = \"answer\"\n\
             question = \"question-{i}\"\nvalue = \"An answer of ordinary length, number {i}.\"\n",
            i / 60,
            i % 60
        ));
    }
    s.into_bytes()
}

struct SaveFixture {
    _tmp: tempfile::TempDir,
    id: UnlockedIdentity,
    store: CaseStore,
    lock: SittingLock,
    floor_dir: PathBuf,
    payload: Vec<u8>,
    ciphertext_len: usize,
}

fn save_fixture() -> &'static SaveFixture {
    static F: OnceLock<SaveFixture> = OnceLock::new();
    F.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("tempdir");
        let id = UnlockedIdentity::generate();
        // Two recipients, as with a supervisor key.
        let sup = UnlockedIdentity::generate();
        let recipients =
            Recipients::from_list(vec![id.recipient(), sup.recipient()]).expect("recipients");
        let store = CaseStore::new(&Paths::under(tmp.path()), RealDisk, recipients.clone());
        let case = store.create_case().expect("case");
        let sitting = store.new_sitting_id();
        let Access::Write(lock) = store.lock_sitting(&case, &sitting) else {
            panic!("lock")
        };
        let payload = sitting_payload();
        let ciphertext_len = encrypt(&payload, &recipients).expect("encrypt").len();
        let floor_dir = tmp.path().join("floor");
        std::fs::create_dir_all(&floor_dir).expect("floor dir");
        SaveFixture {
            _tmp: tmp,
            id,
            store,
            lock,
            floor_dir,
            payload,
            ciphertext_len,
        }
    })
}

#[divan::bench(sample_count = 200)]
fn save_sitting(bencher: Bencher) {
    let f = save_fixture();
    bencher.bench(|| {
        f.store
            .save_sitting(&f.lock, &f.payload, &f.id)
            .expect("save")
    });
}

/// The save as it was before signing: encrypt, then one durable replacement (temp, write,
/// fsync, rename, fsync folder), to a file of its own.
#[divan::bench(sample_count = 200)]
fn save_sitting_unsigned_before(bencher: Bencher) {
    let f = save_fixture();
    let target = f.floor_dir.join("unsigned.age");
    bencher.bench(|| {
        let ct = encrypt(&f.payload, f.store.recipients()).expect("encrypt");
        save_durable(&RealDisk, &target, &ct).expect("save")
    });
}

/// The floor: the same number of bytes, written, fsynced and renamed into place.
#[divan::bench(sample_count = 200)]
fn save_floor_write_fsync_rename(bencher: Bencher) {
    let f = save_fixture();
    let bytes = vec![0x5au8; f.ciphertext_len];
    let tmp = f.floor_dir.join("x.tmp");
    let target = f.floor_dir.join("x.age");
    bencher.bench(|| {
        let mut file = std::fs::File::create(&tmp).expect("create");
        file.write_all(&bytes).expect("write");
        file.sync_all().expect("fsync");
        drop(file);
        std::fs::rename(&tmp, &target).expect("rename");
    });
}

/// The signed save's own disk floor: the steps of [`interview_companion::store`]'s save
/// sequence (both temps written and flushed together, the statement renamed, the folder
/// flushed, the record renamed) on plain bytes of the same sizes, through the same `Disk`.
#[divan::bench(sample_count = 200)]
fn save_floor_signed_sequence(bencher: Bencher) {
    let f = save_fixture();
    let record = vec![0x5au8; f.ciphertext_len];
    // A statement of a one-sitting case is under a kilobyte.
    let statement = vec![0x41u8; 800];
    let disk = RealDisk;
    let dir = f.floor_dir.clone();
    let (record_tmp, record_path) = (dir.join("r.tmp"), dir.join("r.age"));
    let (statement_tmp, statement_path) = (dir.join("m.tmp"), dir.join("m.txt"));
    bencher.bench(|| {
        let _ = std::fs::remove_file(&record_tmp);
        let _ = std::fs::remove_file(&statement_tmp);
        let mut r = disk.create_new(&record_tmp).expect("create");
        disk.write_all(&mut r, &record_tmp, &record).expect("write");
        let mut m = disk.create_new(&statement_tmp).expect("create");
        disk.write_all(&mut m, &statement_tmp, &statement)
            .expect("write");
        disk.start_sync(&r, &record_tmp);
        disk.start_sync(&m, &statement_tmp);
        disk.sync_file(&r, &record_tmp).expect("fsync");
        disk.sync_file(&m, &statement_tmp).expect("fsync");
        drop(m);
        disk.rename(&statement_tmp, &statement_path)
            .expect("rename");
        disk.sync_dir(&dir).expect("fsync folder");
        drop(r);
        disk.rename(&record_tmp, &record_path).expect("rename");
    });
}

/// Encryption alone, to split the save's cost.
#[divan::bench]
fn save_encrypt_only(bencher: Bencher) {
    let f = save_fixture();
    bencher.bench(|| encrypt(&f.payload, f.store.recipients()).expect("encrypt"));
}

#[divan::bench(sample_count = 20)]
fn age_cli_encrypt_20kb(bencher: Bencher) {
    let f = save_fixture();
    let input = f.floor_dir.join("plain-for-age-cli");
    std::fs::write(&input, &f.payload).expect("write");
    let out = f.floor_dir.join("age-cli.age");
    let recipient = f.store.recipients().first().to_string();
    if std::process::Command::new("age")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIP age_cli_encrypt_20kb: `age` not installed");
        return;
    }
    bencher.bench(|| {
        let status = std::process::Command::new("age")
            .args(["-r", &recipient, "-o"])
            .arg(&out)
            .arg(&input)
            .status()
            .expect("age");
        assert!(status.success());
    });
}

struct OpenFixture {
    _tmp: tempfile::TempDir,
    store: CaseStore,
    id: UnlockedIdentity,
    case: CaseId,
    ciphertexts: Vec<Vec<u8>>,
}

const SITTINGS: usize = 1_000;

fn open_fixture() -> &'static OpenFixture {
    static F: OnceLock<OpenFixture> = OnceLock::new();
    F.get_or_init(|| {
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
            .save_case(&cl, b"format = 1\nreference = \"R\"\n", &id)
            .expect("case");
        let payload = sitting_payload();
        for _ in 0..SITTINGS {
            let sid = store.new_sitting_id();
            let Access::Write(l) = store.lock_sitting(&case, &sid) else {
                panic!("lock")
            };
            store.save_sitting(&l, &payload, &id).expect("save");
        }
        let ciphertexts = store
            .list_sittings(&case)
            .expect("list")
            .iter()
            .map(|s| std::fs::read(store.sitting_file(&case, s)).expect("read"))
            .collect();
        OpenFixture {
            _tmp: tmp,
            store,
            id,
            case,
            ciphertexts,
        }
    })
}

#[divan::bench(sample_count = 10)]
fn open_case_1000_sittings(bencher: Bencher) {
    let f = open_fixture();
    bencher.bench(|| {
        let opened = f.store.open_case(&f.case, &f.id).expect("open");
        assert_eq!(opened.sittings.len(), SITTINGS);
        opened
    });
}

/// The open as it was before signing: list, read and decrypt every file (no hashing, no
/// manifest).
#[divan::bench(sample_count = 10)]
fn open_case_unsigned_before(bencher: Bencher) {
    let f = open_fixture();
    bencher.bench(|| {
        let ids = f.store.list_sittings(&f.case).expect("list");
        let out: Vec<_> = ids
            .iter()
            .map(|s| {
                let bytes = std::fs::read(f.store.sitting_file(&f.case, s)).expect("read");
                decrypt(&bytes, &f.id).expect("decrypt")
            })
            .collect();
        let case = std::fs::read(f.store.case_file(&f.case)).expect("read");
        (out, decrypt(&case, &f.id).expect("decrypt"))
    });
}

/// The floor: decrypting the same 1,000 ciphertexts already in memory.
#[divan::bench(sample_count = 10)]
fn open_floor_decrypt_only_1000(bencher: Bencher) {
    let f = open_fixture();
    bencher.bench(|| {
        f.ciphertexts
            .iter()
            .map(|c| decrypt(c, &f.id).expect("decrypt"))
            .collect::<Vec<_>>()
    });
}
