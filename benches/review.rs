//! Review benchmarks (run: `cargo bench --bench review`): a case of 1,000 sittings (a core
//! assessment, the record; 500 suspect interviews, 499 partner interviews; realistic answers
//! to every cross-check key, some corrected, some don't know, some with notes; each person's
//! answers differing from one sitting to the next, so thousands of changes between sittings),
//! written through the real store.
//!
//! - `review_open_compare_1000`: what the review needs: open the case (list, read, decrypt
//!   and parse every sitting) and run the analysis (every pair of sources per key, the
//!   record among them, and every change between sittings).
//! - `review_screen_open_1000`: the review screen's whole build on top (each side's history
//!   per question, and each change's).
//! - `split_open_case_only_1000`, `split_parse_only_1000`, `split_compare_only_1000`,
//!   `split_pairs_only_1000`: where the time of the first goes (opening, of which parsing
//!   the TOML; the analysis, of which the pairs without the changes).
//! - `floor_decrypt_only_1000`: the floor, decrypting the same 1,000 ciphertexts already in
//!   memory.
//! - `age_cli_loop_1000`: a shell loop running the stock `age -d -i identity.txt` on each of
//!   the 1,000 files (one loop per iteration); skipped with a message if `age` is missing.
//!
//! Ratios against the floor, not absolute times, are what to compare (BENCHMARKS.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use age::secrecy::ExposeSecret;
use divan::Bencher;
use interview_companion::compare::{Status, analyse_case, compare_case};
use interview_companion::paths::Paths;
use interview_companion::questionnaire::{Catalog, Respondent};
use interview_companion::records::CaseBook;
use interview_companion::session::{AnswerValue, Clock, EventKind, FixedClock, Sitting, Subject};
use interview_companion::store::{
    CaseId, CaseStore, RealDisk, Recipients, UnlockedIdentity, decrypt,
};
use interview_companion::tui::screens::review::ReviewScreen;

const PER_SIDE: usize = 500;
const STEPS: [&str; 5] = ["None", "Low", "Moderate", "High", "Very high"];
const YES_NO: [&str; 7] = [
    "reduced-sexual-interest",
    "emotional-withdrawal",
    "online-preoccupation",
    "broken-promises-to-stop",
    "risk-taking",
    "downloading-near-children",
    "sexual-activity-change",
];
const SCALES: [&str; 3] = ["life-disruption", "emotional-support", "social-isolation"];
/// The suspect's questions the record also answers (besides ◆6 and ◆11 above).
const SUSPECT_RECORD: [&str; 3] = ["material-hidden", "images-exchanged", "images-created"];
/// The record's items that share a key with an interview, yes/no ones first.
const RECORD_YES_NO: [&str; 5] = [
    "evidence-of-trading",
    "home-made-images",
    "material-hidden",
    "children-present-viewing",
    "domestic-abuse-history",
];
/// People met online, a choice since 1.1.0.
const MET: [&str; 4] = [
    "No",
    "With adults",
    "With children",
    "With adults and children",
];

fn main() {
    divan::main();
}

struct Fixture {
    _tmp: tempfile::TempDir,
    book: CaseBook,
    catalog: Catalog,
    case: CaseId,
    /// The plaintext identity, for the stock `age` only (inside the temporary folder).
    identity_file: PathBuf,
    /// The same identity, for the in-memory floor.
    identity: UnlockedIdentity,
    files: Vec<PathBuf>,
    ciphertexts: Vec<Vec<u8>>,
}

/// A small deterministic generator (no dependency, same case every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One sitting's answers to its cross-check keys, as an interviewer would log them: most
/// answered, a few don't know, a few corrected once, a few with a note.
fn answers(rng: &mut Lcg, who: Respondent) -> Vec<EventKind> {
    let mut out = Vec::new();
    let mut answer = |rng: &mut Lcg, question: &str, value: AnswerValue| {
        if rng.below(20) == 0 {
            out.push(EventKind::Answer {
                question: question.into(),
                value: AnswerValue::DontKnow,
            });
            return;
        }
        if rng.below(10) == 0 {
            // Corrected later in the sitting: the first answer stays in the history.
            out.push(EventKind::Answer {
                question: question.into(),
                value: value.clone(),
            });
        }
        out.push(EventKind::Answer {
            question: question.into(),
            value,
        });
        if rng.below(5) == 0 {
            out.push(EventKind::Note {
                question: question.into(),
                text: "Hesitated before answering; came back to it later.".into(),
            });
        }
    };
    if who == Respondent::None {
        for q in RECORD_YES_NO {
            let yes = rng.below(2) == 0;
            answer(rng, q, AnswerValue::YesNo { yes });
        }
        let step = STEPS[rng.below(5) as usize].to_string();
        answer(rng, "family-isolated", AnswerValue::Scale { step });
        return out;
    }
    let hours = (rng.below(60) + 1) as f64;
    answer(rng, "hours-online", AnswerValue::Number { number: hours });
    let share = (rng.below(11) * 10) as f64;
    answer(
        rng,
        "online-time-abuse-share",
        AnswerValue::Number { number: share },
    );
    for q in SCALES {
        let step = STEPS[rng.below(5) as usize].to_string();
        answer(rng, q, AnswerValue::Scale { step });
    }
    for q in YES_NO {
        let yes = rng.below(2) == 0;
        answer(rng, q, AnswerValue::YesNo { yes });
    }
    let option = MET[rng.below(4) as usize].to_string();
    answer(rng, "met-online-contact", AnswerValue::Choice { option });
    let own: &[&str] = if who == Respondent::Suspect {
        &SUSPECT_RECORD
    } else {
        &["domestic-abuse"]
    };
    for q in own {
        let yes = rng.below(2) == 0;
        answer(rng, q, AnswerValue::YesNo { yes });
    }
    out
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("tempdir");
        let secret = age::x25519::Identity::generate();
        let identity_file = tmp.path().join("identity.txt");
        std::fs::write(
            &identity_file,
            format!("{}\n", secret.to_string().expose_secret()),
        )
        .expect("identity file");
        let again: age::x25519::Identity = secret
            .to_string()
            .expose_secret()
            .parse()
            .expect("identity parses");
        let paths = Paths::under(&tmp.path().join("home"));
        let store = CaseStore::new(&paths, RealDisk, Recipients::single(secret.to_public()));
        let book = CaseBook::with_store(store, UnlockedIdentity::from_age(secret));
        let catalog = Catalog::embedded();
        let clock = FixedClock::new(
            chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00+00:00").expect("time"),
        );
        let subjects = vec![
            Subject {
                role: Respondent::Suspect,
                label: "Adult A".into(),
            },
            Subject {
                role: Respondent::Partner,
                label: "Adult B".into(),
            },
        ];
        let case = book
            .create_case("BENCH-0001", subjects, clock.stamp().at)
            .expect("case");
        let mut rng = Lcg(42);
        let mut files = Vec::new();
        for n in 0..2 * PER_SIDE {
            // The record first, then the suspect and the partner in turn.
            let (who, qid) = if n == 0 {
                (Respondent::None, "core-assessment")
            } else if n % 2 == 1 {
                (Respondent::Suspect, "suspect-interview")
            } else {
                (Respondent::Partner, "partner-interview")
            };
            let q = catalog.get(qid).expect("questionnaire");
            let mut open = book
                .start_sitting(&case, q, who, vec!["Interviewer One".into()], &clock)
                .expect("start");
            for kind in answers(&mut rng, who) {
                open.sitting.record(kind, clock.stamp());
            }
            book.save_sitting(&open).expect("save");
            let case_id: CaseId = case.id.parse().expect("case id");
            files.push(
                book.store()
                    .sitting_file(&case_id, &open.sitting.id.parse().expect("sitting id")),
            );
        }
        let ciphertexts = files
            .iter()
            .map(|f| std::fs::read(f).expect("read"))
            .collect();
        let case: CaseId = case.id.parse().expect("case id");
        // The comparison is not trivial: every status the data can give shows up.
        let record = book.open_case(&case).expect("open");
        assert_eq!(record.sittings.len(), 2 * PER_SIDE);
        let analysis = analyse_case(&record.sittings, &catalog);
        let compared = &analysis.comparisons;
        // The 13 partner keys, the suspect's 3 and the partner's 1 shared with the record,
        // and the hours on abuse material worked out from two of them.
        assert_eq!(compared.len(), 18);
        assert!(compared.iter().all(|c| c.status != Status::ByHand));
        assert!(compared.iter().any(|c| c.status != Status::Agrees));
        // Every kind of pair takes part.
        for (a, b) in [
            (Respondent::Suspect, Respondent::Partner),
            (Respondent::Suspect, Respondent::None),
            (Respondent::Partner, Respondent::None),
        ] {
            assert!(
                compared
                    .iter()
                    .any(|c| c.pairs.iter().any(|p| (p.a, p.b) == (a, b))),
                "no {a:?} ↔ {b:?} pair"
            );
        }
        eprintln!("{} changes between sittings", analysis.changes.len());
        assert!(analysis.changes.len() > 1_000);
        Fixture {
            _tmp: tmp,
            book,
            catalog,
            case,
            identity_file,
            identity: UnlockedIdentity::from_age(again),
            files,
            ciphertexts,
        }
    })
}

#[divan::bench(sample_count = 20)]
fn review_open_compare_1000(bencher: Bencher) {
    let f = fixture();
    bencher.bench(|| {
        let record = f.book.open_case(&f.case).expect("open");
        analyse_case(&record.sittings, &f.catalog)
    });
}

#[divan::bench(sample_count = 20)]
fn review_screen_open_1000(bencher: Bencher) {
    let f = fixture();
    bencher.bench(|| {
        let record = f.book.open_case(&f.case).expect("open");
        ReviewScreen::build(record, &f.catalog)
    });
}

/// Split: opening the case alone (list, read, decrypt, parse each sitting).
#[divan::bench(sample_count = 20)]
fn split_open_case_only_1000(bencher: Bencher) {
    let f = fixture();
    bencher.bench(|| f.book.open_case(&f.case).expect("open"));
}

/// Split: parsing the 1,000 decrypted payloads (held in memory only) into sittings.
#[divan::bench(sample_count = 20)]
fn split_parse_only_1000(bencher: Bencher) {
    let f = fixture();
    let plain: Vec<_> = f
        .ciphertexts
        .iter()
        .map(|c| decrypt(c, &f.identity).expect("decrypt"))
        .collect();
    bencher.bench(|| {
        plain
            .iter()
            .map(|p| Sitting::from_payload(p).expect("parse"))
            .collect::<Vec<_>>()
    });
}

/// Split: the analysis alone (every pair, every change), on the 1,000 sittings already
/// parsed.
#[divan::bench(sample_count = 20)]
fn split_compare_only_1000(bencher: Bencher) {
    let f = fixture();
    let record = f.book.open_case(&f.case).expect("open");
    bencher.bench(|| analyse_case(&record.sittings, &f.catalog));
}

/// Split: the pairs alone (`compare_case`, no changes between sittings), on the same
/// parsed sittings: the rest of `split_compare_only_1000` is finding the changes.
#[divan::bench(sample_count = 20)]
fn split_pairs_only_1000(bencher: Bencher) {
    let f = fixture();
    let record = f.book.open_case(&f.case).expect("open");
    bencher.bench(|| compare_case(&record.sittings, &f.catalog));
}

/// The floor: decrypting the same 1,000 ciphertexts already in memory.
#[divan::bench(sample_count = 20)]
fn floor_decrypt_only_1000(bencher: Bencher) {
    let f = fixture();
    bencher.bench(|| {
        f.ciphertexts
            .iter()
            .map(|c| decrypt(c, &f.identity).expect("decrypt"))
            .collect::<Vec<_>>()
    });
}

/// The stock `age` in a shell loop, one process per file, as a person without this program
/// would read the case.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn age_cli_loop_1000(bencher: Bencher) {
    let f = fixture();
    if Command::new("age").arg("--version").output().is_err() {
        eprintln!("SKIP age_cli_loop_1000: the stock `age` command is not installed");
        return;
    }
    bencher.bench(|| {
        let status = Command::new("sh")
            .arg("-c")
            .arg(r#"id="$1"; shift; for f in "$@"; do age -d -i "$id" "$f" >/dev/null || exit 1; done"#)
            .arg("sh")
            .arg(&f.identity_file)
            .args(&f.files)
            .stdout(Stdio::null())
            .status()
            .expect("sh");
        assert!(status.success(), "age -d failed");
    });
}
