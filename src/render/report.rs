//! `cutover gates` and `cutover report` as a terminal table, Markdown and JSON.
//! (HTML is in [`super::html`].)

use std::fmt::Write as _;
use std::io::Write;

use serde::Serialize;

use super::plan::{points_of_no_return, signed, summary};
use super::table::{Style, Tone, cell, key_values, markdown_escape, table};
use super::{Format, Render, RenderError, put, put_json};
use crate::decision::{Decision, Reason, Source, Weight};
use crate::gates::{CriterionResult, GateResult, Measured, Verdict, number, severity_label};
use crate::project::{Criterion, CriterionKind, Project};
use crate::report::Report;
use crate::status::RunInfo;
use crate::time::{Elapsed, day_label, local_label, rfc3339, t_label};

pub(crate) fn verdict_tone(v: Verdict) -> Tone {
    match v {
        Verdict::Pass => Tone::Good,
        Verdict::NotYetDue => Tone::Muted,
        Verdict::AtRisk | Verdict::NoData => Tone::Warn,
        Verdict::Fail => Tone::Bad,
    }
}

pub(crate) fn decision_tone(d: Decision) -> Tone {
    match d {
        Decision::Go => Tone::Good,
        Decision::GoWithConditions => Tone::Warn,
        Decision::NoGo => Tone::Bad,
    }
}

/// What the criterion asks for: `>= 92`, `all done`, `signed by CSO`.
pub fn needed(project: &Project, c: &Criterion) -> String {
    match &c.kind {
        CriterionKind::Metric {
            comparison,
            threshold,
            ..
        } => {
            let op = comparison.sign();
            format!("{op} {}", number(*threshold))
        }
        CriterionKind::TasksDone(tasks) => format!("{} done", tasks.len()),
        CriterionKind::WorkstreamDone { at_least, .. } => format!(">= {}%", number(*at_least)),
        CriterionKind::FloatToGoLive(m) => format!(">= {}", Elapsed(*m)),
        CriterionKind::FitsWindow => {
            if project.window.is_some() {
                "fits the window".to_owned()
            } else {
                "ready by go-live".to_owned()
            }
        }
        CriterionKind::Signoff { by, .. } => match by {
            Some(b) => format!("signed by {b}"),
            None => "signed".to_owned(),
        },
    }
}

/// The measured value in a few words.
pub fn measured(project: &Project, m: Option<&Measured>) -> String {
    let tz = &project.tz;
    match m {
        None => "-".to_owned(),
        Some(Measured::Reading(r)) => {
            format!("{} ({})", number(r.value), &local_label(r.at, tz)[..10])
        }
        Some(Measured::TasksDone { done, of }) => format!("{done} of {of} done"),
        Some(Measured::Percent(p)) => format!("{}%", number(*p)),
        Some(Measured::Float(f)) => signed(*f),
        Some(Measured::WindowMargin(f)) if *f < 0 => format!("overruns by {}", signed(-*f)),
        Some(Measured::WindowMargin(f)) => format!("{} to spare", signed(*f)),
        Some(Measured::Signed { by, at }) => {
            let mut s = by.clone().unwrap_or_else(|| "signed".to_owned());
            if let Some(at) = at {
                let _ = write!(s, " ({})", &local_label(*at, tz)[..10]);
            }
            s
        }
    }
}

/// Where a reason comes from, for people: `gate data-readiness: Reconciliation`.
pub fn source_label(project: &Project, source: &Source) -> String {
    match source {
        Source::Criterion { gate, criterion } => {
            let g = &project.gates[*gate];
            format!("gate `{}`: {}", g.id, g.criteria[*criterion].label)
        }
        Source::Task(t) => format!("task `{}`", project.tasks[*t].id),
        Source::GoLive => "plan vs go-live".to_owned(),
        Source::Window => "plan vs cutover window".to_owned(),
        Source::Evidence => "status file".to_owned(),
        Source::Gates => "readiness gates".to_owned(),
    }
}

fn weight_label(w: Weight) -> &'static str {
    match w {
        Weight::NoGo => "NO-GO",
        Weight::Condition => "condition",
        Weight::Note => "note",
    }
}

fn weight_tone(w: Weight) -> Tone {
    match w {
        Weight::NoGo => Tone::Bad,
        Weight::Condition => Tone::Warn,
        Weight::Note => Tone::Muted,
    }
}

fn header(report: &Report, style: Style) -> String {
    let p = report.plan.project;
    let d = report.outcome.decision;
    let run = RunInfo::of(&report.status);
    let mut rows = vec![("Runbook", p.name.clone(), Tone::Plain)];
    if let Some(r) = &run {
        let tone = if r.is_rehearsal() {
            Tone::Bad
        } else {
            Tone::Plain
        };
        rows.push(("Run", r.label.clone(), tone));
    }
    rows.extend([
        (
            "Data date",
            format!(
                "{} ({}), {}",
                local_label(report.status.as_of, &p.tz),
                t_label(report.status.as_of, report.plan.schedule.go_live),
                report.status.source.label()
            ),
            Tone::Plain,
        ),
        (
            "Decision",
            super::board::decision_words(d.label(), run.as_ref()),
            decision_tone(d),
        ),
    ]);
    let mut out = String::new();
    if let Some(banner) = super::board::rehearsal_banner(run.as_ref()) {
        match style {
            Style::Markdown => {
                let _ = writeln!(out, "> **{}**\n", markdown_escape(&banner));
            }
            Style::Terminal { .. } => {
                let _ = writeln!(out, "{banner}\n");
            }
        }
    }
    out.push_str(&key_values(style, &rows));
    out
}

fn gate_table(report: &Report, style: Style) -> String {
    let p = report.plan.project;
    let go_live = report.plan.schedule.go_live;
    let mut t = table(
        style,
        &[
            "Gate",
            "Due",
            "Criterion",
            "Severity",
            "Owner",
            "Measured",
            "Needed",
            "Result",
        ],
    );
    for g in &report.gates {
        let gate = &p.gates[g.gate];
        let due = format!(
            "{} ({})",
            local_label(g.due, &p.tz),
            t_label(g.due, go_live)
        );
        t.add_row(vec![
            cell(style, &format!("{} {}", gate.id, gate.name), Tone::Plain),
            cell(style, &due, Tone::Plain),
            cell(style, "", Tone::Plain),
            cell(style, "", Tone::Plain),
            cell(style, gate.owner.as_deref().unwrap_or(""), Tone::Plain),
            cell(style, "", Tone::Plain),
            cell(style, "", Tone::Plain),
            cell(style, g.verdict.label(), verdict_tone(g.verdict)),
        ]);
        for (c, r) in gate.criteria.iter().zip(&g.criteria) {
            let owner = c.owner.as_deref().or(gate.owner.as_deref()).unwrap_or("");
            t.add_row(vec![
                cell(style, "", Tone::Plain),
                cell(style, "", Tone::Plain),
                cell(style, &c.label, Tone::Plain),
                cell(
                    style,
                    severity_label(c.severity),
                    if c.severity == crate::model::gate::Severity::Blocker {
                        Tone::Bad
                    } else {
                        Tone::Plain
                    },
                ),
                cell(style, owner, Tone::Plain),
                cell(style, &measured(p, r.measured.as_ref()), Tone::Plain),
                cell(style, &needed(p, c), Tone::Plain),
                cell(style, r.verdict.label(), verdict_tone(r.verdict)),
            ]);
        }
    }
    // In a narrow terminal: severity, owner, due, then what is needed go first.
    super::table::fit(&mut t, style, &[3, 4, 1, 6]);
    format!("{t}\n")
}

/// Every criterion that did not pass, with why.
pub(crate) fn findings(report: &Report, style: Style) -> String {
    let p = report.plan.project;
    let mut out = String::new();
    for g in &report.gates {
        let gate = &p.gates[g.gate];
        for (c, r) in gate.criteria.iter().zip(&g.criteria) {
            if r.verdict == Verdict::Pass {
                continue;
            }
            let line = format!(
                "{} / {}: {}: {}",
                gate.id,
                c.label,
                r.verdict.label(),
                r.detail
            );
            match style {
                Style::Markdown => {
                    let _ = writeln!(out, "- {}", markdown_escape(&line));
                }
                Style::Terminal { width, .. } => {
                    let _ = writeln!(
                        out,
                        "{}",
                        super::table::wrap(&format!("  - {line}"), width, 4)
                    );
                }
            }
        }
    }
    out
}

fn reasons_list(report: &Report, style: Style) -> String {
    let p = report.plan.project;
    let mut out = String::new();
    if report.outcome.reasons.is_empty() {
        out.push_str(match style {
            Style::Markdown => "- Every due criterion passes, and the plan fits.\n",
            Style::Terminal { .. } => "  Every due criterion passes, and the plan fits.\n",
        });
        return out;
    }
    let mut t = table(
        style,
        &[
            "Weight",
            "Source",
            "Reason",
            "Owner",
            "By",
            "What must happen",
        ],
    );
    for r in &report.outcome.reasons {
        let clear = r.clear.as_ref();
        t.add_row(vec![
            cell(style, weight_label(r.weight), weight_tone(r.weight)),
            cell(style, &source_label(p, &r.source), Tone::Plain),
            cell(style, &r.text, Tone::Plain),
            cell(
                style,
                clear.and_then(|c| c.owner.as_deref()).unwrap_or(""),
                Tone::Plain,
            ),
            cell(
                style,
                &clear
                    .and_then(|c| c.due)
                    .map_or(String::new(), |d| day_label(d, &p.tz)),
                Tone::Plain,
            ),
            cell(style, clear.map_or("", |c| c.needed.as_str()), Tone::Plain),
        ]);
    }
    // In a narrow terminal: owner, date, then the source go first.
    super::table::fit(&mut t, style, &[3, 4, 1]);
    let _ = writeln!(out, "{t}");
    out
}

/// What `cutover gates` shows: the report's gates and their criteria. Its JSON and
/// HTML are the paper's.
#[derive(Debug)]
pub struct Gates<'a>(pub crate::paper::Paper<'a>);

impl Render for Report<'_> {
    fn render(&self, format: Format, out: &mut dyn Write) -> Result<(), RenderError> {
        match format {
            Format::Table { color, width } => {
                put(out, &report_text(self, Style::Terminal { color, width }))
            }
            Format::Markdown => put(out, &report_text(self, Style::Markdown)),
            Format::Json => put_json(out, &json(self)),
            _ => Err(RenderError::Unsupported {
                what: "the go/no-go report",
                format,
            }),
        }
    }
}

impl Render for Gates<'_> {
    fn render(&self, format: Format, out: &mut dyn Write) -> Result<(), RenderError> {
        match format {
            Format::Table { color, width } => put(
                out,
                &gates_text(&self.0.report, Style::Terminal { color, width }),
            ),
            Format::Markdown => put(out, &gates_text(&self.0.report, Style::Markdown)),
            _ => self.0.render(format, out),
        }
    }
}

/// `cutover gates`: the gates and their criteria.
fn gates_text(report: &Report, style: Style) -> String {
    let mut out = String::new();
    if style == Style::Markdown {
        let _ = writeln!(
            out,
            "# Readiness gates: {}\n",
            markdown_escape(&report.plan.project.name)
        );
    }
    out.push_str(&header(report, style));
    out.push('\n');
    out.push_str(&gate_table(report, style));
    let f = findings(report, style);
    if !f.is_empty() {
        out.push_str(match style {
            Style::Markdown => "\n## Findings\n\n",
            Style::Terminal { .. } => "\nFindings:\n",
        });
        out.push_str(&f);
    }
    out
}

/// `cutover report` in the terminal: the decision, reasons, plan and gates.
pub(crate) fn report_text(report: &Report, style: Style) -> String {
    let p = report.plan.project;
    let md = style == Style::Markdown;
    let mut out = String::new();
    let section = |out: &mut String, title: &str| {
        if md {
            let _ = writeln!(out, "\n## {title}\n");
        } else {
            let _ = writeln!(out, "\n{title}:");
        }
    };
    if md {
        let _ = writeln!(
            out,
            "# Go/no-go: {}\n\n> **Decision: {}** as of {}\n",
            markdown_escape(&p.name),
            super::board::decision_words(
                report.outcome.decision.label(),
                RunInfo::of(&report.status).as_ref()
            ),
            local_label(report.status.as_of, &p.tz)
        );
    }
    out.push_str(&header(report, style));
    section(&mut out, "Reasons");
    out.push_str(&reasons_list(report, style));
    section(&mut out, "Plan");
    out.push_str(&summary(&report.plan, style));
    if let Some(chain) = report.plan.critical.chains.first() {
        let ids: Vec<&str> = chain.iter().map(|&t| p.tasks[t].id.as_str()).collect();
        let line = format!(
            "Critical path ({} tasks): {}",
            chain.len(),
            ids.join(" -> ")
        );
        match style {
            Style::Markdown => {
                let _ = writeln!(out, "\n{}", markdown_escape(&line));
            }
            Style::Terminal { width, .. } => {
                let _ = writeln!(out, "\n{}", super::table::wrap(&line, width, 2));
            }
        }
    }
    if let Some(t) = points_of_no_return(&report.plan, style) {
        section(&mut out, "Points of no return");
        out.push_str(&t);
    }
    section(&mut out, "Readiness gates");
    out.push_str(&gate_table(report, style));
    let f = findings(report, style);
    if !f.is_empty() {
        section(&mut out, "Findings");
        out.push_str(&f);
    }
    out
}

#[derive(Serialize)]
pub(crate) struct JsonReport<'a> {
    format: u32,
    runbook: &'a str,
    timezone: &'a str,
    data_date: String,
    data_date_source: &'static str,
    /// The run the status file names (`rehearsal:` or `run:`), if it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    run: Option<RunInfo>,
    go_live: String,
    decision: &'static str,
    reasons: Vec<JsonReason>,
    plan: JsonPlanSummary,
    gates: Vec<JsonGate<'a>>,
}

#[derive(Serialize)]
struct JsonReason {
    weight: &'static str,
    source: JsonSource,
    text: String,
    /// Who must act, by when, and what must be true (conditions and NO-GO reasons).
    #[serde(skip_serializing_if = "Option::is_none")]
    to_clear: Option<JsonClearance>,
}

#[derive(Serialize)]
struct JsonClearance {
    owner: Option<String>,
    due: Option<String>,
    needed: String,
}

#[derive(Serialize)]
struct JsonSource {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    gate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    criterion: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    task: Option<String>,
}

#[derive(Serialize)]
struct JsonPlanSummary {
    ready: String,
    finish: String,
    float_to_go_live_minutes: i64,
    float_to_window_close_minutes: Option<i64>,
    fits: bool,
    critical_path: Vec<String>,
}

#[derive(Serialize)]
struct JsonGate<'a> {
    id: &'a str,
    name: &'a str,
    owner: Option<&'a str>,
    due: String,
    t_minus: String,
    is_due: bool,
    result: &'static str,
    criteria: Vec<JsonCriterion<'a>>,
}

#[derive(Serialize)]
struct JsonCriterion<'a> {
    name: &'a str,
    kind: &'static str,
    severity: &'static str,
    owner: Option<&'a str>,
    result: &'static str,
    needed: String,
    measured: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trend: Option<JsonTrend>,
    tasks: Vec<&'a str>,
    detail: &'a str,
}

#[derive(Serialize)]
struct JsonTrend {
    per_day: f64,
    at_due: f64,
    reaches_threshold: Option<String>,
}

fn kind_name(k: &CriterionKind) -> &'static str {
    match k {
        CriterionKind::Metric { .. } => "metric",
        CriterionKind::TasksDone(_) => "tasks_done",
        CriterionKind::WorkstreamDone { .. } => "workstream_done",
        CriterionKind::FloatToGoLive(_) => "float_to_go_live",
        CriterionKind::FitsWindow => "fits_window",
        CriterionKind::Signoff { .. } => "signoff",
    }
}

fn measured_json(project: &Project, m: &Measured) -> serde_json::Value {
    use serde_json::json;
    let tz = &project.tz;
    match m {
        Measured::Reading(r) => json!({ "value": r.value, "at": rfc3339(r.at, tz) }),
        Measured::TasksDone { done, of } => json!({ "done": done, "of": of }),
        Measured::Percent(p) => json!({ "percent": p }),
        Measured::Float(f) => json!({ "float_minutes": f }),
        Measured::WindowMargin(f) => json!({ "margin_minutes": f }),
        Measured::Signed { by, at } => {
            json!({ "by": by, "at": at.map(|a| rfc3339(a, tz)) })
        }
    }
}

fn source_json(project: &Project, s: &Source) -> JsonSource {
    let none = JsonSource {
        kind: "",
        gate: None,
        criterion: None,
        task: None,
    };
    match s {
        Source::Criterion { gate, criterion } => JsonSource {
            kind: "criterion",
            gate: Some(project.gates[*gate].id.clone()),
            criterion: Some(project.gates[*gate].criteria[*criterion].label.clone()),
            ..none
        },
        Source::Task(t) => JsonSource {
            kind: "task",
            task: Some(project.tasks[*t].id.clone()),
            ..none
        },
        Source::GoLive => JsonSource {
            kind: "go_live",
            ..none
        },
        Source::Window => JsonSource {
            kind: "window",
            ..none
        },
        Source::Evidence => JsonSource {
            kind: "evidence",
            ..none
        },
        Source::Gates => JsonSource {
            kind: "gates",
            ..none
        },
    }
}

fn criterion_json<'a>(
    project: &'a Project,
    c: &'a Criterion,
    r: &'a CriterionResult,
) -> JsonCriterion<'a> {
    let tz = &project.tz;
    JsonCriterion {
        name: &c.label,
        kind: kind_name(&c.kind),
        severity: severity_label(c.severity),
        owner: c.owner.as_deref(),
        result: r.verdict.label(),
        needed: needed(project, c),
        measured: r.measured.as_ref().map(|m| measured_json(project, m)),
        trend: r.trend.map(|t| JsonTrend {
            per_day: t.per_day,
            at_due: t.at_due,
            reaches_threshold: t.reaches.map(|m| rfc3339(m, tz)),
        }),
        tasks: r
            .tasks
            .iter()
            .map(|&t| project.tasks[t].id.as_str())
            .collect(),
        detail: &r.detail,
    }
}

fn gate_json<'a>(report: &'a Report, g: &'a GateResult) -> JsonGate<'a> {
    let p = report.plan.project;
    let gate = &p.gates[g.gate];
    JsonGate {
        id: &gate.id,
        name: &gate.name,
        owner: gate.owner.as_deref(),
        due: rfc3339(g.due, &p.tz),
        t_minus: t_label(g.due, report.plan.schedule.go_live),
        is_due: g.is_due,
        result: g.verdict.label(),
        criteria: gate
            .criteria
            .iter()
            .zip(&g.criteria)
            .map(|(c, r)| criterion_json(p, c, r))
            .collect(),
    }
}

fn reason_json(project: &Project, r: &Reason) -> JsonReason {
    let tz = &project.tz;
    JsonReason {
        to_clear: r.clear.as_ref().map(|c| JsonClearance {
            owner: c.owner.clone(),
            due: c.due.map(|d| rfc3339(d, tz)),
            needed: c.needed.clone(),
        }),
        weight: match r.weight {
            Weight::NoGo => "no_go",
            Weight::Condition => "condition",
            Weight::Note => "note",
        },
        source: source_json(project, &r.source),
        text: r.text.clone(),
    }
}

/// `cutover report --format json` and `cutover gates --format json` (docs/json.md).
pub(crate) fn json<'a>(report: &'a Report) -> JsonReport<'a> {
    let p = report.plan.project;
    let tz = &p.tz;
    let s = &report.plan.schedule;
    let fit = &report.plan.fit;
    JsonReport {
        format: 1,
        runbook: &p.name,
        timezone: &p.timezone_name,
        data_date: rfc3339(report.status.as_of, tz),
        data_date_source: report.status.source.name(),
        run: RunInfo::of(&report.status),
        go_live: rfc3339(s.go_live, tz),
        decision: report.outcome.decision.label(),
        reasons: report
            .outcome
            .reasons
            .iter()
            .map(|r| reason_json(p, r))
            .collect(),
        plan: JsonPlanSummary {
            ready: rfc3339(s.ready, tz),
            finish: rfc3339(s.finish, tz),
            float_to_go_live_minutes: fit.float_to_go_live(),
            float_to_window_close_minutes: fit.float_to_close(),
            fits: fit.fits(),
            critical_path: report
                .plan
                .critical
                .chains
                .first()
                .map(|c| c.iter().map(|&t| p.tasks[t].id.clone()).collect())
                .unwrap_or_default(),
        },
        gates: report.gates.iter().map(|g| gate_json(report, g)).collect(),
    }
}
