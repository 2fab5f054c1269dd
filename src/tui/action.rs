//! Everything a key can ask for. Keys become actions in one place (the keymap); `update`
//! is the only code that acts on them.

/// The screens and overlays that have their own keys (the keymap's tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    Setup,
    Unlock,
    Cases,
    NewCase,
    Case,
    StartSitting,
    Logging,
    AnswerInput,
    NoteInput,
    ObservationInput,
    Jump,
    Flagged,
    ConfirmClear,
    ConfirmDate,
    History,
    Observations,
    ResumeOffer,
    Review,
    ReviewDetail,
    Help,
}

impl Context {
    pub const ALL: [Context; 21] = [
        Context::Global,
        Context::Setup,
        Context::Unlock,
        Context::Cases,
        Context::NewCase,
        Context::Case,
        Context::StartSitting,
        Context::Logging,
        Context::AnswerInput,
        Context::NoteInput,
        Context::ObservationInput,
        Context::Jump,
        Context::Flagged,
        Context::ConfirmClear,
        Context::ConfirmDate,
        Context::History,
        Context::Observations,
        Context::ResumeOffer,
        Context::Review,
        Context::ReviewDetail,
        Context::Help,
    ];

    /// The table name in the keymap file.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Setup => "setup",
            Context::Unlock => "unlock",
            Context::Cases => "cases",
            Context::NewCase => "new_case",
            Context::Case => "case",
            Context::StartSitting => "start_sitting",
            Context::Logging => "logging",
            Context::AnswerInput => "answer_input",
            Context::NoteInput => "note_input",
            Context::ObservationInput => "observation_input",
            Context::Jump => "jump",
            Context::Flagged => "flagged",
            Context::ConfirmClear => "confirm_clear",
            Context::ConfirmDate => "confirm_date",
            Context::History => "history",
            Context::Observations => "observations",
            Context::ResumeOffer => "resume_offer",
            Context::Review => "review",
            Context::ReviewDetail => "review_detail",
            Context::Help => "help",
        }
    }

    /// What the help overlay calls these keys (never the table name).
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Setup => "Creating your identity",
            Context::Unlock => "Unlocking",
            Context::Cases => "Case list",
            Context::NewCase => "New case",
            Context::Case => "Case",
            Context::StartSitting => "Starting a sitting",
            Context::Logging => "Logging",
            Context::AnswerInput => "Typing an answer",
            Context::NoteInput => "Writing a note",
            Context::ObservationInput => "Writing an observation",
            Context::Jump => "Jump to a question",
            Context::Flagged => "Flagged questions",
            Context::ConfirmClear => "Clearing an answer",
            Context::ConfirmDate => "A date in the future",
            Context::History => "A question's history",
            Context::Observations => "Observations",
            Context::ResumeOffer => "Resuming",
            Context::Review => "Review",
            Context::ReviewDetail => "Review: one question",
            Context::Help => "Help",
        }
    }

    /// Whether keys not bound here go to a text field (so plain characters type, and Alt
    /// keys edit the text).
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Context::Setup
                | Context::Unlock
                | Context::Cases
                | Context::NewCase
                | Context::StartSitting
                | Context::AnswerInput
                | Context::NoteInput
                | Context::ObservationInput
                | Context::Jump
        )
    }

    /// Whether the global keys that act on the records (lock, privacy blank) mean anything
    /// here: not before the records are unlocked.
    pub fn has_records(self) -> bool {
        !matches!(self, Context::Setup | Context::Unlock)
    }

    /// The actions this context may bind.
    pub fn allows(self, action: &Action) -> bool {
        use Action as A;
        match self {
            Context::Global => matches!(action, A::Quit | A::Privacy | A::Help | A::Lock),
            Context::Setup => {
                matches!(
                    action,
                    A::NextField | A::Submit | A::Generate | A::ClearLine
                )
            }
            Context::Unlock => matches!(action, A::Submit | A::ClearLine),
            Context::Cases => {
                matches!(
                    action,
                    A::Up | A::Down | A::Open | A::NewCase | A::Back | A::Help | A::ClearLine
                )
            }
            Context::NewCase => matches!(
                action,
                A::NextField | A::PrevField | A::Submit | A::Cancel | A::ClearLine
            ),
            Context::StartSitting => matches!(
                action,
                A::NextField
                    | A::PrevField
                    | A::Up
                    | A::Down
                    | A::Left
                    | A::Right
                    | A::Submit
                    | A::Cancel
                    | A::ClearLine
            ),
            Context::Case => matches!(
                action,
                A::Up | A::Down | A::Open | A::StartSitting | A::Review | A::Back | A::Help
            ),
            Context::Review => matches!(
                action,
                A::Up | A::Down | A::Open | A::Filter | A::SwitchView | A::Back | A::Help
            ),
            Context::ReviewDetail => matches!(
                action,
                A::Up | A::Down | A::Left | A::Right | A::Back | A::Help
            ),
            Context::Logging => {
                !matches!(
                    action,
                    A::Submit | A::Cancel | A::Done | A::NextField | A::PrevField | A::Open
                ) && !matches!(
                    action,
                    A::NewCase
                        | A::StartSitting
                        | A::Left
                        | A::Right
                        | A::Review
                        | A::Filter
                        | A::SwitchView
                        | A::PageUp
                        | A::PageDown
                        | A::ClearLine
                )
            }
            Context::AnswerInput => matches!(action, A::Submit | A::Cancel | A::ClearLine),
            Context::NoteInput | Context::ObservationInput => {
                matches!(action, A::Done | A::ClearLine)
            }
            Context::Jump => {
                matches!(
                    action,
                    A::Up | A::Down | A::Submit | A::Cancel | A::ClearLine
                )
            }
            Context::Flagged => {
                matches!(action, A::Up | A::Down | A::Submit | A::Cancel)
            }
            Context::ConfirmClear | Context::ConfirmDate | Context::ResumeOffer => {
                matches!(action, A::Submit | A::Cancel)
            }
            Context::History | Context::Observations => {
                matches!(
                    action,
                    A::Up | A::Down | A::PageUp | A::PageDown | A::Cancel
                )
            }
            Context::Help => {
                matches!(
                    action,
                    A::Cancel | A::Up | A::Down | A::PageUp | A::PageDown
                )
            }
        }
    }
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Privacy,
    Help,
    Lock,
    Up,
    Down,
    Left,
    Right,
    NextField,
    PrevField,
    Submit,
    Cancel,
    Done,
    Open,
    Back,
    NewCase,
    StartSitting,
    NextSection,
    PrevSection,
    Jump,
    /// Option or step number: 1–9, and 0 for the tenth.
    Choose(u8),
    Yes,
    No,
    DontKnow,
    Declined,
    Clear,
    Edit,
    Note,
    Flag,
    Flagged,
    Observation,
    /// Narrow windows: show the question list or the question (logging).
    TogglePane,
    /// Scroll a page (help).
    PageUp,
    PageDown,
    /// Open the review of cross-checks (case screen).
    Review,
    /// Show divergences only, or everything again (review).
    Filter,
    /// Make a strong passphrase (setup).
    Generate,
    /// The other view of the review: the cross-checks, or the changes between sittings.
    SwitchView,
    /// Take back the last change (logging), as a new event.
    Undo,
    /// Do again what the last undo took back.
    Redo,
    /// The first / last question.
    First,
    Last,
    /// The next / previous question without an answer.
    NextUnanswered,
    PrevUnanswered,
    /// The next / previous cross-checked question the other side has answered and this
    /// sitting has not (still to be put to this person).
    NextToAsk,
    PrevToAsk,
    /// The next / previous question marked `≠`.
    NextDiverges,
    PrevDiverges,
    /// Scroll the question pane (small windows).
    ScrollDown,
    ScrollUp,
    /// The current question's history of events.
    History,
    /// The sitting's observations.
    Observations,
    /// Text fields: delete from the cursor to the start of the line (readline's Ctrl+U).
    ClearLine,
}

impl Action {
    /// The action named in the keymap. `choose` takes its number from the key.
    pub fn from_name(name: &str) -> Option<Action> {
        Some(match name {
            "quit" => Action::Quit,
            "privacy" => Action::Privacy,
            "help" => Action::Help,
            "lock" => Action::Lock,
            "up" => Action::Up,
            "down" => Action::Down,
            "left" => Action::Left,
            "right" => Action::Right,
            "next_field" => Action::NextField,
            "prev_field" => Action::PrevField,
            "submit" => Action::Submit,
            "cancel" => Action::Cancel,
            "done" => Action::Done,
            "open" => Action::Open,
            "back" => Action::Back,
            "new_case" => Action::NewCase,
            "start_sitting" => Action::StartSitting,
            "next_section" => Action::NextSection,
            "prev_section" => Action::PrevSection,
            "jump" => Action::Jump,
            "choose" => Action::Choose(1),
            "yes" => Action::Yes,
            "no" => Action::No,
            "dont_know" => Action::DontKnow,
            "declined" => Action::Declined,
            "clear" => Action::Clear,
            "edit" => Action::Edit,
            "note" => Action::Note,
            "flag" => Action::Flag,
            "flagged" => Action::Flagged,
            "observation" => Action::Observation,
            "toggle_pane" => Action::TogglePane,
            "page_up" => Action::PageUp,
            "page_down" => Action::PageDown,
            "review" => Action::Review,
            "filter" => Action::Filter,
            "generate" => Action::Generate,
            "switch_view" => Action::SwitchView,
            "undo" => Action::Undo,
            "redo" => Action::Redo,
            "first" => Action::First,
            "last" => Action::Last,
            "next_unanswered" => Action::NextUnanswered,
            "prev_unanswered" => Action::PrevUnanswered,
            "next_to_ask" => Action::NextToAsk,
            "prev_to_ask" => Action::PrevToAsk,
            "next_diverges" => Action::NextDiverges,
            "prev_diverges" => Action::PrevDiverges,
            "scroll_down" => Action::ScrollDown,
            "scroll_up" => Action::ScrollUp,
            "history" => Action::History,
            "observations" => Action::Observations,
            "clear_line" => Action::ClearLine,
            _ => return None,
        })
    }
}
