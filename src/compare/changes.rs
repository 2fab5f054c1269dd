//! An account that changes between sittings (issue 13.3): for every question, not only the
//! cross-checked ones, where one person's answer at the end of a later sitting differs from
//! their answer at the end of the sitting before it in which the question was answered.
//!
//! - Each sitting counts with the answer it ended with: a correction within one sitting is
//!   the logger's (the history keeps it), not a change of account.
//! - A person is a respondent role (the suspect, the partner, a carer, a child). The
//!   practitioners' record (respondent `none`) is not an account: it is corrected as
//!   evidence arrives, so its changes are not listed.
//! - A question is its questionnaire id and question id, which stay the same across
//!   versions. Answers asked in different forms (a yes/no in 1.0.0, a choice in 1.1.0) are
//!   not said to differ or to agree: the change is listed as asked in different forms, to
//!   compare by hand.
//! - Changes are listed in time order: `a`, then `b`, then `a` again are two changes.
//!
//! Exact: any difference counts (5 hours, then 6), as the same person revising a figure is
//! what the assessor looks for (London 5.17: the passage of time affects the response).
//! Multiple choices compare as sets; free text that differs is listed to read side by side,
//! never quoted in the reason.

use std::collections::BTreeMap;

use super::case::{Latest, QuestionVisit};
use super::classify::{form, same_form, show};
use super::{SideAnswer, source_name};
use crate::questionnaire::Respondent;
use crate::session::AnswerValue;

/// What kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// The answer differs (a number, a choice, yes to no, don't know to an answer).
    Changed,
    /// Free text in other words: read both.
    Reworded,
    /// Asked in different forms in the two sittings (different versions of the
    /// questionnaire): not judged, compare by hand.
    AskedDifferently,
}

impl ChangeKind {
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Changed => "changed",
            ChangeKind::Reworded => "text differs",
            ChangeKind::AskedDifferently => "asked in different forms",
        }
    }

    /// A word for lists.
    pub fn short(self) -> &'static str {
        match self {
            ChangeKind::Changed => "changed",
            ChangeKind::Reworded => "reworded",
            ChangeKind::AskedDifferently => "other forms",
        }
    }

    pub fn glyph(self) -> char {
        match self {
            ChangeKind::Changed => 'Δ',
            ChangeKind::Reworded => '✎',
            ChangeKind::AskedDifferently => '✎',
        }
    }
}

/// One person's answer to one question, different in a later sitting.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub person: Respondent,
    pub questionnaire_id: String,
    pub question_id: String,
    /// The question's cross-check key, if it has one (in the later sitting's text).
    pub key: Option<String>,
    /// The prompt as the later sitting asked it.
    pub prompt: String,
    /// The earlier sitting's answer, and the later one's (each with its sitting, time,
    /// note and how it was asked).
    pub before: SideAnswer,
    pub after: SideAnswer,
    pub kind: ChangeKind,
    /// One line a person can check: both answers with their dates.
    pub reason: String,
}

/// A question of one person: (person, questionnaire id, question id).
type PersonQuestion<'a> = (Respondent, &'a str, &'a str);

/// Every sitting's final answer to every question of every person, gathered during the walk.
#[derive(Default)]
pub(super) struct ChangeTracker<'a> {
    /// Each sitting's final answer, with the question's place in its text.
    answers: BTreeMap<PersonQuestion<'a>, Vec<(usize, Latest<'a>)>>,
}

impl<'a> ChangeTracker<'a> {
    pub fn visit(&mut self, item: &QuestionVisit<'a, '_>) {
        if item.source == Respondent::None {
            return;
        }
        let Some(answer) = Latest::of(item) else {
            return;
        };
        let questionnaire = item.text.loaded.id();
        self.answers
            .entry((item.source, questionnaire, &item.question.id))
            .or_default()
            .push((item.position, answer));
    }

    /// The changes, per person in source order, then per questionnaire, then in the order
    /// of the questions (in the later sitting's text), then in time.
    pub fn finish(mut self) -> Vec<Change> {
        let mut found: Vec<Change> = Vec::new();
        // What to order by, with the change's index: sorting these small tuples rather
        // than the changes themselves (a case of many sittings has thousands, each a few
        // hundred bytes) keeps the order cheap.
        let mut order = Vec::new();
        for ((person, questionnaire, _), finals) in &mut self.answers {
            finals.sort_by_key(|(_, l)| l.at.at);
            for pair in finals.windows(2) {
                let [(_, before), (position, after)] = pair else {
                    continue;
                };
                if let Some(change) = change(*person, questionnaire, before, after) {
                    order.push((*person, *questionnaire, *position, after.at.at, found.len()));
                    found.push(change);
                }
            }
        }
        order.sort_unstable();
        let mut found: Vec<Option<Change>> = found.into_iter().map(Some).collect();
        order
            .into_iter()
            .filter_map(|(.., i)| found.get_mut(i).and_then(Option::take))
            .collect()
    }
}

/// Whether two answers are the same: multiple choices as sets, text ignoring the spaces
/// around it, everything else exactly.
fn same_answer(a: &AnswerValue, b: &AnswerValue) -> bool {
    match (a, b) {
        (AnswerValue::MultiChoice { options: x }, AnswerValue::MultiChoice { options: y }) => {
            x.len() == y.len() && x.iter().all(|o| y.contains(o))
        }
        (AnswerValue::Text { text: x }, AnswerValue::Text { text: y }) => x.trim() == y.trim(),
        _ => a == b,
    }
}

/// The change from one sitting's final answer to a later one's, if there is one.
fn change(
    person: Respondent,
    questionnaire: &str,
    before: &Latest<'_>,
    after: &Latest<'_>,
) -> Option<Change> {
    let same_form = same_form(&before.question.answer, &after.question.answer);
    let uncertain = before.value.is_uncertain() || after.value.is_uncertain();
    if same_answer(&before.value, &after.value) && (same_form || uncertain) {
        return None;
    }
    let (lb, la) = (before.text.loaded.label(), after.text.loaded.label());
    let (gb, ga) = (before.given(&lb), after.given(&la));
    // The day as recorded (in the offset it was recorded with), `2026-03-03`.
    let day = |l: &Latest<'_>| l.at.at.date_naive();
    let both = format!(
        "{} on {}, then {} on {}",
        show(&gb),
        day(before),
        show(&ga),
        day(after)
    );
    let forms = format!(
        "asked as {} ({lb}), then as {} ({la})",
        form(gb.spec),
        form(ga.spec)
    );
    let (kind, reason) = if !same_form && !uncertain {
        (
            ChangeKind::AskedDifferently,
            format!("{both}: {forms}; compare by hand"),
        )
    } else if !same_form {
        (ChangeKind::Changed, format!("{both} ({forms})"))
    } else if matches!(
        (&before.value, &after.value),
        (AnswerValue::Text { .. }, AnswerValue::Text { .. })
    ) {
        (
            ChangeKind::Reworded,
            format!("{both}: in other words; read both"),
        )
    } else {
        (ChangeKind::Changed, both)
    };
    Some(Change {
        person,
        questionnaire_id: questionnaire.to_string(),
        question_id: after.question.id.clone(),
        key: after.question.cross_check.as_ref().map(|c| c.key.clone()),
        prompt: after.question.prompt.clone(),
        before: before.to_side(),
        after: after.to_side(),
        kind,
        reason: format!("{} {reason}", source_name(person)),
    })
}
