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
