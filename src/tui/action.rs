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
    Review,
    ReviewDetail,
    Help,
}

impl Context {
    pub const ALL: [Context; 16] = [
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
            Context::Review => "review",
            Context::ReviewDetail => "review_detail",
            Context::Help => "help",
        }
    }

    /// Whether keys not bound here go to a text field (so plain characters type).
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

    /// The actions this context may bind.
    pub fn allows(self, action: &Action) -> bool {
        use Action as A;
        match self {
            Context::Global => matches!(action, A::Quit | A::Privacy | A::Help | A::Lock),
            Context::Setup => matches!(action, A::NextField | A::Submit | A::Generate),
            Context::Unlock => matches!(action, A::Submit),
            Context::Cases => {
                matches!(
                    action,
                    A::Up | A::Down | A::Open | A::NewCase | A::Back | A::Help
                )
            }
            Context::NewCase | Context::StartSitting => matches!(
                action,
                A::NextField | A::PrevField | A::Left | A::Right | A::Submit | A::Cancel
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
                )
            }
            Context::AnswerInput => matches!(action, A::Submit | A::Cancel),
            Context::NoteInput | Context::ObservationInput => matches!(action, A::Done),
            Context::Jump | Context::Flagged => {
                matches!(action, A::Up | A::Down | A::Submit | A::Cancel)
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
            _ => return None,
        })
    }
}
