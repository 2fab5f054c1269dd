//! Two recorded answers to one cross-checked key, classified with a one-line reason.
//!
//! Each answer comes with the source that gave it (a respondent: the suspect, the partner,
//! the practitioners' record, …) and how its question was put to that source ([`Given`]).
//! Two answers are judged only when they mean the same thing: the same answer type, for
//! choices and scales the same options, for numbers the same unit. Otherwise they were asked
//! in different forms (different versions of a questionnaire, say) and are left to be
//! compared by hand, with a reason that says how each was asked. Never a guessed "agrees".
//!
//! Two accounts are worded side by side ("suspect 5 hours/week, partner 25 hours/week"). An
//! account against the record is worded so the record reads as the evidence and the account
//! as what departs from it: "suspect says no; the record says yes to “Is there evidence of
//! trading images?”" (the record's own question, since it is asked in other words).

use super::{Params, Status, num};
use crate::questionnaire::{AnswerSpec, Respondent};
use crate::session::AnswerValue;

/// One source's answer as it was asked.
#[derive(Debug, Clone, Copy)]
pub struct Given<'a> {
    pub value: &'a AnswerValue,
    /// The question's answer type in the text the source's sitting is read with.
    pub spec: &'a AnswerSpec,
    /// That text, as a person names it (`suspect-interview 1.0.0`).
    pub text: &'a str,
    /// The question's prompt in that text (quoted in a reason for the record).
    pub prompt: &'a str,
}

/// How a source is named in a reason: `suspect`, `partner`, `the record` (respondent none).
pub fn source_name(source: Respondent) -> &'static str {
    match source {
        Respondent::None => "the record",
        other => other.as_str(),
    }
}

/// `the suspect's`, `the record's`.
fn possessive(source: Respondent) -> String {
    match source {
        Respondent::None => "the record's".into(),
        other => format!("the {other}'s"),
    }
}

/// Classifies two answers to a key asked the same way of the suspect and the partner
/// (`None` when that side has not answered).
pub fn classify(
    spec: &AnswerSpec,
    params: Params,
    suspect: Option<&AnswerValue>,
    partner: Option<&AnswerValue>,
) -> (Status, String) {
    let given = |value| Given {
        value,
        spec,
        text: "",
        prompt: "",
    };
    classify_pair(
        params,
        (Respondent::Suspect, suspect.map(given)),
        (Respondent::Partner, partner.map(given)),
    )
}

/// The wording of a pair: two accounts, or an account and the record (always in that
/// order, whichever order they were given in).
struct Wording<'a> {
    /// The first source and its answer.
    a: (Respondent, Option<Given<'a>>),
    b: (Respondent, Option<Given<'a>>),
    /// Whether `b` is the record.
    record: bool,
}

impl<'a> Wording<'a> {
    fn of(a: (Respondent, Option<Given<'a>>), b: (Respondent, Option<Given<'a>>)) -> Wording<'a> {
        if a.0 == Respondent::None && b.0 != Respondent::None {
            Wording {
                a: b,
                b: a,
                record: true,
            }
        } else {
            let record = b.0 == Respondent::None && a.0 != Respondent::None;
            Wording { a, b, record }
        }
    }

    fn account(&self, who: Respondent, g: &Given<'_>) -> String {
        if self.record {
            format!("{} says {}", source_name(who), show(g))
        } else {
            format!("{} {}", source_name(who), show(g))
        }
    }

    fn record_says(g: &Given<'_>) -> String {
        if g.prompt.is_empty() {
            format!("the record says {}", show(g))
        } else {
            format!("the record says {} to “{}”", show(g), g.prompt)
        }
    }

    /// Both answers, as the start of the reason.
    fn both(&self, a: &Given<'_>, b: &Given<'_>) -> String {
        if self.record {
            format!("{}; {}", self.account(self.a.0, a), Self::record_says(b))
        } else {
            format!(
                "{}, {}",
                self.account(self.a.0, a),
                self.account(self.b.0, b)
            )
        }
    }

    /// One side answered, the other not yet.
    fn gap(&self) -> String {
        let (wa, wb) = (source_name(self.a.0), source_name(self.b.0));
        match (&self.a.1, &self.b.1, self.record) {
            (None, None, false) => "asked of neither side yet".into(),
            (None, None, true) => format!("neither {wa} nor the record has answered yet"),
            (Some(a), None, false) => format!("{wa} {}; {wb} not asked yet", show(a)),
            (None, Some(b), false) => format!("{wb} {}; {wa} not asked yet", show(b)),
            (Some(a), None, true) => format!("{wa} says {}; not in the record yet", show(a)),
            (None, Some(b), true) => format!("{}; {wa} not asked yet", Self::record_says(b)),
            (Some(_), Some(_), _) => String::new(),
        }
    }
}

/// Classifies two sources' answers to one key, each source named and its answer given as
/// it was asked, or `None` when that source has not answered.
pub fn classify_pair(
    params: Params,
    a: (Respondent, Option<Given<'_>>),
    b: (Respondent, Option<Given<'_>>),
) -> (Status, String) {
    let words = Wording::of(a, b);
    let ((wa, a), (wb, b)) = (words.a, words.b);
    let (Some(a), Some(b)) = (a, b) else {
        return (Status::Gap, words.gap());
    };
    let both = words.both(&a, &b);
    let forms = different_forms((wa, &a), (wb, &b));
    if a.value.is_uncertain() || b.value.is_uncertain() {
        return match forms {
            Some(f) => (Status::Uncertain, format!("{both} ({f})")),
            None => (Status::Uncertain, both),
        };
    }
    if let Some(f) = forms {
        return (Status::ByHand, format!("{both}: {f}; compare by hand"));
    }
    for (who, g) in [(wa, &a), (wb, &b)] {
        if !fits(g.value, g.spec) {
            return (
                Status::ByHand,
                format!(
                    "{both}: {} answer does not fit the question as read ({}, {}); compare by hand",
                    possessive(who),
                    form(g.spec),
                    g.text
                ),
            );
        }
    }
    judge(params, (wa, &a), (wb, &b), both)
}

/// Two answers that mean the same thing, judged.
fn judge(
    params: Params,
    (wa, a): (Respondent, &Given<'_>),
    (wb, b): (Respondent, &Given<'_>),
    both: String,
) -> (Status, String) {
    let unit = unit(a.spec);
    match (a.value, b.value) {
        (AnswerValue::Text { .. }, AnswerValue::Text { .. }) => (
            Status::ByHand,
            "free text: read both answers side by side".into(),
        ),
        (AnswerValue::YesNo { yes: x }, AnswerValue::YesNo { yes: y }) => equal(x == y, both),
        (AnswerValue::Choice { option: x }, AnswerValue::Choice { option: y }) => {
            equal(x == y, both)
        }
        (AnswerValue::MultiChoice { options: x }, AnswerValue::MultiChoice { options: y }) => {
            let only = |p: &[String], q: &[String]| -> Vec<String> {
                p.iter().filter(|o| !q.contains(o)).cloned().collect()
            };
            let (only_a, only_b) = (only(x, y), only(y, x));
            if only_a.is_empty() && only_b.is_empty() {
                return (Status::Agrees, both);
            }
            let mut parts = Vec::new();
            if !only_a.is_empty() {
                parts.push(format!("only {}: {}", source_name(wa), only_a.join(", ")));
            }
            if !only_b.is_empty() {
                parts.push(format!("only {}: {}", source_name(wb), only_b.join(", ")));
            }
            (Status::Diverges, format!("{both}: {}", parts.join("; ")))
        }
        (AnswerValue::Scale { step: x }, AnswerValue::Scale { step: y }) => {
            let index = |spec: &AnswerSpec, s: &str| spec.options().iter().position(|o| o == s);
            let (Some(i), Some(j)) = (index(a.spec, x), index(b.spec, y)) else {
                return (
                    Status::ByHand,
                    format!("{both}: a step is not on the current scale; compare by hand"),
                );
            };
            let apart = i.abs_diff(j);
            let reason = format!(
                "{both}: {apart} step{} apart, allowed {}",
                if apart == 1 { "" } else { "s" },
                params.distance
            );
            if apart == 0 {
                (Status::Agrees, both)
            } else if apart <= params.distance as usize {
                (Status::Close, reason)
            } else {
                (Status::Diverges, reason)
            }
        }
        (AnswerValue::Number { number: x }, AnswerValue::Number { number: y }) => {
            numbers(params, *x, *y, &unit, both)
        }
        (AnswerValue::Date { date: x }, AnswerValue::Date { date: y }) => {
            dates(x, y, params.tolerance_days, both)
        }
        _ => (
            Status::ByHand,
            format!("{both}: answers of different kinds; compare by hand"),
        ),
    }
}

/// Two numbers: apart by at most `max(tolerance, relative × larger)` agrees; with the zero
/// rule, none against any diverges whatever the tolerance.
pub(super) fn numbers(
    params: Params,
    x: f64,
    y: f64,
    unit: &str,
    both: String,
) -> (Status, String) {
    let apart = (x - y).abs();
    if apart == 0.0 {
        return (Status::Agrees, both);
    }
    if params.zero_differs && (x == 0.0 || y == 0.0) {
        return (
            Status::Diverges,
            format!("{both}: none against some, which always diverges"),
        );
    }
    let allowed = params.tolerance.max(params.relative * x.abs().max(y.abs()));
    // Within a hair of the boundary counts as at it: 0.29 × 100 is 28.999… in binary.
    let within = apart <= allowed + 1e-9 * allowed.max(1.0);
    let reason = format!(
        "{both}: {}{unit} apart, tolerance {}{unit}",
        num(apart),
        num(allowed)
    );
    if within {
        (Status::Agrees, reason)
    } else {
        (Status::Diverges, reason)
    }
}

/// Dates, each known to the year, the month or the day. Their distance is the gap between
/// the spans they cover (0 when they overlap: "2019" and "2019-03-14"), so a date given
/// only as a year agrees with any day in that year, and with days up to `tolerance_days`
/// either side of it. The reason names the coarser precision, so a reader knows the
/// agreement is only as fine as the vaguer answer.
fn dates(
    a: &crate::session::PartialDate,
    b: &crate::session::PartialDate,
    tolerance_days: u32,
    both: String,
) -> (Status, String) {
    use crate::session::DatePrecision;
    let days = a.days_apart(b);
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    let coarser = a.precision().min(b.precision());
    let tolerance = format!(
        "tolerance {tolerance_days} day{}",
        plural(u64::from(tolerance_days))
    );
    let reason = if coarser == DatePrecision::Day {
        format!("{both}: {days} day{} apart, {tolerance}", plural(days))
    } else if days == 0 {
        format!("{both}: consistent as far as the {} given", coarser.word())
    } else {
        format!(
            "{both}: {days} day{} apart at the nearest (one gives only the {}), {tolerance}",
            plural(days),
            coarser.word()
        )
    };
    if a == b {
        (Status::Agrees, both)
    } else if days <= u64::from(tolerance_days) {
        (Status::Agrees, reason)
    } else {
        (Status::Diverges, reason)
    }
}

fn equal(same: bool, both: String) -> (Status, String) {
    if same {
        (Status::Agrees, both)
    } else {
        (Status::Diverges, both)
    }
}

/// ` hours/week` for a number with a unit, else empty.
pub(super) fn unit(spec: &AnswerSpec) -> String {
    match spec {
        AnswerSpec::Number { unit: Some(u), .. } => format!(" {u}"),
        _ => String::new(),
    }
}

/// An answer for a reason line: a number with its unit; free text never quoted.
pub(super) fn show(g: &Given<'_>) -> String {
    match g.value {
        AnswerValue::Number { number } => format!("{}{}", num(*number), unit(g.spec)),
        AnswerValue::Text { .. } => "(text)".to_string(),
        other => other.to_string(),
    }
}

/// How a question asks for its answer, in words.
pub(super) fn form(spec: &AnswerSpec) -> String {
    match spec {
        AnswerSpec::YesNo => "yes/no".into(),
        AnswerSpec::Choice { .. } => "a choice".into(),
        AnswerSpec::MultiChoice { .. } => "a multiple choice".into(),
        AnswerSpec::Scale { .. } => "a scale".into(),
        AnswerSpec::Number { unit: Some(u), .. } => format!("a number in {u}"),
        AnswerSpec::Number { unit: None, .. } => "a number".into(),
        AnswerSpec::Text => "free text".into(),
        AnswerSpec::Date => "a date".into(),
    }
}

/// Whether two questions ask for answers that mean the same thing: the same answer type
/// (a number with the same unit), for choices the same options in any order, for scales the
/// same steps in the same order.
pub(super) fn same_form(a: &AnswerSpec, b: &AnswerSpec) -> bool {
    let same_set =
        |x: &[String], y: &[String]| x.len() == y.len() && x.iter().all(|o| y.contains(o));
    match (a, b) {
        (AnswerSpec::Choice { options: x }, AnswerSpec::Choice { options: y })
        | (AnswerSpec::MultiChoice { options: x }, AnswerSpec::MultiChoice { options: y }) => {
            same_set(x, y)
        }
        // A scale's order is its meaning: the same steps in the same order.
        (AnswerSpec::Scale { steps: x }, AnswerSpec::Scale { steps: y }) => x == y,
        _ => form(a) == form(b),
    }
}

/// Why two sources' answers do not mean the same thing, if they don't: the answer types (or
/// a number's unit) differ, or a choice or scale offered different options.
pub(super) fn different_forms(
    (wa, a): (Respondent, &Given<'_>),
    (wb, b): (Respondent, &Given<'_>),
) -> Option<String> {
    if same_form(a.spec, b.spec) {
        return None;
    }
    let (ta, tb) = (a.text, b.text);
    let (wa, wb) = (source_name(wa), source_name(wb));
    Some(if form(a.spec) == form(b.spec) {
        format!(
            "{wa} and {wb} were offered different options ({ta}; {tb}): asked in different forms"
        )
    } else {
        format!(
            "{wa} asked as {} ({ta}), {wb} as {} ({tb}): asked in different forms",
            form(a.spec),
            form(b.spec)
        )
    })
}

/// Whether a recorded value is of the kind its question asks for (a yes/no answer read with
/// a text where the question has become a choice is not).
fn fits(value: &AnswerValue, spec: &AnswerSpec) -> bool {
    matches!(
        (value, spec),
        (AnswerValue::YesNo { .. }, AnswerSpec::YesNo)
            | (AnswerValue::Choice { .. }, AnswerSpec::Choice { .. })
            | (
                AnswerValue::MultiChoice { .. },
                AnswerSpec::MultiChoice { .. }
            )
            | (AnswerValue::Scale { .. }, AnswerSpec::Scale { .. })
            | (AnswerValue::Number { .. }, AnswerSpec::Number { .. })
            | (AnswerValue::Text { .. }, AnswerSpec::Text)
            | (AnswerValue::Date { .. }, AnswerSpec::Date)
    )
}
