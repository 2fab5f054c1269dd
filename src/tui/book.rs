//! What the screens need from the records, as a trait so tests can use any disk (including
//! one that fails on purpose).

use chrono::{DateTime, FixedOffset};

use crate::questionnaire::{LoadedQuestionnaire, Respondent};
use crate::records::{CaseBook, CaseList, CaseRecord, CaseSummary, OpenSitting, RecordsError};
use crate::session::{Case, Clock, Sitting, Subject};
use crate::store::{CaseId, Disk};

pub trait Book {
    fn list(&self) -> Result<CaseList, RecordsError>;
    fn find(&self, reference_or_id: &str) -> Result<CaseSummary, RecordsError>;
    fn create_case(
        &self,
        reference: &str,
        subjects: Vec<Subject>,
        created: DateTime<FixedOffset>,
    ) -> Result<Case, RecordsError>;
    fn open_case(&self, id: &CaseId) -> Result<CaseRecord, RecordsError>;
    fn start_sitting(
        &self,
        case: &Case,
        questionnaire: &LoadedQuestionnaire,
        respondent: Respondent,
        interviewers: Vec<String>,
        clock: &dyn Clock,
    ) -> Result<OpenSitting, RecordsError>;
    fn resume_sitting(&self, sitting: Sitting) -> Result<OpenSitting, RecordsError>;
    fn save_sitting(&self, open: &OpenSitting) -> Result<(), RecordsError>;
    /// Leaving a sitting after its last save (confirms it in the signed statement).
    fn finish_sitting(&self, open: &OpenSitting);
    /// The recipients saves are encrypted to and the trusted signers, for the screens.
    fn keys_summary(&self) -> KeysSummary;
    /// What to tell the person once (the upgrade message, a refusal to save, warnings).
    fn take_notices(&mut self) -> Vec<String>;
    /// `case send` (see [`crate::transfer::send_case`]).
    fn send_case(
        &self,
        paths: &crate::paths::Paths,
        reference: &str,
        to: &[String],
        out: &std::path::Path,
        now: DateTime<FixedOffset>,
    ) -> Result<crate::transfer::SendSummary, crate::transfer::TransferError>;
    /// `case receive` (see [`crate::transfer::receive_file`]).
    fn receive_file(
        &self,
        file: &std::path::Path,
        into: Option<&str>,
        now: DateTime<FixedOffset>,
    ) -> Result<crate::transfer::receive::Received, crate::transfer::TransferError>;
}

/// Who can read the records and whose signatures count, as the screens show them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeysSummary {
    /// `age1…` recipients, the user's own first.
    pub recipients: Vec<String>,
    /// Trusted signers' names, "you" first.
    pub signers: Vec<String>,
    /// Why saving is refused, if it is.
    pub refusal: Option<String>,
}

impl<D: Disk> Book for CaseBook<D> {
    fn list(&self) -> Result<CaseList, RecordsError> {
        CaseBook::list(self)
    }
    fn send_case(
        &self,
        paths: &crate::paths::Paths,
        reference: &str,
        to: &[String],
        out: &std::path::Path,
        now: DateTime<FixedOffset>,
    ) -> Result<crate::transfer::SendSummary, crate::transfer::TransferError> {
        // The screens never replace a file: there is no --force on a form.
        crate::transfer::send_case(self, paths, reference, to, out, false, now)
    }
    fn receive_file(
        &self,
        file: &std::path::Path,
        into: Option<&str>,
        now: DateTime<FixedOffset>,
    ) -> Result<crate::transfer::receive::Received, crate::transfer::TransferError> {
        crate::transfer::receive_file(self, file, into, now)
    }
    fn find(&self, reference_or_id: &str) -> Result<CaseSummary, RecordsError> {
        CaseBook::find(self, reference_or_id)
    }
    fn create_case(
        &self,
        reference: &str,
        subjects: Vec<Subject>,
        created: DateTime<FixedOffset>,
    ) -> Result<Case, RecordsError> {
        CaseBook::create_case(self, reference, subjects, created)
    }
    fn open_case(&self, id: &CaseId) -> Result<CaseRecord, RecordsError> {
        CaseBook::open_case(self, id)
    }
    fn start_sitting(
        &self,
        case: &Case,
        questionnaire: &LoadedQuestionnaire,
        respondent: Respondent,
        interviewers: Vec<String>,
        clock: &dyn Clock,
    ) -> Result<OpenSitting, RecordsError> {
        CaseBook::start_sitting(self, case, questionnaire, respondent, interviewers, clock)
    }
    fn resume_sitting(&self, sitting: Sitting) -> Result<OpenSitting, RecordsError> {
        CaseBook::resume_sitting(self, sitting)
    }
    fn save_sitting(&self, open: &OpenSitting) -> Result<(), RecordsError> {
        CaseBook::save_sitting(self, open)
    }
    fn finish_sitting(&self, open: &OpenSitting) {
        CaseBook::finish_sitting(self, open)
    }
    fn take_notices(&mut self) -> Vec<String> {
        CaseBook::take_notices(self)
    }
    fn keys_summary(&self) -> KeysSummary {
        let guard = self.guard();
        KeysSummary {
            recipients: guard.recipients.iter().map(ToString::to_string).collect(),
            signers: std::iter::once("you".to_string())
                .chain(guard.trusted.others.iter().map(|(n, _)| n.clone()))
                .collect(),
            refusal: guard.refusal.clone(),
        }
    }
}
