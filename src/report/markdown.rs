//! The report as Markdown.

use std::fmt::Write as _;

use super::Report;

/// User text made inert on one line (a table cell, a heading, a list item): line breaks
/// become spaces. See [`inline`].
fn cell(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    inline(&one_line)
}

/// User text made inert over several lines, for a list item whose text starts after a
/// marker: each line after the first is indented by `indent` (so it stays in the item)
/// with its own leading spaces dropped (which would make code) and its first character
/// escaped if it could start a block (a list, a heading underline); lines end in a hard
/// break.
fn para(text: &str, indent: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("  \n");
            out.push_str(indent);
        }
        let line = if i > 0 { line.trim_start() } else { line };
        out.push_str(&block_safe(&inline(line)));
    }
    out
}

/// A line's first character escaped if it would start a block: a bullet (`-`, `+`), a
/// setext underline (`=`), or an ordered-list number (`1.` / `1)`). `#`, `>`, `*`, `|`,
/// `~` and backticks are escaped everywhere by [`inline`] already.
fn block_safe(line: &str) -> String {
    if line.starts_with(['-', '+', '=']) {
        return format!("\\{line}");
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_string()
}

/// User text made inert inside a line of Markdown: it can make no link, image, autolink,
/// emphasis, code, HTML, entity, heading or table cell, whatever it holds.
///
/// - Markdown's punctuation (`\\` `` ` `` `*` `_` `[` `]` `#` `~` `|`) is backslash-escaped,
///   so it shows as itself (`![x](http://…)` shows as typed, and fetches nothing);
/// - `<`, `>` and `&` become entities: no raw HTML, no `<http://…>` autolink, no entity;
/// - `:` before `/`, the `.` of `www.` and every `@` are escaped, which breaks GitHub's
///   bare-URL autolinks (`http://…`, `www.…`, `name@host`); dots elsewhere stay as they are,
///   so versions, numbers and file names read as recorded (a viewer that links bare domain
///   names, such as markdown-it's fuzzy linkify, may still make `example.com` clickable:
///   a link to click, never a request made on opening);
/// - control characters and bidi controls become U+FFFD, as on the screens.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    // The last three characters, lower case, to see `www.` coming.
    let mut last = ['\0'; 3];
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '|' | '@' => {
                out.push('\\');
                out.push(c);
            }
            ':' if next == Some('/') => out.push_str("\\:"),
            '.' if last == ['w', 'w', 'w'] => out.push_str("\\."),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\t' => out.push(' '),
            c if c.is_control() || crate::untrusted::is_bidi_control(c) => {
                out.push(crate::untrusted::MARK)
            }
            c => out.push(c),
        }
        last = [last[1], last[2], c.to_ascii_lowercase()];
    }
    out
}

pub fn to_markdown(r: &Report) -> String {
    let mut out = String::new();
    // `write!` into a String cannot fail; the results are ignored on purpose.
    // The protective marking first and last, as on every printed page.
    let marking = format!("**{}**\n", cell(&r.marking));
    let _ = writeln!(out, "{marking}");
    let _ = writeln!(out, "# Case {}\n", cell(&r.case.reference));
    let _ = writeln!(
        out,
        "Generated {}. Case created {}.\n",
        r.generated.format("%Y-%m-%d %H:%M %:z"),
        r.case.created.format("%Y-%m-%d")
    );
    for s in &r.case.subjects {
        let _ = writeln!(out, "- {}: {}", s.role, cell(&s.label));
    }
    if let Some(c) = &r.custody {
        let _ = writeln!(out, "\n## Signatures\n");
        let _ = writeln!(out, "Statement: {}.\n", cell(&c.statement));
        for f in &c.files {
            let _ = writeln!(out, "- `{}`: {} {}", f.file, f.mark, cell(&f.text));
        }
    }
    let _ = writeln!(out, "\n## Cross-checked answers\n");
    let counts = super::in_status_order(&r.summary.counts, false);
    let _ = writeln!(
        out,
        "Questions by their most pressing pair: {}.\n",
        counts.join(", ")
    );
    for p in &r.summary.pairs {
        let counts = super::in_status_order(&p.counts, true);
        let share = p.agreement_share.map_or_else(String::new, |share| {
            format!(
                "; agreement where both gave a comparable answer {:.0}%",
                share * 100.0
            )
        });
        let _ = writeln!(out, "- {}: {}{share}", p.pair, counts.join(", "));
    }
    let sources = super::sources_in(r);
    let _ = writeln!(
        out,
        "\n| status | question | {} | pairs | questionnaires |\n| --- | --- |{} --- | --- |",
        sources.join(" | "),
        " --- |".repeat(sources.len())
    );
    for d in &r.divergences {
        let answers: Vec<String> = sources
            .iter()
            .map(|who| match d.answers.get(who) {
                Some(a) => cell(&super::with_unit(&a.answer, a.unit.as_deref())),
                None if d.sources.contains(who) => "—".to_string(),
                None => "".to_string(),
            })
            .collect();
        let pairs: Vec<String> = d
            .pairs
            .iter()
            .map(|p| format!("**{}** {}: {}", p.status, p.pair, cell(&p.reason)))
            .collect();
        let _ = writeln!(
            out,
            "| **{} {}**{} | {} | {} | {} | {} |",
            d.mark,
            d.status,
            if d.local_questionnaire {
                " — local questionnaire"
            } else {
                ""
            },
            cell(&d.prompt),
            answers.join(" | "),
            pairs.join("; "),
            cell(&super::texts_used(r, d))
        );
    }
    let _ = writeln!(out, "\n## Changes between sittings\n");
    if r.changes.is_empty() {
        let _ = writeln!(
            out,
            "No answer differs from one sitting of a person to a later one."
        );
    } else {
        let _ = writeln!(
            out,
            "| person | question | before | after | kind | reason |\n| --- | --- | --- | --- | --- | --- |"
        );
        for c in &r.changes {
            let _ = writeln!(
                out,
                "| {} | {} | {} ({}) | {} ({}) | **{}** | {} |",
                c.person,
                cell(&c.prompt),
                cell(&c.before.answer),
                c.before.at.format("%Y-%m-%d %H:%M"),
                cell(&c.after.answer),
                c.after.at.format("%Y-%m-%d %H:%M"),
                c.kind,
                cell(&c.reason)
            );
        }
    }
    if !r.questionnaires.is_empty() {
        let _ = writeln!(
            out,
            "\n### Questionnaire texts\n\n| ref | questionnaire | version | source | file | sha256 |\n| --- | --- | --- | --- | --- | --- |"
        );
        for t in &r.questionnaires {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | `{}` |",
                t.reference,
                cell(&t.text.id),
                cell(&t.text.version),
                if t.text.is_local() {
                    "**local**"
                } else {
                    t.text.source
                },
                cell(t.text.file.as_deref().unwrap_or("—")),
                cell(&t.text.sha256)
            );
        }
    }
    for s in &r.sittings {
        let _ = writeln!(
            out,
            "\n## {} — {} ({} {})\n",
            cell(&s.title),
            s.respondent,
            cell(&s.questionnaire_id),
            cell(&s.questionnaire_version)
        );
        let _ = writeln!(
            out,
            "Started {}{}. Interviewers: {}.\n",
            s.started.format("%Y-%m-%d %H:%M"),
            s.ended
                .map_or(String::new(), |e| format!(", ended {}", e.format("%H:%M"))),
            cell(&s.interviewers_text())
        );
        let _ = writeln!(out, "{}\n", cell(&s.questionnaire_text));
        if let Some(sig) = &s.signature {
            let _ = writeln!(out, "Signature: {} {}.\n", sig.mark, cell(&sig.text));
        }
        for a in &s.answers {
            let flag = if a.flagged { " ⚑ follow-up" } else { "" };
            let _ = writeln!(
                out,
                "- **{}** — {}{}",
                cell(&a.prompt),
                a.answer
                    .as_deref()
                    .map_or("(cleared)".to_string(), |v| cell(&super::with_unit(
                        v,
                        a.unit.as_deref()
                    ))),
                flag
            );
            if let Some(note) = &a.note {
                let _ = writeln!(out, "  - Note: {}", para(note, "    "));
            }
            for act in &a.prompts_to_act {
                let _ = writeln!(out, "  - Prompt to act: {}", cell(act));
            }
            if a.history.len() > 1 {
                for h in &a.history {
                    let _ = writeln!(out, "  - {} {}", h.at.format("%H:%M:%S"), cell(&h.event));
                }
            }
        }
        if !s.observations.is_empty() {
            let _ = writeln!(out, "\nObservations:\n");
            for o in &s.observations {
                let _ = writeln!(out, "- {} {}", o.at.format("%H:%M:%S"), para(&o.text, "  "));
            }
        }
    }
    if !r.problems.is_empty() {
        let _ = writeln!(out, "\n## Files that could not be read\n");
        for p in &r.problems {
            let _ = writeln!(out, "- {}", cell(p));
        }
    }
    let _ = write!(out, "\n{marking}");
    out
}
