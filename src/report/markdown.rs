//! The report as Markdown.

use std::fmt::Write as _;

use super::Report;

/// Text safe in a Markdown table cell: no pipes or line breaks, no control characters, and
/// no raw HTML (Markdown viewers would render it).
fn cell(text: &str) -> String {
    inert(text, " ")
}

/// Text safe in a paragraph: as a cell, but line breaks kept.
fn para(text: &str) -> String {
    inert(text, "  \n")
}

fn inert(text: &str, newline: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push('¦'),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str(newline),
            '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

pub fn to_markdown(r: &Report) -> String {
    let mut out = String::new();
    // `write!` into a String cannot fail; the results are ignored on purpose.
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
            let _ = writeln!(out, "- `{}`: {}", f.file, cell(&f.text));
        }
    }
    let _ = writeln!(out, "\n## Cross-checked answers\n");
    let counts: Vec<String> = r
        .summary
        .counts
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    let _ = writeln!(out, "{}.", counts.join(", "));
    if let Some(share) = r.summary.agreement_share {
        let _ = writeln!(
            out,
            "Agreement where both sides gave a comparable answer: {:.0}%.",
            share * 100.0
        );
    }
    let _ = writeln!(
        out,
        "\n| status | question | suspect | partner | reason | questionnaires |\n| --- | --- | --- | --- | --- | --- |"
    );
    for d in &r.divergences {
        let ans =
            |s: &Option<super::SideRow>| s.as_ref().map_or("—".to_string(), |s| cell(&s.answer));
        let _ = writeln!(
            out,
            "| **{}**{} | {} | {} | {} | {} | {} |",
            d.status,
            if d.local_questionnaire {
                " — local questionnaire"
            } else {
                ""
            },
            cell(&d.prompt),
            ans(&d.suspect),
            ans(&d.partner),
            cell(&d.reason),
            cell(&super::texts_used(r, d))
        );
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
            s.questionnaire_id,
            s.questionnaire_version
        );
        let _ = writeln!(
            out,
            "Started {}{}. Interviewers: {}.\n",
            s.started.format("%Y-%m-%d %H:%M"),
            s.ended
                .map_or(String::new(), |e| format!(", ended {}", e.format("%H:%M"))),
            cell(&s.interviewers.join(", "))
        );
        let _ = writeln!(out, "{}\n", cell(&s.questionnaire_text));
        if let Some(sig) = &s.signature {
            let _ = writeln!(out, "Signature: {}.\n", cell(&sig.text));
        }
        for a in &s.answers {
            let flag = if a.flagged { " ⚑ follow-up" } else { "" };
            let _ = writeln!(
                out,
                "- **{}** — {}{}",
                cell(&a.prompt),
                a.answer.as_deref().map_or("(cleared)".to_string(), cell),
                flag
            );
            if let Some(note) = &a.note {
                let _ = writeln!(out, "  - Note: {}", para(note));
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
                let _ = writeln!(out, "- {} {}", o.at.format("%H:%M:%S"), para(&o.text));
            }
        }
    }
    if !r.problems.is_empty() {
        let _ = writeln!(out, "\n## Files that could not be read\n");
        for p in &r.problems {
            let _ = writeln!(out, "- {}", cell(p));
        }
    }
    out
}
