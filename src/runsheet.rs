//! `cutover runsheet`: the sheet a command centre prints for the cutover weekend.
//!
//! Every task that runs in a span of time (by default the runbook's cutover window), in
//! time order and grouped by local day, with what a person ticking it off needs: start
//! and finish in the runbook's zone, T-minus, owner, workstream, the predecessors by
//! name, the duration and the task's notes as instructions. Points of no return are
//! marked on their task, and the latest safe moment to pass each one (its rollback
//! deadline) is an entry of its own at that time. The rules, in words, are in
//! `docs/runsheet.md`.

use serde::Serialize;

use crate::graph::TaskGraph;
use crate::plan::{Filter, plan};
use crate::project::{LinkType, Project, TaskId};
use crate::schedule::{ScheduleError, State};
use crate::status::Status;
use crate::time::{Elapsed, Moment, Stamp, TMinus, day_label, parse_instant, parse_t_minus};

/// What the sheet covers and whom it is for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The start of the span (`--from`); default: the window opens.
    pub from: Option<Moment>,
    /// The end of the span (`--to`); default: the window closes.
    pub to: Option<Moment>,
    /// Only these workstreams, owners and tags (`--workstream`, `--owner`, `--tag`).
    pub filter: Filter,
}

/// Why a sheet cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum RunsheetError {
    /// The schedule ran outside the plan's horizon.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
    /// No span: the runbook has no window and `--from`/`--to` are missing.
    #[error(
        "the runbook has no cutover window (`window:`), so the sheet has no default span; give --from and --to"
    )]
    NoSpan,
    /// The span ends before it starts.
    #[error("the sheet would end ({to}) before it starts ({from}); check --from and --to")]
    Backwards {
        /// The start, for people.
        from: String,
        /// The end, for people.
        to: String,
    },
}

/// The sheet.
#[derive(Debug, Clone, Serialize)]
pub struct Runsheet {
    /// The runbook's name.
    pub runbook: String,
    /// The organisation, if the runbook names one.
    pub organisation: Option<String>,
    /// The runbook's time zone; every time on the sheet is local to it.
    pub timezone: String,
    /// Go-live, T-0.
    pub go_live: Stamp,
    /// The data date the plan is from (a status file or `--as-of`); none for the
    /// baseline plan.
    pub data_date: Option<Stamp>,
    /// Where the data date came from, in words.
    pub data_date_source: Option<&'static str>,
    /// The span covered: tasks that run in it are listed.
    pub from: Stamp,
    /// The end of the span.
    pub to: Stamp,
    /// Whether `from` was given (`--from`); else it is when the window opens.
    pub from_given: bool,
    /// Whether `to` was given (`--to`); else it is when the window closes.
    pub to_given: bool,
    /// The filters applied (empty: all).
    pub workstreams: Vec<String>,
    /// Owner filters (text the owner contains, any case).
    pub owners: Vec<String>,
    /// Tag filters.
    pub tags: Vec<String>,
    /// Tasks listed.
    pub task_count: usize,
    /// Tasks in the runbook.
    pub runbook_tasks: usize,
    /// Every point of no return in the runbook, whatever the span and filters.
    pub points_of_no_return: Vec<PointOfNoReturn>,
    /// The entries, by local day of their time.
    pub days: Vec<Day>,
    /// Time labels for people (weekday, the runbook's zone).
    #[serde(skip)]
    pub labels: Labels,
}

/// Display strings computed once (renderers do not compute).
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// Go-live, with weekday.
    pub go_live: String,
    /// The data date, with weekday.
    pub data_date: Option<String>,
    /// The span's start, with weekday.
    pub from: String,
    /// The span's end, with weekday.
    pub to: String,
}

/// One local day of the sheet.
#[derive(Debug, Clone, Serialize)]
pub struct Day {
    /// `2027-06-11`.
    pub date: String,
    /// `Friday 11 June 2027`.
    pub label: String,
    /// Its entries, in time order.
    pub entries: Vec<Entry>,
}

/// A line of the sheet.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    /// A task to start and finish.
    Task(Box<Row>),
    /// The latest moment a point of no return may be passed with time left to roll
    /// back by the window's close (or go-live).
    RollbackDeadline(Box<Deadline>),
}

/// A task on the sheet.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The task's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its workstream's id.
    pub workstream: Option<String>,
    /// Its workstream's name.
    pub workstream_name: Option<String>,
    /// Who does it.
    pub owner: Option<String>,
    /// Planned (or, with a status file, actual) start.
    pub start: Stamp,
    /// Planned (or actual) finish.
    pub finish: Stamp,
    /// The start as T-minus.
    pub t_minus: TMinus,
    /// Planned working minutes on its calendar.
    pub duration_minutes: i64,
    /// The duration in its calendar's days and hours (`1h 30m`).
    pub duration: String,
    /// A zero-length event.
    pub milestone: bool,
    /// On the driving path or within the critical float.
    pub critical: bool,
    /// Where it stands at the data date: `not_started`, `in_progress`, `overdue`,
    /// `blocked`, `done`.
    pub state: &'static str,
    /// Started at the data date (the "started" box is ticked).
    pub started: bool,
    /// Finished at the data date (the "done" box is ticked).
    pub done: bool,
    /// The tasks it waits for.
    pub predecessors: Vec<Predecessor>,
    /// Its notes: the instructions.
    pub notes: Option<String>,
    /// Its tags.
    pub tags: Vec<String>,
    /// Set when the task is a point of no return.
    pub point_of_no_return: Option<PointOfNoReturn>,
    /// Start and finish with weekday, for people.
    #[serde(skip)]
    pub start_label: String,
    /// See `start_label`.
    #[serde(skip)]
    pub finish_label: String,
}

/// A link from a predecessor, named for people.
#[derive(Debug, Clone, Serialize)]
pub struct Predecessor {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// FS, SS, FF or SF.
    #[serde(serialize_with = "link_name")]
    pub link: LinkType,
    /// The lag (negative: a lead), working minutes on the successor's calendar or
    /// elapsed minutes.
    pub lag_minutes: i64,
    /// The lag is wall-clock time.
    pub lag_elapsed: bool,
    /// One working day of the successor's calendar, in minutes (to write the lag).
    pub day_minutes: i64,
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's serialize_with passes a reference"
)]
fn link_name<S: serde::Serializer>(link: &LinkType, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(link)
}

/// A point of no return, with its rollback deadline.
#[derive(Debug, Clone, Serialize)]
pub struct PointOfNoReturn {
    /// The task's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// When the plan passes it (the task's finish).
    pub passed_at: Stamp,
    /// Elapsed minutes a rollback takes, if the runbook says.
    pub rollback_minutes: Option<i64>,
    /// The latest it may be passed so that a rollback still ends by the window's close
    /// (or go-live): the rollback deadline.
    pub latest: Option<Stamp>,
    /// Minutes from the planned pass to the deadline (negative: too late to roll back).
    pub margin_minutes: Option<i64>,
    /// For people: passed at, rollback, deadline and margin with weekdays.
    #[serde(skip)]
    pub passed_label: String,
    /// See `passed_label`.
    #[serde(skip)]
    pub latest_label: Option<String>,
    /// `6h`, `2d 3h`, `-1h`.
    #[serde(skip)]
    pub rollback_label: Option<String>,
    /// See `rollback_label`.
    #[serde(skip)]
    pub margin_label: Option<String>,
}

/// A rollback deadline on the sheet.
#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    /// The point of no return it belongs to.
    pub point_of_no_return: PointOfNoReturn,
    /// When: the point's latest safe pass.
    pub at: Stamp,
    /// As T-minus.
    pub t_minus: TMinus,
    /// `at` with weekday.
    #[serde(skip)]
    pub label: String,
}

/// Reads `--from` or `--to`: a local date and time in the runbook's zone
/// (`2027-06-11T19:00`, offsets and `[Zone]` allowed) or a T-minus (`T-36h`, `T+2h`).
pub fn parse_bound(text: &str, project: &Project) -> Result<Moment, String> {
    if let Some(t) = parse_t_minus(text) {
        let minutes = t.map_err(|e| format!("{} ({})", e.message, e.help))?;
        return project
            .go_live
            .plus(minutes)
            .ok_or_else(|| format!("`{text}` is outside the years the plan can hold"));
    }
    parse_instant(text, &project.tz).map_err(|e| format!("{} ({})", e.message, e.help))
}

/// The sheet for `project`, planned from `status` (the baseline plan without one).
pub fn runsheet(
    project: &Project,
    graph: &TaskGraph,
    status: Option<&Status>,
    options: &Options,
) -> Result<Runsheet, RunsheetError> {
    let window = project.window;
    let from = options
        .from
        .or(window.map(|w| w.opens))
        .ok_or(RunsheetError::NoSpan)?;
    let to = options
        .to
        .or(window.map(|w| w.closes))
        .ok_or(RunsheetError::NoSpan)?;
    let tz = &project.tz;
    if to < from {
        return Err(RunsheetError::Backwards {
            from: day_label(from, tz),
            to: day_label(to, tz),
        });
    }
    let plan = plan(project, graph, status, &options.filter)?;
    let s = &plan.schedule;
    let points: Vec<PointOfNoReturn> = plan
        .fit
        .points_of_no_return
        .iter()
        .map(|p| point(project, p))
        .collect();
    let point_of = |t: TaskId| {
        plan.fit
            .points_of_no_return
            .iter()
            .position(|p| p.task == t)
            .map(|i| points[i].clone())
    };
    // (when, tie-break, entry): deadlines sort before tasks starting at the same minute.
    let mut entries: Vec<(Moment, u8, Entry)> = Vec::new();
    for &t in &plan.rows {
        let d = &s.tasks[t];
        if !in_span(d.early_start, d.early_finish, from, to) {
            continue;
        }
        entries.push((
            d.early_start,
            1,
            Entry::Task(Box::new(row(project, &plan, t, point_of(t)))),
        ));
    }
    let task_count = entries.len();
    for (p, view) in plan.fit.points_of_no_return.iter().zip(&points) {
        let Some(latest) = p.latest else { continue };
        if !plan.rows.contains(&p.task) || latest < from || latest > to {
            continue;
        }
        entries.push((
            latest,
            0,
            Entry::RollbackDeadline(Box::new(Deadline {
                point_of_no_return: view.clone(),
                at: Stamp::new(latest, tz),
                t_minus: TMinus {
                    at: latest,
                    go_live: s.go_live,
                },
                label: day_label(latest, tz),
            })),
        ));
    }
    // Stable: tasks keep the plan's order (early start, early finish, id).
    entries.sort_by_key(|(at, tie, _)| (*at, *tie));
    let mut days: Vec<Day> = Vec::new();
    for (at, _, entry) in entries {
        let date = at.local(tz).date();
        let key = date.to_string();
        match days.last_mut() {
            Some(day) if day.date == key => day.entries.push(entry),
            _ => days.push(Day {
                date: key,
                label: date.strftime("%A %-d %B %Y").to_string(),
                entries: vec![entry],
            }),
        }
    }
    let data_date = s.data_date;
    Ok(Runsheet {
        runbook: project.name.clone(),
        organisation: project.organisation.clone(),
        timezone: project.timezone_name.clone(),
        go_live: Stamp::new(s.go_live, tz),
        data_date: data_date.map(|d| Stamp::new(d, tz)),
        data_date_source: plan.data_date_source.map(|d| d.label()),
        from: Stamp::new(from, tz),
        to: Stamp::new(to, tz),
        from_given: options.from.is_some(),
        to_given: options.to.is_some(),
        workstreams: options.filter.workstreams.clone(),
        owners: options.filter.owners.clone(),
        tags: options.filter.tags.clone(),
        task_count,
        runbook_tasks: project.tasks.len(),
        points_of_no_return: points,
        days,
        labels: Labels {
            go_live: day_label(s.go_live, tz),
            data_date: data_date.map(|d| day_label(d, tz)),
            from: day_label(from, tz),
            to: day_label(to, tz),
        },
    })
}

/// A task runs in the span `[from, to]` when it overlaps it; a milestone (or any task
/// of no length) when it falls inside it, ends included.
fn in_span(start: Moment, finish: Moment, from: Moment, to: Moment) -> bool {
    if start == finish {
        from <= start && start <= to
    } else {
        start < to && finish > from
    }
}

fn point(project: &Project, p: &crate::window::PointOfNoReturn) -> PointOfNoReturn {
    let tz = &project.tz;
    let task = &project.tasks[p.task];
    PointOfNoReturn {
        id: task.id.clone(),
        name: task.name.clone(),
        passed_at: Stamp::new(p.planned, tz),
        rollback_minutes: p.rollback,
        latest: p.latest.map(|l| Stamp::new(l, tz)),
        margin_minutes: p.margin(),
        passed_label: day_label(p.planned, tz),
        latest_label: p.latest.map(|l| day_label(l, tz)),
        rollback_label: p.rollback.map(|r| Elapsed(r).to_string()),
        margin_label: p.margin().map(|m| Elapsed(m).to_string()),
    }
}

fn row(
    project: &Project,
    plan: &crate::plan::Plan,
    t: TaskId,
    point_of_no_return: Option<PointOfNoReturn>,
) -> Row {
    let tz = &project.tz;
    let task = &project.tasks[t];
    let d = &plan.schedule.tasks[t];
    let day_minutes = project.calendar_of(t).day_minutes;
    Row {
        id: task.id.clone(),
        name: task.name.clone(),
        workstream: project.workstream_id(t).map(str::to_owned),
        workstream_name: task.workstream.map(|w| project.workstreams[w].name.clone()),
        owner: task.owner.clone(),
        start: Stamp::new(d.early_start, tz),
        finish: Stamp::new(d.early_finish, tz),
        t_minus: TMinus {
            at: d.early_start,
            go_live: plan.schedule.go_live,
        },
        duration_minutes: task.duration,
        duration: crate::time::work_label(task.duration, day_minutes),
        milestone: task.milestone,
        critical: d.critical,
        state: d.standing.name(),
        started: d.state != State::NotStarted,
        done: d.state == State::Done,
        predecessors: task
            .deps
            .iter()
            .map(|dep| Predecessor {
                id: project.tasks[dep.pred].id.clone(),
                name: project.tasks[dep.pred].name.clone(),
                link: dep.link,
                lag_minutes: dep.lag.minutes,
                lag_elapsed: dep.lag.elapsed,
                day_minutes,
            })
            .collect(),
        notes: task.notes.clone(),
        tags: task.tags.clone(),
        point_of_no_return,
        start_label: day_label(d.early_start, tz),
        finish_label: day_label(d.early_finish, tz),
    }
}
