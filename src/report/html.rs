//! The report as one self-contained HTML file that prints cleanly on A4.

use std::fmt::Write as _;

use super::Report;

/// `Suspect`, `Record`.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

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

/// Text as a quoted CSS string for a page margin's `content`: letters, digits and a few
/// harmless marks as they are, everything else as a six-digit CSS escape, so no text can
/// end the string or the style sheet (`"`, `\\`, `<` of `</style>` are all escaped).
/// Control and bidi characters become U+FFFD, as in the page.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        let c = if c.is_control() || crate::untrusted::is_bidi_control(c) {
            crate::untrusted::MARK
        } else {
            c
        };
        if c.is_ascii_alphanumeric() || " -_.,:/()".contains(c) {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:06X}", u32::from(c));
        }
    }
    out.push('"');
    out
}

/// The page box: A4, with the case reference, the protective marking and "page X of Y" in
/// its margins, so every printed page says what it is and how sensitive. (CSS paged media
/// margin boxes: printed by Chromium 131 and later, headless too; a browser without them
/// still prints the marking at the top and bottom of the report itself.)
fn page_style(r: &Report) -> String {
    let marking = css_string(&r.marking);
    let reference = css_string(&format!("Case {}", r.case.reference));
    let small = "font:8.5pt system-ui,sans-serif;color:#000";
    format!(
        "@page{{size:A4;margin:18mm 15mm 16mm 15mm;\
@top-left{{content:{reference};{small}}}\
@top-center{{content:{marking};{small};font-weight:bold;letter-spacing:.04em}}\
@bottom-center{{content:{marking};{small};font-weight:bold;letter-spacing:.04em}}\
@bottom-right{{content:\"page \" counter(page) \" of \" counter(pages);{small}}}}}"
    )
}

const STYLE: &str = "\
body{font:10.5pt/1.35 system-ui,sans-serif;color:#000;background:#fff;max-width:180mm;margin:auto}\
h1{font-size:16pt}h2{font-size:13pt;margin-top:1.4em;break-after:avoid}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:2px 4px;vertical-align:top;text-align:left}\
tr{break-inside:avoid}.status{font-weight:bold;white-space:nowrap}.muted{color:#444}\
section{break-inside:auto}ul{padding-left:1.2em}\
code{word-break:break-all;font-size:9pt}.answers td+td{width:30%}.marking{text-align:center;font-weight:bold;letter-spacing:.04em}\
@media print{body{max-width:none}}";

pub fn to_html(r: &Report) -> String {
    let mut out = String::new();
    // `write!` into a String cannot fail; the results are ignored on purpose.
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Case {}</title><style>{}{STYLE}</style></head><body>",
        esc(&r.case.reference),
        page_style(r)
    );
    let marking = format!("<p class=\"marking\">{}</p>", esc(&r.marking));
    out.push_str(&marking);
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
                "<li><code>{}</code>: {} {}</li>",
                esc(&f.file),
                f.mark,
                esc(&f.text)
            );
        }
        let _ = write!(out, "</ul>");
    }
    let _ = write!(out, "<h2>Cross-checked answers</h2><p>");
    let counts = super::in_status_order(&r.summary.counts, false);
    let _ = write!(
        out,
        "Questions by their most pressing pair: {}.</p><ul>",
        esc(&counts.join(", "))
    );
    for p in &r.summary.pairs {
        let counts = super::in_status_order(&p.counts, true);
        let share = p.agreement_share.map_or_else(String::new, |share| {
            format!(
                "; agreement where both gave a comparable answer {:.0}%",
                share * 100.0
            )
        });
        let _ = write!(
            out,
            "<li>{}: {}{}</li>",
            esc(&p.pair),
            esc(&counts.join(", ")),
            esc(&share)
        );
    }
    let sources = super::sources_in(r);
    let heads: String = sources
        .iter()
        .map(|s| format!("<th>{}</th>", esc(&capitalised(s))))
        .collect();
    let _ = write!(
        out,
        "</ul><table><thead><tr><th>Status</th><th>Question</th>{heads}<th>Pairs</th><th>Questionnaires</th></tr></thead><tbody>"
    );
    for d in &r.divergences {
        let answers: String = sources
            .iter()
            .map(|who| {
                let a = match d.answers.get(who) {
                    Some(a) => esc(&super::with_unit(&a.answer, a.unit.as_deref())),
                    None if d.sources.contains(who) => "—".to_string(),
                    None => String::new(),
                };
                format!("<td>{a}</td>")
            })
            .collect();
        let pairs: Vec<String> = d
            .pairs
            .iter()
            .map(|p| {
                format!(
                    "<b>{}</b> {}: {}",
                    esc(p.status),
                    esc(&p.pair),
                    esc(&p.reason)
                )
            })
            .collect();
        let _ = write!(
            out,
            "<tr><td class=\"status\">{} {}{}</td><td>{}</td>{answers}<td>{}</td><td>{}</td></tr>",
            esc(&d.mark.to_string()),
            esc(d.status),
            if d.local_questionnaire {
                "<br>local questionnaire"
            } else {
                ""
            },
            esc(&d.prompt),
            pairs.join("<br>"),
            esc(&super::texts_used(r, d))
        );
    }
    let _ = write!(out, "</tbody></table><h2>Changes between sittings</h2>");
    if r.changes.is_empty() {
        let _ = write!(
            out,
            "<p>No answer differs from one sitting of a person to a later one.</p>"
        );
    } else {
        let _ = write!(
            out,
            "<table><thead><tr><th>Person</th><th>Question</th><th>Before</th><th>After</th><th>Kind</th><th>Reason</th></tr></thead><tbody>"
        );
        for c in &r.changes {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}<br><span class=\"muted\">{}</span></td><td>{}<br><span class=\"muted\">{}</span></td><td class=\"status\">{}</td><td>{}</td></tr>",
                esc(c.person),
                esc(&c.prompt),
                esc(&c.before.answer),
                c.before.at.format("%Y-%m-%d %H:%M"),
                esc(&c.after.answer),
                c.after.at.format("%Y-%m-%d %H:%M"),
                esc(c.kind),
                esc(&c.reason)
            );
        }
        let _ = write!(out, "</tbody></table>");
    }
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
            esc(&s.interviewers_text())
        );
        let _ = write!(
            out,
            "<p class=\"muted\">{}</p><table class=\"answers\"><tbody>",
            esc(&s.questionnaire_text)
        );
        if let Some(sig) = &s.signature {
            let _ = write!(
                out,
                "<tr><th>Signature</th><td>{} {}</td></tr>",
                sig.mark,
                esc(&sig.text)
            );
        }
        for a in &s.answers {
            let _ =
                write!(
                    out,
                    "<tr><td>{}{}</td><td>{}",
                    esc(&a.prompt),
                    if a.flagged {
                        " <b>⚑ follow-up</b>"
                    } else {
                        ""
                    },
                    a.answer.as_deref().map_or("(cleared)".to_string(), |v| esc(
                        &super::with_unit(v, a.unit.as_deref())
                    ))
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
    out.push_str(&marking);
    out.push_str("</body></html>\n");
    out
}
