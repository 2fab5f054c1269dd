//! The linter: every problem in a questionnaire file, each with `file:line:column`.
//!
//! Three passes over one file: TOML syntax, then the keys (every unknown key, not just the
//! first, which is all serde would give), then serde for types and required keys, then the
//! rules serde cannot express. [`lint_set`] adds the checks across files: cross-check keys
//! must pair up between the suspect and partner questionnaires with matching answer types.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::position::{Seg, entry, line_col, locate, locate_key};
use super::{AnswerSpec, CrossCheck, Question, Questionnaire, Respondent, Version};

/// Files larger than this are refused before parsing: no real questionnaire comes close,
/// and a huge hostile file should not stall the program at start-up.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// One problem, pointing into a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Parses one file and checks everything that can be checked in it alone.
pub fn parse(file: &str, text: &str) -> Result<Questionnaire, Vec<Diagnostic>> {
    if text.len() > MAX_FILE_BYTES {
        return Err(vec![Diagnostic {
            file: file.to_string(),
            line: 1,
            column: 1,
            message: format!(
                "file is {} bytes; questionnaires are limited to {} bytes",
                text.len(),
                MAX_FILE_BYTES
            ),
        }]);
    }
    let doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(err) => {
            let offset = err.span().map_or(0, |s| s.start);
            return Err(vec![diag_at(file, text, offset, syntax_message(&err))]);
        }
    };
    let mut checker = Checker {
        file,
        text,
        doc: &doc,
        diags: Vec::new(),
    };
    checker.check_keys();
    checker.check_text(&[], doc.get_ref());
    if !checker.diags.is_empty() {
        return Err(checker.diags);
    }
    let questionnaire: Questionnaire = match toml::from_str(text) {
        Ok(q) => q,
        Err(err) => {
            let offset = err.span().map_or(0, |s| s.start);
            return Err(vec![diag_at(file, text, offset, syntax_message(&err))]);
        }
    };
    checker.check_rules(&questionnaire);
    if checker.diags.is_empty() {
        Ok(questionnaire)
    } else {
        Err(checker.diags)
    }
}

/// Every problem in one file, checked alone.
pub fn lint_text(file: &str, text: &str) -> Vec<Diagnostic> {
    parse(file, text).err().unwrap_or_default()
}

/// Checks several files together: each alone, then the cross-check pairing between the
/// suspect and partner questionnaires among them and `context` (questionnaires in use that
/// are not being linted, such as the embedded set). Problems are reported only in `files`.
pub fn lint_set(files: &[(String, String)], context: &[Questionnaire]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut parsed = Vec::new();
    for (name, text) in files {
        match parse(name, text) {
            Ok(q) => parsed.push((name.as_str(), text.as_str(), q)),
            Err(mut d) => diags.append(&mut d),
        }
    }
    diags.extend(check_pairing(&parsed, context));
    diags
}

fn syntax_message(err: &toml::de::Error) -> String {
    // toml's message can span lines; keep the first, which says what is wrong.
    err.message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .to_string()
}

fn diag_at(file: &str, text: &str, offset: usize, message: String) -> Diagnostic {
    let (line, column) = line_col(text, offset);
    Diagnostic {
        file: file.to_string(),
        line,
        column,
        message,
    }
}

/// The keys each table may hold, by its place in the document.
const ROOT_KEYS: &[&str] = &["questionnaire", "section"];
const HEADER_KEYS: &[&str] = &[
    "id",
    "version",
    "title",
    "respondent",
    "source",
    "description",
];
const SECTION_KEYS: &[&str] = &["id", "title", "guidance", "source", "question"];
const QUESTION_KEYS: &[&str] = &[
    "id",
    "prompt",
    "guidance",
    "source",
    "answer",
    "cross_check",
    "act",
];
const CROSS_CHECK_KEYS: &[&str] = &["key", "tolerance", "relative", "distance", "tolerance_days"];
const ACT_KEYS: &[&str] = &["when", "at_least", "at_most", "text"];

fn answer_keys(answer_type: &str) -> Option<&'static [&'static str]> {
    Some(match answer_type {
        "yes_no" | "text" | "date" => &["type"],
        "choice" | "multi_choice" => &["type", "options"],
        "scale" => &["type", "steps"],
        "number" => &["type", "unit", "min", "max", "integer"],
        _ => return None,
    })
}

struct Checker<'a, 'i> {
    file: &'a str,
    text: &'a str,
    doc: &'a Spanned<DeTable<'i>>,
    diags: Vec<Diagnostic>,
}

impl Checker<'_, '_> {
    fn at(&mut self, path: &[Seg<'_>], message: String) {
        let span = locate(self.doc, path);
        self.diags
            .push(diag_at(self.file, self.text, span.start, message));
    }

    // ---- pass 1: keys ----

    fn check_keys(&mut self) {
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
        match answer_keys(name) {
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
    fn check_text(&mut self, path: &[Seg<'_>], table: &DeTable<'_>) {
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

    // ---- pass 3: rules serde cannot express ----

    fn check_rules(&mut self, q: &Questionnaire) {
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
                self.check_question(&qp, question, h.respondent);
            }
        }
    }

    fn check_question(&mut self, qp: &[Seg<'_>; 4], q: &Question, respondent: Respondent) {
        let with = |k| [qp[0], qp[1], qp[2], qp[3], Seg::Key(k)];
        self.check_id(&with("id"), &q.id, "question id");
        self.non_empty(&with("prompt"), &q.prompt, "prompt");
        self.non_empty(&with("source"), &q.source, "source");
        self.check_answer(&with("answer"), &q.answer);
        if let Some(cc) = &q.cross_check {
            self.check_cross_check(&with("cross_check"), cc, &q.answer, respondent);
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

    fn check_cross_check(
        &mut self,
        path: &[Seg<'_>; 5],
        cc: &CrossCheck,
        answer: &AnswerSpec,
        respondent: Respondent,
    ) {
        let with = |k| [path[0], path[1], path[2], path[3], path[4], Seg::Key(k)];
        self.check_id(&with("key"), &cc.key, "cross-check key");
        if !matches!(respondent, Respondent::Suspect | Respondent::Partner) {
            self.at(
                path,
                format!(
                    "cross_check is only for suspect and partner questionnaires; this one's respondent is `{respondent}`"
                ),
            );
        }
        let ty = answer.type_name();
        let fits: &[&str] = match answer {
            AnswerSpec::Number { .. } => &["tolerance", "relative"],
            AnswerSpec::Scale { .. } => &["distance"],
            AnswerSpec::Date => &["tolerance_days"],
            _ => &[],
        };
        let given = [
            ("tolerance", cc.tolerance.is_some()),
            ("relative", cc.relative.is_some()),
            ("distance", cc.distance.is_some()),
            ("tolerance_days", cc.tolerance_days.is_some()),
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
        if let Some(t) = cc.tolerance
            && !(t.is_finite() && t >= 0.0)
        {
            self.at(
                &with("tolerance"),
                format!("tolerance must be 0 or more, found {t}"),
            );
        }
        if let Some(r) = cc.relative
            && !(0.0..=1.0).contains(&r)
        {
            self.at(
                &with("relative"),
                format!(
                    "relative must be between 0 and 1 (a share of the larger value), found {r}"
                ),
            );
        }
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

    fn check_act(&mut self, path: &[Seg<'_>; 6], act: &super::PromptToAct, answer: &AnswerSpec) {
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

    fn check_id(&mut self, path: &[Seg<'_>], id: &str, what: &str) {
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

    fn non_empty(&mut self, path: &[Seg<'_>], value: &str, what: &str) {
        if value.trim().is_empty() {
            self.at(path, format!("{what} is empty"));
        }
    }
}

/// The tables of an array of tables (`[[name]]`) with their indexes; `None` if absent or not
/// an array (serde reports the wrong type).
fn array_of_tables<'t, 'i>(
    table: &'t DeTable<'i>,
    name: &str,
) -> Option<impl Iterator<Item = (usize, &'t DeTable<'i>)>> {
    let (_, v) = entry(table, name)?;
    let DeValue::Array(items) = v.get_ref() else {
        return None;
    };
    Some(
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match item.get_ref() {
                DeValue::Table(t) => Some((i, t)),
                _ => None,
            }),
    )
}

fn bad_control_char(s: &str) -> Option<char> {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let ok = match c {
            '\n' | '\t' => true,
            '\r' => chars.peek() == Some(&'\n'),
            _ => !c.is_control(),
        };
        if !ok {
            return Some(c);
        }
    }
    None
}

/// Text from the file, made safe to print in a message: control characters escaped.
fn inert(s: &str) -> String {
    s.chars().flat_map(char::escape_debug).collect::<String>()
}

fn quoted(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("\"{}\"", inert(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

// ---- across files: cross-check pairing ----

struct Side<'a> {
    /// Index into the linted files, or `None` for a context questionnaire.
    file: Option<usize>,
    questionnaire: &'a Questionnaire,
    section: usize,
    question: usize,
}

fn check_pairing(
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
