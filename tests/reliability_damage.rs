//! Reliability item 4, at the level of whole records (the case book), for EVERY file of a
//! case — the case file and each sitting: truncations at many offsets, random bit flips,
//! and files swapped between cases or renamed within one. Each must be detected, reported
//! by the file's name without quoting answers, left byte-for-byte as it was (nothing in the
//! data folder changes), and the rest of the case — and every other case — still opens.
//!
//! `tests/store_damage.rs` sweeps one sitting's bytes exhaustively at the store level; this
//! adds the case file, real records, the payload checks and swaps. Long version (every
//! header byte, more payload offsets, more flips):
//!   COMPANION_LONG=1 cargo test --test reliability_damage -- --nocapture
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::DateTime;
use common::{Rng, long_run, snapshot};
use interview_companion::paths::Paths;
use interview_companion::questionnaire::{Catalog, Respondent};
use interview_companion::records::{CaseBook, OpenSitting};
use interview_companion::session::{AnswerValue, Case, EventKind, FixedClock, Subject};
use interview_companion::store::{
    CaseId, CaseStore, ProblemKind, RealDisk, Recipients, UnlockedIdentity,
};

/// Appears in every note and observation: no problem message may quote it.
const SECRET_TEXT: &str = "QUOKKA-ANSWER-TEXT";

struct Fixture {
    _tmp: tempfile::TempDir,
    data: PathBuf,
    book: CaseBook,
    a: CaseId,
    b: CaseId,
    /// Every file of case A: the case file, then its sittings.
    files_a: Vec<PathBuf>,
    sittings_per_case: usize,
}

fn start_sittings(book: &CaseBook, case: &Case, clock: &FixedClock, big: bool) {
    let catalog = Catalog::embedded();
    let q = catalog.get("suspect-interview").unwrap();
    let ids: Vec<String> = q
        .questionnaire
        .questions()
        .map(|(_, q)| q.id.clone())
        .collect();
    for n in 0..3 {
        let mut open: OpenSitting = book
            .start_sitting(
                case,
                q,
                Respondent::Suspect,
                vec!["Interviewer One".into()],
                clock,
            )
            .unwrap();
        for id in ids.iter().take(10) {
            open.sitting.record(
                EventKind::Answer {
                    question: id.clone(),
                    value: AnswerValue::DontKnow,
                },
                clock_stamp(clock),
            );
        }
        // One sitting over 64 KiB, so cuts and flips land in a second age chunk too.
        let len = if big && n == 1 { 70_000 } else { 200 };
        let mut note = String::new();
        while note.len() < len {
            note.push_str(SECRET_TEXT);
            note.push(' ');
        }
        open.sitting.record(
            EventKind::Note {
                question: ids[0].clone(),
                text: note,
            },
            clock_stamp(clock),
        );
        open.sitting.record(
            EventKind::Observation {
                text: format!("{SECRET_TEXT} observation {n}"),
            },
            clock_stamp(clock),
        );
        book.save_sitting(&open).unwrap();
        // Left, as the screens leave a sitting: its last save is confirmed in the signed
        // statement, so opening the case has no interrupted save to confirm (and writes
        // nothing).
        book.finish_sitting(&open);
    }
}

fn clock_stamp(clock: &FixedClock) -> interview_companion::session::Stamp {
    use interview_companion::session::Clock;
    clock.stamp()
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let paths = Paths::under(tmp.path());
        let identity = UnlockedIdentity::generate();
        let store = CaseStore::new(&paths, RealDisk, Recipients::single(identity.recipient()));
        let book = CaseBook::with_store(store, identity);
        let clock =
            FixedClock::new(DateTime::parse_from_rfc3339("2026-03-02T10:00:00+00:00").unwrap());
        let subjects = vec![Subject {
            role: Respondent::Suspect,
            label: format!("{SECRET_TEXT} subject"),
        }];
        let case_a = book
            .create_case("DAMAGE-A", subjects.clone(), clock_stamp(&clock).at)
            .unwrap();
        let case_b = book
            .create_case("DAMAGE-B", subjects, clock_stamp(&clock).at)
            .unwrap();
        start_sittings(&book, &case_a, &clock, true);
        start_sittings(&book, &case_b, &clock, false);
        let a: CaseId = case_a.id.parse().unwrap();
        let b: CaseId = case_b.id.parse().unwrap();
        let mut files_a = vec![book.store().case_file(&a)];
        for s in book.store().list_sittings(&a).unwrap() {
            files_a.push(book.store().sitting_file(&a, &s));
        }
        Fixture {
            _tmp: tmp,
            data: paths.data,
            book,
            a,
            b,
            files_a,
            sittings_per_case: 3,
        }
    }

    /// Opens case A (and lists all cases) with `victim` damaged, and checks the contract.
    /// Returns the victim's problem.
    fn check_damaged(&self, victim: &Path, what: &str) -> ProblemKind {
        let before = snapshot(&self.data);
        let record = self.book.open_case(&self.a).unwrap();
        let list = self.book.list().unwrap();
        let other = self.book.open_case(&self.b).unwrap();
        assert_eq!(
            snapshot(&self.data),
            before,
            "{what}: opening changed the data folder"
        );
        assert_eq!(record.problems.len(), 1, "{what}: {:?}", record.problems);
        let problem = &record.problems[0];
        assert_eq!(problem.path, victim, "{what}: the wrong file is named");
        let msg = problem.to_string();
        let name = victim.file_name().unwrap().to_string_lossy();
        assert!(
            msg.contains(&*name),
            "{what}: message does not name the file: {msg}"
        );
        assert!(msg.contains("left untouched"), "{what}: {msg}");
        assert!(
            !msg.contains(SECRET_TEXT),
            "{what}: message quotes answers: {msg}"
        );
        // The rest of case A opens.
        let case_damaged = victim == self.book.store().case_file(&self.a);
        if case_damaged {
            assert!(record.case.is_none(), "{what}");
            assert_eq!(record.sittings.len(), self.sittings_per_case, "{what}");
            assert_eq!(list.problems.len(), 1, "{what}");
            assert_eq!(list.problems[0].path, victim, "{what}");
        } else {
            assert!(record.case.is_some(), "{what}: the case file did not open");
            assert_eq!(record.sittings.len(), self.sittings_per_case - 1, "{what}");
            assert!(list.problems.is_empty(), "{what}: {:?}", list.problems);
        }
        // The other case is untouched by any of it.
        assert!(other.problems.is_empty(), "{what}: {:?}", other.problems);
        assert_eq!(other.sittings.len(), self.sittings_per_case);
        assert_eq!(list.cases.len(), if case_damaged { 1 } else { 2 }, "{what}");
        problem.kind.clone()
    }

    fn all_clean(&self) {
        for id in [&self.a, &self.b] {
            let r = self.book.open_case(id).unwrap();
            assert!(r.problems.is_empty(), "{:?}", r.problems);
            assert!(r.case.is_some());
            assert_eq!(r.sittings.len(), self.sittings_per_case);
        }
    }
}

/// The offset just past the age header (the `---` MAC line).
fn header_end(bytes: &[u8]) -> usize {
    bytes.windows(4).position(|w| w == b"\n---").unwrap() + 48
}

#[test]
fn truncation_of_every_file_at_many_offsets_is_detected() {
    let f = Fixture::new();
    f.all_clean();
    let long = long_run();
    let mut checked = 0usize;
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for victim in &f.files_a {
        let original = std::fs::read(victim).unwrap();
        let len = original.len();
        let head = header_end(&original).min(len);
        let mut cuts: Vec<usize> = (0..head).step_by(if long { 1 } else { 23 }).collect();
        cuts.extend((head..len).step_by(if long { 101 } else { 1_999 }));
        cuts.extend([head, head + 1, len - 17, len - 16, len - 1]);
        for cut in cuts.into_iter().filter(|&c| c < len) {
            std::fs::write(victim, &original[..cut]).unwrap();
            let kind = f.check_damaged(victim, &format!("{} cut at {cut}/{len}", victim.display()));
            *kinds.entry(format!("{kind:?}")).or_default() += 1;
            assert_eq!(std::fs::read(victim).unwrap(), &original[..cut]);
            checked += 1;
        }
        std::fs::write(victim, &original).unwrap();
    }
    f.all_clean();
    eprintln!(
        "damage: {checked} truncations over {} files, all detected: {kinds:?}",
        f.files_a.len()
    );
}

#[test]
fn random_bit_flips_in_every_file_are_detected() {
    let f = Fixture::new();
    let mut rng = Rng::from_env_or_time("COMPANION_DAMAGE_SEED");
    let per_file = if long_run() { 2_000 } else { 50 };
    let mut checked = 0usize;
    for victim in &f.files_a {
        let original = std::fs::read(victim).unwrap();
        for i in 0..per_file {
            let mut bytes = original.clone();
            // Half of the flips in the header, where most of the structure is.
            let head = header_end(&original);
            let pos = if i % 2 == 0 {
                rng.below(head as u64) as usize
            } else {
                rng.below(bytes.len() as u64) as usize
            };
            let bit = rng.below(8);
            bytes[pos] ^= 1 << bit;
            std::fs::write(victim, &bytes).unwrap();
            f.check_damaged(
                victim,
                &format!("{} bit {bit} of byte {pos}", victim.display()),
            );
            assert_eq!(std::fs::read(victim).unwrap(), bytes);
            checked += 1;
        }
        std::fs::write(victim, &original).unwrap();
    }
    f.all_clean();
    eprintln!("damage: {checked} random bit flips, all detected");
}

#[test]
fn files_swapped_between_cases_or_renamed_are_detected() {
    let f = Fixture::new();
    let store = f.book.store();
    let sittings_a = store.list_sittings(&f.a).unwrap();
    let sittings_b = store.list_sittings(&f.b).unwrap();

    // A sitting of case B copied over a sitting of case A (same name would need the same
    // id; a different one is what a careless copy gives): case A must not take it in.
    let victim = store.sitting_file(&f.a, &sittings_a[0]);
    let original = std::fs::read(&victim).unwrap();
    std::fs::copy(store.sitting_file(&f.b, &sittings_b[0]), &victim).unwrap();
    let kind = f.check_damaged(&victim, "sitting of case B over a sitting of case A");
    assert!(
        matches!(&kind, ProblemKind::Misplaced(why) if why.contains(f.b.as_str())),
        "{kind:?}"
    );
    std::fs::write(&victim, &original).unwrap();

    // A sitting of case B copied into case A under its own name (a new file in A).
    let copied = store.sitting_file(&f.a, &sittings_b[1]);
    std::fs::copy(store.sitting_file(&f.b, &sittings_b[1]), &copied).unwrap();
    let record = f.book.open_case(&f.a).unwrap();
    assert_eq!(record.problems.len(), 1, "{:?}", record.problems);
    assert_eq!(record.problems[0].path, copied);
    assert!(matches!(record.problems[0].kind, ProblemKind::Misplaced(_)));
    assert!(record.problems[0].to_string().contains("copied"));
    assert_eq!(record.sittings.len(), f.sittings_per_case);
    assert!(record.sittings.iter().all(|s| s.case_id == f.a.as_str()));
    std::fs::remove_file(&copied).unwrap();

    // Case B's case file copied over case A's.
    let victim = store.case_file(&f.a);
    let original = std::fs::read(&victim).unwrap();
    std::fs::copy(store.case_file(&f.b), &victim).unwrap();
    let kind = f.check_damaged(&victim, "case file of B over case file of A");
    assert!(matches!(kind, ProblemKind::Misplaced(_)), "{kind:?}");
    std::fs::write(&victim, &original).unwrap();

    // Two sittings of case A swapped by name: both are named, neither is taken in.
    let (x, y) = (
        store.sitting_file(&f.a, &sittings_a[1]),
        store.sitting_file(&f.a, &sittings_a[2]),
    );
    let (bx, by) = (std::fs::read(&x).unwrap(), std::fs::read(&y).unwrap());
    std::fs::write(&x, &by).unwrap();
    std::fs::write(&y, &bx).unwrap();
    let record = f.book.open_case(&f.a).unwrap();
    let named: Vec<&PathBuf> = record.problems.iter().map(|p| &p.path).collect();
    assert_eq!(named.len(), 2, "{:?}", record.problems);
    assert!(named.contains(&&x) && named.contains(&&y));
    assert!(
        record
            .problems
            .iter()
            .all(|p| matches!(p.kind, ProblemKind::Misplaced(_)))
    );
    assert_eq!(std::fs::read(&x).unwrap(), by, "swapped file was modified");
    assert_eq!(record.sittings.len(), 1);
    std::fs::write(&x, &bx).unwrap();
    std::fs::write(&y, &by).unwrap();
    f.all_clean();
}
