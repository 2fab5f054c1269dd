//! Crash safety: a child process saves one sitting in a loop, printing "acked N ok" after
//! each save returns; the parent SIGKILLs it at random moments, hundreds of times, and
//! checks that the file always decrypts to a complete version no older than the last
//! acknowledged one (and no newer than the one being written).
//!
//! The child is this same test binary, re-run with `--exact crash_child_saver` and an env
//! var telling it what to do; run normally, that test returns at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use interview_companion::custody::verdict::{Standing, Trusted, judge};
use interview_companion::paths::Paths;
use interview_companion::store::{
    Access, CaseId, CaseStore, RealDisk, Recipients, SittingId, UnlockedIdentity, decrypt,
    is_temp_name,
};

const CHILD_ENV: &str = "STORE_CRASH_CHILD";
const KILLS: usize = 300;
/// Under Wine each kill costs a Windows process start (about a second on a loaded CI
/// machine against milliseconds natively): fewer there, for CI's time; still every kill
/// a TerminateProcess of a save in flight.
const KILLS_UNDER_WINE: usize = 60;

/// The plaintext of version `n`: its length varies with `n`, so a mix of two versions or a
/// cut one can never pass for a complete one.
fn payload(n: u64) -> Vec<u8> {
    let mut s = format!("version = {n}\n");
    let target = 18_000 + (n as usize * 37) % 4_000;
    let mut i = 0;
    while s.len() < target {
        s.push_str(&format!("[[event]]\nq = \"q{i}\"\nv = \"v{n}-{i}\"\n"));
        i += 1;
    }
    s.into_bytes()
}

fn version_of(plain: &[u8]) -> u64 {
    let text = std::str::from_utf8(plain).expect("plaintext is UTF-8");
    let n: u64 = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("version = "))
        .and_then(|v| v.parse().ok())
        .expect("version line");
    assert_eq!(
        plain,
        payload(n).as_slice(),
        "version {n} is incomplete or mixed"
    );
    n
}

/// Not a real test: the body of the child process. Does nothing unless `CHILD_ENV` is set.
#[test]
fn crash_child_saver() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    // home|identity (test key)|case|sitting|first version
    let parts: Vec<&str> = spec.split('|').collect();
    let identity = UnlockedIdentity::from_age(parts[1].parse().expect("identity"));
    let store = CaseStore::new(
        &Paths::under(std::path::Path::new(parts[0])),
        RealDisk,
        Recipients::single(identity.recipient()),
    );
    let case: CaseId = parts[2].parse().expect("case id");
    let sitting: SittingId = parts[3].parse().expect("sitting id");
    let first: u64 = parts[4].parse().expect("first version");
    let lock = match store.lock_sitting(&case, &sitting) {
        Access::Write(l) => l,
        Access::ReadOnly(ro) => panic!("child could not lock (stale lock after a kill?): {ro}"),
    };
    // As the program does on taking a sitting up: confirm a save the last kill interrupted.
    store.settle_sitting(&lock, &identity);
    let mut out = std::io::stdout().lock();
    for n in first.. {
        store
            .save_sitting(&lock, &payload(n), &identity)
            .expect("save");
        writeln!(out, "acked {n} ok").expect("stdout");
        out.flush().expect("flush");
    }
}

/// A small xorshift PRNG: random kill moments without another dependency.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn sigkill_at_random_moments_never_loses_an_acknowledged_save() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let age_key = age::x25519::Identity::generate();
    let id = UnlockedIdentity::from_age(age_key.clone());
    let store = CaseStore::new(
        &Paths::under(tmp.path()),
        RealDisk,
        Recipients::single(id.recipient()),
    );
    let case = store.create_case().expect("case");
    let sitting = store.new_sitting_id();
    {
        let Access::Write(l) = store.lock_sitting(&case, &sitting) else {
            panic!("lock")
        };
        store
            .save_sitting(&l, &payload(0), &id)
            .expect("first save");
    }
    let path = store.sitting_file(&case, &sitting);
    let exe = std::env::current_exe().expect("current_exe");
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0x9E37_79B9_7F4A_7C15)
        | 1;
    eprintln!("crash test seed {seed}");
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut on_disk = 0u64;
    let (mut kills_mid_run, mut total_acks, mut kills_after_an_ack) = (0usize, 0u64, 0usize);
    let (mut verdicts_checked, mut interrupted) = (0usize, 0usize);
    let kills = if common::under_wine() {
        KILLS_UNDER_WINE
    } else {
        KILLS
    };
    for round in 0..kills {
        let first = on_disk + 1;
        let spec = format!(
            "{}|{}|{case}|{sitting}|{first}",
            tmp.path().display(),
            age::secrecy::ExposeSecret::expose_secret(&age_key.to_string())
        );
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash_child_saver",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, spec)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn child");
        let stdout = child.stdout.take().expect("stdout");
        let (first_ack_tx, first_ack) = std::sync::mpsc::channel::<()>();
        let reader = std::thread::spawn(move || {
            let mut last = None;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                // The first ack shares a line with libtest's "test crash_child_saver ... ".
                if let Some((_, n)) = line.split_once("acked ") {
                    // " ok" ends the line, so a line cut short by the kill never counts.
                    if let Some(n) = n.strip_suffix(" ok") {
                        last = n.parse::<u64>().ok().or(last);
                        first_ack_tx.send(()).ok();
                    }
                }
            }
            last
        });
        // Kill somewhere between start-up and a few dozen saves in. One round in ten kills
        // blind (often during start-up or the first save); the rest wait for the first ack
        // and then kill at random, so a loaded machine, where start-up alone can outlast
        // the random delay, still kills mid-save rather than always before the first one.
        if rng.below(10) != 0 {
            first_ack.recv_timeout(Duration::from_secs(20)).ok();
        }
        std::thread::sleep(Duration::from_micros(rng.below(25_000)));
        let still_running = child.try_wait().expect("try_wait").is_none();
        // std sends SIGKILL on Unix and calls TerminateProcess on Windows: both abrupt.
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("wait");
        let last_acked = reader.join().expect("reader thread");
        if !still_running {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                std::io::Read::read_to_string(&mut e, &mut err).ok();
            }
            panic!("round {round}: child exited by itself ({status}): {err}");
        }
        kills_mid_run += 1;
        let bytes = std::fs::read(&path).expect("sitting file exists");
        let plain = decrypt(&bytes, &id)
            .unwrap_or_else(|p| panic!("round {round}: file does not decrypt: {p}"));
        let n = version_of(&plain);
        // Whatever the kill interrupted, the signatures check out: never "tampered".
        let opened = store.open_case(&case, &id).expect("open");
        let custody = judge(
            case.as_str(),
            &opened.statement(false),
            &opened.files,
            &Trusted::own(id.signing().public().clone()),
        );
        assert_ne!(
            custody.standing(),
            Standing::Problem,
            "round {round}: a kill left a state that reads as tampered: {custody:?}"
        );
        verdicts_checked += 1;
        interrupted += custody.interrupted.len();
        if let Some(acked) = last_acked {
            total_acks += acked + 1 - first;
            kills_after_an_ack += 1;
            assert!(
                n >= acked,
                "round {round}: on disk {n} < acknowledged {acked}"
            );
            assert!(
                n <= acked + 1,
                "round {round}: on disk {n} > being written {}",
                acked + 1
            );
        } else {
            assert!(
                n == on_disk || n == first,
                "round {round}: {n} from nowhere"
            );
        }
        on_disk = n;
    }
    let leftovers = std::fs::read_dir(store.case_dir(&case))
        .expect("read_dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| is_temp_name(n))
        .count();
    // Killed saves leave temp files; listing ignores them and the next lock holder sweeps
    // them, so at most the last kill's one is left.
    // One of the record and one of the statement, at most.
    assert!(leftovers <= 2, "{leftovers} temp files piled up");
    assert_eq!(
        store.list_sittings(&case).expect("list"),
        vec![sitting.clone()]
    );
    eprintln!(
        "{kills_mid_run} kills ({kills_after_an_ack} after an ack), {total_acks} acknowledged \
         saves, last version {on_disk}, {leftovers} leftover temp file(s); {verdicts_checked} \
         custody checks, {interrupted} with an interrupted (pending) save, 0 tampered; {:?}",
        started.elapsed()
    );
    // The test means something only if most kills land once saving has begun (on a slow
    // disk a round may see only one or two acks, which is enough).
    assert!(
        kills_after_an_ack * 2 > kills,
        "only {kills_after_an_ack} of {kills} kills came after a save was acknowledged"
    );
}
