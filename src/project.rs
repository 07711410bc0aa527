//! The runbook after validation: ids resolved to indices, durations to minutes,
//! instants to UTC, calendars compiled. Every later stage works on this.

use std::collections::HashMap;

use jiff::tz::TimeZone;

use crate::calendar::Calendar;
pub use crate::model::gate::Severity;
pub use crate::model::task::{Distribution, LinkType};
use crate::source::Origin;
use crate::time::{Horizon, Moment};

/// Index of a task in [`Project::tasks`].
pub type TaskId = usize;

/// A validated runbook.
#[derive(Debug, Clone)]
pub struct Project {
    pub name: String,
    pub organisation: Option<String>,
    pub timezone_name: String,
    pub tz: TimeZone,
    pub start: Moment,
    pub go_live: Moment,
    /// The instants the plan may use (10 years before start to 10 after go-live).
    pub horizon: Horizon,
    pub window: Option<Window>,
    /// Calendars; index 0 is the built-in `24x7`.
    pub calendars: Vec<Calendar>,
    /// The calendar of tasks that name none (`default_calendar`; 0 when unset).
    pub default_calendar: usize,
    pub workstreams: Vec<Workstream>,
    pub tasks: Vec<Task>,
    /// The milestone marked `go_live: true`, if any.
    pub go_live_task: Option<TaskId>,
    pub gates: Vec<Gate>,
    pub scenarios: Vec<Scenario>,
    pub thresholds: Thresholds,
    pub cost_of_delay: Option<CostOfDelay>,
    pub uncertainty: Uncertainty,
    /// Task ids to indices.
    pub task_index: HashMap<String, TaskId>,
}

impl Project {
    pub fn task_by_id(&self, id: &str) -> Option<TaskId> {
        self.task_index.get(id).copied()
    }

    pub fn calendar_of(&self, task: TaskId) -> &Calendar {
        &self.calendars[self.tasks[task].calendar]
    }

    pub fn workstream_id(&self, task: TaskId) -> Option<&str> {
        self.tasks[task]
            .workstream
            .map(|w| self.workstreams[w].id.as_str())
    }
}

/// The cutover window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub opens: Moment,
    pub closes: Moment,
}

#[derive(Debug, Clone)]
pub struct Workstream {
    pub id: String,
    pub name: String,
    pub lead: Option<String>,
}

/// A task ready to schedule.
#[derive(Debug, Clone)]
pub struct Task {
    pub id: String,
    pub name: String,
    pub workstream: Option<usize>,
    pub owner: Option<String>,
    /// Index into [`Project::calendars`].
    pub calendar: usize,
    /// Planned working minutes on the task's calendar; 0 for milestones.
    pub duration: i64,
    pub estimate: Option<Estimate>,
    pub milestone: bool,
    pub deps: Vec<Dependency>,
    pub not_before: Option<Moment>,
    pub deadline: Option<Moment>,
    pub point_of_no_return: bool,
    /// Elapsed minutes to roll back from this point of no return.
    pub rollback: Option<i64>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub origin: Origin,
}

/// Three-point estimate in working minutes on the task's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    pub best: i64,
    pub likely: i64,
    pub worst: i64,
    pub distribution: Distribution,
}

/// A link from a predecessor to the task that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dependency {
    pub pred: TaskId,
    pub link: LinkType,
    pub lag: Lag,
}

/// A lag (negative: a lead) in working minutes on the successor's calendar, or elapsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lag {
    pub minutes: i64,
    pub elapsed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Thresholds {
    /// Total float (working minutes) at or below which a task is critical.
    pub critical_float: i64,
    /// Float to go-live (elapsed minutes) below which the decision has conditions.
    pub min_float: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CostOfDelay {
    /// Programme cost per 30-day month of deferral.
    pub per_month: f64,
    pub benefits_per_month: f64,
    pub currency: String,
}

/// Monte Carlo spread for tasks without an estimate, as fractions of the planned duration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Uncertainty {
    pub best: f64,
    pub worst: f64,
    pub distribution: Distribution,
}

impl Default for Uncertainty {
    fn default() -> Self {
        Uncertainty {
            best: 1.0,
            worst: 1.0,
            distribution: Distribution::Pert,
        }
    }
}

/// When a gate is due: relative to go-live (moves with it) or fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Elapsed minutes from go-live (negative: before).
    Relative(i64),
    At(Moment),
}

impl Due {
    pub fn resolve(self, go_live: Moment) -> Moment {
        match self {
            Due::Relative(m) => Moment(go_live.0 + m),
            Due::At(m) => m,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Gate {
    pub id: String,
    pub name: String,
    pub due: Due,
    pub owner: Option<String>,
    pub criteria: Vec<Criterion>,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub kind: CriterionKind,
    pub severity: Severity,
    pub owner: Option<String>,
    /// Label for reports (the runbook's `name`, or one made from the criterion).
    pub label: String,
    pub origin: Origin,
}

/// How a metric is compared with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    AtLeast,
    AtMost,
    Equals,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CriterionKind {
    Metric {
        metric: String,
        comparison: Comparison,
        threshold: f64,
    },
    TasksDone(Vec<TaskId>),
    WorkstreamDone {
        workstream: usize,
        at_least: f64,
    },
    /// Elapsed minutes the plan must be ready before go-live.
    FloatToGoLive(i64),
    FitsWindow,
    Signoff {
        id: String,
        by: Option<String>,
    },
}

/// A what-if: changes applied to the project before scheduling.
#[derive(Debug, Clone, Default)]
pub struct Scenario {
    pub id: String,
    pub name: String,
    /// Elapsed minutes to move go-live and the window.
    pub defer: Option<i64>,
    pub go_live: Option<Moment>,
    /// (task, working minutes added).
    pub slips: Vec<(TaskId, i64)>,
    pub durations: Vec<(TaskId, i64)>,
    pub estimates: Vec<(TaskId, Estimate)>,
    pub metrics: Vec<(String, f64)>,
    pub done: Vec<TaskId>,
    pub origin: Origin,
}
