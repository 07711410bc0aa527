//! The critical path method: forward and backward passes over the task graph on each
//! task's calendar, giving early and late dates, total and free float, and the
//! critical tasks. See `docs/scheduling.md` for the rules and how they compare with
//! MS Project and Primavera P6.
//!
//! Each dependency is a constraint in the successor's working time:
//! `W(successor point) >= W(predecessor point) + lag`, where `W` counts working minutes
//! on the successor's calendar (milestones do no work and keep no calendar, so theirs
//! is elapsed time).
//! The backward pass is anchored at the plan's early finish; go-live and task deadlines
//! can only pull late dates earlier, which is how negative float shows a date that
//! cannot be met.

use crate::calendar::{Calendar, OutOfRange};
use crate::graph::TaskGraph;
use crate::project::{Dependency, LinkType, Project, TaskId};
use crate::time::Moment;

/// What has happened to a task, from the status file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Actual {
    pub started: Option<Moment>,
    pub finished: Option<Moment>,
    /// Working minutes left on a started task (default: planned minus worked so far).
    pub remaining: Option<i64>,
}

/// Progress to schedule from: a data date and actuals (indexed by task; may be empty).
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub as_of: Option<Moment>,
    pub actuals: Vec<Actual>,
}

impl Progress {
    pub fn actual(&self, task: TaskId) -> Actual {
        self.actuals.get(task).copied().unwrap_or_default()
    }
}

/// Where a task stands at the data date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    NotStarted,
    InProgress,
    Done,
}

/// One task's dates. Floats are working minutes on the task's calendar (elapsed
/// minutes for milestones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskDates {
    pub early_start: Moment,
    pub early_finish: Moment,
    pub late_start: Moment,
    pub late_finish: Moment,
    pub total_float: i64,
    pub free_float: i64,
    pub critical: bool,
    pub state: State,
}

/// The computed plan.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub tasks: Vec<TaskDates>,
    /// When the plan is ready for go-live: the go-live milestone's early finish, or
    /// the latest early finish when the runbook marks none.
    pub ready: Moment,
    /// The latest early finish of any task.
    pub finish: Moment,
    pub go_live: Moment,
    pub data_date: Option<Moment>,
}

impl Schedule {
    /// Elapsed minutes from readiness to go-live (negative: go-live cannot be met).
    pub fn float_to_go_live(&self) -> i64 {
        self.go_live.0 - self.ready.0
    }
}

/// The plan reaches past the supported years (at this task).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the plan for task #{task} runs outside the years 1900-2999")]
pub struct ScheduleError {
    pub task: TaskId,
}

/// What to schedule: the project's own durations and go-live, or a scenario's.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// Working minutes per task.
    pub durations: &'a [i64],
    pub go_live: Moment,
    pub progress: Option<&'a Progress>,
}

impl<'a> Inputs<'a> {
    pub fn of(project: &'a Project, durations: &'a [i64], progress: Option<&'a Progress>) -> Self {
        Inputs {
            durations,
            go_live: project.go_live,
            progress,
        }
    }
}

/// Schedules `project` as written, from an optional data date and actuals.
pub fn schedule(
    project: &Project,
    graph: &TaskGraph,
    progress: Option<&Progress>,
) -> Result<Schedule, ScheduleError> {
    let durations: Vec<i64> = project.tasks.iter().map(|t| t.duration).collect();
    schedule_with(project, graph, Inputs::of(project, &durations, progress))
}

/// Schedules `project` with the given durations, go-live and progress.
pub fn schedule_with(
    project: &Project,
    graph: &TaskGraph,
    inputs: Inputs<'_>,
) -> Result<Schedule, ScheduleError> {
    let n = project.tasks.len();
    let empty = Progress::default();
    let progress = inputs.progress.unwrap_or(&empty);
    let as_of = progress.as_of;
    let threshold = project.thresholds.critical_float;

    // Forward pass.
    let mut early = vec![(Moment(0), Moment(0)); n];
    let mut state = vec![State::NotStarted; n];
    let mut finish = project.start;
    for &t in &graph.order {
        let err = |_: OutOfRange| ScheduleError { task: t };
        let task = &project.tasks[t];
        let cal = &project.calendars[task.calendar];
        let d = inputs.durations[t];
        let actual = progress.actual(t);
        let dates = match (actual.started, actual.finished) {
            (started, Some(finished)) => {
                state[t] = State::Done;
                (started.unwrap_or(finished).min(finished), finished)
            }
            (Some(started), None) => {
                state[t] = State::InProgress;
                let from = as_of.map_or(started, |a| a.max(started));
                let worked = cal.work_between(started, from).map_err(err)?.max(0);
                let remaining = actual.remaining.unwrap_or((d - worked).max(0));
                let resume = cal.next_start(from).map_err(err)?;
                let end = if remaining == 0 {
                    from
                } else {
                    cal.add_work(resume, remaining).map_err(err)?
                };
                (started, end)
            }
            (None, None) => {
                let mut lower = project.start;
                if let Some(a) = as_of {
                    lower = lower.max(a);
                }
                if let Some(nb) = task.not_before {
                    lower = lower.max(nb);
                }
                for dep in &task.deps {
                    let c = forward_bound(dep, early[dep.pred], cal, d).map_err(err)?;
                    lower = lower.max(c);
                }
                if task.milestone || d == 0 {
                    (lower, lower)
                } else {
                    let start = cal.next_start(lower).map_err(err)?;
                    (start, cal.add_work(start, d).map_err(err)?)
                }
            }
        };
        finish = finish.max(dates.1);
        early[t] = dates;
    }
    let ready = project.go_live_task.map_or(finish, |g| early[g].1);

    // Backward pass.
    let mut late = vec![(Moment(0), Moment(0)); n];
    let mut free_late_finish = vec![Moment::MAX; n];
    for &t in graph.order.iter().rev() {
        let err = |_: OutOfRange| ScheduleError { task: t };
        let task = &project.tasks[t];
        let cal = &project.calendars[task.calendar];
        let d = inputs.durations[t];
        let mut finish_limit = finish;
        let mut start_limit = Moment::MAX;
        let (mut free_finish, mut free_start) = (Moment::MAX, Moment::MAX);
        if let Some(deadline) = task.deadline {
            finish_limit = finish_limit.min(deadline);
        }
        let is_go_live = project.go_live_task == Some(t);
        if is_go_live || (project.go_live_task.is_none() && !graph.has_successors(t)) {
            finish_limit = finish_limit.min(inputs.go_live);
        }
        for (s, i) in graph.successors(t) {
            let succ = &project.tasks[s];
            let dep = &succ.deps[i];
            let scal = &project.calendars[succ.calendar];
            let late_limit = backward_bound(dep, late[s], scal).map_err(err)?;
            let free_limit = backward_bound(dep, early[s], scal).map_err(err)?;
            match dep.link {
                LinkType::FS | LinkType::FF => {
                    finish_limit = finish_limit.min(late_limit);
                    free_finish = free_finish.min(free_limit);
                }
                LinkType::SS | LinkType::SF => {
                    start_limit = start_limit.min(late_limit);
                    free_start = free_start.min(free_limit);
                }
            }
        }
        let (es, ef) = early[t];
        late[t] = match state[t] {
            State::Done => (es, ef),
            _ if task.milestone || d == 0 => {
                let lf = finish_limit.min(start_limit);
                (lf, lf)
            }
            _ => {
                let lf = latest_finish(cal, finish_limit, start_limit, d).map_err(err)?;
                let ls = if state[t] == State::InProgress {
                    es
                } else {
                    cal.sub_work(lf, d).map_err(err)?
                };
                (ls, lf)
            }
        };
        if graph.has_successors(t) && state[t] != State::Done {
            free_late_finish[t] = if task.milestone || d == 0 {
                free_finish.min(free_start)
            } else {
                latest_finish(cal, free_finish, free_start, d).map_err(err)?
            };
        }
    }

    let mut tasks = Vec::with_capacity(n);
    for t in 0..n {
        let err = |_: OutOfRange| ScheduleError { task: t };
        let task = &project.tasks[t];
        let cal = &project.calendars[task.calendar];
        let ((es, ef), (ls, lf)) = (early[t], late[t]);
        let measure = |a: Moment, b: Moment| -> Result<i64, ScheduleError> {
            if task.milestone {
                Ok(b.0 - a.0)
            } else {
                cal.work_between(a, b).map_err(err)
            }
        };
        let (total_float, free_float) = match state[t] {
            State::Done => (0, 0),
            s => {
                let total = if s == State::InProgress {
                    measure(ef, lf)?
                } else {
                    measure(es, ls)?
                };
                let free = if free_late_finish[t] == Moment::MAX {
                    total
                } else {
                    let raw = measure(ef, free_late_finish[t])?;
                    if total >= 0 {
                        raw.clamp(0, total)
                    } else {
                        raw.min(total)
                    }
                };
                (total, free)
            }
        };
        tasks.push(TaskDates {
            early_start: es,
            early_finish: ef,
            late_start: ls,
            late_finish: lf,
            total_float,
            free_float,
            critical: state[t] != State::Done && total_float <= threshold,
            state: state[t],
        });
    }
    Ok(Schedule {
        tasks,
        ready,
        finish,
        go_live: inputs.go_live,
        data_date: as_of,
    })
}

/// `t` moved by a lag on `cal` (or in elapsed time).
fn shift(cal: &Calendar, t: Moment, dep: &Dependency) -> Result<Moment, OutOfRange> {
    if dep.lag.elapsed {
        t.plus(dep.lag.minutes).ok_or(OutOfRange)
    } else {
        cal.add_work(t, dep.lag.minutes)
    }
}

/// The earliest start a dependency allows the successor (on `cal`, lasting `d`).
pub(crate) fn forward_bound(
    dep: &Dependency,
    (pred_start, pred_finish): (Moment, Moment),
    cal: &Calendar,
    d: i64,
) -> Result<Moment, OutOfRange> {
    match dep.link {
        LinkType::FS => shift(cal, pred_finish, dep),
        LinkType::SS => shift(cal, pred_start, dep),
        LinkType::FF | LinkType::SF => {
            let point = if dep.link == LinkType::FF {
                pred_finish
            } else {
                pred_start
            };
            let need = shift(cal, point, dep)?;
            if d == 0 {
                Ok(need)
            } else {
                cal.sub_work(need, d)
            }
        }
    }
}

/// The latest the predecessor's finish (FS, FF) or start (SS, SF) may be, given the
/// successor's (start, finish) on its calendar.
fn backward_bound(
    dep: &Dependency,
    (succ_start, succ_finish): (Moment, Moment),
    cal: &Calendar,
) -> Result<Moment, OutOfRange> {
    let target = match dep.link {
        LinkType::FS | LinkType::SS => succ_start,
        LinkType::FF | LinkType::SF => succ_finish,
    };
    // Past the target the successor's working time may be flat (nights, weekends),
    // so the latest point with the same W is where its working time resumes.
    let flatten = |t: Moment| {
        if cal.is_elapsed() {
            Ok(t)
        } else {
            cal.next_start(t)
        }
    };
    if dep.lag.elapsed {
        // W(p + lag) <= W(target)  <=>  p + lag <= flatten(target).
        flatten(target)?.plus(-dep.lag.minutes).ok_or(OutOfRange)
    } else {
        // W(p) + lag <= W(target)  <=>  W(p) <= W(target - lag of work).
        flatten(cal.sub_work(target, dep.lag.minutes)?)
    }
}

/// The latest finish of a task lasting `d` on `cal` that finishes by `finish_limit`
/// and starts by `start_limit`.
fn latest_finish(
    cal: &Calendar,
    finish_limit: Moment,
    start_limit: Moment,
    d: i64,
) -> Result<Moment, OutOfRange> {
    let mut lf = cal.prev_end(finish_limit)?;
    if start_limit < Moment::MAX {
        lf = lf.min(cal.add_work(cal.last_start_by(start_limit)?, d)?);
    }
    Ok(lf)
}

#[cfg(test)]
mod tests;
