//! `cutover report --format html`: the board paper as one self-contained page (inline
//! CSS and SVG, no scripts, nothing fetched) that prints on A4 landscape. Every text
//! from a runbook is escaped. The parts, in order: summary (with what must happen to
//! reach GO), reasons, plan, points of no return, gates, the workstream chart; then an
//! appendix (the cutover window close-up, the notes on the driving path's tasks, and
//! with `--detail` every task). A task's notes show where the paper names it. With
//! `--tag`, the appendix's task-level charts show only the tagged tasks (and say so),
//! and the chart of every task is drawn for them without `--detail`.

use std::fmt::Write as _;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::report::{measured, needed};
use crate::decision::{Decision, Weight};
use crate::gates::{Verdict, severity_label};
use crate::paper::{Paper, Tagged};
use crate::plan::Plan;
use crate::project::TaskId;
use crate::schedule::State;
use crate::time::{Elapsed, Moment, day_label, t_label};

/// Most bars the Gantt chart draws; bigger plans show their critical and milestone
/// tasks first.
pub const GANTT_ROWS: usize = 250;

const CSS: &str = r#"
@page { size: A4 landscape; margin: 12mm; }
body { font: 9pt/1.25 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1d2430; margin: 0 auto; max-width: 1100px; padding: 16px; }
h1 { font-size: 16pt; margin: 0 0 4px; }
h2 { font-size: 11pt; margin: 8px 0 3px; border-bottom: 1px solid #ccd; padding-bottom: 2px; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10pt; margin: 6px 0 3px; break-after: avoid; }
h2.appendix { break-before: page; page-break-before: always; }
.summary { font-size: 9.5pt; margin: 3px 0; }
.also { color: #556; font-size: 8.5pt; margin: 2px 0 0 10px; padding: 0; }
.meta { color: #556; margin: 0 0 10px; }
.banner { padding: 6px 12px; border-radius: 6px; font-size: 14pt; font-weight: 700; color: #fff; margin: 8px 0; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.banner.go { background: #1b7f3b; } .banner.cond { background: #b86e00; } .banner.nogo { background: #b3261e; }
table { border-collapse: collapse; width: 100%; margin: 4px 0; page-break-inside: auto; font-size: 8.5pt; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #d5d9e0; padding: 1px 4px; text-align: left; vertical-align: top; }
th { background: #eef1f5; }
tr.gate td { background: #f7f8fa; font-weight: 600; }
.v { font-weight: 600; white-space: nowrap; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.pass { color: #1b7f3b; } .fail, .no_go { color: #b3261e; } .at_risk, .no_data, .condition { color: #b86e00; } .not_yet_due, .note { color: #667; }
.detail { color: #445; font-size: 8pt; }
.filter { font-weight: 600; margin: 3px 0; }
.nw { white-space: nowrap; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.92em; background: #f1f3f6; padding: 0 2px; border-radius: 2px; }
.chain { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 9pt; }
svg { width: 100%; height: auto; }
svg text { font: 9px system-ui, Arial, sans-serif; fill: #1d2430; }
svg .tick { font-size: 8px; fill: #667; }
figure { margin: 4px 0; break-inside: avoid; page-break-inside: avoid; }
footer { color: #889; font-size: 8pt; margin-top: 16px; }
@media print { body { padding: 0; max-width: none; } }
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

fn weight_class(w: Weight) -> (&'static str, &'static str) {
    match w {
        Weight::NoGo => ("NO-GO", "no_go"),
        Weight::Condition => ("condition", "condition"),
        Weight::Note => ("note", "note"),
    }
}

/// The board paper as HTML.
pub(crate) fn html(paper: &Paper) -> String {
    let report = &paper.report;
    let p = report.plan.project;
    let tz = &p.tz;
    let s = &report.plan.schedule;
    let d = report.outcome.decision;
    let run = crate::status::RunInfo::of(&report.status);
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
        "<p class=\"meta\">{}Data date {} ({}, {}) &middot; go-live {} &middot; times in {}</p>",
        p.organisation
            .as_deref()
            .map(|org| format!("{} &middot; ", text(org)))
            .unwrap_or_default(),
        day_label(report.status.as_of, tz),
        t_label(report.status.as_of, s.go_live),
        text(report.status.source.label()),
        day_label(s.go_live, tz),
        text(&p.timezone_name)
    );
    let class = match d {
        Decision::Go => "go",
        Decision::GoWithConditions => "cond",
        Decision::NoGo => "nogo",
    };
    let _ = writeln!(
        o,
        "{}<div class=\"banner {class}\" role=\"status\">Decision: {}</div>",
        super::board::rehearsal_banner_html(run.as_ref()),
        text(&super::board::decision_words(d.label(), run.as_ref()))
    );

    o.push_str("<h2>Summary</h2>\n");
    let _ = writeln!(o, "<p class=\"summary\">{}</p>", rich(&paper.summary));
    let actions: Vec<_> = paper
        .causes
        .iter()
        .filter(|c| c.weight != Weight::Note)
        .collect();
    if !actions.is_empty() {
        o.push_str("<h3>What must happen to reach GO</h3>\n<table>\n<thead><tr><th></th><th>What must happen</th><th>Owner</th><th>By</th></tr></thead>\n");
        for c in actions {
            let (label, class) = weight_class(c.weight);
            let clear = c.clear.as_ref();
            let _ = writeln!(
                o,
                "<tr><td class=\"v {class}\">{label}</td><td><strong>{}</strong><br>{}</td><td>{}</td><td class=\"v\">{}</td></tr>",
                rich(&c.title),
                rich(clear.map_or("", |c| c.needed.as_str())),
                text(clear.and_then(|c| c.owner.as_deref()).unwrap_or("")),
                clear
                    .and_then(|c| c.due)
                    .map_or(String::new(), |d| day_label(d, tz))
            );
        }
        o.push_str("</table>\n");
    }

    o.push_str("<h2>Reasons</h2>\n");
    if paper.causes.is_empty() {
        o.push_str("<p>Every due criterion passes, and the plan fits.</p>\n");
    } else {
        o.push_str("<table>\n<thead><tr><th>Weight</th><th>About</th><th>Why</th></tr></thead>\n");
        for c in &paper.causes {
            let (label, class) = weight_class(c.weight);
            let mut why = rich(&c.text);
            if !c.also.is_empty() {
                why.push_str("<ul class=\"also\">");
                for a in &c.also {
                    let _ = write!(why, "<li>also {}</li>", rich(a));
                }
                why.push_str("</ul>");
            }
            if let Some(n) = &c.notes {
                let _ = write!(why, "<p class=\"also\">Notes: {}</p>", text(n));
            }
            let _ = writeln!(
                o,
                "<tr><td class=\"v {class}\">{label}</td><td>{}</td><td>{why}</td></tr>",
                rich(&c.title)
            );
        }
        o.push_str("</table>\n");
    }

    // The plan in one line: readiness, float, the window, the driving path.
    let fit = &report.plan.fit;
    let mut plan_line = format!(
        "<strong>Plan:</strong> ready {} ({}), float to go-live {}",
        day_label(s.ready, tz),
        t_label(s.ready, s.go_live),
        Elapsed(fit.float_to_go_live())
    );
    if let (Some(w), Some(close)) = (p.window, fit.float_to_close()) {
        let _ = write!(
            plan_line,
            " &middot; cutover window {} to {}, float to close {}",
            day_label(w.opens, tz),
            day_label(fit.closes.unwrap_or(w.closes), tz),
            Elapsed(close)
        );
    }
    if let (Some(&first), Some(&last)) = (paper.driving.first(), paper.driving.last()) {
        let _ = write!(
            plan_line,
            " &middot; driving path of {} tasks, from {} to {} (charted below)",
            paper.driving.len(),
            text(&p.tasks[first].name),
            text(&p.tasks[last].name)
        );
    }
    let _ = writeln!(o, "<p class=\"meta\">{plan_line}</p>");

    if !fit.points_of_no_return.is_empty() {
        o.push_str("<h2>Points of no return</h2>\n<table>\n<thead><tr><th>Task</th><th>Passed at</th><th>Rollback takes</th><th>Latest safe pass</th><th>Margin</th></tr></thead>\n");
        for point in &fit.points_of_no_return {
            let task = &p.tasks[point.task];
            let margin = point.margin();
            let _ = writeln!(
                o,
                "<tr><td>{} <code>{}</code>{}</td><td class=\"nw\">{}</td><td class=\"nw\">{}</td><td class=\"nw\">{}</td><td class=\"v {}\">{}</td></tr>",
                text(&task.name),
                text(&task.id),
                task.notes.as_deref().map_or(String::new(), |n| format!(
                    "<br><span class=\"detail\">{}</span>",
                    text(n)
                )),
                day_label(point.planned, tz),
                point
                    .rollback
                    .map_or("-".to_owned(), |r| Elapsed(r).to_string()),
                point.latest.map_or("-".to_owned(), |l| day_label(l, tz)),
                match margin {
                    Some(m) if m < 0 => "fail",
                    Some(_) => "pass",
                    None => "",
                },
                margin.map_or("-".to_owned(), |m| Elapsed(m).to_string())
            );
        }
        o.push_str("</table>\n");
    }

    o.push_str("<h2>Readiness gates</h2>\n");
    o.push_str(&gates_summary(paper));
    o.push_str("<h2>Plan chart: workstreams and the driving path</h2>\n");
    o.push_str(&lanes_chart(paper));
    if !paper.driving.is_empty() {
        o.push_str(&driving_chart(paper));
    }

    if let Some(since) = &paper.since {
        o.push_str(&super::since::html(p, since));
    }

    // Everything after this marker is the appendix (scripts/print-paper.sh counts the
    // pages before it).
    o.push_str("<!-- appendix -->\n");
    if let Some(w) = p.window {
        let closes = fit.closes.unwrap_or(w.closes);
        let to = Moment(closes.0.max(s.ready.0).max(s.go_live.0));
        o.push_str("<h2 class=\"appendix\">Appendix: the cutover window, task by task</h2>\n");
        o.push_str(&tagged_statement(paper));
        o.push_str(&task_chart(
            &report.plan,
            paper.tagged.as_ref(),
            None,
            Some((w.opens, to)),
        ));
    }
    o.push_str(&driving_notes(paper));
    o.push_str("<h2 class=\"appendix\">Appendix: every gate criterion</h2>\n<table>\n<thead><tr><th>Gate / criterion</th><th>Due</th><th>Severity</th><th>Owner</th><th>Measured</th><th>Needed</th><th>Result</th></tr></thead>\n");
    for g in &report.gates {
        let gate = &p.gates[g.gate];
        let _ = writeln!(
            o,
            "<tr class=\"gate\"><td>{} <code>{}</code></td><td class=\"v\">{} ({})</td><td></td><td>{}</td><td></td><td></td><td class=\"v {}\">{}</td></tr>",
            text(&gate.name),
            text(&gate.id),
            day_label(g.due, tz),
            t_label(g.due, s.go_live),
            text(gate.owner.as_deref().unwrap_or("")),
            verdict_class(g.verdict),
            g.verdict.label()
        );
        for (c, r) in gate.criteria.iter().zip(&g.criteria) {
            let owner = c.owner.as_deref().or(gate.owner.as_deref()).unwrap_or("");
            let detail = if r.verdict == Verdict::Pass {
                String::new()
            } else {
                format!(
                    "<div class=\"detail\">{}</div>",
                    rich(&crate::paper::name_ids(p, &r.detail))
                )
            };
            let _ = writeln!(
                o,
                "<tr><td>{}{detail}</td><td></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"v {}\">{}</td></tr>",
                text(&c.label),
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

    if paper.detail || paper.tagged.is_some() {
        o.push_str(if paper.tagged.is_some() {
            "<h2 class=\"appendix\">Appendix: the tagged tasks</h2>\n"
        } else {
            "<h2 class=\"appendix\">Appendix: every task</h2>\n"
        });
        o.push_str(&tagged_statement(paper));
        o.push_str(&task_chart(
            &report.plan,
            paper.tagged.as_ref(),
            Some(report.status.as_of),
            None,
        ));
    }
    let _ = writeln!(
        o,
        "<footer>Made by cutover {} from the runbook and status file; every line names its source. The decision rules are in docs/decision.md.</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    o
}

/// One row per gate with its result and a count of its criteria by result, then the
/// criteria that fail, are at risk or have no data. Every criterion is in the appendix.
fn gates_summary(paper: &Paper) -> String {
    let report = &paper.report;
    let p = report.plan.project;
    let tz = &p.tz;
    let s = &report.plan.schedule;
    let mut o = String::from(
        "<table>\n<thead><tr><th>Gate / criterion</th><th>Due</th><th>Owner</th><th>Measured</th><th>Needed</th><th>Result</th></tr></thead>\n",
    );
    for g in &report.gates {
        let gate = &p.gates[g.gate];
        let count = |v: Verdict| g.criteria.iter().filter(|r| r.verdict == v).count();
        let counts: Vec<String> = [
            Verdict::Pass,
            Verdict::Fail,
            Verdict::AtRisk,
            Verdict::NoData,
            Verdict::NotYetDue,
        ]
        .into_iter()
        .filter_map(|v| {
            let n = count(v);
            (n > 0).then(|| format!("{n} {}", v.label()))
        })
        .collect();
        let _ = writeln!(
            o,
            "<tr class=\"gate\"><td>{} <code>{}</code><div class=\"detail\">{} criteria: {}</div></td><td class=\"v\">{} ({})</td><td>{}</td><td></td><td></td><td class=\"v {}\">{}</td></tr>",
            text(&gate.name),
            text(&gate.id),
            g.criteria.len(),
            counts.join(", "),
            day_label(g.due, tz),
            t_label(g.due, s.go_live),
            text(gate.owner.as_deref().unwrap_or("")),
            verdict_class(g.verdict),
            g.verdict.label()
        );
        for (c, r) in gate.criteria.iter().zip(&g.criteria) {
            if !matches!(r.verdict, Verdict::Fail | Verdict::AtRisk | Verdict::NoData) {
                continue;
            }
            let owner = c.owner.as_deref().or(gate.owner.as_deref()).unwrap_or("");
            let _ = writeln!(
                o,
                "<tr><td>{} ({})<div class=\"detail\">{}</div></td><td></td><td>{}</td><td class=\"nw\">{}</td><td class=\"nw\">{}</td><td class=\"v {}\">{}</td></tr>",
                text(&c.label),
                severity_label(c.severity),
                rich(&crate::paper::name_ids(p, &r.detail)),
                text(owner),
                text(&measured(p, r.measured.as_ref())),
                text(&needed(p, c)),
                verdict_class(r.verdict),
                r.verdict.label()
            );
        }
    }
    o.push_str("</table>\n");
    o
}

/// With `--tag`, the filter in words above a task-level chart.
fn tagged_statement(paper: &Paper) -> String {
    paper
        .tagged
        .as_ref()
        .map(|t| format!("<p class=\"filter\">{}.</p>\n", text(&t.statement)))
        .unwrap_or_default()
}

/// The tasks the chart shows (of `tagged`'s tasks, with `--tag`): all of them when
/// they fit, otherwise critical tasks and milestones first, then the rest by early
/// start, up to [`GANTT_ROWS`].
fn chart_rows(
    plan: &Plan,
    tagged: Option<&Tagged>,
    range: Option<(Moment, Moment)>,
) -> (Vec<TaskId>, usize) {
    let s = &plan.schedule;
    let candidates: Vec<TaskId> = tagged.map_or_else(
        || (0..plan.project.tasks.len()).collect(),
        |t| t.tasks.clone(),
    );
    let mut rows: Vec<TaskId> = candidates
        .into_iter()
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

/// How a bar is drawn.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Normal,
    Critical,
    Done,
}

/// One row of a chart.
struct Bar {
    label: String,
    start: Moment,
    finish: Moment,
    kind: Kind,
    milestone: bool,
    tip: String,
    /// A section heading row (no bar).
    heading: bool,
}

/// Label width (characters) in the chart's left column.
const LABEL_CHARS: usize = 46;

fn short(label: &str) -> String {
    if label.chars().count() > LABEL_CHARS {
        label.chars().take(LABEL_CHARS - 1).chain(['…']).collect()
    } else {
        label.to_owned()
    }
}

/// One bar per workstream, on the whole plan's scale.
fn lanes_chart(paper: &Paper) -> String {
    let plan = &paper.report.plan;
    let tz = &plan.project.tz;
    let bars: Vec<Bar> = paper
        .lanes
        .iter()
        .map(|l| Bar {
            label: short(&format!("{} ({} tasks, {} done)", l.name, l.tasks, l.done)),
            start: l.start,
            finish: l.finish,
            kind: if l.done == l.tasks {
                Kind::Done
            } else if l.critical > 0 {
                Kind::Critical
            } else {
                Kind::Normal
            },
            milestone: false,
            tip: format!(
                "{}: {} to {}; {} critical",
                l.name,
                day_label(l.start, tz),
                day_label(l.finish, tz),
                l.critical
            ),
            heading: false,
        })
        .collect();
    let mut lo = bars.iter().map(|b| b.start.0).min().unwrap_or(0);
    let mut hi = bars.iter().map(|b| b.finish.0).max().unwrap_or(0);
    let as_of = paper.report.status.as_of;
    lo = lo.min(as_of.0);
    hi = hi.max(as_of.0).max(plan.schedule.go_live.0);
    let mut o = chart(
        plan,
        &bars,
        (lo, hi),
        Some(as_of),
        "Workstreams from first start to last finish",
        11.0,
    );
    o.push_str("<p class=\"detail\">Each workstream from its first start to its last finish. Red: has critical tasks; blue: on plan; grey: all done; dashed: data date and go-live; shaded: the cutover window.</p>\n");
    o
}

/// The runbook's notes on the tasks of the driving path, for the appendix (page 2 has
/// no room for them in the acute trust's paper).
fn driving_notes(paper: &Paper) -> String {
    let p = paper.report.plan.project;
    let items: Vec<String> = paper
        .driving
        .iter()
        .filter_map(|&t| {
            let task = &p.tasks[t];
            task.notes.as_deref().map(|n| {
                format!(
                    "<tr><td>{} <code>{}</code></td><td>{}</td></tr>\n",
                    text(&task.name),
                    text(&task.id),
                    text(n)
                )
            })
        })
        .collect();
    if items.is_empty() {
        return String::new();
    }
    format!(
        "<h3>Notes on the driving path</h3>\n<table>\n<thead><tr><th>Task</th><th>Notes</th></tr></thead>\n{}</table>\n",
        items.concat()
    )
}

/// The driving path, task by task with names, on its own scale.
fn driving_chart(paper: &Paper) -> String {
    let plan = &paper.report.plan;
    let bars: Vec<Bar> = paper.driving.iter().map(|&t| task_bar(plan, t)).collect();
    let lo = bars.iter().map(|b| b.start.0).min().unwrap_or(0);
    let hi = bars
        .iter()
        .map(|b| b.finish.0)
        .max()
        .unwrap_or(0)
        .max(plan.schedule.go_live.0);
    let mut o = chart(
        plan,
        &bars,
        (lo, hi),
        None,
        "The driving path to go-live",
        9.5,
    );
    let noted = paper
        .driving
        .iter()
        .any(|&t| plan.project.tasks[t].notes.is_some());
    let _ = writeln!(
        o,
        "<p class=\"detail\">The driving path, task by task: the chain that sets when the plan is ready; a delay to any of its tasks delays go-live.{}</p>",
        if noted {
            " The notes on its tasks are in the appendix."
        } else {
            ""
        }
    );
    o
}

fn task_bar(plan: &Plan, t: TaskId) -> Bar {
    let p = plan.project;
    let d = &plan.schedule.tasks[t];
    let info = &p.tasks[t];
    Bar {
        label: short(&info.name),
        start: d.early_start,
        finish: d.early_finish,
        kind: if d.state == State::Done {
            Kind::Done
        } else if d.critical {
            Kind::Critical
        } else {
            Kind::Normal
        },
        milestone: info.milestone || d.early_finish == d.early_start,
        tip: format!(
            "{} ({}): {} to {}{}",
            info.name,
            info.id,
            day_label(d.early_start, &p.tz),
            day_label(d.early_finish, &p.tz),
            if d.critical { " (critical)" } else { "" }
        ),
        heading: false,
    }
}

/// Task-level chart: every task (or those overlapping `range`, on its scale).
fn task_chart(
    plan: &Plan,
    tagged: Option<&Tagged>,
    data_date: Option<Moment>,
    range: Option<(Moment, Moment)>,
) -> String {
    let p = plan.project;
    let s = &plan.schedule;
    let (rows, all) = chart_rows(plan, tagged, range);
    if rows.is_empty() {
        return "<p>No tasks.</p>\n".to_owned();
    }
    let bars: Vec<Bar> = rows.iter().map(|&t| task_bar(plan, t)).collect();
    let (lo, hi) = if let Some((a, b)) = range {
        (a.0, b.0)
    } else {
        let mut lo = bars.iter().map(|b| b.start.0).min().unwrap_or(0);
        let mut hi = bars.iter().map(|b| b.finish.0).max().unwrap_or(0);
        hi = hi.max(s.go_live.0);
        if let Some(w) = p.window {
            lo = lo.min(w.opens.0);
            hi = hi.max(plan.fit.closes.unwrap_or(w.closes).0);
        }
        if let Some(d) = data_date {
            lo = lo.min(d.0);
            hi = hi.max(d.0);
        }
        (lo, hi)
    };
    let mut o = chart(
        plan,
        &bars,
        (lo, hi),
        data_date,
        "Gantt chart of the tasks",
        11.0,
    );
    if all > rows.len() {
        let _ = writeln!(
            o,
            "<p class=\"detail\">Showing {} of {all} tasks: critical tasks and milestones first.</p>",
            rows.len()
        );
    }
    o.push_str("<p class=\"detail\">Red: critical; blue: other tasks; grey: done; diamonds: milestones; shaded: cutover window. Bars that begin before the chart's first date are cut at its edge.</p>\n");
    o
}

/// Writes a tick's label from its local date and time.
type TickLabel = fn(&jiff::civil::DateTime) -> String;

/// Tick spacing and label for a span: the smallest step whose labels do not touch.
fn ticks(span: i64, chart_w: f64) -> (i64, TickLabel) {
    const HOUR: i64 = 60;
    const DAY: i64 = 1440;
    fn hour(dt: &jiff::civil::DateTime) -> String {
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        format!(
            "{} {:02}:{:02}",
            DAYS[dt.weekday().to_monday_zero_offset() as usize],
            dt.hour(),
            dt.minute()
        )
    }
    fn day(dt: &jiff::civil::DateTime) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        format!("{} {}", dt.day(), MONTHS[(dt.month() - 1) as usize])
    }
    fn month(dt: &jiff::civil::DateTime) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        format!("{} {}", MONTHS[(dt.month() - 1) as usize], dt.year() % 100)
    }
    // (step, label, label width in chart units at 8px: about 4.6 a character, plus a gap)
    let candidates: [(i64, TickLabel, f64); 11] = [
        (HOUR, hour, 50.0),
        (2 * HOUR, hour, 50.0),
        (3 * HOUR, hour, 50.0),
        (6 * HOUR, hour, 50.0),
        (12 * HOUR, hour, 50.0),
        (DAY, day, 34.0),
        (2 * DAY, day, 34.0),
        (7 * DAY, day, 34.0),
        (14 * DAY, day, 34.0),
        (28 * DAY, month, 34.0),
        (91 * DAY, month, 34.0),
    ];
    for (step, label, width) in candidates {
        if step as f64 / span.max(1) as f64 * chart_w >= width {
            return (step, label);
        }
    }
    (364 * DAY, month)
}

/// An SVG Gantt chart of `bars` between `range`, with the window shaded, go-live and
/// the data date as dashed lines. Bars are clipped to the chart area, so a bar that
/// begins before the range never covers the labels.
fn chart(
    plan: &Plan,
    bars: &[Bar],
    range: (i64, i64),
    data_date: Option<Moment>,
    aria: &str,
    row_h: f64,
) -> String {
    let p = plan.project;
    let s = &plan.schedule;
    let (lo, hi) = range;
    let span = (hi - lo).max(60) as f64;
    let (label_w, chart_w, top) = (230.0, 760.0, 18.0);
    let x = |m: i64| label_w + (m - lo) as f64 / span * chart_w;
    let height = top + bars.len() as f64 * row_h + 12.0;
    let width = label_w + chart_w + 10.0;
    let clip = format!("c{lo}-{hi}-{}", bars.len());
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-label=\"{}\">",
        attr(aria)
    );
    let _ = writeln!(
        o,
        "<defs><clipPath id=\"{clip}\"><rect x=\"{label_w:.1}\" y=\"0\" width=\"{chart_w:.1}\" height=\"{height:.1}\"/></clipPath></defs>"
    );
    let _ = writeln!(o, "<g clip-path=\"url(#{clip})\">");
    if let Some(w) = p.window {
        let (a, b) = (x(w.opens.0), x(plan.fit.closes.unwrap_or(w.closes).0));
        let _ = writeln!(
            o,
            "<rect x=\"{a:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#e6efff\"><title>Cutover window</title></rect>",
            (b - a).max(0.5),
            height - top
        );
    }
    // Ticks: the smallest step whose labels do not run together.
    let (step, label) = ticks(hi - lo, chart_w);
    let tz = &p.tz;
    let mut tick_marks = String::new();
    {
        // First tick at a round local time: the start of `lo`'s local day (or hour).
        let start = Moment(lo).local(tz);
        let first = if step < 1440 {
            start
                .with()
                .minute(0)
                .second(0)
                .subsec_nanosecond(0)
                .build()
                .unwrap_or(start)
        } else {
            start.date().to_datetime(jiff::civil::Time::midnight())
        };
        let mut t = tz
            .to_ambiguous_timestamp(first)
            .compatible()
            .map_or(lo, |ts| Moment::from_timestamp(ts).0);
        let mut n = 0;
        while t <= hi && n < 200 {
            if t >= lo {
                let dt = Moment(t).local(tz);
                let _ = writeln!(
                    tick_marks,
                    "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{top:.1}\" y2=\"{1:.1}\" stroke=\"#e3e6ea\"/><text class=\"tick\" x=\"{0:.1}\" y=\"{2:.1}\">{3}</text>",
                    x(t),
                    height - 12.0,
                    top - 4.0,
                    label(&dt)
                );
            }
            // Step in local time, so days and weeks stay on midnight across clock changes.
            t = Moment(t).shift_local(tz, step).0.max(t + 1);
            n += 1;
        }
    }
    o.push_str(&tick_marks);
    for (i, b) in bars.iter().enumerate() {
        if b.heading {
            continue;
        }
        let y = top + i as f64 * row_h;
        let fill = match b.kind {
            Kind::Done => "#9aa3ad",
            Kind::Critical => "#c62828",
            Kind::Normal => "#3d6fb6",
        };
        if b.milestone {
            let cx = x(b.start.0);
            let cy = y + row_h / 2.0;
            let _ = writeln!(
                o,
                "<path d=\"M{cx:.1} {:.1} l4.5 4.5 l-4.5 4.5 l-4.5 -4.5 z\" fill=\"{fill}\"><title>{}</title></path>",
                cy - 4.5,
                attr(&b.tip)
            );
        } else {
            let (a, e) = (x(b.start.0), x(b.finish.0));
            let _ = writeln!(
                o,
                "<rect x=\"{a:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"1\" fill=\"{fill}\"><title>{}</title></rect>",
                y + 1.0,
                (e - a).max(1.5),
                row_h - 2.0,
                attr(&b.tip)
            );
        }
    }
    let mut marker = |m: Moment, colour: &str| {
        let mx = x(m.0);
        let _ = writeln!(
            o,
            "<line x1=\"{mx:.1}\" x2=\"{mx:.1}\" y1=\"{top:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"1.2\" stroke-dasharray=\"3 2\"/>",
            height - 12.0
        );
    };
    marker(s.go_live, "#b3261e");
    if let Some(d) = data_date {
        marker(d, "#444");
    }
    o.push_str("</g>\n");
    // Labels outside the clipped area: row labels, and the markers' names below.
    for (i, b) in bars.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let _ = writeln!(
            o,
            "<text x=\"2\" y=\"{:.1}\"{}>{}</text>",
            y + row_h - 2.0,
            if b.heading {
                " font-weight=\"700\""
            } else {
                ""
            },
            text(&b.label)
        );
    }
    let in_range = |m: Moment| (lo..=hi).contains(&m.0);
    if in_range(s.go_live) {
        let _ = writeln!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#b3261e\" text-anchor=\"middle\">go-live</text>",
            x(s.go_live.0).min(label_w + chart_w - 14.0),
            height - 2.0
        );
    }
    if let Some(d) = data_date.filter(|&d| in_range(d)) {
        let _ = writeln!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#444\" text-anchor=\"end\">data date</text>",
            x(d.0),
            height - 2.0
        );
    }
    o.push_str("</svg></figure>\n");
    o
}
