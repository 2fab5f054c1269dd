//! A whole case compared: one walk over every sitting, each read with the questionnaire text
//! it was recorded with; each key's latest answer per source; the rule for each key from the
//! texts in use; every pair of sources that has the key.

use std::collections::{BTreeMap, BTreeSet};

use super::changes::ChangeTracker;
use super::classify::classify_pair;
use super::derived::compare_derived;
use super::pairs::compare_pairs;
use super::{Allowance, Asked, Change, Comparison, Given, Params, Rule, SideAnswer};
use crate::questionnaire::{Catalog, CrossCheck, Derived, Question, Resolved, Respondent, TextRef};
use crate::session::{QuestionState, Sitting};

/// One question of one sitting, as the sitting holds it.
pub struct QuestionVisit<'a, 'f> {
    /// The source: the sitting's respondent.
    pub source: Respondent,
    pub sitting: &'a Sitting,
    /// The questionnaire text the sitting is read with.
    pub text: Resolved<'a>,
    /// The question's place in that text (0 for the first).
    pub position: usize,
    pub question: &'a Question,
    /// The question's folded state in that sitting; `None` if it has no events there.
    pub state: Option<&'f QuestionState>,
}

/// One cross-checked question of one sitting, as the sitting holds it.
pub struct CrossChecked<'a, 'f> {
    pub source: Respondent,
    pub sitting: &'a Sitting,
    /// The questionnaire text the sitting is read with.
    pub text: Resolved<'a>,
    pub question: &'a Question,
    pub key: &'a str,
    pub cross_check: &'a CrossCheck,
    /// The question's folded state in that sitting; `None` if it has no events there.
    pub state: Option<&'f QuestionState>,
}

/// Calls `visit` for every question of every sitting, folding each sitting once and reading
/// it with the text it was recorded with (or, when that text is not available, the newest
/// with the same id). Sittings whose questionnaire id is not in `catalog` cannot be mapped
/// to questions and are skipped. The one walk the comparison, the changes between sittings
/// and the review's histories are built from, so they cannot disagree on what belongs to a
/// question.
pub fn for_each_question<'a>(
    sittings: &'a [Sitting],
    catalog: &'a Catalog,
    mut visit: impl FnMut(QuestionVisit<'a, '_>),
) {
    for sitting in sittings {
        let recorded = &sitting.questionnaire;
        let Some(text) = catalog.resolve(&recorded.id, &recorded.sha256) else {
            continue;
        };
        let folded = sitting.fold();
        for (position, (_, question)) in text.loaded.questionnaire.questions().enumerate() {
            visit(QuestionVisit {
                source: sitting.respondent,
                sitting,
                text,
                position,
                question,
                state: folded.get(&question.id),
            });
        }
    }
}

/// Calls `visit` for every cross-checked question of every sitting ([`for_each_question`]).
pub fn for_each_cross_checked<'a>(
    sittings: &'a [Sitting],
    catalog: &'a Catalog,
    mut visit: impl FnMut(CrossChecked<'a, '_>),
) {
    for_each_question(sittings, catalog, |item| {
        if let Some(cc) = item.as_cross_checked() {
            visit(cc);
        }
    });
}

impl<'a, 'f> QuestionVisit<'a, 'f> {
    /// The same visit as a cross-checked question, if the question has a key.
    pub fn as_cross_checked(&self) -> Option<CrossChecked<'a, 'f>> {
        let cc = self.question.cross_check.as_ref()?;
        Some(CrossChecked {
            source: self.source,
            sitting: self.sitting,
            text: self.text,
            question: self.question,
            key: &cc.key,
            cross_check: cc,
            state: self.state,
        })
    }
}

/// The rules in force: for each key, the parameters of the texts in use that have it
/// (stricter where they differ), the sources that have it and the prompt to list it by, and
/// the derived comparisons those texts define.
pub struct Rules<'c> {
    keys: BTreeMap<&'c str, KeyRule<'c>>,
    derived: BTreeMap<&'c str, DerivedRule<'c>>,
}

#[derive(Default)]
struct KeyRule<'c> {
    given: Vec<Allowance>,
    from: Vec<TextRef>,
    /// Each source's prompt for the key, from the first text in use of that source.
    prompts: BTreeMap<Respondent, &'c str>,
}

struct DerivedRule<'c> {
    /// The first text to define it gives the product (the linter makes every text's the
    /// same); every text's parameters are weighed.
    def: &'c Derived,
    given: Vec<Allowance>,
    from: Vec<TextRef>,
    sources: BTreeSet<Respondent>,
}

impl<'c> Rules<'c> {
    pub fn of(catalog: &'c Catalog) -> Rules<'c> {
        let mut keys: BTreeMap<&str, KeyRule<'_>> = BTreeMap::new();
        let mut derived: BTreeMap<&str, DerivedRule<'_>> = BTreeMap::new();
        for loaded in catalog.iter() {
            let source = loaded.questionnaire.header.respondent;
            for (_, q) in loaded.questionnaire.questions() {
                let Some(cc) = &q.cross_check else { continue };
                let rule = keys.entry(cc.key.as_str()).or_default();
                rule.given.push(Allowance::from(cc));
                rule.from.push(loaded.text_ref());
                rule.prompts.entry(source).or_insert(q.prompt.as_str());
            }
            for d in &loaded.questionnaire.derived {
                let entry = derived
                    .entry(d.key.as_str())
                    .or_insert_with(|| DerivedRule {
                        def: d,
                        given: Vec::new(),
                        from: Vec::new(),
                        sources: BTreeSet::new(),
                    });
                entry.given.push(Allowance::from(d));
                entry.from.push(loaded.text_ref());
                entry.sources.insert(source);
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

    /// The prompt a key is listed by in the texts in use: the first source's in source
    /// order (the suspect's, else the partner's, …, else the record's).
    pub fn prompt(&self, key: &str) -> Option<&'c str> {
        self.keys.get(key)?.prompts.values().next().copied()
    }

    /// The sources whose texts in use have the key, in source order.
    pub fn sources(&self, key: &str) -> impl Iterator<Item = Respondent> + '_ {
        self.keys
            .get(key)
            .into_iter()
            .flat_map(|r| r.prompts.keys().copied())
    }

    /// The derived comparisons in use, with their rules and the sources that define them.
    fn derived(&self) -> impl Iterator<Item = (&'c Derived, Rule, Vec<Respondent>)> + '_ {
        self.derived.values().map(|d| {
            (
                d.def,
                Rule {
                    params: Params::strictest(d.given.iter().copied()),
                    from: d.from.clone(),
                },
                d.sources.iter().copied().collect(),
            )
        })
    }
}

/// One sitting's answer to a question while the sittings are walked, borrowed from the
/// sitting and the catalog (its value and note are the folded state's, which lives only
/// while the sitting is visited).
pub(super) struct Latest<'a> {
    pub sitting: &'a Sitting,
    pub question: &'a Question,
    pub text: Resolved<'a>,
    pub value: crate::session::AnswerValue,
    pub at: crate::session::Stamp,
    pub note: Option<String>,
}

impl<'a> Latest<'a> {
    /// The sitting's answer to `item`'s question, if it has one.
    pub fn of(item: &QuestionVisit<'a, '_>) -> Option<Latest<'a>> {
        Latest::answered(item.sitting, item.question, item.text, item.state)
    }

    /// A sitting's answer to a question, from the question's folded state, if it has one.
    fn answered(
        sitting: &'a Sitting,
        question: &'a Question,
        text: Resolved<'a>,
        state: Option<&QuestionState>,
    ) -> Option<Latest<'a>> {
        let state = state?;
        let (Some(value), Some(at)) = (&state.answer, &state.answered_at) else {
            return None;
        };
        Some(Latest {
            sitting,
            question,
            text,
            value: value.clone(),
            at: at.clone(),
            note: state.note.clone(),
        })
    }

    pub fn to_side(&self) -> SideAnswer {
        SideAnswer {
            sitting_id: self.sitting.id.clone(),
            question_id: self.question.id.clone(),
            value: self.value.clone(),
            at: self.at.clone(),
            note: self.note.clone(),
            asked: Asked {
                prompt: self.question.prompt.clone(),
                spec: self.question.answer.clone(),
                text: self.text.loaded.text_ref(),
                exact: self.text.exact,
            },
            parts: Vec::new(),
        }
    }

    /// The answer as the classifier takes it; `label` holds its text's name.
    pub fn given<'g>(&'g self, label: &'g str) -> Given<'g> {
        Given {
            value: &self.value,
            spec: &self.question.answer,
            text: label,
            prompt: &self.question.prompt,
        }
    }
}

/// One source's answer as the classifier takes it; `label` holds its text's name.
pub(super) fn given<'a>(side: &'a SideAnswer, label: &'a str) -> Given<'a> {
    Given {
        value: &side.value,
        spec: &side.asked.spec,
        text: label,
        prompt: &side.asked.prompt,
    }
}

/// Compares two sources' answers to a key (either may not have answered), each read as it
/// was asked.
pub(super) fn judge_answers(
    params: Params,
    (wa, a): (Respondent, Option<&SideAnswer>),
    (wb, b): (Respondent, Option<&SideAnswer>),
) -> (super::Status, String) {
    let la = a.map(|s| s.asked.text.label()).unwrap_or_default();
    let lb = b.map(|s| s.asked.text.label()).unwrap_or_default();
    classify_pair(
        params,
        (wa, a.map(|s| given(s, &la))),
        (wb, b.map(|s| given(s, &lb))),
    )
}

/// The latest answer of every source to every key, gathered during the walk.
#[derive(Default)]
struct KeyAnswers<'a> {
    /// The latest answer per key and source, borrowed from the sittings and the catalog;
    /// made into a `SideAnswer` (which owns its question's spec and text name) only once,
    /// for the winner: a review of many sittings replaces the candidate thousands of times.
    latest: BTreeMap<(&'a str, Respondent), Latest<'a>>,
    /// Key → the texts and cross-checks it was read with, for keys no text in use has.
    read_with: BTreeMap<&'a str, Vec<(Allowance, TextRef)>>,
    /// Key → the sources whose sittings have it.
    sources: BTreeMap<&'a str, BTreeSet<Respondent>>,
}

impl<'a> KeyAnswers<'a> {
    fn visit(&mut self, item: &CrossChecked<'a, '_>) {
        let loaded = item.text.loaded;
        let seen = self.read_with.entry(item.key).or_default();
        if !seen.iter().any(|(_, t)| t.sha256 == loaded.hash) {
            seen.push((Allowance::from(item.cross_check), loaded.text_ref()));
        }
        self.sources
            .entry(item.key)
            .or_default()
            .insert(item.source);
        let Some(at) = item
            .state
            .filter(|s| s.answer.is_some())
            .and_then(|s| s.answered_at.as_ref())
        else {
            return;
        };
        // Compared before anything is copied: a case of many sittings replaces the
        // candidate thousands of times.
        let newer = self
            .latest
            .get(&(item.key, item.source))
            .is_none_or(|o| at.at >= o.at.at);
        if newer
            && let Some(answer) =
                Latest::answered(item.sitting, item.question, item.text, item.state)
        {
            self.latest.insert((item.key, item.source), answer);
        }
    }

    /// Every key answered by at least one source, and every derived comparison a source can
    /// be worked out for; divergences first.
    fn finish(self, rules: &Rules<'_>) -> Vec<Comparison> {
        let latest: BTreeMap<(&str, Respondent), SideAnswer> = self
            .latest
            .into_iter()
            .map(|(k, l)| (k, l.to_side()))
            .collect();
        let mut out: Vec<Comparison> = Vec::new();
        for (key, answered) in &self.read_with {
            let mut sources: BTreeSet<Respondent> = rules.sources(key).collect();
            sources.extend(self.sources.get(key).into_iter().flatten().copied());
            let sources: Vec<Respondent> = sources.into_iter().collect();
            let answers: BTreeMap<Respondent, SideAnswer> = sources
                .iter()
                .filter_map(|s| latest.get(&(*key, *s)).map(|a| (*s, a.clone())))
                .collect();
            if answers.is_empty() {
                continue;
            }
            let rule = rules.rule(key, answered);
            let (pairs, status, reason) =
                compare_pairs(&sources, &answers, |a, b| judge_answers(rule.params, a, b));
            let prompt = rules
                .prompt(key)
                .map(str::to_string)
                .or_else(|| answers.values().next().map(|a| a.asked.prompt.clone()))
                .unwrap_or_default();
            out.push(Comparison {
                key: key.to_string(),
                prompt,
                sources,
                answers,
                pairs,
                status,
                reason,
                rule,
                derived_from: None,
            });
        }
        for (def, rule, sources) in rules.derived() {
            let parts: BTreeMap<Respondent, Vec<Option<&SideAnswer>>> = sources
                .iter()
                .map(|s| {
                    let parts = def
                        .product
                        .iter()
                        .map(|k| latest.get(&(k.as_str(), *s)))
                        .collect();
                    (*s, parts)
                })
                .collect();
            if let Some(c) = compare_derived(def, rule, &sources, &parts) {
                out.push(c);
            }
        }
        out.sort_by(|a, b| a.status.cmp(&b.status).then_with(|| a.key.cmp(&b.key)));
        out
    }
}

/// Compares a case: every cross-check key answered by at least one source, and every
/// derived comparison a source can be worked out for; divergences first. Sittings whose
/// questionnaire is not in `catalog` cannot be mapped to keys and are skipped.
pub fn compare_case(sittings: &[Sitting], catalog: &Catalog) -> Vec<Comparison> {
    let rules = Rules::of(catalog);
    let mut answers = KeyAnswers::default();
    for_each_cross_checked(sittings, catalog, |item| answers.visit(&item));
    answers.finish(&rules)
}

/// A case compared, and each person's changes between sittings.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub comparisons: Vec<Comparison>,
    /// Per person in source order, then question by question.
    pub changes: Vec<Change>,
}

/// [`compare_case`] and the changes between sittings ([`super::changes`]) in one walk, each
/// sitting folded once.
pub fn analyse_case(sittings: &[Sitting], catalog: &Catalog) -> Analysis {
    let rules = Rules::of(catalog);
    let mut answers = KeyAnswers::default();
    let mut changes = ChangeTracker::default();
    for_each_question(sittings, catalog, |item| {
        if let Some(cc) = item.as_cross_checked() {
            answers.visit(&cc);
        }
        changes.visit(&item);
    });
    Analysis {
        comparisons: answers.finish(&rules),
        changes: changes.finish(),
    }
}
