//! A runbook and its plan, ready to be written as MS Project XML, an Excel workbook or
//! CSV ([`crate::render::export`]): every fact any of those formats shows, computed
//! here, with instants already in the runbook's local time.
//!
//! The dates are the plan `cutover plan` shows (from the status file or `--as-of` when
//! given); the decision on the summary sheet is the one `cutover report` gives, at the
//! data date (or the moment of export when there is none).

use jiff::civil::{Date, DateTime};
use serde::Serialize;

use crate::calendar::england_and_wales;
use crate::decision::{Source, Weight};
use crate::diagnostic::Diagnostic;
use crate::gates::severity_label;
use crate::graph::TaskGraph;
use crate::plan::{Filter, plan};
use crate::project::{LinkType, Project};
use crate::report::report;
use crate::schedule::State;
use crate::status::{DataDateSource, Status};
use crate::time::Moment;

/// A runbook and its plan, for export.
#[derive(Debug, Clone, Serialize)]
pub struct Export {
    /// The runbook's name (`runbook:`).
    pub runbook: String,
    /// The trust or organisation, if given.
    pub organisation: Option<String>,
    /// The runbook's IANA time zone; every instant here is local time in it.
    pub timezone: String,
    /// The plan's start (`start:`).
    pub start: DateTime,
    /// When the plan finishes (the latest early finish).
    pub finish: DateTime,
    /// Go-live, T-0 (`go_live:`).
    pub go_live: DateTime,
    /// The plan's data date, if it was scheduled from one.
    pub data_date: Option<DateTime>,
    /// Minutes in a day and a week on the default calendar (MS Project's project-wide
    /// settings).
    pub minutes_per_day: i64,
    /// Minutes in a week on the default calendar.
    pub minutes_per_week: i64,
    /// Index into `calendars`.
    pub default_calendar: usize,
    /// Every calendar of the runbook, `24x7` first.
    pub calendars: Vec<ExportCalendar>,
    /// The workstreams, indexed by [`ExportTask::workstream`].
    pub workstreams: Vec<ExportWorkstream>,
    /// Grouped by workstream (each group where its first task is), otherwise in
    /// runbook order.
    pub tasks: Vec<ExportTask>,
    /// Each gate's result at the data date.
    pub gates: Vec<ExportGate>,
    /// The decision, or why there is none (no data date was given and the moment of
    /// export lies outside the plan's horizon).
    pub decision: Result<ExportDecision, String>,
}

/// A calendar: `24x7`, or working hours with their holidays and exceptions expanded
/// to dates over the plan's horizon.
#[derive(Debug, Clone, Serialize)]
pub struct ExportCalendar {
    /// The calendar's id.
    pub id: String,
    /// Every minute is working time (`24x7`).
    pub all_day: bool,
    /// Working ranges per weekday, Monday first, in minutes of the day.
    pub week: [Vec<(u16, u16)>; 7],
    /// Non-working dates over the plan's horizon, bank holidays expanded; sorted.
    pub holidays: Vec<Date>,
    /// Dates with their own working hours, sorted.
    pub exceptions: Vec<(Date, Vec<(u16, u16)>)>,
    /// Minutes in one day (`1d`) on this calendar.
    pub day_minutes: i64,
    /// A task, or the runbook's default, uses it.
    pub used: bool,
}

/// A workstream (an MS Project summary task).
#[derive(Debug, Clone, Serialize)]
pub struct ExportWorkstream {
    /// The workstream's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Who leads it, if the runbook says.
    pub lead: Option<String>,
}

/// A task with its plan, in the runbook's local time.
#[derive(Debug, Clone, Serialize)]
pub struct ExportTask {
    /// The task's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Index into `workstreams`.
    pub workstream: Option<usize>,
    /// Who answers for it, if anyone.
    pub owner: Option<String>,
    /// Working minutes on its calendar (elapsed minutes when `elapsed`).
    pub duration_minutes: i64,
    /// Its duration is wall-clock time, whatever the default calendar.
    pub elapsed: bool,
    /// A milestone (no duration).
    pub milestone: bool,
    /// Index into `calendars`.
    pub calendar: usize,
    /// What it waits for.
    pub after: Vec<ExportLink>,
    /// Not before this (start no earlier than).
    pub not_before: Option<DateTime>,
    /// Finish by this.
    pub deadline: Option<DateTime>,
    /// Its tags.
    pub tags: Vec<String>,
    /// Its notes.
    pub notes: Option<String>,
    /// Earliest start in the plan.
    pub early_start: DateTime,
    /// Earliest finish.
    pub early_finish: DateTime,
    /// Latest start that keeps go-live.
    pub late_start: DateTime,
    /// Latest finish that keeps go-live.
    pub late_finish: DateTime,
    /// Total float in working minutes.
    pub total_float_minutes: i64,
    /// Free float in working minutes.
    pub free_float_minutes: i64,
    /// On the critical path (no float).
    pub critical: bool,
    /// The go-live milestone (`go_live: true`).
    pub go_live: bool,
    /// `done`, `in progress` or `not started` at the data date.
    pub state: &'static str,
    /// When it started, from the status file.
    pub actual_start: Option<DateTime>,
    /// When it finished, from the status file.
    pub actual_finish: Option<DateTime>,
    /// Working minutes left on a started task.
    pub remaining_minutes: Option<i64>,
    /// Percent complete at the data date (100 when done).
    pub percent_complete: u8,
}

/// A link to a predecessor.
#[derive(Debug, Clone, Serialize)]
pub struct ExportLink {
    /// Index into `tasks`.
    pub task: usize,
    /// FS, SS, FF or SF.
    pub link: LinkType,
    /// Working minutes on the successor's calendar, or elapsed minutes.
    pub lag_minutes: i64,
    /// The lag is wall-clock time, whatever the calendar.
    pub lag_elapsed: bool,
}

/// A gate's result at the data date.
#[derive(Debug, Clone, Serialize)]
pub struct ExportGate {
    /// The gate's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// When it is due.
    pub due: DateTime,
    /// Who signs it off, if the runbook says.
    pub owner: Option<String>,
    /// The gate's result (`pass`, `fail`, ...).
    pub verdict: &'static str,
    /// Each criterion's result.
    pub criteria: Vec<ExportCriterion>,
}

/// One criterion of a gate, as judged at the data date.
#[derive(Debug, Clone, Serialize)]
pub struct ExportCriterion {
    /// The criterion in words.
    pub label: String,
    /// `blocker`, `major` or `minor`.
    pub severity: &'static str,
    /// Its result.
    pub verdict: &'static str,
    /// Why: the reading, the threshold, or what is missing.
    pub detail: String,
}

/// The decision on the summary sheet, as `cutover report` gives it.
#[derive(Debug, Clone, Serialize)]
pub struct ExportDecision {
    /// `GO`, `GO WITH CONDITIONS` or `NO-GO`.
    pub decision: &'static str,
    /// The data date it was decided at.
    pub as_of: DateTime,
    /// Whether that is the moment of export (no status file, no `--as-of`).
    pub as_of_is_now: bool,
    /// When the plan is ready (the go-live milestone).
    pub ready: DateTime,
    /// Minutes from readiness to go-live (negative when late).
    pub float_to_go_live_minutes: i64,
    /// The cutover window (opens, closes), if any.
    pub window: Option<(DateTime, DateTime)>,
    /// The plan fits the window.
    pub fits: bool,
    /// The reasons for the decision.
    pub reasons: Vec<ExportReason>,
}

/// One reason for the decision.
#[derive(Debug, Clone, Serialize)]
pub struct ExportReason {
    /// `no-go`, `condition` or `note`.
    pub weight: &'static str,
    /// What it is about: a gate's criterion, a task, go-live, the window.
    pub about: String,
    /// The reason in words.
    pub text: String,
}

/// The export value of a validated project: its plan from `status`, and the decision
/// at the status's data date (or `now`).
pub fn gather(
    project: &Project,
    graph: &TaskGraph,
    status: Option<&Status>,
    now: Moment,
) -> Result<Export, Box<Diagnostic>> {
    let tz = &project.tz;
    let local = |m: Moment| m.local(tz);
    let planned =
        plan(project, graph, status, &Filter::default()).map_err(|e| e.diagnostic(project))?;
    let decided = report(
        project,
        graph,
        status
            .cloned()
            .unwrap_or_else(|| Status::at_from(project, now, DataDateSource::Clock)),
    );
    let schedule = &planned.schedule;

    // Calendars, with holidays expanded over the plan's horizon.
    let years = local(project.horizon.from).year()..=local(project.horizon.until).year();
    let mut used = vec![false; project.calendars.len()];
    for t in &project.tasks {
        used[t.calendar] = true;
    }
    let default_calendar = project.default_calendar;
    used[default_calendar] = true;
    let calendars: Vec<ExportCalendar> = project
        .calendars
        .iter()
        .enumerate()
        .map(|(i, c)| match c.definition() {
            None => ExportCalendar {
                id: c.id.clone(),
                all_day: true,
                week: std::array::from_fn(|_| vec![(0, 1440)]),
                holidays: Vec::new(),
                exceptions: Vec::new(),
                day_minutes: c.day_minutes,
                used: used[i],
            },
            Some((week, holidays)) => {
                let mut dates: Vec<Date> = holidays
                    .dates
                    .iter()
                    .copied()
                    .filter(|d| years.contains(&d.year()))
                    .collect();
                if holidays.england_and_wales {
                    for y in years.clone() {
                        dates.extend(england_and_wales(y));
                    }
                }
                dates.retain(|d| !holidays.exceptions.contains_key(d));
                dates.sort_unstable();
                dates.dedup();
                let mut exceptions: Vec<(Date, Vec<(u16, u16)>)> = holidays
                    .exceptions
                    .iter()
                    .map(|(d, r)| (*d, r.clone()))
                    .collect();
                exceptions.sort();
                ExportCalendar {
                    id: c.id.clone(),
                    all_day: false,
                    week: week.ranges.clone(),
                    holidays: dates,
                    exceptions,
                    day_minutes: c.day_minutes,
                    used: used[i],
                }
            }
        })
        .collect();

    // Tasks grouped by workstream, each group where its first task is.
    let mut order: Vec<usize> = (0..project.tasks.len()).collect();
    let mut first_seen: Vec<Option<usize>> = vec![None; project.workstreams.len() + 1];
    for (i, t) in project.tasks.iter().enumerate() {
        let k = t.workstream.unwrap_or(project.workstreams.len());
        first_seen[k].get_or_insert(i);
    }
    order.sort_by_key(|&i| {
        let k = project.tasks[i]
            .workstream
            .unwrap_or(project.workstreams.len());
        (first_seen[k], i)
    });
    let mut position = vec![0; project.tasks.len()];
    for (p, &i) in order.iter().enumerate() {
        position[i] = p;
    }
    let data_date = schedule.data_date;
    let tasks = order
        .iter()
        .map(|&i| {
            let t = &project.tasks[i];
            let d = &schedule.tasks[i];
            let actual = status.map(|s| s.progress.actual(i)).unwrap_or_default();
            let cal = &project.calendars[t.calendar];
            let (state, percent, remaining) = match d.state {
                State::Done => ("done", 100, None),
                State::NotStarted => ("not started", 0, None),
                State::InProgress => {
                    let total = d.early_work.1 - d.early_work.0;
                    let at = data_date
                        .and_then(|a| cal.work_at(a).ok())
                        .unwrap_or(d.early_work.0)
                        .clamp(d.early_work.0, d.early_work.1);
                    let left = d.early_work.1 - at;
                    let pct = if total > 0 {
                        (100 * (total - left) / total).clamp(0, 99) as u8
                    } else {
                        0
                    };
                    ("in progress", pct, Some(left))
                }
            };
            let elapsed = t.calendar == 0 && !t.milestone && default_calendar != 0;
            ExportTask {
                id: t.id.clone(),
                name: t.name.clone(),
                workstream: t.workstream,
                owner: t.owner.clone(),
                duration_minutes: t.duration,
                elapsed,
                milestone: t.milestone,
                calendar: t.calendar,
                after: t
                    .deps
                    .iter()
                    .map(|dep| ExportLink {
                        task: position[dep.pred],
                        link: dep.link,
                        lag_minutes: dep.lag.minutes,
                        lag_elapsed: dep.lag.elapsed,
                    })
                    .collect(),
                not_before: t.not_before.map(local),
                deadline: t.deadline.map(local),
                tags: t.tags.clone(),
                notes: t.notes.clone(),
                early_start: local(d.early_start),
                early_finish: local(d.early_finish),
                late_start: local(d.late_start),
                late_finish: local(d.late_finish),
                total_float_minutes: d.total_float,
                free_float_minutes: d.free_float,
                critical: d.critical,
                go_live: project.go_live_task == Some(i),
                state,
                actual_start: actual.started.map(local),
                actual_finish: actual.finished.map(local),
                remaining_minutes: remaining,
                percent_complete: percent,
            }
        })
        .collect();

    let (gates, decision) = match &decided {
        Ok(decided) => (
            gates(project, decided),
            Ok(decision(project, decided, status.is_none())),
        ),
        Err(e) if status.is_none() => (
            Vec::new(),
            Err(format!(
                "no decision: the moment of export is outside the plan's dates ({}); export with --status or --as-of",
                e.diagnostic(project).message
            )),
        ),
        Err(e) => return Err(Box::new(e.diagnostic(project))),
    };
    let day = project.calendars[default_calendar].day_minutes;
    Ok(Export {
        runbook: project.name.clone(),
        organisation: project.organisation.clone(),
        timezone: project.timezone_name.clone(),
        start: local(project.start),
        finish: local(schedule.finish),
        go_live: local(project.go_live),
        data_date: data_date.map(local),
        minutes_per_day: day,
        minutes_per_week: project.calendars[default_calendar].week_minutes,
        default_calendar,
        calendars,
        workstreams: project
            .workstreams
            .iter()
            .map(|w| ExportWorkstream {
                id: w.id.clone(),
                name: w.name.clone(),
                lead: w.lead.clone(),
            })
            .collect(),
        tasks,
        gates,
        decision,
    })
}

/// Each gate's result at the data date.
fn gates(project: &Project, decided: &crate::report::Report) -> Vec<ExportGate> {
    let tz = &project.tz;
    let local = |m: Moment| m.local(tz);
    decided
        .gates
        .iter()
        .map(|g| {
            let gate = &project.gates[g.gate];
            ExportGate {
                id: gate.id.clone(),
                name: gate.name.clone(),
                due: local(g.due),
                owner: gate.owner.clone(),
                verdict: g.verdict.label(),
                criteria: g
                    .criteria
                    .iter()
                    .zip(&gate.criteria)
                    .map(|(r, c)| ExportCriterion {
                        label: c.label.clone(),
                        severity: severity_label(c.severity),
                        verdict: r.verdict.label(),
                        detail: r.detail.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The decision and its reasons.
fn decision(project: &Project, decided: &crate::report::Report, at_now: bool) -> ExportDecision {
    let tz = &project.tz;
    let local = |m: Moment| m.local(tz);
    let fit = &decided.plan.fit;
    let reasons = decided
        .outcome
        .reasons
        .iter()
        .map(|r| ExportReason {
            weight: match r.weight {
                Weight::NoGo => "no-go",
                Weight::Condition => "condition",
                Weight::Note => "note",
            },
            about: match r.source {
                Source::Criterion { gate, criterion } => {
                    let g = &project.gates[gate];
                    format!("gate `{}`: {}", g.id, g.criteria[criterion].label)
                }
                Source::Task(t) => format!("task `{}`", project.tasks[t].id),
                Source::GoLive => "go-live".to_owned(),
                Source::Window => "cutover window".to_owned(),
                Source::Evidence => "evidence".to_owned(),
                Source::Gates => "gates".to_owned(),
            },
            text: r.text.clone(),
        })
        .collect();
    ExportDecision {
        decision: decided.outcome.decision.label(),
        as_of: local(decided.status.as_of),
        as_of_is_now: at_now,
        ready: local(decided.plan.schedule.ready),
        float_to_go_live_minutes: fit.float_to_go_live(),
        window: project.window.map(|w| (local(w.opens), local(w.closes))),
        fits: fit.fits(),
        reasons,
    }
}
