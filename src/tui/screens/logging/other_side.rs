//! The other side's answers, read only to mark a cross-checked question `≠` when the two
//! differ. They are never drawn: the person interviewed may see the screen.

use crate::compare::{Params, Status, classify, compare_case};
use crate::questionnaire::Respondent;
use crate::store::CaseId;
use crate::tui::app::Ctx;

use super::LoggingScreen;

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
        self.other_side = compare_case(&theirs, &ctx.catalog)
            .into_iter()
            .filter_map(|c| {
                let side = if other == Respondent::Suspect {
                    c.suspect
                } else {
                    c.partner
                };
                side.map(|s| (c.key, s.value))
            })
            .collect();
        self.recompare();
    }

    /// Marks the cross-checked questions whose answer here differs from the other side's.
    pub(super) fn recompare(&mut self) {
        self.diverges.clear();
        if self.other_side.is_empty() {
            return;
        }
        let suspect_here = self.open.sitting.respondent == Respondent::Suspect;
        for (_, q) in self.questionnaire.questionnaire.questions() {
            let Some(cc) = &q.cross_check else { continue };
            let (Some(mine), Some(theirs)) = (
                self.folded.get(&q.id).and_then(|s| s.answer.as_ref()),
                self.other_side.get(&cc.key),
            ) else {
                continue;
            };
            let (suspect, partner) = if suspect_here {
                (mine, theirs)
            } else {
                (theirs, mine)
            };
            let params = Params::from_cross_check(Some(cc));
            let (status, _reason) = classify(&q.answer, params, Some(suspect), Some(partner));
            if status == Status::Diverges {
                self.diverges.insert(q.id.clone());
            }
        }
    }

    /// Whether the other side's answers were found (so a missing `≠` means something).
    pub fn compares(&self) -> bool {
        !self.other_side.is_empty()
    }
}
