//! `cutover update`: the hourly message as plain text, Markdown, JSON, and an HTML
//! email body (inline styles only, no JavaScript, no external resources).

use std::fmt::Write as _;
use std::io::Write;

use super::board::{decision_words, rehearsal_banner, rehearsal_banner_html};
use super::table::markdown_escape;
use super::{Format, Render, RenderError, put, put_json};
use crate::time::Elapsed;
use crate::update::{DecisionKind, MAX_LISTED, Overall, Update};

/// `in 2h 30m`.
fn in_(minutes: i64) -> String {
    format!("in {}", Elapsed(minutes))
}

/// The update's lines, each a (label, text) pair or a bullet, for text and Markdown.
enum Line {
    /// A labelled line: `Status: AT RISK ...`.
    Field(&'static str, String),
    /// A list item under the last field.
    Item(String),
}

fn since_words(u: &Update) -> String {
    if u.since_given {
        format!("since {}", u.labels.since)
    } else {
        format!(
            "since {} (an hour before now; --since sets it)",
            u.labels.since
        )
    }
}

fn lines(u: &Update) -> Vec<Line> {
    let mut out = Vec::new();
    if let Some(run) = &u.run {
        out.push(Line::Field("Run", run.label.clone()));
    }
    out.push(Line::Field(
        "Status",
        format!(
            "{}: {}",
            decision_words(u.status.label(), u.run.as_ref()),
            u.why
        ),
    ));
    let p = &u.progress;
    out.push(Line::Field(
        "Progress",
        format!(
            "{} of {} tasks done (milestones aside), {}% of the planned work by duration",
            p.done, p.total, p.percent
        ),
    ));
    let since = since_words(u);
    if u.passed.is_empty() {
        out.push(Line::Field("Milestones reached", format!("none {since}")));
    } else {
        out.push(Line::Field("Milestones reached", since));
        for m in u.passed.iter().take(MAX_LISTED) {
            out.push(Line::Item(format!("{} ({}) at {}", m.id, m.name, m.label)));
        }
        if u.passed.len() > MAX_LISTED {
            out.push(Line::Item(format!(
                "and {} more (`cutover log show` lists them)",
                u.passed.len() - MAX_LISTED
            )));
        }
    }
    if u.next.is_empty() {
        out.push(Line::Field(
            "Next milestones",
            "none: every one is reached".into(),
        ));
    } else {
        out.push(Line::Field("Next milestones", String::new()));
        for m in &u.next {
            out.push(Line::Item(format!(
                "{} ({}): {} ({}){}",
                m.id,
                m.name,
                m.label,
                m.t_minus,
                if m.critical { ", critical" } else { "" }
            )));
        }
    }
    out.push(Line::Field(
        "Issues",
        if u.blocked.is_empty() && u.overdue.is_empty() {
            "none blocked or overdue".to_owned()
        } else {
            format!("{} blocked, {} overdue", u.blocked.len(), u.overdue.len())
        },
    ));
    let owner = |o: &Option<String>| o.as_deref().unwrap_or("no owner").to_owned();
    let float = |f: Option<i64>| {
        f.map_or(String::new(), |f| {
            format!("; float to go-live {}", Elapsed(f))
        })
    };
    for b in u.blocked.iter().take(MAX_LISTED) {
        out.push(Line::Item(format!(
            "BLOCKED {} ({}): {}{}",
            b.id,
            owner(&b.owner),
            b.reason,
            float(b.float_to_go_live_minutes)
        )));
    }
    if u.blocked.len() > MAX_LISTED {
        out.push(Line::Item(format!(
            "and {} more blocked (`cutover board` lists them)",
            u.blocked.len() - MAX_LISTED
        )));
    }
    for l in u.overdue.iter().take(MAX_LISTED) {
        out.push(Line::Item(format!(
            "OVERDUE {} ({}): should have {}ed {}, {} late{}",
            l.id,
            owner(&l.owner),
            l.missed,
            l.baseline_label,
            Elapsed(l.late_minutes),
            float(l.float_to_go_live_minutes)
        )));
    }
    if u.overdue.len() > MAX_LISTED {
        out.push(Line::Item(format!(
            "and {} more overdue (`cutover board` lists the most late; `--format json` every one)",
            u.overdue.len() - MAX_LISTED
        )));
    }
    out.push(Line::Field(
        "Next decision",
        match &u.next_decision {
            None => "none ahead: no gate falls due and no point of no return is to come".to_owned(),
            Some(d) => {
                let what = match d.kind {
                    DecisionKind::Gate => format!("gate {} ({}) is judged", d.id, d.name),
                    DecisionKind::RollbackDecision => {
                        format!("rollback decision for {}, the last moment to pass this point of no return with time to roll back", d.id)
                    }
                    DecisionKind::PointOfNoReturn => {
                        format!("{} (point of no return) is passed", d.id)
                    }
                };
                let by = d
                    .owner
                    .as_deref()
                    .map_or(String::new(), |o| format!(" ({o})"));
                format!("{what}{by}, {}, {}", d.label, in_(d.minutes_from_now))
            }
        },
    ));
    out
}

fn title(u: &Update) -> String {
    format!("{}: update at {}", u.runbook, u.labels.now)
}

fn text(u: &Update) -> String {
    let mut out = String::new();
    if let Some(banner) = rehearsal_banner(u.run.as_ref()) {
        let _ = writeln!(out, "{banner}");
    }
    let _ = writeln!(out, "{}", title(u));
    for line in lines(u) {
        match line {
            Line::Field(k, v) if v.is_empty() => {
                let _ = writeln!(out, "{k}:");
            }
            Line::Field(k, v) => {
                let _ = writeln!(out, "{k}: {v}");
            }
            Line::Item(v) => {
                let _ = writeln!(out, "  - {v}");
            }
        }
    }
    out
}

fn markdown(u: &Update) -> String {
    let esc = |t: &str| markdown_escape(t);
    let mut out = String::new();
    if let Some(banner) = rehearsal_banner(u.run.as_ref()) {
        let _ = writeln!(out, "> **{}**\n", esc(&banner));
    }
    let _ = writeln!(out, "## {}\n", esc(&title(u)));
    for line in lines(u) {
        match line {
            Line::Field(k, v) if v.is_empty() => {
                let _ = writeln!(out, "- **{k}:**");
            }
            Line::Field(k, v) => {
                let _ = writeln!(out, "- **{k}:** {}", esc(&v));
            }
            Line::Item(v) => {
                let _ = writeln!(out, "  - {}", esc(&v));
            }
        }
    }
    out
}

/// The status's colour, for the HTML email.
fn status_colour(s: Overall) -> &'static str {
    match s {
        Overall::OnTrack => "#1e7b34",
        Overall::AtRisk => "#a15c00",
        Overall::Late => "#b3261e",
    }
}

fn html(u: &Update) -> String {
    let esc = |t: &str| html_escape::encode_text(t).into_owned();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{}</title>\n</head>\n\
         <body style=\"margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:14px;\
         line-height:1.45;color:#1a1a1a;background:#ffffff\">\n",
        esc(&title(u))
    );
    out.push_str(&rehearsal_banner_html(u.run.as_ref()));
    let _ = writeln!(
        out,
        "<p style=\"margin:0 0 10px;font-size:16px\"><strong>{}</strong></p>",
        esc(&title(u))
    );
    let mut open_list = false;
    let close = |out: &mut String, open: &mut bool| {
        if *open {
            out.push_str("</ul>\n");
            *open = false;
        }
    };
    for line in lines(u) {
        match line {
            Line::Field("Status", v) => {
                close(&mut out, &mut open_list);
                let _ = writeln!(
                    out,
                    "<p style=\"margin:0 0 8px;padding:6px 10px;border-left:6px solid {c};\
                     background:#f4f4f4\"><strong style=\"color:{c}\">Status:</strong> {}</p>",
                    esc(&v),
                    c = status_colour(u.status)
                );
            }
            Line::Field(k, v) => {
                close(&mut out, &mut open_list);
                let _ = writeln!(
                    out,
                    "<p style=\"margin:0 0 4px\"><strong>{}:</strong> {}</p>",
                    esc(k),
                    esc(&v)
                );
            }
            Line::Item(v) => {
                if !open_list {
                    out.push_str("<ul style=\"margin:0 0 8px;padding-left:22px\">\n");
                    open_list = true;
                }
                let _ = writeln!(out, "<li>{}</li>", esc(&v));
            }
        }
    }
    close(&mut out, &mut open_list);
    out.push_str(
        "<p style=\"margin:12px 0 0;font-size:12px;color:#666666\">Made by cutover update \
         from the runbook, the status file and its event log; the rules are in docs/live.md.</p>\n\
         </body>\n</html>\n",
    );
    out
}

impl Render for Update {
    fn render(&self, format: Format, out: &mut dyn Write) -> Result<(), RenderError> {
        match format {
            Format::Table { .. } => put(out, &text(self)),
            Format::Markdown => put(out, &markdown(self)),
            Format::Json => put_json(out, self),
            Format::Html => put(out, &html(self)),
            _ => Err(RenderError::Unsupported {
                what: "the update",
                format,
            }),
        }
    }
}
