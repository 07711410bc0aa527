//! The plan of a runbook as a whole: schedule, driving chains, window fit, and the
//! tasks a reader asked to see. What `cutover plan` and `cutover critical-path` show.

use crate::critical::{CriticalPath, critical_path};
use crate::graph::TaskGraph;
use crate::project::{Project, TaskId};
use crate::schedule::{Inputs, Schedule, ScheduleError, schedule_with};
use crate::status::{DataDateSource, Status};
use crate::time::{ZoneChange, zone_changes};
use crate::window::{WindowFit, fit};

/// Which tasks to list. Empty lists match everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only tasks of these workstream ids (`--workstream`, exact match).
    pub workstreams: Vec<String>,
    /// Only tasks whose owner contains one of these, ignoring case (`--owner`).
    pub owners: Vec<String>,
    /// Only critical tasks (`--critical`).
    pub critical_only: bool,
    /// Only the tasks of the driving chains, in plan order (`cutover critical-path`).
    pub driving_path: bool,
    /// Only tasks carrying one of these tags (`--tag`, exact match).
    pub tags: Vec<String>,
}

/// A scheduled runbook.
#[derive(Debug)]
pub struct Plan<'a> {
    /// The validated runbook the plan is of.
    pub project: &'a Project,
    /// Every task's dates and floats, from the data date when there is a status file.
    pub schedule: Schedule,
    /// The driving chains back from readiness.
    pub critical: CriticalPath,
    /// How the plan sits against go-live, the window and each point of no return.
    pub fit: WindowFit,
    /// Where the data date came from, when the plan has one.
    pub data_date_source: Option<DataDateSource>,
    /// How many tasks are marked critical, in all.
    pub critical_tasks: usize,
    /// Tasks that lead to the go-live milestone (or are it), and how many of them are
    /// critical: the longest path to go-live and any with float at or below
    /// `critical_float`.
    pub tasks_to_go_live: usize,
    /// Of [`Plan::tasks_to_go_live`], how many are critical.
    pub critical_to_go_live: usize,
    /// Tasks to list, by early start (or in plan order for the driving path).
    pub rows: Vec<TaskId>,
    /// The clock changes of the runbook's zone in the years the plan spans (from the
    /// earlier of its start and the first task to the end of its last task), for a
    /// calendar's time-zone definition (`plan --format ics`).
    pub zone: Vec<ZoneChange>,
}

/// What `cutover critical-path` shows: the plan, listing the tasks of its driving
/// chains.
#[derive(Debug)]
pub struct DrivingPath<'a> {
    /// The plan, with `rows` the tasks of the driving chains in plan order.
    pub plan: Plan<'a>,
}

/// Schedules `project` and lists the tasks on its driving chains.
pub fn driving_path<'a>(
    project: &'a Project,
    graph: &TaskGraph,
    status: Option<&Status>,
) -> Result<DrivingPath<'a>, ScheduleError> {
    let filter = Filter {
        driving_path: true,
        ..Filter::default()
    };
    Ok(DrivingPath {
        plan: plan(project, graph, status, &filter)?,
    })
}

/// Schedules `project` (from `status` if given) and selects the rows `filter` asks for.
pub fn plan<'a>(
    project: &'a Project,
    graph: &TaskGraph,
    status: Option<&Status>,
    filter: &Filter,
) -> Result<Plan<'a>, ScheduleError> {
    let durations: Vec<i64> = project.tasks.iter().map(|t| t.duration).collect();
    let inputs = Inputs::of(project, &durations, status.map(|s| &s.progress));
    let schedule = schedule_with(project, graph, inputs)?;
    let critical = critical_path(project, &schedule, &inputs);
    let fit = fit(project, &schedule, 0);
    let rows = if filter.driving_path {
        critical.tasks(graph)
    } else {
        select(project, &schedule, filter)
    };
    let critical_tasks = schedule.tasks.iter().filter(|d| d.critical).count();
    let first = schedule.tasks.iter().map(|d| d.early_start).min();
    let last = schedule.tasks.iter().map(|d| d.early_finish).max();
    let zone = zone_changes(
        &project.tz,
        first.map_or(project.start, |f| f.min(project.start)),
        last.map_or(schedule.finish, |l| l.max(schedule.finish)),
    );
    let to_go_live = schedule.tasks.iter().filter(|d| d.leads_to_go_live());
    let (tasks_to_go_live, critical_to_go_live) =
        to_go_live.fold((0, 0), |(n, c), d| (n + 1, c + usize::from(d.critical)));
    Ok(Plan {
        project,
        schedule,
        critical,
        fit,
        data_date_source: status.map(|s| s.source),
        critical_tasks,
        tasks_to_go_live,
        critical_to_go_live,
        rows,
        zone,
    })
}

/// The tasks matching `filter`, ordered by early start, then early finish, then id.
pub fn select(project: &Project, schedule: &Schedule, filter: &Filter) -> Vec<TaskId> {
    let mut rows: Vec<TaskId> = (0..project.tasks.len())
        .filter(|&t| {
            let task = &project.tasks[t];
            (filter.workstreams.is_empty()
                || project
                    .workstream_id(t)
                    .is_some_and(|w| filter.workstreams.iter().any(|f| f == w)))
                && (filter.owners.is_empty()
                    || task.owner.as_deref().is_some_and(|o| {
                        filter
                            .owners
                            .iter()
                            .any(|f| o.to_lowercase().contains(&f.to_lowercase()))
                    }))
                && (!filter.critical_only || schedule.tasks[t].critical)
                && (filter.tags.is_empty() || task.tags.iter().any(|g| filter.tags.contains(g)))
        })
        .collect();
    rows.sort_by(|&a, &b| {
        let (da, db) = (&schedule.tasks[a], &schedule.tasks[b]);
        (da.early_start, da.early_finish, &project.tasks[a].id).cmp(&(
            db.early_start,
            db.early_finish,
            &project.tasks[b].id,
        ))
    });
    rows
}
