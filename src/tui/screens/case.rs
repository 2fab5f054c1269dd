//! One case: its sittings by respondent and date with progress; start or resume a sitting.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::cases::CasesScreen;
use super::field;
use super::logging::LoggingScreen;
use super::review::ReviewScreen;
use crate::custody::verdict::{CaseCustody, Standing};
use crate::questionnaire::{Catalog, Respondent};
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

pub const ROLES: [Respondent; 5] = [
    Respondent::Suspect,
    Respondent::Partner,
    Respondent::Carer,
    Respondent::Child,
    Respondent::None,
];

pub struct StartForm {
    /// Questionnaire ids, in catalog order.
    pub questionnaires: Vec<String>,
    pub questionnaire: usize,
    pub respondent: usize,
    pub interviewers: TextArea<'static>,
    /// 0 questionnaire, 1 respondent, 2 interviewers.
    pub focus: usize,
    pub error: Option<String>,
}

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
        let mut sittings = record.sittings;
        sittings.sort_by(|a, b| {
            a.respondent
                .cmp(&b.respondent)
                .then(a.started.at.cmp(&b.started.at))
        });
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
        (!field::text(&form.interviewers).trim().is_empty())
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

    pub fn paste(&mut self, text: &str) {
        if let Some(form) = &mut self.form
            && form.focus == 2
        {
            field::paste_line(&mut form.interviewers, text);
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
                let questionnaires: Vec<String> =
                    ctx.catalog.iter().map(|q| q.id().to_string()).collect();
                let mut form = StartForm {
                    questionnaires,
                    questionnaire: 0,
                    respondent: 0,
                    interviewers: field::line(),
                    focus: 0,
                    error: None,
                };
                form.respondent = default_respondent(&form, &ctx.catalog);
                self.form = Some(form);
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

    fn resume(&mut self, sitting: Sitting, ctx: &Ctx) -> Transition {
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
        let nq = form.questionnaires.len().max(1);
        match action {
            Some(Action::Cancel) => self.form = None,
            Some(Action::NextField) => form.focus = (form.focus + 1) % 3,
            Some(Action::PrevField) => form.focus = (form.focus + 2) % 3,
            Some(a @ (Action::Left | Action::Right)) if form.focus < 2 => {
                let step = |i: usize, n: usize| {
                    if a == Action::Right {
                        (i + 1) % n
                    } else {
                        (i + n - 1) % n
                    }
                };
                if form.focus == 0 {
                    form.questionnaire = step(form.questionnaire, nq);
                    form.respondent = default_respondent(form, &ctx.catalog);
                } else {
                    form.respondent = step(form.respondent, ROLES.len());
                }
            }
            Some(Action::Submit) => return self.start(ctx),
            _ if form.focus == 2 => field::feed_line(&mut form.interviewers, key),
            _ => {}
        }
        Transition::Stay
    }

    fn start(&mut self, ctx: &Ctx) -> Transition {
        let (Some(form), Some(case), Some(book)) =
            (self.form.as_mut(), self.case.clone(), ctx.book.as_ref())
        else {
            return Transition::Stay;
        };
        let Some(q) = form
            .questionnaires
            .get(form.questionnaire)
            .and_then(|id| ctx.catalog.get(id))
            .cloned()
        else {
            form.error = Some("No questionnaire to start.".into());
            return Transition::Stay;
        };
        let respondent = ROLES
            .get(form.respondent)
            .copied()
            .unwrap_or(Respondent::None);
        let interviewers: Vec<String> = field::text(&form.interviewers)
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
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
                    s.started.at.format("%Y-%m-%d %H:%M"),
                );
                let width = usize::from(list.width);
                lines.push(Line::styled(fit_words(&first, width), style));
                let second = format!("  {} · {verdict}", inert(&title, false));
                lines.push(Line::styled(fit_words(&second, width), theme.base()));
                continue;
            }
            let text = format!(
                "{marker} {:<8} {}  {:>3}/{:<3} answered  ⚑ {}  {verdict}  {}",
                s.respondent.as_str(),
                s.started.at.format("%Y-%m-%d %H:%M"),
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
            render_form(form, frame, area, theme, catalog);
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

fn default_respondent(form: &StartForm, catalog: &Catalog) -> usize {
    form.questionnaires
        .get(form.questionnaire)
        .and_then(|id| catalog.get(id))
        .and_then(|q| {
            ROLES
                .iter()
                .position(|r| *r == q.questionnaire.header.respondent)
        })
        .unwrap_or(0)
}

fn render_form(form: &StartForm, frame: &mut Frame, area: Rect, theme: &Theme, catalog: &Catalog) {
    let area = crate::tui::view::centered(area, 70, 13);
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Start a sitting ", theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Too short for a box per field (and a line for a problem): one row each.
    let compact = inner.height < 10;
    let row = if compact { 1 } else { 3 };
    let [q, r, i, e] = Layout::vertical([
        Constraint::Length(row),
        Constraint::Length(row),
        Constraint::Length(row),
        Constraint::Min(0),
    ])
    .areas(inner);
    let title = form
        .questionnaires
        .get(form.questionnaire)
        .and_then(|id| catalog.get(id))
        .map_or_else(String::new, |q| {
            format!(
                "{} ({} questions)",
                q.questionnaire.header.title,
                q.questionnaire.question_count()
            )
        });
    let choice = |label: &str, value: String, focused: bool| {
        let marker = if focused { "▸" } else { " " };
        if compact {
            let room = usize::from(inner.width).saturating_sub(20);
            let value = fit_words(&inert(&value, false), room);
            return Paragraph::new(format!("{marker} {label:<14}◂ {value} ▸"));
        }
        Paragraph::new(format!("◂ {} ▸", inert(&value, false))).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!("{marker} {label}")),
        )
    };
    frame.render_widget(choice("Questionnaire", title, form.focus == 0), q);
    let role = ROLES
        .get(form.respondent)
        .map_or("", |r| r.as_str())
        .to_string();
    frame.render_widget(choice("Respondent", role, form.focus == 1), r);
    let label = "Interviewers (comma-separated)";
    if compact {
        field::draw_row(frame, i, &form.interviewers, label, 15, form.focus == 2);
    } else {
        field::draw(frame, i, &form.interviewers, label, form.focus == 2);
    }
    if let Some(err) = &form.error {
        let line = Line::styled(format!("✗ {}", inert(err, false)), theme.warn());
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), e);
    }
}
