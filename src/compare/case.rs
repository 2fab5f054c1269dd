//! A whole case compared: one walk over every suspect and partner sitting, each read with the
//! questionnaire text it was recorded with; each key's latest answer per side; the rule for
//! each key from the texts in use.

use std::collections::BTreeMap;

use super::classify::classify_pair;
use super::derived::compare_derived;
use super::{Allowance, Asked, Comparison, Given, Params, Rule, SideAnswer};
use crate::questionnaire::{Catalog, CrossCheck, Derived, Question, Resolved, Respondent, TextRef};
use crate::session::{QuestionState, Sitting};

/// One cross-checked question of one suspect or partner sitting, as the sitting holds it.
pub struct CrossChecked<'a, 'f> {
    pub side: Respondent,
    pub sitting: &'a Sitting,
    /// The questionnaire text the sitting is read with.
    pub text: Resolved<'a>,
    pub question: &'a Question,
    pub key: &'a str,
    pub cross_check: &'a CrossCheck,
    /// The question's folded state in that sitting; `None` if it has no events there.
    pub state: Option<&'f QuestionState>,
}

/// Calls `visit` for every cross-checked question of every suspect and partner sitting,
/// folding each sitting once and reading it with the text it was recorded with (or, when that
/// text is not available, the newest with the same id). Sittings whose questionnaire id is
/// not in `catalog` cannot be mapped to keys and are skipped. The one walk both the
/// comparison and the review's histories are built from, so the two cannot disagree on what
/// belongs to a key.
pub fn for_each_cross_checked<'a>(
    sittings: &'a [Sitting],
    catalog: &'a Catalog,
    mut visit: impl FnMut(CrossChecked<'a, '_>),
) {
    for sitting in sittings {
        let side = sitting.respondent;
        if !matches!(side, Respondent::Suspect | Respondent::Partner) {
            continue;
        }
        let recorded = &sitting.questionnaire;
        let Some(text) = catalog.resolve(&recorded.id, &recorded.sha256) else {
            continue;
        };
        let folded = sitting.fold();
        for (_, question) in text.loaded.questionnaire.questions() {
            let Some(cc) = &question.cross_check else {
                continue;
            };
            visit(CrossChecked {
                side,
                sitting,
                text,
                question,
                key: &cc.key,
                cross_check: cc,
                state: folded.get(&question.id),
            });
        }
    }
}

/// The rules in force: for each key, the parameters of the suspect and partner texts in use
/// that have it (stricter where they differ), the prompt to list it by, and the derived
/// comparisons those texts define.
pub struct Rules<'c> {
    keys: BTreeMap<&'c str, KeyRule<'c>>,
    derived: BTreeMap<&'c str, (&'c Derived, Vec<Allowance>, Vec<TextRef>)>,
}

#[derive(Default)]
struct KeyRule<'c> {
    given: Vec<Allowance>,
    from: Vec<TextRef>,
    suspect_prompt: Option<&'c str>,
    partner_prompt: Option<&'c str>,
}

impl<'c> Rules<'c> {
    pub fn of(catalog: &'c Catalog) -> Rules<'c> {
        let mut keys: BTreeMap<&str, KeyRule<'_>> = BTreeMap::new();
        let mut derived: BTreeMap<&str, (&Derived, Vec<Allowance>, Vec<TextRef>)> = BTreeMap::new();
        for loaded in catalog.iter() {
            let side = loaded.questionnaire.header.respondent;
            if !matches!(side, Respondent::Suspect | Respondent::Partner) {
                continue;
            }
            for (_, q) in loaded.questionnaire.questions() {
                let Some(cc) = &q.cross_check else { continue };
                let rule = keys.entry(cc.key.as_str()).or_default();
                rule.given.push(Allowance::from(cc));
                rule.from.push(loaded.text_ref());
                let prompt = if side == Respondent::Suspect {
                    &mut rule.suspect_prompt
                } else {
                    &mut rule.partner_prompt
                };
                prompt.get_or_insert(q.prompt.as_str());
            }
            for d in &loaded.questionnaire.derived {
                // The first text to define it gives the product (the linter makes the two
                // sides' the same); every text's parameters are weighed.
                let entry = derived
                    .entry(d.key.as_str())
                    .or_insert_with(|| (d, Vec::new(), Vec::new()));
                entry.1.push(Allowance::from(d));
                entry.2.push(loaded.text_ref());
            }
        }
        Rules { keys, derived }
    }

    /// The rule for `key`; `answered` are the texts and cross-checks the answers were read
    /// with, used only for a key no text in use has any more.
    pub fn rule(&self, key: &str, answered: &[(Allowance, TextRef)]) -> Rule {
        match self.keys.get(key) {
            Some(r) => Rule {
                params: Params::strictest(r.given.iter().copied()),
                from: r.from.clone(),
            },
            None => {
                let mut from: Vec<TextRef> = Vec::new();
                for (_, t) in answered {
                    if !from.contains(t) {
                        from.push(t.clone());
                    }
                }
                Rule {
                    params: Params::strictest(answered.iter().map(|(a, _)| *a)),
                    from,
                }
            }
        }
    }

    /// The prompt a key is listed by in the texts in use: the suspect's, else the partner's.
    pub fn prompt(&self, key: &str) -> Option<&'c str> {
        let r = self.keys.get(key)?;
        r.suspect_prompt.or(r.partner_prompt)
    }

    /// The derived comparisons in use, with their rules.
    pub(super) fn derived(&self) -> impl Iterator<Item = (&'c Derived, Rule)> + '_ {
        self.derived.values().map(|(d, given, from)| {
            (
                *d,
                Rule {
                    params: Params::strictest(given.iter().copied()),
                    from: from.clone(),
                },
            )
        })
    }
}

/// A side's latest answer while the sittings are walked.
struct Latest<'a> {
    sitting: &'a Sitting,
    question: &'a Question,
    text: Resolved<'a>,
    value: crate::session::AnswerValue,
    at: crate::session::Stamp,
    note: Option<String>,
}

impl Latest<'_> {
    fn into_side(self) -> SideAnswer {
        SideAnswer {
            sitting_id: self.sitting.id.clone(),
            question_id: self.question.id.clone(),
            value: self.value,
            at: self.at,
            note: self.note,
            asked: Asked {
                prompt: self.question.prompt.clone(),
                spec: self.question.answer.clone(),
                text: self.text.loaded.text_ref(),
                exact: self.text.exact,
            },
            parts: Vec::new(),
        }
    }
}

/// One side's answer as the classifier takes it; `label` holds its text's name.
pub(super) fn given<'a>(side: &'a SideAnswer, label: &'a str) -> Given<'a> {
    Given {
        value: &side.value,
        spec: &side.asked.spec,
        text: label,
    }
}

/// Compares a case: every cross-check key answered by at least one side, and every derived
/// comparison either side can be worked out for; divergences first. Sittings whose
/// questionnaire is not in `catalog` cannot be mapped to keys and are skipped.
pub fn compare_case(sittings: &[Sitting], catalog: &Catalog) -> Vec<Comparison> {
    let rules = Rules::of(catalog);
    // The latest answer per key and side, borrowed from the sittings and the catalog; made
    // into a `SideAnswer` (which owns its question's spec and text name) only once, for the
    // winner: a review of many sittings replaces the candidate thousands of times.
    let mut latest: BTreeMap<(&str, Respondent), Latest<'_>> = BTreeMap::new();
    // Key → the texts and cross-checks it was read with, for keys no text in use has.
    let mut read_with: BTreeMap<&str, Vec<(Allowance, TextRef)>> = BTreeMap::new();
    for_each_cross_checked(sittings, catalog, |item| {
        let loaded = item.text.loaded;
        let seen = read_with.entry(item.key).or_default();
        if !seen.iter().any(|(_, t)| t.sha256 == loaded.hash) {
            seen.push((Allowance::from(item.cross_check), loaded.text_ref()));
        }
        let Some(state) = item.state else {
            return;
        };
        let (Some(value), Some(at)) = (&state.answer, &state.answered_at) else {
            return;
        };
        let newer = latest
            .get(&(item.key, item.side))
            .is_none_or(|o| at.at >= o.at.at);
        if newer {
            latest.insert(
                (item.key, item.side),
                Latest {
                    sitting: item.sitting,
                    question: item.question,
                    text: item.text,
                    value: value.clone(),
                    at: at.clone(),
                    note: state.note.clone(),
                },
            );
        }
    });
    let latest: BTreeMap<(&str, Respondent), SideAnswer> = latest
        .into_iter()
        .map(|(k, l)| (k, l.into_side()))
        .collect();
    let mut out: Vec<Comparison> = read_with
        .iter()
        .filter_map(|(key, answered)| {
            let suspect = latest.get(&(*key, Respondent::Suspect)).cloned();
            let partner = latest.get(&(*key, Respondent::Partner)).cloned();
            if suspect.is_none() && partner.is_none() {
                return None;
            }
            let rule = rules.rule(key, answered);
            let labels = [&suspect, &partner].map(|s| {
                s.as_ref()
                    .map_or_else(String::new, |s| s.asked.text.label())
            });
            let (status, reason) = classify_pair(
                rule.params,
                ("suspect", suspect.as_ref().map(|s| given(s, &labels[0]))),
                ("partner", partner.as_ref().map(|p| given(p, &labels[1]))),
            );
            let prompt = rules
                .prompt(key)
                .map(str::to_string)
                .or_else(|| suspect.as_ref().map(|s| s.asked.prompt.clone()))
                .or_else(|| partner.as_ref().map(|p| p.asked.prompt.clone()))
                .unwrap_or_default();
            Some(Comparison {
                key: key.to_string(),
                prompt,
                suspect,
                partner,
                status,
                reason,
                rule,
                derived_from: None,
            })
        })
        .collect();
    for (def, rule) in rules.derived() {
        let part = |side: Respondent| {
            def.product
                .iter()
                .map(|k| latest.get(&(k.as_str(), side)))
                .collect::<Vec<_>>()
        };
        if let Some(c) = compare_derived(
            def,
            rule,
            &part(Respondent::Suspect),
            &part(Respondent::Partner),
        ) {
            out.push(c);
        }
    }
    out.sort_by(|a, b| a.status.cmp(&b.status).then_with(|| a.key.cmp(&b.key)));
    out
}
