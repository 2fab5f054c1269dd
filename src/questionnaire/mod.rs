//! Questionnaires: the TOML format (serde types), loading (embedded and local) and the linter.
//!
//! The format is documented in `docs/questionnaire-format.md`. These types are the single
//! source of truth for it: the JSON Schema is derived from them and the linter checks what
//! serde cannot (ids, ranges, options, cross-check pairing) with positions in the file.

mod catalog;
mod lint;
mod pairing;
mod position;
mod version;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use catalog::{
    Catalog, EMBEDDED, LoadProblem, LoadedQuestionnaire, Origin, RELEASED, Resolved, TextRef,
    read_limited, text_hash,
};
pub use lint::{Diagnostic, MAX_FILE_BYTES, lint_set, lint_text, parse};
pub use version::Version;

/// One questionnaire file: a header and its sections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// Identity, version and provenance.
    #[serde(rename = "questionnaire")]
    pub header: Header,
    /// Sections in the order they are shown.
    #[serde(default, rename = "section")]
    pub sections: Vec<Section>,
    /// Comparisons worked out from two cross-checked numbers (suspect and partner only).
    #[serde(default, rename = "derived", skip_serializing_if = "Vec::is_empty")]
    pub derived: Vec<Derived>,
}

/// The `[questionnaire]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Stable id (lowercase letters, digits, '-'); a local file with the same id overrides.
    pub id: String,
    /// Dot-separated numbers, e.g. "1.0.0"; the higher version wins.
    pub version: String,
    pub title: String,
    /// Who answers: suspect, partner, carer, child, or none (completed by practitioners).
    pub respondent: Respondent,
    /// The guidance the questionnaire comes from.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Who a questionnaire is asked of. Cross-checks pair `suspect` with `partner`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Respondent {
    Suspect,
    Partner,
    Carer,
    Child,
    /// Completed by the practitioners themselves (strategy discussion, risk judgement).
    None,
}

impl Respondent {
    pub fn as_str(self) -> &'static str {
        match self {
            Respondent::Suspect => "suspect",
            Respondent::Partner => "partner",
            Respondent::Carer => "carer",
            Respondent::Child => "child",
            Respondent::None => "none",
        }
    }
}

impl std::fmt::Display for Respondent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `[[section]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, rename = "question")]
    pub questions: Vec<Question>,
}

/// A `[[section.question]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Unique within the questionnaire; answers refer to it, so never reuse one.
    pub id: String,
    /// Short enough to read at a glance during an interview.
    pub prompt: String,
    /// Longer context for the detail pane.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<String>,
    /// The section of the guidance this question comes from.
    pub source: String,
    pub answer: AnswerSpec,
    /// Pairs this question with the other side's (suspect ↔ partner) by a shared key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_check: Option<CrossCheck>,
    /// Prompts-to-act shown when a matching answer is recorded.
    #[serde(default, rename = "act", skip_serializing_if = "Vec::is_empty")]
    pub acts: Vec<PromptToAct>,
}

/// The kind of answer a question takes. "Don't know" and "declined" are always available.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerSpec {
    YesNo,
    Choice {
        options: Vec<String>,
    },
    MultiChoice {
        options: Vec<String>,
    },
    /// Ordered steps, lowest first.
    Scale {
        steps: Vec<String>,
    },
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        /// Whole numbers only.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        integer: bool,
    },
    Text,
    Date,
}

impl AnswerSpec {
    /// The `type` name as written in the file.
    pub fn type_name(&self) -> &'static str {
        match self {
            AnswerSpec::YesNo => "yes_no",
            AnswerSpec::Choice { .. } => "choice",
            AnswerSpec::MultiChoice { .. } => "multi_choice",
            AnswerSpec::Scale { .. } => "scale",
            AnswerSpec::Number { .. } => "number",
            AnswerSpec::Text => "text",
            AnswerSpec::Date => "date",
        }
    }

    /// The options or steps a choice, multi-choice or scale offers; empty for other types.
    pub fn options(&self) -> &[String] {
        match self {
            AnswerSpec::Choice { options } | AnswerSpec::MultiChoice { options } => options,
            AnswerSpec::Scale { steps } => steps,
            _ => &[],
        }
    }
}

/// How a cross-checked answer is compared with the other side's. Which keys apply depends on
/// the answer type (see the format doc); the linter rejects keys that don't fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrossCheck {
    /// Shared with the question on the other side.
    pub key: String,
    /// Numbers: absolute difference that still agrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
    /// Numbers: share of the larger value that still agrees (0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative: Option<f64>,
    /// Scales: steps apart that count as close rather than diverging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<u32>,
    /// Dates: days apart that still agree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance_days: Option<u32>,
    /// Numbers: none against any (0 against more than 0) always diverges, whatever the
    /// tolerance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zero_differs: Option<bool>,
}

/// A `[[derived]]` comparison: the product of two cross-checked numbers of the same
/// questionnaire (hours online × share of that time), compared between the two sides like a
/// number. Shown beside the two it is made from, never instead of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    /// Shared with the other side's `[[derived]]`; distinct from every cross-check key.
    pub key: String,
    /// What the product is, as the review lists it.
    pub prompt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<String>,
    /// The section of the guidance this comparison comes from.
    pub source: String,
    /// The two cross-check keys (of number questions in this questionnaire) multiplied.
    pub product: Vec<String>,
    /// Multiplies the product, e.g. 0.01 when one of the two is a percentage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
    /// The product's unit, e.g. "hours/week".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// As for a number's cross-check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zero_differs: Option<bool>,
}

/// Text shown when a matching answer is recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PromptToAct {
    /// Yes/no, choice, multi-choice and scale: the answers that show the prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Vec<String>>,
    /// Numbers: show when the answer is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// Numbers: show when the answer is at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
    pub text: String,
}

impl Questionnaire {
    /// All questions in order, with their section.
    pub fn questions(&self) -> impl Iterator<Item = (&Section, &Question)> {
        self.sections
            .iter()
            .flat_map(|s| s.questions.iter().map(move |q| (s, q)))
    }

    /// The question with this id, if the questionnaire (still) has it.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.id == id)
    }

    pub fn question_count(&self) -> usize {
        self.sections.iter().map(|s| s.questions.len()).sum()
    }

    pub fn cross_check_count(&self) -> usize {
        self.questions()
            .filter(|(_, q)| q.cross_check.is_some())
            .count()
    }

    /// The question with this cross-check key, if any.
    pub fn cross_checked(&self, key: &str) -> Option<&Question> {
        self.questions()
            .map(|(_, q)| q)
            .find(|q| q.cross_check.as_ref().is_some_and(|c| c.key == key))
    }
}

/// The JSON Schema of the questionnaire format, for editors.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Questionnaire);
    schema.to_value()
}
