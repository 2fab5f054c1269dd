//! Test support: sittings answering given questions, for the comparison's tests and the
//! reports' (one way to make them, so the tests differ only in what they answer).

use chrono::DateTime;

use crate::questionnaire::{LoadedQuestionnaire, Respondent};
use crate::session::{AnswerValue, Clock, EventKind, FixedClock, QuestionnaireRef, Sitting};

/// A sitting of case `case` with `text`, started at `start` (RFC 3339), answering
/// `answers` in order a second apart (a question twice is a correction within the sitting).
/// Every question answered must be in `text`: a typo would otherwise test nothing.
pub(crate) fn answered_sitting(
    text: &LoadedQuestionnaire,
    id: &str,
    case: &str,
    who: Respondent,
    start: &str,
    answers: &[(&str, AnswerValue)],
) -> Sitting {
    let clock =
        FixedClock::new(DateTime::parse_from_rfc3339(start).unwrap_or_else(|e| panic!("{e}")));
    let mut s = Sitting::new(
        id.into(),
        case.into(),
        who,
        QuestionnaireRef::from(text),
        vec!["Interviewer A".into()],
        clock.stamp(),
    );
    for (q, v) in answers {
        assert!(
            text.questionnaire.questions().any(|(_, x)| x.id == *q),
            "{} {} has {q}",
            text.id(),
            text.version()
        );
        s.record(
            EventKind::Answer {
                question: (*q).into(),
                value: v.clone(),
            },
            clock.stamp(),
        );
    }
    s
}
