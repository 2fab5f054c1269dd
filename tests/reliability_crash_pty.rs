//! Reliability item 1: the REAL binary in a pseudo-terminal, logging a scripted sitting,
//! SIGKILLed at random moments. After every kill the case is opened with the library:
//! every answer the screen had acknowledged (the header's "N/35 answered" in a frame drawn
//! after the save, with "✓ saved" in the footer) must decrypt, exactly as scripted, and no
//! file may be unreadable.
//!
//! Keys go in lock-step (one answer, then wait for the screen to count it, or for the kill),
//! so a frame cut short by the kill can never be read as more answers than were typed.
//!
//! CI runs 20 kills; `COMPANION_LONG=1` runs 500 (or `COMPANION_CRASH_RUNS`):
//!   COMPANION_LONG=1 cargo test --test reliability_crash_pty -- --nocapture
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use common::*;
use interview_companion::questionnaire::Catalog;
use interview_companion::session::{AnswerValue, EventKind};
use interview_companion::store::is_temp_name;

const REFERENCE: &str = "CRASH-0001";

/// The answered count in the header, if the screen shows one.
fn answered(screen: &str) -> Option<usize> {
    let at = screen.find("/35 answered")?;
    let digits: String = screen[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

#[derive(Default, Debug)]
struct Tally {
    runs: usize,
    kills_before_logging: usize,
    kills_while_logging: usize,
    acknowledged: usize,
    on_disk: usize,
    in_flight_at_kill: usize,
    lost: usize,
    unreadable: usize,
    /// Files whose signature check read as a problem (tampered, missing…) after a kill.
    tampered: usize,
    /// Interrupted saves the next open confirmed.
    confirmed: usize,
}

#[test]
#[cfg_attr(
    windows,
    ignore = "pseudo-terminal: under Wine its ConPTY shows nothing"
)]
fn sigkill_during_a_real_sitting_never_loses_an_acknowledged_answer() {
    let runs: usize = if long_run() {
        std::env::var("COMPANION_CRASH_RUNS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(500)
    } else {
        20
    };
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    init_home(&home);
    let reader = book(&home);
    let case = create_case(&reader, REFERENCE);
    let case_id = case.id.parse().unwrap();
    let questions: Vec<String> = Catalog::embedded()
        .get("suspect-interview")
        .unwrap()
        .questionnaire
        .questions()
        .map(|(_, q)| q.id.clone())
        .collect();
    assert_eq!(questions.len(), 35);

    let mut rng = Rng::from_env_or_time("COMPANION_CRASH_SEED");
    let mut known: BTreeSet<String> = BTreeSet::new();
    let mut tally = Tally::default();
    let started = Instant::now();
    for run in 0..runs {
        tally.runs += 1;
        // Don't know or declined, at random: both fit every question type.
        let script: Vec<char> = (0..questions.len())
            .map(|_| if rng.below(2) == 0 { 'd' } else { 'x' })
            .collect();
        let mut tui = Tui::start(&home);
        tui.unlock(PASSPHRASE, REFERENCE);
        let roll = rng.below(100);
        let mut sent = 0usize;
        let mut acked = 0usize;
        let reached_logging;
        if roll < 10 {
            // Killed while the sitting is being created (its first save).
            tui.keys(ENTER, &format!("Case {REFERENCE}"));
            tui.keys("s", "Start a sitting");
            tui.keys("images user", "Questionnaire: images user");
            tui.send(ENTER);
            std::thread::sleep(Duration::from_micros(rng.below(60_000)));
            tui.kill9();
            tui.drain(Duration::from_secs(5));
            reached_logging = tui.screen().contains("0/35 answered");
            tally.kills_before_logging += 1;
        } else {
            start_suspect_sitting(&mut tui, REFERENCE);
            reached_logging = true;
            // Kill somewhere in the time the whole script takes (~20 ms a key).
            let deadline = Instant::now() + Duration::from_micros(rng.below(800_000));
            while Instant::now() < deadline {
                let shown = answered(&tui.screen()).unwrap_or(0);
                if shown == sent && sent < script.len() {
                    std::thread::sleep(Duration::from_micros(rng.below(3_000)));
                    tui.send(&format!("{}j", script[sent]));
                    sent += 1;
                }
                tui.pump(Duration::from_millis(1));
                acked = acked.max(ack(&tui.screen(), sent));
            }
            tui.kill9();
            tally.kills_while_logging += 1;
        }
        // Everything drawn before the kill counts as shown.
        tui.drain(Duration::from_secs(5));
        let screen = tui.screen();
        assert!(
            !screen.contains("NOT SAVED"),
            "run {run}: a save failed on a healthy disk:\n{screen}"
        );
        acked = acked.max(ack(&screen, sent));

        // What survived.
        let record = reader.open_case(&case_id).unwrap();
        tally.unreadable += record.problems.len();
        tally.confirmed += reader.store().take_notes().len();
        let bad: Vec<String> = record.custody.problems().collect();
        tally.tampered += bad.len();
        assert!(
            bad.is_empty() && !record.custody.statement.is_problem(),
            "run {run}: a kill left files that read as tampered: {bad:?} {}",
            record.custody.statement
        );
        assert!(
            record.problems.is_empty(),
            "run {run}: unreadable files: {:?}",
            record.problems
        );
        let new: Vec<_> = record
            .sittings
            .iter()
            .filter(|s| !known.contains(&s.id))
            .collect();
        assert!(new.len() <= 1, "run {run}: more than one new sitting");
        if reached_logging {
            assert_eq!(new.len(), 1, "run {run}: the started sitting is missing");
        }
        let on_disk = match new.first() {
            None => 0,
            Some(sitting) => {
                known.insert(sitting.id.clone());
                // The events on disk are exactly the first scripted answers, in order.
                for (k, event) in sitting.events.iter().enumerate() {
                    let want = match script.get(k) {
                        Some('d') => AnswerValue::DontKnow,
                        Some(_) => AnswerValue::Declined,
                        None => panic!("run {run}: more events than keys sent"),
                    };
                    assert_eq!(
                        event.kind,
                        EventKind::Answer {
                            question: questions[k].clone(),
                            value: want
                        },
                        "run {run}: event {k} is not what was typed"
                    );
                }
                sitting.events.len()
            }
        };
        assert!(
            on_disk <= sent,
            "run {run}: {on_disk} answers on disk but only {sent} typed"
        );
        if on_disk < acked {
            tally.lost += acked - on_disk;
        }
        assert!(
            on_disk >= acked,
            "run {run}: {acked} answers shown as saved, only {on_disk} on disk"
        );
        if on_disk < sent {
            tally.in_flight_at_kill += 1;
        }
        tally.acknowledged += acked;
        tally.on_disk += on_disk;
    }
    let leftovers = std::fs::read_dir(reader.store().case_dir(&case_id))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| is_temp_name(n))
        .count();
    eprintln!(
        "crash-pty: {} runs in {:.0?}: {} SIGKILLs while logging, {} while starting a \
         sitting; {} answers acknowledged on screen, {} on disk; {} kills with a keypress \
         in flight; {} leftover temp files (kills mid-save); lost = {}, unreadable = {}; \
         signature checks after each kill: tampered = {}, interrupted saves confirmed at the \
         next open = {}",
        tally.runs,
        started.elapsed(),
        tally.kills_while_logging,
        tally.kills_before_logging,
        tally.acknowledged,
        tally.on_disk,
        tally.in_flight_at_kill,
        leftovers,
        tally.lost,
        tally.unreadable,
        tally.tampered,
        tally.confirmed
    );
    assert_eq!(tally.tampered, 0);
    assert_eq!(tally.lost, 0);
    assert_eq!(tally.unreadable, 0);
    assert!(
        tally.acknowledged > runs,
        "too few answers acknowledged for the test to mean anything: {tally:?}"
    );
}

/// The answered count shown as saved: the header's count in a frame whose footer says
/// saved. A frame cut short by the kill can mix digits of two counts; a count above what
/// was typed is such a mix and is not taken.
fn ack(screen: &str, sent: usize) -> usize {
    if !screen.contains("✓ saved") {
        return 0;
    }
    match answered(screen) {
        Some(n) if n <= sent => n,
        _ => 0,
    }
}
