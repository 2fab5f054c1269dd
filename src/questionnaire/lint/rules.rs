//! Pass 3: the rules serde cannot express — ids, ranges, options, cross-check parameters,
//! prompts-to-act.

use std::collections::HashSet;

use super::{Checker, inert, quoted};
use crate::questionnaire::position::Seg;
use crate::questionnaire::{AnswerSpec, CrossCheck, PromptToAct, Question, Questionnaire, Version};

impl Checker<'_, '_> {
    // ---- pass 3: rules serde cannot express ----

    pub(super) fn check_rules(&mut self, q: &Questionnaire) {
        let h = &q.header;
        let hp = |k| [Seg::Key("questionnaire"), Seg::Key(k)];
        self.check_id(&hp("id"), &h.id, "questionnaire id");
        if Version::parse(&h.version).is_none() {
            self.at(
                &hp("version"),
                format!(
                    "version `{}` is not dot-separated whole numbers (e.g. \"1.0.0\")",
                    inert(&h.version)
                ),
            );
        }
        self.non_empty(&hp("title"), &h.title, "title");
        self.non_empty(&hp("source"), &h.source, "source");
        if q.sections.is_empty() {
            self.at(&[], "the questionnaire has no [[section]]".into());
        }
        let mut section_ids = HashSet::new();
        let mut question_ids = HashSet::new();
        let mut cross_keys = HashSet::new();
        for (si, s) in q.sections.iter().enumerate() {
            let sp = [Seg::Key("section"), Seg::Index(si)];
            let with = |k| [sp[0], sp[1], Seg::Key(k)];
            self.check_id(&with("id"), &s.id, "section id");
            if !s.id.is_empty() && !section_ids.insert(s.id.as_str()) {
                self.at(
                    &with("id"),
                    format!("duplicate section id `{}`", inert(&s.id)),
                );
            }
            self.non_empty(&with("title"), &s.title, "section title");
            if s.questions.is_empty() {
                self.at(
                    &with("id"),
                    format!("section `{}` has no questions", inert(&s.id)),
                );
            }
            for (qi, question) in s.questions.iter().enumerate() {
                let qp = [sp[0], sp[1], Seg::Key("question"), Seg::Index(qi)];
                if !question.id.is_empty() && !question_ids.insert(question.id.as_str()) {
                    self.at(
                        &[qp[0], qp[1], qp[2], qp[3], Seg::Key("id")],
                        format!(
                            "duplicate question id `{}` (ids must be unique in the whole questionnaire)",
                            inert(&question.id)
                        ),
                    );
                }
                if let Some(cc) = &question.cross_check
                    && !cc.key.is_empty()
                    && !cross_keys.insert(cc.key.as_str())
                {
                    self.at(
                        &[
                            qp[0],
                            qp[1],
                            qp[2],
                            qp[3],
                            Seg::Key("cross_check"),
                            Seg::Key("key"),
                        ],
                        format!(
                            "cross-check key `{}` is used twice in this questionnaire",
                            inert(&cc.key)
                        ),
                    );
                }
                self.check_question(&qp, question);
            }
        }
        self.check_derived(q, &cross_keys);
    }

    fn check_question(&mut self, qp: &[Seg<'_>; 4], q: &Question) {
        let with = |k| [qp[0], qp[1], qp[2], qp[3], Seg::Key(k)];
        self.check_id(&with("id"), &q.id, "question id");
        self.non_empty(&with("prompt"), &q.prompt, "prompt");
        self.non_empty(&with("source"), &q.source, "source");
        self.check_answer(&with("answer"), &q.answer);
        if let Some(cc) = &q.cross_check {
            self.check_cross_check(&with("cross_check"), cc, &q.answer);
        }
        for (ai, act) in q.acts.iter().enumerate() {
            let ap = [qp[0], qp[1], qp[2], qp[3], Seg::Key("act"), Seg::Index(ai)];
            self.check_act(&ap, act, &q.answer);
        }
    }

    fn check_answer(&mut self, path: &[Seg<'_>; 5], answer: &AnswerSpec) {
        let with = |k| [path[0], path[1], path[2], path[3], path[4], Seg::Key(k)];
        match answer {
            AnswerSpec::Choice { options } | AnswerSpec::MultiChoice { options } => {
                self.check_options(&with("options"), options, "options");
            }
            AnswerSpec::Scale { steps } => self.check_options(&with("steps"), steps, "steps"),
            AnswerSpec::Number { min, max, .. } => {
                for (key, v) in [("min", min), ("max", max)] {
                    if let Some(v) = v
                        && !v.is_finite()
                    {
                        self.at(&with(key), format!("`{key}` must be a finite number"));
                    }
                }
                if let (Some(lo), Some(hi)) = (min, max)
                    && lo > hi
                {
                    self.at(
                        &with("min"),
                        format!("min ({lo}) is greater than max ({hi})"),
                    );
                }
            }
            AnswerSpec::YesNo | AnswerSpec::Text | AnswerSpec::Date => {}
        }
    }

    fn check_options(&mut self, path: &[Seg<'_>], options: &[String], what: &str) {
        if options.len() < 2 {
            self.at(
                path,
                format!("needs at least 2 {what}, found {}", options.len()),
            );
        }
        let mut seen = HashSet::new();
        for (i, o) in options.iter().enumerate() {
            let mut p = path.to_vec();
            p.push(Seg::Index(i));
            if o.trim().is_empty() {
                self.at(&p, format!("empty entry in {what}"));
            } else if !seen.insert(o.as_str()) {
                self.at(&p, format!("`{}` appears twice in {what}", inert(o)));
            }
        }
    }

    fn check_cross_check(&mut self, path: &[Seg<'_>; 5], cc: &CrossCheck, answer: &AnswerSpec) {
        let with = |k| [path[0], path[1], path[2], path[3], path[4], Seg::Key(k)];
        self.check_id(&with("key"), &cc.key, "cross-check key");
        let ty = answer.type_name();
        let fits: &[&str] = match answer {
            AnswerSpec::Number { .. } => &["tolerance", "relative", "zero_differs"],
            AnswerSpec::Scale { .. } => &["distance"],
            AnswerSpec::Date => &["tolerance_days"],
            _ => &[],
        };
        let given = [
            ("tolerance", cc.tolerance.is_some()),
            ("relative", cc.relative.is_some()),
            ("distance", cc.distance.is_some()),
            ("tolerance_days", cc.tolerance_days.is_some()),
            ("zero_differs", cc.zero_differs.is_some()),
        ];
        for (key, present) in given {
            if present && !fits.contains(&key) {
                let hint = if fits.is_empty() {
                    format!("a `{ty}` answer takes no comparison parameters")
                } else {
                    format!("a `{ty}` answer takes: {}", fits.join(", "))
                };
                self.at(
                    &with(key),
                    format!("`{key}` does not fit this question: {hint}"),
                );
            }
        }
        self.check_number_params(
            &with("tolerance"),
            &with("relative"),
            cc.tolerance,
            cc.relative,
        );
        if let (Some(d), AnswerSpec::Scale { steps }) = (cc.distance, answer)
            && d as usize >= steps.len().max(1)
        {
            self.at(
                &with("distance"),
                format!(
                    "distance {d} is as wide as the whole scale of {} steps",
                    steps.len()
                ),
            );
        }
    }

    /// `tolerance` and `relative` of a number comparison (a cross-check or a derived one).
    pub(super) fn check_number_params(
        &mut self,
        tolerance_path: &[Seg<'_>],
        relative_path: &[Seg<'_>],
        tolerance: Option<f64>,
        relative: Option<f64>,
    ) {
        if let Some(t) = tolerance
            && !(t.is_finite() && t >= 0.0)
        {
            self.at(
                tolerance_path,
                format!("tolerance must be 0 or more, found {t}"),
            );
        }
        if let Some(r) = relative
            && !(0.0..=1.0).contains(&r)
        {
            self.at(
                relative_path,
                format!(
                    "relative must be between 0 and 1 (a share of the larger value), found {r}"
                ),
            );
        }
    }

    fn check_act(&mut self, path: &[Seg<'_>; 6], act: &PromptToAct, answer: &AnswerSpec) {
        let with = |k| {
            [
                path[0],
                path[1],
                path[2],
                path[3],
                path[4],
                path[5],
                Seg::Key(k),
            ]
        };
        self.non_empty(&with("text"), &act.text, "prompt-to-act text");
        let ty = answer.type_name();
        let valid: Vec<&str> = match answer {
            AnswerSpec::YesNo => vec!["yes", "no"],
            AnswerSpec::Choice { options } | AnswerSpec::MultiChoice { options } => {
                options.iter().map(String::as_str).collect()
            }
            AnswerSpec::Scale { steps } => steps.iter().map(String::as_str).collect(),
            AnswerSpec::Number { .. } => {
                if act.when.is_some() {
                    self.at(
                        &with("when"),
                        "a number's prompt-to-act uses at_least / at_most, not when".into(),
                    );
                }
                if act.at_least.is_none() && act.at_most.is_none() {
                    self.at(
                        path,
                        "a number's prompt-to-act needs at_least or at_most".into(),
                    );
                }
                return;
            }
            AnswerSpec::Text | AnswerSpec::Date => {
                self.at(path, format!("a `{ty}` question takes no prompts-to-act"));
                return;
            }
        };
        for key in ["at_least", "at_most"] {
            let present = if key == "at_least" {
                act.at_least.is_some()
            } else {
                act.at_most.is_some()
            };
            if present {
                self.at(
                    &with(key),
                    format!("`{key}` is only for number questions; use `when`"),
                );
            }
        }
        match &act.when {
            None => self.at(
                path,
                format!(
                    "prompt-to-act needs `when`: one or more of {}",
                    quoted(&valid)
                ),
            ),
            Some(when) if when.is_empty() => {
                self.at(
                    &with("when"),
                    format!("`when` is empty; list one or more of {}", quoted(&valid)),
                );
            }
            Some(when) => {
                for (i, w) in when.iter().enumerate() {
                    if !valid.contains(&w.as_str()) {
                        let p = [
                            path[0],
                            path[1],
                            path[2],
                            path[3],
                            path[4],
                            path[5],
                            Seg::Key("when"),
                            Seg::Index(i),
                        ];
                        self.at(
                            &p,
                            format!(
                                "`{}` is not an answer to this question; expected one of {}",
                                inert(w),
                                quoted(&valid)
                            ),
                        );
                    }
                }
            }
        }
    }

    pub(super) fn check_id(&mut self, path: &[Seg<'_>], id: &str, what: &str) {
        if id.is_empty() {
            self.at(path, format!("{what} is empty"));
        } else if !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            self.at(
                path,
                format!(
                    "{what} `{}` may only use lowercase letters a-z, digits and '-'",
                    inert(id)
                ),
            );
        }
    }

    pub(super) fn non_empty(&mut self, path: &[Seg<'_>], value: &str, what: &str) {
        if value.trim().is_empty() {
            self.at(path, format!("{what} is empty"));
        }
    }
}
