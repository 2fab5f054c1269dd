//! Derived comparisons: the product of two cross-checked numbers for each source (hours online ×
//! the share of that time spent on abuse material = hours a week on abuse material), compared
//! like a number, from each side's latest answers. Two numbers that each agree within their
//! tolerance can still multiply to figures the guidance reads very differently (file 002
//! separates up to about 10 hours a week from 15 to 25), so the product gets its own row and
//! its own reason line; it never replaces the two it is made from.

use std::collections::BTreeMap;

use super::case::{given, judge_answers};
use super::classify::{different_forms, numbers, show, unit};
use super::pairs::compare_pairs;
use super::{Asked, Comparison, Rule, SideAnswer, Status, num, source_name};
use crate::questionnaire::{AnswerSpec, Derived, Respondent};
use crate::session::AnswerValue;

/// One side worked out: `None` until that side has answered every part.
fn side_product(def: &Derived, parts: &[Option<&SideAnswer>]) -> Option<SideAnswer> {
    let parts: Vec<&SideAnswer> = parts.iter().copied().collect::<Option<_>>()?;
    let latest = parts.iter().max_by_key(|p| p.at.at)?;
    let value = match parts.iter().find(|p| p.value.is_uncertain()) {
        Some(uncertain) => uncertain.value.clone(),
        None => {
            let mut product = def.factor.unwrap_or(1.0);
            for p in &parts {
                match p.value {
                    AnswerValue::Number { number } => product *= number,
                    // Not a number (a text read with a version where the part changed type):
                    // no product; the caller says to compare by hand.
                    _ => return Some(not_a_product(def, latest, &parts)),
                }
            }
            AnswerValue::Number { number: product }
        }
    };
    Some(SideAnswer {
        value,
        ..not_a_product(def, latest, &parts)
    })
}

/// The side's answer shell: when, where and how the latest part was asked; value "(text)".
fn not_a_product(def: &Derived, latest: &SideAnswer, parts: &[&SideAnswer]) -> SideAnswer {
    SideAnswer {
        sitting_id: latest.sitting_id.clone(),
        question_id: def.product.join(" × "),
        value: AnswerValue::Text {
            text: String::new(),
        },
        at: latest.at.clone(),
        note: None,
        asked: Asked {
            prompt: def.prompt.clone(),
            spec: AnswerSpec::Number {
                unit: def.unit.clone(),
                min: None,
                max: None,
                integer: false,
            },
            text: latest.asked.text.clone(),
            exact: parts.iter().all(|p| p.asked.exact),
        },
        parts: parts.iter().map(|p| (*p).clone()).collect(),
    }
}

/// How a side's product was worked out, for the reason line: `10 hours/week × 20 %`.
fn working(side: &SideAnswer) -> String {
    side.parts
        .iter()
        .map(|p| {
            let label = p.asked.text.label();
            show(&given(p, &label))
        })
        .collect::<Vec<_>>()
        .join(" × ")
}

/// The derived comparison of `def`, if any source has answered all its parts: each source
/// of `sources` worked out from its `parts`, every two compared.
pub(super) fn compare_derived(
    def: &Derived,
    rule: Rule,
    sources: &[Respondent],
    parts: &BTreeMap<Respondent, Vec<Option<&SideAnswer>>>,
) -> Option<Comparison> {
    let answers: BTreeMap<Respondent, SideAnswer> = sources
        .iter()
        .filter_map(|s| Some((*s, side_product(def, parts.get(s)?)?)))
        .collect();
    if answers.is_empty() {
        return None;
    }
    let formula = format!(
        "{}{}",
        def.product.join(" × "),
        def.factor
            .filter(|f| *f != 1.0)
            .map_or_else(String::new, |f| format!(" × {}", num(f)))
    );
    let (pairs, status, reason) = compare_pairs(sources, &answers, |a, b| match (a, b) {
        ((wa, Some(x)), (wb, Some(y))) => both_sides(&rule, (wa, x), (wb, y), &formula),
        (a, b) => {
            let (status, reason) = judge_answers(rule.params, a, b);
            (status, format!("{reason} (worked out as {formula})"))
        }
    });
    Some(Comparison {
        key: def.key.clone(),
        prompt: def.prompt.clone(),
        sources: sources.to_vec(),
        answers,
        pairs,
        status,
        reason,
        rule,
        derived_from: Some(def.product.clone()),
    })
}

fn both_sides(
    rule: &Rule,
    (wa, s): (Respondent, &SideAnswer),
    (wb, p): (Respondent, &SideAnswer),
    formula: &str,
) -> (Status, String) {
    let (na, nb) = (source_name(wa), source_name(wb));
    let working = format!(
        "worked out as {formula} from each side's latest answers: {na} {}, {nb} {}",
        working(s),
        working(p)
    );
    // Each part must mean the same thing on both sides (the same unit), or the products
    // cannot be compared.
    for (a, b) in s.parts.iter().zip(&p.parts) {
        let (la, lb) = (a.asked.text.label(), b.asked.text.label());
        if let Some(f) = different_forms((wa, &given(a, &la)), (wb, &given(b, &lb))) {
            return (
                Status::ByHand,
                format!("{}: {f}; compare by hand ({working})", a.question_id),
            );
        }
    }
    let (ls, lp) = (s.asked.text.label(), p.asked.text.label());
    let (gs, gp) = (given(s, &ls), given(p, &lp));
    let both = format!("{na} {}, {nb} {}", show(&gs), show(&gp));
    if s.value.is_uncertain() || p.value.is_uncertain() {
        return (Status::Uncertain, format!("{both} ({working})"));
    }
    match (&s.value, &p.value) {
        (AnswerValue::Number { number: x }, AnswerValue::Number { number: y }) => {
            let (status, reason) = numbers(rule.params, *x, *y, &unit(&s.asked.spec), both);
            (status, format!("{reason} ({working})"))
        }
        _ => (
            Status::ByHand,
            format!("{both}: a part is not a number; compare by hand ({working})"),
        ),
    }
}
