//! The other side's answers, read only to mark a cross-checked question `≠` when the two
//! differ. They are never drawn: the person interviewed may see the screen.
//!
//! The mark follows the review's rules exactly: the same comparison core, each side's answer
//! taken as its own sitting's questionnaire text asked it, and the same rule for the key
//! (from the texts in use). So two answers asked in different forms are never marked as
//! diverging here, as the review would leave them to be compared by hand.

use crate::compare::{Given, Params, SideAnswer, Status, classify_pair, compare_case};
use crate::questionnaire::Respondent;
use crate::store::CaseId;
use crate::tui::app::Ctx;

use super::LoggingScreen;

/// The other side's latest answers per key, and the rule in force for each.
#[derive(Default)]
pub struct OtherSide {
    answers: std::collections::BTreeMap<String, SideAnswer>,
    rules: std::collections::BTreeMap<String, Params>,
}

impl LoggingScreen {
    /// Reads the other respondent's sittings of this case (through the records) and keeps
    /// only their latest answer per cross-check key.
    pub fn load_other_side(&mut self, ctx: &Ctx) {
        let other = match self.open.sitting.respondent {
            Respondent::Suspect => Respondent::Partner,
            Respondent::Partner => Respondent::Suspect,
            _ => return,
        };
        let (Some(book), Ok(id)) = (ctx.book.as_ref(), self.case.id.parse::<CaseId>()) else {
            return;
        };
        let Ok(record) = book.open_case(&id) else {
            return;
        };
        let theirs: Vec<_> = record
            .sittings
            .into_iter()
            .filter(|s| s.respondent == other && s.id != self.open.sitting.id)
            .collect();
        let mut side = OtherSide::default();
        for c in compare_case(&theirs, &ctx.catalog) {
            let answer = if other == Respondent::Suspect {
                c.suspect
            } else {
                c.partner
            };
            let Some(answer) = answer.filter(|_| c.derived_from.is_none()) else {
                continue;
            };
            // The rule for the key as the review applies it (from the texts in use).
            side.rules.insert(c.key.clone(), c.rule.params);
            side.answers.insert(c.key, answer);
        }
        self.other_side = side;
        self.recompare();
    }

    /// Marks the cross-checked questions whose answer here differs from the other side's.
    pub(super) fn recompare(&mut self) {
        self.diverges.clear();
        if self.other_side.answers.is_empty() {
            return;
        }
        let suspect_here = self.open.sitting.respondent == Respondent::Suspect;
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
            let theirs_label = theirs.asked.text.label();
            let mine = Given {
                value: mine,
                spec: &q.answer,
                text: &mine_label,
            };
            let theirs = Given {
                value: &theirs.value,
                spec: &theirs.asked.spec,
                text: &theirs_label,
            };
            let (suspect, partner) = if suspect_here {
                (mine, theirs)
            } else {
                (theirs, mine)
            };
            let (status, _reason) = classify_pair(
                *params,
                ("suspect", Some(suspect)),
                ("partner", Some(partner)),
            );
            if status == Status::Diverges {
                self.diverges.insert(q.id.clone());
            }
        }
    }

    /// Whether the other side's answers were found (so a missing `≠` means something).
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
