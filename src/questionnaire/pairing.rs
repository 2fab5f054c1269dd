//! Checks across questionnaire files: every cross-check key must pair a suspect question
//! with a partner question whose answers can be compared (same type, options, unit, range
//! and parameters). Problems are reported only in the files being linted.

use std::collections::{BTreeMap, HashSet};

use toml::de::DeTable;

use super::lint::{Diagnostic, diag_at, inert};
use super::position::{Seg, locate};
use super::{AnswerSpec, CrossCheck, Question, Questionnaire, Respondent};

struct Side<'a> {
    /// Index into the linted files, or `None` for a context questionnaire.
    file: Option<usize>,
    questionnaire: &'a Questionnaire,
    section: usize,
    question: usize,
}

pub(super) fn check_pairing(
    files: &[(&str, &str, Questionnaire)],
    context: &[Questionnaire],
) -> Vec<Diagnostic> {
    // key -> (suspect sides, partner sides)
    type Sides<'a> = (Vec<Side<'a>>, Vec<Side<'a>>);
    let mut keys: BTreeMap<&str, Sides<'_>> = BTreeMap::new();
    let all = files
        .iter()
        .enumerate()
        .map(|(i, (_, _, q))| (Some(i), q))
        .chain(context.iter().map(|q| (None, q)));
    let mut respondents_present = HashSet::new();
    for (file, q) in all {
        respondents_present.insert(q.header.respondent);
        for (si, s) in q.sections.iter().enumerate() {
            for (qi, question) in s.questions.iter().enumerate() {
                let Some(cc) = &question.cross_check else {
                    continue;
                };
                let side = Side {
                    file,
                    questionnaire: q,
                    section: si,
                    question: qi,
                };
                let entry = keys.entry(cc.key.as_str()).or_default();
                match q.header.respondent {
                    Respondent::Suspect => entry.0.push(side),
                    Respondent::Partner => entry.1.push(side),
                    _ => {} // reported by the single-file rules
                }
            }
        }
    }
    let mut diags = Vec::new();
    let mut report = |side: &Side<'_>, message: String| {
        let Some(i) = side.file else { return };
        let (name, text, _) = &files[i];
        let Ok(doc) = DeTable::parse(text) else {
            return;
        };
        let path = [
            Seg::Key("section"),
            Seg::Index(side.section),
            Seg::Key("question"),
            Seg::Index(side.question),
            Seg::Key("cross_check"),
            Seg::Key("key"),
        ];
        let span = locate(&doc, &path);
        diags.push(diag_at(name, text, span.start, message));
    };
    for (key, (suspect, partner)) in &keys {
        let (present, missing, other) = match (suspect.is_empty(), partner.is_empty()) {
            (false, true) => (suspect, Respondent::Partner, Respondent::Suspect),
            (true, false) => (partner, Respondent::Suspect, Respondent::Partner),
            _ => {
                for s in suspect {
                    for p in partner {
                        if let Some(problem) = mismatch(s, p) {
                            report(s, format!("cross-check key `{}`: {problem}", inert(key)));
                            report(p, format!("cross-check key `{}`: {problem}", inert(key)));
                        }
                    }
                }
                continue;
            }
        };
        // Only meaningful when the other side's questionnaire is in view at all.
        if !respondents_present.contains(&missing) {
            continue;
        }
        for side in present {
            report(
                side,
                format!(
                    "cross-check key `{}` is on the {other} side only: no {missing} questionnaire has a question with this key",
                    inert(key)
                ),
            );
        }
    }
    diags
}

fn question_of<'a>(side: &Side<'a>) -> Option<&'a Question> {
    side.questionnaire
        .sections
        .get(side.section)?
        .questions
        .get(side.question)
}

/// Why two sides of a cross-check cannot be compared, if they can't.
fn mismatch(suspect: &Side<'_>, partner: &Side<'_>) -> Option<String> {
    let (s, p) = (question_of(suspect)?, question_of(partner)?);
    let (sa, pa) = (&s.answer, &p.answer);
    let (sid, pid) = (
        &suspect.questionnaire.header.id,
        &partner.questionnaire.header.id,
    );
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
        let params = |c: &CrossCheck| (c.tolerance, c.relative, c.distance, c.tolerance_days);
        let given = |c: &CrossCheck| params(c) != (None, None, None, None);
        if given(sc) && given(pc) && params(sc) != params(pc) {
            return Some(format!(
                "comparison parameters differ between {sid} and {pid}; give them on one side or make them equal"
            ));
        }
    }
    None
}
