//! `cutover plan` and `cutover critical-path` as a terminal table, Markdown, CSV and JSON.

use std::fmt::Write as _;
use std::io::Write;

use serde::Serialize;

use super::table::{Style, Tone, cell, key_values, table};
use super::{Format, Render, RenderError, put};
use crate::plan::{DrivingPath, Plan};
use crate::project::TaskId;
use crate::schedule::{Standing, State, TaskDates};
use crate::time::{Elapsed, Moment, Rfc3339, TMinus, local_label, rfc3339, t_label};

/// Working minutes in the task calendar's days and hours: `2d 3h` (a day being one
/// working day of that calendar), `45m`, `-1d`.
pub fn work(minutes: i64, day: i64) -> String {
    crate::time::work_label(minutes, day)
}

pub(crate) fn signed(minutes: i64) -> String {
    Elapsed(minutes).to_string()
}

fn float_tone(minutes: i64) -> Tone {
    match minutes.cmp(&0) {
        std::cmp::Ordering::Less => Tone::Bad,
        std::cmp::Ordering::Equal => Tone::Warn,
        std::cmp::Ordering::Greater => Tone::Plain,
    }
}

/// The summary lines shared by `plan` and `critical-path`.
pub(crate) fn summary(plan: &Plan, style: Style) -> String {
    let p = plan.project;
    let tz = &p.tz;
    let s = &plan.schedule;
    let fit = &plan.fit;
    let at = |m: Moment| format!("{} ({})", local_label(m, tz), t_label(m, s.go_live));
    let mut rows = vec![
        ("Runbook", p.name.clone(), Tone::Plain),
        ("Time zone", p.timezone_name.clone(), Tone::Plain),
        ("Plan start", local_label(p.start, tz), Tone::Plain),
    ];
    if let Some(d) = s.data_date {
        let from = plan.data_date_source.map_or("", |s| s.label());
        rows.push(("Data date", format!("{}, {from}", at(d)), Tone::Plain));
    }
    rows.push(("Ready for go-live", at(s.ready), Tone::Plain));
    let f = fit.float_to_go_live();
    rows.push((
        "Go-live (T-0)",
        format!("{}, float {}", local_label(s.go_live, tz), signed(f)),
        float_tone(f),
    ));
    if let (Some(w), Some(close)) = (p.window, fit.float_to_close()) {
        let verdict = if fit.fits() { "fits" } else { "DOES NOT FIT" };
        rows.push((
            "Cutover window",
            format!(
                "{} to {}, float to close {}: {verdict}",
                local_label(w.opens, tz),
                local_label(fit.closes.unwrap_or(w.closes), tz),
                signed(close)
            ),
            if fit.fits() { Tone::Good } else { Tone::Bad },
        ));
    }
    if s.finish != s.ready {
        rows.push(("Last task finishes", at(s.finish), Tone::Plain));
    }
    let after = p.tasks.len() - plan.tasks_to_go_live;
    let mut critical = format!(
        "{} of {} leading to go-live (the longest path, and float at or below {})",
        plan.critical_to_go_live, plan.tasks_to_go_live, p.thresholds.critical_float
    );
    if after > 0 {
        let _ = write!(
            critical,
            "; {} of {after} after go-live, judged against the plan's finish",
            plan.critical_tasks - plan.critical_to_go_live
        );
    }
    rows.push(("Critical tasks", critical, Tone::Plain));
    key_values(style, &rows)
}

/// The state as a person reads it, with the assumption behind an overdue task.
fn standing_text(d: &TaskDates, day: i64) -> (String, Tone) {
    match d.standing {
        Standing::NotStarted => (String::new(), Tone::Plain),
        Standing::InProgress => ("in progress".to_owned(), Tone::Plain),
        Standing::Overdue => (
            format!(
                "OVERDUE: {} left assumed",
                work(d.assumed_remaining.unwrap_or(0), day)
            ),
            Tone::Warn,
        ),
        Standing::Blocked => ("BLOCKED".to_owned(), Tone::Bad),
        Standing::Done => ("done".to_owned(), Tone::Muted),
    }
}

/// The tasks `rows`, those leading to go-live first; those after it (judged against
/// the plan's finish) in a table of their own.
pub(crate) fn task_table(plan: &Plan, rows: &[TaskId], style: Style) -> String {
    let s = &plan.schedule;
    let (before, after): (Vec<TaskId>, Vec<TaskId>) =
        rows.iter().partition(|&&i| s.tasks[i].leads_to_go_live());
    let mut out = task_rows(plan, &before, style, "Float to go-live");
    if !after.is_empty() {
        let head = format!(
            "After go-live (float to the plan's finish, {}):",
            local_label(s.finish, &plan.project.tz)
        );
        if style == Style::Markdown {
            let _ = writeln!(out, "\n{}\n", super::table::markdown_escape(&head));
        } else {
            let _ = writeln!(out, "\n{head}");
        }
        out.push_str(&task_rows(plan, &after, style, "Float to finish"));
    }
    out
}

fn task_rows(plan: &Plan, rows: &[TaskId], style: Style, float_header: &str) -> String {
    let p = plan.project;
    let tz = &p.tz;
    let s = &plan.schedule;
    let mut t = table(
        style,
        &[
            "ID",
            "Task",
            "Workstream",
            "Start",
            "Finish",
            "T-minus",
            "State",
            float_header,
            "Critical",
        ],
    );
    for &i in rows {
        let task = &p.tasks[i];
        let d = &s.tasks[i];
        let day = p.calendars[task.calendar].day_minutes;
        let (state, state_tone) = standing_text(d, day);
        let (float, tone) = match (d.state, d.judged_float()) {
            (State::Done, _) => (String::new(), Tone::Muted),
            (_, Some(f)) => (work(f, day), float_tone(f)),
            // Every way to go-live runs through tasks already started.
            (_, None) => ("-".to_owned(), Tone::Plain),
        };
        t.add_row(vec![
            cell(style, &task.id, Tone::Plain),
            cell(style, &task.name, Tone::Plain),
            cell(style, p.workstream_id(i).unwrap_or(""), Tone::Plain),
            cell(style, &local_label(d.early_start, tz), Tone::Plain),
            cell(style, &local_label(d.early_finish, tz), Tone::Plain),
            cell(style, &t_label(d.early_start, s.go_live), Tone::Plain),
            cell(style, &state, state_tone),
            cell(style, &float, tone),
            cell(style, if d.critical { "critical" } else { "" }, Tone::Bad),
        ]);
    }
    // In a narrow terminal: workstream, T-minus, finish, state, then the name go first.
    super::table::fit(&mut t, style, &[2, 5, 4, 6, 1]);
    format!("{t}\n")
}

pub(crate) fn points_of_no_return(plan: &Plan, style: Style) -> Option<String> {
    let p = plan.project;
    let tz = &p.tz;
    if plan.fit.points_of_no_return.is_empty() {
        return None;
    }
    let mut t = table(
        style,
        &[
            "Point of no return",
            "Passed at",
            "Rollback",
            "Latest pass",
            "Margin",
        ],
    );
    for point in &plan.fit.points_of_no_return {
        let margin = point.margin();
        t.add_row(vec![
            cell(style, &p.tasks[point.task].id, Tone::Plain),
            cell(style, &local_label(point.planned, tz), Tone::Plain),
            cell(
                style,
                &point.rollback.map_or("-".to_owned(), signed),
                Tone::Plain,
            ),
            cell(
                style,
                &point.latest.map_or("-".to_owned(), |l| local_label(l, tz)),
                Tone::Plain,
            ),
            cell(
                style,
                &margin.map_or("-".to_owned(), signed),
                margin.map_or(Tone::Plain, |m| if m < 0 { Tone::Bad } else { Tone::Good }),
            ),
        ]);
    }
    super::table::fit(&mut t, style, &[2, 3]);
    Some(format!("{t}\n"))
}

impl Render for Plan<'_> {
    fn render(&self, format: Format, out: &mut dyn Write) -> Result<(), RenderError> {
        match format {
            Format::Table { color, width } => {
                put(out, &text(self, Style::Terminal { color, width }))
            }
            Format::Markdown => put(out, &text(self, Style::Markdown)),
            Format::Json => json(self, out),
            Format::Csv => csv(self, out),
            Format::Ics => super::ics::ics(self, out),
            _ => Err(RenderError::Unsupported {
                what: "the plan",
                format,
            }),
        }
    }
}

impl Render for DrivingPath<'_> {
    fn render(&self, format: Format, out: &mut dyn Write) -> Result<(), RenderError> {
        match format {
            Format::Table { color, width } => put(
                out,
                &critical_text(&self.plan, Style::Terminal { color, width }),
            ),
            Format::Markdown => put(out, &critical_text(&self.plan, Style::Markdown)),
            Format::Json | Format::Csv => self.plan.render(format, out),
            _ => Err(RenderError::Unsupported {
                what: "the critical path",
                format,
            }),
        }
    }
}

/// `cutover plan` for the terminal or Markdown.
fn text(plan: &Plan, style: Style) -> String {
    let mut out = String::new();
    if style == Style::Markdown {
        let _ = writeln!(
            out,
            "# Plan: {}\n",
            super::table::markdown_escape(&plan.project.name)
        );
    }
    out.push_str(&summary(plan, style));
    out.push('\n');
    out.push_str(&task_table(plan, &plan.rows, style));
    if let Some(t) = points_of_no_return(plan, style) {
        out.push('\n');
        out.push_str(&t);
    }
    out
}

/// `cutover critical-path` for the terminal or Markdown.
fn critical_text(plan: &Plan, style: Style) -> String {
    let mut out = String::new();
    if style == Style::Markdown {
        let _ = writeln!(
            out,
            "# Critical path: {}\n",
            super::table::markdown_escape(&plan.project.name)
        );
    }
    out.push_str(&summary(plan, style));
    let count = plan.critical.chains.len();
    for (i, (chain, span)) in plan
        .critical
        .chains
        .iter()
        .zip(&plan.critical.spans)
        .enumerate()
    {
        let line = format!(
            "Driving chain {} of {count}: {} tasks, {} from {} to {}",
            i + 1,
            chain.len(),
            signed(span.length),
            local_label(span.start, &plan.project.tz),
            local_label(span.finish, &plan.project.tz),
        );
        let width = match style {
            Style::Terminal { width, .. } => width,
            Style::Markdown => None,
        };
        let _ = writeln!(out, "\n{}", super::table::wrap(&line, width, 2));
        out.push_str(&task_table(plan, chain, style));
    }
    if plan.critical.more {
        let _ = writeln!(out, "\n(more chains tie; the first {count} are shown)");
    }
    out
}

/// The columns of `cutover plan --format csv` (docs/json.md, "Plan CSV").
const CSV_COLUMNS: [&str; 26] = [
    "id",
    "name",
    "workstream",
    "owner",
    "state",
    "predecessors",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "time_zone",
    "t_minus_start",
    "duration_hours",
    "duration_minutes",
    "total_float_hours",
    "total_float_minutes",
    "free_float_minutes",
    "float_to_go_live_hours",
    "float_to_go_live_minutes",
    "assumed_remaining_minutes",
    "critical",
    "milestone",
    "tags",
    "notes",
    "early_start_rfc3339",
    "early_finish_rfc3339",
];

/// Minutes as hours with two decimals: `90` is `1.50`.
pub(crate) fn hours(minutes: i64) -> String {
    format!("{:.2}", minutes as f64 / 60.0)
}

/// A task's predecessors by id, lags in its calendar's working days: `extract SS+1d; freeze`.
pub(crate) fn predecessor_ids(p: &crate::project::Project, t: usize) -> String {
    let links = p.tasks[t]
        .deps
        .iter()
        .map(|d| super::predecessors::LinkText {
            task: &p.tasks[d.pred].id,
            link: d.link,
            lag_minutes: d.lag.minutes,
            elapsed: d.lag.elapsed,
        });
    let day = p.calendar_of(t).day_minutes;
    super::predecessors::predecessor_text(links, super::predecessors::Lags::Working { day })
}

/// `cutover plan --format csv`: one row per listed task, in a shape spreadsheets read
/// as dates and numbers: local date-times (`2027-05-07 10:00`, the zone in its own
/// column), durations and floats in hours next to the minutes, and every text cell a
/// spreadsheet would run as a formula written after a `'`.
fn csv(plan: &Plan, out: &mut dyn Write) -> Result<(), RenderError> {
    use super::export::neutralise;
    let p = plan.project;
    let tz = &p.tz;
    let s = &plan.schedule;
    let local = |m| crate::time::local_label(m, tz);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS)?;
    for &i in &plan.rows {
        let task = &p.tasks[i];
        let d = &s.tasks[i];
        let record: [String; 26] = [
            neutralise(&task.id),
            neutralise(&task.name),
            neutralise(p.workstream_id(i).unwrap_or("")),
            neutralise(task.owner.as_deref().unwrap_or("")),
            d.standing.name().to_owned(),
            neutralise(&predecessor_ids(p, i)),
            local(d.early_start),
            local(d.early_finish),
            local(d.late_start),
            local(d.late_finish),
            p.timezone_name.clone(),
            t_label(d.early_start, s.go_live),
            hours(task.duration),
            task.duration.to_string(),
            hours(d.total_float),
            d.total_float.to_string(),
            d.free_float.to_string(),
            d.float_to_go_live.map(hours).unwrap_or_default(),
            d.float_to_go_live
                .map(|f| f.to_string())
                .unwrap_or_default(),
            d.assumed_remaining
                .map(|r| r.to_string())
                .unwrap_or_default(),
            d.critical.to_string(),
            task.milestone.to_string(),
            neutralise(&task.tags.join(" ")),
            neutralise(task.notes.as_deref().unwrap_or("")),
            rfc3339(d.early_start, tz),
            rfc3339(d.early_finish, tz),
        ];
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct JsonPlan<'a> {
    format: u32,
    runbook: &'a str,
    timezone: &'a str,
    start: String,
    data_date: Option<String>,
    data_date_source: Option<&'static str>,
    go_live: String,
    window: Option<JsonWindow>,
    ready: String,
    finish: String,
    float_to_go_live_minutes: i64,
    float_to_window_close_minutes: Option<i64>,
    fits: bool,
    critical_tasks: usize,
    tasks_to_go_live: usize,
    critical_to_go_live: usize,
    critical_path: Vec<Vec<&'a str>>,
    critical_path_truncated: bool,
    driving_chains: Vec<JsonChain<'a>>,
    points_of_no_return: Vec<JsonPoint<'a>>,
    tasks: Vec<JsonTask<'a>>,
}

#[derive(Serialize)]
struct JsonChain<'a> {
    tasks: Vec<&'a str>,
    start: String,
    finish: String,
    length_minutes: i64,
}

#[derive(Serialize)]
struct JsonWindow {
    opens: String,
    closes: String,
}

#[derive(Serialize)]
struct JsonPoint<'a> {
    task: &'a str,
    passed_at: String,
    rollback_minutes: Option<i64>,
    latest: Option<String>,
    margin_minutes: Option<i64>,
}

#[derive(Serialize)]
pub(crate) struct JsonTask<'a> {
    id: &'a str,
    name: &'a str,
    workstream: Option<&'a str>,
    owner: Option<&'a str>,
    calendar: &'a str,
    milestone: bool,
    state: &'static str,
    duration_minutes: i64,
    early_start: Rfc3339,
    early_finish: Rfc3339,
    late_start: Rfc3339,
    late_finish: Rfc3339,
    t_minus_start: TMinus,
    total_float_minutes: i64,
    free_float_minutes: i64,
    float_to_go_live_minutes: Option<i64>,
    leads_to_go_live: bool,
    assumed_remaining_minutes: Option<i64>,
    driving: bool,
    critical: bool,
    predecessors: Vec<JsonPredecessor<'a>>,
    tags: &'a [String],
    notes: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonPredecessor<'a> {
    task: &'a str,
    link: String,
    lag_minutes: i64,
    lag_elapsed: bool,
}

/// `cutover plan --format json` (and `critical-path`): the shape in `docs/json.md`.
fn json(plan: &Plan, out: &mut dyn Write) -> Result<(), RenderError> {
    let p = plan.project;
    let tz = &p.tz;
    let s = &plan.schedule;
    let report = JsonPlan {
        format: 1,
        runbook: &p.name,
        timezone: &p.timezone_name,
        start: rfc3339(p.start, tz),
        data_date: s.data_date.map(|d| rfc3339(d, tz)),
        data_date_source: plan.data_date_source.map(|s| s.name()),
        go_live: rfc3339(s.go_live, tz),
        window: p.window.map(|w| JsonWindow {
            opens: rfc3339(w.opens, tz),
            closes: rfc3339(plan.fit.closes.unwrap_or(w.closes), tz),
        }),
        ready: rfc3339(s.ready, tz),
        finish: rfc3339(s.finish, tz),
        float_to_go_live_minutes: plan.fit.float_to_go_live(),
        float_to_window_close_minutes: plan.fit.float_to_close(),
        fits: plan.fit.fits(),
        critical_tasks: plan.critical_tasks,
        tasks_to_go_live: plan.tasks_to_go_live,
        critical_to_go_live: plan.critical_to_go_live,
        critical_path: plan
            .critical
            .chains
            .iter()
            .map(|c| c.iter().map(|&t| p.tasks[t].id.as_str()).collect())
            .collect(),
        critical_path_truncated: plan.critical.more,
        driving_chains: plan
            .critical
            .chains
            .iter()
            .zip(&plan.critical.spans)
            .map(|(c, span)| JsonChain {
                tasks: c.iter().map(|&t| p.tasks[t].id.as_str()).collect(),
                start: rfc3339(span.start, tz),
                finish: rfc3339(span.finish, tz),
                length_minutes: span.length,
            })
            .collect(),
        points_of_no_return: plan
            .fit
            .points_of_no_return
            .iter()
            .map(|point| JsonPoint {
                task: &p.tasks[point.task].id,
                passed_at: rfc3339(point.planned, tz),
                rollback_minutes: point.rollback,
                latest: point.latest.map(|l| rfc3339(l, tz)),
                margin_minutes: point.margin(),
            })
            .collect(),
        tasks: plan.rows.iter().map(|&i| task_json(plan, i)).collect(),
    };
    // About 600 bytes a task; one allocation instead of doubling up to tens of MB,
    // and one write instead of a call through `dyn Write` per token.
    let mut bytes = Vec::with_capacity(2048 + 640 * report.tasks.len());
    serde_json::to_writer_pretty(&mut bytes, &report)?;
    bytes.push(b'\n');
    out.write_all(&bytes)?;
    Ok(())
}

/// One task as `plan --format json` lists it (docs/json.md); `report --tag` lists the
/// tagged tasks the same way.
pub(crate) fn task_json<'a>(plan: &'a Plan, i: TaskId) -> JsonTask<'a> {
    let p = plan.project;
    let tz = &p.tz;
    let s = &plan.schedule;
    let task = &p.tasks[i];
    let d = &s.tasks[i];
    JsonTask {
        id: &task.id,
        name: &task.name,
        workstream: p.workstream_id(i),
        owner: task.owner.as_deref(),
        calendar: &p.calendars[task.calendar].id,
        milestone: task.milestone,
        state: d.standing.name(),
        duration_minutes: task.duration,
        early_start: Rfc3339::new(d.early_start, tz),
        early_finish: Rfc3339::new(d.early_finish, tz),
        late_start: Rfc3339::new(d.late_start, tz),
        late_finish: Rfc3339::new(d.late_finish, tz),
        t_minus_start: TMinus {
            at: d.early_start,
            go_live: s.go_live,
        },
        total_float_minutes: d.total_float,
        free_float_minutes: d.free_float,
        float_to_go_live_minutes: d.float_to_go_live,
        leads_to_go_live: d.leads_to_go_live(),
        assumed_remaining_minutes: d.assumed_remaining,
        driving: d.driving,
        critical: d.critical,
        predecessors: task
            .deps
            .iter()
            .map(|dep| JsonPredecessor {
                task: &p.tasks[dep.pred].id,
                link: dep.link.to_string(),
                lag_minutes: dep.lag.minutes,
                lag_elapsed: dep.lag.elapsed,
            })
            .collect(),
        tags: &task.tags,
        notes: task.notes.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::DAY;

    #[test]
    fn work_durations_use_the_calendar_day() {
        assert_eq!(work(0, 600), "0m");
        assert_eq!(work(1250, 600), "2d 50m");
        assert_eq!(work(-600, 600), "-1d");
        assert_eq!(work(DAY + 90, DAY), "1d 1h 30m");
    }
}
