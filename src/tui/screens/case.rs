//! One case: its sittings by respondent and date with progress; start or resume a sitting.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::cases::CasesScreen;
use super::logging::LoggingScreen;
use super::review::ReviewScreen;
use super::start::{FormAction, StartForm};
use crate::custody::verdict::{CaseCustody, Standing};
use crate::questionnaire::Catalog;
use crate::session::{Case, Sitting};
use crate::store::CaseId;
use crate::tui::action::{Action, Context};
use crate::tui::app::{Ctx, Screen, Transition};
use crate::tui::book::KeysSummary;
use crate::tui::text::inert;
use crate::tui::theme::Theme;
use crate::tui::view::fit_words;

/// Below this width a sitting takes two lines.
const NARROW: u16 = 70;

pub struct CaseScreen {
    pub id: CaseId,
    pub case: Option<Case>,
    pub sittings: Vec<Sitting>,
    /// (answered, flagged) per sitting, folded once on opening rather than on every frame.
    pub progress: Vec<(usize, usize)>,
    pub problems: Vec<String>,
    pub selected: usize,
    pub form: Option<StartForm>,
    pub message: Option<String>,
    /// Prompts-to-act held back on the suspect sitting just left, shown here.
    pub held_acts: Vec<String>,
    /// What the signatures say, per file and for the case.
    pub custody: CaseCustody,
    /// Who records are encrypted to and whose signatures count.
    pub keys: KeysSummary,
}

impl CaseScreen {
    pub fn open(id: &CaseId, ctx: &Ctx) -> Result<CaseScreen, String> {
        let book = ctx.book.as_ref().ok_or("locked")?;
        let record = book.open_case(id).map_err(|e| e.to_string())?;
        // The one used last first: the sitting in progress is the one to resume.
        let mut sittings = record.sittings;
        sittings.sort_by_key(|s| std::cmp::Reverse(s.last_activity()));
        let progress = sittings
            .iter()
            .map(|s| {
                let folded = s.fold();
                (folded.answered(), folded.flagged())
            })
            .collect();
        let mut problems: Vec<String> = record.problems.iter().map(|p| p.to_string()).collect();
        // Files with a signature problem that are not listed as sittings (missing, added,
        // copied) are named here; the listed ones carry their verdict on their line.
        let shown: Vec<String> = sittings.iter().map(|s| format!("{}.age", s.id)).collect();
        problems.extend(
            record
                .custody
                .files
                .iter()
                .filter(|(n, v)| v.standing() == Standing::Problem && !shown.contains(n))
                .map(|(n, v)| format!("✗ {n}: {v}")),
        );
        Ok(CaseScreen {
            id: record.id,
            case: record.case,
            sittings,
            progress,
            problems,
            selected: 0,
            form: None,
            message: None,
            held_acts: Vec::new(),
            custody: record.custody,
            keys: book.keys_summary(),
        })
    }

    /// Text typed in the start form, which quitting would drop: what to say about it. Kept,
    /// not acted on: starting a sitting is a step of its own (Enter).
    pub fn kept_typing(&self) -> Option<String> {
        let form = self.form.as_ref()?;
        form.typed()
            .then(|| "The form is not saved: Enter starts the sitting, Esc drops it.".to_string())
    }

    /// Shows a message where the person is looking: in the form if it is open.
    pub fn tell(&mut self, message: String) {
        match &mut self.form {
            Some(form) => form.error = Some(message),
            None => self.message = Some(message),
        }
    }

    pub fn context(&self) -> Context {
        if self.form.is_some() {
            Context::StartSitting
        } else {
            Context::Case
        }
    }

    /// Whether keys go to a text field where Alt keys edit the text: the start form's
    /// interviewers. The questionnaire filter is not counted: Esc typed ahead of a key
    /// there must still close the form (see `tui::input`), and the filter is a word or two.
    pub fn typing(&self) -> bool {
        self.form
            .as_ref()
            .is_some_and(|form| form.focus == super::start::Focus::Interviewers)
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(form) = &mut self.form {
            form.paste(text);
        }
    }

    pub fn key(&mut self, action: Option<Action>, key: KeyEvent, ctx: &mut Ctx) -> Transition {
        if self.form.is_some() {
            return self.form_key(action, key, ctx);
        }
        match action {
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => {
                self.selected = (self.selected + 1).min(self.sittings.len().saturating_sub(1))
            }
            Some(Action::Back) => return Transition::To(Screen::Cases(CasesScreen::load(ctx))),
            Some(Action::StartSitting) => {
                if self.case.is_none() {
                    self.message = Some("The case file is unreadable, so no sitting can be started; restore it from a backup.".into());
                    return Transition::Stay;
                }
                // The interviewers of the sitting used last (first in the list).
                let last = self
                    .sittings
                    .first()
                    .map(|s| s.interviewers.clone())
                    .unwrap_or_default();
                self.form = Some(StartForm::new(&ctx.catalog, &last));
            }
            Some(Action::Open) => {
                if let Some(sitting) = self.sittings.get(self.selected) {
                    return self.resume(sitting.clone(), ctx);
                }
            }
            Some(Action::Review) => match ReviewScreen::open(&self.id, ctx) {
                Ok(review) => return Transition::To(Screen::Review(Box::new(review))),
                Err(e) => self.message = Some(e),
            },
            _ => {}
        }
        Transition::Stay
    }

    /// Opens a sitting of this case on the logging screen, where it was left.
    pub fn resume(&mut self, sitting: Sitting, ctx: &Ctx) -> Transition {
        let (Some(case), Some(book)) = (self.case.clone(), ctx.book.as_ref()) else {
            return Transition::Stay;
        };
        // Resumed with the very text it was recorded with (an earlier version stays an
        // earlier version); the newest with the same id only when that text is gone.
        let recorded = &sitting.questionnaire;
        let Some(q) = ctx
            .catalog
            .resolve(&recorded.id, &recorded.sha256)
            .map(|r| r.loaded.clone())
        else {
            self.message = Some(format!(
                "The questionnaire {:?} is not available here; add it to the local questionnaire folder to resume.",
                inert(&sitting.questionnaire.id, false)
            ));
            return Transition::Stay;
        };
        match book.resume_sitting(sitting) {
            Ok(open) => Transition::To(Screen::Logging(Box::new(LoggingScreen::opened(
                case, q, open, ctx,
            )))),
            Err(e) => {
                self.message = Some(e.to_string());
                Transition::Stay
            }
        }
    }

    fn form_key(&mut self, action: Option<Action>, key: KeyEvent, ctx: &mut Ctx) -> Transition {
        let Some(form) = self.form.as_mut() else {
            return Transition::Stay;
        };
        match form.key(action, key) {
            FormAction::Stay => Transition::Stay,
            FormAction::Cancel => {
                self.form = None;
                Transition::Stay
            }
            FormAction::Start => self.start(ctx),
        }
    }

    fn start(&mut self, ctx: &Ctx) -> Transition {
        let (Some(form), Some(case), Some(book)) =
            (self.form.as_mut(), self.case.clone(), ctx.book.as_ref())
        else {
            return Transition::Stay;
        };
        let Some(q) = form.chosen().and_then(|id| ctx.catalog.get(id)).cloned() else {
            form.error = Some("No questionnaire to start.".into());
            return Transition::Stay;
        };
        let respondent = form.respondent();
        let interviewers = form.interviewer_list();
        match book.start_sitting(&case, &q, respondent, interviewers, ctx.clock.as_ref()) {
            Ok(open) => Transition::To(Screen::Logging(Box::new(LoggingScreen::opened(
                case, q, open, ctx,
            )))),
            Err(e) => {
                form.error = Some(e.to_string());
                Transition::Stay
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, catalog: &Catalog) {
        let acts = self.held_act_lines(theme);
        let acts_height = if acts.is_empty() {
            0
        } else {
            let width = usize::from(area.width.max(1));
            let rows: usize = acts.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
            u16::try_from(rows + 1)
                .unwrap_or(u16::MAX)
                .min(area.height.saturating_sub(4) / 2)
        };
        let [head, list, acts_area] = Layout::vertical([
            Constraint::Length(4),
            Constraint::Min(0),
            Constraint::Length(acts_height),
        ])
        .areas(area);
        if acts_height > 0 {
            frame.render_widget(
                Paragraph::new(acts).wrap(Wrap { trim: true }).block(
                    Block::default().borders(Borders::TOP).title(Span::styled(
                        " Prompts to act from the sitting just left ",
                        theme.title(),
                    )),
                ),
                acts_area,
            );
        }
        let mut header = Vec::new();
        match &self.case {
            Some(c) => {
                let subjects: Vec<String> = c
                    .subjects
                    .iter()
                    .map(|s| format!("{} ({})", inert(&s.label, false), s.role))
                    .collect();
                header.push(Line::styled(
                    format!("Case {}", inert(&c.reference, false)),
                    theme.title(),
                ));
                header.push(Line::from(subjects.join(", ")));
            }
            None => header.push(Line::styled("⚠ case file unreadable", theme.warn())),
        }
        let statement = format!(
            "{} Signatures: {}",
            standing_glyph(self.custody.standing()),
            self.custody.statement
        );
        header.push(Line::styled(
            fit_words(&statement, usize::from(head.width)),
            if self.custody.standing() == Standing::Problem {
                theme.warn()
            } else {
                theme.base()
            },
        ));
        frame.render_widget(Paragraph::new(header).wrap(Wrap { trim: true }), head);
        let mut lines = Vec::new();
        if self.sittings.is_empty() {
            lines.push(Line::from(
                "No sittings yet. Start one with the key in the footer.",
            ));
        }
        let narrow = list.width < NARROW;
        for (i, (s, (answered, flagged))) in self.sittings.iter().zip(&self.progress).enumerate() {
            let (title, total) = catalog
                .resolve(&s.questionnaire.id, &s.questionnaire.sha256)
                .map_or_else(
                    || (s.questionnaire.id.clone(), 0),
                    |r| {
                        (
                            r.loaded.questionnaire.header.title.clone(),
                            r.loaded.questionnaire.question_count(),
                        )
                    },
                );
            let marker = if i == self.selected { "›" } else { " " };
            // The sitting used last (first in the list) is the one in progress: a glyph and
            // the words, never colour alone.
            let last = if i == 0 { "▶ last used · " } else { "" };
            let verdict = self.custody.verdict(&format!("{}.age", s.id)).map_or_else(
                || "? not checked".to_string(),
                |v| format!("{} {v}", v.glyph()),
            );
            let style = if i == self.selected {
                theme.selected()
            } else {
                theme.base()
            };
            if narrow {
                // Two lines per sitting, so nothing is cut mid-word.
                let first = format!(
                    "{marker} {} {} · {answered}/{total} · ⚑ {flagged}",
                    s.respondent.as_str(),
                    s.last_activity().format("%Y-%m-%d %H:%M"),
                );
                let width = usize::from(list.width);
                lines.push(Line::styled(fit_words(&first, width), style));
                let second = format!("  {last}{} · {verdict}", inert(&title, false));
                lines.push(Line::styled(fit_words(&second, width), theme.base()));
                continue;
            }
            let text = format!(
                "{marker} {:<8} {}  {:>3}/{:<3} answered  ⚑ {}  {last}{verdict}  {}",
                s.respondent.as_str(),
                s.last_activity().format("%Y-%m-%d %H:%M"),
                answered,
                total,
                flagged,
                inert(&title, false)
            );
            lines.push(Line::styled(
                fit_words(&text, usize::from(list.width)),
                style,
            ));
        }
        lines.push(Line::from(""));
        for text in self.keys_lines() {
            lines.push(Line::styled(
                fit_words(&text, usize::from(list.width)),
                theme.base(),
            ));
        }
        let notices = crate::tui::view::notice_lines(&self.problems, self.message.as_ref(), theme);
        let list = crate::tui::view::draw_notices(frame, list, notices);
        let per = if narrow { 2 } else { 1 };
        let scroll =
            (self.selected as u16 * per).saturating_sub(list.height.saturating_sub(per + 1));
        frame.render_widget(
            Paragraph::new(lines)
                .block(Block::default().borders(Borders::TOP).title(" Sittings "))
                .scroll((scroll, 0)),
            list,
        );
        if let Some(form) = &self.form {
            form.render(frame, area, theme, catalog);
        }
    }
}

impl CaseScreen {
    fn held_act_lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        self.held_acts
            .iter()
            .map(|a| Line::styled(format!("▶ ACT: {}", inert(a, false)), theme.act()))
            .collect()
    }

    /// Who can read the records and whose signatures count (and why saving is refused).
    fn keys_lines(&self) -> Vec<String> {
        let short = |r: &String| {
            if r.len() > 16 {
                format!("{}…{}", &r[..10], &r[r.len() - 4..])
            } else {
                r.clone()
            }
        };
        let readers: Vec<String> = self
            .keys
            .recipients
            .iter()
            .enumerate()
            .map(|(i, r)| {
                if i == 0 {
                    format!("you ({})", short(r))
                } else {
                    short(r)
                }
            })
            .collect();
        let mut out = vec![
            format!("Records are encrypted to: {}", readers.join(", ")),
            format!("Signatures trusted: {}", self.keys.signers.join(", ")),
        ];
        if let Some(why) = &self.keys.refusal {
            out.push(format!("✗ Saving is refused: {}", inert(why, false)));
        }
        out
    }
}

fn standing_glyph(s: Standing) -> &'static str {
    match s {
        Standing::Good => "✓",
        Standing::Weak => "○",
        Standing::Problem => "✗",
    }
}
