//! `cutover board` as one terminal screen, Markdown, JSON, and an HTML page for a wall
//! screen that reloads itself (a meta refresh, no JavaScript).

use std::fmt::Write as _;
use std::io::Write;

use super::table::{Style, Tone, cell, key_values, markdown_escape, table};
use super::{Format, Render, RenderError, put, put_json};
use crate::board::Board;
use crate::decision::Decision;
use crate::status::RunInfo;
use crate::time::Elapsed;

/// Seconds between reloads of the HTML board.
pub const HTML_REFRESH_SECS: u32 = 60;

/// How many late tasks the board lists (the most late); the rest are counted, and
/// `--format json` lists every one. One screen, not a printout.
pub const LATE_SHOWN: usize = 20;

fn decision_tone(d: Decision) -> Tone {
    match d {
        Decision::Go => Tone::Good,
        Decision::GoWithConditions => Tone::Warn,
        Decision::NoGo => Tone::Bad,
    }
}

/// `in 2h 30m` or `3h ago`.
fn until(minutes: i64) -> String {
    if minutes >= 0 {
        format!("in {}", Elapsed(minutes))
    } else {
        format!("{} ago", Elapsed(-minutes))
    }
}

fn text(b: &Board, style: Style) -> String {
    let l = &b.labels;
    let mut out = String::new();
    if let Some(banner) = rehearsal_banner(b.run.as_ref()) {
        match style {
            Style::Markdown => {
                let _ = writeln!(out, "> **{}**\n", markdown_escape(&banner));
            }
            Style::Terminal { .. } => {
                let _ = writeln!(out, "{banner}\n");
            }
        }
    }
    let mut rows = vec![("Runbook", b.runbook.clone(), Tone::Plain)];
    if let Some(run) = &b.run {
        rows.push(("Run", run.label.clone(), run_tone(run)));
    }
    rows.push((
        "Now",
        format!("{} ({}), {}", l.now, b.t_minus, source_words(b.now_source)),
        Tone::Plain,
    ));
    rows.push((
        "Decision now",
        decision_words(b.decision, b.run.as_ref()),
        decision_tone(b.verdict),
    ));
    rows.push((
        "Ready for go-live",
        format!(
            "{}, float to go-live {} (go-live {})",
            l.ready,
            Elapsed(b.float_to_go_live),
            l.go_live
        ),
        if b.float_to_go_live < 0 {
            Tone::Bad
        } else {
            Tone::Plain
        },
    ));
    out.push_str(&key_values(style, &rows));
    if !b.reasons.is_empty() {
        let _ = writeln!(out, "\nWhy {}:", b.decision);
        for r in &b.reasons {
            let _ = writeln!(out, "- {r}");
        }
        if b.reasons_total > b.reasons.len() {
            let more = b.reasons_total - b.reasons.len();
            let _ = writeln!(
                out,
                "({more} more {}: `cutover report` lists every reason)",
                if more == 1 { "note" } else { "notes" }
            );
        }
    }

    let _ = writeln!(out, "\nRunning ({})", b.running.len());
    if b.running.is_empty() {
        out.push_str("nothing in progress\n");
    } else {
        let mut t = table(
            style,
            &[
                "task",
                "owner",
                "started",
                "elapsed of plan",
                "forecast finish",
                "flag",
            ],
        );
        for r in &b.running {
            let (flag, tone) = match (&r.blocked, r.overrunning) {
                (Some(why), _) => (format!("BLOCKED: {why}"), Tone::Bad),
                (None, true) => ("OVERRUNNING".to_owned(), Tone::Bad),
                (None, false) => (String::new(), Tone::Plain),
            };
            t.add_row(vec![
                cell(style, &r.id, Tone::Plain),
                cell(style, r.owner.as_deref().unwrap_or("-"), Tone::Plain),
                cell(style, &r.times.0, Tone::Plain),
                cell(
                    style,
                    &r.label,
                    if r.overrunning {
                        Tone::Bad
                    } else {
                        Tone::Plain
                    },
                ),
                cell(style, &r.times.1, Tone::Plain),
                cell(style, &flag, tone),
            ]);
        }
        let _ = writeln!(out, "{t}");
    }

    out.push_str("\nNext to start\n");
    if b.next.is_empty() {
        out.push_str("every task has started\n");
    } else {
        let mut t = table(
            style,
            &["workstream", "task", "owner", "starts", "T-minus", ""],
        );
        for n in &b.next {
            for (i, u) in n.tasks.iter().enumerate() {
                let ws = if i == 0 { n.workstream.as_str() } else { "" };
                t.add_row(vec![
                    cell(style, ws, Tone::Plain),
                    cell(style, &u.id, Tone::Plain),
                    cell(style, u.owner.as_deref().unwrap_or("-"), Tone::Plain),
                    cell(style, &u.start_label, Tone::Plain),
                    cell(style, &u.t_minus.to_string(), Tone::Muted),
                    cell(style, if u.critical { "critical" } else { "" }, Tone::Warn),
                ]);
            }
        }
        let _ = writeln!(out, "{t}");
    }

    let _ = writeln!(out, "\nLate against the baseline plan ({})", b.late.len());
    if b.late.is_empty() {
        out.push_str("none\n");
    } else {
        let mut t = table(
            style,
            &[
                "task",
                "owner",
                "should have",
                "baseline",
                "late by",
                "float to go-live",
            ],
        );
        for l in b.late.iter().take(LATE_SHOWN) {
            let float = l
                .float_to_go_live_minutes
                .map_or("-".to_owned(), |f| Elapsed(f).to_string());
            let tone = match l.float_to_go_live_minutes {
                Some(f) if f < 0 => Tone::Bad,
                _ => Tone::Warn,
            };
            t.add_row(vec![
                cell(style, &l.id, Tone::Plain),
                cell(style, l.owner.as_deref().unwrap_or("-"), Tone::Plain),
                cell(style, &format!("{}ed", l.missed), Tone::Plain),
                cell(style, &l.baseline_label, Tone::Plain),
                cell(style, &Elapsed(l.late_minutes).to_string(), tone),
                cell(style, &float, tone),
            ]);
        }
        let _ = writeln!(out, "{t}");
        if b.late.len() > LATE_SHOWN {
            let _ = writeln!(
                out,
                "and {} more late tasks, less late than these (`--format json` lists every one)",
                b.late.len() - LATE_SHOWN
            );
        }
    }

    if !b.points_of_no_return.is_empty() {
        out.push_str("\nPoints of no return\n");
        let mut t = table(
            style,
            &[
                "task",
                "passed at (forecast)",
                "",
                "rollback decision by",
                "",
            ],
        );
        for p in &b.points_of_no_return {
            let (pass_in, pass_tone) = if p.passed {
                ("passed".to_owned(), Tone::Muted)
            } else {
                (until(p.minutes_to_pass), Tone::Plain)
            };
            let (decide_in, decide_tone) = match p.minutes_to_decide {
                None => (String::new(), Tone::Plain),
                Some(_) if p.passed => (String::new(), Tone::Muted),
                Some(m) if m < 0 => (format!("{}: too late to roll back", until(m)), Tone::Bad),
                Some(m) if m < p.minutes_to_pass => (until(m), Tone::Bad),
                Some(m) => (until(m), Tone::Warn),
            };
            t.add_row(vec![
                cell(style, &p.id, Tone::Plain),
                cell(style, &p.labels.0, Tone::Plain),
                cell(style, &pass_in, pass_tone),
                cell(
                    style,
                    p.labels.1.as_deref().unwrap_or("no rollback: given"),
                    Tone::Plain,
                ),
                cell(style, &decide_in, decide_tone),
            ]);
        }
        let _ = writeln!(out, "{t}");
    }
    out
}

/// The line above everything a rehearsal's output shows, in capitals.
pub(crate) fn rehearsal_banner(run: Option<&RunInfo>) -> Option<String> {
    run.filter(|r| r.is_rehearsal())
        .map(|r| format!("*** {} ***", r.label))
}

/// A rehearsal's decision names the rehearsal: `NO-GO (rehearsal DR2)`.
pub(crate) fn decision_words(decision: &str, run: Option<&RunInfo>) -> String {
    match run.filter(|r| r.is_rehearsal()) {
        Some(r) => match &r.name {
            Some(n) => format!("{decision} (rehearsal {n}, not the live run)"),
            None => format!("{decision} (a rehearsal, not the live run)"),
        },
        None => decision.to_owned(),
    }
}

fn run_tone(run: &RunInfo) -> Tone {
    if run.is_rehearsal() {
        Tone::Bad
    } else {
        Tone::Plain
    }
}

/// Inline-styled HTML for a rehearsal's banner (email bodies and the wall page).
pub(crate) fn rehearsal_banner_html(run: Option<&RunInfo>) -> String {
    rehearsal_banner(run).map_or_else(String::new, |b| {
        format!(
            "<p style=\"margin:0 0 12px;padding:8px 12px;background:#b3261e;color:#ffffff;\
             font-weight:bold;font-size:18px\">{}</p>\n",
            html_escape::encode_text(&b)
        )
    })
}

fn source_words(source: &str) -> &'static str {
    match source {
        "clock" => "the clock",
        "as_of" => "from --as-of",
        _ => "from the status file",
    }
}

fn html(b: &Board) -> String {
    let body = text(b, Style::Markdown);
    let title = html_escape::encode_text(&b.runbook);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"{HTML_REFRESH_SECS}\">\
         <title>{title}: {}</title>\
         <style>body{{font:16px/1.4 ui-monospace,Menlo,Consolas,monospace;margin:1.5em;background:#111;color:#eee}}\
         pre{{white-space:pre-wrap}}</style></head>\n<body>{}<pre>{}</pre></body></html>\n",
        html_escape::encode_text(&decision_words(b.decision, b.run.as_ref())),
        rehearsal_banner_html(b.run.as_ref()),
        html_escape::encode_text(&body)
    )
}

impl Render for Board {
    fn render(&self, format: Format, out: &mut dyn Write) -> Result<(), RenderError> {
        match format {
            Format::Table { color, width } => {
                put(out, &text(self, Style::Terminal { color, width }))
            }
            Format::Markdown => put(out, &text(self, Style::Markdown)),
            Format::Json => put_json(out, self),
            Format::Html => put(out, &html(self)),
            _ => Err(RenderError::Unsupported {
                what: "the board",
                format,
            }),
        }
    }
}
