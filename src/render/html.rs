//! `cutover report --format html`: one self-contained page (inline CSS and SVG, no
//! scripts, nothing fetched) that prints on A4. Every text from a runbook is escaped.

use std::fmt::Write as _;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::report::{measured, needed, source_label};
use crate::decision::{Decision, Weight};
use crate::gates::{Verdict, severity_label};
use crate::plan::Plan;
use crate::project::TaskId;
use crate::report::Report;
use crate::time::{Elapsed, Moment, local_label, t_label};

/// Most bars the Gantt chart draws; bigger plans show their critical and milestone
/// tasks first.
pub const GANTT_ROWS: usize = 250;

const CSS: &str = r#"
@page { size: A4 landscape; margin: 12mm; }
body { font: 10pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1d2430; margin: 0 auto; max-width: 1100px; padding: 16px; }
h1 { font-size: 16pt; margin: 0 0 4px; }
h2 { font-size: 12pt; margin: 18px 0 6px; border-bottom: 1px solid #ccd; padding-bottom: 2px; }
.meta { color: #556; margin: 0 0 10px; }
.banner { padding: 10px 14px; border-radius: 6px; font-size: 15pt; font-weight: 700; color: #fff; margin: 8px 0; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.banner.go { background: #1b7f3b; } .banner.cond { background: #b86e00; } .banner.nogo { background: #b3261e; }
table { border-collapse: collapse; width: 100%; margin: 4px 0; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #d5d9e0; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eef1f5; }
tr.gate td { background: #f7f8fa; font-weight: 600; }
.v { font-weight: 600; white-space: nowrap; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.pass { color: #1b7f3b; } .fail, .no_go { color: #b3261e; } .at_risk, .no_data, .condition { color: #b86e00; } .not_yet_due, .note { color: #667; }
.detail { color: #445; font-size: 9pt; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.92em; background: #f1f3f6; padding: 0 2px; border-radius: 2px; }
.chain { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 9pt; }
svg { width: 100%; height: auto; }
svg text { font: 8px system-ui, Arial, sans-serif; fill: #1d2430; }
footer { color: #889; font-size: 8pt; margin-top: 16px; }
"#;

/// Escaped text with `code` spans (as the library writes ids) set as <code>.
fn rich(t: &str) -> String {
    let escaped = text(t);
    let mut out = String::with_capacity(escaped.len() + 16);
    let mut open = false;
    for (i, part) in escaped.split('`').enumerate() {
        if i > 0 {
            out.push_str(if open { "</code>" } else { "<code>" });
            open = !open;
        }
        out.push_str(part);
    }
    if open {
        out.push_str("</code>");
    }
    out
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::NotYetDue => "not_yet_due",
        Verdict::AtRisk => "at_risk",
        Verdict::NoData => "no_data",
        Verdict::Fail => "fail",
    }
}

/// The go/no-go paper as HTML.
pub(crate) fn html(report: &Report) -> String {
    let p = report.plan.project;
    let tz = &p.tz;
    let s = &report.plan.schedule;
    let d = report.outcome.decision;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Go/no-go: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        text(&p.name)
    );
    let _ = writeln!(o, "<h1>Go/no-go: {}</h1>", text(&p.name));
    let _ = writeln!(
        o,
        "<p class=\"meta\">{}Data date {} ({}, {}) &middot; go-live {} &middot; time zone {}</p>",
        p.organisation
            .as_deref()
            .map(|org| format!("{} &middot; ", text(org)))
            .unwrap_or_default(),
        local_label(report.status.as_of, tz),
        t_label(report.status.as_of, s.go_live),
        text(report.status.source.label()),
        local_label(s.go_live, tz),
        text(&p.timezone_name)
    );
    let class = match d {
        Decision::Go => "go",
        Decision::GoWithConditions => "cond",
        Decision::NoGo => "nogo",
    };
    let _ = writeln!(
        o,
        "<div class=\"banner {class}\" role=\"status\">Decision: {}</div>",
        d.label()
    );

    o.push_str("<h2>Reasons</h2>\n");
    if report.outcome.reasons.is_empty() {
        o.push_str("<p>Every due criterion passes, and the plan fits.</p>\n");
    } else {
        o.push_str(
            "<table>\n<tr><th>Weight</th><th>Source</th><th>Reason</th><th>Owner</th><th>By</th><th>What must happen</th></tr>\n",
        );
        for r in &report.outcome.reasons {
            let (label, class) = match r.weight {
                Weight::NoGo => ("NO-GO", "no_go"),
                Weight::Condition => ("condition", "condition"),
                Weight::Note => ("note", "note"),
            };
            let clear = r.clear.as_ref();
            let _ = writeln!(
                o,
                "<tr><td class=\"v {class}\">{label}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                rich(&source_label(p, &r.source)),
                rich(&r.text),
                text(clear.and_then(|c| c.owner.as_deref()).unwrap_or("")),
                text(
                    &clear
                        .and_then(|c| c.due)
                        .map_or(String::new(), |d| crate::time::day_label(d, tz))
                ),
                rich(clear.map_or("", |c| c.needed.as_str()))
            );
        }
        o.push_str("</table>\n");
    }

    o.push_str("<h2>Plan</h2>\n<table>\n");
    let fit = &report.plan.fit;
    let mut row = |k: &str, v: String| {
        let _ = writeln!(o, "<tr><th>{k}</th><td>{}</td></tr>", text(&v));
    };
    row(
        "Ready for go-live",
        format!(
            "{} ({})",
            local_label(s.ready, tz),
            t_label(s.ready, s.go_live)
        ),
    );
    row(
        "Float to go-live",
        Elapsed(fit.float_to_go_live()).to_string(),
    );
    if let (Some(w), Some(close)) = (p.window, fit.float_to_close()) {
        row(
            "Cutover window",
            format!(
                "{} to {}, float to close {}",
                local_label(w.opens, tz),
                local_label(fit.closes.unwrap_or(w.closes), tz),
                Elapsed(close)
            ),
        );
    }
    if let Some(chain) = report.plan.critical.chains.first() {
        let ids: Vec<&str> = chain.iter().map(|&t| p.tasks[t].id.as_str()).collect();
        let _ = writeln!(
            o,
            "<tr><th>Critical path</th><td class=\"chain\">{}</td></tr>",
            text(&ids.join(" → "))
        );
    }
    o.push_str("</table>\n");

    o.push_str("<h2>Readiness gates</h2>\n<table>\n<tr><th>Gate / criterion</th><th>Due</th><th>Severity</th><th>Owner</th><th>Measured</th><th>Needed</th><th>Result</th></tr>\n");
    for g in &report.gates {
        let gate = &p.gates[g.gate];
        let _ = writeln!(
            o,
            "<tr class=\"gate\"><td>{} {}</td><td>{} ({})</td><td></td><td>{}</td><td></td><td></td><td class=\"v {}\">{}</td></tr>",
            text(&gate.id),
            text(&gate.name),
            local_label(g.due, tz),
            t_label(g.due, s.go_live),
            text(gate.owner.as_deref().unwrap_or("")),
            verdict_class(g.verdict),
            g.verdict.label()
        );
        for (c, r) in gate.criteria.iter().zip(&g.criteria) {
            let owner = c.owner.as_deref().or(gate.owner.as_deref()).unwrap_or("");
            let _ = writeln!(
                o,
                "<tr><td>{}<div class=\"detail\">{}</div></td><td></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"v {}\">{}</td></tr>",
                text(&c.label),
                rich(&r.detail),
                severity_label(c.severity),
                text(owner),
                text(&measured(p, r.measured.as_ref())),
                text(&needed(p, c)),
                verdict_class(r.verdict),
                r.verdict.label()
            );
        }
    }
    o.push_str("</table>\n");

    o.push_str("<h2>Plan chart</h2>\n");
    o.push_str(&gantt(&report.plan, Some(report.status.as_of), None));
    if let Some(w) = p.window {
        let closes = fit.closes.unwrap_or(w.closes);
        let to = Moment(closes.0.max(s.ready.0).max(s.go_live.0));
        o.push_str("<h2>Cutover window close-up</h2>\n");
        o.push_str(&gantt(&report.plan, None, Some((w.opens, to))));
    }
    let _ = writeln!(
        o,
        "<footer>Made by cutover {} from the runbook and status file; every line names its source.</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    o
}

/// The tasks the chart shows: all of them when they fit, otherwise critical tasks and
/// milestones first, then the rest by early start, up to [`GANTT_ROWS`].
fn chart_rows(plan: &Plan, range: Option<(Moment, Moment)>) -> (Vec<TaskId>, usize) {
    let s = &plan.schedule;
    let mut rows: Vec<TaskId> = (0..plan.project.tasks.len())
        .filter(|&t| {
            range.is_none_or(|(a, b)| s.tasks[t].early_finish >= a && s.tasks[t].early_start <= b)
        })
        .collect();
    let all = rows.len();
    if all > GANTT_ROWS {
        rows.sort_by_key(|&t| {
            let important = s.tasks[t].critical || plan.project.tasks[t].milestone;
            (!important, s.tasks[t].early_start)
        });
        rows.truncate(GANTT_ROWS);
    }
    rows.sort_by_key(|&t| (s.tasks[t].early_start, s.tasks[t].early_finish, t));
    (rows, all)
}

/// An SVG Gantt chart: one bar per task (critical in red, done in grey), the window
/// shaded, go-live and the data date as lines.
///
/// With `range`, only tasks overlapping it are drawn, on its scale (a close-up of the
/// cutover window).
pub fn gantt(plan: &Plan, data_date: Option<Moment>, range: Option<(Moment, Moment)>) -> String {
    let p = plan.project;
    let s = &plan.schedule;
    let (rows, all) = chart_rows(plan, range);
    if rows.is_empty() {
        return "<p>No tasks.</p>\n".to_owned();
    }
    let mut lo = rows
        .iter()
        .map(|&t| s.tasks[t].early_start.0)
        .min()
        .unwrap_or(0);
    let mut hi = rows
        .iter()
        .map(|&t| s.tasks[t].early_finish.0)
        .max()
        .unwrap_or(0);
    hi = hi.max(s.go_live.0);
    if let Some(w) = p.window {
        lo = lo.min(w.opens.0);
        hi = hi.max(plan.fit.closes.unwrap_or(w.closes).0);
    }
    let data_date = data_date.filter(|_| range.is_none());
    if let Some(d) = data_date {
        lo = lo.min(d.0);
        hi = hi.max(d.0);
    }
    if let Some((a, b)) = range {
        (lo, hi) = (a.0, b.0);
    }
    let span = (hi - lo).max(60) as f64;
    let (label_w, chart_w, row_h, top) = (190.0, 760.0, 11.0, 18.0);
    let x = |m: i64| label_w + (m - lo) as f64 / span * chart_w;
    let height = top + rows.len() as f64 * row_h + 8.0;
    let width = label_w + chart_w + 10.0;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-label=\"Gantt chart of the plan\">"
    );
    if let Some(w) = p.window {
        let (a, b) = (x(w.opens.0), x(plan.fit.closes.unwrap_or(w.closes).0));
        let _ = writeln!(
            o,
            "<rect x=\"{a:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#e6efff\"><title>Cutover window</title></rect>",
            (b - a).max(0.5),
            height - top
        );
        let _ = writeln!(o, "<text x=\"{a:.1}\" y=\"7\">cutover window</text>");
    }
    // Ticks: days, or weeks on long plans.
    let day = 1440;
    let hours = span as i64 <= 4 * day;
    let step = match span as i64 / day {
        _ if hours => 360,
        0..=14 => day,
        15..=120 => 7 * day,
        _ => 28 * day,
    };
    let mut t = lo - lo.rem_euclid(if hours { 360 } else { day });
    while t <= hi {
        if t >= lo {
            let _ = writeln!(
                o,
                "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{top:.1}\" y2=\"{height:.1}\" stroke=\"#eef0f3\"/><text x=\"{0:.1}\" y=\"{1:.1}\" fill=\"#889\">{2}</text>",
                x(t),
                top - 2.0,
                local_label(Moment(t), &p.tz)
                    .get(5..if hours { 16 } else { 10 })
                    .unwrap_or("")
            );
        }
        t += step;
    }
    for (i, &task) in rows.iter().enumerate() {
        let d = &s.tasks[task];
        let info = &p.tasks[task];
        let y = top + i as f64 * row_h;
        let label: String = if info.id.chars().count() > 34 {
            info.id.chars().take(33).chain(['…']).collect()
        } else {
            info.id.clone()
        };
        let _ = writeln!(
            o,
            "<text x=\"2\" y=\"{:.1}\">{}</text>",
            y + 8.0,
            text(&label)
        );
        let fill = if d.state == crate::schedule::State::Done {
            "#9aa3ad"
        } else if d.critical {
            "#c62828"
        } else {
            "#3d6fb6"
        };
        let tip = format!(
            "{}: {} to {}{}",
            info.name,
            local_label(d.early_start, &p.tz),
            local_label(d.early_finish, &p.tz),
            if d.critical { " (critical)" } else { "" }
        );
        if info.milestone || d.early_finish == d.early_start {
            let cx = x(d.early_start.0);
            let cy = y + 5.0;
            let _ = writeln!(
                o,
                "<path d=\"M{cx:.1} {:.1} l4 4 l-4 4 l-4 -4 z\" fill=\"{fill}\"><title>{}</title></path>",
                cy - 4.0,
                attr(&tip)
            );
        } else {
            let (a, b) = (x(d.early_start.0), x(d.early_finish.0));
            let _ = writeln!(
                o,
                "<rect x=\"{a:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"8\" rx=\"1\" fill=\"{fill}\"><title>{}</title></rect>",
                y + 1.0,
                (b - a).max(1.0),
                attr(&tip)
            );
        }
    }
    let mut marker = |m: Moment, colour: &str, label: &str, label_y: f64, anchor: &str| {
        let mx = x(m.0);
        let _ = writeln!(
            o,
            "<line x1=\"{mx:.1}\" x2=\"{mx:.1}\" y1=\"{top:.1}\" y2=\"{height:.1}\" stroke=\"{colour}\" stroke-width=\"1.2\" stroke-dasharray=\"3 2\"/><text x=\"{mx:.1}\" y=\"{label_y:.1}\" fill=\"{colour}\" text-anchor=\"{anchor}\">{label}</text>"
        );
    };
    marker(s.go_live, "#b3261e", " go-live", height - 1.0, "start");
    if let Some(d) = data_date {
        marker(d, "#444", "data date ", height - 1.0, "end");
    }
    o.push_str("</svg>\n");
    if all > rows.len() {
        let _ = writeln!(
            o,
            "<p class=\"detail\">Showing {} of {all} tasks: critical tasks and milestones first.</p>",
            rows.len()
        );
    }
    o.push_str("<p class=\"detail\">Red: critical; blue: other tasks; grey: done; diamonds: milestones; shaded: cutover window.</p>\n");
    o
}
