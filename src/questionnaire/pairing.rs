//! Checks across questionnaire files: every cross-check key must be shared by questions of
//! at least two sources (respondents: suspect, partner, the practitioners' record, …) whose
//! answers can be compared (same type, options, unit, range and parameters), and every
//! `[[derived]]` key by definitions of at least two sources (same product, factor, unit and
//! parameters). A key may be shared by any number of questionnaires; every two of them
//! must match. Problems are reported only in the files being linted.

use std::collections::{BTreeMap, BTreeSet};

use toml::de::DeTable;

use super::lint::{Diagnostic, diag_at, inert};
use super::position::{Seg, locate};
use super::{AnswerSpec, CrossCheck, Derived, Question, Questionnaire, Respondent};

struct Side<'a> {
    /// Index into the linted files, or `None` for a context questionnaire.
    file: Option<usize>,
    questionnaire: &'a Questionnaire,
    place: Place,
}

/// Where a paired key is written.
#[derive(Clone, Copy)]
enum Place {
    /// `section[s].question[q].cross_check`
    Question(usize, usize),
    /// `derived[d]`
    Derived(usize),
}

/// How a source is named in a message: `the record` for respondent `none`.
fn source_name(r: Respondent) -> &'static str {
    match r {
        Respondent::None => "record",
        other => other.as_str(),
    }
}

pub(super) fn check_pairing(
    files: &[(&str, &str, Questionnaire)],
    context: &[Questionnaire],
) -> Vec<Diagnostic> {
    // key -> every questionnaire that has it, in the order seen
    let mut keys: BTreeMap<&str, Vec<Side<'_>>> = BTreeMap::new();
    let all = files
        .iter()
        .enumerate()
        .map(|(i, (_, _, q))| (Some(i), q))
        .chain(context.iter().map(|q| (None, q)));
    let mut respondents_present = BTreeSet::new();
    for (file, q) in all {
        respondents_present.insert(q.header.respondent);
        let mut places: Vec<(&str, Place)> = Vec::new();
        for (si, s) in q.sections.iter().enumerate() {
            for (qi, question) in s.questions.iter().enumerate() {
                if let Some(cc) = &question.cross_check {
                    places.push((cc.key.as_str(), Place::Question(si, qi)));
                }
            }
        }
        for (di, d) in q.derived.iter().enumerate() {
            places.push((d.key.as_str(), Place::Derived(di)));
        }
        for (key, place) in places {
            keys.entry(key).or_default().push(Side {
                file,
                questionnaire: q,
                place,
            });
        }
    }
    let mut diags = Vec::new();
    let mut report = |side: &Side<'_>, message: String| {
        let Some(i) = side.file else { return };
        let (name, text, _) = &files[i];
        let Ok(doc) = DeTable::parse(text) else {
            return;
        };
        let span = match side.place {
            Place::Question(s, q) => locate(
                &doc,
                &[
                    Seg::Key("section"),
                    Seg::Index(s),
                    Seg::Key("question"),
                    Seg::Index(q),
                    Seg::Key("cross_check"),
                    Seg::Key("key"),
                ],
            ),
            Place::Derived(d) => {
                locate(&doc, &[Seg::Key("derived"), Seg::Index(d), Seg::Key("key")])
            }
        };
        diags.push(diag_at(name, text, span.start, message));
    };
    for (key, sides) in &keys {
        let sources: BTreeSet<Respondent> = sides
            .iter()
            .map(|s| s.questionnaire.header.respondent)
            .collect();
        // Every two questionnaires that share the key must be comparable (two of one source
        // too: that source's latest answer may come from either).
        for (i, a) in sides.iter().enumerate() {
            for b in &sides[i + 1..] {
                if let Some(problem) = mismatch(a, b) {
                    report(a, format!("cross-check key `{}`: {problem}", inert(key)));
                    report(b, format!("cross-check key `{}`: {problem}", inert(key)));
                }
            }
        }
        let [only] = sources.iter().copied().collect::<Vec<_>>()[..] else {
            continue;
        };
        // Only meaningful when a questionnaire of another source is in view at all.
        let others: Vec<&str> = respondents_present
            .iter()
            .filter(|r| **r != only)
            .map(|r| source_name(*r))
            .collect();
        if others.is_empty() {
            continue;
        }
        let others = others.join(" or ");
        for side in sides {
            let message = match side.place {
                Place::Question(..) => format!(
                    "cross-check key `{}` is on the {} side only: no {others} questionnaire has a question with this key",
                    inert(key),
                    source_name(only)
                ),
                Place::Derived(_) => format!(
                    "derived key `{}` is on the {} side only: no {others} questionnaire has a [[derived]] comparison with this key",
                    inert(key),
                    source_name(only)
                ),
            };
            report(side, message);
        }
    }
    diags
}

fn question_of<'a>(side: &Side<'a>) -> Option<&'a Question> {
    let Place::Question(s, q) = side.place else {
        return None;
    };
    side.questionnaire.sections.get(s)?.questions.get(q)
}

fn derived_of<'a>(side: &Side<'a>) -> Option<&'a Derived> {
    let Place::Derived(d) = side.place else {
        return None;
    };
    side.questionnaire.derived.get(d)
}

/// Why two questionnaires' questions (or derived comparisons) with one key cannot be
/// compared, if they can't.
fn mismatch(a: &Side<'_>, b: &Side<'_>) -> Option<String> {
    let (sid, pid) = (&a.questionnaire.header.id, &b.questionnaire.header.id);
    match (derived_of(a), derived_of(b)) {
        (Some(s), Some(p)) => return derived_mismatch(s, p, sid, pid),
        (None, None) => {}
        _ => {
            return Some(format!(
                "a [[derived]] comparison on one side and a question's cross-check on the other ({sid}, {pid}); use the key for one kind only"
            ));
        }
    }
    let (s, p) = (question_of(a)?, question_of(b)?);
    let (sa, pa) = (&s.answer, &p.answer);
    if sa.type_name() != pa.type_name() {
        return Some(format!(
            "answer types differ: `{}` in {sid} ({}), `{}` in {pid} ({})",
            sa.type_name(),
            s.id,
            pa.type_name(),
            p.id
        ));
    }
    if sa.options() != pa.options() {
        return Some(format!(
            "options differ between {sid} ({}) and {pid} ({}); they must be the same list in the same order",
            s.id, p.id
        ));
    }
    if let (
        AnswerSpec::Number {
            unit: su,
            min: smin,
            max: smax,
            integer: sint,
        },
        AnswerSpec::Number {
            unit: pu,
            min: pmin,
            max: pmax,
            integer: pint,
        },
    ) = (sa, pa)
    {
        if su != pu {
            return Some(format!(
                "units differ: {:?} in {sid}, {:?} in {pid}",
                su.as_deref().unwrap_or(""),
                pu.as_deref().unwrap_or("")
            ));
        }
        if (smin, smax, sint) != (pmin, pmax, pint) {
            return Some(format!(
                "number ranges differ between {sid} and {pid} (min, max, integer must match)"
            ));
        }
    }
    if let (Some(sc), Some(pc)) = (&s.cross_check, &p.cross_check) {
        let params = |c: &CrossCheck| {
            (
                c.tolerance,
                c.relative,
                c.distance,
                c.tolerance_days,
                c.zero_differs,
            )
        };
        let given = |c: &CrossCheck| params(c) != (None, None, None, None, None);
        if given(sc) && given(pc) && params(sc) != params(pc) {
            return Some(format!(
                "comparison parameters differ between {sid} and {pid}; give them on one side or make them equal"
            ));
        }
    }
    None
}

/// Why two sides' `[[derived]]` comparisons with one key cannot be compared, if they can't.
fn derived_mismatch(s: &Derived, p: &Derived, sid: &str, pid: &str) -> Option<String> {
    let sorted = |d: &Derived| {
        let mut keys = d.product.clone();
        keys.sort();
        keys
    };
    if sorted(s) != sorted(p) {
        return Some(format!(
            "the product is of different keys in {sid} and {pid}; make them the same two"
        ));
    }
    if s.factor.unwrap_or(1.0) != p.factor.unwrap_or(1.0) || s.unit != p.unit {
        return Some(format!(
            "factor or unit differs between {sid} and {pid}; they must be the same"
        ));
    }
    let params = |d: &Derived| (d.tolerance, d.relative, d.zero_differs);
    let given = |d: &Derived| params(d) != (None, None, None);
    if given(s) && given(p) && params(s) != params(p) {
        return Some(format!(
            "comparison parameters differ between {sid} and {pid}; give them on one side or make them equal"
        ));
    }
    None
}
