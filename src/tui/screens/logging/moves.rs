//! Moving on the list beyond up and down: first and last, the next question still without
//! an answer, the next cross-check the other side has answered and this person not yet
//! (a prompt for the first interviewer), and the next `≠`. Searches wrap around the list
//! and say so; when there is nothing to go to, the footer says why.

use crate::tui::action::Action;

use super::LoggingScreen;

impl LoggingScreen {
    pub(super) fn move_to(&mut self, action: Action) {
        let last = self.row_count().saturating_sub(1);
        match action {
            Action::First => self.cursor = 0,
            Action::Last => self.cursor = last,
            Action::NextUnanswered | Action::PrevUnanswered => {
                let found = self.search(action == Action::NextUnanswered, |s, row| {
                    s.question_at(row)
                        .is_some_and(|q| s.folded.get(&q.id).is_none_or(|st| st.answer.is_none()))
                });
                if !found {
                    self.flash = Some("Every question has an answer.".into());
                }
            }
            Action::NextToAsk | Action::PrevToAsk => {
                if !self.compares() {
                    self.flash = Some(
                        "No answers from the other side to go by (not interviewed yet, or this is not a suspect or partner sitting)."
                            .into(),
                    );
                    return;
                }
                let found = self.search(action == Action::NextToAsk, |s, row| s.to_ask(row));
                if !found {
                    self.flash = Some(
                        "No cross-check is waiting: every one the other side answered has an answer here."
                            .into(),
                    );
                }
            }
            Action::NextDiverges | Action::PrevDiverges => {
                let found = self.search(action == Action::NextDiverges, |s, row| {
                    s.question_at(row)
                        .is_some_and(|q| s.diverges.contains(&q.id))
                });
                if !found {
                    self.flash = Some("No question is marked ≠.".into());
                }
            }
            _ => {}
        }
    }

    /// Moves to the next (or previous) row after the cursor that `wanted` accepts, wrapping
    /// round the list. Whether one was found.
    fn search(&mut self, forward: bool, wanted: impl Fn(&LoggingScreen, usize) -> bool) -> bool {
        let n = self.row_count();
        for step in 1..=n {
            let row = if forward {
                (self.cursor + step) % n
            } else {
                (self.cursor + n - step % n) % n
            };
            if wanted(self, row) {
                let wrapped = if forward {
                    row <= self.cursor
                } else {
                    row >= self.cursor
                };
                if wrapped && row != self.cursor {
                    self.flash = Some(if forward {
                        "From the top again.".into()
                    } else {
                        "From the end again.".into()
                    });
                }
                self.cursor = row;
                return true;
            }
        }
        false
    }
}
