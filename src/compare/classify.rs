//! Two recorded answers to one cross-checked key, classified with a one-line reason.
//!
//! Each answer comes with how its question was put to that side ([`Given`]). Two answers are
//! judged only when they mean the same thing: the same answer type, for choices and scales
//! the same options, for numbers the same unit. Otherwise they were asked in different forms
//! (different versions of a questionnaire, say) and are left to be compared by hand, with a
//! reason that says how each was asked. Never a guessed "agrees".

use super::{Params, Status, num};
use crate::questionnaire::AnswerSpec;
use crate::session::AnswerValue;

/// One side's answer as it was asked.
#[derive(Debug, Clone, Copy)]
pub struct Given<'a> {
    pub value: &'a AnswerValue,
    /// The question's answer type in the text the side's sitting is read with.
    pub spec: &'a AnswerSpec,
    /// That text, as a person names it (`suspect-interview 1.0.0`).
    pub text: &'a str,
}

/// Classifies two answers to a key asked the same way of both sides (`suspect`, `partner`
/// `None` when that side has not answered).
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
    };
    classify_pair(
        params,
        ("suspect", suspect.map(given)),
        ("partner", partner.map(given)),
    )
}

/// Classifies two sides' answers to one key, each side named (`suspect`) and given as it was
/// asked, or `None` when that side has not answered.
pub fn classify_pair(
    params: Params,
    (wa, a): (&str, Option<Given<'_>>),
    (wb, b): (&str, Option<Given<'_>>),
) -> (Status, String) {
    let (a, b) = match (a, b) {
        (None, None) => return (Status::Gap, "asked of neither side yet".into()),
        (Some(a), None) => {
            return (
                Status::Gap,
                format!("{wa} {}; {wb} not asked yet", show(&a)),
            );
        }
        (None, Some(b)) => {
            return (
                Status::Gap,
                format!("{wb} {}; {wa} not asked yet", show(&b)),
            );
        }
        (Some(a), Some(b)) => (a, b),
    };
    let both = format!("{wa} {}, {wb} {}", show(&a), show(&b));
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
                    "{both}: the {who}'s answer does not fit the question as read ({}, {}); compare by hand",
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
    (wa, a): (&str, &Given<'_>),
    (wb, b): (&str, &Given<'_>),
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
                parts.push(format!("only {wa}: {}", only_a.join(", ")));
            }
            if !only_b.is_empty() {
                parts.push(format!("only {wb}: {}", only_b.join(", ")));
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

/// Why two sides' answers do not mean the same thing, if they don't: the answer types (or a
/// number's unit) differ, or a choice or scale offered different options.
pub(super) fn different_forms(
    (wa, a): (&str, &Given<'_>),
    (wb, b): (&str, &Given<'_>),
) -> Option<String> {
    let same_set =
        |x: &[String], y: &[String]| x.len() == y.len() && x.iter().all(|o| y.contains(o));
    let same = match (a.spec, b.spec) {
        (AnswerSpec::Choice { options: x }, AnswerSpec::Choice { options: y })
        | (AnswerSpec::MultiChoice { options: x }, AnswerSpec::MultiChoice { options: y }) => {
            same_set(x, y)
        }
        // A scale's order is its meaning: the same steps in the same order.
        (AnswerSpec::Scale { steps: x }, AnswerSpec::Scale { steps: y }) => x == y,
        _ => form(a.spec) == form(b.spec),
    };
    if same {
        return None;
    }
    let (ta, tb) = (a.text, b.text);
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
