//! The report as one self-contained HTML file that prints cleanly on A4.

use std::fmt::Write as _;

use super::{Report, SideRow};

/// Escapes text for HTML; control characters and bidi controls become U+FFFD.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c if (c.is_control() && c != '\t') || crate::untrusted::is_bidi_control(c) => {
                out.push(crate::untrusted::MARK)
            }
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "@page{size:A4;margin:15mm}\
body{font:10.5pt/1.35 system-ui,sans-serif;color:#000;background:#fff;max-width:180mm;margin:auto}\
h1{font-size:16pt}h2{font-size:13pt;margin-top:1.4em;break-after:avoid}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:2px 4px;vertical-align:top;text-align:left}\
tr{break-inside:avoid}.status{font-weight:bold;white-space:nowrap}.muted{color:#444}\
section{break-inside:auto}ul{padding-left:1.2em}";

pub fn to_html(r: &Report) -> String {
    let mut out = String::new();
    // `write!` into a String cannot fail; the results are ignored on purpose.
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Case {}</title><style>{STYLE}</style></head><body>",
        esc(&r.case.reference)
    );
    let _ = write!(out, "<h1>Case {}</h1>", esc(&r.case.reference));
    let _ = write!(
        out,
        "<p class=\"muted\">Generated {}. Case created {}.</p><ul>",
        r.generated.format("%Y-%m-%d %H:%M %:z"),
        r.case.created.format("%Y-%m-%d")
    );
    for s in &r.case.subjects {
        let _ = write!(out, "<li>{}: {}</li>", s.role, esc(&s.label));
    }
    let _ = write!(out, "</ul>");
    if let Some(c) = &r.custody {
        let _ = write!(
            out,
            "<h2>Signatures</h2><p>Statement: {}.</p><ul>",
            esc(&c.statement)
        );
        for f in &c.files {
            let _ = write!(
                out,
                "<li><code>{}</code>: {}</li>",
                esc(&f.file),
                esc(&f.text)
            );
        }
        let _ = write!(out, "</ul>");
    }
    let _ = write!(out, "<h2>Cross-checked answers</h2><p>");
    let counts: Vec<String> = r
        .summary
        .counts
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    let _ = write!(out, "{}.", esc(&counts.join(", ")));
    if let Some(share) = r.summary.agreement_share {
        let _ = write!(
            out,
            " Agreement where both sides gave a comparable answer: {:.0}%.",
            share * 100.0
        );
    }
    let _ = write!(
        out,
        "</p><table><thead><tr><th>Status</th><th>Question</th><th>Suspect</th><th>Partner</th><th>Reason</th><th>Questionnaires</th></tr></thead><tbody>"
    );
    let ans = |s: &Option<SideRow>| s.as_ref().map_or("—".to_string(), |s| esc(&s.answer));
    for d in &r.divergences {
        let _ = write!(
            out,
            "<tr><td class=\"status\">{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(d.status),
            if d.local_questionnaire {
                "<br>local questionnaire"
            } else {
                ""
            },
            esc(&d.prompt),
            ans(&d.suspect),
            ans(&d.partner),
            esc(&d.reason),
            esc(&super::texts_used(r, d))
        );
    }
    let _ = write!(out, "</tbody></table>");
    if !r.questionnaires.is_empty() {
        let _ = write!(
            out,
            "<h2>Questionnaire texts</h2><table><thead><tr><th>Ref</th><th>Questionnaire</th><th>Version</th><th>Source</th><th>File</th><th>SHA-256</th></tr></thead><tbody>"
        );
        for t in &r.questionnaires {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                esc(&t.reference),
                esc(&t.text.id),
                esc(&t.text.version),
                if t.text.is_local() {
                    "<b>local</b>"
                } else {
                    t.text.source
                },
                esc(t.text.file.as_deref().unwrap_or("—")),
                esc(&t.text.sha256)
            );
        }
        let _ = write!(out, "</tbody></table>");
    }
    for s in &r.sittings {
        let _ = write!(
            out,
            "<section><h2>{} — {}</h2><p class=\"muted\">{} {} · started {}{} · interviewers: {}</p>",
            esc(&s.title),
            esc(&s.respondent),
            esc(&s.questionnaire_id),
            esc(&s.questionnaire_version),
            s.started.format("%Y-%m-%d %H:%M"),
            s.ended
                .map_or(String::new(), |e| format!(", ended {}", e.format("%H:%M"))),
            esc(&s.interviewers.join(", "))
        );
        let _ = write!(
            out,
            "<p class=\"muted\">{}</p><table><tbody>",
            esc(&s.questionnaire_text)
        );
        if let Some(sig) = &s.signature {
            let _ = write!(
                out,
                "<tr><th>Signature</th><td>{}</td></tr>",
                esc(&sig.text)
            );
        }
        for a in &s.answers {
            let _ = write!(
                out,
                "<tr><td>{}{}</td><td>{}",
                esc(&a.prompt),
                if a.flagged {
                    " <b>⚑ follow-up</b>"
                } else {
                    ""
                },
                a.answer.as_deref().map_or("(cleared)".to_string(), esc)
            );
            if let Some(note) = &a.note {
                let _ = write!(out, "<br><i>Note:</i> {}", esc(note));
            }
            for act in &a.prompts_to_act {
                let _ = write!(out, "<br><b>Prompt to act:</b> {}", esc(act));
            }
            if a.history.len() > 1 {
                let _ = write!(out, "<ul class=\"muted\">");
                for h in &a.history {
                    let _ = write!(
                        out,
                        "<li>{} {}</li>",
                        h.at.format("%H:%M:%S"),
                        esc(&h.event)
                    );
                }
                let _ = write!(out, "</ul>");
            }
            let _ = write!(out, "</td></tr>");
        }
        let _ = write!(out, "</tbody></table>");
        if !s.observations.is_empty() {
            let _ = write!(out, "<p><b>Observations</b></p><ul>");
            for o in &s.observations {
                let _ = write!(out, "<li>{} {}</li>", o.at.format("%H:%M:%S"), esc(&o.text));
            }
            let _ = write!(out, "</ul>");
        }
        let _ = write!(out, "</section>");
    }
    if !r.problems.is_empty() {
        let _ = write!(out, "<h2>Files that could not be read</h2><ul>");
        for p in &r.problems {
            let _ = write!(out, "<li>{}</li>", esc(p));
        }
        let _ = write!(out, "</ul>");
    }
    out.push_str("</body></html>\n");
    out
}
