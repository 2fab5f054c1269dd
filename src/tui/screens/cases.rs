//! The case list: filter as you type, open a case, create one (reference, subjects by role).

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::case::CaseScreen;
use super::field;
use crate::questionnaire::Respondent;
use crate::records::CaseSummary;
use crate::session::Subject;
use crate::store::CaseId;
use crate::tui::action::{Action, Context};
use crate::tui::app::{Ctx, Screen, Transition};
use crate::tui::fuzzy::Fuzzy;
use crate::tui::text::inert;
use crate::tui::theme::Theme;
use crate::tui::view::fit_words;

/// Below this width a case takes two lines.
const NARROW: u16 = 60;

/// The new-case form's fields: label and the role its names are given (none: reference).
pub const CASE_FIELDS: [(&str, Option<Respondent>); 5] = [
    ("Reference (e.g. DEMO-0001)", None),
    (
        "Suspect (label; several: separate with commas)",
        Some(Respondent::Suspect),
    ),
    ("Partner", Some(Respondent::Partner)),
    ("Carer(s)", Some(Respondent::Carer)),
    ("Child(ren)", Some(Respondent::Child)),
];

pub struct NewCaseForm {
    pub fields: Vec<TextArea<'static>>,
    pub focus: usize,
    pub error: Option<String>,
}

pub struct CasesScreen {
    /// The sitting used last, offered straight after unlocking.
    pub offer: Option<super::resume::ResumeOffer>,
    pub cases: Vec<CaseSummary>,
    pub problems: Vec<String>,
    pub filter: String,
    pub selected: usize,
    pub form: Option<NewCaseForm>,
    pub message: Option<String>,
}

impl CasesScreen {
    /// The case list with things the person must read first (one line each).
    pub fn with_notices(ctx: &Ctx, notices: Vec<String>) -> CasesScreen {
        let mut screen = CasesScreen::unlocked(ctx);
        if !notices.is_empty() {
            screen.problems.splice(0..0, notices);
        }
        screen
    }

    pub fn load(ctx: &Ctx) -> CasesScreen {
        let mut screen = CasesScreen {
            offer: None,
            cases: Vec::new(),
            problems: Vec::new(),
            filter: String::new(),
            selected: 0,
            form: None,
            message: None,
        };
        match ctx.book.as_ref().map(|b| b.list()) {
            Some(Ok(list)) => {
                screen.cases = list.cases;
                screen.problems = list.problems.iter().map(|p| p.to_string()).collect();
            }
            Some(Err(e)) => screen.message = Some(e.to_string()),
            None => {}
        }
        screen
    }

    /// The case list just after unlocking: if the unlocked key could not be kept out of
    /// swap, it says so here, once.
    pub fn unlocked(ctx: &Ctx) -> CasesScreen {
        let mut screen = CasesScreen::load(ctx);
        if let Some(w) = crate::store::memlock::take_warning() {
            screen.message.get_or_insert(format!("Note: {w}."));
        }
        screen
    }

    /// Lists the cases again from disk, keeping the filter, the form and the selection
    /// (clamped).
    fn reload_list(&mut self, ctx: &Ctx) {
        let fresh = CasesScreen::load(ctx);
        self.cases = fresh.cases;
        self.problems = fresh.problems;
        if fresh.message.is_some() {
            self.message = fresh.message;
        }
        self.selected = self.selected.min(self.cases.len().saturating_sub(1));
    }

    /// Text typed in the new-case form, which quitting would drop: what to say about it.
    /// Kept, not saved: creating a case is a step of its own (Enter), never a side effect.
    pub fn kept_typing(&self) -> Option<String> {
        let form = self.form.as_ref()?;
        form.fields
            .iter()
            .any(|f| !field::text(f).trim().is_empty())
            .then(|| "The form is not saved: Enter creates the case, Esc drops it.".to_string())
    }

    /// Shows a message where the person is looking: in the form if it is open.
    pub fn tell(&mut self, message: String) {
        match &mut self.form {
            Some(form) => form.error = Some(message),
            None => self.message = Some(message),
        }
    }

    pub fn context(&self) -> Context {
        if self.offer.is_some() {
            Context::ResumeOffer
        } else if self.form.is_some() {
            Context::NewCase
        } else {
            Context::Cases
        }
    }

    /// Indexes of the cases the filter keeps, best match first.
    pub fn visible(&self) -> Vec<usize> {
        let mut fuzzy = Fuzzy::new(&self.filter);
        let mut scored: Vec<(u32, usize)> = self
            .cases
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let labels: Vec<&str> = c.subjects.iter().map(|s| s.label.as_str()).collect();
                let hay = format!("{} {}", c.reference, labels.join(" "));
                fuzzy.score(&hay).map(|s| (s, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, i)| i).collect()
    }

    pub fn paste(&mut self, text: &str) {
        match &mut self.form {
            Some(form) => {
                if let Some(f) = form.fields.get_mut(form.focus) {
                    field::paste_line(f, text);
                }
            }
            None => {
                self.filter.extend(text.chars().filter(|c| !c.is_control()));
                self.selected = 0;
            }
        }
    }

    pub fn key(&mut self, action: Option<Action>, key: KeyEvent, ctx: &mut Ctx) -> Transition {
        if let Some(offer) = self.offer.take() {
            // The offer takes the first key: Enter resumes, anything else puts it away.
            if action == Some(Action::Submit) {
                match offer.accept(ctx) {
                    Ok(t) => return t,
                    Err(e) => self.message = Some(e),
                }
            }
            return Transition::Stay;
        }
        if self.form.is_some() {
            return self.form_key(action, key, ctx);
        }
        let count = self.visible().len();
        match action {
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => self.selected = (self.selected + 1).min(count.saturating_sub(1)),
            Some(Action::Back | Action::ClearLine) => {
                self.filter.clear();
                self.selected = 0;
            }
            Some(Action::NewCase) => {
                self.form = Some(NewCaseForm {
                    fields: CASE_FIELDS.iter().map(|_| field::line()).collect(),
                    focus: 0,
                    error: None,
                });
            }
            Some(Action::Open) => {
                let chosen = self.visible().get(self.selected).copied();
                if let Some(case) = chosen.and_then(|i| self.cases.get(i)) {
                    let id = case.id.clone();
                    return self.open(&id, ctx);
                }
            }
            _ => match key.code {
                KeyCode::Char(c)
                    if !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    self.filter.push(c);
                    self.selected = 0;
                }
                KeyCode::Backspace => {
                    self.filter.pop();
                    self.selected = 0;
                }
                _ => {}
            },
        }
        Transition::Stay
    }

    fn open(&mut self, id: &CaseId, ctx: &mut Ctx) -> Transition {
        match CaseScreen::open(id, ctx) {
            Ok(screen) => Transition::To(Screen::Case(screen)),
            Err(e) => {
                self.message = Some(e);
                Transition::Stay
            }
        }
    }

    fn form_key(&mut self, action: Option<Action>, key: KeyEvent, ctx: &mut Ctx) -> Transition {
        let Some(form) = self.form.as_mut() else {
            return Transition::Stay;
        };
        let n = form.fields.len();
        match action {
            Some(Action::Cancel) => self.form = None,
            Some(Action::NextField) => form.focus = (form.focus + 1) % n,
            Some(Action::PrevField) => form.focus = (form.focus + n - 1) % n,
            Some(Action::Submit) => {
                let texts: Vec<String> = form.fields.iter().map(field::text).collect();
                let reference = texts
                    .first()
                    .map(|t| t.trim().to_string())
                    .unwrap_or_default();
                if reference.is_empty() {
                    form.error = Some("Type a reference for the case first.".into());
                    form.focus = 0;
                    return Transition::Stay;
                }
                let subjects: Vec<Subject> = CASE_FIELDS
                    .iter()
                    .zip(&texts)
                    .filter_map(|((_, role), text)| role.map(|r| Subject::list(r, text)))
                    .flatten()
                    .collect();
                let Some(book) = ctx.book.as_ref() else {
                    return Transition::Stay;
                };
                // The same rule as `companion case new`: one case per reference. Checked
                // against the disk, not the list on screen (another window may have made it).
                match book.list() {
                    Ok(list) => {
                        if let Some(existing) = list.with_reference(&reference).first() {
                            form.error = Some(format!(
                                "A case with reference {} already exists (created {}, {} sitting(s)): nothing was created. Open it from the list (Esc), or type another reference.",
                                inert(&existing.reference, false),
                                existing.created.format("%Y-%m-%d"),
                                existing.sittings
                            ));
                            form.focus = 0;
                            self.reload_list(ctx);
                            return Transition::Stay;
                        }
                    }
                    Err(e) => {
                        form.error = Some(format!(
                            "NOT saved: the reference could not be checked against the cases on disk, so nothing was created ({e}). Press Enter to try again"
                        ));
                        return Transition::Stay;
                    }
                }
                match book.create_case(&reference, subjects, ctx.clock.stamp().at) {
                    Ok(case) => {
                        self.form = None;
                        match case.id.parse::<CaseId>() {
                            Ok(id) => return self.open(&id, ctx),
                            Err(e) => self.message = Some(e.to_string()),
                        }
                    }
                    Err(e) => {
                        form.error = Some(e.to_string());
                        // The store takes a failed case's folder back, but if even that
                        // failed the list must show what is really on disk.
                        self.reload_list(ctx);
                    }
                }
            }
            Some(Action::ClearLine) => {
                if let Some(f) = form.fields.get_mut(form.focus) {
                    field::clear_line(f);
                }
            }
            _ => {
                if let Some(f) = form.fields.get_mut(form.focus) {
                    field::feed_line(f, key);
                }
            }
        }
        Transition::Stay
    }

    /// The case list, under a banner of the problems met at start (`notices`: the user's
    /// keymap or settings, questionnaires left out), if any.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, notices: &[String]) {
        let width = usize::from(area.width);
        let banner: Vec<Line> = notices
            .iter()
            .flat_map(|n| crate::tui::view::wrap_words(&format!("⚠ {}", inert(n, false)), width))
            .map(|l| Line::styled(l, theme.warn()))
            .collect();
        // The banner never takes more than half the screen.
        let banner_height = u16::try_from(banner.len())
            .unwrap_or(u16::MAX)
            .min(area.height / 2);
        let [banner_area, area] =
            Layout::vertical([Constraint::Length(banner_height), Constraint::Min(0)]).areas(area);
        frame.render_widget(Paragraph::new(banner), banner_area);
        let [head, list] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(area);
        let filter = Line::from(vec![
            Span::styled("Cases", theme.title()),
            Span::raw("   filter: "),
            Span::styled(format!("{}▏", inert(&self.filter, false)), theme.key()),
        ]);
        frame.render_widget(Paragraph::new(filter), head);
        let mut lines = Vec::new();
        let visible = self.visible();
        if self.cases.is_empty() {
            lines.push(Line::from(
                "No cases yet. Create one with the key in the footer.",
            ));
        } else if visible.is_empty() {
            lines.push(Line::from("No case matches the filter."));
        }
        // Narrow windows: two lines per case, so the people stay readable.
        let narrow = list.width < NARROW;
        for (row, i) in visible.iter().enumerate() {
            let Some(c) = self.cases.get(*i) else {
                continue;
            };
            let subjects: Vec<String> = c
                .subjects
                .iter()
                .map(|s| format!("{} ({})", inert(&s.label, false), s.role))
                .collect();
            let marker = if row == self.selected { "›" } else { " " };
            let style = if row == self.selected {
                theme.selected()
            } else {
                theme.base()
            };
            if narrow {
                let first = format!(
                    "{marker} {} · {} · {} sitting(s)",
                    inert(&c.reference, false),
                    c.created.format("%Y-%m-%d"),
                    c.sittings
                );
                let second = format!("  {}", subjects.join(", "));
                let width = usize::from(list.width);
                lines.push(Line::styled(fit_words(&first, width), style));
                lines.push(Line::styled(fit_words(&second, width), theme.base()));
                continue;
            }
            let text = format!(
                "{marker} {:<14} {}  {} sitting(s)  {}",
                inert(&c.reference, false),
                c.created.format("%Y-%m-%d"),
                c.sittings,
                subjects.join(", ")
            );
            lines.push(Line::styled(text, style));
        }
        let notices = crate::tui::view::notice_lines(&self.problems, self.message.as_ref(), theme);
        let list = crate::tui::view::draw_notices(frame, list, notices);
        let selected_line = (self.selected as u16).saturating_mul(if narrow { 2 } else { 1 });
        let scroll =
            selected_line.saturating_sub(list.height.saturating_sub(1 + u16::from(narrow)));
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), list);
        if let Some(form) = &self.form {
            render_form(form, frame, area, theme);
        }
        if let Some(offer) = &self.offer {
            offer.render(frame, area, theme);
        }
    }
}

fn render_form(form: &NewCaseForm, frame: &mut Frame, area: Rect, theme: &Theme) {
    let area = crate::tui::view::centered(area, 60, 3 * CASE_FIELDS.len() as u16 + 4);
    frame.render_widget(ratatui::widgets::Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" New case ", theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Too short for a box per field: one row each.
    let row_height = if inner.height > 3 * CASE_FIELDS.len() as u16 {
        3
    } else {
        1
    };
    let label_width = CASE_FIELDS
        .iter()
        .map(|(l, _)| field::short_label(l).chars().count() as u16 + 3)
        .max()
        .unwrap_or(0);
    let mut constraints: Vec<Constraint> = CASE_FIELDS
        .iter()
        .map(|_| Constraint::Length(row_height))
        .collect();
    constraints.push(Constraint::Min(0));
    let rows = Layout::vertical(constraints).split(inner);
    for (i, ((label, _), f)) in CASE_FIELDS.iter().zip(&form.fields).enumerate() {
        match rows.get(i) {
            Some(r) if row_height == 1 => {
                field::draw_row(frame, *r, f, label, label_width, form.focus == i)
            }
            Some(r) => field::draw(frame, *r, f, label, form.focus == i),
            None => {}
        }
    }
    if let (Some(e), Some(r)) = (&form.error, rows.last()) {
        let line = Line::styled(format!("✗ {e}"), theme.warn());
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), *r);
    }
}
