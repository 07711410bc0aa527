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

use crate::calendar::{Bias, Calendar, OutOfRange};
use crate::diagnostic::{Code, Diagnostic};
use crate::graph::TaskGraph;
use crate::project::{Dependency, LinkType, Project, TaskId};
use crate::time::{HORIZON_YEARS, Moment, local_label};

/// What has happened to a task, from the status file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Actual {
    /// When the task started (`started:`), if it has.
    pub started: Option<Moment>,
    /// When the task finished (`finished:`), if it has.
    pub finished: Option<Moment>,
    /// Working minutes left on a started task (default: see [`overdue_remaining`]).
    pub remaining: Option<i64>,
    /// The status file says the task cannot progress (`blocked:`).
    pub blocked: bool,
}

/// The work assumed left on a task in progress that has run its whole planned
/// duration with no `remaining:` given: a quarter of the planned duration, rounded up
/// to the minute. Until its planned duration has been worked, a task is assumed to
/// need the rest of it.
pub fn overdue_remaining(planned: i64) -> i64 {
    (planned + 3) / 4
}

/// Progress to schedule from: a data date and actuals (indexed by task; may be empty).
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// The data date: nothing unfinished is scheduled before it.
    pub as_of: Option<Moment>,
    /// Each task's actuals, indexed by [`TaskId`]; a task past the end has none.
    pub actuals: Vec<Actual>,
}

impl Progress {
    /// What the status file says about `task` (nothing, if it says nothing).
    pub fn actual(&self, task: TaskId) -> Actual {
        self.actuals.get(task).copied().unwrap_or_default()
    }
}

/// Where a task stands at the data date, for scheduling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Not started at the data date: its dates are planned.
    NotStarted,
    /// Started but not finished: its start is actual, its finish after the remaining work.
    InProgress,
    /// Finished: its start and finish are actual.
    Done,
}

/// Where a task stands at the data date, as a person is told: [`State`] with blocked
/// and overdue work told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Not started at the data date.
    NotStarted,
    /// Started and within its planned duration, or with `remaining:` given.
    InProgress,
    /// In progress past its planned duration, with no `remaining:`: its remaining work
    /// is assumed ([`TaskDates::assumed_remaining`]).
    Overdue,
    /// The status file says it cannot progress. It makes no progress: its work is
    /// planned from the data date and its successors wait for it.
    Blocked,
    /// Finished.
    Done,
}

impl Standing {
    /// The name used in every output: `not_started`, `in_progress`, `overdue`,
    /// `blocked`, `done`.
    pub fn name(self) -> &'static str {
        match self {
            Standing::NotStarted => "not_started",
            Standing::InProgress => "in_progress",
            Standing::Overdue => "overdue",
            Standing::Blocked => "blocked",
            Standing::Done => "done",
        }
    }
}

/// One task's dates. Floats are working minutes on the task's calendar (elapsed
/// minutes for milestones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskDates {
    /// Earliest start the links, `not_before` and the data date allow; the actual start
    /// once started.
    pub early_start: Moment,
    /// Earliest finish: the early start plus the duration on the task's calendar (the
    /// remaining work from the data date once started; the actual finish once done).
    pub early_finish: Moment,
    /// Latest start that keeps the plan's finish, go-live and deadlines.
    pub late_start: Moment,
    /// Latest finish that keeps the plan's finish, go-live and deadlines.
    pub late_finish: Moment,
    /// Late start minus early start (finish, for a task in progress; 0 once done);
    /// negative: a date cannot be met.
    pub total_float: i64,
    /// How far the task can slip without moving any successor, capped at total float.
    pub free_float: i64,
    /// Not done, and on the longest path to go-live or with its judged float
    /// ([`TaskDates::judged_float`]) at or below `thresholds.critical_float`, read on
    /// the task's calendar.
    pub critical: bool,
    /// Where the task stands at the data date.
    pub state: State,
    /// The state as a person is told it (blocked and overdue apart).
    pub standing: Standing,
    /// For an overdue task, the working minutes of remaining work assumed
    /// ([`overdue_remaining`]); the output says so and asks for `remaining:`.
    pub assumed_remaining: Option<i64>,
    /// On a driving chain to the go-live milestone: the longest path to go-live.
    pub driving: bool,
    /// The task is the go-live milestone or leads to it through its links; otherwise
    /// it comes after go-live (hypercare) or stands apart, and is judged against the
    /// plan's finish.
    pub leads_to_go_live: bool,
    /// How far the task can slip before go-live is missed, in working minutes of its
    /// calendar (elapsed for milestones): the latest dates go-live alone allows, as
    /// MS Project computes float against a deadline. `None` for tasks that do not lead
    /// to the go-live milestone (hypercare after it), which are judged against the
    /// plan's finish, and for tasks whose every way to go-live runs through tasks
    /// already started (they cannot delay it).
    pub float_to_go_live: Option<i64>,
    /// Early start and finish in the task calendar's working time (see
    /// [`Calendar::work_at`]).
    pub early_work: (i64, i64),
}

impl TaskDates {
    /// Leads to the go-live milestone (or is it); otherwise it comes after go-live or
    /// stands apart, and is judged against the plan's finish.
    pub fn leads_to_go_live(&self) -> bool {
        self.leads_to_go_live
    }

    /// The float a task is judged by and shown with: to go-live for the tasks that lead
    /// to it (`None` when every way there runs through tasks already started), to the
    /// plan's finish for the rest.
    pub fn judged_float(&self) -> Option<i64> {
        if self.leads_to_go_live {
            self.float_to_go_live
        } else {
            Some(self.total_float)
        }
    }
}

/// The computed plan.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Each task's dates, indexed by [`TaskId`].
    pub tasks: Vec<TaskDates>,
    /// When the plan is ready for go-live: the go-live milestone's early finish, or
    /// the latest early finish when the runbook marks none.
    pub ready: Moment,
    /// The latest early finish of any task.
    pub finish: Moment,
    /// The go-live the plan was scheduled against (a scenario's, when it moves it).
    pub go_live: Moment,
    /// The data date the plan was rescheduled from, if any.
    pub data_date: Option<Moment>,
}

impl Schedule {
    /// Elapsed minutes from readiness to go-live (negative: go-live cannot be met).
    pub fn float_to_go_live(&self) -> i64 {
        self.go_live.0 - self.ready.0
    }
}

/// The plan reaches outside its horizon ([`crate::time::Horizon`]) at this task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the dates of task #{task} run outside the plan's horizon ({side:?})")]
pub struct ScheduleError {
    /// The first task, in topological order, whose dates run off the horizon.
    pub task: TaskId,
    /// Which end of the horizon the task's dates run off.
    pub side: OutOfRange,
}

impl ScheduleError {
    /// The error as a user sees it (`E046`), at the task whose dates run off.
    pub fn diagnostic(&self, project: &Project) -> Diagnostic {
        let task = &project.tasks[self.task];
        let (h, tz) = (project.horizon, &project.tz);
        let years = HORIZON_YEARS;
        let where_ = match self.side {
            OutOfRange::After if h.until == Moment::MAX => {
                "past the end of 2999, the last year `cutover` supports".to_owned()
            }
            OutOfRange::After => format!(
                "past {}, {years} years after go-live",
                local_label(h.until, tz)
            ),
            OutOfRange::Before if h.from == Moment::MIN => {
                "before 1900, the first year `cutover` supports".to_owned()
            }
            OutOfRange::Before => format!(
                "before {}, {years} years before the plan's start",
                local_label(h.from, tz)
            ),
        };
        Diagnostic::at(
            Code::ScheduleOutOfRange,
            task.origin,
            format!("the dates of task `{}` run {where_}", task.id),
        )
        .with_help(format!(
            "a plan may use the {years} years before `start` and after `go_live`: check \
             durations and lags for a wrong unit (`w` is weeks, `m` is minutes), and dates, \
             actuals and the data date for a wrong year"
        ))
    }
}

/// What to schedule: the project's own durations and go-live, or a scenario's.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// Working minutes per task.
    pub durations: &'a [i64],
    /// Go-live: a deadline on the go-live milestone in the backward pass.
    pub go_live: Moment,
    /// The data date and actuals, if the plan is rescheduled from a status.
    pub progress: Option<&'a Progress>,
}

impl<'a> Inputs<'a> {
    /// The project's own go-live, with `durations` and `progress`.
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

/// Where unfinished work may start, in each calendar's working time: the plan's start,
/// or the data date if later (an error where a calendar cannot place it).
pub(crate) fn floors(project: &Project, as_of: Option<Moment>) -> Vec<Result<i64, OutOfRange>> {
    project
        .calendars
        .iter()
        .map(|c| {
            let start = c.work_at(project.start)?;
            Ok(match as_of {
                Some(a) => start.max(c.work_at(a)?),
                None => start,
            })
        })
        .collect()
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
    let cals = &project.calendars;
    let floor = floors(project, as_of);

    // The network flattened into arrays read in order (the passes are memory-bound).
    let net = Flat::new(project, graph);

    // Forward pass.
    let mut early = vec![Point::default(); n];
    let mut state = vec![State::NotStarted; n];
    let mut assumed = vec![None; n];
    let mut finish = project.start;
    for &t in &graph.order {
        let err = |side: OutOfRange| ScheduleError { task: t, side };
        let task = &project.tasks[t];
        let task_cal = net.cal[t] as usize;
        let cal = &cals[task_cal];
        let d = inputs.durations[t];
        let mut actual = progress.actual(t);
        if task.milestone && !predecessors_allow(net.preds(t), &state) {
            // A milestone is reached only when what it waits for allows it: actuals
            // that an unfinished predecessor contradicts are set aside, and it is
            // planned after them (status files report such actuals as E091).
            actual = Actual::default();
        }
        early[t] = match (actual.started, actual.finished) {
            (started, Some(done)) => {
                state[t] = State::Done;
                Point::at(cal, started.unwrap_or(done).min(done), done).map_err(err)?
            }
            (Some(started), None) => {
                state[t] = State::InProgress;
                // No work is planned before the data date: a blocked or late task
                // makes no progress until then.
                let from = as_of.map_or(started, |a| a.max(started));
                let (start_w, from_w) = (
                    cal.work_at(started).map_err(err)?,
                    cal.work_at(from).map_err(err)?,
                );
                let worked = from_w - start_w;
                let remaining = match actual.remaining {
                    Some(r) => r,
                    None if worked < d || d == 0 => d - worked,
                    None => {
                        let r = overdue_remaining(d);
                        assumed[t] = Some(r);
                        r
                    }
                };
                let (finish, finish_w) = if remaining == 0 {
                    (from, from_w)
                } else {
                    let w = from_w + remaining;
                    (cal.moment_at(w, Bias::Finish).map_err(err)?, w)
                };
                Point {
                    start: started,
                    finish,
                    start_w,
                    finish_w,
                }
            }
            (None, None) => {
                let mut lower = floor[task_cal].map_err(err)?;
                if let Some(nb) = task.not_before {
                    lower = lower.max(cal.work_at(nb).map_err(err)?);
                }
                for dep in net.preds(t) {
                    let p = dep.pred;
                    lower = lower.max(
                        early_bound(project, dep, &early[p], net.cal[p] as usize, task_cal, d)
                            .map_err(err)?,
                    );
                }
                Point::from_work(cal, lower, lower + d, d).map_err(err)?
            }
        };
        finish = finish.max(early[t].finish);
    }
    let ready = project.go_live_task.map_or(finish, |g| early[g].finish);

    // Backward pass against the plan's finish, task deadlines and go-live.
    let at_finish: Vec<Result<i64, OutOfRange>> = cals.iter().map(|c| c.work_at(finish)).collect();
    let go_live_at: Vec<Result<i64, OutOfRange>> =
        cals.iter().map(|c| c.work_at(inputs.go_live)).collect();
    let backward = Backward {
        project,
        graph,
        net: &net,
        early: &early,
        state: &state,
        durations: inputs.durations,
    };
    let (late, free_finish_w) = backward.pass(true, |t, task_cal| {
        let err = |side: OutOfRange| ScheduleError { task: t, side };
        let cal = &cals[task_cal];
        let mut limit = at_finish[task_cal].map_err(err)?;
        if let Some(deadline) = project.tasks[t].deadline {
            limit = limit.min(cal.work_at(deadline).map_err(err)?);
        }
        if project.go_live_task == Some(t)
            || (project.go_live_task.is_none() && net.succs(t).is_empty())
        {
            limit = limit.min(go_live_at[task_cal].map_err(err)?);
        }
        Ok(Some(limit))
    })?;
    // Backward pass against go-live and task deadlines alone (not the plan's finish):
    // each task's float to go-live.
    let (to_go_live, _) = backward.pass(false, |t, task_cal| {
        let err = |side: OutOfRange| ScheduleError { task: t, side };
        let mut limit = None;
        if project.go_live_task == Some(t) {
            limit = Some(go_live_at[task_cal].map_err(err)?);
        }
        if let Some(deadline) = project.tasks[t].deadline {
            let d = cals[task_cal].work_at(deadline).map_err(err)?;
            limit = Some(limit.map_or(d, |l: i64| l.min(d)));
        }
        Ok(limit)
    })?;

    let to_go_live_task = project.go_live_task.map_or_else(
        || vec![false; n],
        |g| graph.reachable(g, petgraph::Direction::Incoming),
    );
    let mut tasks = Vec::with_capacity(n);
    for t in 0..n {
        let (e, l) = (&early[t], late[t].unwrap_or(early[t]));
        let float = |l: &Point| {
            if state[t] == State::InProgress {
                l.finish_w - e.finish_w
            } else {
                l.start_w - e.start_w
            }
        };
        let (total_float, free_float) = if state[t] == State::Done {
            (0, 0)
        } else {
            let total = float(&l);
            let free = if free_finish_w[t] == i64::MAX {
                total
            } else {
                let raw = free_finish_w[t] - e.finish_w;
                if total >= 0 {
                    raw.clamp(0, total)
                } else {
                    raw.min(total)
                }
            };
            (total, free)
        };
        let float_to_go_live = to_go_live[t].map(|l| match state[t] {
            State::Done => 0,
            _ => float(&l),
        });
        let blocked = progress.actual(t).blocked && state[t] != State::Done;
        let standing = match state[t] {
            State::Done => Standing::Done,
            _ if blocked => Standing::Blocked,
            State::InProgress if assumed[t].is_some() => Standing::Overdue,
            State::InProgress => Standing::InProgress,
            State::NotStarted => Standing::NotStarted,
        };
        let cal = &cals[net.cal[t] as usize];
        let threshold = threshold.minutes_with(cal.day_minutes, cal.week_minutes);
        // Tasks that lead to go-live are judged by their float to it; the rest (after
        // go-live) by their float to the plan's finish.
        let judged = if to_go_live_task[t] {
            float_to_go_live
        } else {
            Some(total_float)
        };
        tasks.push(TaskDates {
            early_start: e.start,
            early_finish: e.finish,
            late_start: l.start,
            late_finish: l.finish,
            total_float,
            free_float,
            critical: state[t] != State::Done && judged.is_some_and(|f| f <= threshold),
            state: state[t],
            standing,
            assumed_remaining: assumed[t],
            driving: false,
            leads_to_go_live: to_go_live_task[t],
            float_to_go_live,
            early_work: (e.start_w, e.finish_w),
        });
    }
    let mut schedule = Schedule {
        tasks,
        ready,
        finish,
        go_live: inputs.go_live,
        data_date: as_of,
    };
    // The longest path to go-live is critical, whatever the threshold: every task from
    // which a chain of driving links reaches the go-live milestone.
    if let Some(go) = project.go_live_task {
        let mut on = vec![false; n];
        let mut stack = vec![go];
        on[go] = true;
        while let Some(t) = stack.pop() {
            for p in driving_preds(project, &schedule, &inputs, t) {
                if !on[p] {
                    on[p] = true;
                    stack.push(p);
                }
            }
        }
        for (t, d) in schedule.tasks.iter_mut().enumerate() {
            if on[t] {
                d.driving = true;
                d.critical |= d.state != State::Done;
            }
        }
    }
    Ok(schedule)
}

/// What both backward passes read.
struct Backward<'a> {
    project: &'a Project,
    graph: &'a TaskGraph,
    net: &'a Flat,
    early: &'a [Point],
    state: &'a [State],
    durations: &'a [i64],
}

impl Backward<'_> {
    /// Late dates, in reverse topological order, given each task's own finish limit in
    /// its working time (`None`: no limit of its own). A task with no limit and no
    /// limited successor gets no late dates (`None`). With `free`, also the latest
    /// finish each task's successors allow it at their early dates (for free float).
    #[allow(clippy::type_complexity)]
    fn pass(
        &self,
        free: bool,
        own_limit: impl Fn(TaskId, usize) -> Result<Option<i64>, ScheduleError>,
    ) -> Result<(Vec<Option<Point>>, Vec<i64>), ScheduleError> {
        let (project, net, early) = (self.project, self.net, self.early);
        let n = project.tasks.len();
        let cals = &project.calendars;
        let mut late: Vec<Option<Point>> = vec![None; n];
        let mut free_finish_w = vec![i64::MAX; if free { n } else { 0 }];
        for &t in self.graph.order.iter().rev() {
            let err = |side: OutOfRange| ScheduleError { task: t, side };
            let task_cal = net.cal[t] as usize;
            let cal = &cals[task_cal];
            let d = self.durations[t];
            let mut finish_limit = own_limit(t, task_cal)?;
            let (mut start_limit, mut free_finish, mut free_start) =
                (None::<i64>, i64::MAX, i64::MAX);
            for &(s, e) in net.succs(t) {
                let (s, dep) = (s as usize, &net.links[e as usize]);
                // Progress override: a task that has started no longer waits for its
                // predecessors (the forward pass takes its actual dates), so it sets
                // them no latest dates either.
                if self.state[s] != State::NotStarted {
                    continue;
                }
                let succ_cal = net.cal[s] as usize;
                let late_limit = match &late[s] {
                    Some(point) => {
                        Some(late_bound(project, dep, point, succ_cal, task_cal).map_err(err)?)
                    }
                    None => None,
                };
                let free_limit = if free {
                    late_bound(project, dep, &early[s], succ_cal, task_cal).map_err(err)?
                } else {
                    i64::MAX
                };
                let tighten = |limit: &mut Option<i64>| {
                    if let Some(l) = late_limit {
                        *limit = Some(limit.map_or(l, |x| x.min(l)));
                    }
                };
                match dep.link {
                    LinkType::FS | LinkType::FF => {
                        tighten(&mut finish_limit);
                        free_finish = free_finish.min(free_limit);
                    }
                    LinkType::SS | LinkType::SF => {
                        tighten(&mut start_limit);
                        free_start = free_start.min(free_limit);
                    }
                }
            }
            let lf = match (finish_limit, start_limit) {
                (Some(f), Some(s)) => Some(f.min(s.saturating_add(d))),
                (Some(f), None) => Some(f),
                (None, Some(s)) => Some(s.saturating_add(d)),
                (None, None) => None,
            };
            late[t] = match (self.state[t], lf) {
                (_, None) => None,
                (State::Done, Some(_)) => Some(early[t]),
                (s, Some(lf)) => {
                    let mut p = Point::from_work(cal, lf - d, lf, d).map_err(err)?;
                    if s == State::InProgress {
                        (p.start, p.start_w) = (early[t].start, early[t].start_w);
                    }
                    Some(p)
                }
            };
            if free && !net.succs(t).is_empty() {
                free_finish_w[t] = free_finish.min(free_start.saturating_add(d));
            }
        }
        Ok((late, free_finish_w))
    }
}

/// Do the predecessors in `preds` allow a milestone to have been reached: each FS or
/// FF predecessor finished, each SS or SF one started?
fn predecessors_allow(preds: &[Dependency], state: &[State]) -> bool {
    preds.iter().all(|dep| match dep.link {
        LinkType::FS | LinkType::FF => state[dep.pred] == State::Done,
        LinkType::SS | LinkType::SF => state[dep.pred] != State::NotStarted,
    })
}

/// The network as flat arrays: each task's calendar, its links in task order, and
/// for each task the links out of it (successor, index into `links`).
struct Flat {
    cal: Vec<u32>,
    link_at: Vec<u32>,
    links: Vec<Dependency>,
    succ_at: Vec<u32>,
    succ: Vec<(u32, u32)>,
}

impl Flat {
    fn new(project: &Project, graph: &TaskGraph) -> Flat {
        let n = project.tasks.len();
        let mut cal = Vec::with_capacity(n);
        let mut link_at = Vec::with_capacity(n + 1);
        let mut links = Vec::new();
        let mut out_degree = vec![0u32; n + 1];
        for task in &project.tasks {
            cal.push(task.calendar as u32);
            link_at.push(links.len() as u32);
            for dep in &task.deps {
                out_degree[dep.pred] += 1;
                links.push(*dep);
            }
        }
        link_at.push(links.len() as u32);
        // Successor lists by counting sort, so each is in task order.
        let mut succ_at = Vec::with_capacity(n + 1);
        let mut total = 0u32;
        for d in &out_degree[..n] {
            succ_at.push(total);
            total += d;
        }
        succ_at.push(total);
        let mut fill = succ_at.clone();
        let mut succ = vec![(0u32, 0u32); total as usize];
        for t in 0..n {
            for e in link_at[t]..link_at[t + 1] {
                let p = links[e as usize].pred;
                succ[fill[p] as usize] = (t as u32, e);
                fill[p] += 1;
            }
        }
        debug_assert_eq!(graph.len(), n);
        Flat {
            cal,
            link_at,
            links,
            succ_at,
            succ,
        }
    }

    fn preds(&self, t: TaskId) -> &[Dependency] {
        &self.links[self.link_at[t] as usize..self.link_at[t + 1] as usize]
    }

    fn succs(&self, t: TaskId) -> &[(u32, u32)] {
        &self.succ[self.succ_at[t] as usize..self.succ_at[t + 1] as usize]
    }
}

/// A task's start and finish, as moments and in its calendar's working time.
#[derive(Debug, Clone, Copy, Default)]
struct Point {
    start: Moment,
    finish: Moment,
    start_w: i64,
    finish_w: i64,
}

impl Point {
    /// From fixed moments (actuals).
    fn at(cal: &Calendar, start: Moment, finish: Moment) -> Result<Point, OutOfRange> {
        Ok(Point {
            start,
            finish,
            start_w: cal.work_at(start)?,
            finish_w: cal.work_at(finish)?,
        })
    }

    /// From working time: a task with work starts where work resumes and finishes
    /// where it stops; one without work sits where the work before it stopped.
    fn from_work(cal: &Calendar, start_w: i64, finish_w: i64, d: i64) -> Result<Point, OutOfRange> {
        let finish = cal.moment_at(finish_w, Bias::Finish)?;
        let start = if d == 0 {
            finish
        } else {
            cal.moment_at(start_w, Bias::Start)?
        };
        Ok(Point {
            start,
            finish,
            start_w,
            finish_w,
        })
    }
}

/// The earliest start, in the successor's working time, that `dep` allows a task on
/// calendar `cal` lasting `d`: `W(successor point) >= W(predecessor point) + lag`.
#[inline]
fn early_bound(
    project: &Project,
    dep: &Dependency,
    pred: &Point,
    pred_cal: usize,
    cal: usize,
    d: i64,
) -> Result<i64, OutOfRange> {
    let (at, at_w) = match dep.link {
        LinkType::FS | LinkType::FF => (pred.finish, pred.finish_w),
        LinkType::SS | LinkType::SF => (pred.start, pred.start_w),
    };
    let calendar = &project.calendars[cal];
    let need = if dep.lag.elapsed {
        calendar.work_at(
            at.plus(dep.lag.minutes)
                .ok_or(OutOfRange::toward(dep.lag.minutes))?,
        )?
    } else if pred_cal == cal {
        // Same calendar: the predecessor's working time is ours.
        at_w + dep.lag.minutes
    } else {
        calendar.work_at(at)? + dep.lag.minutes
    };
    Ok(match dep.link {
        LinkType::FS | LinkType::SS => need,
        LinkType::FF | LinkType::SF => need - d,
    })
}

/// The latest finish (FS, FF) or start (SS, SF) `dep` allows the predecessor, in the
/// predecessor's working time (calendar `pred_cal`), given the successor's `point`.
#[inline]
fn late_bound(
    project: &Project,
    dep: &Dependency,
    succ: &Point,
    succ_cal: usize,
    pred_cal: usize,
) -> Result<i64, OutOfRange> {
    let target_w = match dep.link {
        LinkType::FS | LinkType::SS => succ.start_w,
        LinkType::FF | LinkType::SF => succ.finish_w,
    };
    if !dep.lag.elapsed && succ_cal == pred_cal {
        return Ok(target_w - dep.lag.minutes);
    }
    late_bound_across(project, dep, target_w, succ_cal, pred_cal)
}

/// [`late_bound`] through instants: different calendars, or an elapsed lag.
#[cold]
fn late_bound_across(
    project: &Project,
    dep: &Dependency,
    target_w: i64,
    succ_cal: usize,
    pred_cal: usize,
) -> Result<i64, OutOfRange> {
    let (scal, pcal) = (&project.calendars[succ_cal], &project.calendars[pred_cal]);
    // The latest moment the successor's working time stays at the limit: where its
    // work resumes (nights and weekends are flat).
    let limit = if dep.lag.elapsed {
        scal.moment_at(target_w, Bias::Start)?
            .plus(-dep.lag.minutes)
            .ok_or(OutOfRange::toward(-dep.lag.minutes))?
    } else {
        scal.moment_at(target_w - dep.lag.minutes, Bias::Start)?
    };
    let w = pcal.work_at(limit)?;
    Ok(match dep.link {
        LinkType::FS | LinkType::FF => w,
        // A start must be a working moment at or before the limit.
        LinkType::SS | LinkType::SF => {
            if pcal.is_working(limit) {
                w
            } else {
                w - 1
            }
        }
    })
}

/// The links into `task` that set its early start, given the schedule (none when it
/// starts on its own constraint, the plan's start or the data date, or has started).
pub(crate) fn driving_preds(
    project: &Project,
    schedule: &Schedule,
    inputs: &Inputs<'_>,
    task: TaskId,
) -> Vec<TaskId> {
    let dates = &schedule.tasks[task];
    if dates.state != State::NotStarted {
        return Vec::new();
    }
    let t = &project.tasks[task];
    let d = inputs.durations[task];
    let mut top = None;
    let mut preds = Vec::new();
    for dep in &t.deps {
        let p = &schedule.tasks[dep.pred];
        let point = Point {
            start: p.early_start,
            finish: p.early_finish,
            start_w: p.early_work.0,
            finish_w: p.early_work.1,
        };
        let pred_cal = project.tasks[dep.pred].calendar;
        let Ok(bound) = early_bound(project, dep, &point, pred_cal, t.calendar, d) else {
            continue;
        };
        if bound == dates.early_work.0 {
            preds.push(dep.pred);
        }
        top = top.max(Some(bound));
    }
    if top == Some(dates.early_work.0) {
        preds
    } else {
        Vec::new()
    }
}

#[cfg(test)]
pub(crate) mod tests;
