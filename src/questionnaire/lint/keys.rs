//! Pass 1: every key in the file is one the format knows, and no text holds control
//! characters.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Checker, array_of_tables, bad_control_char, diag_at, inert};
use crate::questionnaire::position::{Seg, entry, locate_key};

/// The keys each table may hold, by its place in the document.
const ROOT_KEYS: &[&str] = &["questionnaire", "section", "derived"];
const HEADER_KEYS: &[&str] = &[
    "id",
    "version",
    "title",
    "respondent",
    "source",
    "description",
];
pub(super) const SECTION_KEYS: &[&str] = &["id", "title", "guidance", "source", "question"];
const QUESTION_KEYS: &[&str] = &[
    "id",
    "prompt",
    "guidance",
    "source",
    "answer",
    "cross_check",
    "act",
];
const CROSS_CHECK_KEYS: &[&str] = &[
    "key",
    "tolerance",
    "relative",
    "distance",
    "tolerance_days",
    "zero_differs",
];
const DERIVED_KEYS: &[&str] = &[
    "key",
    "prompt",
    "guidance",
    "source",
    "product",
    "factor",
    "unit",
    "tolerance",
    "relative",
    "zero_differs",
];
const ACT_KEYS: &[&str] = &["when", "at_least", "at_most", "text"];

pub(super) fn allowed_answer_keys(answer_type: &str) -> Option<&'static [&'static str]> {
    Some(match answer_type {
        "yes_no" | "text" | "date" => &["type"],
        "choice" | "multi_choice" => &["type", "options"],
        "scale" => &["type", "steps"],
        "number" => &["type", "unit", "min", "max", "integer"],
        _ => return None,
    })
}

impl Checker<'_, '_> {
    // ---- pass 1: keys ----

    pub(super) fn check_keys(&mut self) {
        let root = self.doc.get_ref();
        self.unknown_keys(&[], root, ROOT_KEYS, "the file");
        if let Some((_, v)) = entry(root, "questionnaire")
            && let DeValue::Table(t) = v.get_ref()
        {
            self.unknown_keys(
                &[Seg::Key("questionnaire")],
                t,
                HEADER_KEYS,
                "[questionnaire]",
            );
        }
        if let Some(derived) = array_of_tables(root, "derived") {
            for (di, d) in derived {
                let path = [Seg::Key("derived"), Seg::Index(di)];
                self.unknown_keys(&path, d, DERIVED_KEYS, "a [[derived]] comparison");
            }
        }
        let Some(sections) = array_of_tables(root, "section") else {
            return;
        };
        for (si, section) in sections {
            let spath = [Seg::Key("section"), Seg::Index(si)];
            self.unknown_keys(&spath, section, SECTION_KEYS, "a [[section]]");
            let Some(questions) = array_of_tables(section, "question") else {
                continue;
            };
            for (qi, question) in questions {
                let qpath = [spath[0], spath[1], Seg::Key("question"), Seg::Index(qi)];
                self.unknown_keys(&qpath, question, QUESTION_KEYS, "a question");
                self.check_answer_keys(&qpath, question);
                if let Some((_, v)) = entry(question, "cross_check")
                    && let DeValue::Table(t) = v.get_ref()
                {
                    let path = [
                        qpath[0],
                        qpath[1],
                        qpath[2],
                        qpath[3],
                        Seg::Key("cross_check"),
                    ];
                    self.unknown_keys(&path, t, CROSS_CHECK_KEYS, "cross_check");
                }
                if let Some(acts) = array_of_tables(question, "act") {
                    for (ai, act) in acts {
                        let path = [
                            qpath[0],
                            qpath[1],
                            qpath[2],
                            qpath[3],
                            Seg::Key("act"),
                            Seg::Index(ai),
                        ];
                        self.unknown_keys(&path, act, ACT_KEYS, "a prompt-to-act ([[…act]])");
                    }
                }
            }
        }
    }

    fn check_answer_keys(&mut self, qpath: &[Seg<'_>], question: &DeTable<'_>) {
        let Some((_, v)) = entry(question, "answer") else {
            return;
        };
        let DeValue::Table(answer) = v.get_ref() else {
            return;
        };
        let mut path = qpath.to_vec();
        path.push(Seg::Key("answer"));
        let Some((_, ty)) = entry(answer, "type") else {
            self.at(
                &path,
                "answer has no `type`; use one of yes_no, choice, multi_choice, scale, number, text, date"
                    .into(),
            );
            return;
        };
        let DeValue::String(name) = ty.get_ref() else {
            return; // serde reports the wrong type
        };
        match allowed_answer_keys(name) {
            Some(allowed) => {
                let what = format!("a `{name}` answer");
                self.unknown_keys(&path, answer, allowed, &what);
            }
            None => {
                path.push(Seg::Key("type"));
                self.at(
                    &path,
                    format!(
                        "unknown answer type `{name}`; use one of yes_no, choice, multi_choice, scale, number, text, date"
                    ),
                );
            }
        }
    }

    fn unknown_keys(
        &mut self,
        path: &[Seg<'_>],
        table: &DeTable<'_>,
        allowed: &[&str],
        what: &str,
    ) {
        for (key, _) in table.iter() {
            let key = key.get_ref().as_ref();
            if !allowed.contains(&key) {
                let span = locate_key(self.doc, path, key);
                let message = format!(
                    "unknown key `{}` in {what}; expected one of: {}",
                    inert(key),
                    allowed.join(", ")
                );
                self.diags
                    .push(diag_at(self.file, self.text, span.start, message));
            }
        }
    }

    /// Control characters in any text could drive the terminal when shown; refuse them
    /// (newline and tab are fine, and CR only as part of a CRLF line end).
    pub(super) fn check_text(&mut self, path: &[Seg<'_>], table: &DeTable<'_>) {
        for (key, value) in table.iter() {
            let mut p = path.to_vec();
            p.push(Seg::Key(key.get_ref().as_ref()));
            self.check_value_text(&p, value);
        }
    }

    fn check_value_text(&mut self, path: &[Seg<'_>], value: &Spanned<DeValue<'_>>) {
        match value.get_ref() {
            DeValue::String(s) => {
                if let Some(c) = bad_control_char(s) {
                    let message = format!(
                        "text contains the control character U+{:04X}; remove it (only newline and tab are allowed)",
                        c as u32
                    );
                    self.diags
                        .push(diag_at(self.file, self.text, value.span().start, message));
                }
            }
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let mut p = path.to_vec();
                    p.push(Seg::Index(i));
                    self.check_value_text(&p, item);
                }
            }
            DeValue::Table(t) => self.check_text(path, t),
            _ => {}
        }
    }
}

/// Takes out every key pass 1 reports as unknown (the same tables, the same lists), so the
/// types can be checked on what is left.
pub(super) fn strip_unknown(root: &mut DeTable<'_>) {
    keep(root, ROOT_KEYS);
    if let Some(DeValue::Table(t)) = value_mut(root, "questionnaire") {
        keep(t, HEADER_KEYS);
    }
    let Some(DeValue::Array(sections)) = value_mut(root, "section") else {
        return;
    };
    for section in sections.iter_mut() {
        let DeValue::Table(section) = section.get_mut() else {
            continue;
        };
        keep(section, SECTION_KEYS);
        let Some(DeValue::Array(questions)) = value_mut(section, "question") else {
            continue;
        };
        for question in questions.iter_mut() {
            let DeValue::Table(question) = question.get_mut() else {
                continue;
            };
            keep(question, QUESTION_KEYS);
            if let Some(DeValue::Table(answer)) = value_mut(question, "answer") {
                let allowed = match answer
                    .iter()
                    .find(|(k, _)| k.get_ref().as_ref() == "type")
                    .map(|(_, v)| v.get_ref())
                {
                    Some(DeValue::String(name)) => allowed_answer_keys(name),
                    _ => None,
                };
                if let Some(allowed) = allowed {
                    keep(answer, allowed);
                }
            }
            if let Some(DeValue::Table(cc)) = value_mut(question, "cross_check") {
                keep(cc, CROSS_CHECK_KEYS);
            }
            if let Some(DeValue::Array(acts)) = value_mut(question, "act") {
                for act in acts.iter_mut() {
                    if let DeValue::Table(act) = act.get_mut() {
                        keep(act, ACT_KEYS);
                    }
                }
            }
        }
    }
}

pub(super) fn keep(table: &mut DeTable<'_>, allowed: &[&str]) {
    let all = std::mem::take(table);
    for (k, v) in all {
        if allowed.contains(&k.get_ref().as_ref()) {
            table.insert(k, v);
        }
    }
}

fn value_mut<'t, 'i>(table: &'t mut DeTable<'i>, key: &str) -> Option<&'t mut DeValue<'i>> {
    table
        .iter_mut()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v.get_mut())
}
