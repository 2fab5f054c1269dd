//! The other sources' answers, read only to mark a cross-checked question `≠` when this
//! sitting's answer diverges from any of them: the other interview's, and the
//! practitioners' record (the core assessment, what the police found). They are never
//! drawn: the person interviewed may see the screen.
//!
//! The mark follows the review's rules exactly: the same comparison core, each answer taken
//! as its own sitting's questionnaire text asked it, and the same rule for the key (from the
//! texts in use). So two answers asked in different forms are never marked as diverging
//! here, as the review would leave them to be compared by hand.

use std::collections::BTreeMap;

use crate::compare::{Given, Params, SideAnswer, Status, classify_pair, compare_case};
use crate::questionnaire::Respondent;
use crate::store::CaseId;
use crate::tui::app::Ctx;

use super::LoggingScreen;

/// The other sources' latest answers per key, and the rule in force for each key.
#[derive(Default)]
pub struct OtherSide {
    answers: BTreeMap<String, Vec<(Respondent, SideAnswer)>>,
    rules: BTreeMap<String, Params>,
}

impl LoggingScreen {
    /// Reads the case's sittings of every other source (through the records) and keeps only
    /// their latest answer per cross-check key.
    pub fn load_other_side(&mut self, ctx: &Ctx) {
        let mine = self.open.sitting.respondent;
        let (Some(book), Ok(id)) = (ctx.book.as_ref(), self.case.id.parse::<CaseId>()) else {
            return;
        };
        let Ok(record) = book.open_case(&id) else {
            return;
        };
        let theirs: Vec<_> = record
            .sittings
            .into_iter()
            .filter(|s| s.respondent != mine && s.id != self.open.sitting.id)
            .collect();
        let mut side = OtherSide::default();
        for c in compare_case(&theirs, &ctx.catalog) {
            if c.derived_from.is_some() || c.answers.is_empty() {
                continue;
            }
            // The rule for the key as the review applies it (from the texts in use).
            side.rules.insert(c.key.clone(), c.rule.params);
            side.answers.insert(c.key, c.answers.into_iter().collect());
        }
        self.other_side = side;
        self.recompare();
    }

    /// Marks the cross-checked questions whose answer here diverges from another source's.
    pub(super) fn recompare(&mut self) {
        self.diverges.clear();
        if self.other_side.answers.is_empty() {
            return;
        }
        let here = self.open.sitting.respondent;
        let mine_label = self.questionnaire.label();
        for (_, q) in self.questionnaire.questionnaire.questions() {
            let Some(cc) = &q.cross_check else { continue };
            let (Some(mine), Some(theirs), Some(params)) = (
                self.folded.get(&q.id).and_then(|s| s.answer.as_ref()),
                self.other_side.answers.get(&cc.key),
                self.other_side.rules.get(&cc.key),
            ) else {
                continue;
            };
            let mine = Given {
                value: mine,
                spec: &q.answer,
                text: &mine_label,
                prompt: &q.prompt,
            };
            let diverges = theirs.iter().any(|(source, answer)| {
                let label = answer.asked.text.label();
                let theirs = Given {
                    value: &answer.value,
                    spec: &answer.asked.spec,
                    text: &label,
                    prompt: &answer.asked.prompt,
                };
                let (status, _reason) =
                    classify_pair(*params, (here, Some(mine)), (*source, Some(theirs)));
                status == Status::Diverges
            });
            if diverges {
                self.diverges.insert(q.id.clone());
            }
        }
    }

    /// Whether other sources' answers were found (so a missing `≠` means something).
    pub fn compares(&self) -> bool {
        !self.other_side.answers.is_empty()
    }
}

impl LoggingScreen {
    /// Whether the question at `row` is a cross-check the other side has answered and this
    /// sitting has not: one still to put to this person. Only the fact is used, never the
    /// other side's answer.
    pub fn to_ask(&self, row: usize) -> bool {
        let Some(q) = self.question_at(row) else {
            return false;
        };
        let Some(cc) = &q.cross_check else {
            return false;
        };
        let unanswered = self.folded.get(&q.id).is_none_or(|s| s.answer.is_none());
        unanswered && self.other_side.answers.contains_key(&cc.key)
    }
}
