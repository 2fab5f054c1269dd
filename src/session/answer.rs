//! Recorded answers: their values, checking them against the question, and prompts-to-act.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::date::PartialDate;
use crate::questionnaire::{AnswerSpec, PromptToAct};

/// One recorded answer. "Don't know" and "declined" are answers too: they say the question
/// was asked. A question never answered was not asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum AnswerValue {
    YesNo {
        yes: bool,
    },
    Choice {
        option: String,
    },
    MultiChoice {
        options: Vec<String>,
    },
    /// The step's label, as the questionnaire wrote it.
    Scale {
        step: String,
    },
    Number {
        number: f64,
    },
    Text {
        text: String,
    },
    /// Known to the year, the month or the day (`"2019"`, `"2019-03"`, `"2019-03-14"`).
    Date {
        date: PartialDate,
    },
    DontKnow,
    Declined,
}

impl AnswerValue {
    /// Whether this is "don't know" or "declined" rather than an answer to the question.
    pub fn is_uncertain(&self) -> bool {
        matches!(self, AnswerValue::DontKnow | AnswerValue::Declined)
    }

    /// Checks the answer fits the question; the message says what would.
    pub fn check(&self, spec: &AnswerSpec) -> Result<(), String> {
        match (self, spec) {
            (AnswerValue::DontKnow | AnswerValue::Declined, _) => Ok(()),
            (AnswerValue::YesNo { .. }, AnswerSpec::YesNo) => Ok(()),
            (AnswerValue::Choice { option }, AnswerSpec::Choice { options }) => {
                one_of(option, options)
            }
            (AnswerValue::MultiChoice { options: chosen }, AnswerSpec::MultiChoice { options }) => {
                chosen.iter().try_for_each(|c| one_of(c, options))?;
                let mut unique = chosen.clone();
                unique.sort();
                unique.dedup();
                if unique.len() != chosen.len() {
                    return Err("an option is chosen twice".into());
                }
                Ok(())
            }
            (AnswerValue::Scale { step }, AnswerSpec::Scale { steps }) => one_of(step, steps),
            (
                AnswerValue::Number { number },
                AnswerSpec::Number {
                    min, max, integer, ..
                },
            ) => {
                if !number.is_finite() {
                    return Err("not a number".into());
                }
                if *integer && number.fract() != 0.0 {
                    return Err("a whole number is needed".into());
                }
                if let Some(min) = min
                    && number < min
                {
                    return Err(format!("must be at least {min}"));
                }
                if let Some(max) = max
                    && number > max
                {
                    return Err(format!("must be at most {max}"));
                }
                Ok(())
            }
            // Empty means not answered: an empty text is never recorded as an answer.
            (AnswerValue::Text { text }, AnswerSpec::Text) if text.trim().is_empty() => {
                Err("nothing typed; an empty answer is not an answer".into())
            }
            (AnswerValue::Text { .. }, AnswerSpec::Text) => Ok(()),
            (AnswerValue::Date { .. }, AnswerSpec::Date) => Ok(()),
            (value, spec) => Err(format!(
                "a {} answer does not fit a {} question",
                value.kind_name(),
                spec.type_name()
            )),
        }
    }

    fn kind_name(&self) -> &'static str {
        match self {
            AnswerValue::YesNo { .. } => "yes_no",
            AnswerValue::Choice { .. } => "choice",
            AnswerValue::MultiChoice { .. } => "multi_choice",
            AnswerValue::Scale { .. } => "scale",
            AnswerValue::Number { .. } => "number",
            AnswerValue::Text { .. } => "text",
            AnswerValue::Date { .. } => "date",
            AnswerValue::DontKnow => "don't know",
            AnswerValue::Declined => "declined",
        }
    }

    /// Whether this is an answer with nothing in it (an empty text). Empty means not
    /// answered: folding treats one (from an older record) as no answer.
    pub fn is_empty(&self) -> bool {
        matches!(self, AnswerValue::Text { text } if text.trim().is_empty())
    }

    /// Parses what the interviewer typed for a number, date or text question.
    pub fn parse_typed(spec: &AnswerSpec, input: &str) -> Result<AnswerValue, String> {
        let input = input.trim();
        let value = match spec {
            AnswerSpec::Number { .. } => {
                let number: f64 = input
                    .parse()
                    .map_err(|_| format!("`{input}` is not a number"))?;
                AnswerValue::Number { number }
            }
            AnswerSpec::Date => AnswerValue::Date {
                date: PartialDate::parse_typed(input)?,
            },
            AnswerSpec::Text => AnswerValue::Text {
                text: input.to_string(),
            },
            other => return Err(format!("a {} answer is not typed", other.type_name())),
        };
        value.check(spec)?;
        Ok(value)
    }
}

fn one_of(value: &str, options: &[String]) -> Result<(), String> {
    if options.iter().any(|o| o == value) {
        Ok(())
    } else {
        Err(format!("`{value}` is not one of the options"))
    }
}

impl fmt::Display for AnswerValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerValue::YesNo { yes: true } => f.write_str("yes"),
            AnswerValue::YesNo { yes: false } => f.write_str("no"),
            AnswerValue::Choice { option } => f.write_str(option),
            AnswerValue::MultiChoice { options } if options.is_empty() => f.write_str("(none)"),
            AnswerValue::MultiChoice { options } => f.write_str(&options.join(", ")),
            AnswerValue::Scale { step } => f.write_str(step),
            AnswerValue::Number { number } => write!(f, "{number}"),
            AnswerValue::Text { text } => f.write_str(text),
            AnswerValue::Date { date } => write!(f, "{date}"),
            AnswerValue::DontKnow => f.write_str("don't know"),
            AnswerValue::Declined => f.write_str("declined"),
        }
    }
}

/// Whether a prompt-to-act applies to a recorded answer.
pub fn act_applies(act: &PromptToAct, value: &AnswerValue) -> bool {
    let listed = |v: &str| act.when.as_ref().is_some_and(|w| w.iter().any(|x| x == v));
    match value {
        AnswerValue::YesNo { yes } => listed(if *yes { "yes" } else { "no" }),
        AnswerValue::Choice { option } => listed(option),
        AnswerValue::Scale { step } => listed(step),
        AnswerValue::MultiChoice { options } => options.iter().any(|o| listed(o)),
        AnswerValue::Number { number } => {
            let ok_low = act.at_least.is_none_or(|lo| *number >= lo);
            let ok_high = act.at_most.is_none_or(|hi| *number <= hi);
            (act.at_least.is_some() || act.at_most.is_some()) && ok_low && ok_high
        }
        AnswerValue::Text { .. }
        | AnswerValue::Date { .. }
        | AnswerValue::DontKnow
        | AnswerValue::Declined => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(min: Option<f64>, max: Option<f64>, integer: bool) -> AnswerSpec {
        AnswerSpec::Number {
            unit: None,
            min,
            max,
            integer,
        }
    }

    #[test]
    fn numbers_are_checked_against_range_and_wholeness() {
        let spec = number(Some(0.0), Some(168.0), true);
        assert!(AnswerValue::parse_typed(&spec, "25").is_ok());
        assert!(AnswerValue::parse_typed(&spec, " 168 ").is_ok());
        let err = AnswerValue::parse_typed(&spec, "169").unwrap_err();
        assert!(err.contains("at most 168"), "{err}");
        let err = AnswerValue::parse_typed(&spec, "-1").unwrap_err();
        assert!(err.contains("at least 0"), "{err}");
        let err = AnswerValue::parse_typed(&spec, "2.5").unwrap_err();
        assert!(err.contains("whole"), "{err}");
        let err = AnswerValue::parse_typed(&spec, "lots").unwrap_err();
        assert!(err.contains("not a number"), "{err}");
        assert!(AnswerValue::parse_typed(&spec, "NaN").is_err());
    }

    #[test]
    fn dates_keep_the_precision_they_were_given() {
        let typed = |s| AnswerValue::parse_typed(&AnswerSpec::Date, s);
        assert_eq!(typed("2026-02-28").unwrap().to_string(), "2026-02-28");
        assert_eq!(typed("28/02/2026").unwrap().to_string(), "2026-02-28");
        assert_eq!(typed("2019").unwrap().to_string(), "2019");
        assert_eq!(typed("March 2019").unwrap().to_string(), "2019-03");
        let err = typed("2026-02-30").unwrap_err();
        assert!(err.contains("February 2026 has 28 days"), "{err}");
    }

    #[test]
    fn an_empty_text_is_not_an_answer() {
        let err = AnswerValue::parse_typed(&AnswerSpec::Text, "   ").unwrap_err();
        assert!(err.contains("nothing typed"), "{err}");
        assert!(
            AnswerValue::Text {
                text: String::new()
            }
            .is_empty()
        );
        assert!(!AnswerValue::DontKnow.is_empty());
    }

    #[test]
    fn options_must_exist_and_not_repeat() {
        let spec = AnswerSpec::MultiChoice {
            options: vec!["Web".into(), "Chat".into()],
        };
        let ok = AnswerValue::MultiChoice {
            options: vec!["Chat".into()],
        };
        assert!(ok.check(&spec).is_ok());
        let unknown = AnswerValue::MultiChoice {
            options: vec!["Post".into()],
        };
        assert!(unknown.check(&spec).is_err());
        let twice = AnswerValue::MultiChoice {
            options: vec!["Web".into(), "Web".into()],
        };
        assert!(twice.check(&spec).is_err());
        assert!(AnswerValue::YesNo { yes: true }.check(&spec).is_err());
        assert!(AnswerValue::DontKnow.check(&spec).is_ok());
    }

    #[test]
    fn prompts_to_act_match_their_answers() {
        let act = PromptToAct {
            when: Some(vec!["yes".into()]),
            at_least: None,
            at_most: None,
            text: "Act".into(),
        };
        assert!(act_applies(&act, &AnswerValue::YesNo { yes: true }));
        assert!(!act_applies(&act, &AnswerValue::YesNo { yes: false }));
        assert!(!act_applies(&act, &AnswerValue::DontKnow));
        let multi = AnswerValue::MultiChoice {
            options: vec!["no".into(), "yes".into()],
        };
        assert!(act_applies(&act, &multi));
        let threshold = PromptToAct {
            when: None,
            at_least: Some(10.0),
            at_most: None,
            text: "Act".into(),
        };
        assert!(act_applies(
            &threshold,
            &AnswerValue::Number { number: 10.0 }
        ));
        assert!(!act_applies(
            &threshold,
            &AnswerValue::Number { number: 9.9 }
        ));
    }
}
