//! Fault injection at every step of `case receive`: fail the 1st, 2nd, 3rd… file
//! operation of a receipt until it goes through, and check each time that the receiver's
//! case is exactly as it was (same files, same sittings, every signature holding) or, when
//! the receipt went through despite a fault after its last essential step, exactly as a
//! clean receipt leaves it. Never a third state.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use common::{book, create_case, init_home, secret};
use interview_companion::paths::Paths;
use interview_companion::questionnaire::{Catalog, Respondent};
use interview_companion::records::CaseBook;
use interview_companion::session::{AnswerValue, Clock, EventKind, Sitting, SystemClock};
use interview_companion::store::{CaseStore, FaultyDisk, RealDisk, read_recipients, unlock};
use interview_companion::transfer;

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Local::now().fixed_offset()
}

fn answer(open: &mut interview_companion::records::OpenSitting, q: &str) {
    open.sitting.record(
        EventKind::Answer {
            question: q.into(),
            value: AnswerValue::Number { number: 3.0 },
        },
        SystemClock::start().stamp(),
    );
}

/// What a person sees of a home's cases: per case, its reference, its files and sittings,
/// and every problem or failed signature. Lock files (empty, never part of a case) aside.
type State = Vec<(String, Vec<String>, Vec<(String, Sitting)>, Vec<String>)>;

fn state<D: interview_companion::store::Disk>(b: &CaseBook<D>, cases: &Path) -> State {
    let mut out = Vec::new();
    for c in b.list().unwrap().cases {
        let r = b.open_case(&c.id).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(cases.join(c.id.as_str()))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".lock"))
            .collect();
        names.sort();
        let mut problems: Vec<String> = r.problems.iter().map(ToString::to_string).collect();
        problems.extend(r.custody.problems());
        problems.extend(
            r.origins
                .iter()
                .filter(|o| o.is_problem())
                .map(ToString::to_string),
        );
        out.push((
            c.reference,
            names,
            r.files.into_iter().zip(r.sittings).collect(),
            problems,
        ));
    }
    // A folder left behind that lists as no case is a state too.
    let folders = std::fs::read_dir(cases).map_or(0, |d| d.count());
    out.push((
        format!("{folders} folders"),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    ));
    out
}

fn copy_tree(from: &Path, to: &Path) {
    if to.exists() {
        std::fs::remove_dir_all(to).unwrap();
    }
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Receives `file` into `home` with the Nth operation failing, for N = 1, 2, … until a
/// receipt sees no fault; checks every outcome against `before` and the clean `after`.
fn every_fault(home: &Path, file: &Path) -> u64 {
    let paths = Paths::under(home);
    let cases = paths.cases_dir();
    let saved = home.join("saved-cases");
    std::fs::create_dir_all(&cases).unwrap();
    copy_tree(&cases, &saved);
    let identity = unlock(&RealDisk, &paths, &secret()).unwrap();
    let recipients = read_recipients(&RealDisk, &paths.recipients_file()).unwrap();
    let b = CaseBook::with_store(
        CaseStore::new(&paths, FaultyDisk::new(RealDisk), recipients),
        identity,
    );
    let before = state(&b, &cases);
    let received = transfer::receive_file(&b, file, None, now()).unwrap();
    assert!(received.wrote, "{:?}", received.lines);
    let after = state(&b, &cases);
    assert_ne!(before, after);
    let mut n = 1;
    loop {
        copy_tree(&saved, &cases);
        assert_eq!(state(&b, &cases), before);
        b.store().disk().fail_nth(n, ErrorKind::Other);
        let result = transfer::receive_file(&b, file, None, now());
        let fired = !b.store().disk().failed().is_empty();
        b.store().disk().clear();
        let found = state(&b, &cases);
        match &result {
            Ok(r) if r.wrote => assert_eq!(found, after, "fault {n}: went through"),
            Ok(r) => panic!("fault {n}: {:?}", r.lines),
            Err(e) => assert_eq!(found, before, "fault {n} ({e}): not as it was"),
        }
        if !fired {
            assert!(result.is_ok());
            return n;
        }
        n += 1;
    }
}

/// Home A: a case with a suspect sitting; the transfer file of it for `to`.
fn sender() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("a");
    init_home(&home);
    (tmp, home)
}

fn send(home: &Path, to: &str, out: &Path) {
    let b = book(home);
    let summary = transfer::send_case(
        &b,
        &Paths::under(home),
        "DEMO-0001",
        &[to.to_string()],
        out,
        true,
        now(),
    );
    assert!(summary.is_ok(), "{:?}", summary.err());
}

#[test]
fn every_fault_in_receiving_a_new_case_or_a_merge_leaves_the_case_as_it_was() {
    let (tmp, a) = sender();
    let c = tmp.path().join("c");
    let c_key = init_home(&c).recipient().to_string();
    drop(book(&c));
    let catalog = Catalog::embedded();
    let ab = book(&a);
    let case = create_case(&ab, "DEMO-0001");
    let clock = SystemClock::start();
    let mut s1 = ab
        .start_sitting(
            &case,
            catalog.get("suspect-interview").unwrap(),
            Respondent::Suspect,
            vec![],
            &clock,
        )
        .unwrap();
    answer(&mut s1, "hours-online");
    ab.save_sitting(&s1).unwrap();
    ab.finish_sitting(&s1);
    let first = tmp.path().join("first.tar");
    send(&a, &c_key, &first);

    // A new case: every fault leaves no case at all, or the whole of it.
    let steps_new = every_fault(&c, &first);
    // Now C holds it; A's sitting grows and a partner sitting is added: a merge that
    // replaces one sitting, adds one and rewrites the case file.
    answer(&mut s1, "devices");
    ab.save_sitting(&s1).unwrap();
    ab.finish_sitting(&s1);
    let mut s2 = ab
        .start_sitting(
            &case,
            catalog.get("partner-interview").unwrap(),
            Respondent::Partner,
            vec![],
            &clock,
        )
        .unwrap();
    answer(&mut s2, "hours-online");
    ab.save_sitting(&s2).unwrap();
    ab.finish_sitting(&s2);
    drop((s1, s2));
    let second = tmp.path().join("second.tar");
    send(&a, &c_key, &second);
    let steps_merge = every_fault(&c, &second);
    eprintln!("faults tried: {steps_new} (new case), {steps_merge} (merge)");
    assert!(
        steps_new > 10 && steps_merge > 10,
        "{steps_new} {steps_merge}"
    );
}
