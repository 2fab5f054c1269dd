//! The case book: cases and sittings as the session model knows them, kept encrypted on disk
//! by the store. This is the one place that joins the two: it serializes before saving and
//! parses after reading, and turns an unreadable payload into a named file problem.

use chrono::{DateTime, FixedOffset};

use crate::custody::verdict::{CaseCustody, StatementFacts, Trusted, judge};
use crate::paths::Paths;
use crate::questionnaire::{LoadedQuestionnaire, Respondent};
use crate::session::{Case, Clock, PayloadError, QuestionnaireRef, Sitting, Subject};
use crate::store::guard::{Guard, GuardError, open_guard};
use crate::store::lock::{ReadOnly, ReadOnlyReason};
use crate::store::recipients::RecipientsError;
use crate::store::sealed::ManifestRead;
use crate::store::{
    Access, BadId, CaseId, CaseStore, Disk, FileProblem, ListError, ProblemKind, RealDisk,
    SaveError, SittingId, SittingLock, UnlockedIdentity,
};

/// Why something could not be done with the records. Messages never quote answers.
#[derive(Debug, thiserror::Error)]
pub enum RecordsError {
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Recipients(#[from] RecipientsError),
    #[error(transparent)]
    BadId(#[from] BadId),
    #[error("{0}")]
    ReadOnly(ReadOnly),
    #[error("NOT saved: {0}")]
    Payload(#[from] PayloadError),
    #[error(transparent)]
    File(#[from] FileProblem),
    #[error("no case with reference or id {0:?}; see `companion case list`")]
    NoSuchCase(String),
    #[error(transparent)]
    Guard(#[from] GuardError),
    /// Saving is refused until the keys are settled (see `store::guard`).
    #[error("NOT saved: {0}")]
    Refused(String),
    /// More than one case has the reference asked for (made by an older version, or
    /// received from elsewhere): none is guessed.
    #[error("{}", ambiguous(.reference, .cases))]
    Ambiguous {
        reference: String,
        cases: Vec<CaseSummary>,
    },
}

fn ambiguous(reference: &str, cases: &[CaseSummary]) -> String {
    let each: Vec<String> = cases
        .iter()
        .map(|c| {
            format!(
                "{} (created {}, {} sitting{})",
                c.id,
                c.created.format("%Y-%m-%d %H:%M"),
                c.sittings,
                if c.sittings == 1 { "" } else { "s" }
            )
        })
        .collect();
    format!(
        "{} cases have the reference {reference:?}, so none was chosen; give the id of the one you mean instead: {}",
        cases.len(),
        each.join("; ")
    )
}

/// Whether a case's reference is `wanted`: trimmed, ignoring (ASCII) case. The one rule
/// for finding a case by reference and for refusing a second case with the same one.
pub fn same_reference(reference: &str, wanted: &str) -> bool {
    reference.trim().eq_ignore_ascii_case(wanted.trim())
}

/// A case as listed: enough to choose it, without opening its sittings.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseSummary {
    pub id: CaseId,
    pub reference: String,
    pub created: DateTime<FixedOffset>,
    pub subjects: Vec<Subject>,
    pub sittings: usize,
}

/// All cases that could be read, and the files that could not.
#[derive(Debug, Default)]
pub struct CaseList {
    pub cases: Vec<CaseSummary>,
    pub problems: Vec<FileProblem>,
}

impl CaseList {
    /// The cases whose reference is `reference` ([`same_reference`]), newest first.
    pub fn with_reference(&self, reference: &str) -> Vec<&CaseSummary> {
        self.cases
            .iter()
            .filter(|c| same_reference(&c.reference, reference))
            .collect()
    }
}

/// A case opened: its record, every sitting that could be read, and what could not.
#[derive(Debug)]
pub struct CaseRecord {
    pub id: CaseId,
    /// `None` if the case file itself is unreadable (its sittings still open).
    pub case: Option<Case>,
    pub sittings: Vec<Sitting>,
    pub problems: Vec<FileProblem>,
    /// What the signatures and the completeness statement say, per file.
    pub custody: CaseCustody,
}

impl CaseRecord {
    /// The verdict of one sitting's file.
    pub fn verdict_of(&self, sitting_id: &str) -> Option<&crate::custody::verdict::Verdict> {
        self.custody.verdict(&format!("{sitting_id}.age"))
    }
}

/// A sitting in use: the record and whether this program may save it.
#[derive(Debug)]
pub struct OpenSitting {
    pub sitting: Sitting,
    access: Access<SittingLock>,
}

impl OpenSitting {
    /// `Some` with the reason when another program holds the sitting: read, don't save.
    pub fn read_only(&self) -> Option<&ReadOnly> {
        match &self.access {
            Access::Write(_) => None,
            Access::ReadOnly(r) => Some(r),
        }
    }
}

fn payload_kind(e: PayloadError) -> ProblemKind {
    ProblemKind::Payload(e.to_string())
}

/// A case file must hold the case its folder is named after: one copied over from another
/// case folder decrypts fine (same key) but is that other case's record.
fn check_case_place(case: &Case, folder: &CaseId) -> Result<(), ProblemKind> {
    if case.id == folder.as_str() {
        Ok(())
    } else {
        Err(ProblemKind::Misplaced(format!(
            "it is the case file of case {}, not of case {folder}",
            case.id
        )))
    }
}

/// A sitting file must hold the sitting it is named after, of the case whose folder it is
/// in. Otherwise it was copied from another case (saving it would write to that case) or
/// renamed (two files would claim one sitting).
fn check_sitting_place(
    sitting: &Sitting,
    folder: &CaseId,
    file: &SittingId,
) -> Result<(), ProblemKind> {
    if sitting.case_id != folder.as_str() {
        return Err(ProblemKind::Misplaced(format!(
            "it is sitting {} of case {}, not of case {folder}",
            sitting.id, sitting.case_id
        )));
    }
    if sitting.id != file.as_str() {
        return Err(ProblemKind::Misplaced(format!(
            "it is sitting {}, but the file is named for sitting {file}",
            sitting.id
        )));
    }
    Ok(())
}

/// Cases and sittings under one data folder, unlocked with one identity.
pub struct CaseBook<D: Disk = RealDisk> {
    store: CaseStore<D>,
    identity: UnlockedIdentity,
    guard: Guard,
    /// Only checking: never confirm interrupted saves or write anything.
    checking: bool,
}

impl CaseBook<RealDisk> {
    /// The case book for `paths`: checks the recipients and signers against the approved,
    /// signed list (and upgrades a home made before signing, once), then encrypts every
    /// save to the recipients in the recipients file (always with the user's own key).
    /// Saves are refused while the recipients differ from what was approved.
    pub fn open(paths: &Paths, identity: UnlockedIdentity) -> Result<Self, RecordsError> {
        let guard = open_guard(&RealDisk, paths, &identity, true)?;
        Ok(CaseBook {
            store: CaseStore::new(paths, RealDisk, guard.recipients.clone()),
            identity,
            guard,
            checking: false,
        })
    }

    /// The case book for checking only (`companion verify`): writes nothing, not even the
    /// upgrade of a home made before signing, and refuses every save.
    pub fn open_for_checking(
        paths: &Paths,
        identity: UnlockedIdentity,
    ) -> Result<Self, RecordsError> {
        let mut guard = open_guard(&RealDisk, paths, &identity, false)?;
        guard
            .refusal
            .get_or_insert_with(|| "opened for checking only".to_string());
        Ok(CaseBook {
            store: CaseStore::new(paths, RealDisk, guard.recipients.clone()),
            identity,
            guard,
            checking: true,
        })
    }
}

impl<D: Disk> CaseBook<D> {
    /// A case book over any store (tests, benchmarks): trusts only the user's own key, and
    /// checks no trust file.
    pub fn with_store(store: CaseStore<D>, identity: UnlockedIdentity) -> Self {
        let guard = Guard {
            trust: None,
            trusted: Trusted::own(identity.signing().public().clone()),
            recipients: store.recipients().clone(),
            refusal: None,
            warnings: Vec::new(),
            notice: None,
            legacy: false,
        };
        CaseBook {
            store,
            identity,
            guard,
            checking: false,
        }
    }

    pub fn store(&self) -> &CaseStore<D> {
        &self.store
    }

    /// The checked state of the keys: recipients, trusted signers, any refusal.
    pub fn guard(&self) -> &Guard {
        &self.guard
    }

    /// What to tell the person now (once each): the upgrade message, why saving is
    /// refused, warnings, interrupted saves that were confirmed.
    pub fn take_notices(&mut self) -> Vec<String> {
        let mut out: Vec<String> = self.guard.notice.take().into_iter().collect();
        out.extend(
            self.guard
                .refusal
                .iter()
                .map(|r| format!("Saving is refused: {r}")),
        );
        out.append(&mut self.guard.warnings);
        out.extend(self.store.take_notes());
        out
    }

    fn may_save(&self) -> Result<(), RecordsError> {
        match &self.guard.refusal {
            Some(why) => Err(RecordsError::Refused(why.clone())),
            None => Ok(()),
        }
    }

    /// Creates a case folder and its encrypted case file.
    pub fn create_case(
        &self,
        reference: &str,
        subjects: Vec<Subject>,
        created: DateTime<FixedOffset>,
    ) -> Result<Case, RecordsError> {
        let id = self.store.create_case()?;
        let case = Case {
            id: id.to_string(),
            reference: reference.trim().to_string(),
            created,
            subjects,
        };
        if let Err(e) = self.save_case(&case) {
            // Nothing of the case was stored: take its new folder back, so the failed try
            // does not list as a case whose file is missing.
            self.store.discard_unsaved_case(&id);
            return Err(e);
        }
        Ok(case)
    }

    /// Saves the case file (taking its lock for the moment of the save).
    pub fn save_case(&self, case: &Case) -> Result<(), RecordsError> {
        self.may_save()?;
        let id: CaseId = case.id.parse()?;
        let payload = case.to_payload()?;
        match self.store.lock_case(&id) {
            Access::Write(lock) => {
                self.store.settle_case(&lock, &self.identity);
                Ok(self
                    .store
                    .save_case(&lock, payload.as_bytes(), &self.identity)?)
            }
            Access::ReadOnly(r) => Err(RecordsError::ReadOnly(r)),
        }
    }

    /// Every case, newest first, with the files that could not be read.
    pub fn list(&self) -> Result<CaseList, RecordsError> {
        let mut list = CaseList::default();
        for id in self.store.list_cases()? {
            let case = match self.read_case(&id) {
                Ok(case) => case,
                Err(problem) => {
                    list.problems.push(problem);
                    continue;
                }
            };
            let sittings = self.store.list_sittings(&id)?.len();
            list.cases.push(CaseSummary {
                id,
                reference: case.reference,
                created: case.created,
                subjects: case.subjects,
                sittings,
            });
        }
        list.cases.sort_by_key(|c| std::cmp::Reverse(c.created));
        Ok(list)
    }

    /// Finds a case by its id, or by its reference ([`same_reference`]). Where several
    /// cases share the reference, none is guessed: [`RecordsError::Ambiguous`] lists them.
    pub fn find(&self, reference_or_id: &str) -> Result<CaseSummary, RecordsError> {
        let wanted = reference_or_id.trim();
        let list = self.list()?;
        if let Some(by_id) = list.cases.iter().find(|c| c.id.as_str() == wanted) {
            return Ok(by_id.clone());
        }
        let mut found: Vec<CaseSummary> =
            list.with_reference(wanted).into_iter().cloned().collect();
        match found.len() {
            0 => Err(RecordsError::NoSuchCase(wanted.to_string())),
            1 => Ok(found.remove(0)),
            _ => Err(RecordsError::Ambiguous {
                reference: wanted.to_string(),
                cases: found,
            }),
        }
    }

    fn read_case(&self, id: &CaseId) -> Result<Case, FileProblem> {
        let bytes = self.store.read_case(id, &self.identity)?;
        self.case_from(id, &bytes)
    }

    /// Opens a case and every sitting in it, with every file's verdict; a bad file is
    /// reported and the rest opens. Unless only checking, first confirms saves a crash
    /// interrupted, for the files no other program holds.
    pub fn open_case(&self, id: &CaseId) -> Result<CaseRecord, RecordsError> {
        if !self.checking {
            self.settle_interrupted(id);
        }
        let opened = self.store.open_case(id, &self.identity)?;
        let statement = opened.statement(self.guard.legacy);
        let mut record = CaseRecord {
            id: id.clone(),
            case: None,
            sittings: Vec::new(),
            problems: Vec::new(),
            custody: judge(
                id.as_str(),
                &StatementFacts::Absent { legacy: true },
                &[],
                &self.guard.trusted,
            ),
        };
        // Whose record each file says it is, to tell a file copied from another case.
        let mut other_case: Vec<(String, String)> = Vec::new();
        let case_problem = |kind| FileProblem {
            path: self.store.case_file(id),
            kind,
        };
        let case = opened.case.and_then(|bytes| {
            Case::from_payload(&bytes).map_err(|e| case_problem(payload_kind(e)))
        });
        match case {
            Ok(case) => {
                if case.id != id.as_str() {
                    other_case.push((crate::store::CASE_FILE.to_string(), case.id.clone()));
                }
                match check_case_place(&case, id) {
                    Ok(()) => record.case = Some(case),
                    Err(kind) => record.problems.push(case_problem(kind)),
                }
            }
            Err(p) => record.problems.push(p),
        }
        for (sitting_id, opened) in opened.sittings {
            let parsed = opened.and_then(|bytes| {
                let s = Sitting::from_payload(&bytes).map_err(|e| FileProblem {
                    path: self.store.sitting_file(id, &sitting_id),
                    kind: payload_kind(e),
                })?;
                if s.case_id != id.as_str() {
                    other_case.push((format!("{sitting_id}.age"), s.case_id.clone()));
                }
                Ok(s)
            });
            match parsed.and_then(|s| {
                check_sitting_place(&s, id, &sitting_id).map_err(|kind| FileProblem {
                    path: self.store.sitting_file(id, &sitting_id),
                    kind,
                })?;
                Ok(s)
            }) {
                Ok(s) => record.sittings.push(s),
                Err(p) => record.problems.push(p),
            }
        }
        record.sittings.sort_by_key(|s| s.started.at);
        let mut facts = opened.files;
        for f in &mut facts {
            f.other_case = other_case
                .iter()
                .find(|(n, _)| *n == f.name)
                .map(|(_, c)| c.clone());
        }
        record.custody = judge(id.as_str(), &statement, &facts, &self.guard.trusted);
        Ok(record)
    }

    /// Confirms the saves of this case that a crash interrupted (files whose manifest entry
    /// is still pending), for each file whose lock no other program holds.
    fn settle_interrupted(&self, id: &CaseId) {
        let ManifestRead::Valid(m) = self.store.read_manifest(id) else {
            return;
        };
        for (name, entry) in &m.entries {
            if entry.pending.is_none() {
                continue;
            }
            if name == crate::store::CASE_FILE {
                if let Access::Write(lock) = self.store.lock_case(id) {
                    self.store.settle_case(&lock, &self.identity);
                }
            } else if let Some(Ok(sitting)) = name.strip_suffix(".age").map(str::parse::<SittingId>)
                && let Access::Write(lock) = self.store.lock_sitting(id, &sitting)
            {
                self.store.settle_sitting(&lock, &self.identity);
            }
        }
    }

    /// A decrypted case file as the case of folder `id`, or the problem that names it.
    fn case_from(&self, id: &CaseId, bytes: &[u8]) -> Result<Case, FileProblem> {
        let problem = |kind| FileProblem {
            path: self.store.case_file(id),
            kind,
        };
        let case = Case::from_payload(bytes).map_err(|e| problem(payload_kind(e)))?;
        check_case_place(&case, id).map_err(problem)?;
        Ok(case)
    }

    /// Starts a new sitting and saves it at once, so it exists before the first answer.
    pub fn start_sitting(
        &self,
        case: &Case,
        questionnaire: &LoadedQuestionnaire,
        respondent: Respondent,
        interviewers: Vec<String>,
        clock: &dyn Clock,
    ) -> Result<OpenSitting, RecordsError> {
        let case_id: CaseId = case.id.parse()?;
        let sitting_id = self.store.new_sitting_id();
        let sitting = Sitting::new(
            sitting_id.to_string(),
            case.id.clone(),
            respondent,
            QuestionnaireRef::from(questionnaire),
            interviewers,
            clock.stamp(),
        );
        let access = self.store.lock_sitting(&case_id, &sitting_id);
        let open = OpenSitting { sitting, access };
        self.save_sitting(&open)?;
        Ok(open)
    }

    /// Takes up an existing sitting: writable if no other program holds it and the file
    /// on disk is the version last signed and the one given; else read-only, saying why.
    pub fn resume_sitting(&self, sitting: Sitting) -> Result<OpenSitting, RecordsError> {
        let case_id: CaseId = sitting.case_id.parse()?;
        let sitting_id: SittingId = sitting.id.parse()?;
        let access = match self.store.lock_sitting(&case_id, &sitting_id) {
            Access::Write(lock) => {
                self.store.settle_sitting(&lock, &self.identity);
                match self.unverified(&case_id, &sitting_id, &sitting) {
                    None => Access::Write(lock),
                    Some(why) => Access::ReadOnly(ReadOnly {
                        lock_file: lock.lock_file().to_path_buf(),
                        reason: ReadOnlyReason::Unverified(why),
                        network_share: lock.network_share(),
                    }),
                }
            }
            ro => ro,
        };
        Ok(OpenSitting { sitting, access })
    }

    /// Why the sitting must not be saved over, if it must not: its file is not a version
    /// the statement vouches for, or no longer what `sitting` was read from.
    fn unverified(
        &self,
        case: &CaseId,
        sitting_id: &SittingId,
        sitting: &Sitting,
    ) -> Option<String> {
        let name = format!("{sitting_id}.age");
        let record = match self.open_case(case) {
            Ok(r) => r,
            Err(e) => return Some(e.to_string()),
        };
        let verdict = record.custody.verdict(&name)?;
        use crate::custody::verdict::{Standing, Verdict};
        if verdict.standing() == Standing::Problem || matches!(verdict, Verdict::UnknownSigner(_)) {
            return Some(format!("its file is {verdict}"));
        }
        match record.sittings.iter().find(|s| s.id == sitting.id) {
            Some(on_disk) if on_disk == sitting => None,
            _ => Some(
                "its file changed since the case was opened; go back and open the case again"
                    .to_string(),
            ),
        }
    }

    /// Leaving a sitting after its last save: confirms that save in the signed statement
    /// (best effort; the statement is valid either way).
    pub fn finish_sitting(&self, open: &OpenSitting) {
        if let Access::Write(lock) = &open.access {
            self.store.finish_sitting(lock, &self.identity);
        }
    }

    /// Durably saves the sitting as it is in memory, signed. On error nothing on disk
    /// changed and the caller keeps the sitting in memory to retry.
    pub fn save_sitting(&self, open: &OpenSitting) -> Result<(), RecordsError> {
        let lock = match &open.access {
            Access::Write(lock) => lock,
            Access::ReadOnly(r) => return Err(RecordsError::ReadOnly(r.clone())),
        };
        self.may_save()?;
        let payload = open.sitting.to_payload()?;
        self.store
            .save_sitting(lock, payload.as_bytes(), &self.identity)?;
        Ok(())
    }
}
