//! Resuming where the logger left off: straight after unlocking, the sitting used last
//! (across every case) is offered, with where it stands. Found from the records themselves
//! (each sitting's last activity and `current_question`, inside its encrypted file), so
//! nothing about it is written anywhere else.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::case::CaseScreen;
use crate::session::Sitting;
use crate::store::CaseId;
use crate::tui::app::{Ctx, Transition};
use crate::tui::text::inert;
use crate::tui::theme::Theme;

/// The sitting offered, and what to say about it.
pub struct ResumeOffer {
    pub case: CaseId,
    pub sitting: Sitting,
    /// Lines for the offer, inert.
    pub lines: Vec<String>,
}

impl ResumeOffer {
    /// The sitting with the latest activity in any case, if there is one. Reads every
    /// case (once, after unlocking).
    pub fn last_used(ctx: &Ctx) -> Option<ResumeOffer> {
        let book = ctx.book.as_ref()?;
        let list = book.list().ok()?;
        let mut best: Option<(String, CaseId, Sitting)> = None;
        for case in list.cases {
            let Ok(record) = book.open_case(&case.id) else {
                continue;
            };
            for s in record.sittings {
                if best
                    .as_ref()
                    .is_none_or(|(_, _, b)| s.last_activity() > b.last_activity())
                {
                    best = Some((case.reference.clone(), case.id.clone(), s));
                }
            }
        }
        let (reference, case, sitting) = best?;
        let loaded = ctx.catalog.get(&sitting.questionnaire.id);
        let title = loaded.map_or_else(
            || sitting.questionnaire.id.clone(),
            |q| q.questionnaire.header.title.clone(),
        );
        let total = loaded.map_or(0, |q| q.questionnaire.question_count());
        let answered = sitting.fold().answered();
        let at = sitting
            .current_question
            .as_deref()
            .and_then(|id| loaded.and_then(|q| q.questionnaire.question(id)))
            .map(|q| q.prompt.clone());
        let mut lines = vec![
            format!(
                "{} · {} · {answered}/{total} answered",
                inert(&reference, false),
                sitting.respondent
            ),
            inert(&title, false),
            format!(
                "Last used {}",
                sitting.last_activity().format("%Y-%m-%d %H:%M")
            ),
        ];
        if let Some(prompt) = at {
            lines.push(format!("At: {}", inert(&prompt, false)));
        }
        Some(ResumeOffer {
            case,
            sitting,
            lines,
        })
    }

    /// Opens the sitting where it was left (its case first, so Esc goes back there).
    pub fn accept(self, ctx: &Ctx) -> Result<Transition, String> {
        let mut case = CaseScreen::open(&self.case, ctx)?;
        Ok(case.resume(self.sitting, ctx))
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let height = u16::try_from(self.lines.len() + 4).unwrap_or(u16::MAX);
        let pop = crate::tui::view::centered(area, 64, height);
        frame.render_widget(Clear, pop);
        let mut lines = vec![Line::styled("Resume where you left off?", theme.title())];
        lines.extend(self.lines.iter().map(|l| Line::from(l.clone())));
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(" In progress "),
            ),
            pop,
        );
    }
}
